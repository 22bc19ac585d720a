"""Heating type from BBR byg056/byg057 codes (domain.md §1.5.2–1.5.3)."""

from __future__ import annotations

import pandas as pd

from heatplan.model.heating import classify_heating, is_convertible


def test_codes_decode_as_domain_reference_says():
    installation = pd.Series(["1", "1", "2", "2", "2", "6", "8", "5", "7", "9", "3", "99", "2"])
    fuel = pd.Series(["", "7", "7", "3", "2", "3", None, "1", "1", None, "4", "7", None])
    assert classify_heating(installation, fuel).tolist() == [
        "district_heating",  # 1: DH, fuel usually empty
        "district_heating",  # 1 wins over any fuel
        "natural_gas",  # 2 + 7
        "oil",  # 2 + 3
        "natural_gas",  # 2 + 2 town gas
        "oil",  # 6 + 3
        "natural_gas",  # 8 gas radiator
        "heat_pump",
        "electric",
        "none",
        "solid_fuel",
        "natural_gas",  # 99 mixed, fuel known
        "other",  # central heating without a fuel: unknown
    ]


def test_only_gas_and_oil_are_converted():
    types = pd.Series(["natural_gas", "oil", "heat_pump", "district_heating", "other"])
    assert is_convertible(types).tolist() == [True, True, False, False, False]


def test_heating_mix_counts_per_district():
    from heatplan.model.heating import heating_mix

    mix = heating_mix(
        pd.Series(["natural_gas", "oil", "natural_gas", "electric", "district_heating"]),
        pd.Series(["A", "A", "B", "B", "B"]),
    )
    assert mix.loc["A", ["n_properties", "n_natural_gas", "n_oil"]].tolist() == [2, 1, 1]
    assert mix.loc["B"].to_dict() == {
        "n_properties": 3, "n_natural_gas": 1, "n_oil": 0, "n_district_heating": 1,
        "n_heat_pump": 0, "n_other_heating": 1,
    }
