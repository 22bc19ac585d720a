"""Service connections: each property linked to the nearest street edge that reaches a feed point.

:func:`connect_properties` links every property to the nearest street edge of a piece of the
street graph that reaches a feed point, splitting the edge there; properties that cannot be
linked are returned with their reason, never dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan.core.scenario import Scenario
from heatplan.plan.network.graph import StreetGraph
from heatplan.plan.network.splitting import edge_segments, split_edges_at

logger = logging.getLogger(__name__)


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


def _nearest_usable_edge(
    graph: StreetGraph, pts: np.ndarray, feed_comps: np.ndarray, labels: np.ndarray,
    max_d: float,
) -> np.ndarray:
    """The nearest street edge within ``max_d`` metres on a piece holding a feed point, for
    each point (-1 when there is none)."""
    usable = np.isin(labels[graph.u], feed_comps) & (graph.kind != "source_link")
    usable_idx = np.flatnonzero(usable)
    edge_of = np.full(len(pts), -1)
    if len(usable_idx):
        segs, seg_edge = edge_segments(graph.geometry[usable_idx])
        tree = shapely.STRtree(segs)
        (p_i, e_i), _ = tree.query_nearest(
            pts, max_distance=max_d, return_distance=True, all_matches=False
        )
        edge_of[p_i] = usable_idx[seg_edge[e_i]]
    return edge_of


def _rejection_reasons(
    graph: StreetGraph, pts: np.ndarray, feed_comps: np.ndarray, labels: np.ndarray,
    max_d: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Why each of the points ``pts`` could not be linked, and its distance to the nearest
    street edge in metres."""
    all_idx = np.flatnonzero(graph.kind != "source_link")
    reasons = np.empty(len(pts), dtype=object)
    fail_d = np.full(len(pts), np.nan)
    if not len(pts):
        return reasons, fail_d
    tree_all = shapely.STRtree(graph.geometry[all_idx])
    (p_j, e_j), d2 = tree_all.query_nearest(pts, return_distance=True, all_matches=False)
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
    return reasons, fail_d


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
        From :func:`heatplan.plan.network.build.build_street_graph`; needs at least one feed
        point to link anything.
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
    edge_of = _nearest_usable_edge(graph, pts, feed_comps, labels, max_d)
    failed = np.flatnonzero(edge_of < 0)
    reasons, fail_d = _rejection_reasons(graph, pts[failed], feed_comps, labels, max_d)
    rejected = gpd.GeoDataFrame(
        {"reason": reasons, "distance_m": fail_d},
        geometry=geoms[failed], index=pd.Index(ids[failed], name=properties.index.name),
        crs=graph.crs,
    )

    ok = np.flatnonzero(edge_of >= 0)
    split_graph, node_of, n_split, n_added = split_edges_at(graph, edge_of[ok], pts[ok], grid)
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
