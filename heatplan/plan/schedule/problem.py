"""A scheduling instance in plain tables, its options and loads; a schedule, its value, checks."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Option:
    """One way to schedule an item: its phase and construction years."""

    item: str
    phase: int
    start: int
    end: int


@dataclass
class ScheduleProblem:
    """A scheduling instance in plain tables.

    ``items`` (index ``district_id``): ``trench_km``, ``n_to_convert``, ``mains_cost_dkk``,
    ``cost_per_connection_dkk``, ``duration_years``, ``planned_phase`` (Int64),
    ``parent`` (the feeding item or None), ``fixed_phase``, ``fixed_start``, ``fixed_end``
    (Int64; a revision keeps works already under way). ``value`` (index ``district_id``,
    columns end years): objective (t CO2 avoided over the horizon) when the works end that
    year. ``capacity`` (index year): ``trench_km``, ``connections``, ``budget_dkk`` (NaN = no
    limit). ``windows``: phase → (first, last) construction year. ``curve``: cumulative take-up
    share ``k`` years after the works end.
    """

    items: pd.DataFrame
    years: list[int]
    windows: dict[int, tuple[int, int]]
    capacity: pd.DataFrame
    value: pd.DataFrame
    curve: np.ndarray
    names: dict[str, str] = field(default_factory=dict)

    def label(self, item: str) -> str:
        """Return ``"id (name)"`` for messages."""
        name = self.names.get(item)
        return f"{item} ({name})" if name and name != item else str(item)


def construction_years(trench_km: pd.Series, *, pace_km_a: float, max_years: int) -> pd.Series:
    """Return each item's construction time in whole years (at least 1)."""
    years = np.ceil(trench_km.astype(float) / pace_km_a - 1e-9).clip(lower=1, upper=max_years)
    return years.astype(int)


def parse_windows(raw: Any) -> dict[int, tuple[int, int]]:
    """Return phase windows from the scenario value ``{"1": [2024, 2027], ...}``."""
    try:
        windows = {int(k): (int(v[0]), int(v[1])) for k, v in dict(raw).items()}
    except (TypeError, ValueError, IndexError, KeyError) as err:
        msg = (f"phasing.phase_windows must map phase numbers to [first, last] years, e.g. "
               f'{{ "1" = [2024, 2027], "2" = [2028, 2030] }}; got {raw!r}.')
        raise ScenarioError(msg) from err
    bad = {p: w for p, w in windows.items() if w[0] > w[1]}
    if bad or not windows:
        msg = f"phasing.phase_windows has no phases or a window that ends before it starts: {bad}."
        raise ScenarioError(msg)
    return dict(sorted(windows.items()))


def scenario_capacity(scenario: Scenario, years: list[int]) -> pd.DataFrame:
    """Return yearly capacities from ``phasing.*`` (budget 0 means no limit)."""
    budget = scenario.by_year("phasing.budget_capacity_dkk_a", years)
    return pd.DataFrame(
        {
            "trench_km": scenario.by_year("phasing.trench_capacity_km_a", years),
            "connections": scenario.by_year("phasing.connection_capacity_a", years),
            "budget_dkk": np.where(budget > 0, budget, np.nan),
        },
        index=pd.Index(years, name="year"),
    )


def completion_values(
    avoided_full: pd.DataFrame, end_years: list[int], curve: np.ndarray
) -> pd.DataFrame:
    """Return the objective of each item per end year.

    Parameters
    ----------
    avoided_full
        t CO2 avoided per year at 100 % take-up, index items, columns the objective's years.
    end_years
        Candidate end years.
    curve
        Cumulative take-up share ``k`` years after the works end (long enough).

    Returns
    -------
    value
        Index items, columns ``end_years``: Σ_{t ≥ e} avoided_full[t] × curve[t − e], in t CO2.
    """
    years = np.asarray(avoided_full.columns, dtype=int)
    a = avoided_full.to_numpy(dtype=float)
    out = np.zeros((len(a), len(end_years)))
    for j, e in enumerate(end_years):
        k = years - e
        mask = k >= 0
        share = np.zeros(len(years))
        share[mask] = np.asarray(curve)[np.minimum(k[mask], len(curve) - 1)]
        out[:, j] = a @ share
    return pd.DataFrame(out, index=avoided_full.index, columns=pd.Index(end_years, name="year"))


