"""District economics and the DH / heat-pump recommendation on the hand-made toy town."""

from __future__ import annotations

import pandas as pd
import pytest
from toy_town import make_toy_town

from heatplan.core.errors import SchemaError
from heatplan.core.scenario import load_scenario
from heatplan.plan.economics import (
    annuity_factor,
    district_economics,
    district_works,
    recommend_districts,
)

YEARS = [2024]


def factors_table(gas=0.2267, dh=0.1, heat_pump=0.05):
    """t CO2 per MWh delivered heat, one column (2024)."""
    rows = {"natural_gas": gas, "oil": 0.3325, "district_heating": dh, "heat_pump": heat_pump,
            "electric": 0.15, "solid_fuel": 0.0, "other": 0.0, "none": 0.0}
    return pd.DataFrame({2024: rows}).rename_axis("heating_type")


@pytest.fixture
def scenario():
    # a substation cost on top of the pipes, as where trench prices cover pipes only
    return load_scenario().with_values(economics__house_connection_dkk=25_000)


@pytest.fixture
def economics(scenario):
    props, districts, routing = make_toy_town()
    return district_economics(props, districts, routing["trenches"], routing["service_pipes"],
                              routing["district_feed"], scenario=scenario,
                              factors=factors_table(), base_year=2024)


def test_feeder_mains_are_shared_by_expected_demand_and_counted_once(economics):
    # A's 500 m feeder also carries B (B-feed hangs off A-main): shared 1,500 : 1,800 MWh.
    assert economics.loc["A", "feeder_trench_m"] == pytest.approx(500 * 1500 / 3300)
    assert economics.loc["B", "feeder_trench_m"] == pytest.approx(300 + 500 * 1800 / 3300)
    # C's 400 m feeder carries C (300 MWh) and D (1,200 MWh)
    assert economics.loc["C", "feeder_trench_m"] == pytest.approx(80.0)
    assert economics.loc["D", "feeder_trench_m"] == pytest.approx(200 + 320.0)
    _, _, routing = make_toy_town()
    total = routing["trenches"]["length_m"].sum()
    assert (economics["trench_m"] + economics["feeder_trench_m"]).sum() == pytest.approx(total)
    # costs likewise: mains cost sums to the routed cost
    assert economics["mains_cost_dkk"].sum() == pytest.approx(routing["trenches"]["cost_dkk"].sum())


def test_density_co2_and_costs_by_hand(economics):
    a = economics.loc["A"]
    assert a["n_to_convert"] == 100
    assert a["heat_demand_mwh_a"] == pytest.approx(1500.0)
    # 1,500 MWh over 1,000 m own + 227.27 m feeder share
    assert a["linear_heat_density_mwh_m_a"] == pytest.approx(1500 / (1000 + 500 * 1500 / 3300))
    assert a["expected_linear_heat_density_mwh_m_a"] == pytest.approx(
        0.8 * a["linear_heat_density_mwh_m_a"])
    # today: 1,500 MWh × 0.2267 t/MWh; avoided at 80 % take-up: 1,500 × (0.2267 − 0.1) × 0.8
    assert a["co2_today_t_a"] == pytest.approx(340.05)
    assert a["co2_avoided_t_a"] == pytest.approx(152.04)
    # cost: mains (own + feeder share) + 80 expected connections × (10,000 pipe + 25,000 unit)
    mains = 500 * 6000 + 500 * 5000 + 500 * 8000 * 1500 / 3300
    assert a["cost_dkk"] == pytest.approx(mains + 80 * 35_000)
    assert a["cost_per_t_dkk"] == pytest.approx(a["cost_dkk"] / (152.04 * 20))
    # heat pumps per MWh: (110,000 × annuity(3.5 %, 15 a) + 1,500) / 15 MWh + 1,500 / 4.1
    hp = (110_000 * annuity_factor(0.035, 15) + 1500) / 15 + 1500 / 4.1
    assert a["hp_cost_dkk_per_mwh"] == pytest.approx(hp)
    dh = (a["cost_dkk"] * annuity_factor(0.035, 40) + 1200 * 450 + 80 * 770) / 1200
    assert a["dh_cost_dkk_per_mwh"] == pytest.approx(dh)


def test_recommendation_respects_fixed_status_and_explains(economics, scenario):
    rec = recommend_districts(economics, scenario=scenario)
    assert rec["recommendation"].to_dict() == {
        "A": "district_heating", "B": "district_heating", "C": "individual_heat_pump",
        "D": "district_heating", "E": "existing_dh", "F": "individual_heat_pump"}
    assert not rec["is_flagged"].any()
    assert "0,12 MWh/m/år" in rec.loc["C", "reason"]
    assert "under tærsklen" in rec.loc["C", "reason"]
    assert rec.loc["F", "reason"].startswith("Individuel varmeforsyning (fastlagt")
    en = recommend_districts(economics, scenario=scenario, lang="en")
    assert "is below the threshold" in en.loc["C", "reason"]
    assert "DKK/MWh" in en.loc["A", "reason"]


