"""Cleaning the street layer: end snapping, noding, duplicates and zero-length pieces.

Real street layers are not clean: crossings without a shared vertex, gaps of a few metres where
two pieces were meant to meet, duplicated and zero-length pieces. :func:`clean_street_lines`
nodes the lines at every crossing, snaps near-misses within a tolerance, drops duplicates and
zero-length pieces, and counts what it changed (:class:`CleanedStreets`). It works on the line
geometries only; :func:`heatplan.plan.network.build.build_street_graph` turns the result into a
:class:`~heatplan.plan.network.graph.StreetGraph`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from heatplan.core.errors import SchemaError, TopologyError
from heatplan.core.scenario import Scenario
from heatplan.plan.network.edge_arrays import shortest_per_pair

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CleanedStreets:
    """The street layer noded into pieces (EPSG:25832, metres), with what cleaning changed.

    Piece ``i`` (a LineString) joins nodes ``u[i]`` and ``v[i]`` (rows of ``xy``) and lies on
    row ``street_row[i]`` of the input street layer.
    """

    pieces: np.ndarray
    xy: np.ndarray
    u: np.ndarray
    v: np.ndarray
    street_row: np.ndarray
    input_lines: int
    """Rows of the street layer."""
    input_parts: int
    """Single LineStrings after splitting multi-part rows (excluded road classes left out)."""
    excluded_road_class: int
    """Street rows left out because of their ``road_class``."""
    zero_length_dropped: int
    duplicates_dropped: int
    overlap_removed_m: float
    """Length of partly overlapping lines merged away by noding, in metres."""
    endpoints_snapped: int
    nodes_added_at_crossings: int
    components_before: int
    """Connected pieces of the noded input without snapping."""


def require_project_crs(gdf: gpd.GeoDataFrame, layer: str) -> None:
    """Raise :class:`SchemaError` when ``gdf`` has a CRS other than EPSG:25832."""
    if gdf.crs is not None and gdf.crs.to_epsg() != 25832:
        msg = (
            f"Layer {layer} is in {gdf.crs}, not EPSG:25832. Reproject it first "
            "(GeoDataFrame.to_crs('EPSG:25832'))."
        )
        raise SchemaError(msg)


def layer_lines(gdf: gpd.GeoDataFrame, layer: str) -> tuple[np.ndarray, np.ndarray]:
    """Return single 2-D LineStrings of a line layer and the input row position of each."""
    require_project_crs(gdf, layer)
    geoms = shapely.force_2d(np.asarray(gdf.geometry.values, dtype=object))
    parts, rows = shapely.get_parts(geoms, return_index=True)
    is_line = shapely.get_type_id(parts) == 1
    return parts[is_line], rows[is_line]


@dataclass(frozen=True)
class _EndNetwork:
    """Distances along the input lines from the dangling line ends (see :func:`_end_network`).

    ``node`` is the node of every line end, ``row`` the source row of every dangling end (-1
    for the others); the distances within the limit are kept sparse, as sorted keys
    ``row × n_nodes + node`` with their metres (memory grows with the pairs, not rows × nodes).
    """

    node: np.ndarray
    row: np.ndarray
    n_nodes: int
    keys: np.ndarray
    metres: np.ndarray

    def between(self, dangling_end: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Distance along the lines from each dangling end to the node of each end, metres
        (inf beyond the limit)."""
        wanted = self.row[dangling_end].astype(np.int64) * self.n_nodes + self.node[end]
        if not len(self.keys):
            return np.full(len(wanted), np.inf)
        pos = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return np.where(self.keys[pos] == wanted, self.metres[pos], np.inf)


