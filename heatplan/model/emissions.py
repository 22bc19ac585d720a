"""CO2 per MWh of delivered heat by heating type and year, and CO2 per property and year.

Factors (scenario ``emissions.*``, defaults in ``heatplan/scenario/emissions.toml``), all in
t CO2 per MWh of *delivered* heat (= kg per kWh):

* individual fuels: fuel factor ÷ efficiency (natural gas by BR18's year series, like
  electricity and district heating: 0.105 / 0.90 from 2030; oil 0.266 / 0.80);
* electric panels: electricity factor of the year ÷ 1.0; heat pumps: ÷ the year's SCOP of
  their system (:mod:`heatplan.model.heat_pump`; the per-type table takes the typical house
  with radiators, a building with a ``heat_pump_system`` column its own);
* district heating: the year's DH factor; with carbon capture (``emissions.ccs_enabled``) from
  ``ccs_start_year`` on, multiplied by ``1 − ccs_capture_share × ccs_covered_share``;
* solid fuel (biomass) 0; no heating 0.

New district-heating load is counted per MWh *produced* (heat sold plus network losses) at
:func:`new_load_dh_factor`: the supplier's average factor or the marginal CO2 of added load,
as ``emissions.dh_co2_basis`` says.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd

from heatplan.core.errors import ScenarioError, require_columns
from heatplan.core.scenario import Scenario
from heatplan.model.heat_pump import TYPICAL_SYSTEM, heat_pump_factors, scop_by_year
from heatplan.model.heating import HEATING_TYPES

logger = logging.getLogger(__name__)

_FUEL_TYPES = ("natural_gas", "oil", "solid_fuel", "other")


def _number(scenario: Scenario, key: str, *, low: float, high: float | None = None,
            low_open: bool = False) -> float:
    """Return the scenario value ``key`` as a float, checked to lie in its allowed range."""
    value = scenario.value(key)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    too_low = number <= low if low_open else number < low
    if not np.isfinite(number) or too_low or (high is not None and number > high):
        bound = f"{'>' if low_open else '≥'} {low:g}" + (f" and ≤ {high:g}" if high else "")
        msg = f"Scenario parameter {key} is {value!r}; it must be a number {bound}."
        raise ScenarioError(msg)
    return number


def district_heating_factor(scenario: Scenario, years: Iterable[int], *,
                            key: str = "emissions.district_heating_kg_per_kwh") -> np.ndarray:
    """Return the DH factor (t CO2 per MWh) of each year from ``key``, with CCS if enabled."""
    years = np.asarray(list(years), dtype=int)
    factor = scenario.by_year(key, years)
    if bool(scenario.value("emissions.ccs_enabled")):
        start = int(scenario.value("emissions.ccs_start_year"))
        kept = 1.0 - _number(scenario, "emissions.ccs_capture_share", low=0, high=1) * _number(
            scenario, "emissions.ccs_covered_share", low=0, high=1
        )
        factor = np.where(years >= start, factor * kept, factor)
    return factor


DH_CO2_BASES = ("average", "marginal")
"""What ``emissions.dh_co2_basis`` may say."""


def new_load_dh_factor(scenario: Scenario, years: Iterable[int]) -> np.ndarray:
    """t CO2 per MWh of district heat produced for new load, by year.

    ``average``: the supplier's average factor (``emissions.district_heating_kg_per_kwh``);
    ``marginal``: ``emissions.dh_marginal_kg_per_kwh``; both with carbon capture if enabled.
    """
    basis = str(scenario.value("emissions.dh_co2_basis"))
    if basis not in DH_CO2_BASES:
        msg = (f"Scenario parameter emissions.dh_co2_basis is {basis!r}; use "
               f"{' or '.join(DH_CO2_BASES)}.")
        raise ScenarioError(msg)
    key = ("emissions.district_heating_kg_per_kwh" if basis == "average"
           else "emissions.dh_marginal_kg_per_kwh")
    return district_heating_factor(scenario, years, key=key)


def heat_emission_factors(scenario: Scenario, years: Iterable[int]) -> pd.DataFrame:
    """Return t CO2 per MWh of delivered heat for every heating type and year.

    Parameters
    ----------
    scenario
        Supplies ``emissions.*``.
    years
        The years wanted (ints).

    Returns
    -------
    factors
        Index ``heating_type`` (all of ``heating.HEATING_TYPES``), one column per year.

    Examples
    --------
    >>> from heatplan.core.scenario import load_scenario
    >>> f = heat_emission_factors(load_scenario(), [2030])
    >>> [round(float(f.loc[t, 2030]), 4) for t in ("natural_gas", "district_heating")]
    [0.1167, 0.0713]
    """
    years = [int(y) for y in years]
    n = len(years)
    eff = {
        name: _number(scenario, f"emissions.efficiency.{name}", low=0, low_open=True)
        for name in scenario.section("emissions.efficiency")
    }
    electricity = scenario.by_year("emissions.electricity_kg_per_kwh", years)
    scop = scop_by_year(TYPICAL_SYSTEM, years, scenario=scenario)
    rows: dict[str, np.ndarray] = {
        "district_heating": district_heating_factor(scenario, years)
        / eff.get("district_heating", 1.0),
        "heat_pump": electricity / scop,
        "electric": electricity / eff.get("electric", 1.0),
        "none": np.zeros(n),
    }
    for fuel in _FUEL_TYPES:
        factor = scenario.by_year(f"emissions.{fuel}_kg_per_kwh", years)
        rows[fuel] = factor / eff[fuel]
    table = pd.DataFrame(
        [rows[t] for t in HEATING_TYPES], index=pd.Index(list(HEATING_TYPES), name="heating_type"),
        columns=pd.Index(years, name="year"),
    )
    return table


def _heating_and_demand(properties: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each property's position in HEATING_TYPES and its heat demand, MWh/a."""
    require_columns(properties, ("heating_type", "heat_demand_mwh_a"), table_name="properties",
                    stage="model")
    codes = _type_codes(properties["heating_type"].astype(str))
    return codes, properties["heat_demand_mwh_a"].astype(float).to_numpy(dtype=float)


