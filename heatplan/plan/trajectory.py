"""The CO2 trajectory of the municipality's building heat, against the base year and the target.

All properties count, not only those converted. Per year ``t`` a property's delivered heat
(``heat_demand_mwh_a``, unchanged over the years) is split into

* the expected share on district heating: for properties offered district heating, the take-up
  share reached ``t − e`` years after the works in their district end in ``e`` (connected
  properties count fully from their connection year, declined ones never);
* for the rest of the individual gas and oil heating (districts kept on individual heating,
  and the long-run non-takers in district-heating districts), a share moving to heat pumps on a
  straight line from the first plan year to ``uptake.remaining_to_heat_pump_year`` (the 2035
  national phase-out of gas for heating homes, domain.md §5.5; the straight line is an
  assumption);
* the remainder keeps today's heating.

Each part is multiplied by the t CO2 / MWh factor of its heating in year ``t``
(``model.emissions.heat_emission_factors``): today's heating by its type; a heat pump by the
building's own SCOP (:mod:`heatplan.model.heat_pump`, the same SCOP the economics count); new
district heating by the factor for new load (``emissions.dh_co2_basis``) per MWh *produced*,
i.e. × the district's heat produced per heat sold (network and station losses). All of it with
and without carbon capture (not secured, domain.md §6.4), and with the final take-up at the
scenario's value and at each of ``uptake.sensitivity_shares``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd

from heatplan.core.scenario import Scenario
from heatplan.model.emissions import new_load_dh_factor
from heatplan.model.heat_pump import heat_pump_factors
from heatplan.plan.uptake import scenario_curve

logger = logging.getLogger(__name__)

OFFERED = "district_heating"


def _dh_share(properties: pd.DataFrame, district_end: pd.Series, years: list[int],
              curve: np.ndarray) -> np.ndarray:
    """Return (properties × years) expected share of heat on district heating."""
    n = len(properties)
    share = np.zeros((n, len(years)))
    yrs = np.asarray(years, dtype=float)
    status = properties.get("connection_status", pd.Series("", index=properties.index))
    status = status.astype("string").fillna("").to_numpy(dtype=str)
    rec = properties.get("recommendation", pd.Series("", index=properties.index)).astype(str)
    offered = rec.eq(OFFERED).to_numpy()
    end = pd.to_numeric(properties["district_id"].map(district_end), errors="coerce").to_numpy(
        dtype=float)
    # connected: full from the connection year (or the district's end year when unknown)
    conn_year = (pd.to_numeric(properties["connection_year"], errors="coerce").to_numpy(
        dtype=float) if "connection_year" in properties.columns else np.full(n, np.nan))
    is_conn = offered & (status == "connected")
    cy = np.where(np.isnan(conn_year), end, conn_year)
    share[is_conn] = (yrs[None, :] >= cy[is_conn, None]).astype(float)
    # the others: district expected share, less what the connected ones already account for
    rest = offered & ~is_conn & (status != "declined") & ~np.isnan(end)
    if rest.any():
        frame = pd.DataFrame({"d": properties["district_id"].to_numpy(), "conn": is_conn,
                              "dec": offered & (status == "declined"), "off": offered})
        per = frame[frame["off"]].groupby("d").agg(n=("off", "size"), c=("conn", "sum"),
                                                   x=("dec", "sum"))
        d = properties["district_id"].to_numpy()[rest]
        n_d = per["n"].reindex(d).to_numpy(dtype=float)
        c_d = per["c"].reindex(d).to_numpy(dtype=float)
        x_d = per["x"].reindex(d).to_numpy(dtype=float)
        k = yrs[None, :] - end[rest, None]
        cum = np.where(k >= 0, np.asarray(curve)[np.clip(k, 0, len(curve) - 1).astype(int)], 0.0)
        open_ = np.maximum(n_d - c_d - x_d, 1.0)[:, None]
        share[rest] = np.clip((cum * n_d[:, None] - c_d[:, None]) / open_, 0.0, 1.0)
    return share


def heat_pump_switch_year(scenario: Scenario) -> int:
    """The year one building on individual gas or oil is expected to have a heat pump.

    The trajectory moves the remaining individual gas and oil heating to heat pumps on a
    straight line from ``phasing.first_year`` to ``uptake.remaining_to_heat_pump_year``; a
    building's expected switch is the first year by which half of them have moved.

    Examples
    --------
    >>> from heatplan.core.scenario import load_scenario
    >>> heat_pump_switch_year(load_scenario())  # 2024 … 2035: 6 of 12 years by 2029
    2029
    """
    first = int(scenario.value("phasing.first_year"))
    last = int(scenario.value("uptake.remaining_to_heat_pump_year"))
    span = max(last - first + 1, 1)
    return first - 1 + int(np.ceil(0.5 * span))


def co2_trajectory(
    properties: pd.DataFrame,
    district_end: pd.Series,
    *,
    scenario: Scenario,
    factors: Mapping[bool, pd.DataFrame],
    years: list[int] | None = None,
    lang: str = "da",
    dh_produced_per_sold: pd.Series | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Return the yearly CO2 of building heat under the plan, and notes on the target.

    Parameters
    ----------
    properties
        All properties, index ``property_id``: ``district_id``, ``heating_type``,
        ``heat_demand_mwh_a`` (MWh/a), ``is_to_convert``, ``recommendation``, optional
        ``connection_status`` and ``connection_year``.
    district_end
        Year the works end, per district (index ``district_id``).
    scenario
        Supplies ``general.*`` (base, target year, target share, horizon), ``phasing.first_year``
        and ``uptake.*``.
    factors
        t CO2 per MWh delivered heat (index ``heating_type``, columns years) with carbon capture
        (key ``True``) and without (``False``); the scenario's own setting
        (``emissions.ccs_enabled``) gives ``co2_t``.
    years
        Years of the table; ``general.base_year`` … ``general.horizon_end_year`` when None.
    lang
        Language of the notes (``"da"`` or ``"en"``).
    dh_produced_per_sold
        Per district (index ``district_id``): heat produced per heat sold of its new network
        (1 where missing).

    Returns
    -------
    trajectory, notes
        ``trajectory``: index ``year``; ``baseline_co2_t`` (all building heat in the base
        year), ``target_co2_t`` (baseline × (1 − target share)), ``co2_t`` (the plan),
        ``co2_with_ccs_t``, ``co2_without_ccs_t``, ``co2_no_plan_t`` (nobody converts),
        ``co2_takeup_<pct>_t`` per sensitivity share, ``reduction_share`` (of ``co2_t``
        against the baseline). ``notes``: plain sentences on whether and by how much the
        target year's target is reached.
    """
    base = int(scenario.value("general.base_year"))
    if years is None:
        years = list(range(base, int(scenario.value("general.horizon_end_year")) + 1))
    years = [int(y) for y in years]
    ccs_on = bool(scenario.value("emissions.ccs_enabled"))
    split = _HeatSplit(properties, district_end, years, scenario, dh_produced_per_sold)
    total = split.co2_t
    types = split.types
    demand = split.demand
    table = pd.DataFrame(index=pd.Index(years, name="year"))
    own = factors[ccs_on]
    base_fac = own.reindex(columns=[base])
    baseline = float((demand * base_fac.reindex(types.to_numpy()).fillna(0.0).to_numpy()[:, 0])
                     .sum())
    share = float(scenario.value("general.target_reduction_share"))
    table["baseline_co2_t"] = baseline
    table["target_co2_t"] = baseline * (1.0 - share)
    table["co2_t"] = total(own, None, ccs=ccs_on)
    table["co2_with_ccs_t"] = total(factors[True], None, ccs=True)
    table["co2_without_ccs_t"] = total(factors[False], None, ccs=False)
    table["co2_no_plan_t"] = total(own, None, plan=False, ccs=ccs_on)
    for s in scenario.value("uptake.sensitivity_shares"):
        table[f"co2_takeup_{round(float(s) * 100)}_t"] = total(own, float(s), ccs=ccs_on)
    table["reduction_share"] = 1.0 - table["co2_t"] / baseline if baseline > 0 else np.nan
    notes = _notes(table, scenario, lang)
    logger.info("CO2 trajectory %d–%d: %s", years[0], years[-1], notes[0] if notes else "")
    return table, notes


