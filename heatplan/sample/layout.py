"""The town skeleton of the synthetic sample: boundary, main roads and neighbourhood cells.

The municipality is a smooth irregular blob of about 34 km² inside Ballerup's real extent. Its
main road network is the edge set of a Voronoi diagram of well-spread seed points, each edge
gently bent so the roads curve; two or three chains of edges across the town are arterials, the
rest collector roads. The polygons between the roads are the neighbourhood cells that become
energy districts (or stay open land). Coordinates are metres in EPSG:25832.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString, MultiPoint, Polygon

logger = logging.getLogger(__name__)

EXTENT = (705_000.0, 6_177_500.0, 715_500.0, 6_185_000.0)
"""Ballerup Kommune's real bounding box in EPSG:25832 (xmin, ymin, xmax, ymax), metres."""

MUNICIPAL_AREA_M2 = 34.0e6
"""Area of the synthetic municipality (Ballerup: about 34 km²), m²."""

CENTRE = (710_250.0, 6_181_250.0)
"""Centre of the synthetic municipality, EPSG:25832 metres."""

TOWNS: dict[str, tuple[float, float, float]] = {
    # postcode and town: x, y of the town centre (m) and its pull (larger = bigger town)
    "2750 Ballerup": (710_300.0, 6_181_500.0, 1.0),
    "2740 Skovlunde": (713_300.0, 6_180_000.0, 0.8),
    "2760 Måløv": (707_400.0, 6_182_900.0, 0.75),
}
"""The three towns of the municipality; each property takes the postcode of the nearest one."""

BORDER_SIMPLIFY_M = 90.0
"""Tolerance that turns the smooth outline into a border of straight stretches, metres."""

SEED_SPACING_M = 760.0
"""Minimum distance between Voronoi seeds, i.e. the typical neighbourhood size, metres."""


@dataclass(frozen=True)
class Skeleton:
    """Boundary, main roads and cells of the synthetic town."""

    boundary: Polygon
    roads: gpd.GeoDataFrame
    """Main roads: LineString, ``road_class`` (``arterial``/``collector``), ``road_id`` and
    ``artery`` (which of the arterial routes the edge belongs to; -1 for collectors)."""
    cells: gpd.GeoDataFrame
    """Neighbourhood polygons between the main roads: ``cell_id``, ``town_score``."""


def make_boundary(rng: np.random.Generator) -> Polygon:
    """Return a smooth irregular municipal boundary of :data:`MUNICIPAL_AREA_M2` in the extent."""
    theta = np.linspace(0.0, 2.0 * np.pi, 360, endpoint=False)
    radius = np.ones_like(theta)
    for k in range(2, 17):
        amp = rng.uniform(0.04, 0.10) / (k - 1) ** 0.8
        radius += amp * np.cos(k * theta + rng.uniform(0.0, 2.0 * np.pi))
    x = 1.42 * radius * np.cos(theta)
    y = 0.92 * radius * np.sin(theta)
    poly = Polygon(np.column_stack([x, y]))
    factor = np.sqrt(MUNICIPAL_AREA_M2 / poly.area)
    coords = np.asarray(poly.exterior.coords) * factor + np.asarray(CENTRE)
    # straight stretches and corners, as a border drawn along old field boundaries
    poly = Polygon(coords).simplify(BORDER_SIMPLIFY_M)
    poly = shapely.affinity.scale(poly, *(2 * [np.sqrt(MUNICIPAL_AREA_M2 / poly.area)]))
    box = shapely.box(*EXTENT).buffer(-150.0, join_style="mitre")
    poly = poly.intersection(box)
    return shapely.set_precision(poly, 0.01)


def spread_points(
    rng: np.random.Generator, polygon: Polygon, spacing: float, n_try: int = 6000
) -> np.ndarray:
    """Return points inside ``polygon`` no closer than ``spacing`` metres (dart throwing)."""
    xmin, ymin, xmax, ymax = polygon.bounds
    pts = np.column_stack(
        [rng.uniform(xmin, xmax, n_try), rng.uniform(ymin, ymax, n_try)]
    )
    inside = shapely.contains_xy(polygon.buffer(-0.3 * spacing), pts[:, 0], pts[:, 1])
    kept: list[np.ndarray] = []
    for p in pts[inside]:
        if not kept or np.min(np.hypot(*(np.asarray(kept) - p).T)) >= spacing:
            kept.append(p)
    return np.asarray(kept)