def options(problem: ScheduleProblem) -> list[Option]:
    """Return every option that respects windows, fixed phases and the plan years."""
    first, last = problem.years[0], problem.years[-1]
    out: list[Option] = []
    for item, row in problem.items.iterrows():
        if pd.notna(row.get("fixed_end")):
            phase = int(row["fixed_phase"]) if pd.notna(row.get("fixed_phase")) else 0
            out.append(Option(item, phase, int(row["fixed_start"]), int(row["fixed_end"])))
            continue
        d = int(row["duration_years"])
        planned = row.get("planned_phase")
        for phase, (a, b) in problem.windows.items():
            if pd.notna(planned) and int(planned) != phase:
                continue
            for start in range(max(a, first), min(b, last) - d + 2):
                out.append(Option(item, phase, start, start + d - 1))
    return out


def option_loads(problem: ScheduleProblem, opts: list[Option]) -> dict[str, np.ndarray]:
    """Return per-option yearly loads (options × years) of km, connections and budget."""
    years = np.asarray(problem.years)
    items = problem.items
    curve = np.concatenate([[0.0], np.asarray(problem.curve, dtype=float)])
    km = np.zeros((len(opts), len(years)))
    conn = np.zeros_like(km)
    money = np.zeros_like(km)
    for r, o in enumerate(opts):
        row = items.loc[o.item]
        span = o.end - o.start + 1
        inside = (years >= o.start) & (years <= o.end)
        km[r, inside] = float(row["trench_km"]) / span
        k = years - o.end
        ok = (k >= 0) & (k < len(curve) - 1)
        new = np.zeros(len(years))
        new[ok] = curve[k[ok] + 1] - curve[k[ok]]
        conn[r] = float(row["n_to_convert"]) * new
        money[r] = (float(row["mains_cost_dkk"]) / span * inside
                    + float(row["cost_per_connection_dkk"]) * conn[r])
    return {"trench_km": km, "connections": conn, "budget_dkk": money}


def option_values(problem: ScheduleProblem, opts: list[Option]) -> np.ndarray:
    v = problem.value
    out = np.zeros(len(opts))
    for r, o in enumerate(opts):
        if o.item in v.index and o.end in v.columns:
            out[r] = float(v.at[o.item, o.end])
        elif o.item in v.index:  # a fixed end outside the value table (a past year)
            cols = np.asarray(v.columns, dtype=int)
            out[r] = float(v.loc[o.item].iloc[int(np.argmin(np.abs(cols - o.end)))])
    return out


def feed_parents(problem: ScheduleProblem) -> dict[str, str]:
    p = problem.items["parent"]
    return {c: q for c, q in p.items() if isinstance(q, str) and q in problem.items.index}




@dataclass
class Schedule:
    """A schedule: ``table`` index ``district_id`` with ``phase``, ``start_year``, ``end_year``.

    ``objective_t`` is its t CO2 avoided over the horizon; ``bound_t`` the best proven upper
    bound on any schedule's objective (NaN when none was computed).
    """

    table: pd.DataFrame
    objective_t: float
    method: str
    status: str
    time_s: float
    bound_t: float = float("nan")


def to_schedule(problem: ScheduleProblem, chosen: list[Option], *, method: str, status: str,
                seconds: float, bound_t: float = float("nan")) -> Schedule:
    """The :class:`Schedule` of the ``chosen`` options, one per item."""
    table = pd.DataFrame(
        {"phase": [o.phase for o in chosen], "start_year": [o.start for o in chosen],
         "end_year": [o.end for o in chosen]},
        index=pd.Index([o.item for o in chosen], name="district_id"), dtype="Int64",
    ).reindex(problem.items.index)
    return Schedule(table, evaluate(problem, table), method, status, seconds, bound_t)


def evaluate(problem: ScheduleProblem, table: pd.DataFrame) -> float:
    """Return the objective (t CO2 avoided over the horizon) of a schedule table."""
    total = 0.0
    for item, end in table["end_year"].dropna().items():
        opt = Option(str(item), 0, int(end), int(end))
        total += float(option_values(problem, [opt])[0])
    return total


