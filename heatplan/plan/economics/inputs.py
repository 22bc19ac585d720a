"""What each district's economics are computed from: quantities, costs and prices by year.

:func:`district_quantities` sums the properties to convert and the routed network per district
(heat, trench metres, investments at the scenario's cost basis, sunk mains, heat loss);
:func:`alternative_inputs` adds, per district and year of the study period, what its
properties would cost and use at 100 % take-up with district heating, their own heat pumps or
new gas boilers (technology catalogue values, :mod:`heatplan.plan.catalogue`).

A building above ``buildings.large_unit_kw`` of peak load takes the catalogue's 400 kW unit
scaled by its peak (never below one house unit); others one house unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heatplan.core.errors import SchemaError, require_columns
from heatplan.core.scenario import Scenario
from heatplan.model.heat_pump import heat_pump_scop
from heatplan.plan.catalogue import catalogue_dkk
from heatplan.plan.economics.network import share_by_district, sunk_segments, trench_costs
from heatplan.plan.economics.production import production_cost_by_year
from heatplan.plan.network.heat_loss import heat_loss_mwh_a
from heatplan.plan.network.pipes import (
    cost_basis,
    service_line_cost_dkk,
    simultaneity_factor,
    size_pipes,
    station_cost_dkk,
)

INTERNAL_COLUMNS: tuple[str, ...] = ("has_network", "service_full_dkk", "mains_loss_mwh_a",
                                     "service_loss_mwh_a")
"""Columns of :func:`district_quantities` the district table does not keep."""

LARGE_UNIT_KW = 400.0
"""Capacity of the catalogue's apartment-block units (sheets 203.1, 202, 207.5, row 5/6)."""


@dataclass(frozen=True)
class StudyPeriod:
    """The study period: calendar years, discount factors D(0 … N), net tax factor, prices."""

    years: np.ndarray
    factors: np.ndarray
    net_tax_factor: float
    curve: np.ndarray
    """Connected share of the properties to convert in each year (take-up course, §2.8)."""
    prices: dict[str, np.ndarray] = field(default_factory=dict)
    """DKK per MWh (``electricity``, ``gas``), per t (``co2``), per kg
    (``nox``), and t CO2 per MWh (``dh_co2``, ``el_co2``, ``gas_co2``) by year."""

    @property
    def n(self) -> int:
        """Length of the study period, years."""
        return len(self.years)


@dataclass
class AlternativeInputs:
    """Per district (rows, ``index``) and year (columns): the properties at 100 % take-up."""

    index: pd.Index
    demand: np.ndarray
    """Heat demand of the properties to convert, MWh/a (rows)."""
    has_network: np.ndarray
    mains_cost: np.ndarray
    station_cost: np.ndarray
    service_cost: np.ndarray
    mains_loss: np.ndarray
    service_loss: np.ndarray
    """MWh/a lost: mains (whatever the take-up) and all service pipes (at 100 % take-up)."""
    by_year: dict[str, np.ndarray] = field(default_factory=dict)
    """(rows × N) DKK or MWh: ``substation``, ``substation_om``, ``hp_house``, ``hp_large``,
    ``hp_om``, ``hp_electricity`` (MWh), ``boiler_house``, ``boiler_large``, ``boiler_om``,
    ``gas_fuel`` (MWh), ``production`` (DKK per MWh at the plant of the district's source)."""


