"""Time the renovation ranking, and check demand, CO2 and the ranking on a dataset.

Usage::

    .venv/bin/python benchmarks/bench_rank.py                 # the bundled sample
    .venv/bin/python benchmarks/bench_rank.py --data DIR
    .venv/bin/python benchmarks/bench_rank.py --synthetic 200 # no sample: a made-up table
    .venv/bin/python benchmarks/bench_rank.py --synthetic 2000 --private 400000  # national

Prints: seconds to rank (best and median of several runs), seconds for heat demand and CO2 of
all properties, the share of municipal buildings at label D or worse, the total base-year CO2 of
the properties to convert, and the top ten with their explanations.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from heatplan.core.scenario import load_scenario
from heatplan.model.emissions import property_emissions
from heatplan.model.stage import emission_factor_tables, model_properties
from heatplan.plan.renovation import rank_renovations


def synthetic(n_municipal: int, n_private: int = 7300, seed: int = 1) -> tuple:
    """Return a made-up (properties, labels, proposals) shaped like the sample."""
    rng = np.random.default_rng(seed)
    n = n_municipal + n_private
    ids = [f"P{i:06d}" for i in range(n)]
    municipal = np.arange(n) < n_municipal
    use = np.where(municipal, rng.choice(["421", "441", "533", "413", "160"], n),
                   rng.choice(["120", "131", "140"], n))
    props = pd.DataFrame(
        {
            "property_id": ids, "address": [f"Vej {i}" for i in range(n)],
            "bbr_use_code": use, "year_built": rng.integers(1950, 1990, n),
            "heated_area_m2": np.where(municipal, rng.uniform(300, 6000, n),
                                       rng.uniform(80, 220, n)).round(0),
            "heating_installation": rng.choice(["1", "2"], n, p=[0.3, 0.7]),
            "heating_fuel": rng.choice(["7", "3"], n, p=[0.9, 0.1]),
            "owner_type": np.where(municipal, "50", "10"),
        }
    )
    lab_idx = np.flatnonzero(municipal)[: int(0.9 * n_municipal)]
    labels = pd.DataFrame(
        {
            "label_id": [f"L{i}" for i in lab_idx], "property_id": [ids[i] for i in lab_idx],
            "label_class": rng.choice(list("BCDEFG"), len(lab_idx)),
            "valid_from": pd.to_datetime("2012-01-01")
            + pd.to_timedelta(rng.integers(0, 5000, len(lab_idx)), unit="D"),
            "calculated_heat_kwh_a": props.loc[lab_idx, "heated_area_m2"].to_numpy() * 110,
        }
    )
    rows = []
    for lid in labels["label_id"]:
        for k in range(rng.integers(0, 5)):
            inv = float(rng.uniform(2e4, 2e6))
            rows.append((lid, str(k), "forslag", inv, inv / rng.uniform(5, 40),
                         inv / rng.uniform(5, 20), 30.0, bool(rng.random() < 0.6)))
    proposals = pd.DataFrame(rows, columns=[
        "label_id", "proposal_id", "description", "investment_dkk", "saving_dkk_a",
        "heat_saved_kwh_a", "lifetime_a", "is_profitable"])
    return props.set_index("property_id"), labels, proposals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--synthetic", type=int, default=0,
                        help="use N made-up municipal buildings instead of a dataset")
    parser.add_argument("--private", type=int, default=7300,
                        help="with --synthetic: number of made-up private properties")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scenario = load_scenario()

    t0 = time.perf_counter()
    if args.synthetic:
        props, labels, proposals = synthetic(args.synthetic, args.private)
        where = f"synthetic table, {args.synthetic} municipal buildings"
    else:
        from heatplan.validate import load_dataset

        ds = load_dataset(args.data, scenario=scenario, strict=False).dataset
        props, labels, proposals = ds.properties, ds.labels, ds.proposals
        where = str(args.data or "bundled sample")
    print(f"data: {where}; load {time.perf_counter() - t0:.2f} s; "
          f"{len(props)} properties, {len(labels)} labels, {len(proposals)} proposals")

    t0 = time.perf_counter()
    if "property_id" in props.columns:
        props = props.set_index("property_id")
    modelled, chosen = model_properties(props, labels, scenario=scenario,
                                        factors=emission_factor_tables(scenario)[False])
    t_model = time.perf_counter() - t0
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        ranking = rank_renovations(modelled, chosen, proposals, scenario=scenario)
        times.append(time.perf_counter() - t0)
    print(f"rank_renovations: best {min(times):.3f} s, median {statistics.median(times):.3f} s "
          f"({len(ranking)} municipal buildings, {args.repeat} runs)")

    base = int(scenario.value("general.base_year"))
    horizon = range(base, int(scenario.value("general.horizon_end_year")) + 1)
    t0 = time.perf_counter()
    co2 = property_emissions(modelled, scenario=scenario, years=horizon)
    t_co2 = time.perf_counter() - t0
    print(f"model stage (heating, labels, demand; all properties): {t_model:.3f} s; "
          f"property_emissions {len(co2)} × {co2.shape[1]} years: {t_co2:.3f} s")

    labelled = ranking["label_class"].notna()
    poor = ranking.loc[labelled, "label_class"].astype(str).isin(["D", "E", "F", "G"])
    print(f"municipal buildings: {len(ranking)}; with a label {int(labelled.sum())}; "
          f"D or worse {int(poor.sum())} = {100 * poor.mean():.0f} % of the labelled; "
          f"renew label first {int(ranking['renew_label_first'].sum())}")
    convert = modelled["is_to_convert"]
    conv_mwh = modelled.loc[convert, "heat_demand_mwh_a"]
    conv_t = co2.loc[convert, base]
    print(f"properties to convert: {int(convert.sum())}; demand {conv_mwh.sum():,.0f} MWh/a "
          f"(mean {conv_mwh.mean():.1f}); CO2 {base}: {conv_t.sum():,.0f} t/a "
          f"({conv_t.sum() / max(conv_mwh.sum(), 1e-9):.3f} t/MWh); "
          f"demand from labels {int((modelled.loc[convert, 'demand_source'] == 'label').sum())}")
    print("top ten:")
    for pid, row in ranking.head(10).iterrows():
        print(f"{row['rank']:>3}. {pid} {row['bbr_use_code']} {row['address']}: "
              f"{row['explanation']}")


if __name__ == "__main__":
    main()
