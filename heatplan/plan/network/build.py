"""Building the street graph: the cleaned street layer with the existing mains and heat sources.

:func:`build_street_graph` cleans the street layer (:mod:`heatplan.plan.network.cleaning`),
joins the existing district-heating mains and the heat sources
(:mod:`heatplan.plan.network.feeds`) and reports what it changed and which connected pieces
reach a feed point (:class:`~heatplan.plan.network.graph.CleaningReport`).
"""

from __future__ import annotations

import logging
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan.core.scenario import Scenario
from heatplan.plan.network.cleaning import CleanedStreets, clean_street_lines, count_components
from heatplan.plan.network.feeds import join_mains, join_sources
from heatplan.plan.network.graph import CleaningReport, StreetGraph

logger = logging.getLogger(__name__)


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
    cleaned = clean_street_lines(streets, scenario=scenario)
    attrs = pd.DataFrame(index=range(len(streets)))
    for col in ("road_class", "name", "type"):
        if col in streets.columns:
            attrs[col] = streets[col].to_numpy()
    n = len(cleaned.xy)
    graph = StreetGraph(
        x=cleaned.xy[:, 0].copy(), y=cleaned.xy[:, 1].copy(), feed=np.full(n, "", dtype=object),
        u=cleaned.u.astype(np.int64), v=cleaned.v.astype(np.int64),
        length_m=shapely.length(cleaned.pieces),
        kind=np.full(len(cleaned.pieces), "street", dtype=object), geometry=cleaned.pieces,
        street_row=cleaned.street_row.astype(np.int64), street_attributes=attrs,
    )
    mains_joined = mains_missing = 0.0
    if dh_network is not None and len(dh_network):
        graph, mains_joined, mains_missing = join_mains(graph, dh_network, scenario)
    sources_joined, sources_rejected = 0, ()
    if heat_sources is not None and len(heat_sources):
        graph, sources_joined, sources_rejected = join_sources(graph, heat_sources, scenario)

    report = replace(
        _report(graph, cleaned),
        mains_joined_m=mains_joined, mains_not_joined_m=mains_missing,
        sources_joined=sources_joined, sources_rejected=tuple(sources_rejected),
    )
    logger.info("Street graph: %s", report.summary())
    return replace(graph, report=report)


def _report(graph: StreetGraph, cleaned: CleanedStreets) -> CleaningReport:
    """What cleaning changed and the connected pieces of ``graph`` (largest first)."""
    n_comp, label = count_components(graph.n_nodes, graph.u, graph.v)
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
        input_lines=cleaned.input_lines, input_parts=cleaned.input_parts,
        zero_length_dropped=cleaned.zero_length_dropped,
        duplicates_dropped=cleaned.duplicates_dropped,
        overlap_removed_m=cleaned.overlap_removed_m,
        endpoints_snapped=cleaned.endpoints_snapped,
        nodes_added_at_crossings=cleaned.nodes_added_at_crossings, n_nodes=graph.n_nodes,
        n_edges=graph.n_edges, length_m=float(graph.length_m.sum()),
        components_before=cleaned.components_before, components_after=int(n_comp),
        component_sizes=tuple(int(s) for s in comps["n_nodes"]), components=comps,
        excluded_road_class=cleaned.excluded_road_class,
    )
