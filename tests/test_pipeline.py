"""Pieces of the whole job that sit between the stages."""

from __future__ import annotations

import pandas as pd
import pytest

from heatplan.pipeline import co2_after_plan


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
    after = co2_after_plan(props, factors, new_heat_pump_factor=0.04)
    assert after.to_dict() == pytest.approx({
        "connects": 10 * 0.1,  # district heating from its connection year
        "declines": 10 * 0.2267,  # no connection expected: keeps its gas boiler
        "oil_to_hp": 20 * 0.04,  # a new heat pump
        "untouched": 5 * 0.15,
        "on_dh": 8 * 0.1,
    })
