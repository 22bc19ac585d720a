"""Local streets of the synthetic sample: parcelhus loops, cul-de-sacs and estate roads.

Each neighbourhood cell gets a street pattern typical of its kind: families of gently curving
parallel streets, many cut short into cul-de-sacs (stikveje), or a loop road (ringvej) inset
from the cell's collector roads with cul-de-sacs inside it. The street pieces of the whole
town are then noded at every crossing and reduced to the connected network that reaches the
main roads. Coordinates are metres in EPSG:25832.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from heatplan.sample.layout import bend, spread_points

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pattern:
    """Street pattern parameters of one neighbourhood kind (lengths in metres)."""

    spacing: float
    """Distance between neighbouring parallel streets."""
    amplitude: float
    """Sideways wiggle of a street."""
    wavelength: float
    cul_de_sac: float
    """Share of streets cut short into a cul-de-sac."""
    ring: float
    """Probability that a block gets a loop road (ringvej) with streets inside it."""
    spine: float = 0.0
    """Probability that a block gets a spine road with short cul-de-sacs (stikveje) off it."""


PATTERNS: dict[str, Pattern] = {
    "centre": Pattern(115.0, 8.0, 450.0, 0.15, 0.0),
    "apartments": Pattern(150.0, 12.0, 500.0, 0.6, 0.3),
    "industrial": Pattern(175.0, 4.0, 900.0, 0.4, 0.0),
    "terraced": Pattern(66.0, 10.0, 360.0, 0.6, 0.25, 0.5),
    "villa": Pattern(80.0, 16.0, 420.0, 0.45, 0.35, 0.35),
    "loose_villa": Pattern(96.0, 20.0, 480.0, 0.4, 0.35, 0.25),
    "sparse_villa": Pattern(125.0, 24.0, 520.0, 0.3, 0.0),
    "hamlet": Pattern(160.0, 30.0, 700.0, 0.5, 0.0, 1.0),
}


def _wiggly_lines(
    poly: Polygon, p: Pattern, theta: float, rng: np.random.Generator,
    offsets: np.ndarray | None = None,
) -> list[LineString]:
    """Parallel wiggly lines across ``poly`` at ``p.spacing``, clipped to ``poly``.

    ``offsets`` (metres sideways from the centroid) replaces the regular spacing, e.g. one
    line through the middle.
    """
    c = np.array([poly.centroid.x, poly.centroid.y])
    xmin, ymin, xmax, ymax = poly.bounds
    half = 0.5 * np.hypot(xmax - xmin, ymax - ymin) + p.spacing
    u = np.array([np.cos(theta), np.sin(theta)])
    n = np.array([-u[1], u[0]])
    t = np.arange(-half, half + 20.0, 20.0)
    if offsets is None:
        offsets = np.arange(-half + rng.uniform(0.2, 0.8) * p.spacing, half, p.spacing)
    out: list[LineString] = []
    for off in offsets:
        phase = rng.uniform(0.0, 2.0 * np.pi)
        amp = p.amplitude * rng.uniform(0.5, 1.0)
        wig = amp * np.sin(2.0 * np.pi * t / p.wavelength + phase)
        pts = c + np.outer(t, u) + np.outer(off + wig, n)
        clipped = shapely.intersection(LineString(pts), poly)
        out.extend(g for g in shapely.get_parts(shapely.line_merge(clipped))
                   if isinstance(g, LineString) and g.length > 50.0)
    return out


def _middle_line(poly: Polygon, p: Pattern, theta: float, rng: np.random.Generator
                 ) -> list[LineString]:
    """The longest piece of one wiggly line through (about) the middle of ``poly``."""
    off = np.array([rng.uniform(-0.1, 0.1) * np.sqrt(poly.area)])
    lines = _wiggly_lines(poly, p, theta, rng, offsets=off)
    return sorted(lines, key=lambda g: -g.length)[:1]


def _cut(line: LineString, from_start: float, from_end: float) -> LineString:
    return substring(line, from_start, line.length - from_end)


def _finish_pieces(
    pieces: list[LineString],
    connected: BaseGeometry,
    p: Pattern,
    rng: np.random.Generator,
) -> list[LineString]:
    """Trim ends that do not reach ``connected`` and cut some streets into cul-de-sacs."""
    out = []
    for line in pieces:
        a, b = shapely.get_point(line, 0), shapely.get_point(line, -1)
        a_ok = shapely.distance(a, connected) < 1.0
        b_ok = shapely.distance(b, connected) < 1.0
        cut_a = 0.0 if a_ok else 30.0
        cut_b = 0.0 if b_ok else 30.0
        if a_ok and b_ok and line.length > 150.0 and rng.random() < p.cul_de_sac:
            cut = rng.uniform(35.0, 0.45 * line.length)
            if rng.random() < 0.5:
                cut_a = cut
            else:
                cut_b = cut
        if line.length - cut_a - cut_b > 45.0:
            out.append(_cut(line, cut_a, cut_b))
    return out


def _long_axis_angle(poly: Polygon) -> float:
    rect = np.asarray(poly.minimum_rotated_rectangle.exterior.coords)
    e1, e2 = rect[1] - rect[0], rect[2] - rect[1]
    e = e1 if np.hypot(*e1) >= np.hypot(*e2) else e2
    return float(np.arctan2(e[1], e[0]))


SUBCELL_AREA_M2 = 230_000.0
"""Typical area of one block of uniform street pattern inside a neighbourhood, m²."""


GREEN_SHARE = {"terraced": 0.12, "villa": 0.2, "loose_villa": 0.22, "apartments": 0.15}
"""Share of blocks left green (park, playing fields, allotments) by kind of neighbourhood."""


def _block_streets(
    block: Polygon, kind: str, connected: BaseGeometry, rng: np.random.Generator
) -> list[tuple[LineString, str]]:
    """Streets of one block: a loop road with streets inside, or parallel streets."""
    p = PATTERNS[kind]
    theta = _long_axis_angle(block) + rng.uniform(-0.4, 0.4)
    if rng.random() < 0.3:
        theta += np.pi / 2
    result: list[tuple[LineString, str]] = []
    inner: Polygon | None = None
    style = rng.random()
    if p.ring <= style < p.ring + p.spine:
        spine = _spine_streets(block, p, theta, connected, rng)
        if spine:
            return spine
    if style < p.ring:
        opened = block.buffer(-0.9 * p.spacing).buffer(-50.0).buffer(50.0)
        parts = sorted(shapely.get_parts(opened), key=lambda g: -g.area)
        if parts and parts[0].area > 0.3 * block.area:
            inner = parts[0]
    if inner is None:
        pieces = _wiggly_lines(block, p, theta, rng)
        result.extend((g, "local") for g in _finish_pieces(pieces, connected, p, rng))
        return result
    ring = LineString(inner.exterior.coords)
    result.append((ring, "local"))
    roads_here = shapely.intersection(connected, block.buffer(1.0))
    n_spur = int(rng.integers(2, 4))
    start = rng.uniform(0.0, 1.0)
    for k in range(n_spur):
        if roads_here.is_empty:
            break
        pt = ring.interpolate((start + k / n_spur) % 1.0, normalized=True)
        spur = shapely.shortest_line(pt, roads_here)
        if spur is not None and 5.0 < spur.length < 2.5 * p.spacing:
            result.append((spur, "local"))
    pieces = _wiggly_lines(inner, p, theta, rng)
    result.extend((g, "local") for g in _finish_pieces(pieces, ring, p, rng))
    return result


def _spine_streets(
    block: Polygon, p: Pattern, theta: float, connected: BaseGeometry,
    rng: np.random.Generator,
) -> list[tuple[LineString, str]]:
    """A spine road across the block with short cul-de-sacs (stikveje) on both sides.

    The typical 1960s–70s layout: every 2–3 plot widths a dead-end side street of 50–130 m
    leaves the spine, ending well before the surrounding roads.
    """
    across = Pattern(2.0 * np.sqrt(block.area), p.amplitude, p.wavelength, 0.0, 0.0)
    spines = _finish_pieces(_middle_line(block, across, theta, rng), connected, across, rng)
    if not spines or spines[0].length < 150.0:
        return []
    spine = spines[0]
    inner = block.buffer(-0.45 * p.spacing - 15.0)
    step = 1.15 * p.spacing
    pos = np.arange(rng.uniform(40.0, 40.0 + step), spine.length - 40.0, step)
    if len(pos) == 0:
        return []
    pts = shapely.get_coordinates(shapely.line_interpolate_point(spine, pos))
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(spine, pos + 1.0))
    t = ahead - pts
    t /= np.maximum(np.hypot(t[:, 0], t[:, 1]), 1e-9)[:, None]
    normal = np.column_stack([-t[:, 1], t[:, 0]])
    out: list[tuple[LineString, str]] = [(spine, "local")]
    for side in (1.0, -1.0):
        length = rng.uniform(60.0, 140.0, len(pos))
        for k in range(len(pos)):
            stub = LineString([pts[k], pts[k] + side * length[k] * normal[k]])
            part = stub.intersection(inner)
            pieces = [g for g in shapely.get_parts(part) if isinstance(g, LineString)]
            # keep the piece that starts at the spine; a stub must touch it
            start = shapely.Point(pts[k])
            pieces = [g for g in pieces if g.distance(start) < 0.05 * g.length + 18.0]
            if not pieces:
                continue
            g = pieces[0]
            if g.length < 40.0:
                continue
            # reconnect to the spine if the inner polygon cut the first metres
            coords = shapely.get_coordinates(g)
            if np.hypot(*(coords[0] - pts[k])) > 0.01:
                g = LineString([pts[k], *coords[1:]]) if np.hypot(*(coords[-1] - pts[k])) > \
                    np.hypot(*(coords[0] - pts[k])) else LineString([pts[k], *coords[:-1][::-1]])
            out.append((shapely.set_precision(g, 0.01), "local"))
    return out


def local_streets(
    cell: Polygon, kind: str, main_roads: BaseGeometry, rng: np.random.Generator
) -> list[tuple[LineString, str]]:
    """Return the local streets of one cell with their road class.

    Large cells are split into blocks by a few internal distributor roads (a small Voronoi
    diagram, bent like the main roads); each block gets its own orientation and pattern.
    ``main_roads`` are the arterial and collector lines; streets end on them or on each other,
    never on the municipal border.
    """
    if kind == "open":
        return _green_paths(cell, main_roads, rng, road_class="track", n=2)
    if kind not in PATTERNS:
        return []
    n_sub = int(np.clip(round(cell.area / SUBCELL_AREA_M2), 1, 6))
    if kind in ("hamlet", "industrial", "centre", "sparse_villa") or n_sub < 2:
        return _block_streets(cell, kind, main_roads, rng)
    spacing = 0.75 * np.sqrt(cell.area / n_sub)
    seeds = spread_points(rng, cell, spacing, n_try=400)
    if len(seeds) < 2:
        return _block_streets(cell, kind, main_roads, rng)
    edges = shapely.voronoi_polygons(
        shapely.multipoints(seeds), extend_to=cell.buffer(500.0), only_edges=True
    )
    inner_edges = [
        bend(LineString([g.coords[0], g.coords[-1]]), rng, 0.08, step=15.0)
        for g in shapely.get_parts(shapely.line_merge(shapely.intersection(edges, cell)))
        if isinstance(g, LineString) and g.length > 40.0
    ]
    inner_edges = _finish_pieces(inner_edges, main_roads, PATTERNS["hamlet"], rng)
    inner_edges = [shapely.set_precision(g, 0.01) for g in inner_edges]
    result: list[tuple[LineString, str]] = [(g, "local") for g in inner_edges]
    connected = shapely.union_all([main_roads, *inner_edges])
    noded = shapely.unary_union([cell.exterior, *inner_edges], grid_size=0.01)
    blocks = [b for b in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
              if b.area > 5_000.0]
    blocks = sorted(blocks, key=lambda b: (round(b.centroid.x), round(b.centroid.y)))
    n_green = min(round(GREEN_SHARE.get(kind, 0.0) * len(blocks)), len(blocks) - 1)
    green = np.zeros(len(blocks), bool)
    green[rng.permutation(len(blocks))[:n_green]] = True
    for block, is_green in zip(blocks, green, strict=True):
        if is_green:
            result.extend(_green_paths(block, connected, rng))
        else:
            result.extend(_block_streets(block, kind, connected, rng))
    return result


def _green_paths(
    block: Polygon, connected: BaseGeometry, rng: np.random.Generator,
    road_class: str = "path", n: int = 1,
) -> list[tuple[LineString, str]]:
    """Foot and cycle paths (stier) across a green block, or field roads across open land."""
    out = []
    for k in range(n):
        theta = _long_axis_angle(block) + rng.uniform(-0.3, 0.3) + k * np.pi / 2
        across = Pattern(2.0 * np.sqrt(block.area), 20.0, 400.0, 0.0, 0.0)
        paths = _middle_line(block, across, theta, rng)
        out += [(g, road_class) for g in _finish_pieces(paths, connected, across, rng)]
    return out


NODING_GRID_M = 0.1
"""Grid the street network is snap-rounded to when it is noded, metres."""


MERGE_NODES_M = 1.0
"""Junctions closer than this (a tiny segment between them) are merged into one, metres."""


def _merge_close_nodes(segs: np.ndarray, tolerance: float) -> np.ndarray:
    """Collapse segments shorter than ``tolerance`` into a single junction.

    The ends of every other segment at either junction move to the junction with the smaller
    coordinates, so the network stays connected without slivers.
    """
    from scipy import sparse
    from scipy.sparse import csgraph

    n = len(segs)
    ends = np.vstack([shapely.get_coordinates(shapely.get_point(segs, 0)),
                      shapely.get_coordinates(shapely.get_point(segs, -1))])
    nodes, inverse = np.unique(np.round(ends, 3), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    a, b = inverse[:n], inverse[n:]
    short = shapely.length(segs) < tolerance
    graph = sparse.coo_matrix((np.ones(short.sum()), (a[short], b[short])),
                              shape=(len(nodes), len(nodes)))
    _, label = csgraph.connected_components(graph, directed=False)
    first = np.full(label.max() + 1, len(nodes))
    np.minimum.at(first, label, np.arange(len(nodes)))  # nodes are sorted: smallest x, y
    target = nodes[first[label]]
    out = []
    for i, seg in enumerate(segs):
        if short[i] or (label[a[i]] == label[b[i]] and len(shapely.get_coordinates(seg)) < 3):
            continue
        c = shapely.get_coordinates(seg).copy()
        c[0], c[-1] = target[a[i]], target[b[i]]
        line = LineString(c)
        if line.length >= tolerance:
            out.append(line)
    return np.asarray(out, dtype=object)


def node_network(streets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Node ``streets`` at every crossing and keep the largest connected component.

    Returns one row per segment between junctions with the attributes of the street it came
    from (``road_class``, ``name``, ``street_id``), sorted deterministically.
    """
    # snap-rounding to 10 cm nodes the near-misses (about 1 cm) that clipping leaves at
    # T-junctions, so street ends that meet a street share its node exactly
    noded = shapely.unary_union(streets.geometry.to_numpy(), grid_size=NODING_GRID_M)
    segs = _merge_close_nodes(shapely.get_parts(noded), MERGE_NODES_M)
    mids = shapely.line_interpolate_point(segs, 0.5, normalized=True)
    tree = shapely.STRtree(streets.geometry.to_numpy())
    src = tree.nearest(mids)
    g = nx.Graph()
    start = np.round(shapely.get_coordinates(shapely.get_point(segs, 0)), 2)
    end = np.round(shapely.get_coordinates(shapely.get_point(segs, -1)), 2)
    for i, (a, b) in enumerate(zip(map(tuple, start), map(tuple, end), strict=True)):
        g.add_edge(a, b, key=i)
        g.add_node(("seg", i))
        g.add_edge(a, ("seg", i))
    comps = sorted(nx.connected_components(g), key=len, reverse=True)
    main = comps[0]
    keep = np.array([("seg", i) in main for i in range(len(segs))])
    if (~keep).any():
        logger.info("Dropped %d street segments not connected to the network", int((~keep).sum()))
    out = streets.iloc[src[keep]].drop(columns="geometry").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry=list(segs[keep]), crs=streets.crs)
