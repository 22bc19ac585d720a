"""CO2 trajectory of all building heat, with a hand-computed case."""

from __future__ import annotations

import pandas as pd
import pytest

from heatplan.core.scenario import load_scenario
from heatplan.plan.trajectory import co2_after_plan, co2_trajectory

YEARS = list(range(2024, 2031))


def factors(dh: float) -> pd.DataFrame:
    rows = {"natural_gas": 0.2, "oil": 0.3, "district_heating": dh, "heat_pump": 0.1,
            "electric": 0.2, "solid_fuel": 0.0, "other": 0.0, "none": 0.0}
    return pd.DataFrame(dict.fromkeys(YEARS, rows)).rename_axis("heating_type")


@pytest.fixture
def case():
    # P1: gas, offered DH in A (works end 2025); P2: gas in an individual district;
    # P3: an existing heat pump. 10 MWh/a each.
    props = pd.DataFrame(
        {"district_id": ["A", "B", "B"],
         "heating_type": ["natural_gas", "natural_gas", "heat_pump"],
         "heat_demand_mwh_a": 10.0, "is_to_convert": [True, True, False],
         "recommendation": ["district_heating", "individual_heat_pump", "none"],
         "connection_status": ""},
        index=pd.Index(["P1", "P2", "P3"], name="property_id"))
    scenario = load_scenario().with_values(uptake__remaining_to_heat_pump_year=2027)
    return props, scenario


def test_hand_computed_trajectory(case):
    props, scenario = case
    table, notes = co2_trajectory(props, pd.Series({"A": 2025}), scenario=scenario,
                                  factors={True: factors(0.01), False: factors(0.05)},
                                  years=YEARS)
    # Heat-pump path for remaining gas: (t − 2023) / 4 → 0.25 in 2024, 0.5 in 2025, 1 from 2027.
    # 2024: P1 no DH yet, 20 % never-takers × 0.25 = 0.05 on heat pumps:
    #       10 × (0.05 × 0.1 + 0.95 × 0.2) = 1.95; P2 10 × (0.25 × 0.1 + 0.75 × 0.2) = 1.75;
    #       P3 10 × 0.1 = 1.0 → 4.70
    # 2025: P1 50 % DH, 10 % HP: 10 × (0.5 × 0.05 + 0.1 × 0.1 + 0.4 × 0.2) = 1.15;
    #       P2 10 × (0.5 × 0.1 + 0.5 × 0.2) = 1.5; P3 1.0 → 3.65
    # 2030: P1 80 % DH, 20 % HP: 0.6; P2 1.0; P3 1.0 → 2.6
    assert table.loc[2024, "co2_t"] == pytest.approx(4.70)
    assert table.loc[2025, "co2_t"] == pytest.approx(3.65)
    assert table.loc[2030, "co2_t"] == pytest.approx(2.6)
    assert table["baseline_co2_t"].iloc[0] == pytest.approx(5.0)
    assert table["target_co2_t"].iloc[0] == pytest.approx(0.75)
    assert table.loc[2030, "co2_with_ccs_t"] == pytest.approx(2.28)  # P1 10 × (0.008 + 0.02)
    assert table.loc[2030, "co2_without_ccs_t"] == pytest.approx(2.6)
    # take-up sensitivity in 2030: 100 % → P1 0.5 → 2.5; 60 % → P1 0.7 → 2.7
    assert table.loc[2030, "co2_takeup_100_t"] == pytest.approx(2.5)
    assert table.loc[2030, "co2_takeup_60_t"] == pytest.approx(2.7)
    assert table.loc[2030, "co2_takeup_80_t"] == pytest.approx(2.6)
    assert table.loc[2030, "co2_no_plan_t"] == pytest.approx(5.0)
    assert table.loc[2030, "reduction_share"] == pytest.approx(0.48)
    assert "nås ikke med bygningsvarme alene" in notes[0]
    assert "37,0 procentpoint" in notes[0]


def test_target_reached_is_said_plainly(case):
    props, scenario = case
    easy = scenario.with_values(general__target_reduction_share=0.3)
    _, notes = co2_trajectory(props, pd.Series({"A": 2025}), scenario=easy,
                              factors={True: factors(0.01), False: factors(0.05)},
                              years=YEARS, lang="en")
    assert "target is reached" in notes[0]
    assert notes[-1].startswith("Sensitivity to take-up in 2030")