def _end_network(
    ends: np.ndarray, lines: np.ndarray, grid: float, which: np.ndarray, limit: float
) -> _EndNetwork:
    """Network distances (along the input lines, joined only where their ends coincide on the
    grid) from the ends ``which`` to every end, up to ``limit`` metres (inf beyond)."""
    keys = np.round(ends / grid).astype(np.int64)
    _, node = np.unique(keys, axis=0, return_inverse=True)
    node = node.ravel()
    n_nodes = int(node.max()) + 1
    a, b = node[0::2], node[1::2]
    w = np.maximum(shapely.length(lines), 1e-9)
    ok = a != b
    a, b, w = np.minimum(a, b)[ok], np.maximum(a, b)[ok], w[ok]
    # parallel lines between the same two nodes: keep the shortest (coo -> csr would sum them)
    keep = shortest_per_pair(a, b, w)
    mat = sparse.coo_matrix((w[keep], (a[keep], b[keep])), shape=(n_nodes, n_nodes)).tocsr()
    src, row = np.unique(node[which], return_inverse=True)
    keys, metres = [], []
    for start in range(0, len(src), 256):  # a block of sources at a time, kept sparse
        block = csgraph.dijkstra(mat, directed=False, indices=src[start:start + 256],
                                 limit=limit)
        r, c = np.nonzero(np.isfinite(block))
        keys.append((r + start).astype(np.int64) * n_nodes + c)
        metres.append(block[r, c])
    end_row = np.full(len(ends), -1)
    end_row[which] = row.ravel()
    keys_all = np.concatenate(keys) if keys else np.zeros(0, np.int64)
    metres_all = np.concatenate(metres) if metres else np.zeros(0)
    order = np.argsort(keys_all, kind="stable")
    return _EndNetwork(node, end_row, n_nodes, keys_all[order], metres_all[order])


