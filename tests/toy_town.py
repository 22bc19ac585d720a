"""A toy town for the plan-stage tests: six districts with hand-set trenches."""

from __future__ import annotations

import pandas as pd

from heatplan.core.scenario import Scenario, load_scenario
from heatplan.model.stage import emission_factor_tables
from heatplan.plan.result import Plan
from heatplan.plan.rollout import plan_rollout


def make_toy_town():
    """Six districts of 15 MWh/a gas-heated houses with hand-set trenches.

    A (candidate_dh, phase 1, 100 houses, 1,000 m own mains, 500 m feeder from the existing
    network), B (undecided, 120 houses, fed from A), C (undecided, 20 houses on 2,000 m: too
    sparse), D (undecided, 80 houses, fed through C), E (existing_dh, 10 infill houses and one
    block already on district heating), F (individual, 30 houses). Trenches cost 3,200 DKK/m
    (feeders), 2,400 (mains) and 2,000 (branches), about the technology catalogue's suburban
    prices: at the default scenario A, B and D come out as district heating, C and F as heat
    pumps.
    """
    spec = {  # status, planned_phase, houses, own trench m, feeder m, fed_from, feeder upstream
        "A": ("candidate_dh", 1, 100, 1000.0, 500.0, "existing_network", None),
        "B": ("undecided", None, 120, 1200.0, 300.0, "A", "A-main"),
        "C": ("undecided", None, 20, 2000.0, 400.0, "existing_network", None),
        "D": ("undecided", None, 80, 800.0, 200.0, "C", "C-main"),
        "E": ("existing_dh", None, 10, 0.0, 0.0, "existing_network", None),
        "F": ("individual", None, 30, 900.0, 100.0, "existing_network", None),
    }
    districts = pd.DataFrame(
        {"name": [f"Område {d}" for d in spec], "status": [v[0] for v in spec.values()],
         "planned_phase": pd.array([v[1] for v in spec.values()], dtype="Int64")},
        index=pd.Index(list(spec), name="district_id"))
    rows, segs, feed = [], [], []
    for d, (_, _, n, own, feeder, fed, up) in spec.items():
        rows += [{"property_id": f"{d}{k:03d}", "district_id": d, "heating_type": "natural_gas",
                  "is_to_convert": True, "heat_demand_mwh_a": 15.0, "heated_area_m2": 130.0,
                  "peak_load_kw": 15.0 * 1000 / 2800, "heat_pump_system": "house_radiators",
                  "bbr_use_code": "120", "owner_type": "10", "connection_status": ""}
                 for k in range(n)]
        if feeder > 0:
            segs.append({"segment_id": f"{d}-feed", "length_m": feeder, "district_id": d,
                         "is_feeder": True, "upstream_segment": up, "cost_dkk": feeder * 3200})
        if own > 0:
            segs.append({"segment_id": f"{d}-main", "length_m": own / 2, "district_id": d,
                         "is_feeder": False, "upstream_segment": f"{d}-feed",
                         "cost_dkk": own / 2 * 2400})
            segs.append({"segment_id": f"{d}-branch", "length_m": own / 2, "district_id": d,
                         "is_feeder": False, "upstream_segment": f"{d}-main",
                         "cost_dkk": own / 2 * 2000})
        feed.append({"district_id": d, "fed_from": fed, "feeder_trench_m": feeder})
    rows.append({"property_id": "E-dh", "district_id": "E", "heating_type": "district_heating",
                 "is_to_convert": False, "heat_demand_mwh_a": 40.0, "heated_area_m2": 300.0,
                 "peak_load_kw": 40.0 * 1000 / 2800, "heat_pump_system": "large_radiators",
                 "bbr_use_code": "140", "owner_type": "20", "connection_status": ""})
    props = pd.DataFrame(rows).set_index("property_id")
    # the model stage's base-year CO2: demand × the heating type's factor in the base year
    scenario = load_scenario()
    base = emission_factor_tables(scenario)[False][int(scenario.value("general.base_year"))]
    props["co2_t_a"] = props["heat_demand_mwh_a"] * props["heating_type"].map(base)
    routing = {
        "trenches": pd.DataFrame(segs).set_index("segment_id"),
        "service_pipes": pd.DataFrame({"length_m": 10.0, "cost_dkk": 10_000.0}, index=props.index),
        "district_feed": pd.DataFrame(feed).set_index("district_id"),
    }
    return props, districts, routing


def rollout(props: pd.DataFrame, districts: pd.DataFrame, routing: dict, *,
            scenario: Scenario, **options) -> Plan:
    """:func:`plan_rollout` with the model stage's CO2 factor tables for ``scenario``."""
    return plan_rollout(props, districts, routing, scenario=scenario,
                        factors=emission_factor_tables(scenario), **options)
