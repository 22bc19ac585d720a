"""Trench routing: the tree of new mains that reaches every property to convert.

All feed points (nodes on the existing network and heat sources) are merged into one root; the
attachment points of the properties to convert in the routed districts (status
``candidate_dh`` or ``undecided``) are the terminals; a Steiner tree on the street graph, with
existing mains costing nothing, connects them (:mod:`heatplan.plan.network.steiner`,
:mod:`heatplan.plan.network.steiner_exact`). Because the tree is solved for all districts at
once, a district is fed through a neighbouring district's new mains wherever that is shorter.
The tree is oriented from the root; each segment carries the peak load of the consumers
downstream times the simultaneity factor and is sized and costed
(:mod:`heatplan.plan.network.pipes`).

Each segment belongs to one district: the district whose polygon holds it and whose consumers
it serves; a segment outside the districts it serves belongs to the one of them with the
largest downstream load. A district is fed from the owner of the segment above its most
upstream entry (another district, ``existing_network`` or a heat source id): the
``district_feed`` table, which is therefore always a tree.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from heatplan.core.errors import SchemaError, TopologyError
from heatplan.core.scenario import Scenario
from heatplan.plan.network.connections import Connections, connect_properties
from heatplan.plan.network.graph import StreetGraph
from heatplan.plan.network.pipes import simultaneity_factor, size_pipes
from heatplan.plan.network.steiner import SteinerResult, steiner_tree_approx
from heatplan.plan.network.steiner_exact import steiner_tree_exact

logger = logging.getLogger(__name__)

ROUTED_STATUSES = ("candidate_dh", "undecided")
"""District statuses whose properties to convert are routed."""

SteinerMethod = Literal["auto", "exact", "approx", "mehlhorn"]
"""How the Steiner tree is solved (see :func:`route_trenches`)."""


@dataclass(frozen=True)
class Routing:
    """The routed trenches and what follows from them (EPSG:25832).

    ``trenches`` (index ``segment_id``): LineString drawn from upstream to downstream,
    ``length_m``, ``dn``, ``peak_kw`` (downstream peak × simultaneity), ``n_consumers`` and
    ``downstream_peak_kw`` (sum without simultaneity), ``district_id``, ``upstream_segment``
    (empty at a feed point), ``fed_from`` (feed label at a feed point, else empty),
    ``is_feeder`` (also serves other districts), ``is_in_district`` (midpoint inside its
    district), ``cost_dkk``, ``kind`` (``street`` or ``source_link``), ``street_name`` and
    ``road_class`` (from the street layer, when it has them).
    ``service_pipes`` (index ``property_id``): LineString, ``length_m``, ``cost_dkk``,
    ``district_id``, ``segment_id`` (the segment it is tapped from; empty when tapped on an
    existing main or at a feed point).
    ``district_feed`` (index ``district_id``): ``fed_from``, ``feeder_trench_m``, ``n_entries``.
    ``district_summary`` (index ``district_id``): counts, trench metres and costs.
    ``rejected`` (index ``property_id``): properties not connected, with ``reason``.
    """

    trenches: gpd.GeoDataFrame
    service_pipes: gpd.GeoDataFrame
    district_feed: pd.DataFrame
    district_summary: pd.DataFrame
    rejected: gpd.GeoDataFrame
    report: dict[str, Any] = field(default_factory=dict)
    graph: StreetGraph | None = field(default=None, repr=False)
    """The street graph split at the service connections."""
    feed_points: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Index feed label (``existing_network`` or a ``source_id``): ``n_consumers``,
    ``downstream_peak_kw``, ``peak_kw`` (with simultaneity), ``capacity_kw`` (NaN when
    unknown) and ``is_over_capacity``."""


