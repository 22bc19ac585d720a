"""The exact schedule: one binary per (item, phase, start year) option, solved by HiGHS."""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd
from scipy.optimize import LinearConstraint
from scipy.sparse import csr_matrix

from heatplan.core.errors import InfeasiblePlanError
from heatplan.plan.schedule.diagnose import diagnose
from heatplan.plan.schedule.formulation import solve
from heatplan.plan.schedule.problem import (
    Schedule,
    ScheduleProblem,
    option_loads,
    option_values,
    options,
    to_schedule,
)

logger = logging.getLogger(__name__)


def schedule_milp(problem: ScheduleProblem, *, time_limit: float = 60.0, rel_gap: float = 1e-7,
                  previous: pd.DataFrame | None = None) -> Schedule:
    """Return the optimal schedule (HiGHS MILP).

    Parameters
    ----------
    problem
        The instance.
    time_limit
        Seconds; the best schedule found so far is returned with status ``time_limit`` and
        HiGHS's best bound in ``bound_t``.
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
    loads = option_loads(problem, opts)
    values = option_values(problem, opts)
    solved = solve(problem, opts, loads, objective=values, time_limit=time_limit,
                   rel_gap=rel_gap)
    status, x = solved.status, solved.x
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
        again = solve(problem, opts, loads, objective=same, time_limit=time_limit, extra=[keep])
        if again.x is not None and again.status == "optimal":
            x = again.x
    chosen = [o for o, v in zip(opts, x, strict=True) if v > 0.5]
    seconds = time.perf_counter() - t0
    logger.info("MILP schedule: %d items, %d options, %s in %.2f s", len(problem.items),
                len(opts), status, seconds)
    return to_schedule(problem, chosen, method="milp", status=status, seconds=seconds,
                       bound_t=solved.bound)
