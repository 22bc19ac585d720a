"""Benchmark the street graph and trench routing; prints every figure.

Usage: ``.venv/bin/python benchmarks/bench_routing.py [--data sample|ballerup]
[--exact-instances 4] [--seed 1] [--time-limit 120]``

1. Graph building on the bundled sample (gis_data/sample.gpkg), timed separately.
2. Routing every property to convert (``route_trenches``), timed; trench metres and cost.
3. On the same graph and terminals: heatplan's Mehlhorn, heatplan's improved tree and
   networkx's Mehlhorn (``networkx.algorithms.approximation.steiner_tree``) — length and time.
4. Instances small enough for the exact MILP (single districts, and random subsets of about
   150 terminals): gap of the approximation to the optimum.

Without the sample, the real Ballerup streets (../shared/data/ballerup-geofa) are used with
synthetic properties beside the streets and one synthetic heat source.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from networkx.algorithms.approximation import steiner_tree as nx_steiner_tree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from heatplan.core.scenario import load_scenario  # noqa: E402
from heatplan.plan.network.build import build_street_graph  # noqa: E402
from heatplan.plan.network.connections import connect_properties  # noqa: E402
from heatplan.plan.network.routing import (  # noqa: E402
    route_trenches,
    routed_properties,
    steiner_instance,
)
from heatplan.plan.network.steiner import steiner_tree_approx  # noqa: E402
from heatplan.plan.network.steiner_exact import steiner_tree_exact  # noqa: E402

SAMPLE = ROOT / "gis_data" / "sample.gpkg"
BALLERUP = ROOT.parent / "shared" / "data" / "ballerup-geofa" / "vej_myndighed.gpkg"


def _load_sample(scenario):
    from heatplan.model.heating import classify_heating, is_convertible

    layers = {name: gpd.read_file(SAMPLE, layer=name) for name in
              ("streets", "dh_network", "heat_sources", "properties", "districts")}
    props = layers["properties"].set_index("property_id")
    props["is_to_convert"] = is_convertible(
        classify_heating(props["heating_installation"], props["heating_fuel"])
    )
    try:
        from heatplan.model.demand import estimate_heat_demand

        props["peak_load_kw"] = estimate_heat_demand(props, None, scenario=scenario)[
            "peak_load_kw"]
        peak_note = "peak_load_kw from heatplan.model.demand (area-based, no labels)"
    except Exception as err:
        props["peak_load_kw"] = props["heated_area_m2"].astype(float) * 0.05
        peak_note = f"peak_load_kw = 50 W/m² toy value ({type(err).__name__})"
    districts = layers["districts"].set_index("district_id")
    return layers["streets"], layers["dh_network"], layers["heat_sources"], props, districts, \
        peak_note


def _load_ballerup(rng: np.random.Generator):
    streets = gpd.read_file(BALLERUP)
    lines = streets.geometry.values
    pick = rng.integers(0, len(lines), 7300)
    base = shapely.line_interpolate_point(lines[pick], rng.random(7300), normalized=True)
    xy = shapely.get_coordinates(base) + rng.normal(0, 12, (7300, 2))
    props = gpd.GeoDataFrame(
        {"district_id": "D1", "peak_load_kw": 8.0, "is_to_convert": True},
        geometry=shapely.points(xy), crs=streets.crs,
        index=pd.Index([f"P{i:05d}" for i in range(7300)], name="property_id"),
    )
    box = shapely.box(*streets.total_bounds)
    districts = gpd.GeoDataFrame({"status": ["candidate_dh"]}, geometry=[box], crs=streets.crs,
                                 index=pd.Index(["D1"], name="district_id"))
    c = box.centroid
    sources = gpd.GeoDataFrame({"source_id": ["S1"], "name": ["synthetic"]},
                               geometry=[c], crs=streets.crs)
    return streets, None, sources, props, districts, "synthetic 8 kW per property"


def _nx_graph(inst) -> nx.Graph:
    """The instance as a networkx graph: the connected piece holding the root."""
    g = nx.Graph()
    for a, b, w in zip(inst.u.tolist(), inst.v.tolist(), inst.weight.tolist(), strict=True):
        if a != b and (not g.has_edge(a, b) or g[a][b]["weight"] > w):
            g.add_edge(a, b, weight=w)
    return g.subgraph(nx.node_connected_component(g, inst.root)).copy()


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exact-instances", type=int, default=4,
                        help="random ~150-terminal instances solved exactly")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=120.0,
                        help="MILP time limit per instance, s")
    parser.add_argument("--data", choices=["sample", "ballerup"], default="sample",
                        help="the bundled sample, or the real Ballerup streets with synthetic "
                             "properties")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    scenario = load_scenario()

    if args.data == "sample" and SAMPLE.exists():
        streets, mains, sources, props, districts, note = _load_sample(scenario)
        print(f"data: {SAMPLE.relative_to(ROOT)}; {note}")
    else:
        streets, mains, sources, props, districts, note = _load_ballerup(rng)
        print(f"data: {BALLERUP} with synthetic properties; {note}")

    t = time.perf_counter()
    graph = build_street_graph(streets, dh_network=mains, heat_sources=sources,
                               scenario=scenario)
    t_graph = time.perf_counter() - t
    print(f"\n[graph] built in {t_graph:.2f} s: {graph.report.summary()}")

    _bench_routing(graph, props, districts, scenario)
    sel = routed_properties(props, districts)
    conn = connect_properties(graph, sel, scenario=scenario)
    _bench_approximations(conn, scenario)
    _bench_exact(conn, sel, rng, n_random=args.exact_instances, time_limit_s=args.time_limit)


def _bench_routing(graph, props, districts, scenario) -> None:
    """Route every property to convert; print times, metres, costs, DN mix and feeds."""
    t = time.perf_counter()
    routing = route_trenches(graph, props, districts, scenario=scenario, method="approx")
    t_route = time.perf_counter() - t
    r = routing.report
    print(f"\n[routing] {r['n_properties_routed']:,} properties to convert routed in "
          f"{t_route:.2f} s (target <= 5 s; connect {r['connect_s']:.2f} s, Steiner "
          f"{r['steiner_s']:.2f} s); {r['n_connected']:,} connected, {r['n_rejected']} rejected")
    print(f"          trench {r['trench_m'] / 1000:.1f} km in {r['n_segments']:,} segments, "
          f"service pipes {r['service_pipe_m'] / 1000:.1f} km, cost "
          f"{r['cost_dkk'] / 1e9:.3f} bn DKK = {r['cost_dkk_per_trench_m']:,.0f} DKK per trench "
          "metre all-in (calibration target ≈ 14,000)")
    print("          DN mix (km): " + ", ".join(
        f"DN{dn} {km:.1f}" for dn, km in
        (routing.trenches.groupby("dn")["length_m"].sum() / 1000).items()))
    print("          district feed: " + ", ".join(
        f"{d}<-{f}" for d, f in routing.district_feed["fed_from"].items()))


def _bench_approximations(conn, scenario) -> None:
    """The same full instance for networkx's Mehlhorn and heatplan's plain and improved
    trees: length (km) and time (s)."""
    inst = steiner_instance(conn.graph, conn.service["node"].to_numpy())
    t = time.perf_counter()
    plain = steiner_tree_approx(inst.n_nodes, inst.u, inst.v, inst.weight, inst.terminals,
                                improve=0, root=inst.root)
    t_plain = time.perf_counter() - t
    t = time.perf_counter()
    improved = steiner_tree_approx(inst.n_nodes, inst.u, inst.v, inst.weight, inst.terminals,
                                   improve=int(scenario.value("network.improve_passes")),
                                   root=inst.root,
                                   max_key_paths=int(scenario.value("network.max_key_paths")))
    t_improved = time.perf_counter() - t
    nxg = _nx_graph(inst)
    t = time.perf_counter()
    tree = nx_steiner_tree(nxg, inst.terminals.tolist(), weight="weight", method="mehlhorn")
    t_nx = time.perf_counter() - t
    nx_len = tree.size(weight="weight")
    print(f"\n[steiner, full instance: {len(inst.terminals) - 1:,} terminals + root, "
          f"{inst.n_nodes:,} nodes, {len(inst.u):,} edges]")
    print(f"  networkx mehlhorn      {nx_len / 1000:10.3f} km  {t_nx:7.3f} s")
    print(f"  heatplan mehlhorn      {plain.length / 1000:10.3f} km  {t_plain:7.3f} s")
    print(f"  heatplan improved      {improved.length / 1000:10.3f} km  {t_improved:7.3f} s  "
          f"({(improved.length - nx_len) / nx_len:+.3%} vs networkx)")


def _bench_exact(conn, sel, rng: np.random.Generator, *, n_random: int, time_limit_s: float
                 ) -> None:
    """Exact MILP against the improved approximation on single districts of at most 200
    properties and on ``n_random`` random sets of 150 terminals: lengths (m), gap, times (s)."""
    print("\n[exact MILP vs improved approximation]")
    print(f"  {'instance':28s} {'terms':>5s} {'approx m':>10s} {'exact m':>10s} "
          f"{'bound m':>10s} {'gap':>7s} {'t_apx s':>7s} {'t_milp s':>8s}")
    dist_of = sel.loc[conn.service.index, "district_id"].astype(str)
    counts = dist_of.value_counts()
    cases = [(f"district {d}", conn.service["node"].to_numpy()[(dist_of == d).to_numpy()])
             for d in counts[counts <= 200].index.sort_values()]
    all_nodes = conn.service["node"].to_numpy()
    for i in range(n_random):
        cases.append((f"random 150 #{i + 1}", rng.choice(all_nodes, 150, replace=False)))
    for name, nodes in cases:
        sub = steiner_instance(conn.graph, nodes)
        a = steiner_tree_approx(sub.n_nodes, sub.u, sub.v, sub.weight, sub.terminals,
                                root=sub.root)
        e = steiner_tree_exact(sub.n_nodes, sub.u, sub.v, sub.weight, sub.terminals,
                               root=sub.root, time_limit_s=time_limit_s)
        lb = e.lower_bound if e.lower_bound is not None else float("nan")
        gap = (a.length - lb) / lb if lb > 0 else float("nan")
        print(f"  {name:28s} {len(sub.terminals) - 1:5d} {a.length:10.1f} {e.length:10.1f} "
              f"{lb:10.1f} {gap:7.2%} {a.runtime_s:7.2f} {e.runtime_s:8.1f}"
              + ("" if e.method == "exact-milp" else f"  ({e.method})"))


if __name__ == "__main__":
    main()
