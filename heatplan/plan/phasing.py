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
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from heatplan.config import Scenario
from heatplan.errors import InfeasiblePlanError, ScenarioError

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
    cyc = _cycle(parents)
    if cyc:
        problems.append(
            "The feed order has a cycle: " + " → fed from → ".join(cyc)
            + ". Fix district_feed.fed_from so that the districts form a tree.")
        return Diagnosis(tuple(problems))
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
    order = _topological(list(items.index), parents)
    for child in order:
        q = parents.get(child)
        if q is not None:
            earliest[child] = max(earliest[child], earliest[q])
    for child in reversed(order):
        q = parents.get(child)
        if q is not None:
            latest[q] = min(latest[q], latest[child])
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


def _topological(nodes: list[str], parents: dict[str, str]) -> list[str]:
    depth: dict[str, int] = {}
    for n in nodes:
        chain, node = [], n
        while node is not None and node not in depth and node not in chain:
            chain.append(node)
            node = parents.get(node)
        base = depth.get(node, -1) if node is not None else -1
        for k, c in enumerate(reversed(chain)):
            depth[c] = base + 1 + k
    return sorted(nodes, key=lambda n: (depth[n], str(n)))


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
        err.diagnosis = diag  # type: ignore[attr-defined]
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


def schedule_heuristic(problem: ScheduleProblem, *, previous: pd.DataFrame | None = None
                       ) -> Schedule:
    """Return a fast greedy schedule (feasible, not necessarily optimal).

    Items are placed in order of CO2 per trench km of the item and all it feeds, each at the
    option with the largest objective that fits the remaining capacity after its feeder; then
    single items are moved to better options while that helps. With ``previous``, the previous
    schedule is kept where it is still feasible and not worse.

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
    children: dict[str, list[str]] = {}
    for c, q in parents.items():
        children.setdefault(q, []).append(c)
    by_item: dict[str, list[int]] = {i: [] for i in problem.items.index}
    for r, o in enumerate(opts):
        by_item[o.item].append(r)
    best_value = {i: max((values[r] for r in rs), default=0.0) for i, rs in by_item.items()}

    def subtree(i: str) -> tuple[float, float]:
        v, km = best_value[i], float(problem.items.at[i, "trench_km"])
        for c in children.get(i, []):
            cv, ck = subtree(c)
            v, km = v + cv, km + ck
        return v, km

    ratio = {}
    for i in problem.items.index:
        v, km = subtree(i)
        ratio[i] = v / (km + 1e-3)

    cap = {k: problem.capacity[k].to_numpy(dtype=float) for k in loads}
    orders = [
        sorted(problem.items.index, key=lambda i: (-ratio[i], str(i))),
        sorted(problem.items.index, key=lambda i: (min((opts[r].end for r in by_item[i]),
                                                       default=0) if by_item[i] else 0,
                                                   -ratio[i], str(i))),
    ]
    best: tuple[float, dict[str, int]] | None = None
    for order in orders:
        chosen = _greedy(problem, opts, loads, values, cap, order, parents, by_item)
        if chosen is None:
            continue
        chosen = _improve(opts, loads, values, cap, chosen, parents, children, by_item)
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
        err.diagnosis = diag  # type: ignore[attr-defined]
        raise err
    chosen_opts = [opts[r] for r in best[1].values()]
    logger.info("Heuristic schedule: %d items in %.3f s", len(chosen_opts), seconds)
    return _to_schedule(problem, chosen_opts, method="heuristic", status="feasible",
                        seconds=seconds)


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


def _greedy(problem, opts, loads, values, cap, order, parents, by_item) -> dict[str, int] | None:
    used = {k: np.zeros(len(problem.years)) for k in loads}
    chosen: dict[str, int] = {}
    pending = list(order)
    while pending:
        ready = [i for i in pending if parents.get(i) is None or parents[i] in chosen]
        if not ready:
            return None
        item = ready[0]
        pending.remove(item)
        lo = opts[chosen[parents[item]]].end if parents.get(item) in chosen else -math.inf
        cands = sorted((r for r in by_item[item] if opts[r].end >= lo),
                       key=lambda r: (-values[r], opts[r].end, opts[r].phase))
        placed = False
        for r in cands:
            ok = True
            for k, load in loads.items():
                c = cap[k]
                if np.any(~np.isnan(c) & (used[k] + load[r] > c + 1e-7)):
                    ok = False
                    break
            if ok:
                for k, load in loads.items():
                    used[k] += load[r]
                chosen[item] = r
                placed = True
                break
        if not placed:
            return None
    return chosen


def _improve(opts, loads, values, cap, chosen, parents, children, by_item) -> dict[str, int]:
    chosen = dict(chosen)
    for _ in range(20):
        improved = False
        for item in sorted(chosen, key=str):
            current = chosen[item]
            lo = opts[chosen[parents[item]]].end if item in parents else -math.inf
            hi = min((opts[chosen[c]].end for c in children.get(item, [])), default=math.inf)
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
