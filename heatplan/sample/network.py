"""Existing district-heating mains and feed points of the synthetic sample.

The mains are a tree along the streets of the existing district-heating districts, grown from
the transmission connection by shortest paths, so every main shares its coordinates with a
street segment. Each main's nominal diameter follows the peak load of the buildings
downstream of it. Lengths metres, loads kW, capacities MW.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from shapely.geometry import Point

TRANSMISSION_DIRECTION = (716_500.0, 6_177_500.0)
"""Where the transmission line comes from (towards Vestforbrænding, Glostrup), EPSG:25832 m."""

PEAK_W_PER_M2 = 55.0
"""Design peak load per m² of heated area of the existing buildings, W (assumption)."""

DN_CAPACITY_KW = ((50, 350.0), (65, 650.0), (80, 1000.0), (100, 1900.0), (125, 3200.0),
                  (150, 5200.0), (200, 10_500.0), (250, 18_000.0), (300, 28_000.0),
                  (400, 55_000.0), (500, 90_000.0))
"""Nominal diameter (mm) and the peak load (kW) it carries at about 35 K spread (assumption)."""

SOURCES = (
    ("VF-TL-01", "Vestforbrænding transmissionsledning, Ballerup-afgrening", 60.0),
    ("BV-SPIDS-01", "Ballerup Varmecentral (spids- og reservelast)", 18.0),
)


def _key(xy: np.ndarray) -> list[tuple[float, float]]:
    return [tuple(p) for p in np.round(xy, 2)]


def existing_network(
    streets: gpd.GeoDataFrame, existing_area, buildings: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return the existing mains (``dn_mm``) and the feed points (``heat_sources``).

    ``streets`` are noded street segments, ``existing_area`` the union of the existing
    district-heating districts, ``buildings`` the properties there (``heated_area_m2``).
    """
    segs = streets.geometry.to_numpy()
    area = existing_area.buffer(2.0)
    shapely.prepare(area)
    inside = shapely.within(segs, area)
    sub = np.flatnonzero(inside)
    a = _key(shapely.get_coordinates(shapely.get_point(segs[sub], 0)))
    b = _key(shapely.get_coordinates(shapely.get_point(segs[sub], -1)))
    g = nx.Graph()
    for i, p, q in zip(sub, a, b, strict=True):
        g.add_edge(p, q, seg=int(i), length=float(segs[i].length))
    comp = max(nx.connected_components(g), key=len)
    g = g.subgraph(comp).copy()
    nodes = sorted(g.nodes)
    xy = np.asarray(nodes)
    tx, ty = TRANSMISSION_DIRECTION
    source = nodes[int(np.argmin(np.hypot(xy[:, 0] - tx, xy[:, 1] - ty)))]
    pred, dist = nx.dijkstra_predecessor_and_distance(g, source, weight="length")
    tree = nx.DiGraph()
    for q in sorted(pred):
        if pred[q]:
            p = min(pred[q])
            tree.add_edge(p, q, seg=g.edges[p, q]["seg"])
    # load: each building hangs on the nearest tree node
    bxy = shapely.get_coordinates(buildings.geometry.centroid)
    txy = np.asarray(list(tree.nodes))
    from scipy.spatial import cKDTree

    _, near = cKDTree(txy).query(bxy)
    load = np.zeros(len(txy))
    np.add.at(load, near, buildings["heated_area_m2"].to_numpy() * PEAK_W_PER_M2 / 1000.0)
    node_load = dict(zip(map(tuple, txy), load, strict=True))
    downstream = {}
    for node in sorted(tree.nodes, key=lambda n: -dist[n]):
        downstream[node] = node_load[node] + sum(downstream[c] for c in tree.successors(node))
    caps = np.asarray([c for _, c in DN_CAPACITY_KW])
    dns = np.asarray([d for d, _ in DN_CAPACITY_KW])
    rows_geom, rows_dn = [], []
    for _, q, data in tree.edges(data=True):
        kw = downstream[q]
        rows_geom.append(segs[data["seg"]])
        rows_dn.append(int(dns[min(np.searchsorted(caps, kw), len(dns) - 1)]))
    mains = gpd.GeoDataFrame({"dn_mm": rows_dn}, geometry=rows_geom, crs=streets.crs)
    mains = mains.iloc[np.lexsort((shapely.get_coordinates(
        shapely.get_point(mains.geometry.to_numpy(), 0))[:, 0], -mains["dn_mm"].to_numpy()))]
    far = max(dist, key=lambda n: (dist[n], n))
    sources = gpd.GeoDataFrame(
        {"source_id": [s[0] for s in SOURCES], "name": [s[1] for s in SOURCES],
         "capacity_mw": [s[2] for s in SOURCES]},
        geometry=[Point(source), Point(far)],
        crs=streets.crs,
    )
    return mains.reset_index(drop=True), sources