def check_schedule(problem: ScheduleProblem, table: pd.DataFrame, *, tol: float = 1e-6
                   ) -> list[str]:
    """Return every rule a schedule table breaks (empty when it is valid)."""
    broken: list[str] = []
    items = problem.items
    if table["end_year"].isna().any():
        broken.append(f"unscheduled: {sorted(table.index[table['end_year'].isna()])}")
        return broken
    for child, q in feed_parents(problem).items():
        if int(table.at[q, "end_year"]) > int(table.at[child, "end_year"]):
            broken.append(f"{q} ends after {child}, which it feeds")
    chosen = [Option(i, int(r.phase), int(r.start_year), int(r.end_year))
              for i, r in table.iterrows()]
    loads = option_loads(problem, chosen)
    for kind in ("trench_km", "connections", "budget_dkk"):
        used = loads[kind].sum(axis=0)
        cap = problem.capacity[kind].to_numpy(dtype=float)
        over = ~np.isnan(cap) & (used > cap + tol * np.maximum(1.0, cap))
        for y, u, c in zip(np.asarray(problem.years)[over], used[over], cap[over], strict=True):
            broken.append(f"{kind} {u:.3f} > {c:.3f} in {y}")
    for item, o in zip(table.index, chosen, strict=True):
        row = items.loc[item]
        if pd.notna(row.get("fixed_end")):
            if (o.start, o.end) != (int(row["fixed_start"]), int(row["fixed_end"])):
                broken.append(f"{item} moved from its fixed years")
            continue
        if pd.notna(row.get("planned_phase")) and o.phase != int(row["planned_phase"]):
            broken.append(f"{item} not in its planned phase {int(row['planned_phase'])}")
        a, b = problem.windows.get(o.phase, (None, None))
        if a is None or o.start < a or o.end > b or o.end > problem.years[-1]:
            broken.append(f"{item} outside phase {o.phase} window")
        if o.end - o.start + 1 != int(row["duration_years"]):
            broken.append(f"{item} has the wrong duration")
    return broken

def _feeding_item(district: str, fed: pd.Series, items: set) -> str | None:
    seen = {district}
    node = fed.get(district)
    while isinstance(node, str) and node in fed.index and node not in seen:
        if node in items:
            return node
        seen.add(node)
        node = fed.get(node)
    return None


def build_problem(
    districts: pd.DataFrame,
    properties: pd.DataFrame,
    *,
    scenario: Scenario,
    factors: pd.DataFrame,
    fixed: pd.DataFrame | None = None,
    curve: np.ndarray | None = None,
) -> ScheduleProblem:
    """Return the scheduling instance for districts with works.

    Parameters
    ----------
    districts
        Index ``district_id``; ``recommendation``, ``fed_from``, ``planned_phase``, ``name``,
        ``works_trench_m``, ``is_transit``, ``works_cost_dkk``, ``n_expected``,
        ``service_cost_dkk``, ``connection_cost_dkk``.
    properties
        Index ``property_id``; ``district_id``, ``is_to_convert``, ``heating_type``,
        ``heat_demand_mwh_a``, ``connection_status``.
    scenario
        Supplies ``phasing.*``, ``uptake.*``, ``general.horizon_end_year``.
    factors
        t CO2 per MWh delivered heat, index ``heating_type``, columns years (through the
        horizon).
    fixed
        Output of :func:`heatplan.plan.revision.fixed_districts`, or None.
    curve
        Cumulative take-up shares (the scenario's when None).
    """
    from heatplan.plan.economics import DISTRICT_HEATING, EXISTING
    from heatplan.plan.uptake import scenario_curve

    first = int(scenario.value("phasing.first_year"))
    last = int(scenario.value("phasing.end_year"))
    if last < first:
        msg = f"phasing.end_year ({last}) is before phasing.first_year ({first})."
        raise ScenarioError(msg)
    horizon = max(int(scenario.value("general.horizon_end_year")), last)
    years = list(range(first, last + 1))
    curve = scenario_curve(scenario, horizon - first + 60) if curve is None else curve
    fixed = fixed if fixed is not None else pd.DataFrame(
        columns=["fixed_phase", "fixed_start", "fixed_end", "is_done"])
    done = set(fixed.index[fixed["is_done"].astype(bool)]) if len(fixed) else set()

    status = properties.get("connection_status", pd.Series("", index=properties.index))
    status = status.astype("string").fillna("").astype(str)
    open_props = properties[properties["is_to_convert"].astype(bool)
                            & ~status.isin(["declined", "connected"])]
    n_open = open_props.groupby("district_id").size().reindex(districts.index, fill_value=0)
    is_dh = districts["recommendation"].isin([DISTRICT_HEATING, EXISTING])
    has_work = (districts["works_trench_m"] > 0) | (n_open > 0)
    chosen = districts.index[((is_dh & has_work) | districts["is_transit"].astype(bool))
                             & ~districts.index.isin(list(done))]
    items = _work_items(districts, chosen, n_open.where(is_dh, 0), fixed, scenario)

    obj_years = list(range(first, horizon + 1))
    f = factors.reindex(columns=obj_years)
    diff = (f.reindex(open_props["heating_type"].astype(str).to_numpy()).fillna(0.0).to_numpy()
            - f.loc["district_heating"].to_numpy()[None, :])
    avoided = pd.DataFrame(open_props["heat_demand_mwh_a"].astype(float).to_numpy()[:, None]
                           * diff, index=open_props.index, columns=obj_years)
    avoided_d = avoided.groupby(open_props["district_id"].to_numpy()).sum()
    avoided_d = avoided_d.reindex(chosen, fill_value=0.0)
    avoided_d.loc[~is_dh.reindex(chosen).to_numpy()] = 0.0
    value = completion_values(avoided_d, years, curve)
    names = (districts["name"].astype(str).to_dict() if "name" in districts.columns else {})
    return ScheduleProblem(
        items=items, years=years,
        windows=parse_windows(scenario.value("phasing.phase_windows")),
        capacity=scenario_capacity(scenario, years), value=value, curve=curve, names=names)


