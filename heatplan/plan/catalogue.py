"""Technology-catalogue values in DKK at the plan's price level.

The scenario keeps each catalogue value as the catalogue states it: EUR (or 1000 EUR) at the
catalogue's price level ``economics.catalogue_price_year``. One EUR of the catalogue is

    ``economics.eur_dkk`` × index[``economics.price_year``] / index[catalogue year]

DKK of the price year, with the consumer price index ``economics.price_index`` (Danmarks
Statistik PRIS113, 2015 = 100). Values by area type (``network.area_type``) and by the
catalogue's years (2015, 2020, 2030, 2050: interpolated, held beyond) are read here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario

AREA_TYPES: tuple[str, ...] = ("rural", "suburban", "city", "new_area")
"""The catalogue's distribution area types (sheets 113_12, 113_13, 113_14, 112_15)."""


def price_index(scenario: Scenario, year: int) -> float:
    """The price index of ``year`` (``economics.price_index``)."""
    table = {int(k): float(v) for k, v in dict(scenario.value("economics.price_index")).items()}
    if int(year) not in table:
        msg = (f"Scenario parameter economics.price_index has no value for {year}; it has "
               f"{', '.join(map(str, sorted(table)))}. Add the year or change "
               "economics.price_year / economics.catalogue_price_year.")
        raise ScenarioError(msg)
    return table[int(year)]


def dkk_per_catalogue_eur(scenario: Scenario) -> float:
    """DKK at ``economics.price_year`` per EUR at the catalogue's price level.

    Examples
    --------
    >>> from heatplan.core.scenario import load_scenario
    >>> round(dkk_per_catalogue_eur(load_scenario()), 3)  # 7.46038 × 117.208 / 100
    8.744
    """
    index = price_index(scenario, int(scenario.value("economics.price_year"))) / price_index(
        scenario, int(scenario.value("economics.catalogue_price_year")))
    return float(scenario.value("economics.eur_dkk")) * index


def _scale(key: str) -> float:
    """1000 for values in 1000 EUR (``…_keur``), else 1."""
    return 1000.0 if "_keur" in key else 1.0


def catalogue_dkk(scenario: Scenario, key: str, years: Iterable[int] | None = None
                  ) -> float | np.ndarray:
    """A catalogue value in DKK: a number, or by year when ``years`` is given."""
    factor = dkk_per_catalogue_eur(scenario) * _scale(key)
    if years is None:
        return float(scenario.value(key)) * factor
    return scenario.by_year(key, list(years)) * factor


def area_value(scenario: Scenario, key: str) -> Any:
    """The entry of the table ``key`` for the scenario's ``network.area_type``."""
    area = str(scenario.value("network.area_type"))
    table: Mapping[str, Any] = scenario.value(key)
    if area not in table:
        msg = (f"Scenario parameter network.area_type is {area!r}; {key} has "
               f"{', '.join(table)}. Use one of {', '.join(AREA_TYPES)}.")
        raise ScenarioError(msg)
    return table[area]


def band_value(load_kw: np.ndarray | float, limits: Iterable[float], values: Iterable[float]
               ) -> np.ndarray:
    """The value of the band each load falls in.

    ``limits`` are the bands' upper limits (a load equal to a limit is in that band); loads
    above the last limit take the last value when ``values`` is one longer than ``limits``,
    else the last band's value.

    Examples
    --------
    >>> band_value([10, 50, 51, 30000], [50, 100], [1.0, 2.0, 3.0]).tolist()
    [1.0, 1.0, 2.0, 3.0]
    >>> band_value([10, 120], [50, 100], [1.0, 2.0]).tolist()
    [1.0, 2.0]
    """
    limits = np.asarray(list(limits), dtype=float)
    values = np.asarray(list(values), dtype=float)
    i = np.searchsorted(limits, np.asarray(load_kw, dtype=float), side="left")
    return values[np.minimum(i, len(values) - 1)]