class _HeatSplit:
    """How each property's heat splits over district heating, heat pumps and today's heating.

    :meth:`co2_t` prices the split at a factor table; the district-heating shares per take-up
    setting are computed once and reused.
    """

    def __init__(self, properties: pd.DataFrame, district_end: pd.Series, years: list[int],
                 scenario: Scenario, produced_per_sold: pd.Series | None = None) -> None:
        self.properties = properties
        self.district_end = district_end
        self.years = years
        self.scenario = scenario
        self.types = properties["heating_type"].astype(str)
        self.demand = properties["heat_demand_mwh_a"].astype(float).to_numpy()
        rec = properties.get("recommendation", pd.Series("", index=properties.index))
        self.offered = rec.astype(str).eq(OFFERED).to_numpy()
        self.convertible = properties["is_to_convert"].astype(bool).to_numpy()
        status = properties.get("connection_status", pd.Series("", index=properties.index))
        self.connected = status.astype("string").fillna("").eq("connected").to_numpy()
        first = int(scenario.value("phasing.first_year"))
        hp_year = int(scenario.value("uptake.remaining_to_heat_pump_year"))
        yrs = np.asarray(years, dtype=float)
        self.hp_path = np.clip((yrs - first + 1) / max(hp_year - first + 1, 1), 0.0, 1.0)
        self.final = float(scenario.value("uptake.final_share"))
        self.shares: dict[float | None, np.ndarray] = {}
        self.hp_own = (heat_pump_factors(properties["heat_pump_system"], years,
                                         scenario=scenario).to_numpy()
                       if "heat_pump_system" in properties.columns else None)
        gross = (properties["district_id"].map(produced_per_sold) if produced_per_sold is not None
                 else pd.Series(np.nan, index=properties.index))
        self.gross_up = pd.to_numeric(gross, errors="coerce").fillna(1.0).to_numpy()[:, None]

    def _dh_shares(self, final_share: float | None) -> np.ndarray:
        if final_share not in self.shares:
            curve = scenario_curve(self.scenario, len(self.years) + 60, final_share=final_share)
            s = _dh_share(self.properties, self.district_end, self.years, curve)
            s[~self.convertible & ~self.connected] = 0.0
            self.shares[final_share] = s
        return self.shares[final_share]

    def co2_t(self, fac: pd.DataFrame, final_share: float | None, plan: bool = True, *,
              ccs: bool = False) -> np.ndarray:
        """t CO2 per year at ``fac``; today's heating throughout when not ``plan``.

        New district heating counts at the factor for new load (``fac``'s district heating,
        or the marginal factor with carbon capture when ``ccs``) × the district's heat produced
        per heat sold.
        """
        f = fac.reindex(columns=self.years)
        cur = f.reindex(self.types.to_numpy()).fillna(0.0).to_numpy()
        hp = (self.hp_own if self.hp_own is not None
              else f.loc["heat_pump"].to_numpy()[None, :])
        if self.hp_own is not None:
            cur = np.where(self.types.eq("heat_pump").to_numpy()[:, None], self.hp_own, cur)
        demand = self.demand
        if not plan:
            return (demand[:, None] * cur).sum(axis=0)
        if str(self.scenario.value("emissions.dh_co2_basis")) == "average":
            new_dh = f.loc["district_heating"].to_numpy()[None, :]
        else:
            new_dh = new_load_dh_factor(
                self.scenario.with_values(emissions__ccs_enabled=ccs), self.years)[None, :]
        dh = np.where(self.types.eq("district_heating").to_numpy()[:, None],
                      f.loc["district_heating"].to_numpy()[None, :], new_dh * self.gross_up)
        s_dh = self._dh_shares(final_share)
        long_run = self.final if final_share is None else float(final_share)
        never = np.where(self.offered, 1.0 - long_run, 1.0)[:, None]
        s_hp = np.where(self.convertible[:, None],
                        np.minimum(self.hp_path[None, :] * never, 1.0 - s_dh), 0.0)
        rest = 1.0 - s_dh - s_hp
        return (demand[:, None] * (s_dh * dh + s_hp * hp + rest * cur)).sum(axis=0)


