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


MIX_GROUPS: dict[str, str] = {
    "natural_gas": "n_natural_gas",
    "oil": "n_oil",
    "district_heating": "n_district_heating",
    "heat_pump": "n_heat_pump",
    "electric": "n_other_heating",
    "solid_fuel": "n_other_heating",
    "other": "n_other_heating",
    "none": "n_other_heating",
}
"""Column of :func:`heating_mix` that counts each heating type."""


def heating_mix(heating_type: pd.Series, district_id: pd.Series) -> pd.DataFrame:
    """Count properties per district by heating type.

    Returns a table indexed by ``district_id`` with ``n_properties`` and the columns of
    :data:`MIX_GROUPS` (gas, oil, district heating, heat pump, other).

    Examples
    --------
    >>> heating_mix(pd.Series(["natural_gas", "oil", "natural_gas", "electric"]),
    ...             pd.Series(["A", "A", "B", "B"])).loc["A"].tolist()
    [2, 1, 1, 0, 0, 0]
    """
    group = heating_type.map(MIX_GROUPS).fillna("n_other_heating")
    columns = list(dict.fromkeys(MIX_GROUPS.values()))
    counts = pd.crosstab(district_id.rename("district_id"), group).reindex(
        columns=columns, fill_value=0
    )
    counts.insert(0, "n_properties", counts.sum(axis=1))
    counts.columns.name = None
    return counts.astype(int)
