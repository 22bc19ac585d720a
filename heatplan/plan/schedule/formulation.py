"""The schedule MILP's constraint rows and solve (HiGHS via ``scipy.optimize.milp``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from heatplan.plan.schedule.problem import Option, ScheduleProblem, feed_parents

logger = logging.getLogger(__name__)


def constraint_rows(problem: ScheduleProblem, opts: list[Option], loads: dict[str, np.ndarray],
                    scale: dict[str, float] | None = None) -> list[LinearConstraint]:
    """Rows of the schedule model: one option per item, yearly capacities, feed precedence."""
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
    parents = feed_parents(problem)
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


@dataclass(frozen=True)
class Solved:
    """What HiGHS found: ``status`` (``optimal``, ``time_limit``, ``infeasible`` or
    ``no_solution``), the 0/1 option choice ``x`` (None without a solution) and the best
    bound on the objective (t CO2; the objective itself when optimal, NaN when unknown)."""

    status: str
    x: np.ndarray | None
    bound: float


def solve(problem: ScheduleProblem, opts: list[Option], loads: dict[str, np.ndarray], *,
          objective: np.ndarray | None, time_limit: float, rel_gap: float = 1e-7,
          extra: list[LinearConstraint] | None = None) -> Solved:
    """Solve the schedule MILP, maximising ``objective`` (feasibility only when None)."""
    n = len(opts)
    if n == 0:
        return (Solved("optimal", np.zeros(0), 0.0) if problem.items.empty
                else Solved("infeasible", None, np.nan))
    c = np.zeros(n) if objective is None else -np.asarray(objective, dtype=float)
    res = milp(c, integrality=np.ones(n), bounds=Bounds(0, 1),
               constraints=[*constraint_rows(problem, opts, loads), *(extra or [])],
               options={"time_limit": float(time_limit), "mip_rel_gap": float(rel_gap),
                        "presolve": True})
    bound = -float(getattr(res, "mip_dual_bound", np.nan) or np.nan)
    if res.x is None:
        return Solved("infeasible" if res.status == 2 else "no_solution", None, bound)
    status = "optimal" if res.status == 0 else "time_limit"
    return Solved(status, np.round(res.x), -float(res.fun) if status == "optimal" else bound)


def lp_bound(problem: ScheduleProblem, opts: list[Option], loads: dict[str, np.ndarray],
             values: np.ndarray) -> float:
    """The LP relaxation's objective: no schedule avoids more CO2 (t). NaN if it fails."""
    if not opts:
        return 0.0
    res = milp(-np.asarray(values, dtype=float), integrality=np.zeros(len(opts)),
               bounds=Bounds(0, 1), constraints=constraint_rows(problem, opts, loads))
    return -float(res.fun) if res.status == 0 else np.nan


def min_capacity_scale(problem: ScheduleProblem, opts: list[Option],
                        loads: dict[str, np.ndarray], kind: str) -> float | None:
    """Return the smallest factor on capacity ``kind`` that makes the problem feasible."""
    n = len(opts)
    cons = constraint_rows(problem, opts, loads, scale={kind: 1e12})  # relax this kind …
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