def _notes(table: pd.DataFrame, scenario: Scenario, lang: str) -> list[str]:
    target_year = int(scenario.value("general.target_year"))
    share = float(scenario.value("general.target_reduction_share"))
    if target_year not in table.index:
        return []
    row = table.loc[target_year]
    da = lang == "da"

    def num(x: float, d: int = 0) -> str:
        t = f"{x:,.{d}f}"
        return t.replace(",", "_").replace(".", ",").replace("_", ".") if da else t

    baseline = row["baseline_co2_t"]
    notes = []
    cases = (("co2_without_ccs_t", "uden CO2-fangst", "without carbon capture"),
             ("co2_with_ccs_t", "med CO2-fangst", "with carbon capture"))
    for col, name_da, name_en in cases:
        value = row[col]
        red = 1 - value / baseline if baseline else 0.0
        gap = value - row["target_co2_t"]
        if gap <= 0:
            notes.append(
                f"{target_year} {name_da}: {num(value)} t CO2 fra bygningers opvarmning, "
                f"{num(red * 100, 1)} % under {int(table.index[0])}; målet om −"
                f"{num(share * 100)} % nås." if da else
                f"{target_year} {name_en}: {num(value)} t CO2 from building heat, "
                f"{num(red * 100, 1)} % below {int(table.index[0])}; the −{num(share * 100)} % "
                f"target is reached.")
        else:
            notes.append(
                f"{target_year} {name_da}: {num(value)} t CO2 fra bygningers opvarmning, "
                f"{num(red * 100, 1)} % under {int(table.index[0])}. Målet om −"
                f"{num(share * 100)} % ({num(row['target_co2_t'])} t) nås ikke med "
                f"bygningsvarme alene: der mangler {num(gap)} t "
                f"({num((share - red) * 100, 1)} procentpoint)." if da else
                f"{target_year} {name_en}: {num(value)} t CO2 from building heat, "
                f"{num(red * 100, 1)} % below {int(table.index[0])}. Building heat alone does "
                f"not reach the −{num(share * 100)} % target ({num(row['target_co2_t'])} t): "
                f"{num(gap)} t short ({num((share - red) * 100, 1)} percentage points).")
    sens = [c for c in table.columns if c.startswith("co2_takeup_")]
    if sens:
        parts = ", ".join(f"{c.split('_')[2]} %: {num(row[c])} t" for c in sens)
        notes.append(f"Følsomhed for tilslutning i {target_year}: {parts}." if da else
                     f"Sensitivity to take-up in {target_year}: {parts}.")
    return notes