def _type_codes(heating_type: pd.Series) -> np.ndarray:
    """Return each property's position in HEATING_TYPES (unknown types count as ``other``)."""
    order = {t: i for i, t in enumerate(HEATING_TYPES)}
    values = pd.Series(heating_type.to_numpy(), dtype=object)
    return values.map(order).fillna(order["other"]).to_numpy(dtype=np.intp)


def _switched(
    index: pd.Index, years: list[int], dh_from_year: pd.Series | None
) -> np.ndarray | None:
    """Return an (n, years) mask: True where the property is on district heating by switch."""
    if dh_from_year is None:
        return None
    switch = pd.to_numeric(dh_from_year, errors="coerce").astype(float)
    switch = switch[~switch.index.duplicated(keep="first")].reindex(index).to_numpy(dtype=float)
    return np.asarray(years, dtype=float)[None, :] >= switch[:, None]  # NaN compares False


def property_emissions(
    properties: pd.DataFrame,
    *,
    scenario: Scenario,
    years: Iterable[int],
    dh_from_year: pd.Series | None = None,
    hp_from_year: pd.Series | None = None,
) -> pd.DataFrame:
    """Return each property's CO2 from heating, in t per year, for each year.

    Parameters
    ----------
    properties
        Indexed by ``property_id``; ``heat_demand_mwh_a`` and ``heating_type`` (the model
        stage's columns); with ``heat_pump_system``, a heat pump (today's or a switch to one)
        counts at the building's own SCOP, else at the typical house's.
    scenario
        Supplies ``emissions.*``.
    years
        The years wanted.
    dh_from_year
        Optional, indexed by ``property_id``: the year from which a property is heated by
        district heating (empty/NaN: keeps its current heating). Demand is unchanged.
    hp_from_year
        Optional, likewise: the year from which it has its own heat pump (district heating
        wins where both are given).

    Returns
    -------
    co2
        Index ``property_id``, one column per year, t CO2 per year.
    """
    years = [int(y) for y in years]
    factors = heat_emission_factors(scenario, years).to_numpy()
    codes, demand = _heating_and_demand(properties)
    values = factors[codes]  # (n, years): each row its type's factors
    hp_own = None
    if "heat_pump_system" in properties.columns:
        hp_own = heat_pump_factors(properties["heat_pump_system"], years,
                                   scenario=scenario).to_numpy()
        is_hp = codes == list(HEATING_TYPES).index("heat_pump")
        values[is_hp] = hp_own[is_hp]
    to_hp = _switched(properties.index, years, hp_from_year)
    if to_hp is not None:
        hp = (hp_own if hp_own is not None
              else np.broadcast_to(factors[list(HEATING_TYPES).index("heat_pump")], values.shape))
        np.copyto(values, hp, where=to_hp)
    switched = _switched(properties.index, years, dh_from_year)
    if switched is not None:
        dh = factors[list(HEATING_TYPES).index("district_heating")]
        np.copyto(values, np.broadcast_to(dh[None, :], values.shape), where=switched)
    return pd.DataFrame(
        values * demand[:, None], index=properties.index.rename("property_id"),
        columns=pd.Index(years, name="year"),
    )


def emissions_by_heating_type(
    properties: pd.DataFrame,
    *,
    scenario: Scenario,
    years: Iterable[int],
    dh_from_year: pd.Series | None = None,
) -> pd.DataFrame:
    """Return total CO2 (t per year) by the heating type in use in each year.

    Same inputs as :func:`property_emissions`; a property that switches to district heating
    counts under ``district_heating`` from its switch year.

    Returns
    -------
    totals
        Index ``heating_type`` (all of ``heating.HEATING_TYPES``), one column per year, t CO2.
    """
    years = [int(y) for y in years]
    factors = heat_emission_factors(scenario, years).to_numpy()
    codes, demand = _heating_and_demand(properties)
    switched = _switched(properties.index, years, dh_from_year)
    k = len(HEATING_TYPES)
    dh = list(HEATING_TYPES).index("district_heating")
    # heat (MWh) by the type in use in each year, then × that type's factor of the year
    heat = np.zeros((k, len(years)))
    for j in range(len(years)):
        on_dh = switched[:, j] if switched is not None else np.zeros(len(codes), bool)
        heat[:, j] = np.bincount(codes[~on_dh], weights=demand[~on_dh], minlength=k)
        heat[dh, j] += demand[on_dh].sum()
    totals = heat * factors
    return pd.DataFrame(
        totals, index=pd.Index(list(HEATING_TYPES), name="heating_type"),
        columns=pd.Index(years, name="year"),
    )
