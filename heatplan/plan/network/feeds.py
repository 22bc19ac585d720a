"""Joining the existing district-heating mains and the heat sources to the street graph.

Street edges along an existing main become zero-new-cost ``"existing"`` edges and their nodes
feed points (:func:`join_mains`); each heat source is linked to the nearest point of its nearest
street, splitting the street edge there (:func:`join_sources`).
"""

from __future__ import annotations

import logging
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan.core.scenario import Scenario
from heatplan.plan.network.cleaning import layer_lines, require_project_crs
from heatplan.plan.network.graph import EXISTING_NETWORK, StreetGraph
from heatplan.plan.network.splitting import edge_segments, split_edges_at

logger = logging.getLogger(__name__)


def join_mains(
    graph: StreetGraph, mains: gpd.GeoDataFrame, scenario: Scenario
) -> tuple[StreetGraph, float, float]:
    """Mark street edges along existing mains as ``existing`` and their nodes as feed points.

    Returns the graph, the metres of street marked as existing network and the metres of
    mains lying away from every street.
    """
    tol = float(scenario.value("network.existing_main_tolerance_m"))
    share = float(scenario.value("network.existing_main_min_share"))
    main_lines, _ = layer_lines(mains, "dh_network")
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
    ``step`` metres). Only lines that come within ``tol`` at all are sampled."""
    share = np.zeros(len(lines))
    near = np.unique(tree.query(lines, predicate="dwithin", distance=tol)[0])
    if len(near):
        share[near] = _sampled_share(lines[near], tree, tol, step)
    return share


def _sampled_share(lines: np.ndarray, tree: shapely.STRtree, tol: float, step: float
                   ) -> np.ndarray:
    k = np.maximum(np.ceil(shapely.length(lines) / step).astype(int), 1) + 1
    idx = np.repeat(np.arange(len(lines)), k)
    start = np.repeat(np.cumsum(k) - k, k)
    frac = (np.arange(len(idx)) - start) / np.repeat(k - 1, k)
    pts = shapely.line_interpolate_point(lines[idx], frac, normalized=True)
    hit = np.zeros(len(pts), bool)
    hit[np.unique(tree.query(pts, predicate="dwithin", distance=tol)[0])] = True
    return np.bincount(idx, weights=hit, minlength=len(lines)) / k


def join_sources(
    graph: StreetGraph, sources: gpd.GeoDataFrame, scenario: Scenario
) -> tuple[StreetGraph, int, list[str]]:
    """Add each heat source as a node linked to the nearest point of the nearest street edge.

    The source is projected on the nearest street (or existing-main) edge, which is split
    there (:func:`~heatplan.plan.network.splitting.split_edges_at`); a ``"source_link"`` edge
    runs straight from the source to the split node. Sources farther than
    ``network.source_max_distance_m`` from every street are reported and not joined. Returns
    the graph, the number of sources joined and the ids of those rejected.
    """
    max_d = float(scenario.value("network.source_max_distance_m"))
    grid = float(scenario.value("network.grid_size_m"))
    require_project_crs(sources, "heat_sources")
    ids = (sources["source_id"] if "source_id" in sources.columns else sources.index).astype(str)
    pts = shapely.force_2d(np.asarray(sources.geometry.values, dtype=object))
    sxy = shapely.get_coordinates(pts)
    street_idx = np.flatnonzero(graph.kind != "source_link")
    segs, seg_edge = edge_segments(graph.geometry[street_idx])
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
    split, street_node, _, _ = split_edges_at(graph, edge[ok], pts[ok], grid)
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
