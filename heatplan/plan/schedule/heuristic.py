"""The fast schedule: greedy list scheduling with improving moves and restarts."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from heatplan.core.errors import InfeasiblePlanError
from heatplan.plan.schedule.diagnose import diagnose
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
    loads = option_loads(problem, opts)
    values = option_values(problem, opts)
    parents = feed_parents(problem)
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
    return to_schedule(problem, chosen_opts, method="heuristic", status="feasible",
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