def _work_items(districts: pd.DataFrame, chosen: pd.Index, n_open: pd.Series,
                fixed: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The :attr:`ScheduleProblem.items` table of the districts ``chosen`` for works."""
    item_set = set(chosen)
    fed = districts["fed_from"] if "fed_from" in districts.columns else pd.Series(
        dtype=object)
    items = pd.DataFrame(index=pd.Index(list(chosen), name="district_id"))
    items["trench_km"] = districts.loc[chosen, "works_trench_m"].astype(float) / 1000.0
    items["n_to_convert"] = n_open.reindex(chosen).astype(float)
    items["mains_cost_dkk"] = districts.loc[chosen, "works_cost_dkk"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_conn = ((districts["service_cost_dkk"] + districts["connection_cost_dkk"])
                    / districts["n_expected"]).where(districts["n_expected"] > 0, 0.0)
    items["cost_per_connection_dkk"] = per_conn.reindex(chosen).astype(float)
    items["duration_years"] = construction_years(
        items["trench_km"], pace_km_a=float(scenario.value("phasing.district_trench_km_a")),
        max_years=int(scenario.value("phasing.max_construction_years")))
    planned = (pd.to_numeric(districts["planned_phase"], errors="coerce")
               if "planned_phase" in districts.columns
               else pd.Series(np.nan, index=districts.index))
    items["planned_phase"] = planned.reindex(chosen).astype("Int64")
    items["parent"] = [(_feeding_item(d, fed, item_set) if len(fed) else None) for d in chosen]
    for col in ("fixed_phase", "fixed_start", "fixed_end"):
        values = fixed[col].reindex(chosen) if len(fixed) else pd.Series(pd.NA, index=chosen)
        items[col] = pd.to_numeric(values, errors="coerce").astype("Int64")
    # a fixed item without a known start starts so that its duration fits
    no_start = items["fixed_end"].notna() & items["fixed_start"].isna()
    items.loc[no_start, "fixed_start"] = (items.loc[no_start, "fixed_end"]
                                          - items.loc[no_start, "duration_years"] + 1)
    fixed_rows = items["fixed_end"].notna()
    items.loc[fixed_rows, "duration_years"] = (items.loc[fixed_rows, "fixed_end"]
                                               - items.loc[fixed_rows, "fixed_start"] + 1
                                               ).astype(int)
    return items
