"""Classify each property's current heating from its BBR codes (byg056 and byg057).

The heating type is the key for demand-to-CO2 factors and for deciding which properties the
rollout converts: individual natural-gas, town-gas and oil heating (domain.md §1.5.2–1.5.3).
"""

from __future__ import annotations

import pandas as pd

HEATING_TYPES: dict[str, str] = {
    "district_heating": "fjernvarme",
    "natural_gas": "naturgas (individuel)",
    "oil": "olie (individuel)",
    "heat_pump": "varmepumpe",
    "electric": "elvarme",
    "solid_fuel": "fast brændsel (træ, koks)",
    "other": "andet",
    "none": "ingen varmeinstallation",
}
"""Heating types heatplan distinguishes, with their Danish names."""

CONVERTIBLE_HEATING_TYPES = frozenset({"natural_gas", "oil"})
"""Individual fossil heating that the district-heating rollout converts."""

_FUEL_TO_TYPE = {
    "1": "electric",
    "2": "natural_gas",  # gasværksgas (town gas) is piped gas heating too
    "3": "oil",
    "4": "solid_fuel",
    "6": "solid_fuel",
    "7": "natural_gas",
    "9": "other",
}


def classify_heating(
    installation: pd.Series, fuel: pd.Series | None = None
) -> pd.Series:
    """Return the heating type of each row from BBR byg056 and byg057 codes (strings).

    ``1`` is district heating whatever the fuel; ``5`` a heat pump; ``7`` electric panels;
    ``8`` (gas radiator) is natural gas; ``9`` none. Central heating (``2``, ``6``), stoves
    (``3``) and mixed (``99``) take their type from the fuel; without a fuel they are ``other``.

    Examples
    --------
    >>> classify_heating(pd.Series(["1", "2", "2", "8", "5"]),
    ...                  pd.Series(["", "7", "3", None, "1"])).tolist()
    ['district_heating', 'natural_gas', 'oil', 'natural_gas', 'heat_pump']
    """
    inst = installation.astype("string").fillna("").str.strip()
    if fuel is None:
        fuel = pd.Series("", index=installation.index)
    by_fuel = fuel.astype("string").fillna("").str.strip().map(_FUEL_TO_TYPE).fillna("other")
    by_installation = inst.map(
        {"1": "district_heating", "5": "heat_pump", "7": "electric", "8": "natural_gas",
         "9": "none"}
    )
    result = by_installation.fillna(by_fuel).astype(object)
    result.name = "heating_type"
    return result


def is_convertible(heating_type: pd.Series) -> pd.Series:
    """True where the heating type is individual gas or oil (the rollout's conversion target)."""
    return heating_type.isin(CONVERTIBLE_HEATING_TYPES).rename("is_to_convert")
