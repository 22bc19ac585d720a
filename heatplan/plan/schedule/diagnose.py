"""Why a schedule cannot meet its settings, and what would be needed."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heatplan.plan.schedule.formulation import min_capacity_scale, solve
from heatplan.plan.schedule.problem import (
    Option,
    ScheduleProblem,
    feed_parents,
    option_loads,
    options,
)

logger = logging.getLogger(__name__)


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


def feed_cycle(parents: dict[str, str]) -> list[str] | None:
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
    by_item: dict[str, list[Option]] = {i: [] for i in problem.items.index}
    for o in opts:
        by_item[o.item].append(o)
    problems = _items_without_years(problem, by_item) + _precedence_problems(problem, by_item)
    if problems:
        return Diagnosis(tuple(problems))
    loads = option_loads(problem, opts)
    problems, needed = _total_capacity_problems(problem, opts, loads)
    if problems:
        return Diagnosis(tuple(problems), needed)
    # exact: is there any schedule? if not, the smallest capacity that would do
    if solve(problem, opts, loads, objective=None, time_limit=30.0).status == "optimal":
        return Diagnosis((), {})
    cap = problem.capacity
    for kind, unit, key in _CAPACITIES:
        if np.isnan(cap[kind].to_numpy(dtype=float)).all():
            continue
        scale = min_capacity_scale(problem, opts, loads, kind)
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


_CAPACITIES = (("trench_km", "trench km/year", "trench_km_a"),
               ("connections", "house connections/year", "connections_a"),
               ("budget_dkk", "DKK/year", "budget_dkk_a"))
"""Capacity kind, its unit in messages and its key in :attr:`Diagnosis.needed`."""


def _items_without_years(problem: ScheduleProblem, by_item: dict[str, list[Option]]
                         ) -> list[str]:
    """A message for each item that has no option inside its windows and the plan years."""
    items = problem.items
    first, last = problem.years[0], problem.years[-1]
    problems: list[str] = []
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
    return problems


def _precedence_problems(problem: ScheduleProblem, by_item: dict[str, list[Option]]
                         ) -> list[str]:
    """A message for each feeder that cannot end before the district it feeds must end."""
    items = problem.items
    parents = feed_parents(problem)
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
    problems: list[str] = []
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
    return problems


def _total_capacity_problems(problem: ScheduleProblem, opts: list[Option],
                             loads: dict[str, np.ndarray]) -> tuple[list[str], dict[str, float]]:
    """Capacities whose total over the plan years is below the least the works need."""
    cap = problem.capacity
    n_years = len(problem.years)
    problems: list[str] = []
    needed: dict[str, float] = {}
    for kind, unit, key in _CAPACITIES:
        capacity = cap[kind].to_numpy(dtype=float)
        if np.isnan(capacity).all():
            continue
        # the least each item must use inside the plan years, over all its options
        least = sum(min((loads[kind][r].sum() for r, o in enumerate(opts) if o.item == i),
                        default=0.0) for i in problem.items.index)
        total = np.nansum(capacity)
        if least > total + 1e-6:
            need = least / n_years
            needed[key] = need
            problems.append(
                f"The works need at least {_fmt(least)} {unit.split('/')[0]} in "
                f"{problem.years[0]}–{problem.years[-1]}, i.e. {_fmt(need)} {unit} on average; "
                f"capacity is {_fmt(float(np.nanmean(capacity)))} (phasing."
                f"{_cap_key(kind)}). Raise the capacity or move phasing.end_year later.")
    return problems, needed


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