def bend(line: LineString, rng: np.random.Generator, rel_amp: float, step: float = 25.0
         ) -> LineString:
    """Return ``line`` bent sideways by a smooth bump; the end points stay where they are.

    The bump is ``sin(pi t)`` plus a smaller ``sin(2 pi t)`` term with amplitudes up to
    ``rel_amp`` times the line length, so roads between two junctions curve gently.
    """
    length = line.length
    if length < 2 * step:
        return line
    n = int(np.ceil(length / step)) + 1
    t = np.linspace(0.0, 1.0, n)
    pts = shapely.get_coordinates(shapely.line_interpolate_point(line, t, normalized=True))
    a, b = pts[0], pts[-1]
    d = b - a
    norm = np.hypot(*d)
    if norm == 0:
        return line
    normal = np.array([-d[1], d[0]]) / norm
    amp1 = rng.uniform(-rel_amp, rel_amp) * length
    amp2 = rng.uniform(-0.4 * rel_amp, 0.4 * rel_amp) * length
    off = amp1 * np.sin(np.pi * t) + amp2 * np.sin(2 * np.pi * t)
    return LineString(pts + off[:, None] * normal)


def _graph(lines: list[LineString]) -> nx.Graph:
    g = nx.Graph()
    for i, line in enumerate(lines):
        c = np.asarray(line.coords)
        a, b = tuple(np.round(c[0], 2)), tuple(np.round(c[-1], 2))
        g.add_edge(a, b, length=line.length, idx=i)
    return g


def make_skeleton(rng: np.random.Generator) -> Skeleton:
    """Build the boundary, arterial and collector roads and the cells between them."""
    boundary = make_boundary(rng)
    seeds = spread_points(rng, boundary, SEED_SPACING_M)
    edges = shapely.voronoi_polygons(
        MultiPoint(seeds), extend_to=boundary.buffer(3000.0), only_edges=True
    )
    clipped = shapely.intersection(edges, boundary)
    straight = [
        g for g in shapely.get_parts(shapely.line_merge(clipped)) if g.length > 30.0
    ]
    straight = [
        LineString([g.coords[0], g.coords[-1]]) for g in straight
    ]
    lines = [bend(g, rng, 0.07) for g in straight]
    logger.debug("%d main road edges from %d seeds", len(lines), len(seeds))

    # arterials: shortest paths across the town between opposite boundary points
    g = _graph(lines)
    ends = [n for n in g.nodes if g.degree[n] == 1]
    end_xy = np.asarray(ends)
    cx, cy = boundary.centroid.x, boundary.centroid.y
    road_class = np.array(["collector"] * len(lines), dtype=object)
    artery = np.full(len(lines), -1)
    for k, angle in enumerate((np.deg2rad(8.0), np.deg2rad(100.0), np.deg2rad(35.0))):
        u = np.array([np.cos(angle), np.sin(angle)])
        proj = (end_xy - [cx, cy]) @ u
        a, b = ends[int(np.argmin(proj))], ends[int(np.argmax(proj))]
        path = nx.shortest_path(g, a, b, weight="length")
        for p, q in itertools.pairwise(path):
            i = g.edges[p, q]["idx"]
            road_class[i] = "arterial"
            if artery[i] < 0:
                artery[i] = k
    roads = gpd.GeoDataFrame(
        {"road_id": [f"M{i:03d}" for i in range(len(lines))], "road_class": road_class,
         "artery": artery},
        geometry=lines,
        crs="EPSG:25832",
    )

    noded = shapely.unary_union([*lines, boundary.exterior], grid_size=0.01)
    cells = [c for c in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
             if c.area > 20_000.0]
    cells_gdf = gpd.GeoDataFrame(
        {"cell_id": [f"C{i:03d}" for i in range(len(cells))]},
        geometry=cells,
        crs="EPSG:25832",
    )
    cxy = shapely.get_coordinates(cells_gdf.geometry.centroid)
    score = np.full(len(cells), np.inf)
    for x, y, pull in TOWNS.values():
        score = np.minimum(score, np.hypot(cxy[:, 0] - x, cxy[:, 1] - y) / pull)
    cells_gdf["town_score"] = score
    logger.info(
        "Skeleton: %.1f km² boundary, %d main roads (%.0f km), %d cells",
        boundary.area / 1e6, len(roads), roads.length.sum() / 1e3, len(cells_gdf),
    )
    return Skeleton(boundary=boundary, roads=roads, cells=cells_gdf)


def nearest_town(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the postcode-and-town text of the nearest town centre for each point."""
    names = list(TOWNS)
    d = np.column_stack([np.hypot(x - tx, y - ty) / p for tx, ty, p in TOWNS.values()])
    return np.asarray(names, dtype=object)[np.argmin(d, axis=1)]
