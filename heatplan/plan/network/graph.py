"""The street graph: cleaned street centrelines, existing mains, heat sources, service connections.

Real street layers are not clean: crossings without a shared vertex, gaps of a few metres where
two pieces were meant to meet, duplicated and zero-length pieces. :func:`build_street_graph`
nodes the lines at every crossing, snaps near-misses within a tolerance, drops duplicates and
zero-length pieces, and reports what it changed (:class:`CleaningReport`). It then joins the
existing district-heating mains (street edges along a main become zero-new-cost "existing
network" edges, their nodes feed points) and the heat sources (each linked to the nearest point
of its nearest street, splitting the street edge there). :func:`connect_properties` links every
property to the nearest street edge of a piece of graph that reaches a feed point, splitting the
edge there; properties that cannot be linked are returned with their reason, never dropped.

The graph is kept in plain numpy arrays (node coordinates; edge end nodes, lengths, kinds and
LineString geometries) so that routing can use :mod:`scipy.sparse.csgraph`;
:meth:`StreetGraph.to_networkx` gives a networkx view for tests and inspection.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from heatplan.core.errors import SchemaError, TopologyError
from heatplan.core.scenario import Scenario

logger = logging.getLogger(__name__)

EXISTING_NETWORK = "existing_network"
"""Feed label of nodes on the existing district-heating network."""

EDGE_KINDS = ("street", "existing", "source_link")
"""Edge kinds: a street where a new trench can be dug, a street with an existing main (no new
trench), and the link from a heat source to the nearest point of its street."""


@dataclass(frozen=True)
class CleaningReport:
    """What cleaning the street layer changed, with counts.

    ``components`` lists every connected piece of the cleaned graph (largest first) with its
    number of nodes and edges, its length and whether it reaches a feed point.
    """

    input_lines: int
    """Rows of the street layer."""
    input_parts: int
    """Single LineStrings after splitting multi-part rows."""
    zero_length_dropped: int
    """Parts shorter than the grid size, dropped."""
    duplicates_dropped: int
    """Parts identical to another part (either direction), dropped."""
    overlap_removed_m: float
    """Length of partly overlapping lines merged away by noding, in metres."""
    endpoints_snapped: int
    """Line ends moved onto a nearby line end or line within the snap tolerance."""
    nodes_added_at_crossings: int
    """Graph nodes created where lines cross or touch without a shared end."""
    n_nodes: int
    n_edges: int
    length_m: float
    components_before: int
    """Connected pieces of the noded input without snapping."""
    components_after: int
    """Connected pieces of the cleaned graph."""
    component_sizes: tuple[int, ...]
    """Nodes per connected piece of the cleaned graph, largest first."""
    components: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """One row per piece: ``n_nodes``, ``n_edges``, ``length_m``, ``has_feed``, ``x``, ``y``."""
    excluded_road_class: int = 0
    """Street rows left out because their ``road_class`` is in
    ``network.excluded_road_classes`` (e.g. motorways, where no trench is dug)."""
    mains_joined_m: float = 0.0
    """Length of street edges marked as existing network, in metres."""
    mains_not_joined_m: float = 0.0
    """Length of existing mains not lying along any street (outside the tolerance), in metres."""
    sources_joined: int = 0
    sources_rejected: tuple[str, ...] = ()
    """Heat sources farther than the maximum distance from any street."""

    def summary(self) -> str:
        """Return a one-paragraph English summary for logs and reports."""
        return (
            f"{self.input_lines:,} street lines ({self.input_parts:,} parts): "
            f"{self.zero_length_dropped} zero-length and {self.duplicates_dropped} duplicate parts "
            f"dropped, {self.overlap_removed_m:,.0f} m of overlap merged, "
            f"{self.endpoints_snapped} line ends snapped, {self.nodes_added_at_crossings} nodes "
            f"added at crossings; {self.n_nodes:,} nodes, {self.n_edges:,} edges, "
            f"{self.length_m / 1000:,.1f} km; connected pieces {self.components_before} before "
            f"cleaning, {self.components_after} after (largest {self.component_sizes[0]:,} nodes)"
            if self.component_sizes
            else "empty street graph"
        )


@dataclass(frozen=True)
class StreetGraph:
    """An undirected street graph in plain arrays (EPSG:25832, metres).

    Nodes ``0 .. n_nodes-1`` have coordinates ``x``, ``y`` and a ``feed`` label (empty, or
    ``"existing_network"``, or a heat source's ``source_id``). Edge ``i`` joins ``u[i]`` and
    ``v[i]``, follows ``geometry[i]`` (a LineString from ``u`` to ``v``), is ``length_m[i]``
    long and has a ``kind`` from :data:`EDGE_KINDS`; ``street_row`` is the row of the input
    street layer it came from (-1 for source links).
    """

    x: np.ndarray
    y: np.ndarray
    feed: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray
    kind: np.ndarray
    geometry: np.ndarray
    street_row: np.ndarray
    crs: str = "EPSG:25832"
    report: CleaningReport | None = None
    street_attributes: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """Attributes of the input street rows (``road_class``, ``name``), by position."""
    sources: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """Heat sources (index ``source_id``): ``node`` (-1 when not joined), ``link_m`` (length of
    the link to the nearest point of the nearest street), ``capacity_mw`` (NaN when unknown)."""

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.x)

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return len(self.u)

    @property
    def is_feed(self) -> np.ndarray:
        """Boolean array: the node is on the existing network or is a heat source."""
        return self.feed != ""

    @property
    def new_trench_m(self) -> np.ndarray:
        """Length a new trench along each edge would have: 0 on existing mains, in metres."""
        return np.where(self.kind == "existing", 0.0, self.length_m)

    def adjacency(self, weight: np.ndarray | None = None) -> sparse.csr_matrix:
        """Return the symmetric weighted adjacency matrix (default weight: ``length_m``).

        Parallel edges keep the shortest; zero weights are raised to 1e-9 so that they stay
        edges in :mod:`scipy.sparse.csgraph`.
        """
        w = self.length_m if weight is None else weight
        w = np.maximum(w, 1e-9)
        n = self.n_nodes
        # coo -> csr would sum parallel edges; keep the shortest instead
        order = np.lexsort((w, np.minimum(self.u, self.v), np.maximum(self.u, self.v)))
        a = np.minimum(self.u, self.v)[order]
        b = np.maximum(self.u, self.v)[order]
        keep = np.ones(len(order), bool)
        keep[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        a, b, ww = a[keep], b[keep], w[order][keep]
        return sparse.coo_matrix(
            (np.r_[ww, ww], (np.r_[a, b], np.r_[b, a])), shape=(n, n)
        ).tocsr()

    def components(self) -> np.ndarray:
        """Return the connected-piece label of every node."""
        _, labels = csgraph.connected_components(self.adjacency(), directed=False)
        return labels

    def edges_frame(self) -> gpd.GeoDataFrame:
        """Return the edges as a GeoDataFrame (index ``edge_id``)."""
        return gpd.GeoDataFrame(
            {"u": self.u, "v": self.v, "length_m": self.length_m, "kind": self.kind,
             "street_row": self.street_row},
            geometry=self.geometry, crs=self.crs,
        ).rename_axis("edge_id")

    def nodes_frame(self) -> gpd.GeoDataFrame:
        """Return the nodes as a GeoDataFrame (index ``node_id``)."""
        return gpd.GeoDataFrame(
            {"feed": self.feed}, geometry=shapely.points(self.x, self.y), crs=self.crs
        ).rename_axis("node_id")

    def to_networkx(self) -> nx.MultiGraph:
        """Return a networkx MultiGraph view: nodes with ``x``, ``y``, ``feed``; edges keyed by
        edge id with ``length_m``, ``kind`` and ``geometry``."""
        g = nx.MultiGraph(crs=self.crs)
        g.add_nodes_from(
            (i, {"x": float(self.x[i]), "y": float(self.y[i]), "feed": str(self.feed[i])})
            for i in range(self.n_nodes)
        )
        g.add_edges_from(
            (int(self.u[i]), int(self.v[i]), i,
             {"length_m": float(self.length_m[i]), "kind": str(self.kind[i]),
              "geometry": self.geometry[i]})
            for i in range(self.n_edges)
        )
        return g


# ---------------------------------------------------------------------------------------------
# cleaning


def _require_project_crs(gdf: gpd.GeoDataFrame, layer: str) -> None:
    """Raise :class:`SchemaError` when ``gdf`` has a CRS other than EPSG:25832."""
    if gdf.crs is not None and gdf.crs.to_epsg() != 25832:
        msg = (
            f"Layer {layer} is in {gdf.crs}, not EPSG:25832. Reproject it first "
            "(GeoDataFrame.to_crs('EPSG:25832'))."
        )
        raise SchemaError(msg)


def _lines(gdf: gpd.GeoDataFrame, layer: str) -> tuple[np.ndarray, np.ndarray]:
    """Return single 2-D LineStrings and the input row position of each."""
    _require_project_crs(gdf, layer)
    geoms = shapely.force_2d(np.asarray(gdf.geometry.values, dtype=object))
    parts, rows = shapely.get_parts(geoms, return_index=True)
    is_line = shapely.get_type_id(parts) == 1
    return parts[is_line], rows[is_line]


def _end_distances(
    ends: np.ndarray, lines: np.ndarray, grid: float, which: np.ndarray, limit: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Network distances (along the input lines, joined only where their ends coincide on the
    grid) from the ends ``which`` to every end, up to ``limit`` metres (inf beyond).

    Returns the node of every end, the rows of ``which`` mapped to distinct nodes, and the
    distance matrix (one row per distinct node of ``which``, one column per node).
    """
    keys = np.round(ends / grid).astype(np.int64)
    _, node = np.unique(keys, axis=0, return_inverse=True)
    node = node.ravel()
    n_nodes = int(node.max()) + 1
    a, b = node[0::2], node[1::2]
    w = np.maximum(shapely.length(lines), 1e-9)
    ok = a != b
    a, b, w = np.minimum(a, b)[ok], np.maximum(a, b)[ok], w[ok]
    # parallel lines between the same two nodes: keep the shortest (coo -> csr would sum them)
    order = np.lexsort((w, b, a))
    a, b, w = a[order], b[order], w[order]
    keep = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])][: len(a)]
    mat = sparse.coo_matrix((w[keep], (a[keep], b[keep])), shape=(n_nodes, n_nodes)).tocsr()
    src, row = np.unique(node[which], return_inverse=True)
    dist = np.full((len(src), n_nodes), np.inf)
    for start in range(0, len(src), 512):
        dist[start:start + 512] = csgraph.dijkstra(
            mat, directed=False, indices=src[start:start + 512], limit=limit)
    return node, row.ravel(), dist


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
    n = len(lines)
    if n == 0 or tolerance <= 0:
        return lines, 0
    limit = 4.0 * tolerance
    coords = [shapely.get_coordinates(g) for g in lines]
    ends = np.array([[c[0], c[-1]] for c in coords]).reshape(-1, 2)  # 2 ends per line
    keys = np.round(ends / grid).astype(np.int64)
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    dangling = counts[inverse.ravel()] == 1
    d_idx = np.flatnonzero(dangling)
    moved = np.zeros(len(ends), bool)
    new_ends = ends.copy()
    if len(d_idx) == 0:
        return lines, 0
    node, row_of, net = _end_distances(ends, lines, grid, d_idx, limit)
    net_row = np.full(len(ends), -1)
    net_row[d_idx] = row_of

    # 1. dangling end to dangling end: complete-linkage groups, closest pairs first
    pairs = cKDTree(ends[d_idx]).query_pairs(tolerance, output_type="ndarray")
    if len(pairs):
        pa, pb = d_idx[pairs[:, 0]], d_idx[pairs[:, 1]]
        gap = np.hypot(*(ends[pa] - ends[pb]).T)
        # ends of the same line, or of lines already joined nearby, stay apart
        apart = (pa // 2 != pb // 2) & ~(net[net_row[pa], node[pb]] <= limit)
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
        moved = np.hypot(*(new_ends - ends).T) > grid

    # 2. dangling ends near another line (T-junction undershoots)
    rounded = np.round(new_ends / grid).astype(np.int64)
    _, inverse, counts = np.unique(rounded, axis=0, return_inverse=True, return_counts=True)
    d_idx = np.flatnonzero((counts[inverse.ravel()] == 1) & dangling)
    extend_to: dict[int, np.ndarray] = {}
    if len(d_idx):
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
        r = net_row[d_idx[e_pos]]
        along = np.minimum(net[r, node[2 * line_idx]] + at,
                           net[r, node[2 * line_idx + 1]] + length - at)
        ok = ~(along <= limit)
        e_pos, line_idx, dist, at = e_pos[ok], line_idx[ok], dist[ok], at[ok]
        order = np.lexsort((dist, e_pos))
        e_pos, line_idx, at = e_pos[order], line_idx[order], at[order]
        first = np.r_[True, e_pos[1:] != e_pos[:-1]][: len(e_pos)]
        targets = shapely.line_interpolate_point(lines[line_idx[first]], at[first])
        for ep, p in zip(e_pos[first], shapely.get_coordinates(targets), strict=True):
            extend_to[int(d_idx[ep])] = p
    out = []
    n_moved = int(moved.sum()) + len(extend_to)
    for i, c in enumerate(coords):
        c = c.copy()
        c[0], c[-1] = new_ends[2 * i], new_ends[2 * i + 1]
        if 2 * i in extend_to:
            c = np.vstack([extend_to[2 * i], c])
        if 2 * i + 1 in extend_to:
            c = np.vstack([c, extend_to[2 * i + 1]])
        out.append(c)
    return (_make_lines(out) if out else lines), n_moved


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


def _n_components(n_nodes: int, u: np.ndarray, v: np.ndarray) -> tuple[int, np.ndarray]:
    mat = sparse.coo_matrix((np.ones(len(u)), (u, v)), shape=(n_nodes, n_nodes))
    return csgraph.connected_components(mat, directed=False)


def _duplicates(lines: np.ndarray) -> np.ndarray:
    """Boolean mask of lines equal (either direction) to an earlier line, on a 1 cm grid."""
    norm = shapely.normalize(shapely.set_precision(lines, 0.01))
    wkb = pd.Series(shapely.to_wkb(norm))
    return wkb.duplicated().to_numpy()


def build_street_graph(
    streets: gpd.GeoDataFrame,
    *,
    dh_network: gpd.GeoDataFrame | None = None,
    heat_sources: gpd.GeoDataFrame | None = None,
    scenario: Scenario,
) -> StreetGraph:
    """Clean the street layer into a graph and join the existing mains and heat sources.

    Parameters
    ----------
    streets
        Street centrelines (LineString / MultiLineString, EPSG:25832); optional ``road_class``
        and ``name`` are kept per edge.
    dh_network
        Existing district-heating mains (LineStrings). Street edges lying along a main (within
        ``network.existing_main_tolerance_m`` for at least ``network.existing_main_min_share``
        of their length) become ``"existing"`` edges with no new trench; their nodes, and
        street nodes within the tolerance of a main, become feed points.
    heat_sources
        Feed points (Points) indexed by ``source_id``; each is linked to the nearest point of
        its nearest street within ``network.source_max_distance_m`` by a ``"source_link"``
        edge (the street edge is split there).
    scenario
        Uses ``network.snap_tolerance_m``, ``network.grid_size_m``,
        ``network.excluded_road_classes`` and the parameters above.

    Returns
    -------
    StreetGraph
        With ``report`` (:class:`CleaningReport`) saying what cleaning changed.

    Raises
    ------
    SchemaError
        If a layer is not in EPSG:25832.
    TopologyError
        If no street line remains after cleaning.
    """
    tol = float(scenario.value("network.snap_tolerance_m"))
    grid = float(scenario.value("network.grid_size_m"))
    excluded_classes = {str(c) for c in scenario.value("network.excluded_road_classes")}
    n_excluded = 0
    if excluded_classes and "road_class" in streets.columns:
        is_excluded = streets["road_class"].astype(str).isin(excluded_classes).to_numpy()
        n_excluded = int(is_excluded.sum())
        if n_excluded:
            logger.info("%d street lines of road class %s excluded from trenching", n_excluded,
                        sorted(excluded_classes))
    else:
        is_excluded = np.zeros(len(streets), bool)
    lines, rows = _lines(streets, "streets")
    keep_rows = ~is_excluded[rows]
    lines, rows = lines[keep_rows], rows[keep_rows]
    n_parts = len(lines)
    lengths = shapely.length(lines)
    zero = lengths < grid
    lines, rows = lines[~zero], rows[~zero]
    dup = _duplicates(lines)
    lines, rows = lines[~dup], rows[~dup]
    if len(lines) == 0:
        msg = "Layer streets has no line longer than the grid size after cleaning; check the layer."
        raise TopologyError(msg)

    # components of the noded input, before snapping
    raw_pieces = _node_lines(lines, grid)
    xy0, u0, v0 = _graph_arrays(raw_pieces, grid)
    comps_before, _ = _n_components(len(xy0), u0, v0)

    snapped, n_snapped = _snap_endpoints(lines, tol, grid)
    pieces = _node_lines(snapped, grid)
    xy, u, v = _graph_arrays(pieces, grid)
    # drop self-loops that snapping or noding may leave on tiny pieces
    loop = (u == v) & (shapely.length(pieces) < 2 * tol)
    pieces, u, v = pieces[~loop], u[~loop], v[~loop]
    overlap_m = max(0.0, float(shapely.length(snapped).sum() - shapely.length(pieces).sum()))

    # nodes that are no end of any (snapped) input line were created at crossings
    ends = np.vstack([
        shapely.get_coordinates(shapely.get_point(snapped, 0)),
        shapely.get_coordinates(shapely.get_point(snapped, -1)),
    ])
    end_keys = {tuple(k) for k in np.round(ends / grid).astype(np.int64)}
    node_keys = np.round(xy / grid).astype(np.int64)
    added = int(sum(tuple(k) not in end_keys for k in node_keys))

    # each piece inherits the attributes of the input line it lies on
    tree = shapely.STRtree(snapped)
    mid = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    _, nearest = tree.query_nearest(mid, all_matches=False)
    street_row = rows[nearest]

    attrs = pd.DataFrame(index=range(len(streets)))
    for col in ("road_class", "name", "type"):
        if col in streets.columns:
            attrs[col] = streets[col].to_numpy()

    n = len(xy)
    graph = StreetGraph(
        x=xy[:, 0].copy(), y=xy[:, 1].copy(), feed=np.full(n, "", dtype=object),
        u=u.astype(np.int64), v=v.astype(np.int64), length_m=shapely.length(pieces),
        kind=np.full(len(pieces), "street", dtype=object), geometry=pieces,
        street_row=street_row.astype(np.int64), street_attributes=attrs,
    )
    mains_joined = mains_missing = 0.0
    if dh_network is not None and len(dh_network):
        graph, mains_joined, mains_missing = _join_mains(graph, dh_network, scenario)
    sources_joined, sources_rejected = 0, ()
    if heat_sources is not None and len(heat_sources):
        graph, sources_joined, sources_rejected = _join_sources(graph, heat_sources, scenario)

    report = _report(
        graph, streets_rows=len(streets), parts=n_parts, zero=int(zero.sum()),
        dup=int(dup.sum()), overlap=overlap_m, snapped=n_snapped, added=added,
        before=comps_before,
    )
    report = replace(
        report, excluded_road_class=n_excluded,
        mains_joined_m=mains_joined, mains_not_joined_m=mains_missing,
        sources_joined=sources_joined, sources_rejected=tuple(sources_rejected),
    )
    logger.info("Street graph: %s", report.summary())
    return replace(graph, report=report)


def _report(
    graph: StreetGraph, *, streets_rows: int, parts: int, zero: int, dup: int, overlap: float,
    snapped: int, added: int, before: int,
) -> CleaningReport:
    n_comp, label = _n_components(graph.n_nodes, graph.u, graph.v)
    n_nodes = np.bincount(label, minlength=n_comp)
    n_edges = np.bincount(label[graph.u], minlength=n_comp)
    length = np.bincount(label[graph.u], weights=graph.length_m, minlength=n_comp)
    has_feed = np.bincount(label[graph.is_feed], minlength=n_comp) > 0
    cx = np.bincount(label, weights=graph.x, minlength=n_comp) / n_nodes
    cy = np.bincount(label, weights=graph.y, minlength=n_comp) / n_nodes
    comps = pd.DataFrame(
        {"n_nodes": n_nodes, "n_edges": n_edges, "length_m": length, "has_feed": has_feed,
         "x": cx, "y": cy}
    ).sort_values(["n_nodes", "length_m"], ascending=False, kind="stable")
    comps = comps.reset_index(drop=True).rename_axis("component")
    return CleaningReport(
        input_lines=streets_rows, input_parts=parts, zero_length_dropped=zero,
        duplicates_dropped=dup, overlap_removed_m=overlap, endpoints_snapped=snapped,
        nodes_added_at_crossings=added, n_nodes=graph.n_nodes, n_edges=graph.n_edges,
        length_m=float(graph.length_m.sum()), components_before=int(before),
        components_after=int(n_comp), component_sizes=tuple(int(s) for s in comps["n_nodes"]),
        components=comps,
    )


def _join_mains(
    graph: StreetGraph, mains: gpd.GeoDataFrame, scenario: Scenario
) -> tuple[StreetGraph, float, float]:
    """Mark street edges along existing mains as ``existing`` and their nodes as feed points."""
    tol = float(scenario.value("network.existing_main_tolerance_m"))
    share = float(scenario.value("network.existing_main_min_share"))
    main_lines, _ = _lines(mains, "dh_network")
    if len(main_lines) == 0:
        return graph, 0.0, 0.0
    main_tree = shapely.STRtree(main_lines)
    cand = np.unique(main_tree.query(graph.geometry, predicate="dwithin", distance=tol)[0])
    kind = graph.kind.copy()
    if len(cand):
        near = _share_near(graph.geometry[cand], main_tree, tol)
        kind[cand[near >= share]] = "existing"
    feed = graph.feed.copy()
    on_main = kind == "existing"
    feed[graph.u[on_main]] = EXISTING_NETWORK
    feed[graph.v[on_main]] = EXISTING_NETWORK
    # street nodes where a main crosses or ends near the street
    node_pts = shapely.points(graph.x, graph.y)
    near_nodes = np.unique(main_tree.query(node_pts, predicate="dwithin", distance=tol)[0])
    feed[near_nodes] = EXISTING_NETWORK
    joined = float(graph.length_m[on_main].sum())
    street_share = _share_near(main_lines, shapely.STRtree(graph.geometry), tol)
    missing = float(((1 - street_share) * shapely.length(main_lines)).sum())
    logger.info(
        "Existing mains: %d street edges (%.1f km) marked as existing network, %d feed nodes; "
        "%.0f m of mains lie away from streets", int(on_main.sum()), joined / 1000,
        int((feed == EXISTING_NETWORK).sum()), missing,
    )
    return replace(graph, kind=kind, feed=feed), joined, missing


def _share_near(lines: np.ndarray, tree: shapely.STRtree, tol: float, step: float = 2.0
                ) -> np.ndarray:
    """Share of each line's length within ``tol`` of a geometry in ``tree`` (sampled every
    ``step`` metres)."""
    k = np.maximum(np.ceil(shapely.length(lines) / step).astype(int), 1) + 1
    idx = np.repeat(np.arange(len(lines)), k)
    start = np.repeat(np.cumsum(k) - k, k)
    frac = (np.arange(len(idx)) - start) / np.repeat(k - 1, k)
    pts = shapely.line_interpolate_point(lines[idx], frac, normalized=True)
    hit = np.zeros(len(pts), bool)
    hit[np.unique(tree.query(pts, predicate="dwithin", distance=tol)[0])] = True
    return np.bincount(idx, weights=hit, minlength=len(lines)) / k


def _join_sources(
    graph: StreetGraph, sources: gpd.GeoDataFrame, scenario: Scenario
) -> tuple[StreetGraph, int, list[str]]:
    """Add each heat source as a node linked to the nearest point of the nearest street edge.

    The source is projected on the nearest street (or existing-main) edge, which is split
    there (:func:`_split_edges_at`); a ``"source_link"`` edge runs straight from the source to
    the split node. Sources farther than ``network.source_max_distance_m`` from every street
    are reported and not joined.
    """
    max_d = float(scenario.value("network.source_max_distance_m"))
    grid = float(scenario.value("network.grid_size_m"))
    _require_project_crs(sources, "heat_sources")
    ids = (sources["source_id"] if "source_id" in sources.columns else sources.index).astype(str)
    pts = shapely.force_2d(np.asarray(sources.geometry.values, dtype=object))
    sxy = shapely.get_coordinates(pts)
    street_idx = np.flatnonzero(graph.kind != "source_link")
    segs, seg_edge = _segments(graph.geometry[street_idx])
    (p_i, s_i), d = shapely.STRtree(segs).query_nearest(
        pts, return_distance=True, all_matches=False)
    dist = np.full(len(pts), np.inf)
    edge = np.full(len(pts), -1)
    dist[p_i] = d
    edge[p_i] = street_idx[seg_edge[s_i]]
    ok = dist <= max_d
    rejected = ids[~ok].tolist()
    for sid, dd in zip(rejected, dist[~ok], strict=True):
        logger.warning("Heat source %s is %.0f m from the nearest street (max %.0f m); "
                       "it is not joined", sid, dd, max_d)
    split, street_node, _, _ = _split_edges_at(graph, edge[ok], pts[ok], grid)
    k = int(ok.sum())
    n = split.n_nodes
    new_nodes = np.arange(n, n + k)
    node = np.full(len(ids), -1)
    node[ok] = new_nodes
    capacity = (pd.to_numeric(sources["capacity_mw"], errors="coerce").to_numpy(dtype=float)
                if "capacity_mw" in sources.columns else np.full(len(ids), np.nan))
    links = shapely.linestrings(
        np.stack([sxy[ok], np.c_[split.x[street_node], split.y[street_node]]], axis=1)
    ).reshape(-1)
    link_m = dist.copy()
    link_m[ok] = shapely.length(links)
    table = pd.DataFrame({"node": node, "link_m": link_m, "capacity_mw": capacity},
                         index=pd.Index(ids.to_numpy(), name="source_id"))
    g = replace(
        split,
        x=np.r_[split.x, sxy[ok, 0]], y=np.r_[split.y, sxy[ok, 1]],
        feed=np.r_[split.feed, ids[ok].to_numpy(dtype=object)],
        u=np.r_[split.u, new_nodes], v=np.r_[split.v, street_node],
        length_m=np.r_[split.length_m, shapely.length(links)],
        kind=np.r_[split.kind, np.full(k, "source_link", dtype=object)],
        geometry=np.r_[split.geometry, links],
        street_row=np.r_[split.street_row, np.full(k, -1)],
        sources=table,
    )
    return g, k, rejected


# ---------------------------------------------------------------------------------------------
# service connections


@dataclass(frozen=True)
class Connections:
    """How each property is linked to the street graph.

    ``graph`` is the street graph with its edges split at the connection points;
    ``service`` (index ``property_id``) holds ``node`` (the graph node the service pipe meets),
    ``length_m`` and the service-pipe LineString; ``rejected`` (index ``property_id``) holds
    every property that could not be linked, with ``reason`` and ``distance_m``.
    """

    graph: StreetGraph
    service: gpd.GeoDataFrame
    rejected: gpd.GeoDataFrame


def _split_lines(lines: np.ndarray, cut_line: np.ndarray, cut_pos: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Split lines at interior distances along them (metres), all at once.

    ``cut_line`` (sorted) and ``cut_pos`` (increasing within each line) give the cuts.
    Returns the pieces, in order along each split line, and the line index of each piece.
    """
    if len(cut_line) == 0:
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
    split = np.unique(cut_line)
    coords, which = shapely.get_coordinates(lines[split], return_index=True)
    which = split[which]
    step = np.r_[0.0, np.hypot(*np.diff(coords, axis=0).T)]
    new_line = np.r_[True, which[1:] != which[:-1]]
    step[new_line] = 0.0
    cum = np.cumsum(step)
    vertex_pos = cum - cum[np.flatnonzero(new_line)][np.cumsum(new_line) - 1]
    cut_xy = shapely.get_coordinates(shapely.line_interpolate_point(lines[cut_line], cut_pos))
    # each cut point ends one piece (kind 0) and starts the next (kind 2); vertices are kind 1
    line = np.r_[which, cut_line, cut_line]
    at = np.r_[vertex_pos, cut_pos, cut_pos]
    kind = np.r_[np.ones(len(which)), np.zeros(len(cut_line)), np.full(len(cut_line), 2.0)]
    xy = np.vstack([coords, cut_xy, cut_xy])
    order = np.lexsort((kind, at, line))
    line, kind, xy = line[order], kind[order], xy[order]
    starts = kind == 2
    starts[np.r_[True, line[1:] != line[:-1]]] = True
    piece = np.cumsum(starts) - 1
    pieces = shapely.linestrings(xy, indices=piece)
    return pieces, line[starts]


def _split_edges_at(
    graph: StreetGraph, e: np.ndarray, pts: np.ndarray, grid: float
) -> tuple[StreetGraph, np.ndarray, int, int]:
    """Split edges ``e`` at the points nearest to ``pts`` (one point per edge entry).

    A point within ``grid`` of an edge end uses that end node; split points on one edge are
    sorted along it and points closer than ``grid`` share a node. New nodes on an existing
    main are feed points. Returns the split graph, the node of every point, and the numbers
    of edges split and nodes added.
    """
    lines = graph.geometry[e]
    pos = shapely.line_locate_point(lines, pts)
    elen = graph.length_m[e]
    # ends snap to the existing end nodes
    node_of = np.full(len(e), -1)
    node_of[pos <= grid] = graph.u[e[pos <= grid]]
    node_of[pos >= elen - grid] = graph.v[e[pos >= elen - grid]]
    interior = node_of < 0

    n0 = graph.n_nodes
    ii = np.flatnonzero(interior)
    order = ii[np.lexsort((pos[ii], e[ii]))]
    e_s, p_s = e[order], pos[order]
    # one cut per edge and position; positions closer than the grid share a cut
    new_cut = np.ones(len(order), bool)
    new_cut[1:] = (e_s[1:] != e_s[:-1]) | (np.diff(p_s) > grid)
    cut_id = np.cumsum(new_cut) - 1
    node_of[order] = n0 + cut_id
    cut_edge, cut_pos = e_s[new_cut], p_s[new_cut]
    split_edges, n_cuts = np.unique(cut_edge, return_counts=True)
    pieces, piece_edge = _split_lines(graph.geometry, cut_edge, cut_pos)
    cut_xy = shapely.get_coordinates(
        shapely.line_interpolate_point(graph.geometry[cut_edge], cut_pos)).reshape(-1, 2)
    # chains u -> cut 1 -> ... -> cut k -> v along each split edge
    first_cut = np.r_[0, np.cumsum(n_cuts)[:-1]]
    piece_no = np.arange(len(piece_edge)) - np.repeat(first_cut + np.arange(len(n_cuts)),
                                                       n_cuts + 1)
    edge_pos = np.repeat(np.arange(len(split_edges)), n_cuts + 1)
    last = piece_no == n_cuts[edge_pos]
    add_u = np.where(piece_no == 0, graph.u[piece_edge],
                     n0 + first_cut[edge_pos] + piece_no - 1)
    add_v = np.where(last, graph.v[piece_edge], n0 + first_cut[edge_pos] + piece_no)
    keep = np.ones(graph.n_edges, bool)
    keep[split_edges] = False
    new_feed = np.where(graph.kind[cut_edge] == "existing", EXISTING_NETWORK, "").astype(object)
    split_graph = replace(
        graph,
        x=np.r_[graph.x, cut_xy[:, 0]], y=np.r_[graph.y, cut_xy[:, 1]],
        feed=np.r_[graph.feed, new_feed],
        u=np.r_[graph.u[keep], add_u.astype(np.int64)],
        v=np.r_[graph.v[keep], add_v.astype(np.int64)],
        length_m=np.r_[graph.length_m[keep], shapely.length(pieces)],
        kind=np.r_[graph.kind[keep], graph.kind[piece_edge]],
        geometry=np.r_[graph.geometry[keep], pieces],
        street_row=np.r_[graph.street_row[keep], graph.street_row[piece_edge]],
    )
    return split_graph, node_of, len(split_edges), len(cut_edge)


def _segments(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every straight 2-point segment of ``lines`` and the line it belongs to."""
    coords, which = shapely.get_coordinates(lines, return_index=True)
    same = which[1:] == which[:-1]
    start = np.flatnonzero(same)
    pairs = np.stack([coords[start], coords[start + 1]], axis=1)
    return shapely.linestrings(pairs), which[start]


def connect_properties(
    graph: StreetGraph, properties: gpd.GeoDataFrame, *, scenario: Scenario
) -> Connections:
    """Link each property to the nearest street edge that reaches a feed point.

    The property's representative point (a point inside its polygon) is projected on the
    nearest edge of a connected piece holding a feed point; the edge is split there and the
    service pipe runs straight from the point to the split. Split points on one edge are sorted
    along it; points closer than ``network.grid_size_m`` share a node.

    Parameters
    ----------
    graph
        From :func:`build_street_graph`; needs at least one feed point to link anything.
    properties
        Indexed by ``property_id``; Point or (Multi)Polygon geometry in EPSG:25832.
    scenario
        Uses ``network.service_max_distance_m`` and ``network.grid_size_m``.

    Returns
    -------
    Connections
        The split graph, the service pipes and the rejected properties with their reason.
    """
    max_d = float(scenario.value("network.service_max_distance_m"))
    grid = float(scenario.value("network.grid_size_m"))
    ids = properties.index.to_numpy()
    geoms = shapely.force_2d(np.asarray(properties.geometry.values, dtype=object))
    pts = np.where(shapely.get_type_id(geoms) == 0, geoms, shapely.point_on_surface(geoms))

    labels = graph.components()
    feed_comps = np.unique(labels[graph.is_feed])
    usable = np.isin(labels[graph.u], feed_comps) & (graph.kind != "source_link")
    usable_idx = np.flatnonzero(usable)
    all_idx = np.flatnonzero(graph.kind != "source_link")

    edge_of = np.full(len(pts), -1)
    dist = np.full(len(pts), np.inf)
    if len(usable_idx):
        segs, seg_edge = _segments(graph.geometry[usable_idx])
        tree = shapely.STRtree(segs)
        (p_i, e_i), d = tree.query_nearest(
            pts, max_distance=max_d, return_distance=True, all_matches=False
        )
        edge_of[p_i] = usable_idx[seg_edge[e_i]]
        dist[p_i] = d
    failed = np.flatnonzero(edge_of < 0)
    reasons = np.empty(len(failed), dtype=object)
    fail_d = np.full(len(failed), np.nan)
    if len(failed):
        tree_all = shapely.STRtree(graph.geometry[all_idx])
        (p_j, e_j), d2 = tree_all.query_nearest(
            pts[failed], return_distance=True, all_matches=False
        )
        fail_d[p_j] = d2
        near_e = all_idx[e_j]
        reasons[:] = f"farther than {max_d:g} m from any street"
        unreachable = (d2 <= max_d) & ~np.isin(labels[graph.u[near_e]], feed_comps)
        reasons[p_j[unreachable]] = (
            "nearest street lies on a piece of the street graph that reaches no existing "
            "network or heat source"
        )
        if not len(feed_comps):
            reasons[:] = "the street graph has no feed point (no existing main or heat source)"
    rejected = gpd.GeoDataFrame(
        {"reason": reasons, "distance_m": fail_d},
        geometry=geoms[failed], index=pd.Index(ids[failed], name=properties.index.name),
        crs=graph.crs,
    )

    ok = np.flatnonzero(edge_of >= 0)
    split_graph, node_of, n_split, n_added = _split_edges_at(graph, edge_of[ok], pts[ok], grid)
    node_xy = np.c_[split_graph.x[node_of], split_graph.y[node_of]]
    service_geom = shapely.linestrings(
        np.stack([shapely.get_coordinates(pts[ok]), node_xy], axis=1)
    )
    service = gpd.GeoDataFrame(
        {"node": node_of, "length_m": shapely.length(service_geom)},
        geometry=service_geom, index=pd.Index(ids[ok], name=properties.index.name),
        crs=graph.crs,
    )
    logger.info(
        "Connected %d of %d properties (%d edges split, %d nodes added); %d rejected",
        len(ok), len(pts), n_split, n_added, len(failed),
    )
    return Connections(split_graph, service, rejected)