def test_candidate_below_threshold_is_kept_and_flagged_unless_switched(economics, scenario):
    econ = economics.copy()
    econ.loc["C", "status"] = "candidate_dh"
    kept = recommend_districts(econ, scenario=scenario)
    assert kept.loc["C", "recommendation"] == "district_heating"
    assert kept.loc["C", "economic_recommendation"] == "individual_heat_pump"
    assert kept.loc["C", "is_flagged"]
    assert "markeret til vurdering" in kept.loc["C", "reason"]
    switched = recommend_districts(
        econ, scenario=scenario.with_values(economics__switch_candidate_below_threshold=True))
    assert switched.loc["C", "recommendation"] == "individual_heat_pump"
    assert switched.loc["C", "is_flagged"]  # the council's candidate is overruled: flagged
    assert "skiftet fra kandidatområde" in switched.loc["C", "reason"]


def test_cost_test_can_reject_a_dense_enough_district(economics, scenario):
    # With cheap heat pumps district heating loses on cost although density passes.
    cheap = scenario.with_values(economics__heat_pump_investment_dkk=20_000)
    econ = district_economics(*_toy_args(), scenario=cheap, factors=factors_table(),
                              base_year=2024)
    rec = recommend_districts(econ, scenario=cheap)
    assert rec.loc["B", "passes_density"]
    assert rec.loc["B", "economic_recommendation"] == "individual_heat_pump"
    assert "men fjernvarme koster" in rec.loc["B", "reason"]
    # B is undecided: it follows the economics; A is a council candidate: kept, flagged
    assert rec.loc["B", "recommendation"] == "individual_heat_pump"
    assert rec.loc["A", "recommendation"] == "district_heating"
    assert rec.loc["A", "is_flagged"]


def _toy_args():
    props, districts, routing = make_toy_town()
    return (props, districts, routing["trenches"], routing["service_pipes"],
            routing["district_feed"])


def test_individual_district_upstream_still_carries_the_feeder(economics, scenario):
    rec = recommend_districts(economics, scenario=scenario)
    _, _, routing = make_toy_town()
    works, built = district_works(rec, routing["trenches"])
    # D is fed through C-main: C's feeder and main are built, its branch is not
    assert built["C-feed"] and built["C-main"] and not built["C-branch"]
    assert works.loc["C", "is_transit"]
    assert works.loc["C", "carries_for"] == "D"
    assert works.loc["C", "works_trench_m"] == pytest.approx(1400.0)
    # F is individual and feeds nobody: nothing built
    assert works.loc["F", "works_trench_m"] == 0.0
    assert not built[["F-feed", "F-main", "F-branch"]].any()


def test_unknown_district_ids_are_an_error(scenario):
    props, districts, trenches, service, feed = _toy_args()
    props = props.copy()
    props.loc["A000", "district_id"] = "ZZ"
    with pytest.raises(SchemaError, match="ZZ"):
        district_economics(props, districts, trenches, service, feed, scenario=scenario,
                           factors=factors_table(), base_year=2024)


def test_district_without_routed_trenches_is_not_judged_on_density(scenario):
    props, districts, trenches, service, feed = _toy_args()
    econ = district_economics(props, districts, trenches[trenches["district_id"] != "F"],
                              service, feed, scenario=scenario, factors=factors_table(),
                              base_year=2024)
    rec = recommend_districts(econ, scenario=scenario)
    assert pd.isna(rec.loc["F", "dh_cost_dkk_per_mwh"])  # no network: no DH cost
    assert rec.loc["F", "recommendation"] == "individual_heat_pump"
    assert rec.loc["F", "reason"] == (
        "Individuel varmeforsyning (fastlagt i varmeplanen); 30 ejendomme med gas eller olie "
        "rådes til at skifte til en individuel varmepumpe.")
    # an undecided district without routed mains cannot be judged: it says so
    econ.loc["F", "status"] = "undecided"
    rec = recommend_districts(econ, scenario=scenario)
    assert rec.loc["F", "recommendation"] == "individual_heat_pump"
    assert "ikke beregnet et ledningsnet" in rec.loc["F", "reason"]


def test_heat_pump_investment_scales_with_a_large_building(scenario):
    # the toy town's district A, with one of its 15 MWh houses replaced by a 362 MWh school:
    # a school needs 362 / 18.1 = 20 house-sized heat pumps, so the district's heat-pump
    # investment covers 99 + 20 = 119 units (× 80 % take-up) instead of 100
    props, districts, routing = make_toy_town()
    school = props.index[props["district_id"].eq("A")][0]
    props = props.copy()
    props.loc[school, "heat_demand_mwh_a"] = 362.0
    econ = district_economics(props, districts, routing["trenches"], routing["service_pipes"],
                              routing["district_feed"], scenario=scenario,
                              factors=factors_table(), base_year=2024)
    sold = (1500 - 15 + 362) * 0.8
    hp = ((119 * 0.8) * 110_000 * annuity_factor(0.035, 15) + 80 * 1500) / sold + 1500 / 4.1
    assert econ.loc["A", "hp_cost_dkk_per_mwh"] == pytest.approx(hp)
