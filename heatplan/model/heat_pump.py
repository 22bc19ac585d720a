"""The heat pump each building would have: its system and its SCOP by year.

One SCOP per building and year serves both the cost and the CO2 of a heat pump (heatplan issue
13). A building's system (scenario ``buildings.*``):

* ``large_radiators`` when its design peak load exceeds ``buildings.large_unit_kw`` (the
  catalogue's apartment-block unit, sheet 207.5);
* ``house_floor_heating`` when it was built in or after
  ``buildings.floor_heating_from_year_built``;
* ``house_radiators`` otherwise (sheet 207.3; gas-converted houses have radiators).

The SCOP of a system in a year is ``emissions.heat_pump_scop.<system>`` interpolated linearly
between the catalogue's years (2015, 2020, 2030, 2050) and held beyond them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario

HEAT_PUMP_SYSTEMS: tuple[str, ...] = ("house_radiators", "house_floor_heating", "large_radiators")
"""The heat-pump systems, as keys of ``emissions.heat_pump_scop``."""

TYPICAL_SYSTEM = "house_radiators"
"""The system of the ``heat_pump`` row of the per-type factor table (the typical conversion)."""


def heat_pump_system(peak_load_kw: pd.Series, year_built: pd.Series, *, scenario: Scenario
                     ) -> pd.Series:
    """Return each building's heat-pump system (one of :data:`HEAT_PUMP_SYSTEMS`).

    Examples
    --------
    >>> from heatplan.core.scenario import load_scenario
    >>> heat_pump_system(pd.Series([6.0, 6.0, 40.0]), pd.Series([1965, 2015, 1965]),
    ...                  scenario=load_scenario()).tolist()
    ['house_radiators', 'house_floor_heating', 'large_radiators']
    """
    large = pd.to_numeric(peak_load_kw, errors="coerce").astype(float) > float(
        scenario.value("buildings.large_unit_kw"))
    built = pd.to_numeric(year_built, errors="coerce").astype(float)
    floor = built >= float(scenario.value("buildings.floor_heating_from_year_built"))
    system = np.where(large.to_numpy(), "large_radiators",
                      np.where(floor.to_numpy(), "house_floor_heating", "house_radiators"))
    return pd.Series(system, index=peak_load_kw.index, name="heat_pump_system", dtype=object)


def scop_by_year(system: str, years: Iterable[int], *, scenario: Scenario) -> np.ndarray:
    """SCOP of one system in each year (kWh heat per kWh electricity)."""
    key = f"emissions.heat_pump_scop.{system}"
    if key not in scenario:
        msg = (f"The scenario has no {key}; heat-pump systems are "
               f"{', '.join(HEAT_PUMP_SYSTEMS)}.")
        raise ScenarioError(msg)
    scop = scenario.by_year(key, list(years))
    if (scop <= 0).any():
        msg = f"Scenario parameter {key} must be above 0 in every year."
        raise ScenarioError(msg)
    return scop


def heat_pump_scop(system: pd.Series, years: Iterable[int], *, scenario: Scenario
                   ) -> pd.DataFrame:
    """Return each building's SCOP in each year: index as ``system``, one column per year.

    Examples
    --------
    >>> from heatplan.core.scenario import load_scenario
    >>> heat_pump_scop(pd.Series(["house_radiators", "large_radiators"]), [2020, 2025],
    ...                scenario=load_scenario()).round(2).to_numpy().tolist()
    [[3.4, 3.5], [3.9, 3.95]]
    """
    years = [int(y) for y in years]
    table = np.ones((len(system), len(years)))
    values = system.astype(str).to_numpy()
    for name in np.unique(values):
        table[values == name] = scop_by_year(name, years, scenario=scenario)[None, :]
    return pd.DataFrame(table, index=system.index, columns=pd.Index(years, name="year"))


def heat_pump_factors(system: pd.Series, years: Iterable[int], *, scenario: Scenario
                      ) -> pd.DataFrame:
    """t CO2 per MWh of heat from each building's heat pump in each year (electricity ÷ SCOP)."""
    years = [int(y) for y in years]
    electricity = scenario.by_year("emissions.electricity_kg_per_kwh", years)
    return heat_pump_scop(system, years, scenario=scenario).rdiv(electricity, axis=1)
