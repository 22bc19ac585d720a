"""Benchmark of the rollout schedule: heuristic and MILP times and the gap between them.

Targets (issue 5): the MILP solves a municipality (~15–20 districts, 7 years) to optimality
within 60 s, the heuristic within 1 s.

1. A synthetic Ballerup-sized town built in code (18 districts, 7,300 properties to convert,
   a feed tree, 2024–2030, two phases) run through ``plan_rollout``, several seeds.
2. The bundled sample (``gis_data/sample.gpkg``) through the whole chain up to the rollout, when
   the routing stage (``heatplan.plan.network.routing``) is available: districts per phase, years,
   gap and times, districts recommended individual heating with reasons, and whether every
   property to convert lands in phase 1, phase 2 or individual heating with all works by 2030.

Run: ``.venv/bin/python benchmarks/bench_phasing.py [--seeds 3] [--no-sample]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from heatplan.core.scenario import load_scenario
from heatplan.model.stage import emission_factor_tables
from heatplan.plan.rollout import plan_rollout

REPO = Path(__file__).resolve().parents[1]


def synthetic_town(n_districts: int = 18, n_properties: int = 7300, seed: int = 0):
    """Return properties, districts and routing tables of a synthetic town."""
    rng = np.random.default_rng(seed)
    ids = [f"D{i:02d}" for i in range(1, n_districts + 1)]
    sizes = rng.dirichlet(np.full(n_districts, 2.0)) * n_properties
    sizes = np.maximum(np.round(sizes).astype(int), 20)
    sizes[-1] += n_properties - sizes.sum()
    metres_per_house = rng.uniform(6, 18, n_districts)  # dense terraces … sparse villas
    planned = [pd.NA] * n_districts
    planned[0], planned[-1] = 1, 2
    districts = pd.DataFrame({"name": [f"Område {i}" for i in ids],
                              "status": "candidate_dh",
                              "planned_phase": pd.array(planned, dtype="Int64")},
                             index=pd.Index(ids, name="district_id"))
    props, segs, feed = [], [], []
    for k, d in enumerate(ids):
        n = int(sizes[k])
        demand = rng.lognormal(np.log(15), 0.3, n)
        props.append(pd.DataFrame({
            "district_id": d, "heating_type": rng.choice(["natural_gas", "oil"], n, p=[.85, .15]),
            "is_to_convert": True, "heat_demand_mwh_a": demand, "heated_area_m2": demand * 8,
            "peak_load_kw": demand * 1000 / 2800, "heat_pump_system": "house_radiators",
            "bbr_use_code": "120", "owner_type": "10", "connection_status": ""},
            index=[f"{d}-{j:04d}" for j in range(n)]))
        parent = ids[int(rng.integers(0, k))] if k > 2 and rng.random() < 0.6 else None
        up = f"{parent}-main" if parent else None
        feeder = float(rng.uniform(200, 1500))
        segs.append((f"{d}-feed", feeder, d, True, up))
        own = n * metres_per_house[k]
        segs.append((f"{d}-main", own * 0.4, d, False, f"{d}-feed"))
        segs.append((f"{d}-branch", own * 0.6, d, False, f"{d}-main"))
        feed.append((d, parent or "existing_network", feeder))
    properties = pd.concat(props).rename_axis("property_id")
    # the model stage's base-year CO2 of today's heating
    scenario = load_scenario()
    base = emission_factor_tables(scenario)[False][int(scenario.value("general.base_year"))]
    properties["co2_t_a"] = properties["heat_demand_mwh_a"] * properties["heating_type"].map(base)
    trenches = pd.DataFrame(segs, columns=["segment_id", "length_m", "district_id", "is_feeder",
                                           "upstream_segment"]).set_index("segment_id")
    # about the technology catalogue's suburban prices per trench metre
    trenches["cost_dkk"] = trenches["length_m"] * np.where(trenches["is_feeder"], 4000, 2800)
    service = pd.DataFrame({"length_m": 12.0, "cost_dkk": 12_000.0}, index=properties.index)
    district_feed = pd.DataFrame(feed, columns=["district_id", "fed_from", "feeder_trench_m"]
                                 ).set_index("district_id")
    routing = {"trenches": trenches, "service_pipes": service, "district_feed": district_feed}
    return properties, districts, routing


def bench_synthetic(seeds: int) -> None:
    scenario = load_scenario()
    print("== Synthetic town: 18 districts, 7,300 properties, 2024–2030, two phases ==")
    print(f"{'seed':>4} {'items':>5} {'options':>7} {'heur s':>7} {'milp s':>7} "
          f"{'total s':>7} {'heur t':>9} {'milp t':>9} {'gap':>7} status")
    for seed in range(seeds):
        props, districts, routing = synthetic_town(seed=seed)
        r = plan_rollout(props, districts, routing, scenario=scenario,
                         factors=emission_factor_tables(scenario))
        rep = r.summary

        def fmt(key: str, spec: str, rep=rep) -> str:
            return "failed" if rep.get(key) is None else format(rep[key], spec)

        print(f"{seed:>4} {rep['n_items']:>5} {rep['n_options']:>7} "
              f"{fmt('heuristic_time_s', '>7.3f')} {fmt('milp_time_s', '>7.3f')} "
              f"{rep['total_time_s']:>7.2f} {fmt('heuristic_objective_t', '>9.0f')} "
              f"{fmt('milp_objective_t', '>9.0f')} {fmt('gap', '>7.2%')} {rep['milp_status']}")


def bench_sample() -> None:
    print("\n== Bundled sample (gis_data/sample.gpkg) ==")
    if not (REPO / "gis_data" / "sample.gpkg").exists():
        print("skipped: gis_data/sample.gpkg is not there")
        return
    try:
        from heatplan.plan.network.routing import route_trenches
    except ImportError as err:
        print(f"skipped: the routing stage is not available yet ({err})")
        return
    from heatplan.model.stage import model_dataset
    from heatplan.plan.network.build import build_street_graph
    from heatplan.plan.network.routing import routed_properties
    from heatplan.validate import load_dataset

    scenario = load_scenario()
    t0 = time.perf_counter()
    ds = load_dataset(REPO, scenario=scenario).dataset
    model = model_dataset(ds, scenario=scenario)
    graph = build_street_graph(ds.streets, dh_network=ds.dh_network,
                               heat_sources=ds.heat_sources, scenario=scenario)
    target = routed_properties(model.properties, ds.districts)
    routing = route_trenches(graph, model.properties, ds.districts, scenario=scenario)
    print(f"load, demand, graph and routing: {time.perf_counter() - t0:.1f} s; "
          f"{len(target):,} properties to convert in candidate districts")
    for method in ("heuristic", "milp"):
        t1 = time.perf_counter()
        r = plan_rollout(model.properties, ds.districts, routing, scenario=scenario,
                         factors=model.emission_factors, method=method)
        print(f"plan_rollout(method={method!r}): {time.perf_counter() - t1:.2f} s")
    rep = r.summary
    print(f"MILP {rep['milp_objective_t']:,.0f} t CO2 avoided 2024–2045 in "
          f"{rep['milp_time_s']:.2f} s ({rep['milp_status']}); heuristic "
          f"{rep['heuristic_objective_t']:,.0f} t in {rep['heuristic_time_s']:.3f} s; gap "
          f"{rep['gap']:.2%}")
    d = r.districts
    cols = ["name", "status", "recommendation", "economic_recommendation", "n_to_convert",
            "works_trench_m", "expected_linear_heat_density_mwh_m_a", "npv_difference_mdkk",
            "heat_loss_share", "phase", "start_year", "end_year"]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(d[cols].round(2).to_string())
    print("districts per phase:", rep["districts_per_phase"])
    print(r.years[["connections", "trench_km", "cost_dkk", "co2_t"]].loc[2024:2031].round(1)
          .to_string())
    for i in d.index[d["recommendation"].eq("individual_heat_pump") | d["is_flagged"]]:
        print(f"{i} {d.at[i, 'name']}: {d.at[i, 'reason']}")
    conv = r.properties.loc[target.index]
    by = conv["phase"].value_counts().sort_index().to_dict()
    ind = int(conv["recommendation"].eq("individual_heat_pump").sum())
    placed = conv["phase"].notna() | conv["recommendation"].eq("individual_heat_pump")
    print(f"properties to convert in candidate districts: {len(conv):,}; by phase {by}; "
          f"individual {ind}; unplaced {int((~placed).sum())}")
    print(f"all district-heating works end by 2030: {rep['dh_works_end_year']} ≤ 2030 → "
          f"{rep['dh_works_end_year'] is not None and rep['dh_works_end_year'] <= 2030}")
    for note in rep["co2_notes"]:
        print(note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--no-sample", action="store_true")
    args = parser.parse_args()
    bench_synthetic(args.seeds)
    if not args.no_sample:
        bench_sample()


if __name__ == "__main__":
    main()
