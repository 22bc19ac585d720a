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
    # gas 0.204 / 0.90 = 0.22667; oil 0.266 / 0.80 = 0.3325 (constant)
    assert f.loc["natural_gas"].tolist() == pytest.approx([0.204 / 0.9] * 4)
    assert f.loc["oil", 2030] == pytest.approx(0.3325)
    # DH 2027 between 2025 (0.0878) and 2030 (0.0713): 0.0878 − 0.0165 × 2/5 = 0.0812
    assert f.loc["district_heating", 2027] == pytest.approx(0.0812)
    # DH held at the 2040 value 0.0680 in 2045
    assert f.loc["district_heating", 2045] == pytest.approx(0.0680)
    # heat pump 2030: electricity 0.0470 / SCOP 3.3 = 0.014242
    assert f.loc["heat_pump", 2030] == pytest.approx(0.047 / 3.3)
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
    gas, dh27, dh30 = 0.204 / 0.9, 0.0812, 0.0713
    # 2026 gas: 14.95 × 0.22667 = 3.3887 t; from 2027 DH: 14.95 × 0.0812 = 1.2139 t
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
    # 130 m² × 115 kWh/m² = 14.95 MWh × 0.204 / 0.9 t/MWh = 3.3887 t
    assert co2.loc["x", 2030] == pytest.approx(14.95 * 0.204 / 0.9)
    # the model's base-year CO2 is the same product at the base year's gas factor
    assert modelled.loc["x", "co2_t_a"] == pytest.approx(14.95 * 0.204 / 0.9)



def test_impossible_scenario_values_are_clear_errors():
    from heatplan.core.errors import ScenarioError

    bad = SCENARIO.with_values(emissions__efficiency__natural_gas=0)
    with pytest.raises(ScenarioError, match=r"emissions\.efficiency\.natural_gas is 0; it must"):
        heat_emission_factors(bad, [2030])
    bad = CCS.with_values(emissions__ccs_capture_share=85)
    with pytest.raises(ScenarioError, match=r"ccs_capture_share is 85; .* ≤ 1"):
        heat_emission_factors(bad, [2030])
