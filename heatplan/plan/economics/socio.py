"""The socio-economic comparison (samfundsøkonomi) of each district, per Energistyrelsen's
*Vejledning i samfundsøkonomiske analyser på energiområdet* (2021).

Three alternatives for the district's properties to convert, over the study period
(``economics.study_period_years``, year 0 = ``phasing.first_year``), with the same connection
course in each (§2.8: the connected share ``s(t)`` of the take-up curve, ``uptake.*``):

* **district heating**: mains not yet built and exchanger stations in year 0; a service line and
  a house substation per connection; heat produced = (heat sold + network loss) ÷ (1 − station
  loss), at the heat production cost of the district's source
  (:mod:`heatplan.plan.economics.production`); pumping electricity
  (``network.pumping_electricity_share`` of the heat produced); the network's variable O&M and
  the substations' O&M; the CO2 of the heat produced (``emissions.dh_co2_basis``) and of the
  pumping electricity;
* **individual heat pumps** (the reference, §2.5): a unit per connecting property (reinvested
  after its lifetime), electricity = heat ÷ the building's SCOP of the year, O&M, CO2;
* **individual gas boilers** (optional second reference): a new boiler, gas = heat ÷ the
  boiler's efficiency, O&M, CO2 and NOx.

All amounts are factor prices × the net tax factor (§3.1.4), discounted with the stepped rate
(:mod:`heatplan.plan.economics.present_value`), less scrap values at the end of the period. The
result per district is the present value of each alternative, by component, and the average
yearly CO2 of each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from heatplan.core.scenario import Scenario
from heatplan.plan.economics.inputs import AlternativeInputs, StudyPeriod
from heatplan.plan.economics.present_value import asset_flows, present_value

DH_COMPONENTS: tuple[str, ...] = ("mains", "stations", "connections", "production", "loss",
                                  "pumping", "om", "co2")
"""Present-value components of district heating (``loss``: production cost of lost heat)."""
HP_COMPONENTS: tuple[str, ...] = ("units", "electricity", "om", "co2")
"""Present-value components of individual heat pumps."""
GAS_COMPONENTS: tuple[str, ...] = ("units", "fuel", "om", "co2")
"""Present-value components of individual gas boilers (``co2`` includes NOx)."""

GJ_PER_MWH = 3.6


@dataclass(frozen=True)
class Drivers:
    """Multipliers of the sensitivity cases (1 = the scenario's value)."""

    trench: float = 1.0
    production: float = 1.0
    electricity: float = 1.0
    heat_pump: float = 1.0
    loss: float = 1.0


def _lifetime(scenario: Scenario, key: str) -> int:
    return int(scenario.value(key))


def _added(curve: np.ndarray) -> np.ndarray:
    """Share of the properties connecting in each year."""
    return np.diff(np.concatenate([[0.0], curve]))


def _pv(study: StudyPeriod, flows: np.ndarray, scrap: np.ndarray | None = None) -> np.ndarray:
    return present_value(flows, study.factors, scrap) * study.net_tax_factor


def district_heating(inp: AlternativeInputs, study: StudyPeriod, scenario: Scenario,
                     drivers: Drivers = Drivers()) -> tuple[pd.DataFrame, np.ndarray]:
    """Present value (DKK) of district heating by component, and its CO2 (t) per year.

    Districts without a routed network get NaN.
    """
    k, n = len(inp.index), study.n
    share, added = study.curve, _added(study.curve)
    at_start = np.zeros((k, n))
    at_start[:, 0] = 1.0
    net_life = _lifetime(scenario, "network.lifetime_years")
    mains, mains_scrap = asset_flows(at_start, (inp.mains_cost * drivers.trench)[:, None],
                                     net_life)
    stations, st_scrap = asset_flows(at_start, inp.station_cost[:, None], net_life)
    lines, lines_scrap = asset_flows(np.broadcast_to(added, (k, n)),
                                     inp.service_cost[:, None],
                                     _lifetime(scenario, "economics.service_line_lifetime_years"))
    subs, subs_scrap = asset_flows(np.broadcast_to(added, (k, n)), inp.by_year["substation"],
                                   _lifetime(scenario, "economics.substation_lifetime_years"))
    sold = inp.demand[:, None] * share[None, :]
    loss = drivers.loss * (inp.mains_loss[:, None] + inp.service_loss[:, None] * share[None, :])
    keep = 1.0 - float(scenario.value("network.station_loss_share"))
    produced = (sold + loss) / keep
    price = study.prices
    cost = inp.by_year["production"] * drivers.production
    pumping = float(scenario.value("network.pumping_electricity_share")) * produced
    om = (sold * price["network_om"] + share[None, :] * inp.by_year["substation_om"])
    co2_t = produced * price["dh_co2"] + pumping * price["el_co2"]
    pv = pd.DataFrame({
        "mains": _pv(study, mains, mains_scrap),
        "stations": _pv(study, stations, st_scrap),
        "connections": _pv(study, lines + subs, lines_scrap + subs_scrap),
        "production": _pv(study, sold / keep * cost),
        "loss": _pv(study, loss / keep * cost),
        "pumping": _pv(study, pumping * price["electricity"] * drivers.electricity),
        "om": _pv(study, om),
        "co2": _pv(study, co2_t * price["co2"]),
    }, index=inp.index)
    pv.loc[~inp.has_network, :] = np.nan
    co2_t[~inp.has_network] = np.nan
    return pv, co2_t


def heat_pumps(inp: AlternativeInputs, study: StudyPeriod, scenario: Scenario,
               drivers: Drivers = Drivers()) -> tuple[pd.DataFrame, np.ndarray]:
    """Present value (DKK) of individual heat pumps by component, and their CO2 (t) per year."""
    k, n = len(inp.index), study.n
    share, added = study.curve, np.broadcast_to(_added(study.curve), (k, n))
    house, house_scrap = asset_flows(added, inp.by_year["hp_house"] * drivers.heat_pump,
                                     _lifetime(scenario, "economics.heat_pump_lifetime_years"))
    large, large_scrap = asset_flows(
        added, inp.by_year["hp_large"] * drivers.heat_pump,
        _lifetime(scenario, "economics.large_heat_pump_lifetime_years"))
    electricity = inp.by_year["hp_electricity"] * share[None, :]
    price = study.prices
    co2_t = electricity * price["el_co2"]
    pv = pd.DataFrame({
        "units": _pv(study, house + large, house_scrap + large_scrap),
        "electricity": _pv(study, electricity * price["electricity"] * drivers.electricity),
        "om": _pv(study, inp.by_year["hp_om"] * share[None, :]),
        "co2": _pv(study, co2_t * price["co2"]),
    }, index=inp.index)
    return pv, co2_t


def gas_boilers(inp: AlternativeInputs, study: StudyPeriod, scenario: Scenario
                ) -> tuple[pd.DataFrame, np.ndarray]:
    """Present value (DKK) of new individual gas boilers by component, and their CO2 (t)."""
    k, n = len(inp.index), study.n
    share, added = study.curve, np.broadcast_to(_added(study.curve), (k, n))
    house, house_scrap = asset_flows(added, inp.by_year["boiler_house"],
                                     _lifetime(scenario, "economics.gas_boiler_lifetime_years"))
    large, large_scrap = asset_flows(added, inp.by_year["boiler_large"],
                                     _lifetime(scenario, "economics.gas_boiler_lifetime_years"))
    fuel = inp.by_year["gas_fuel"] * share[None, :]
    price = study.prices
    co2_t = fuel * price["gas_co2"]
    nox_kg = fuel * GJ_PER_MWH * price["gas_nox"] / 1000.0
    pv = pd.DataFrame({
        "units": _pv(study, house + large, house_scrap + large_scrap),
        "fuel": _pv(study, fuel * price["gas"]),
        "om": _pv(study, inp.by_year["boiler_om"] * share[None, :]),
        "co2": _pv(study, co2_t * price["co2"] + nox_kg * price["nox"]),
    }, index=inp.index)
    return pv, co2_t


def sold_heat_pv(inp: AlternativeInputs, study: StudyPeriod) -> np.ndarray:
    """Discounted heat delivered to the properties (MWh), for levelised costs per MWh."""
    return present_value(inp.demand[:, None] * study.curve[None, :], study.factors)


REFERENCES: tuple[str, ...] = ("heat_pump", "gas")
"""What ``economics.reference`` may say."""

DRIVER_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "investment": (("mains", "stations", "connections"), ("units",)),
    "energy": (("production", "pumping"), ("electricity", "fuel")),
    "loss": (("loss",), ()),
    "om": (("om",), ("om",)),
    "co2": (("co2",), ("co2",)),
}
"""The parts of the difference (district heating − reference) the report names as drivers:
DH components and the reference's components of each part."""


