"""CO2 factors per MWh of delivered heat by year, and CO2 per property and year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from heatplan.core.scenario import load_scenario
from heatplan.model.emissions import (
    emissions_by_heating_type,
    heat_emission_factors,
    property_emissions,
)
from heatplan.model.heating import HEATING_TYPES

SCENARIO = load_scenario()
CCS = SCENARIO.with_values(emissions__ccs_enabled=True)


def test_factors_by_hand():
    f = heat_emission_factors(SCENARIO, [2024, 2027, 2030, 2045])
    assert list(f.index) == list(HEATING_TYPES)
    assert list(f.columns) == [2024, 2027, 2030, 2045]
    # gas follows BR18 Tabel 8 like electricity and DH: 2024 half-way 0.225 → 0.189 = 0.207;
    # 2027: 0.189 − 0.084 × 2/5 = 0.1554; from 2030 0.105; ÷ 0.90. Oil 0.266 / 0.80 = 0.3325
    assert f.loc["natural_gas"].tolist() == pytest.approx(
        [0.207 / 0.9, 0.1554 / 0.9, 0.105 / 0.9, 0.105 / 0.9])
    assert f.loc["oil", 2030] == pytest.approx(0.3325)
    # DH 2027 between 2025 (0.0878) and 2030 (0.0713): 0.0878 − 0.0165 × 2/5 = 0.0812
    assert f.loc["district_heating", 2027] == pytest.approx(0.0812)
    # DH held at the 2040 value 0.0680 in 2045
    assert f.loc["district_heating", 2045] == pytest.approx(0.0680)
    # heat pump 2030: electricity 0.0470 / SCOP 3.60 (catalogue 207.3, radiators, 2030)
    assert f.loc["heat_pump", 2030] == pytest.approx(0.047 / 3.6)
    assert f.loc["electric", 2030] == pytest.approx(0.047)
    assert f.loc["solid_fuel"].sum() == 0 and f.loc["none"].sum() == 0


def test_carbon_capture_cuts_dh_from_its_start_year_only():
    plain = heat_emission_factors(SCENARIO, [2028, 2029, 2030])
    ccs = heat_emission_factors(CCS, [2028, 2029, 2030])
    # 2028 before the start year 2029: unchanged, 0.0878 − 0.0165 × 3/5 = 0.0779
    assert ccs.loc["district_heating", 2028] == pytest.approx(0.0779)
    # 2030: 0.0713 × (1 − 0.85 × 1.0) = 0.010695
    assert ccs.loc["district_heating", 2030] == pytest.approx(0.0713 * 0.15)
    # nothing else changes
    others = [t for t in HEATING_TYPES if t != "district_heating"]
    pd.testing.assert_frame_equal(plain.loc[others], ccs.loc[others])


PROPS = pd.DataFrame(
    {
        "heating_type": ["natural_gas", "oil", "district_heating", "heat_pump"],
        "heat_demand_mwh_a": [14.95, 20.0, 100.0, 10.0],
    },
    index=pd.Index(["g", "o", "d", "h"], name="property_id"),
)


def test_property_emissions_with_switch_to_district_heating():
    years = [2026, 2027, 2030]
    switch = pd.Series({"g": 2027})  # only the gas house is connected, from 2027
    co2 = property_emissions(PROPS, scenario=SCENARIO, years=years, dh_from_year=switch)
    gas, dh27, dh30 = (0.189 - 0.084 / 5) / 0.9, 0.0812, 0.0713
    # 2026 gas: 14.95 × 0.1722 / 0.9 = 2.8605 t; from 2027 DH: 14.95 × 0.0812 = 1.2139 t
    assert co2.loc["g"].tolist() == pytest.approx([14.95 * gas, 14.95 * dh27, 14.95 * dh30])
    # oil 20 MWh × 0.3325 = 6.65 t every year
    assert co2.loc["o"].tolist() == pytest.approx([6.65] * 3)
    # DH 2026: 0.0878 − 0.0165 × 1/5 = 0.0845 → 100 × 0.0845 = 8.45 t
    assert co2.loc["d", 2026] == pytest.approx(8.45)
    assert list(co2.index) == ["g", "o", "d", "h"]


def test_totals_by_heating_type_follow_the_switch():
    years = [2026, 2027]
    switch = pd.Series({"g": 2027})
    totals = emissions_by_heating_type(PROPS, scenario=SCENARIO, years=years,
                                       dh_from_year=switch)
    co2 = property_emissions(PROPS, scenario=SCENARIO, years=years, dh_from_year=switch)
    assert totals.loc["natural_gas", 2026] == pytest.approx(co2.loc["g", 2026])
    assert totals.loc["natural_gas", 2027] == 0
    # 2027 district heating = connected gas house + existing DH building
    assert totals.loc["district_heating", 2027] == pytest.approx(
        co2.loc["g", 2027] + co2.loc["d", 2027]
    )
    np.testing.assert_allclose(totals.sum().to_numpy(), co2.sum().to_numpy())


def test_heating_type_and_demand_come_from_the_model_stage():
    from heatplan.core.errors import StageContractError
    from heatplan.model.stage import emission_factor_tables, model_properties

    props = pd.DataFrame(
        {
            "bbr_use_code": ["120"], "year_built": [1968], "heated_area_m2": [130.0],
            "heating_installation": ["2"], "heating_fuel": ["7"],
        },
        index=pd.Index(["x"], name="property_id"),
    )
    with pytest.raises(StageContractError, match="model stage"):
        property_emissions(props, scenario=SCENARIO, years=[2030])
    modelled, _ = model_properties(props, None, scenario=SCENARIO,
                                   factors=emission_factor_tables(SCENARIO)[False])
    co2 = property_emissions(modelled, scenario=SCENARIO, years=[2030])
    # 130 m² × 115 kWh/m² = 14.95 MWh × 0.105 / 0.9 t/MWh = 1.7442 t
    assert co2.loc["x", 2030] == pytest.approx(14.95 * 0.105 / 0.9)
    # the model's base-year CO2 is the same product at the base year's gas factor (0.207)
    assert modelled.loc["x", "co2_t_a"] == pytest.approx(14.95 * 0.207 / 0.9)
    assert modelled.loc["x", "heat_pump_system"] == "house_radiators"



def test_impossible_scenario_values_are_clear_errors():
    from heatplan.core.errors import ScenarioError

    bad = SCENARIO.with_values(emissions__efficiency__natural_gas=0)
    with pytest.raises(ScenarioError, match=r"emissions\.efficiency\.natural_gas is 0; it must"):
        heat_emission_factors(bad, [2030])
    bad = CCS.with_values(emissions__ccs_capture_share=85)
    with pytest.raises(ScenarioError, match=r"ccs_capture_share is 85; .* ≤ 1"):
        heat_emission_factors(bad, [2030])


def test_one_scop_per_building_and_year_for_heat_pumps():
    from heatplan.model.heat_pump import heat_pump_scop, heat_pump_system

    # 6 kW house from 1965: radiators; 6 kW house from 2015: floor heating; 40 kW: large
    system = heat_pump_system(pd.Series([6.0, 6.0, 40.0], index=list("abc")),
                              pd.Series([1965, 2015, 1965], index=list("abc")),
                              scenario=SCENARIO)
    assert system.tolist() == ["house_radiators", "house_floor_heating", "large_radiators"]
    scop = heat_pump_scop(system, [2020, 2025, 2060], scenario=SCENARIO)
    # catalogue 207.3 radiators 3.40 (2020), 3.60 (2030): 2025 half-way 3.50; held after 2050
    assert scop.loc["a"].tolist() == pytest.approx([3.40, 3.50, 3.80])
    assert scop.loc["b"].tolist() == pytest.approx([4.10, 4.20, 4.50])
    assert scop.loc["c"].tolist() == pytest.approx([3.90, 3.95, 4.15])
    # the same SCOP gives a building's heat-pump CO2: 10 MWh × 0.047 / 4.30 in 2030
    props = pd.DataFrame({"heating_type": ["heat_pump"], "heat_demand_mwh_a": [10.0],
                          "heat_pump_system": ["house_floor_heating"]},
                         index=pd.Index(["f"], name="property_id"))
    co2 = property_emissions(props, scenario=SCENARIO, years=[2030])
    assert co2.loc["f", 2030] == pytest.approx(10 * 0.047 / 4.30)


def test_switch_to_a_heat_pump_then_district_heating_wins():
    props = PROPS.assign(heat_pump_system="house_radiators")
    years = [2028, 2029, 2030]
    co2 = property_emissions(props, scenario=SCENARIO, years=years,
                             hp_from_year=pd.Series({"g": 2029, "o": 2029}),
                             dh_from_year=pd.Series({"o": 2030}))
    el29 = 0.135 - (0.135 - 0.047) * 4 / 5  # BR18: 0.0646 kg/kWh in 2029
    scop29 = 3.40 + 0.20 * 9 / 10  # catalogue 207.3: 3.58 in 2029
    gas28 = (0.189 - 0.084 * 3 / 5) / 0.9
    assert co2.loc["g"].tolist() == pytest.approx(
        [14.95 * gas28, 14.95 * el29 / scop29, 14.95 * 0.047 / 3.60])
    assert co2.loc["o"].tolist() == pytest.approx([6.65, 20 * el29 / scop29, 20 * 0.0713])


def test_new_load_counts_average_or_marginal_dh_co2():
    from heatplan.model.emissions import new_load_dh_factor

    assert new_load_dh_factor(SCENARIO, [2030]).tolist() == pytest.approx([0.0713])
    marginal = SCENARIO.with_values(emissions__dh_co2_basis="marginal",
                                    emissions__dh_marginal_kg_per_kwh={2023: 0.2, 2040: 0.2})
    assert new_load_dh_factor(marginal, [2030]).tolist() == pytest.approx([0.2])
    from heatplan.core.errors import ScenarioError

    with pytest.raises(ScenarioError, match="dh_co2_basis"):
        new_load_dh_factor(SCENARIO.with_values(emissions__dh_co2_basis="both"), [2030])