def district_quantities(conv: pd.DataFrame, districts: pd.DataFrame, trenches: pd.DataFrame,
                        service_pipes: pd.DataFrame, *, scenario: Scenario, final_share: float,
                        done: set) -> pd.DataFrame:
    """Quantities per district (index ``districts.index``): heat, metres, money, loss.

    Columns: ``n_to_convert``, ``n_expected``, ``heated_area_m2``, ``heat_demand_mwh_a``,
    ``trench_m``, ``feeder_trench_m``, ``mains_cost_dkk`` (own + feeder share, not yet
    built), ``sunk_cost_dkk`` (mains and, in districts already built, the station),
    ``station_cost_dkk``, ``service_cost_dkk`` and
    ``connection_cost_dkk`` (service lines and substations of the expected connections, not
    yet connected), ``mains_loss_mwh_a``, ``service_loss_mwh_a`` (100 % take-up),
    ``peak_kw`` (simultaneous, at the expected take-up); and, for the alternatives only,
    ``has_network`` and ``service_full_dkk`` (all service lines still to lay, 100 % take-up),
    listed in :data:`INTERNAL_COLUMNS`.
    """
    by = conv.groupby("district_id", sort=True)
    q = pd.DataFrame(index=districts.index.copy())
    q["n_to_convert"] = by.size().reindex(q.index, fill_value=0).astype(int)
    q["n_expected"] = q["n_to_convert"] * final_share
    q["heated_area_m2"] = by["heated_area_m2"].sum().reindex(q.index, fill_value=0.0)
    q["heat_demand_mwh_a"] = conv["heat_demand_mwh_a"].astype(float).groupby(
        conv["district_id"]).sum().reindex(q.index, fill_value=0.0)
    segs = pd.DataFrame({"m": trenches["length_m"].astype(float)}, index=trenches.index)
    cost = trench_costs(trenches, scenario=scenario)
    sunk = sunk_segments(trenches, done)
    segs["cost"] = cost.where(~sunk, 0.0)
    segs["sunk"] = cost.where(sunk, 0.0)
    segs["loss"] = (heat_loss_mwh_a(trenches["dn"], trenches["length_m"], scenario=scenario)
                    if "dn" in trenches.columns and len(trenches) else 0.0)
    shared = share_by_district(trenches, segs, q["heat_demand_mwh_a"] * final_share)
    q["trench_m"] = shared["own_m"]
    q["feeder_trench_m"] = shared["feeder_m"]
    q["mains_cost_dkk"] = shared["own_cost"] + shared["feeder_cost"]
    q["sunk_cost_dkk"] = shared["own_sunk"] + shared["feeder_sunk"]
    q["mains_loss_mwh_a"] = shared["own_loss"] + shared["feeder_loss"]
    has_network = (q["trench_m"] + q["feeder_trench_m"] > 0) | districts["status"].astype(
        str).eq("existing_dh")
    per_prop = _connection_costs(conv, service_pipes, scenario)
    open_ = ~conv["connection_status"].astype(str).eq("connected")
    for col, name in (("service", "service_cost_dkk"), ("substation", "connection_cost_dkk")):
        full = per_prop[col].where(open_, 0.0).groupby(conv["district_id"]).sum().reindex(
            q.index, fill_value=0.0).where(has_network, 0.0)
        q[name] = full * final_share
        if col == "service":
            q["service_full_dkk"] = full
    q["service_loss_mwh_a"] = per_prop["loss"].groupby(conv["district_id"]).sum().reindex(
        q.index, fill_value=0.0).where(has_network, 0.0)
    peak = conv["peak_load_kw"].astype(float).groupby(conv["district_id"]).sum().reindex(
        q.index, fill_value=0.0) * final_share
    q["peak_kw"] = peak * simultaneity_factor(q["n_expected"].to_numpy(), scenario=scenario)
    station = np.where(has_network & ~districts["status"].astype(str).eq("existing_dh"),
                       station_cost_dkk(q["peak_kw"].to_numpy(), scenario=scenario), 0.0)
    built = q.index.isin(list(done))  # a district built before the plan has its station
    q["station_cost_dkk"] = np.where(built, 0.0, station)
    q["sunk_cost_dkk"] += np.where(built, station, 0.0)
    q["has_network"] = has_network.to_numpy()
    return q


def _connection_costs(conv: pd.DataFrame, service_pipes: pd.DataFrame, scenario: Scenario
                      ) -> pd.DataFrame:
    """Per property: ``service`` line and ``substation`` investment (DKK, first plan year's
    price) and ``loss`` of its service pipe (MWh/a)."""
    peak = conv["peak_load_kw"].astype(float).to_numpy()
    sp = service_pipes.reindex(conv.index)
    length = (sp["length_m"].astype(float).fillna(0.0).to_numpy() if "length_m" in sp.columns
              else np.zeros(len(conv)))
    first = int(scenario.value("phasing.first_year"))
    sub = unit_cost_by_year(peak, "substation", [first], scenario=scenario)[:, 0]
    if cost_basis(scenario) == "all_in":
        sub = np.zeros_like(sub)
    dn, _ = size_pipes(peak, scenario=scenario)
    return pd.DataFrame({
        "service": service_line_cost_dkk(peak, length, scenario=scenario),
        "substation": sub,
        "loss": heat_loss_mwh_a(dn, length, scenario=scenario),
    }, index=conv.index)