def reference_of(scenario: Scenario) -> str:
    """The scenario's ``economics.reference``, checked."""
    from heatplan.core.errors import ScenarioError

    reference = str(scenario.value("economics.reference"))
    if reference not in REFERENCES:
        msg = f"Scenario parameter economics.reference is {reference!r}; use heat_pump or gas."
        raise ScenarioError(msg)
    return reference


def compare_alternatives(inp: AlternativeInputs, study: StudyPeriod, scenario: Scenario,
                         drivers: Drivers = Drivers()) -> pd.DataFrame:
    """Present values (million DKK), drivers, CO2 (t/a) and levelised costs per district.

    Columns: ``npv_dh_mdkk``, ``npv_hp_mdkk``, ``npv_gas_mdkk``, ``npv_difference_mdkk``
    (district heating − the reference of ``economics.reference``; below 0: district heating is
    cheaper), ``pv_difference_<part>_mdkk`` per part of :data:`DRIVER_PARTS`,
    ``co2_dh_t_a``, ``co2_hp_t_a``, ``co2_gas_t_a`` (average over the study period),
    ``dh_cost_dkk_per_mwh``, ``hp_cost_dkk_per_mwh`` (present value ÷ discounted heat sold).
    """
    dh, co2_dh = district_heating(inp, study, scenario, drivers)
    hp, co2_hp = heat_pumps(inp, study, scenario, drivers)
    gas, co2_gas = gas_boilers(inp, study, scenario)
    ref = hp if reference_of(scenario) == "heat_pump" else gas
    out = pd.DataFrame(index=inp.index)
    out["npv_dh_mdkk"] = dh.sum(axis=1, min_count=1) / 1e6
    out["npv_hp_mdkk"] = hp.sum(axis=1) / 1e6
    out["npv_gas_mdkk"] = gas.sum(axis=1) / 1e6
    out["npv_difference_mdkk"] = out["npv_dh_mdkk"] - ref.sum(axis=1) / 1e6
    for part, (dh_parts, ref_parts) in DRIVER_PARTS.items():
        ref_sum = ref[[c for c in ref_parts if c in ref.columns]].sum(axis=1)
        out[f"pv_difference_{part}_mdkk"] = (dh[list(dh_parts)].sum(axis=1, min_count=1)
                                             - ref_sum) / 1e6
    out["co2_dh_t_a"] = co2_dh.mean(axis=1)  # NaN without a network
    out["co2_hp_t_a"] = co2_hp.mean(axis=1)
    out["co2_gas_t_a"] = co2_gas.mean(axis=1)
    sold = sold_heat_pv(inp, study)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["dh_cost_dkk_per_mwh"] = np.where(sold > 0, out["npv_dh_mdkk"] * 1e6 / sold, np.nan)
        out["hp_cost_dkk_per_mwh"] = np.where(sold > 0, out["npv_hp_mdkk"] * 1e6 / sold, np.nan)
    return out