def test_connected_and_declined_properties(case):
    props, scenario = case
    props = props.copy()
    props.loc["P1", "connection_status"] = "declined"
    table, _ = co2_trajectory(props, pd.Series({"A": 2025}), scenario=scenario,
                              factors={True: factors(0.01), False: factors(0.05)}, years=YEARS)
    # declined: P1 never on DH; 20 % of it follows the heat-pump path (2030: 10 × (0.2 × 0.1 +
    # 0.8 × 0.2) = 1.8)
    assert table.loc[2030, "co2_t"] == pytest.approx(1.8 + 1.0 + 1.0)
    props.loc["P1", "connection_status"] = "connected"
    props["connection_year"] = pd.array([2024, pd.NA, pd.NA], dtype="Int64")
    table, _ = co2_trajectory(props, pd.Series({"A": 2025}), scenario=scenario,
                              factors={True: factors(0.01), False: factors(0.05)}, years=YEARS)
    assert table.loc[2024, "co2_t"] == pytest.approx(0.5 + 1.75 + 1.0)  # P1 fully on DH


def test_co2_after_the_plan_counts_only_those_who_switch():
    props = pd.DataFrame(
        {
            "heating_type": ["natural_gas", "natural_gas", "oil", "electric", "district_heating"],
            "recommendation": ["district_heating", "district_heating", "individual_heat_pump",
                               "none", "existing_dh"],
            "connection_year": [2026, None, None, None, None],
            "heat_demand_mwh_a": [10.0, 10.0, 20.0, 5.0, 8.0],
        },
        index=["connects", "declines", "oil_to_hp", "untouched", "on_dh"],
    )
    factors = pd.Series({"natural_gas": 0.2267, "oil": 0.3325, "electric": 0.15,
                         "district_heating": 0.1, "heat_pump": 0.05})
    # new district heat per MWh sold: 0.1 × 1.2 MWh produced per MWh sold (network losses)
    after = co2_after_plan(props, factors, heat_pump_factor=0.04, new_dh_factor=0.12)
    assert after.to_dict() == pytest.approx({
        "connects": 10 * 0.12,  # district heating from its connection year, losses included
        "declines": 10 * 0.2267,  # no connection expected: keeps its gas boiler
        "oil_to_hp": 20 * 0.04,  # a new heat pump
        "untouched": 5 * 0.15,
        "on_dh": 8 * 0.1,  # existing district heating at the declared factor
    })


def test_new_district_heat_counts_the_heat_produced_and_own_heat_pumps(case):
    props, scenario = case
    gross = pd.Series({"A": 1.25})  # A's network: 1.25 MWh produced per MWh sold
    table, _ = co2_trajectory(props, pd.Series({"A": 2025}), scenario=scenario,
                              factors={True: factors(0.01), False: factors(0.05)},
                              years=YEARS, dh_produced_per_sold=gross)
    # 2030: P1 80 % DH × 0.05 × 1.25 + 20 % HP × 0.1 → 10 × (0.05 + 0.02) = 0.7; P2 1.0; P3 1.0
    assert table.loc[2030, "co2_t"] == pytest.approx(2.7)
    # with the buildings' own heat pumps: catalogue SCOP 3.60 (radiators, 2030) and 4.30 (floor)
    own = props.assign(heat_pump_system=["house_radiators", "house_radiators",
                                         "house_floor_heating"])
    table, _ = co2_trajectory(own, pd.Series({"A": 2025}), scenario=scenario,
                              factors={True: factors(0.01), False: factors(0.05)}, years=YEARS)
    el = 0.047  # BR18 electricity 2030
    assert table.loc[2030, "co2_t"] == pytest.approx(
        10 * (0.8 * 0.05 + 0.2 * el / 3.6) + 10 * el / 3.6 + 10 * el / 4.3)


def test_a_building_switches_to_a_heat_pump_half_way_along_the_path():
    from heatplan.plan.trajectory import heat_pump_switch_year

    scenario = load_scenario()  # 2024 … 2035: 12 years, half by 2029
    assert heat_pump_switch_year(scenario) == 2029
    assert heat_pump_switch_year(scenario.with_values(
        uptake__remaining_to_heat_pump_year=2027)) == 2025  # 2024 … 2027: 2 of 4 by 2025