def _merge_dangling_ends(
    ends: np.ndarray, d_idx: np.ndarray, net: _EndNetwork, tolerance: float, grid: float,
    limit: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Move dangling ends within ``tolerance`` of each other to their common centre.

    Complete-linkage groups, closest pairs first: every two ends of a group are within the
    tolerance, ends of one line never share a group, and ends already joined along the input
    lines within ``limit`` metres stay apart. Returns the new end coordinates and a mask of
    the ends moved by more than ``grid``.
    """
    new_ends = ends.copy()
    moved = np.zeros(len(ends), bool)
    pairs = cKDTree(ends[d_idx]).query_pairs(tolerance, output_type="ndarray")
    if not len(pairs):
        return new_ends, moved
    pa, pb = d_idx[pairs[:, 0]], d_idx[pairs[:, 1]]
    gap = np.hypot(*(ends[pa] - ends[pb]).T)
    # ends of the same line, or of lines already joined nearby, stay apart
    apart = (pa // 2 != pb // 2) & ~(net.between(pa, pb) <= limit)
    pa, pb, gap = pa[apart], pb[apart], gap[apart]
    group = {int(e): [int(e)] for e in np.unique(np.r_[pa, pb])}
    for i in np.argsort(gap, kind="stable"):
        ga, gb = group[int(pa[i])], group[int(pb[i])]
        if ga is gb:
            continue
        members = np.array(ga + gb)
        span = np.hypot(*(ends[members][:, None] - ends[members][None]).transpose(2, 0, 1))
        if span.max() > tolerance or len({m // 2 for m in members}) < len(members):
            continue
        merged = ga + gb
        for m in merged:
            group[m] = merged
    for members in {id(g): g for g in group.values()}.values():
        if len(members) > 1:
            new_ends[members] = ends[members].mean(axis=0)
    return new_ends, np.hypot(*(new_ends - ends).T) > grid


def _extensions_to_lines(
    lines: np.ndarray, new_ends: np.ndarray, dangling: np.ndarray, net: _EndNetwork,
    tolerance: float, grid: float, limit: float,
) -> dict[int, np.ndarray]:
    """Extensions of ends still dangling to the nearest point of a line within ``tolerance``
    (T-junction undershoots), skipping lines the end already reaches within ``limit`` metres
    along the input lines. Returns end index → the point to extend to."""
    rounded = np.round(new_ends / grid).astype(np.int64)
    _, inverse, counts = np.unique(rounded, axis=0, return_inverse=True, return_counts=True)
    d_idx = np.flatnonzero((counts[inverse.ravel()] == 1) & dangling)
    extend_to: dict[int, np.ndarray] = {}
    if not len(d_idx):
        return extend_to
    line_tree = shapely.STRtree(lines)
    pts = shapely.points(new_ends[d_idx])
    e_pos, line_idx = line_tree.query(pts, predicate="dwithin", distance=tolerance)
    ok = line_idx != d_idx[e_pos] // 2
    e_pos, line_idx = e_pos[ok], line_idx[ok]
    dist = shapely.distance(pts[e_pos], lines[line_idx])
    ok = dist > 1e-9
    e_pos, line_idx, dist = e_pos[ok], line_idx[ok], dist[ok]
    # skip lines the end already reaches within the limit along the input lines
    at = shapely.line_locate_point(lines[line_idx], pts[e_pos])
    length = shapely.length(lines[line_idx])
    end = d_idx[e_pos]
    along = np.minimum(net.between(end, 2 * line_idx) + at,
                       net.between(end, 2 * line_idx + 1) + length - at)
    ok = ~(along <= limit)
    e_pos, line_idx, dist, at = e_pos[ok], line_idx[ok], dist[ok], at[ok]
    order = np.lexsort((dist, e_pos))
    e_pos, line_idx, at = e_pos[order], line_idx[order], at[order]
    first = np.r_[True, e_pos[1:] != e_pos[:-1]][: len(e_pos)]
    targets = shapely.line_interpolate_point(lines[line_idx[first]], at[first])
    for ep, p in zip(e_pos[first], shapely.get_coordinates(targets), strict=True):
        extend_to[int(d_idx[ep])] = p
    return extend_to


def _snap_endpoints(
    lines: np.ndarray, tolerance: float, grid: float
) -> tuple[np.ndarray, int]:
    """Close gaps up to ``tolerance`` metres between line ends and between a line end and a line.

    Only dangling ends move: an end that coincides with another line's end (on the ``grid``)
    is already a node. Dangling ends within the tolerance of each other move to their common
    centre, grouped so that every two ends of a group are within the tolerance (groups never
    chain along a street drawn as short pieces); a dangling end still left within the tolerance
    of another line gets a short extension to the nearest point on that line. A gap is not
    closed when the input lines already join the two sides within ``4 * tolerance`` metres
    (the neighbouring pieces of the same street). Returns the new lines and the number of ends
    moved.
    """
    if len(lines) == 0 or tolerance <= 0:
        return lines, 0
    limit = 4.0 * tolerance
    coords = [shapely.get_coordinates(g) for g in lines]
    ends = np.array([[c[0], c[-1]] for c in coords]).reshape(-1, 2)  # 2 ends per line
    keys = np.round(ends / grid).astype(np.int64)
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    dangling = counts[inverse.ravel()] == 1
    d_idx = np.flatnonzero(dangling)
    if len(d_idx) == 0:
        return lines, 0
    net = _end_network(ends, lines, grid, d_idx, limit)
    new_ends, moved = _merge_dangling_ends(ends, d_idx, net, tolerance, grid, limit)
    extend_to = _extensions_to_lines(lines, new_ends, dangling, net, tolerance, grid, limit)
    out = []
    for i, c in enumerate(coords):
        c = c.copy()
        c[0], c[-1] = new_ends[2 * i], new_ends[2 * i + 1]
        if 2 * i in extend_to:
            c = np.vstack([extend_to[2 * i], c])
        if 2 * i + 1 in extend_to:
            c = np.vstack([c, extend_to[2 * i + 1]])
        out.append(c)
    return _make_lines(out), int(moved.sum()) + len(extend_to)


def _make_lines(coords: list[np.ndarray]) -> np.ndarray:
    """Return an array of LineStrings from a list of coordinate arrays of any lengths."""
    if not coords:
        return np.empty(0, dtype=object)
    sizes = [len(c) for c in coords]
    return shapely.linestrings(
        np.vstack(coords), indices=np.repeat(np.arange(len(coords)), sizes)
    )


def _node_lines(lines: np.ndarray, grid: float) -> np.ndarray:
    """Node lines at every crossing and merge overlaps (snap-rounding to ``grid`` metres)."""
    if len(lines) == 0:
        return np.empty(0, dtype=object)
    merged = shapely.unary_union(shapely.set_precision(lines, grid), grid_size=grid)
    parts = shapely.get_parts(merged)
    parts = parts[shapely.get_type_id(parts) == 1]
    return parts[shapely.length(parts) > 0]


def _graph_arrays(pieces: np.ndarray, grid: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return node coordinates and edge end nodes of noded pieces (ends equal on the grid)."""
    first = shapely.get_coordinates(shapely.get_point(pieces, 0))
    last = shapely.get_coordinates(shapely.get_point(pieces, -1))
    keys = np.round(np.vstack([first, last]) / grid).astype(np.int64)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    nodes_xy = np.zeros((len(uniq), 2))
    nodes_xy[inverse] = np.vstack([first, last])
    n = len(pieces)
    return nodes_xy, inverse[:n], inverse[n:]


def count_components(n_nodes: int, u: np.ndarray, v: np.ndarray) -> tuple[int, np.ndarray]:
    """Return the number of connected pieces of the graph with edges ``u``-``v`` and the piece
    label of every node."""
    mat = sparse.coo_matrix((np.ones(len(u)), (u, v)), shape=(n_nodes, n_nodes))
    return csgraph.connected_components(mat, directed=False)


def _duplicates(lines: np.ndarray) -> np.ndarray:
    """Boolean mask of lines equal (either direction) to an earlier line, on a 1 cm grid."""
    norm = shapely.normalize(shapely.set_precision(lines, 0.01))
    wkb = pd.Series(shapely.to_wkb(norm))
    return wkb.duplicated().to_numpy()


def _excluded_rows(streets: gpd.GeoDataFrame, scenario: Scenario) -> np.ndarray:
    """Mask of street rows whose ``road_class`` is in ``network.excluded_road_classes``."""
    excluded_classes = {str(c) for c in scenario.value("network.excluded_road_classes")}
    if not (excluded_classes and "road_class" in streets.columns):
        return np.zeros(len(streets), bool)
    is_excluded = streets["road_class"].astype(str).isin(excluded_classes).to_numpy()
    if is_excluded.any():
        logger.info("%d street lines of road class %s excluded from trenching",
                    int(is_excluded.sum()), sorted(excluded_classes))
    return is_excluded


def clean_street_lines(streets: gpd.GeoDataFrame, *, scenario: Scenario) -> CleanedStreets:
    """Clean the street layer into noded pieces (see the module docstring).

    Excluded road classes, parts shorter than ``network.grid_size_m`` and duplicates are
    dropped; ends are snapped within ``network.snap_tolerance_m`` (:func:`_snap_endpoints`);
    the lines are noded at every crossing. Each piece keeps the input row it lies on.

    Raises
    ------
    SchemaError
        If the layer is not in EPSG:25832.
    TopologyError
        If no street line remains after cleaning.
    """
    tol = float(scenario.value("network.snap_tolerance_m"))
    grid = float(scenario.value("network.grid_size_m"))
    is_excluded = _excluded_rows(streets, scenario)
    lines, rows = layer_lines(streets, "streets")
    keep_rows = ~is_excluded[rows]
    lines, rows = lines[keep_rows], rows[keep_rows]
    n_parts = len(lines)
    zero = shapely.length(lines) < grid
    lines, rows = lines[~zero], rows[~zero]
    dup = _duplicates(lines)
    lines, rows = lines[~dup], rows[~dup]
    if len(lines) == 0:
        msg = "Layer streets has no line longer than the grid size after cleaning; check the layer."
        raise TopologyError(msg)

    # components of the noded input, before snapping
    xy0, u0, v0 = _graph_arrays(_node_lines(lines, grid), grid)
    comps_before, _ = count_components(len(xy0), u0, v0)

    snapped, n_snapped = _snap_endpoints(lines, tol, grid)
    pieces = _node_lines(snapped, grid)
    xy, u, v = _graph_arrays(pieces, grid)
    # drop self-loops that snapping or noding may leave on tiny pieces
    loop = (u == v) & (shapely.length(pieces) < 2 * tol)
    pieces, u, v = pieces[~loop], u[~loop], v[~loop]
    overlap_m = max(0.0, float(shapely.length(snapped).sum() - shapely.length(pieces).sum()))

    # each piece inherits the attributes of the input line it lies on
    mid = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    _, nearest = shapely.STRtree(snapped).query_nearest(mid, all_matches=False)
    return CleanedStreets(
        pieces=pieces, xy=xy, u=u, v=v, street_row=rows[nearest], input_lines=len(streets),
        input_parts=n_parts, excluded_road_class=int(is_excluded.sum()),
        zero_length_dropped=int(zero.sum()), duplicates_dropped=int(dup.sum()),
        overlap_removed_m=overlap_m, endpoints_snapped=n_snapped,
        nodes_added_at_crossings=_nodes_added(snapped, xy, grid),
        components_before=int(comps_before),
    )


def _nodes_added(lines: np.ndarray, xy: np.ndarray, grid: float) -> int:
    """Number of nodes ``xy`` that are no end of any of ``lines`` (created at crossings)."""
    ends = np.vstack([
        shapely.get_coordinates(shapely.get_point(lines, 0)),
        shapely.get_coordinates(shapely.get_point(lines, -1)),
    ])
    end_keys = {tuple(k) for k in np.round(ends / grid).astype(np.int64)}
    node_keys = np.round(xy / grid).astype(np.int64)
    return int(sum(tuple(k) not in end_keys for k in node_keys))
