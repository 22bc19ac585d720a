"""The gas closure (plan/gas_closure.py): closure years by hand on the toy town.

The toy town (tests/toy_town.py) has districts of 15 MWh/a gas-heated houses: A (100), B (120),
D (80) get district heating, C (20) and F (30) individual heat pumps, E is existing district
heating with 10 gas-heated infill houses. Take-up (scenario): half in the year the works end,
rising over four years to 80 %; a property's year follows the cumulative count
round(n × share) (half up).
"""

from __future__ import annotations

import pandas as pd
import pytest
from toy_town import make_toy_town, rollout

from heatplan.core.scenario import load_scenario
from heatplan.plan.gas_closure import plan_gas_closure


@pytest.fixture(scope="module")
def scenario():
    return load_scenario().with_values(phasing__trench_capacity_km_a=1.6)


@pytest.fixture(scope="module")
def town(scenario):
    props, districts, routing = make_toy_town()
    plan = rollout(props, districts, routing, scenario=scenario)
    return plan, plan_gas_closure(plan.properties, plan.districts, scenario=scenario)


def test_closure_years_by_hand(town):
    plan, gas = town
    end = plan.districts["end_year"]
    g = gas.districts
    # 80 % of n connect, the last four years after the works end; notice 2 years
    # (gas.closure_notice_years): closure = end year + 4 + 2
    for d, n in (("A", 100), ("B", 120), ("D", 80)):
        assert g.loc[d, "n_gas_today"] == n
        assert g.loc[d, "n_gas_to_dh"] == round(0.8 * n)
        assert g.loc[d, "n_left_on_gas"] == n - round(0.8 * n)
        assert g.loc[d, "last_exit_year"] == end[d] + 4
        assert g.loc[d, "notice_year"] == end[d] + 4
        assert g.loc[d, "closure_year"] == end[d] + 6
        assert g.loc[d, "closure_basis"] == "last_dh_connection"
    # the tight scenario digs A in 2024, B 2025, D 2027: closures 2030, 2031, 2033
    assert g.loc[["A", "B", "D"], "closure_year"].tolist() == [2030, 2031, 2033]
    # individual heating: heat pumps by 2035 (uptake.remaining_to_heat_pump_year) + 2
    for d, n in (("C", 20), ("F", 30)):
        assert (g.loc[d, "n_gas_to_heat_pump"], g.loc[d, "closure_year"]) == (n, 2037)
        assert g.loc[d, "closure_basis"] == "heat_pump_year"
    # E's 10 infill houses: 8 connect (5 in 2024, then 6, 7, 7, 8): 2028 + 2
    assert (g.loc["E", "n_gas_to_dh"], g.loc["E", "closure_year"]) == (8, 2030)
    assert "E-dh" not in gas.properties.index  # already on district heating


def test_properties_left_on_gas_and_their_advice(town):
    plan, gas = town
    p = gas.properties
    assert len(p) == 360  # every gas-heated house, none other
    assert p["gas_route"].value_counts().to_dict() == {"district_heating": 80 + 96 + 64 + 8,
                                                       "left_on_gas": 20 + 24 + 16 + 2,
                                                       "heat_pump": 50}
    left = p[p["gas_route"] == "left_on_gas"]
    assert left["exit_year"].isna().all()
    assert (left["closure_year"] == left["district_id"].map(gas.districts["closure_year"])).all()
    a_left = left[left["district_id"] == "A"].iloc[0]
    assert a_left["gas_advice"] == ("Tilbudt fjernvarme, men forventes ikke at tilslutte sig: "
                                    "tilslut inden 2030 eller installer en varmepumpe; gassen "
                                    "lukkes i 2030.")
    connects = p[p["gas_route"] == "district_heating"]
    years = plan.properties.loc[connects.index, "connection_year"]
    assert (connects["exit_year"] == years).all()
    assert gas.districts.loc["A", "gas_advice"].startswith("20 ejendomme på gas forventes ikke")


def test_notice_period_and_language_from_the_scenario(scenario):
    props, districts, routing = make_toy_town()
    plan = rollout(props, districts, routing, scenario=scenario)
    longer = scenario.with_values(gas__closure_notice_years=5)
    gas = plan_gas_closure(plan.properties, plan.districts, scenario=longer, lang="en")
    assert gas.districts.loc["A", "closure_year"] == plan.districts.loc["A", "end_year"] + 9
    assert gas.districts.loc["F", "gas_advice"].startswith("Individual heating: 30 gas-heated")


def test_unscheduled_district_cannot_be_dated(scenario):
    props = pd.DataFrame({"district_id": ["X", "X"], "heating_type": "natural_gas",
                          "recommendation": "district_heating",
                          "connection_year": pd.array([None, None], dtype="Int64")},
                         index=["x1", "x2"])
    gas = plan_gas_closure(props, pd.DataFrame(index=pd.Index(["X"], name="district_id")),
                           scenario=scenario)
    row = gas.districts.loc["X"]
    assert pd.isna(row["closure_year"]) and row["closure_basis"] == "not_scheduled"
    assert gas.properties["gas_advice"].eq("Fjernvarmen er ikke planlagt her endnu.").all()