def unit_cost_by_year(peak_kw: np.ndarray, kind: str, years: list[int], *, scenario: Scenario,
                      what: str = "investment_keur") -> np.ndarray:
    """(properties × years) DKK of a unit per property: ``kind`` is ``heat_pump``,
    ``substation`` or ``gas_boiler``; ``what`` the catalogue item (``investment_keur`` or
    ``om_eur_a``). Large buildings take the 400 kW unit × peak / 400 kW, at least one house
    unit."""
    house = catalogue_dkk(scenario, f"economics.{kind}_{what}", years)
    large = catalogue_dkk(scenario, f"economics.large_{kind}_{what}", years)
    peak = np.nan_to_num(np.asarray(peak_kw, dtype=float))
    is_large = peak > float(scenario.value("buildings.large_unit_kw"))
    scaled = np.maximum(house[None, :], large[None, :] * (peak / LARGE_UNIT_KW)[:, None])
    return np.where(is_large[:, None], scaled, house[None, :])


def alternative_inputs(conv: pd.DataFrame, quantities: pd.DataFrame, study: StudyPeriod, *,
                       scenario: Scenario, roots: pd.Series | None = None) -> AlternativeInputs:
    """The per-district, per-year inputs of the three alternatives at 100 % take-up.

    ``roots`` is the feed at the root of each district's ``fed_from`` chain
    (:func:`~heatplan.plan.economics.production.feed_roots`); its source's heat production cost
    applies (the default cost where None or empty).
    """
    require_columns(conv, ("peak_load_kw", "heat_pump_system"), table_name="properties",
                    stage="model")
    years = [int(y) for y in study.years]
    index = quantities.index
    peak = conv["peak_load_kw"].astype(float).to_numpy()
    demand = conv["heat_demand_mwh_a"].astype(float).to_numpy()
    is_large = np.nan_to_num(peak) > float(scenario.value("buildings.large_unit_kw"))
    open_ = ~conv["connection_status"].astype(str).eq("connected").to_numpy()
    codes = index.get_indexer(conv["district_id"])
    if (codes < 0).any():
        msg = "properties.district_id holds district ids that are not in the districts layer."
        raise SchemaError(msg)

    def per_district(values: np.ndarray) -> np.ndarray:
        out = np.zeros((len(index), values.shape[1]))
        np.add.at(out, codes, values)
        return out

    def unit(kind: str, what: str = "investment_keur") -> np.ndarray:
        return unit_cost_by_year(peak, kind, years, scenario=scenario, what=what)

    scop = heat_pump_scop(conv["heat_pump_system"], years, scenario=scenario).to_numpy()
    boiler_eff = scenario.by_year("economics.gas_boiler_efficiency", years)
    sub = unit("substation") * (0.0 if cost_basis(scenario) == "all_in" else 1.0)
    hp, boiler = unit("heat_pump"), unit("gas_boiler")
    large = is_large[:, None]
    by_year = {
        "substation": per_district(sub * open_[:, None]),
        "substation_om": per_district(unit("substation", "om_eur_a")),
        "hp_house": per_district(np.where(large, 0.0, hp)),
        "hp_large": per_district(np.where(large, hp, 0.0)),
        "hp_om": per_district(unit("heat_pump", "om_eur_a")),
        "hp_electricity": per_district(demand[:, None] / scop),
        "boiler_house": per_district(np.where(large, 0.0, boiler)),
        "boiler_large": per_district(np.where(large, boiler, 0.0)),
        "boiler_om": per_district(unit("gas_boiler", "om_eur_a")),
        "gas_fuel": per_district(demand[:, None] / boiler_eff[None, :]),
        "production": production_cost_by_year(
            scenario, pd.Series(pd.NA, index=index, dtype="string") if roots is None
            else roots.reindex(index), years),
    }
    return AlternativeInputs(
        index=index,
        demand=quantities["heat_demand_mwh_a"].to_numpy(dtype=float),
        has_network=quantities["has_network"].to_numpy(dtype=bool),
        mains_cost=quantities["mains_cost_dkk"].to_numpy(dtype=float),
        station_cost=quantities["station_cost_dkk"].to_numpy(dtype=float),
        service_cost=quantities["service_full_dkk"].to_numpy(dtype=float),
        mains_loss=quantities["mains_loss_mwh_a"].to_numpy(dtype=float),
        service_loss=quantities["service_loss_mwh_a"].to_numpy(dtype=float),
        by_year=by_year,
    )
