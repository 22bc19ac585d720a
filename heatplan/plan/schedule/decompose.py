"""The schedule of a large place: exact MILPs over groups of feed trees, the rest held fixed.

A large-neighbourhood search that starts from a feasible schedule (the heuristic's). The items
are grouped by feed tree (a district and everything it feeds stay together) into groups of at
most ``group_items`` items. In turn, each group is re-scheduled exactly (HiGHS) while every other
item keeps its years: the capacity the others use is taken off each year's capacity (the
coordinating constraint), and a group item's options must respect the feed order with the fixed
items around it. A group's new schedule is kept only when it avoids more CO2, so the objective
never falls; rounds repeat until one brings no gain or the time budget is spent.

The result is feasible, not proven optimal: its quality is stated against an upper bound (the LP
relaxation of the whole problem, :func:`heatplan.plan.schedule.formulation.lp_bound`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import numpy as np
import pandas as pd

from heatplan.plan.schedule.formulation import lp_bound, solve
from heatplan.plan.schedule.problem import (
    Option,
    Schedule,
    ScheduleProblem,
    feed_parents,
    option_loads,
    option_values,
    options,
    to_schedule,
)

logger = logging.getLogger(__name__)

_KINDS = ("trench_km", "connections", "budget_dkk")


def feed_groups(problem: ScheduleProblem, group_items: int) -> list[list[str]]:
    """Items grouped by feed tree, trees packed in order into groups of ≤ ``group_items``.

    A tree larger than ``group_items`` forms a group of its own.

    >>> import pandas as pd
    >>> items = pd.DataFrame({"parent": [None, "A", None, None]}, index=list("ABCD"))
    >>> p = ScheduleProblem(items, [2024], {1: (2024, 2024)}, pd.DataFrame(), pd.DataFrame(),
    ...                     np.ones(1))
    >>> feed_groups(p, 2)
    [['A', 'B'], ['C', 'D']]
    """
    parents = feed_parents(problem)
    root: dict[str, str] = {}

    def find(item: str) -> str:
        seen = []
        while item in parents and item not in seen:
            seen.append(item)
            item = parents[item]
        return item

    for item in problem.items.index:
        root[item] = find(item)
    trees: dict[str, list[str]] = {}
    for item in problem.items.index:
        trees.setdefault(root[item], []).append(item)
    groups: list[list[str]] = []
    for members in trees.values():
        if groups and len(groups[-1]) + len(members) <= group_items:
            groups[-1].extend(members)
        else:
            groups.append(list(members))
    return groups


def schedule_decomposed(
    problem: ScheduleProblem, start: Schedule, *, time_limit_s: float, group_items: int = 40,
    rel_gap: float = 1e-7,
) -> Schedule:
    """Improve ``start`` group by group within ``time_limit_s`` seconds (module docstring).

    Returns a feasible schedule with ``method="decomposed"``, ``status="feasible"`` and the LP
    bound in ``bound_t``.
    """
    t0 = time.perf_counter()
    opts = options(problem)
    loads = option_loads(problem, opts)
    values = option_values(problem, opts)
    index = {(o.item, o.phase, o.start, o.end): r for r, o in enumerate(opts)}
    chosen = {item: index[(item, int(row.phase), int(row.start_year), int(row.end_year))]
              for item, row in start.table.dropna(subset=["end_year"]).iterrows()}
    size, rounds = group_items, 0
    while time.perf_counter() - t0 < time_limit_s:
        groups = feed_groups(problem, size)
        rounds += 1
        improved = False
        for group in groups:
            left = time_limit_s - (time.perf_counter() - t0)
            if left <= 0:
                break
            better = _resolve_group(problem, opts, loads, values, chosen, group, left, rel_gap)
            if better is not None:
                chosen.update(better)
                improved = True
        if not improved:
            if len(groups) == 1:
                break  # the whole problem was solved at once: nothing left to gain
            size *= 2  # a local optimum for these groups: widen the neighbourhood
    bound = lp_bound(problem, opts, loads, values)
    seconds = time.perf_counter() - t0
    result = to_schedule(problem, [opts[r] for r in chosen.values()], method="decomposed",
                         status="feasible", seconds=seconds, bound_t=bound)
    logger.info("Decomposed schedule: %d items, groups of up to %d, %d round(s), %.0f t CO2 "
                "(bound %.0f) in %.1f s", len(problem.items), size, rounds,
                result.objective_t, bound, seconds)
    return result


def _resolve_group(
    problem: ScheduleProblem, opts: list[Option], loads: dict[str, np.ndarray],
    values: np.ndarray, chosen: dict[str, int], group: list[str], time_limit_s: float,
    rel_gap: float,
) -> dict[str, int] | None:
    """The group's best options with the other items fixed; None when nothing better."""
    members = set(group)
    fixed = [r for item, r in chosen.items() if item not in members]
    capacity = problem.capacity.copy()
    for kind in _KINDS:
        used = loads[kind][fixed].sum(axis=0) if fixed else 0.0
        capacity[kind] = capacity[kind].to_numpy(dtype=float) - used
    allowed = _allowed_options(problem, opts, chosen, members)
    if not allowed:
        return None
    parents = problem.items["parent"].where(problem.items["parent"].isin(members))
    sub = replace(problem, items=problem.items.loc[group].assign(parent=parents.loc[group]),
                  capacity=capacity)
    sub_opts = [opts[r] for r in allowed]
    sub_loads = {kind: loads[kind][allowed] for kind in _KINDS}
    solved = solve(sub, sub_opts, sub_loads, objective=values[allowed],
                   time_limit=time_limit_s, rel_gap=rel_gap)
    if solved.x is None:
        return None
    picked = {opts[r].item: r for r, x in zip(allowed, solved.x, strict=True) if x > 0.5}
    now = sum(values[chosen[item]] for item in group if item in chosen)
    if sum(values[r] for r in picked.values()) <= now + 1e-9 * max(1.0, abs(now)):
        return None
    return picked


def _allowed_options(problem: ScheduleProblem, opts: list[Option], chosen: dict[str, int],
                     members: set[str]) -> list[int]:
    """Options of the group's items that keep the feed order with the fixed items."""
    parents = feed_parents(problem)
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    allowed = []
    for r, o in enumerate(opts):
        if o.item not in members:
            continue
        parent = parents.get(o.item)
        if parent is not None and parent not in members and opts[chosen[parent]].end > o.end:
            continue
        if any(c not in members and opts[chosen[c]].end < o.end
               for c in children.get(o.item, ())):
            continue
        allowed.append(r)
    return allowed


def gap_share(objective_t: float, bound_t: float) -> float | None:
    """Share of the bound a schedule may miss, ``(bound − objective) / bound``; None if unknown.

    >>> round(gap_share(99.0, 100.0), 3)
    0.01
    """
    if bound_t is None or pd.isna(bound_t) or bound_t <= 0:
        return None
    return max(0.0, (bound_t - objective_t) / bound_t)