@dataclass(frozen=True)
class SteinerInstance:
    """The Steiner problem behind a routing: every feed point merged into node ``root``.

    ``u``, ``v``, ``weight`` (new trench metres) are the usable edges, ``edge_ids`` their
    positions in the street graph; ``node_map`` maps street-graph nodes to instance nodes.
    """

    n_nodes: int
    u: np.ndarray
    v: np.ndarray
    weight: np.ndarray
    terminals: np.ndarray
    root: int
    node_map: np.ndarray
    edge_ids: np.ndarray


def steiner_instance(graph: StreetGraph, nodes: np.ndarray) -> SteinerInstance:
    """Return the Steiner instance connecting street-graph ``nodes`` to the feed points.

    Feed points (existing network, heat sources) become one root node; edges along existing
    mains disappear inside it. Used by :func:`route_trenches` and by benchmarks that compare
    solvers on the same instance.
    """
    root = graph.n_nodes
    cmap = np.where(graph.is_feed, root, np.arange(graph.n_nodes))
    cu, cv = cmap[graph.u], cmap[graph.v]
    eidx = np.flatnonzero((cu != cv) & (graph.kind != "existing"))
    terminals = np.unique(np.r_[root, cmap[np.asarray(nodes, dtype=np.int64)]])
    return SteinerInstance(root + 1, cu[eidx], cv[eidx], graph.length_m[eidx], terminals,
                           root, cmap, eidx)


