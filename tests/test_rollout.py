"""The whole rollout (plan/rollout.py) on a toy town and on the bundled sample."""

from __future__ import annotations

import pandas as pd
import pytest
from toy_town import make_toy_town, rollout

from heatplan.core.errors import InfeasiblePlanError, StageContractError
from heatplan.core.scenario import load_scenario
from heatplan.plan.rollout import plan_rollout


@pytest.fixture
def tight_scenario():
    # 1.6 km of trench a year: A (1.5 km), B (1.5), C's transit (1.4) and D (1.0) need one
    # year each, so the works spread over 2024–2027.
    return load_scenario().with_values(phasing__trench_capacity_km_a=1.6)


def test_rollout_on_toy_town(tight_scenario):
    props, districts, routing = make_toy_town()
    before = props.copy()
    r = rollout(props, districts, routing, scenario=tight_scenario)
    pd.testing.assert_frame_equal(props, before)  # inputs untouched
    d = r.districts
    assert d.loc["C", "recommendation"] == "individual_heat_pump"
    assert d.loc["C", "is_transit"]  # carries D's feeder main
    assert d["end_year"].dropna().max() <= 2030
    # feed precedence: A no later than B; C's transit works no later than D
    assert d.loc["A", "end_year"] <= d.loc["B", "end_year"]
    assert d.loc["C", "end_year"] <= d.loc["D", "end_year"]
    assert d.loc["A", "phase"] == 1
    # capacity never exceeded
    assert (r.years["trench_km"] <= 1.6 + 1e-9).all()
    assert (r.years["connections"] <= 2000 + 1e-9).all()
    assert r.years["trench_km"].sum() == pytest.approx(5.4)  # 1.5 + 1.5 + 1.4 + 1.0 km
    # every property to convert lands in a phase or in individual heating
    conv = r.properties[r.properties["is_to_convert"]]
    in_phase = conv["phase"].notna()
    individual = conv["recommendation"].eq("individual_heat_pump")
    assert (in_phase ^ individual).all()
    assert individual.sum() == 50  # C (20) and F (30)
    assert r.properties.loc["E-dh", "recommendation"] == "existing_dh"
    # offers a year before digging
    off = r.properties.dropna(subset=["offer_year"])
    assert (off["offer_year"] == off["construction_start_year"] - 1).all()
    # built trenches get a year inside their district's works; C's branch is not built
    t = r.trenches
    assert not t.loc["C-branch", "is_built"]
    assert t.loc["C-main", "is_built"]
    assert t.loc["C-main", "construction_year"] == d.loc["C", "end_year"]
    assert r.summary["gap"] == pytest.approx(0.0, abs=1e-6) or r.summary["gap"] >= 0
    assert r.summary["heuristic_objective_t"] <= r.summary["milp_objective_t"] * (1 + 1e-6)


def test_rollout_heuristic_method_and_infeasible_capacity(tight_scenario):
    props, districts, routing = make_toy_town()
    r = rollout(props, districts, routing, scenario=tight_scenario, method="heuristic")
    assert r.summary["used"] == "heuristic"
    assert r.summary["milp_objective_t"] is None
    small = tight_scenario.with_values(phasing__trench_capacity_km_a=0.5)
    with pytest.raises(InfeasiblePlanError, match=r"capacity is 0\.5"):
        rollout(props, districts, routing, scenario=small)


def test_district_with_connected_properties_counts_as_built(tight_scenario):
    # Without a previous plan, connected properties mean the works were done before 2024:
    # the district keeps district heating, ends in 2023, takes phase 1 and no capacity.
    props, districts, routing = make_toy_town()
    props = props.copy()
    props.loc[["B000", "B001"], "connection_status"] = "connected"
    r = rollout(props, districts, routing, scenario=tight_scenario)
    b = r.districts.loc["B"]
    assert (b["phase"], b["end_year"]) == (1, 2023)
    assert r.summary["n_items"] == 4  # A, C (transit), D and E (infill); B is built
    assert r.years["trench_km"].sum() == pytest.approx(1.5 + 1.4 + 1.0)
    assert r.properties.loc["B000", "recommendation"] == "district_heating"
    assert (r.properties.loc[props.index[props["district_id"] == "B"], "connection_year"]
            .dropna() >= 2023).all()


@pytest.mark.slow
def test_bundled_sample_places_every_property_with_works_by_2030():
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    if not (repo / "gis_data" / "sample.gpkg").exists():
        pytest.skip("the bundled sample gis_data/sample.gpkg is not there")
    from heatplan.model.stage import model_dataset
    from heatplan.plan.network.build import build_street_graph
    from heatplan.plan.network.routing import route_trenches, routed_properties
    from heatplan.validate import load_dataset

    scenario = load_scenario()
    ds = load_dataset(repo, scenario=scenario).dataset
    model = model_dataset(ds, scenario=scenario)
    graph = build_street_graph(ds.streets, dh_network=ds.dh_network,
                               heat_sources=ds.heat_sources, scenario=scenario)
    target = routed_properties(model.properties, ds.districts)
    routing = route_trenches(graph, model.properties, ds.districts, scenario=scenario)
    r = plan_rollout(model.properties, ds.districts, routing, scenario=scenario,
                     factors=model.emission_factors)

    conv = r.properties.loc[target.index]
    assert len(conv) == 7300  # the sample's contract (DESIGN.md)
    placed = conv["phase"].isin([1, 2]) | conv["recommendation"].eq("individual_heat_pump")
    assert placed.all()
    d = r.districts
    assert d["end_year"].dropna().max() <= 2030
    assert (r.years["trench_km"] <= scenario.value("phasing.trench_capacity_km_a") + 1e-6).all()
    assert (r.years["connections"] <= scenario.value("phasing.connection_capacity_a") + 1e-6
            ).all()
    fed = d["fed_from"].where(d["fed_from"].isin(d.index))
    for child, parent in fed.dropna().items():
        if pd.notna(d.at[child, "end_year"]) and pd.notna(d.at[parent, "end_year"]):
            assert d.at[parent, "end_year"] <= d.at[child, "end_year"]
    assert r.summary["milp_status"] == "optimal"
    assert r.summary["heuristic_objective_t"] <= r.summary["milp_objective_t"] * (1 + 1e-6)


def test_rollout_needs_the_model_stage_columns(tight_scenario):
    props, districts, routing = make_toy_town()
    with pytest.raises(StageContractError, match=r"co2_t_a.*model stage"):
        rollout(props.drop(columns="co2_t_a"), districts, routing, scenario=tight_scenario)