def co2_after_plan(
    properties: pd.DataFrame, factor_t_per_mwh: pd.Series, *,
    heat_pump_factor: pd.Series | float, new_dh_factor: pd.Series | float,
) -> pd.Series:
    """t CO2/a of each property with the heating the plan gives it, at one year's factors.

    District heating for ``existing_dh`` (today's factor) and for ``district_heating``
    properties expected to connect (a ``connection_year``; ``new_dh_factor``, t CO2 per MWh
    sold: the new-load factor × heat produced per heat sold); the property's own heat pump
    (``heat_pump_factor``, t CO2 per MWh) for ``individual_heat_pump``; today's heating
    otherwise, non-takers included. ``factor_t_per_mwh`` is indexed by heating type (one column
    of ``heat_emission_factors``), the same year as ``co2_t_a`` so that the difference is the
    plan's own effect.
    """
    connects = properties["recommendation"].eq("district_heating") & properties[
        "connection_year"
    ].notna()
    factor = properties["heating_type"].map(factor_t_per_mwh).fillna(0.0).astype(float)
    factor = factor.where(~properties["recommendation"].eq("existing_dh"),
                          float(factor_t_per_mwh["district_heating"]))
    new_dh = (new_dh_factor.reindex(properties.index) if isinstance(new_dh_factor, pd.Series)
              else pd.Series(float(new_dh_factor), index=properties.index))
    factor = factor.where(~connects, new_dh)
    hp = (heat_pump_factor.reindex(properties.index) if isinstance(heat_pump_factor, pd.Series)
          else pd.Series(float(heat_pump_factor), index=properties.index))
    factor = factor.where(~properties["recommendation"].eq("individual_heat_pump"), hp)
    return (properties["heat_demand_mwh_a"].astype(float) * factor).rename("co2_after_t_a")