def routed_properties(
    properties: gpd.GeoDataFrame, districts: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The properties the rollout routes to: gas/oil heating in candidate or undecided districts.

    The one place that decides it (:data:`ROUTED_STATUSES`).
    """
    missing = [c for c in ("district_id", "peak_load_kw", "is_to_convert")
               if c not in properties.columns]
    if missing:
        msg = (f"properties lacks column(s) {missing} needed for routing; compute "
               "is_to_convert (model.heating) and peak_load_kw (model.demand) first.")
        raise SchemaError(msg)
    if "status" not in districts.columns:
        msg = "districts lacks column 'status' needed for routing."
        raise SchemaError(msg)
    routed = districts.index[districts["status"].isin(ROUTED_STATUSES)]
    mask = properties["is_to_convert"].fillna(False).astype(bool) & properties[
        "district_id"
    ].isin(routed)
    return properties.loc[mask]


def _solve(inst: SteinerInstance, *, method: SteinerMethod, scenario: Scenario) -> SteinerResult:
    """Solve the Steiner instance with ``method`` (exact MILP or approximation)."""
    n, u, v, w, terminals, root = (inst.n_nodes, inst.u, inst.v, inst.weight, inst.terminals,
                                   inst.root)
    limit = int(scenario.value("network.exact_max_terminals"))
    if method == "exact" or (method == "auto" and len(terminals) <= limit):
        return steiner_tree_exact(n, u, v, w, terminals, root=root,
                                  time_limit_s=float(scenario.value("network.milp_time_limit_s")))
    improve = 0 if method == "mehlhorn" else int(scenario.value("network.improve_passes"))
    return steiner_tree_approx(n, u, v, w, terminals, improve=improve, root=root,
                               max_key_paths=int(scenario.value("network.max_key_paths")))


def route_trenches(
    street_graph: StreetGraph,
    properties: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    *,
    scenario: Scenario,
    method: SteinerMethod = "auto",
) -> Routing:
    """Route the trenches that connect every property to convert in the routed districts.

    Parameters
    ----------
    street_graph
        From :func:`heatplan.plan.network.build.build_street_graph`, with the existing mains
        and heat sources joined (at least one feed point).
    properties
        Indexed by ``property_id``; ``district_id``, ``peak_load_kw`` (kW), ``is_to_convert``
        and geometry (Point or Polygon). Only properties to convert in districts of status
        ``candidate_dh`` or ``undecided`` are routed.
    districts
        Indexed by ``district_id``; ``status`` and polygon geometry.
    scenario
        ``network.*`` (connection, method choice) and ``pipes.*`` (sizing, cost).
    method
        ``"exact"`` (MILP), ``"approx"`` (Mehlhorn improved), ``"mehlhorn"`` (plain) or
        ``"auto"`` (exact up to ``network.exact_max_terminals`` terminals).

    Returns
    -------
    Routing

    Raises
    ------
    SchemaError
        If a needed column is missing.
    TopologyError
        If the street graph has no feed point while there are properties to route.
    """
    t0 = time.perf_counter()
    selected = routed_properties(properties, districts)
    if len(selected) and not street_graph.is_feed.any():
        msg = ("The street graph has no feed point: give dh_network or heat_sources to "
               "build_street_graph (no existing main lies along a street and no source was "
               "joined).")
        raise TopologyError(msg)
    conn = connect_properties(street_graph, selected, scenario=scenario)
    g = conn.graph
    t_connect = time.perf_counter() - t0

    inst = steiner_instance(g, conn.service["node"].to_numpy())
    result = _solve(inst, method=method, scenario=scenario)
    tree_edges = inst.edge_ids[result.edges]
    t_steiner = time.perf_counter() - t0 - t_connect

    trenches, seg_of_node = _orient(g, inst.node_map, inst.root, tree_edges)
    service = _service_table(conn, selected)
    trenches, service = _loads_and_owners(
        trenches, service, seg_of_node, inst.node_map[conn.service["node"].to_numpy()],
        districts, scenario=scenario,
    )
    routed = districts.loc[districts["status"].isin(ROUTED_STATUSES)]
    routed = routed.set_axis(routed.index.astype(str))
    feed = _district_feed(trenches, service, routed)
    service_pipes = _service_pipes(service, g.crs, scenario=scenario)
    rejected = conn.rejected.rename_axis("property_id")
    rejected.insert(0, "district_id", selected.loc[rejected.index, "district_id"].astype(str))
    summary = _summary(trenches, service_pipes, selected, rejected, feed)
    report = _routing_report(
        trenches, service_pipes, selected, rejected, inst, result,
        times=(t0, t_connect, t_steiner),
    )
    feed_points = _feed_points(trenches, service, g, scenario=scenario)
    report["feed_points_over_capacity"] = feed_points.index[
        feed_points["is_over_capacity"]].tolist()
    return Routing(trenches, service_pipes, feed, summary, rejected, report, g, feed_points)


def _service_table(conn: Connections, selected: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The service connections with ``district_id``, ``tap_feed`` (feed label of the node
    tapped, empty off feed points) and ``peak_load_kw`` (missing loads count as 0 kW)."""
    service = conn.service.copy()
    service["district_id"] = selected.loc[service.index, "district_id"].astype(str).to_numpy()
    service["tap_feed"] = conn.graph.feed[conn.service["node"].to_numpy()]
    peak = selected.loc[service.index, "peak_load_kw"].astype(float)
    if peak.isna().any():
        logger.warning("%d connected properties have no peak_load_kw; their load counts as 0 kW "
                       "in pipe sizing (first: %s)", int(peak.isna().sum()),
                       list(peak.index[peak.isna()][:5]))
    service["peak_load_kw"] = peak.fillna(0.0).to_numpy()
    return service


def _service_pipes(service: pd.DataFrame, crs: str, *, scenario: Scenario) -> gpd.GeoDataFrame:
    """The service pipes with their cost (per metre plus a fixed cost per connection, DKK)."""
    service_cost = float(scenario.value("pipes.service_cost_dkk_per_m"))
    fixed = float(scenario.value("pipes.service_connection_cost_dkk"))
    service["cost_dkk"] = service["length_m"] * service_cost + fixed
    service_pipes = service[["district_id", "segment_id", "length_m", "cost_dkk", "geometry"]]
    service_pipes = gpd.GeoDataFrame(service_pipes, geometry="geometry", crs=crs)
    return service_pipes.rename_axis("property_id")


def _routing_report(
    trenches: gpd.GeoDataFrame, service_pipes: gpd.GeoDataFrame, selected: pd.DataFrame,
    rejected: pd.DataFrame, inst: SteinerInstance, result: SteinerResult, *,
    times: tuple[float, float, float],
) -> dict[str, Any]:
    """The routing report: counts, metres, costs (DKK), the Steiner method and bound, and
    times in seconds (``times``: start, connecting, Steiner); logged in one line."""
    t0, t_connect, t_steiner = times
    total_trench = float(trenches["length_m"].sum())
    total_cost = float(trenches["cost_dkk"].sum() + service_pipes["cost_dkk"].sum())
    report = {
        "n_properties_routed": len(selected),
        "n_connected": len(service_pipes),
        "n_rejected": len(rejected),
        "rejected_by_reason": rejected["reason"].value_counts().to_dict(),
        "n_terminals": len(inst.terminals) - 1,
        "n_segments": len(trenches),
        "trench_m": total_trench,
        "service_pipe_m": float(service_pipes["length_m"].sum()),
        "cost_dkk": total_cost,
        "cost_dkk_per_trench_m": total_cost / total_trench if total_trench else float("nan"),
        "method": result.method,
        "steiner_length_m": result.length,
        "lower_bound_m": result.lower_bound,
        "gap": result.gap,
        "connect_s": t_connect,
        "steiner_s": t_steiner,
        "total_s": time.perf_counter() - t0,
    }
    logger.info(
        "Routed %d properties (%d rejected): %.1f km of trench, %.1f km of service pipe, "
        "%.0f DKK per trench metre all-in, method %s, %.2f s", len(service_pipes),
        len(rejected), total_trench / 1000, report["service_pipe_m"] / 1000,
        report["cost_dkk_per_trench_m"], result.method, report["total_s"],
    )
    return report


def _orient(g: StreetGraph, cmap: np.ndarray, root: int, tree_edges: np.ndarray
            ) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Orient the tree from the root; one segment per tree edge.

    Returns the segments (without loads) in breadth-first order and, per contracted node, the
    position of the segment entering it (-1 for the root and nodes off the tree).
    """
    n = root + 1
    cu, cv = cmap[g.u[tree_edges]], cmap[g.v[tree_edges]]
    k = len(tree_edges)
    if k == 0:
        empty = gpd.GeoDataFrame(
            {"edge": np.empty(0, int), "node": np.empty(0, int), "parent_pos": np.empty(0, int),
             "length_m": np.empty(0), "kind": np.empty(0, dtype=object),
             "fed_from": np.empty(0, dtype=object), "street_name": np.empty(0, dtype=object),
             "street_road_class": np.empty(0, dtype=object)},
            geometry=np.empty(0, dtype=object), crs=g.crs,
        )
        return empty, np.full(n, -1)
    adj = sparse.csr_matrix((np.r_[np.arange(k), np.arange(k)] + 1.0,
                             (np.r_[cu, cv], np.r_[cv, cu])), shape=(n, n))
    order, pred = csgraph.breadth_first_order(adj, root, directed=True)
    if len(order) != len(np.unique(np.r_[cu, cv, root])):
        msg = "the routed trenches do not form one tree from the feed points"
        raise TopologyError(msg)
    child = order[1:]
    parent = pred[child]
    pos_edge = np.asarray(adj[parent, child]).ravel().astype(int) - 1  # tree edge position
    edge = tree_edges[pos_edge]
    seg_of_node = np.full(n, -1)
    seg_of_node[child] = np.arange(len(child))
    parent_pos = seg_of_node[parent]
    geom = g.geometry[edge]
    # draw each segment from upstream to downstream
    flip = cmap[g.u[edge]] != parent
    geom = np.where(flip, shapely.reverse(geom), geom)
    from_feed = np.where(flip, g.feed[g.v[edge]], g.feed[g.u[edge]])
    seg = gpd.GeoDataFrame(
        {"edge": edge, "node": child, "parent_pos": parent_pos,
         "length_m": g.length_m[edge], "kind": g.kind[edge],
         "fed_from": np.where(parent == root, from_feed, "")},
        geometry=geom, crs=g.crs,
    )
    row = g.street_row[edge]
    for col in ("name", "road_class"):
        values = np.full(len(edge), None, dtype=object)
        if col in g.street_attributes.columns:
            known = row >= 0
            values[known] = g.street_attributes[col].to_numpy()[row[known]]
        seg[f"street_{col}"] = values
    return seg, seg_of_node


def _segment_ids(geoms: np.ndarray) -> np.ndarray:
    """Stable segment ids from the geometry: ``T`` and 12 hex digits of a hash of the rounded
    end points (either direction) and length, so that a revised plan that digs the same piece
    of street gives it the same id; repeats get a ``-2``, ``-3``, ... suffix."""
    a = np.round(shapely.get_coordinates(shapely.get_point(geoms, 0)), 1)
    b = np.round(shapely.get_coordinates(shapely.get_point(geoms, -1)), 1)
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo, hi = np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)
    length = np.round(shapely.length(geoms), 1)
    ids = pd.Series([
        "T" + hashlib.sha1(f"{p[0]:.1f},{p[1]:.1f},{q[0]:.1f},{q[1]:.1f},{m:.1f}".encode(),
                           usedforsecurity=False).hexdigest()[:12]
        for p, q, m in zip(lo, hi, length, strict=True)
    ])
    rep = ids.groupby(ids).cumcount()
    ids = ids.where(rep == 0, ids + "-" + (rep + 1).astype(str))
    return ids.to_numpy(dtype=object)


def _loads_and_owners(
    seg: gpd.GeoDataFrame, service: pd.DataFrame, seg_of_node: np.ndarray,
    service_node: np.ndarray, districts: gpd.GeoDataFrame, *, scenario: Scenario,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Downstream loads, sizes, costs and owning district of each segment."""
    dist_ids = pd.Index(sorted(service["district_id"].astype(str).unique()))
    n_d = len(dist_ids)
    k = len(seg)
    d_code = dist_ids.get_indexer(service["district_id"].astype(str))
    s_pos = seg_of_node[service_node]  # segment entering each service node (-1 at the root)
    service["segment_id"] = ""
    count = np.zeros((k, n_d))
    peak = np.zeros((k, n_d))
    on_tree = s_pos >= 0
    np.add.at(count, (s_pos[on_tree], d_code[on_tree]), 1.0)
    np.add.at(peak, (s_pos[on_tree], d_code[on_tree]), service["peak_load_kw"].to_numpy()[on_tree])
    parent = seg["parent_pos"].to_numpy()
    for i in range(k - 1, -1, -1):  # breadth-first order reversed: children before parents
        p = parent[i]
        if p >= 0:
            count[p] += count[i]
            peak[p] += peak[i]
    n_cons = count.sum(axis=1)
    down_peak = peak.sum(axis=1)
    carried = down_peak * simultaneity_factor(n_cons, scenario=scenario)
    dn, cost_m = size_pipes(carried, scenario=scenario)

    # owner: the district holding the segment's midpoint if it is served, else the largest load
    mid = shapely.line_interpolate_point(seg.geometry.values, 0.5, normalized=True)
    poly = districts.loc[districts.index.astype(str).isin(dist_ids)]
    inside = np.full(k, -1)
    if len(poly) and k:
        p_idx, s_idx = shapely.STRtree(mid).query(poly.geometry.values, predicate="contains")
        inside[s_idx] = dist_ids.get_indexer(poly.index.astype(str)[p_idx])
    largest = np.argmax(peak + count * 1e-9, axis=1) if n_d else np.zeros(k, int)
    rows = np.arange(k)
    served_inside = (inside >= 0) & (count[rows, np.maximum(inside, 0)] > 0)
    owner = np.where(served_inside, inside, largest)
    others = (count > 0).sum(axis=1) - (count[rows, owner] > 0)

    seg_id = _segment_ids(seg.geometry.to_numpy())
    upstream = np.where(parent >= 0, seg_id[np.maximum(parent, 0)], "")
    trenches = gpd.GeoDataFrame(
        {
            "length_m": seg["length_m"].to_numpy(),
            "dn": dn,
            "peak_kw": carried,
            "downstream_peak_kw": down_peak,
            "n_consumers": n_cons.astype(int),
            "district_id": dist_ids.to_numpy()[owner] if n_d else np.full(k, ""),
            "upstream_segment": upstream,
            "fed_from": seg["fed_from"].to_numpy(),
            "is_feeder": others > 0,
            "is_in_district": served_inside,
            "cost_dkk": seg["length_m"].to_numpy() * cost_m,
            "kind": seg["kind"].to_numpy(),
            "street_name": seg["street_name"].to_numpy(),
            "road_class": seg["street_road_class"].to_numpy(),
        },
        geometry=seg.geometry.values, crs=seg.crs,
        index=pd.Index(seg_id, name="segment_id"),
    )
    service.loc[on_tree, "segment_id"] = seg_id[s_pos[on_tree]]
    return trenches, service


def _district_feed(trenches: gpd.GeoDataFrame, service: pd.DataFrame,
                   routed: gpd.GeoDataFrame) -> pd.DataFrame:
    """Where each routed district is fed from: the most upstream place its network is entered.

    Entries are the district's segments whose upstream segment belongs to another district
    or to a feed point, and its consumers tapped directly from another district's segment or
    from a feed point. Taking the most upstream entry (smallest breadth-first position) makes
    the feed relation a tree: a district's feeder is always entered further upstream.
    """
    owner = trenches["district_id"]
    position = np.arange(len(trenches))
    up_owner = owner.reindex(trenches["upstream_segment"]).to_numpy()
    up_label = np.where(trenches["upstream_segment"] == "", trenches["fed_from"], up_owner)
    is_entry = ((trenches["upstream_segment"] == "") | (up_owner != owner)).to_numpy()
    own = pd.DataFrame({"district_id": owner.to_numpy()[is_entry],
                        "fed_from": up_label[is_entry], "position": position[is_entry]})
    seg_pos = pd.Series(position, index=trenches.index)
    seg_owner = owner.reindex(service["segment_id"]).to_numpy()
    tapped = (service["segment_id"] == "").to_numpy() | (
        seg_owner != service["district_id"].to_numpy())
    taps = pd.DataFrame({
        "district_id": service["district_id"].to_numpy()[tapped],
        "fed_from": np.where(service["segment_id"] == "", service["tap_feed"],
                             seg_owner)[tapped],
        "position": seg_pos.reindex(service["segment_id"]).fillna(-1).to_numpy()[tapped],
    })
    ent_df = pd.concat([own, taps], ignore_index=True).sort_values("position", kind="stable")
    first = ent_df.drop_duplicates("district_id").set_index("district_id")["fed_from"]
    n_entries = ent_df.groupby("district_id").size()
    # trench metres a district owns outside its own polygon: its connection (feeder) trench
    poly = routed.geometry.reindex(owner.to_numpy()).to_numpy()
    has_poly = ~pd.isna(poly)
    inside_m = np.zeros(len(trenches))
    if has_poly.any():
        geoms = trenches.geometry.to_numpy()
        for d in np.unique(owner.to_numpy()[has_poly]):
            rows = np.flatnonzero(owner.to_numpy() == d)
            polygon = routed.geometry[d]
            shapely.prepare(polygon)
            covered = shapely.covered_by(geoms[rows], polygon)
            inside_m[rows[covered]] = trenches["length_m"].to_numpy()[rows[covered]]
            cut = rows[~covered]
            inside_m[cut] = shapely.length(shapely.intersection(geoms[cut], polygon))
    outside = (trenches["length_m"] - inside_m).clip(lower=0).groupby(owner).sum()
    out = pd.DataFrame(index=pd.Index(routed.index, name="district_id"))
    fed = first.reindex(out.index).astype(object)
    out["fed_from"] = fed.where(fed.notna(), None)
    out["feeder_trench_m"] = outside.reindex(out.index).fillna(0.0).astype(float)
    out["n_entries"] = n_entries.reindex(out.index).fillna(0).astype(int)
    return out


def _feed_points(trenches: gpd.GeoDataFrame, service: pd.DataFrame, g: StreetGraph, *,
                 scenario: Scenario) -> pd.DataFrame:
    """Load drawn from each feed point, against the heat sources' capacity."""
    root = trenches[trenches["upstream_segment"] == ""]
    at_feed = service[service["segment_id"] == ""]
    parts = pd.concat([
        pd.DataFrame({"feed": root["fed_from"].to_numpy(), "n": root["n_consumers"].to_numpy(),
                      "kw": root["downstream_peak_kw"].to_numpy()}),
        pd.DataFrame({"feed": at_feed["tap_feed"].to_numpy(), "n": 1,
                      "kw": at_feed["peak_load_kw"].to_numpy()}),
    ])
    out = parts.groupby("feed").agg(n_consumers=("n", "sum"), downstream_peak_kw=("kw", "sum"))
    out.index.name = "feed_point"
    out["peak_kw"] = out["downstream_peak_kw"] * simultaneity_factor(
        out["n_consumers"].to_numpy(), scenario=scenario)
    cap = g.sources["capacity_mw"] * 1000.0 if len(g.sources) else pd.Series(dtype=float)
    out["capacity_kw"] = cap.reindex(out.index).astype(float)
    out["is_over_capacity"] = (out["peak_kw"] > out["capacity_kw"]).fillna(False).astype(bool)
    for label, row in out[out["is_over_capacity"]].iterrows():
        logger.warning("Feed point %s carries %.0f kW peak (with simultaneity) but has %.0f kW "
                       "capacity", label, row["peak_kw"], row["capacity_kw"])
    return out


def _summary(trenches: gpd.GeoDataFrame, service: gpd.GeoDataFrame, selected: pd.DataFrame,
             rejected: pd.DataFrame, feed: pd.DataFrame) -> pd.DataFrame:
    """Trench metres, service pipes and costs per routed district."""
    idx = feed.index
    n_to = selected.groupby(selected["district_id"].astype(str)).size()
    rej_d = selected.loc[rejected.index, "district_id"].astype(str).value_counts()
    t = trenches.groupby("district_id")
    s = service.groupby("district_id")
    out = pd.DataFrame(index=idx)
    out["n_to_convert"] = n_to.reindex(idx).fillna(0).astype(int)
    out["n_connected"] = s.size().reindex(idx).fillna(0).astype(int)
    out["n_rejected"] = rej_d.reindex(idx).fillna(0).astype(int)
    out["trench_m"] = t["length_m"].sum().reindex(idx).fillna(0.0)
    out["feeder_trench_m"] = feed["feeder_trench_m"]
    out["trench_cost_dkk"] = t["cost_dkk"].sum().reindex(idx).fillna(0.0)
    out["service_pipe_m"] = s["length_m"].sum().reindex(idx).fillna(0.0)
    out["service_cost_dkk"] = s["cost_dkk"].sum().reindex(idx).fillna(0.0)
    out["cost_dkk"] = out["trench_cost_dkk"] + out["service_cost_dkk"]
    out["cost_dkk_per_trench_m"] = out["cost_dkk"] / out["trench_m"].where(out["trench_m"] > 0)
    out["fed_from"] = feed["fed_from"]
    return out
