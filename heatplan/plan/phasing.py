"""The year-by-year rollout schedule: a fast heuristic and an exact MILP, and why a setting fails.

Each district with works (district heating, or an individual district that carries feeder mains
for others) is a *work item* with a trench length, a number of properties to convert, costs and
a construction time of ``d = clip(ceil(km / phasing.district_trench_km_a), 1,
phasing.max_construction_years)`` years. A schedule gives every item a phase and a
construction start and end year, so that

* the works lie inside the phase's window (``phasing.phase_windows``) and end by
  ``phasing.end_year``; a politically fixed ``planned_phase`` is kept;
* feed precedence holds: the district named in ``fed_from`` ends its works no later than the
  district it feeds;
* per year, trench km (each item's km spread evenly over its construction years), expected
  house connections (the take-up ramp after the works end) and, optionally, spending stay
  within ``phasing.trench_capacity_km_a``, ``phasing.connection_capacity_a`` and
  ``phasing.budget_capacity_dkk_a``.

The objective is the largest cumulative CO2 avoided from the first year to
``general.horizon_end_year``: a district whose works end in year ``e`` avoids, in each year
``t ≥ e``, its properties' CO2 difference (today's heating minus district heating, factors of
year ``t``) times the take-up share reached ``t − e`` years after the works.

MILP (HiGHS via ``scipy.optimize.milp``): one binary per feasible (item, phase, start year)
option; each item takes exactly one option; capacities are rows per year; precedence is the
cumulative constraint ``Σ_{e≤t} x[parent] ≥ Σ_{e≤t} x[child]`` for every year ``t``.
Heuristic: greedy list scheduling by CO2 per trench km of an item and everything it feeds, then
moves to earlier years while they improve the objective. The heuristic's objective is never
above the MILP's (the MILP is exact).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from heatplan.core.errors import InfeasiblePlanError, ScenarioError
from heatplan.core.scenario import Scenario

logger = logging.getLogger(__name__)

Method = Literal["milp", "heuristic"]


# =============================================================================================
# The problem
# =============================================================================================


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


def _option_loads(problem: ScheduleProblem, opts: list[Option]) -> dict[str, np.ndarray]:
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


def _option_values(problem: ScheduleProblem, opts: list[Option]) -> np.ndarray:
    v = problem.value
    out = np.zeros(len(opts))
    for r, o in enumerate(opts):
        if o.item in v.index and o.end in v.columns:
            out[r] = float(v.at[o.item, o.end])
        elif o.item in v.index:  # a fixed end outside the value table (a past year)
            cols = np.asarray(v.columns, dtype=int)
            out[r] = float(v.loc[o.item].iloc[int(np.argmin(np.abs(cols - o.end)))])
    return out


def _parents(problem: ScheduleProblem) -> dict[str, str]:
    p = problem.items["parent"]
    return {c: q for c, q in p.items() if isinstance(q, str) and q in problem.items.index}


# =============================================================================================
# Diagnosis
# =============================================================================================


@dataclass(frozen=True)
class Diagnosis:
    """Why a schedule cannot meet its settings, with what would be needed."""

    problems: tuple[str, ...]
    needed: dict[str, float] = field(default_factory=dict)
    """Capacities that would suffice (``trench_km_a``, ``connections_a``, ``budget_dkk_a``)."""

    @property
    def is_feasible(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def message(self) -> str:
        """Return every problem as one text."""
        return "The rollout schedule cannot meet its settings:\n- " + "\n- ".join(self.problems)


def _cycle(parents: dict[str, str]) -> list[str] | None:
    for start in sorted(parents):
        seen = [start]
        node = parents.get(start)
        while node is not None:
            if node in seen:
                return [*seen[seen.index(node):], node]
            seen.append(node)
            node = parents.get(node)
    return None


def diagnose(problem: ScheduleProblem, opts: list[Option] | None = None) -> Diagnosis:
    """Check a problem for settings that no schedule can meet.

    Cheap checks first (feed cycles, items with no possible years, fixed phases that break
    feed precedence, total capacity against total work); when those pass but the exact model
    still has no solution, the smallest capacity that would suffice is found by optimisation.

    Returns
    -------
    diagnosis
        :class:`Diagnosis`; ``is_feasible`` when a schedule exists.
    """
    opts = options(problem) if opts is None else opts
    items = problem.items
    problems: list[str] = []
    needed: dict[str, float] = {}
    parents = _parents(problem)
    by_item: dict[str, list[Option]] = {i: [] for i in items.index}
    for o in opts:
        by_item[o.item].append(o)
    first, last = problem.years[0], problem.years[-1]
    for item, its in by_item.items():
        if its:
            continue
        row = items.loc[item]
        d = int(row["duration_years"])
        planned = row.get("planned_phase")
        if pd.notna(planned) and int(planned) not in problem.windows:
            problems.append(
                f"District {problem.label(item)} is fixed to phase {int(planned)}, which "
                f"phasing.phase_windows does not define (phases: "
                f"{', '.join(map(str, problem.windows))}). Add the window or change "
                f"planned_phase.")
            continue
        wins = ({int(planned): problem.windows[int(planned)]} if pd.notna(planned)
                else problem.windows)
        spans = ", ".join(f"phase {p} {max(a, first)}–{min(b, last)}"
                          for p, (a, b) in wins.items())
        longest = max((min(b, last) - max(a, first) + 1 for a, b in wins.values()), default=0)
        pace = float(row["trench_km"]) / max(longest, 1)
        problems.append(
            f"District {problem.label(item)} needs {d} construction year(s) "
            f"({row['trench_km']:.1f} km of trench) but only {max(longest, 0)} year(s) are "
            f"available ({spans}, plan ending {last}). Fix: raise "
            f"phasing.district_trench_km_a to at least {pace:.1f} km a year, or widen the "
            f"phase window / phasing.end_year.")
    # earliest end and latest end with precedence (a parent ends no later than its child)
    earliest = {i: min((o.end for o in its), default=math.inf) for i, its in by_item.items()}
    latest = {i: max((o.end for o in its), default=-math.inf) for i, its in by_item.items()}
    for _ in range(len(items)):  # fixed point; districts feeding each other share a year
        changed = False
        for child, q in parents.items():
            if earliest[q] > earliest[child]:
                earliest[child], changed = earliest[q], True
            if latest[child] < latest[q]:
                latest[q], changed = latest[child], True
        if not changed:
            break
    for child, q in sorted(parents.items()):
        if by_item[child] and by_item[q] and earliest[q] > latest[child]:
            problems.append(
                f"District {problem.label(child)} is fed from {problem.label(q)}, whose works "
                f"cannot end before {int(earliest[q])} "
                f"{_fixed_txt(items.loc[q], problem)}, but {problem.label(child)} must end by "
                f"{int(latest[child])} {_fixed_txt(items.loc[child], problem)}. The feeder "
                f"mains must be built no later than the district they feed. Fix: move "
                f"{problem.label(q)} to an earlier phase or {problem.label(child)} to a later "
                f"one.")
    if problems:
        return Diagnosis(tuple(problems))
    loads = _option_loads(problem, opts)
    cap = problem.capacity
    n_years = len(problem.years)
    for kind, unit, key in (("trench_km", "trench km/year", "trench_km_a"),
                            ("connections", "house connections/year", "connections_a"),
                            ("budget_dkk", "DKK/year", "budget_dkk_a")):
        capacity = cap[kind].to_numpy(dtype=float)
        if np.isnan(capacity).all():
            continue
        # the least each item must use inside the plan years, over all its options
        least = sum(min((loads[kind][r].sum() for r, o in enumerate(opts) if o.item == i),
                        default=0.0) for i in items.index)
        total = np.nansum(capacity)
        if least > total + 1e-6:
            need = least / n_years
            needed[key] = need
            problems.append(
                f"The works need at least {_fmt(least)} {unit.split('/')[0]} in "
                f"{problem.years[0]}–{problem.years[-1]}, i.e. {_fmt(need)} {unit} on average; "
                f"capacity is {_fmt(float(np.nanmean(capacity)))} (phasing."
                f"{_cap_key(kind)}). Raise the capacity or move phasing.end_year later.")
    if problems:
        return Diagnosis(tuple(problems), needed)
    # exact: is there any schedule? if not, the smallest capacity that would do
    status, _ = _solve(problem, opts, loads, objective=None, time_limit=30.0)
    if status == "optimal":
        return Diagnosis((), {})
    for kind, unit, key in (("trench_km", "trench km/year", "trench_km_a"),
                            ("connections", "house connections/year", "connections_a"),
                            ("budget_dkk", "DKK/year", "budget_dkk_a")):
        if np.isnan(cap[kind].to_numpy(dtype=float)).all():
            continue
        scale = _min_capacity_scale(problem, opts, loads, kind)
        if scale is not None and scale > 1.0 + 1e-9:
            now = float(np.nanmean(cap[kind]))
            needed[key] = now * scale
            problems.append(
                f"With the other limits as they are, the schedule needs "
                f"{_fmt(now * scale)} {unit}; capacity is {_fmt(now)} (phasing."
                f"{_cap_key(kind)}).")
    if not problems:
        problems.append(
            "No schedule meets all limits together (each limit alone could be met). Raise "
            "phasing.trench_capacity_km_a and phasing.connection_capacity_a, or move "
            "phasing.end_year later.")
    return Diagnosis(tuple(problems), needed)


def _cap_key(kind: str) -> str:
    return {"trench_km": "trench_capacity_km_a", "connections": "connection_capacity_a",
            "budget_dkk": "budget_capacity_dkk_a"}[kind]


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.1f}"


def _fixed_txt(row: pd.Series, problem: ScheduleProblem) -> str:
    if pd.notna(row.get("fixed_end")):
        return "(works already under way)"
    if pd.notna(row.get("planned_phase")):
        a, b = problem.windows.get(int(row["planned_phase"]), (None, None))
        return f"(fixed to phase {int(row['planned_phase'])}, {a}–{b})"
    return ""


# =============================================================================================
# MILP
# =============================================================================================


def _constraints(problem: ScheduleProblem, opts: list[Option], loads: dict[str, np.ndarray],
                 scale: dict[str, float] | None = None) -> list[LinearConstraint]:
    n = len(opts)
    item_ids = list(problem.items.index)
    pos = {i: k for k, i in enumerate(item_ids)}
    rows, cols = [], []
    for r, o in enumerate(opts):
        rows.append(pos[o.item])
        cols.append(r)
    assign = csr_matrix((np.ones(n), (rows, cols)), shape=(len(item_ids), n))
    cons = [LinearConstraint(assign, 1.0, 1.0)]
    cap = problem.capacity
    for kind in ("trench_km", "connections", "budget_dkk"):
        limit = cap[kind].to_numpy(dtype=float) * (scale or {}).get(kind, 1.0)
        keep = ~np.isnan(limit)
        if keep.any():
            cons.append(LinearConstraint(csr_matrix(loads[kind].T[keep]), -np.inf,
                                         limit[keep] + 1e-7))
    parents = _parents(problem)
    if parents:
        ends = np.array([o.end for o in opts])
        owner = np.array([pos[o.item] for o in opts])
        data, prow, pcol = [], [], []
        r = 0
        for child, q in sorted(parents.items()):
            for t in problem.years:
                for c in np.flatnonzero((owner == pos[q]) & (ends <= t)):
                    data.append(1.0)
                    prow.append(r)
                    pcol.append(c)
                for c in np.flatnonzero((owner == pos[child]) & (ends <= t)):
                    data.append(-1.0)
                    prow.append(r)
                    pcol.append(c)
                r += 1
        cons.append(LinearConstraint(csr_matrix((data, (prow, pcol)), shape=(r, n)), 0.0,
                                     np.inf))
    return cons


def _solve(problem: ScheduleProblem, opts: list[Option], loads: dict[str, np.ndarray], *,
           objective: np.ndarray | None, time_limit: float, rel_gap: float = 1e-7,
           extra: list[LinearConstraint] | None = None) -> tuple[str, np.ndarray | None]:
    n = len(opts)
    if n == 0:
        return ("optimal", np.zeros(0)) if problem.items.empty else ("infeasible", None)
    c = np.zeros(n) if objective is None else -np.asarray(objective, dtype=float)
    res = milp(c, integrality=np.ones(n), bounds=Bounds(0, 1),
               constraints=[*_constraints(problem, opts, loads), *(extra or [])],
               options={"time_limit": float(time_limit), "mip_rel_gap": float(rel_gap),
                        "presolve": True})
    if res.x is None:
        return ("infeasible" if res.status == 2 else "no_solution"), None
    status = "optimal" if res.status == 0 else "time_limit"
    return status, np.round(res.x)


def _min_capacity_scale(problem: ScheduleProblem, opts: list[Option],
                        loads: dict[str, np.ndarray], kind: str) -> float | None:
    """Return the smallest factor on capacity ``kind`` that makes the problem feasible."""
    n = len(opts)
    cons = _constraints(problem, opts, loads, scale={kind: 1e12})  # relax this kind …
    limit = problem.capacity[kind].to_numpy(dtype=float)
    keep = ~np.isnan(limit)
    # … and add rows  load·x − λ·cap ≤ 0  with λ the last variable
    a = np.hstack([loads[kind].T[keep], -limit[keep][:, None]])
    cons = [LinearConstraint(csr_matrix(np.hstack([ci.A.toarray(), np.zeros((ci.A.shape[0], 1))])),
                             ci.lb, ci.ub) for ci in cons]
    cons.append(LinearConstraint(csr_matrix(a), -np.inf, 0.0))
    c = np.zeros(n + 1)
    c[-1] = 1.0
    integrality = np.concatenate([np.ones(n), [0]])
    res = milp(c, integrality=integrality, bounds=Bounds(np.zeros(n + 1),
                                                         np.r_[np.ones(n), np.inf]),
               constraints=cons, options={"time_limit": 30.0})
    return float(res.x[-1]) if res.x is not None else None


# =============================================================================================
# Schedules
# =============================================================================================


@dataclass
class Schedule:
    """A schedule: ``table`` index ``district_id`` with ``phase``, ``start_year``, ``end_year``."""

    table: pd.DataFrame
    objective_t: float
    method: str
    status: str
    time_s: float


def _to_schedule(problem: ScheduleProblem, chosen: list[Option], *, method: str, status: str,
                 seconds: float) -> Schedule:
    table = pd.DataFrame(
        {"phase": [o.phase for o in chosen], "start_year": [o.start for o in chosen],
         "end_year": [o.end for o in chosen]},
        index=pd.Index([o.item for o in chosen], name="district_id"), dtype="Int64",
    ).reindex(problem.items.index)
    return Schedule(table, evaluate(problem, table), method, status, seconds)


def evaluate(problem: ScheduleProblem, table: pd.DataFrame) -> float:
    """Return the objective (t CO2 avoided over the horizon) of a schedule table."""
    total = 0.0
    for item, end in table["end_year"].dropna().items():
        opt = Option(str(item), 0, int(end), int(end))
        total += float(_option_values(problem, [opt])[0])
    return total


def check_schedule(problem: ScheduleProblem, table: pd.DataFrame, *, tol: float = 1e-6
                   ) -> list[str]:
    """Return every rule a schedule table breaks (empty when it is valid)."""
    broken: list[str] = []
    items = problem.items
    if table["end_year"].isna().any():
        broken.append(f"unscheduled: {sorted(table.index[table['end_year'].isna()])}")
        return broken
    for child, q in _parents(problem).items():
        if int(table.at[q, "end_year"]) > int(table.at[child, "end_year"]):
            broken.append(f"{q} ends after {child}, which it feeds")
    chosen = [Option(i, int(r.phase), int(r.start_year), int(r.end_year))
              for i, r in table.iterrows()]
    loads = _option_loads(problem, chosen)
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


def schedule_milp(problem: ScheduleProblem, *, time_limit: float = 60.0, rel_gap: float = 1e-7,
                  previous: pd.DataFrame | None = None) -> Schedule:
    """Return the optimal schedule (HiGHS MILP).

    Parameters
    ----------
    problem
        The instance.
    time_limit
        Seconds; the best schedule found so far is returned with status ``time_limit``.
    rel_gap
        Relative optimality tolerance.
    previous
        A previous schedule (index ``district_id``; ``phase``, ``end_year``): among schedules
        with the optimal objective the one changing the fewest districts is chosen.

    Raises
    ------
    InfeasiblePlanError
        When no schedule meets the settings; the message says what would be needed.
    """
    t0 = time.perf_counter()
    opts = options(problem)
    loads = _option_loads(problem, opts)
    values = _option_values(problem, opts)
    status, x = _solve(problem, opts, loads, objective=values, time_limit=time_limit,
                       rel_gap=rel_gap)
    if x is None:
        diag = diagnose(problem, opts)
        err = InfeasiblePlanError(diag.message() if diag.problems else
                                  f"The schedule MILP found no solution ({status}).")
        err.diagnosis = diag
        raise err
    if previous is not None and status == "optimal" and len(opts):
        best = float(values @ x)
        same = np.array([
            1.0 if (o.item in previous.index
                    and pd.notna(previous.at[o.item, "end_year"])
                    and int(previous.at[o.item, "end_year"]) == o.end
                    and pd.notna(previous.at[o.item, "phase"])
                    and int(previous.at[o.item, "phase"]) == o.phase) else 0.0
            for o in opts])
        keep = LinearConstraint(csr_matrix(values[None, :]),
                                best - max(abs(best) * rel_gap, 1e-6), np.inf)
        status2, x2 = _solve(problem, opts, loads, objective=same, time_limit=time_limit,
                             extra=[keep])
        if x2 is not None and status2 == "optimal":
            x = x2
    chosen = [o for o, v in zip(opts, x, strict=True) if v > 0.5]
    seconds = time.perf_counter() - t0
    logger.info("MILP schedule: %d items, %d options, %s in %.2f s", len(problem.items),
                len(opts), status, seconds)
    return _to_schedule(problem, chosen, method="milp", status=status, seconds=seconds)


def schedule_heuristic(problem: ScheduleProblem, *, previous: pd.DataFrame | None = None,
                       restarts: int = 40) -> Schedule:
    """Return a fast greedy schedule (feasible, not necessarily optimal).

    Items are placed in order of CO2 per trench km of the item and all it feeds, each at the
    option with the largest objective that fits the remaining capacity after its feeder; then
    single items are moved to better options while that helps. The same is repeated for the
    order by latest possible end, by size, and ``restarts`` seeded perturbations of the first
    order, keeping the best (a fixed count, not a time limit, so the result does not depend on
    the machine's speed). Districts that feed each other
    (a cycle in ``fed_from``) must end in the same year and are placed together. With
    ``previous``, the previous schedule is kept where it is still feasible and not worse.

    Raises
    ------
    InfeasiblePlanError
        When the greedy placement fails; the message comes from :func:`diagnose`, or says the
        heuristic failed when an exact schedule exists (use ``method="milp"``).
    """
    t0 = time.perf_counter()
    opts = options(problem)
    loads = _option_loads(problem, opts)
    values = _option_values(problem, opts)
    parents = _parents(problem)
    by_item: dict[str, list[int]] = {i: [] for i in problem.items.index}
    for r, o in enumerate(opts):
        by_item[o.item].append(r)
    units = _feed_units(list(problem.items.index), parents)
    best_value = {i: max((values[r] for r in rs), default=0.0) for i, rs in by_item.items()}
    km = problem.items["trench_km"].astype(float).to_dict()
    # CO2 per km of each unit and everything downstream of it (units form a DAG)
    down_v = {u: sum(best_value[i] for i in m) for u, m in units.members.items()}
    down_km = {u: sum(km[i] for i in m) for u, m in units.members.items()}
    for u in reversed(units.order):
        for c in units.children.get(u, ()):
            down_v[u] += down_v[c]
            down_km[u] += down_km[c]
    ratio = {u: down_v[u] / (down_km[u] + 1e-3) for u in units.order}
    latest = {u: max((opts[r].end for i in m for r in by_item[i]), default=0)
              for u, m in units.members.items()}
    ids = list(units.order)
    orders = [
        sorted(ids, key=lambda u: (-ratio[u], u)),
        sorted(ids, key=lambda u: (latest[u], -ratio[u], u)),
        sorted(ids, key=lambda u: (-down_km[u], u)),
    ]
    rng = np.random.default_rng(0)  # fixed seed: the same input gives the same schedule
    for _ in range(restarts):
        noise = dict(zip(ids, rng.lognormal(0.0, 0.5, len(ids)), strict=True))
        orders.append(sorted(ids, key=lambda u: (-ratio[u] * noise[u], u)))
    cap = {k: problem.capacity[k].to_numpy(dtype=float) for k in loads}
    best: tuple[float, dict[str, int]] | None = None
    for order in orders:
        chosen = _greedy(opts, loads, values, cap, order, units, parents, by_item)
        if chosen is None:
            continue
        chosen = _improve(opts, loads, values, cap, chosen, parents, units, by_item)
        total = sum(values[r] for r in chosen.values())
        if best is None or total > best[0] + 1e-9:
            best = (total, chosen)
    if previous is not None:
        kept = _previous_choice(problem, opts, previous, by_item)
        if kept is not None and _fits(loads, cap, list(kept.values())) and _precedence_ok(
                opts, kept, parents):
            total = sum(values[r] for r in kept.values())
            if best is None or total >= best[0] - 1e-9:
                best = (total, kept)
    seconds = time.perf_counter() - t0
    if best is None:
        diag = diagnose(problem, opts)
        text = diag.message() if diag.problems else (
            "The heuristic schedule could not place every district within the capacities, "
            "but an exact schedule exists: use method='milp'.")
        err = InfeasiblePlanError(text)
        err.diagnosis = diag
        raise err
    chosen_opts = [opts[r] for r in best[1].values()]
    logger.info("Heuristic schedule: %d items in %.3f s", len(chosen_opts), seconds)
    return _to_schedule(problem, chosen_opts, method="heuristic", status="feasible",
                        seconds=seconds)


@dataclass
class _Units:
    """Items grouped by feed cycles: a DAG of units (one item each, or a cycle's items)."""

    unit_of: dict[str, str]
    members: dict[str, list[str]]
    parents: dict[str, set[str]]
    children: dict[str, set[str]]
    order: list[str]
    """Units in topological order (feeders first)."""


def _feed_units(items: list[str], parents: dict[str, str]) -> _Units:
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(items)
    graph.add_edges_from((q, c) for c, q in parents.items())
    unit_of: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for comp in nx.strongly_connected_components(graph):
        ms = sorted(comp, key=str)
        name = str(ms[0])
        members[name] = ms
        for m in ms:
            unit_of[m] = name
    up: dict[str, set[str]] = {u: set() for u in members}
    down: dict[str, set[str]] = {u: set() for u in members}
    for c, q in parents.items():
        if unit_of[c] != unit_of[q]:
            up[unit_of[c]].add(unit_of[q])
            down[unit_of[q]].add(unit_of[c])
    dag = nx.DiGraph()
    dag.add_nodes_from(members)
    dag.add_edges_from((q, c) for c, qs in up.items() for q in qs)
    order = list(nx.lexicographical_topological_sort(dag))
    return _Units(unit_of, members, up, down, order)


def _fits(loads: dict[str, np.ndarray], cap: dict[str, np.ndarray], rows: list[int]) -> bool:
    for k, load in loads.items():
        used = load[rows].sum(axis=0) if rows else np.zeros(load.shape[1])
        c = cap[k]
        if np.any(~np.isnan(c) & (used > c + 1e-7)):
            return False
    return True


def _precedence_ok(opts: list[Option], chosen: dict[str, int], parents: dict[str, str]) -> bool:
    return all(opts[chosen[q]].end <= opts[chosen[c]].end for c, q in parents.items()
               if c in chosen and q in chosen)


def _greedy(opts, loads, values, cap, order, units, parents, by_item) -> dict[str, int] | None:
    used = {k: np.zeros(len(next(iter(cap.values())))) for k in loads}
    chosen: dict[str, int] = {}
    placed: set[str] = set()
    pending = list(order)

    def fits(rows: list[int]) -> bool:
        return all(not np.any(~np.isnan(cap[k]) & (used[k] + load[rows].sum(axis=0)
                                                   > cap[k] + 1e-7)) for k, load in loads.items())

    while pending:
        unit = next((u for u in pending if units.parents[u] <= placed), None)
        if unit is None:
            return None
        pending.remove(unit)
        ms = units.members[unit]
        lo = max((opts[chosen[parents[m]]].end for m in ms
                  if m in parents and parents[m] in chosen), default=-math.inf)
        ends = set.intersection(*({opts[r].end for r in by_item[m]} for m in ms))
        cands = []
        for e in ends:
            if e < lo:
                continue
            rows = [max((r for r in by_item[m] if opts[r].end == e), key=lambda r: values[r])
                    for m in ms]
            cands.append((-sum(values[r] for r in rows), e, rows))
        for _, _, rows in sorted(cands, key=lambda c: (c[0], c[1])):
            if fits(rows):
                for k, load in loads.items():
                    used[k] += load[rows].sum(axis=0)
                chosen.update({opts[r].item: r for r in rows})
                placed.add(unit)
                break
        else:
            return None
    return chosen


def _improve(opts, loads, values, cap, chosen, parents, units, by_item) -> dict[str, int]:
    chosen = dict(chosen)
    kids: dict[str, list[str]] = {}
    for c, q in parents.items():
        kids.setdefault(q, []).append(c)
    singles = sorted((m[0] for m in units.members.values() if len(m) == 1), key=str)
    for _ in range(20):
        improved = False
        for item in singles:
            current = chosen[item]
            lo = opts[chosen[parents[item]]].end if item in parents else -math.inf
            hi = min((opts[chosen[c]].end for c in kids.get(item, [])), default=math.inf)
            others = [r for i, r in chosen.items() if i != item]
            for r in sorted(by_item[item], key=lambda r: -values[r]):
                if values[r] <= values[current] + 1e-9:
                    break
                if not lo <= opts[r].end <= hi:
                    continue
                if _fits(loads, cap, [*others, r]):
                    chosen[item] = r
                    improved = True
                    break
        if not improved:
            break
    return chosen


def _previous_choice(problem, opts, previous, by_item) -> dict[str, int] | None:
    chosen = {}
    for item, rs in by_item.items():
        if item not in previous.index or pd.isna(previous.at[item, "end_year"]):
            return None
        match = [r for r in rs if opts[r].end == int(previous.at[item, "end_year"])
                 and opts[r].phase == int(previous.at[item, "phase"])]
        if not match:
            return None
        chosen[item] = match[0]
    return chosen


# =============================================================================================
# The whole rollout: economics → schedule → properties, trenches, years, CO2
# =============================================================================================


@dataclass
class Rollout:
    """The planned rollout; column meanings in ``docs/architecture.md``."""

    districts: pd.DataFrame
    """Index ``district_id``: input columns, economics, recommendation, reason, schedule."""
    properties: pd.DataFrame
    """Index ``property_id``: input columns plus demand, CO2, recommendation, phase, years."""
    trenches: pd.DataFrame
    """Index ``segment_id``: routing columns plus ``is_built``, ``construction_year``,
    ``phase``."""
    years: pd.DataFrame
    """Index ``year``: ``connections``, ``trench_km``, ``cost_dkk``, ``co2_t``,
    ``co2_avoided_t``."""
    co2_trajectory: pd.DataFrame
    """Index ``year``: building-heat CO2 against baseline and target (plan/trajectory.py)."""
    report: dict[str, Any]
    """Plain values: ``method``, ``used``, ``objective_t``, ``heuristic_objective_t``,
    ``milp_objective_t`` (t CO2 avoided over the horizon), ``gap`` (share), ``heuristic_time_s``,
    ``milp_time_s``, ``milp_status``, ``n_items``, ``n_options``, ``districts_per_phase``,
    ``districts_individual``, ``districts_flagged``, ``properties_to_convert``,
    ``properties_by_phase``, ``properties_individual``, ``dh_works_end_year``, ``co2_notes``
    (sentences on the target), ``total_time_s``; ``feed_cycle_note`` and ``heuristic_failed``
    when they apply."""
    changes: pd.DataFrame | None = None
    """Changes against the previous plan (plan/revision.py), when one was given."""


def _prepare_properties(properties: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    from heatplan.model.heating import classify_heating, is_convertible

    props = properties.copy()  # never mutate the input
    if "property_id" in props.columns:
        props = props.set_index("property_id", drop=True)
    props.index = props.index.astype(str)
    props.index.name = "property_id"
    if "heating_type" not in props.columns:
        fuel = props["heating_fuel"] if "heating_fuel" in props.columns else None
        props["heating_type"] = classify_heating(props["heating_installation"], fuel)
    if "is_to_convert" not in props.columns:
        props["is_to_convert"] = is_convertible(props["heating_type"])
    if "heat_demand_mwh_a" not in props.columns:
        from heatplan.model.demand import estimate_heat_demand

        demand = estimate_heat_demand(props, None, scenario=scenario)
        props["heat_demand_mwh_a"] = demand["heat_demand_mwh_a"].reindex(props.index)
    props["district_id"] = props["district_id"].astype(object).where(
        props["district_id"].notna(), None)
    return props


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

    rec = districts["recommendation"]
    is_dh = rec.isin([DISTRICT_HEATING, EXISTING])
    has_work = (districts["works_trench_m"] > 0) | (n_open > 0)
    chosen = districts.index[((is_dh & has_work) | districts["is_transit"].astype(bool))
                             & ~districts.index.isin(list(done))]
    item_set = set(chosen)
    fed = districts["fed_from"] if "fed_from" in districts.columns else pd.Series(
        dtype=object)
    items = pd.DataFrame(index=pd.Index(list(chosen), name="district_id"))
    items["trench_km"] = districts.loc[chosen, "works_trench_m"].astype(float) / 1000.0
    items["n_to_convert"] = n_open.reindex(chosen).astype(float).where(is_dh[chosen], 0.0)
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


def _segment_years(trenches: pd.DataFrame, is_built: pd.Series, schedule: pd.DataFrame
                   ) -> pd.Series:
    """Spread each district's built segments over its construction years, upstream first."""
    from heatplan.plan.economics import _segment_parent

    parent = _segment_parent(trenches)
    depth: dict = {}
    for seg in trenches.index:
        chain, node = [], seg
        while node is not None and node not in depth and node not in chain:
            chain.append(node)
            node = parent.get(node)
        base = depth.get(node, -1) if node is not None else -1
        for k, c in enumerate(reversed(chain)):
            depth[c] = base + 1 + k
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


def plan_rollout(
    properties: pd.DataFrame,
    districts: pd.DataFrame,
    routing: Any,
    *,
    scenario: Scenario,
    method: Method = "milp",
    progress: pd.Series | None = None,
    previous: Any = None,
    factors: Mapping[bool, pd.DataFrame] | None = None,
    lang: str = "da",
) -> Rollout:
    """Plan the rollout: district economics and recommendation, schedule, take-up, CO2.

    Parameters
    ----------
    properties
        Index (or column) ``property_id``; the contract columns with ``district_id`` filled.
        ``heating_type``, ``is_to_convert`` and ``heat_demand_mwh_a`` are derived when absent.
    districts
        Index ``district_id``; ``name``, ``status``, optional ``planned_phase``, geometry.
    routing
        Object (or dict) with ``trenches``, ``service_pipes`` and ``district_feed`` tables
        (``heatplan.plan.network.routing.Routing``).
    scenario
        Supplies ``economics.*``, ``phasing.*``, ``uptake.*``, ``emissions.*``, ``general.*``.
    method
        ``"milp"`` (exact; the heuristic also runs, for the gap) or ``"heuristic"``.
    progress
        ``connection_status`` per ``property_id`` (``revision.load_progress``), overriding the
        layer's column.
    previous
        The previous plan (a :class:`Rollout`, or a dict / object with ``properties`` and
        ``districts`` tables): connected properties keep their years, works under way keep
        their schedule, ties are broken towards it, and ``changes`` lists what moved.
    factors
        CO2 factor tables with (``True``) and without (``False``) carbon capture; from
        ``heatplan.model.emissions.heat_emission_factors`` when None.
    lang
        ``"da"`` or ``"en"`` for reasons and notes.

    Returns
    -------
    rollout
        :class:`Rollout`.

    Raises
    ------
    InfeasiblePlanError
        When no schedule meets the settings; the message says what would be needed (its
        ``diagnosis`` attribute holds the :class:`Diagnosis`).
    """
    from heatplan.plan.economics import (
        DISTRICT_HEATING,
        EXISTING,
        INDIVIDUAL,
        district_economics,
        district_works,
        recommend_districts,
        transit_note,
        trench_costs,
    )
    from heatplan.plan.revision import apply_progress, compare_plans, fixed_districts
    from heatplan.plan.trajectory import co2_trajectory
    from heatplan.plan.uptake import expected_connections, property_years, scenario_curve

    t_start = time.perf_counter()
    props = apply_progress(_prepare_properties(properties, scenario), progress)
    dists = districts.copy()  # never mutate the input
    if "district_id" in dists.columns:
        dists = dists.set_index("district_id", drop=True)
    dists.index = dists.index.astype(str)
    dists.index.name = "district_id"
    trenches, service, feed = _routing_tables(routing)
    prev_props, prev_dists = _previous_tables(previous)

    base = int(scenario.value("general.base_year"))
    first = int(scenario.value("phasing.first_year"))
    horizon = max(int(scenario.value("general.horizon_end_year")),
                  int(scenario.value("phasing.end_year")))
    all_years = list(range(min(base, first), horizon + 1))
    if factors is None:
        from heatplan.model.emissions import heat_emission_factors

        factors = {ccs: heat_emission_factors(
            scenario.with_values(emissions__ccs_enabled=ccs), all_years) for ccs in (True, False)}
    own = factors[bool(scenario.value("emissions.ccs_enabled"))]

    # --- economics and recommendation --------------------------------------------------------
    econ = district_economics(props, dists, trenches, service, feed, scenario=scenario,
                              factors=own, base_year=base)
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

    # --- schedule ----------------------------------------------------------------------------
    fixed = fixed_districts(props, prev_dists, first_year=first)
    curve = scenario_curve(scenario, horizon - min(base, first) + 60)
    problem = build_problem(rec, props, scenario=scenario, factors=own, fixed=fixed,
                            curve=curve)
    prev_sched = prev_dists[["phase", "end_year"]] if prev_dists is not None else None
    report: dict[str, Any] = {"method": method, "n_items": len(problem.items),
                              "n_options": len(options(problem))}
    cycle = _cycle(_parents(problem))
    if cycle:
        note = ("district_feed.fed_from has a cycle (" + " → ".join(cycle) + "): these "
                "districts feed each other, so their works end in the same year.")
        logger.warning(note)
        report["feed_cycle_note"] = note
    heur: Schedule | None = None
    exact: Schedule | None = None
    heur_error: InfeasiblePlanError | None = None
    try:
        heur = schedule_heuristic(problem, previous=prev_sched)
    except InfeasiblePlanError as err:
        heur_error = err
        if getattr(err, "diagnosis", None) is not None and not err.diagnosis.is_feasible:
            raise
    if method == "milp" or heur is None:
        exact = schedule_milp(
            problem, time_limit=float(scenario.value("phasing.milp_time_limit_s")),
            rel_gap=float(scenario.value("phasing.milp_rel_gap")), previous=prev_sched)
    chosen = exact if method == "milp" and exact is not None else (heur or exact)
    if chosen is None:  # cannot happen: schedule_milp raises when it finds nothing
        msg = "No schedule was found."
        raise InfeasiblePlanError(msg)
    if heur_error is not None:
        report["heuristic_failed"] = str(heur_error)
    report["heuristic_objective_t"] = heur.objective_t if heur else None
    report["heuristic_time_s"] = heur.time_s if heur else None
    report["milp_objective_t"] = exact.objective_t if exact else None
    report["milp_time_s"] = exact.time_s if exact else None
    report["milp_status"] = exact.status if exact else None
    report["objective_t"] = chosen.objective_t
    report["used"] = chosen.method
    if heur and exact and exact.objective_t > 0:
        report["gap"] = (exact.objective_t - heur.objective_t) / exact.objective_t
    else:
        report["gap"] = None

    sched = chosen.table.reindex(rec.index)
    if len(fixed):
        done = fixed[fixed["is_done"]]
        for col, src in (("phase", "fixed_phase"), ("start_year", "fixed_start"),
                         ("end_year", "fixed_end")):
            sched.loc[done.index.intersection(sched.index), col] = done[src]
    sched = sched.astype("Int64")
    # districts built before the first plan year without a known phase: the phase whose
    # window holds their end year (the first phase when earlier, the last when later)
    windows = problem.windows
    for d in sched.index[sched["phase"].isna() & sched["end_year"].notna()]:
        planned = rec.at[d, "planned_phase"] if "planned_phase" in rec.columns else pd.NA
        end = int(sched.at[d, "end_year"])
        inside = [p for p, (a, b) in windows.items() if a <= end <= b]
        phase = (int(planned) if pd.notna(planned) else inside[0] if inside
                 else min(windows) if end < min(a for a, _ in windows.values()) else max(windows))
        sched.at[d, "phase"] = phase
    out_d = dists.join(rec.drop(columns=[c for c in ("name", "status", "planned_phase")
                                         if c in rec.columns and c in dists.columns]))
    for col in ("phase", "start_year", "end_year"):
        out_d[col] = sched[col]

    # --- properties --------------------------------------------------------------------------
    out_p = props.copy()
    known = pd.Series(np.nan, index=out_p.index)
    if prev_props is not None and "connection_year" in prev_props.columns:
        known = pd.to_numeric(prev_props["connection_year"], errors="coerce").reindex(
            out_p.index)
    # a connected property connected in the past: the year before the plan when unknown
    is_conn = out_p["connection_status"].eq("connected")
    out_p["connection_year"] = known.where(~is_conn | known.notna(), first - 1)
    fac_base = own[base]
    out_p["co2_t_a"] = (out_p["heat_demand_mwh_a"].astype(float)
                        * out_p["heating_type"].map(fac_base).fillna(0.0).astype(float))
    d_rec = out_p["district_id"].map(rec["recommendation"])
    conv = out_p["is_to_convert"].astype(bool)
    out_p["recommendation"] = np.select(
        [out_p["heating_type"].eq("district_heating"),
         conv & d_rec.isin([DISTRICT_HEATING, EXISTING]), conv & d_rec.eq(INDIVIDUAL)],
        ["existing_dh", DISTRICT_HEATING, INDIVIDUAL], default="none")
    offered = out_p["recommendation"].eq(DISTRICT_HEATING)
    plan_years = property_years(out_p[offered], sched, scenario=scenario, curve=curve,
                                min_year=first)
    for col in plan_years.columns:
        out_p[col] = plan_years[col].reindex(out_p.index).astype("Int64")

    # --- trenches ----------------------------------------------------------------------------
    out_t = trenches.copy()
    out_t["is_built"] = is_built.reindex(out_t.index, fill_value=False).astype(bool)
    out_t["construction_year"] = _segment_years(trenches, is_built, sched)
    out_t["phase"] = out_t["district_id"].map(sched["phase"]).astype("Int64").where(
        out_t["is_built"], pd.NA)

    # --- years -------------------------------------------------------------------------------
    yrs = list(range(first, horizon + 1))
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

    # --- CO2 trajectory ----------------------------------------------------------------------
    traj, notes = co2_trajectory(out_p, sched["end_year"], scenario=scenario, factors=factors,
                                 years=list(range(base, horizon + 1)), lang=lang)
    table["co2_t"] = traj["co2_t"].reindex(yrs).to_numpy()
    table["co2_avoided_t"] = (traj["co2_no_plan_t"] - traj["co2_t"]).reindex(yrs).to_numpy()

    changes = None
    if prev_props is not None and prev_dists is not None:
        changes = compare_plans(prev_props, prev_dists, out_p, out_d, lang=lang)

    # --- report ------------------------------------------------------------------------------
    target = out_p[conv]
    report.update({
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
        "total_time_s": time.perf_counter() - t_start,
    })
    logger.info(
        "Rollout planned: %d districts scheduled, objective %.0f t CO2 (%s), gap %s",
        int(sched["end_year"].notna().sum()), chosen.objective_t, chosen.method,
        "n/a" if report["gap"] is None else f"{report['gap']:.2%}",
    )
    return Rollout(out_d, out_p, out_t, table, traj, report, changes)
