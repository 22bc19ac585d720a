"""The whole rollout: district economics → schedule → properties, trenches, years and CO2.

:func:`plan_rollout` takes the model stage's properties, the districts and the routed network,
and returns the :class:`~heatplan.plan.result.Plan` (without the renovation ranking and the
input layers that the pipeline adds).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from heatplan.core.errors import require_columns
from heatplan.core.scenario import Scenario
from heatplan.model.emissions import new_load_dh_factor
from heatplan.model.heat_pump import heat_pump_factors
from heatplan.model.heating import heating_mix
from heatplan.plan.economics import (
    BILL_COLUMNS,
    DISTRICT_HEATING,
    EXISTING,
    INDIVIDUAL,
    district_economics,
    district_works,
    household_bills,
    recommend_districts,
    segment_depths,
    segment_parent,
    sunk_segments,
    transit_note,
    trench_costs,
)
from heatplan.plan.network.heat_loss import heat_loss_mwh_a
from heatplan.plan.network.pipes import service_line_cost_dkk, size_pipes
from heatplan.plan.result import Plan
from heatplan.plan.revision import apply_progress, compare_plans, fixed_districts
from heatplan.plan.schedule import ScheduleMethod
from heatplan.plan.schedule.problem import ScheduleProblem, build_problem
from heatplan.plan.schedule.solve import schedule_districts
from heatplan.plan.trajectory import co2_after_plan, co2_trajectory
from heatplan.plan.uptake import expected_connections, property_years, scenario_curve

logger = logging.getLogger(__name__)

ROLLOUT_INPUT_COLUMNS: tuple[str, ...] = (
    "district_id", "heating_type", "is_to_convert", "heat_demand_mwh_a", "peak_load_kw",
    "heat_pump_system", "co2_t_a",
)
"""Property columns the rollout needs; all but ``district_id`` come from the model stage."""


@dataclass(frozen=True)
class _Years:
    """The plan's years from the scenario."""

    base: int
    first: int
    horizon: int

    @classmethod
    def of(cls, scenario: Scenario) -> _Years:
        return cls(int(scenario.value("general.base_year")),
                   int(scenario.value("phasing.first_year")),
                   max(int(scenario.value("general.horizon_end_year")),
                       int(scenario.value("phasing.end_year"))))


def plan_rollout(
    properties: pd.DataFrame,
    districts: pd.DataFrame,
    routing: Any,
    *,
    scenario: Scenario,
    factors: Mapping[bool, pd.DataFrame],
    method: ScheduleMethod = "milp",
    progress: pd.Series | None = None,
    previous: Any = None,
    lang: str = "da",
) -> Plan:
    """Plan the rollout: district economics and recommendation, schedule, take-up, CO2.

    Parameters
    ----------
    properties
        The model stage's properties (index ``property_id``; :data:`ROLLOUT_INPUT_COLUMNS`).
    districts
        Index ``district_id``; ``name``, ``status``, optional ``planned_phase``, geometry.
    routing
        ``trenches``, ``service_pipes``, ``district_feed`` (attributes or keys; ``Routing``).
    scenario
        Supplies ``economics.*``, ``phasing.*``, ``uptake.*``, ``emissions.*``, ``general.*``.
    factors
        The model stage's t CO2/MWh tables without (False) and with (True) carbon capture.
    method
        ``"milp"`` (exact; the heuristic also runs, for the gap) or ``"heuristic"``.
    progress
        ``connection_status`` per ``property_id``, overriding the layer's column.
    previous
        The previous plan (a :class:`Plan` or a dict with ``properties`` and ``districts``):
        connected properties keep their years, works under way keep their schedule, ties are
        broken towards it, and ``changes`` lists what moved.
    lang
        ``"da"`` or ``"en"`` for reasons and notes.

    Raises :class:`~heatplan.core.errors.InfeasiblePlanError` when no schedule meets the
    settings; the message says what would be needed.
    """
    t_start = time.perf_counter()
    require_columns(properties, ROLLOUT_INPUT_COLUMNS, table_name="properties", stage="model")
    props = apply_progress(_indexed(properties, "property_id"), progress)
    dists = _indexed(districts, "district_id")
    trenches, service, feed = _routing_tables(routing)
    prev_props, prev_dists = _previous_tables(previous)
    years = _Years.of(scenario)
    own = factors[bool(scenario.value("emissions.ccs_enabled"))]

    fixed = fixed_districts(props, prev_dists, first_year=years.first)
    done = set(fixed.index[fixed["is_done"].astype(bool)])
    rec, is_built = _recommend(props, dists, trenches, service, feed, scenario=scenario,
                               factors=own, base_year=years.base, lang=lang, done=done)
    curve = scenario_curve(scenario, years.horizon - min(years.base, years.first) + 60)
    problem = build_problem(rec, props, scenario=scenario, factors=own, fixed=fixed,
                            curve=curve)
    chosen, report = schedule_districts(
        problem, method=method, time_limit_s=float(scenario.value("phasing.milp_time_limit_s")),
        rel_gap=float(scenario.value("phasing.milp_rel_gap")),
        previous=prev_dists[["phase", "end_year"]] if prev_dists is not None else None)
    sched = _schedule_table(chosen.table, fixed, problem, rec)
    out_d = _plan_districts(dists, rec, sched, props)
    out_p = _plan_properties(props, prev_props, rec, sched, scenario=scenario, curve=curve,
                             first_year=years.first)
    out_t = _plan_trenches(trenches, is_built, sched, scenario=scenario, done=done)
    table, traj, notes = _years_and_co2(out_p, rec, sched, problem, curve, years,
                                        scenario=scenario, factors=factors, lang=lang)
    changes = (compare_plans(prev_props, prev_dists, out_p, out_d, lang=lang)
               if prev_props is not None and prev_dists is not None else None)
    report.update(_rollout_report(out_p, out_d, notes))
    report["total_time_s"] = time.perf_counter() - t_start
    logger.info("Rollout planned: %d districts scheduled, objective %.0f t CO2 (%s), gap %s",
                int(sched["end_year"].notna().sum()), chosen.objective_t, chosen.method,
                "n/a" if report["gap"] is None else f"{report['gap']:.2%}")
    return Plan(
        properties=_like(out_p, properties), districts=_like(out_d, districts),
        trenches=_like(out_t, trenches), years=table,
        service_pipes=_like(_plan_service_pipes(service, props, scenario=scenario), service),
        co2_trajectory=traj, changes=changes, summary=report, scenario=scenario,
    )


def _indexed(table: pd.DataFrame, key: str) -> pd.DataFrame:
    """A copy indexed by ``key`` as strings (never mutate the input)."""
    out = table.copy()
    if key in out.columns:
        out = out.set_index(key, drop=True)
    out.index = out.index.astype(str)
    out.index.name = key
    if key == "property_id":
        out["district_id"] = out["district_id"].astype(object).where(
            out["district_id"].notna(), None)
    return out


def _like(table: pd.DataFrame, template: pd.DataFrame) -> pd.DataFrame:
    """``table`` as a GeoDataFrame with ``template``'s geometry column and CRS, if it has one."""
    if not isinstance(template, gpd.GeoDataFrame) or template.geometry.name not in table:
        return table
    return gpd.GeoDataFrame(table, geometry=template.geometry.name, crs=template.crs)


def _routing_tables(routing: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    def get(name: str) -> Any:
        return routing.get(name) if isinstance(routing, dict) else getattr(routing, name, None)

    trenches = get("trenches")
    if trenches is None:
        trenches = pd.DataFrame(columns=["length_m", "district_id", "is_feeder"])
    service = get("service_pipes")
    if service is None:
        service = pd.DataFrame(columns=["length_m", "cost_dkk"])
    return trenches, service, get("district_feed")


def _previous_tables(previous: Any) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    if previous is None:
        return None, None
    if isinstance(previous, dict):
        return previous.get("properties"), previous.get("districts")
    return getattr(previous, "properties", None), getattr(previous, "districts", None)


def _recommend(
    props: pd.DataFrame, dists: pd.DataFrame, trenches: pd.DataFrame, service: pd.DataFrame,
    feed: pd.DataFrame | None, *, scenario: Scenario, factors: pd.DataFrame, base_year: int,
    lang: str, done: set,
) -> tuple[pd.DataFrame, pd.Series]:
    """District economics, recommendation and works; which trench segments are built.

    ``done`` are the districts built before the first plan year: their mains are sunk.
    """
    econ = district_economics(props, dists, trenches, service, feed, scenario=scenario,
                              factors=factors, base_year=base_year, done=done)
    rec = recommend_districts(econ, scenario=scenario, lang=lang)
    status = props["connection_status"].astype(str)
    committed = props.loc[props["is_to_convert"].astype(bool) & status.isin(
        ["connected", "signed_up"]), "district_id"]
    forced = rec.index.isin(list(set(committed))) & rec["recommendation"].eq(INDIVIDUAL) & ~rec[
        "status"].eq("individual")
    if forced.any():
        rec.loc[forced, "recommendation"] = DISTRICT_HEATING
        rec.loc[forced, "is_flagged"] = True
        note = (" Beholdes som fjernvarme: ejendomme er allerede tilsluttet eller tilmeldt."
                if lang == "da" else
                " Kept as district heating: properties are already connected or signed up.")
        rec.loc[forced, "reason"] = rec.loc[forced, "reason"] + note
    works, is_built = district_works(rec, trenches)
    rec = rec.join(works)
    cost = trench_costs(trenches, scenario=scenario)
    rec["works_cost_dkk"] = cost[is_built].groupby(trenches.loc[is_built, "district_id"]).sum(
        ).reindex(rec.index, fill_value=0.0)
    transit = rec["is_transit"].astype(bool)
    rec.loc[transit, "reason"] = [r + transit_note(c, lang) for r, c in zip(
        rec.loc[transit, "reason"], rec.loc[transit, "carries_for"], strict=True)]
    return rec, is_built


def _schedule_table(table: pd.DataFrame, fixed: pd.DataFrame, problem: ScheduleProblem,
                    rec: pd.DataFrame) -> pd.DataFrame:
    """``phase``, ``start_year``, ``end_year`` of every district (Int64; empty without works).

    Districts whose works are done keep their years; those built before the first plan year
    without a known phase get the phase whose window holds their end year (the first phase
    when earlier, the last when later).
    """
    sched = table.reindex(rec.index)
    if len(fixed):
        done = fixed[fixed["is_done"]]
        for col, src in (("phase", "fixed_phase"), ("start_year", "fixed_start"),
                         ("end_year", "fixed_end")):
            sched.loc[done.index.intersection(sched.index), col] = done[src]
    sched = sched.astype("Int64")
    windows = problem.windows
    for d in sched.index[sched["phase"].isna() & sched["end_year"].notna()]:
        planned = rec.at[d, "planned_phase"] if "planned_phase" in rec.columns else pd.NA
        end = int(sched.at[d, "end_year"])
        inside = [p for p, (a, b) in windows.items() if a <= end <= b]
        phase = (int(planned) if pd.notna(planned) else inside[0] if inside
                 else min(windows) if end < min(a for a, _ in windows.values()) else max(windows))
        sched.at[d, "phase"] = phase
    return sched


def _plan_districts(dists: pd.DataFrame, rec: pd.DataFrame, sched: pd.DataFrame,
                    props: pd.DataFrame) -> pd.DataFrame:
    """The input districts with economics, recommendation, schedule and heating mix."""
    out_d = dists.join(rec.drop(columns=[c for c in ("name", "status", "planned_phase")
                                         if c in rec.columns and c in dists.columns]))
    for col in ("phase", "start_year", "end_year"):
        out_d[col] = sched[col]
    mix = heating_mix(props["heating_type"], props["district_id"]).reindex(
        out_d.index, fill_value=0)
    # the counts replace any same-named input columns (an importer writes n_properties)
    return out_d.drop(columns=mix.columns, errors="ignore").join(mix)


def _plan_properties(
    props: pd.DataFrame, prev_props: pd.DataFrame | None, rec: pd.DataFrame,
    sched: pd.DataFrame, *, scenario: Scenario, curve: np.ndarray, first_year: int,
) -> pd.DataFrame:
    """Each property's recommendation and plan years (offer, construction, connection)."""
    out_p = props.copy()
    known = pd.Series(np.nan, index=out_p.index)
    if prev_props is not None and "connection_year" in prev_props.columns:
        known = pd.to_numeric(prev_props["connection_year"], errors="coerce").reindex(
            out_p.index)
    # a connected property connected in the past: the year before the plan when unknown
    is_conn = out_p["connection_status"].eq("connected")
    out_p["connection_year"] = known.where(~is_conn | known.notna(), first_year - 1)
    d_rec = out_p["district_id"].map(rec["recommendation"])
    conv = out_p["is_to_convert"].astype(bool)
    out_p["recommendation"] = np.select(
        [out_p["heating_type"].eq("district_heating"),
         conv & d_rec.isin([DISTRICT_HEATING, EXISTING]), conv & d_rec.eq(INDIVIDUAL)],
        ["existing_dh", DISTRICT_HEATING, INDIVIDUAL], default="none")
    offered = out_p["recommendation"].eq(DISTRICT_HEATING)
    plan_years = property_years(out_p[offered], sched, scenario=scenario, curve=curve,
                                min_year=first_year)
    for col in plan_years.columns:
        out_p[col] = plan_years[col].reindex(out_p.index).astype("Int64")
    return out_p.join(_household_columns(out_p, scenario=scenario))


def _household_columns(props: pd.DataFrame, *, scenario: Scenario) -> pd.DataFrame:
    """The household's money per property (DKK incl. VAT), where it applies.

    ``connection_fee_dkk`` and ``bill_dh_dkk_a`` where district heating is offered (not to
    properties already connected: their fee is paid), ``bill_heat_pump_dkk_a`` for every
    property to convert, ``bill_gas_dkk_a`` for those heated by natural gas.
    """
    out = pd.DataFrame(np.nan, index=props.index, columns=list(BILL_COLUMNS))
    conv = props["is_to_convert"].astype(bool)
    if not conv.any():
        return out
    needed = props.loc[conv]
    if "bbr_use_code" not in needed.columns:
        needed = needed.assign(bbr_use_code="")
    bills = household_bills(needed, scenario=scenario)
    offered = props["recommendation"].eq(DISTRICT_HEATING) & conv
    connected = props["connection_status"].astype(str).eq("connected")
    out.loc[offered, "bill_dh_dkk_a"] = bills["bill_dh_dkk_a"]
    out.loc[offered & ~connected, "connection_fee_dkk"] = bills["connection_fee_dkk"]
    out.loc[conv, "bill_heat_pump_dkk_a"] = bills["bill_heat_pump_dkk_a"]
    gas = conv & props["heating_type"].eq("natural_gas")
    out.loc[gas, "bill_gas_dkk_a"] = bills["bill_gas_dkk_a"]
    return out.astype(float)


def _plan_trenches(trenches: pd.DataFrame, is_built: pd.Series, sched: pd.DataFrame, *,
                   scenario: Scenario, done: set) -> pd.DataFrame:
    """The routed trenches with ``is_built``, ``construction_year``, ``phase``, ``is_sunk``
    (built before the first plan year) and ``heat_loss_mwh_a`` (from DN and length)."""
    out_t = trenches.copy()
    if "dn" in out_t.columns and len(out_t):
        out_t["cost_dkk"] = trench_costs(out_t, scenario=scenario)
        out_t["heat_loss_mwh_a"] = heat_loss_mwh_a(out_t["dn"], out_t["length_m"],
                                                   scenario=scenario)
    out_t["is_sunk"] = sunk_segments(out_t, done).astype(bool)
    out_t["is_built"] = is_built.reindex(out_t.index, fill_value=False).astype(bool)
    out_t["construction_year"] = _segment_years(trenches, is_built, sched)
    out_t["phase"] = out_t["district_id"].map(sched["phase"]).astype("Int64").where(
        out_t["is_built"], pd.NA)
    return out_t


def _plan_service_pipes(service: pd.DataFrame, props: pd.DataFrame, *, scenario: Scenario
                        ) -> pd.DataFrame:
    """The service pipes with the catalogue's ``cost_dkk`` by the property's peak load and
    ``heat_loss_mwh_a`` (a pipe of the DN its property's peak needs)."""
    out = service.copy()
    if not len(out) or "length_m" not in out.columns:
        return out
    peak = props["peak_load_kw"].reindex(out.index).astype(float).fillna(0.0).to_numpy()
    length = out["length_m"].astype(float).to_numpy()
    out["cost_dkk"] = service_line_cost_dkk(peak, length, scenario=scenario)
    dn, _ = size_pipes(peak, scenario=scenario)
    out["heat_loss_mwh_a"] = heat_loss_mwh_a(dn, length, scenario=scenario)
    return out


def _years_and_co2(
    out_p: pd.DataFrame, rec: pd.DataFrame, sched: pd.DataFrame, problem: ScheduleProblem,
    curve: np.ndarray, years: _Years, *, scenario: Scenario,
    factors: Mapping[bool, pd.DataFrame], lang: str,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The years table with CO2, the CO2 trajectory and its notes; adds ``co2_after_t_a``."""
    table, conn_years = _years_table(out_p, rec, sched, problem, curve, years)
    gross = rec["heat_produced_mwh_a"] / rec["heat_sold_mwh_a"].where(
        rec["heat_sold_mwh_a"] > 0)
    traj, notes = co2_trajectory(out_p, sched["end_year"], scenario=scenario, factors=factors,
                                 years=list(range(years.base, years.horizon + 1)), lang=lang,
                                 dh_produced_per_sold=gross)
    table["co2_t"] = traj["co2_t"].reindex(conn_years).to_numpy()
    table["co2_avoided_t"] = (traj["co2_no_plan_t"] - traj["co2_t"]).reindex(
        conn_years).to_numpy()
    own = factors[bool(scenario.value("emissions.ccs_enabled"))][years.base]
    hp = heat_pump_factors(out_p["heat_pump_system"], [years.base], scenario=scenario)
    new_dh = float(new_load_dh_factor(scenario, [years.base])[0])
    per_sold = out_p["district_id"].map(gross).astype(float).fillna(1.0) * new_dh
    out_p["co2_after_t_a"] = co2_after_plan(out_p, own, heat_pump_factor=hp[years.base],
                                            new_dh_factor=per_sold)
    return table, traj, notes


def _segment_years(trenches: pd.DataFrame, is_built: pd.Series, schedule: pd.DataFrame
                   ) -> pd.Series:
    """Spread each district's built segments over its construction years, upstream first."""
    depth = segment_depths(trenches.index, segment_parent(trenches))
    out = pd.Series(pd.NA, index=trenches.index, dtype="Int64", name="construction_year")
    built = trenches[is_built.reindex(trenches.index, fill_value=False).astype(bool)]
    for district_id, segs in built.groupby("district_id", sort=True):
        if district_id not in schedule.index or pd.isna(schedule.at[district_id, "end_year"]):
            continue
        end = int(schedule.at[district_id, "end_year"])
        start = schedule.at[district_id, "start_year"]
        start = end if pd.isna(start) else int(start)
        order = sorted(segs.index, key=lambda s: (depth.get(s, 0), str(s)))
        length = segs.loc[order, "length_m"].astype(float).to_numpy()
        span = end - start + 1
        mid = (np.cumsum(length) - length / 2) / max(length.sum(), 1e-9)
        out.loc[order] = (start + np.minimum((mid * span).astype(int), span - 1)).astype(int)
    return out


def _years_table(
    out_p: pd.DataFrame, rec: pd.DataFrame, sched: pd.DataFrame, problem: ScheduleProblem,
    curve: np.ndarray, years: _Years,
) -> tuple[pd.DataFrame, list[int]]:
    """Index ``year`` (first plan year … horizon): ``connections``, ``trench_km``, ``cost_dkk``."""
    yrs = list(range(years.first, years.horizon + 1))
    offered = out_p["recommendation"].eq(DISTRICT_HEATING)
    open_mask = offered & ~out_p["connection_status"].isin(["declined", "connected"])
    n_open = out_p[open_mask].groupby("district_id").size().reindex(rec.index, fill_value=0)
    conn = expected_connections(n_open, sched["end_year"], yrs, curve)
    table = pd.DataFrame(index=pd.Index(yrs, name="year"))
    table["connections"] = conn.sum(axis=0).to_numpy()
    km = np.zeros(len(yrs))
    money = np.zeros(len(yrs))
    per_conn = problem.items["cost_per_connection_dkk"] if len(problem.items) else pd.Series()
    for d, row in sched.dropna(subset=["end_year"]).iterrows():
        s = int(row["end_year"]) if pd.isna(row["start_year"]) else int(row["start_year"])
        e = int(row["end_year"])
        inside = (np.asarray(yrs) >= s) & (np.asarray(yrs) <= e)
        span = e - s + 1
        km += inside * float(rec.at[d, "works_trench_m"]) / 1000.0 / span
        money += inside * float(rec.at[d, "works_cost_dkk"]) / span
        money += conn.loc[d].to_numpy() * float(per_conn.get(d, 0.0))
    table["trench_km"] = km
    table["cost_dkk"] = money
    return table, yrs


def _rollout_report(out_p: pd.DataFrame, out_d: pd.DataFrame, notes: list[str]
                    ) -> dict[str, Any]:
    """Counts of the plan for the summary: districts and properties by phase and outcome."""
    target = out_p[out_p["is_to_convert"].astype(bool)]
    return {
        "co2_notes": notes,
        "districts_per_phase": {int(k): int(v) for k, v in
                                out_d["phase"].value_counts().sort_index().items()},
        "districts_individual": out_d.index[out_d["recommendation"].eq(INDIVIDUAL)].tolist(),
        "districts_flagged": out_d.index[out_d["is_flagged"].astype(bool)].tolist(),
        "properties_to_convert": len(target),
        "properties_by_phase": {int(k): int(v) for k, v in
                                target["phase"].value_counts().sort_index().items()},
        "properties_individual": int(target["recommendation"].eq(INDIVIDUAL).sum()),
        "dh_works_end_year": (int(out_d["end_year"].max()) if out_d["end_year"].notna().any()
                              else None),
    }
