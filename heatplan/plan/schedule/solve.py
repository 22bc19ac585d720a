"""Run the schedule methods on a problem and report what each found."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from heatplan.core.errors import InfeasiblePlanError
from heatplan.plan.schedule import ScheduleMethod
from heatplan.plan.schedule.decompose import gap_share, schedule_decomposed
from heatplan.plan.schedule.diagnose import feed_cycle
from heatplan.plan.schedule.formulation import lp_bound
from heatplan.plan.schedule.heuristic import schedule_heuristic
from heatplan.plan.schedule.milp import schedule_milp
from heatplan.plan.schedule.problem import (
    Schedule,
    ScheduleProblem,
    feed_parents,
    option_loads,
    option_values,
    options,
)

logger = logging.getLogger(__name__)


def schedule_districts(
    problem: ScheduleProblem,
    *,
    method: ScheduleMethod,
    time_limit_s: float,
    rel_gap: float,
    previous: pd.DataFrame | None = None,
) -> tuple[Schedule, dict[str, Any]]:
    """Schedule ``problem``: the heuristic always, the MILP for ``"milp"`` or when it fails.

    Returns the schedule used and a report: ``method``, ``n_items``, ``n_options``,
    ``heuristic_objective_t`` / ``milp_objective_t`` / ``objective_t`` (t CO2 avoided over the
    horizon), ``heuristic_time_s``, ``milp_time_s``, ``milp_status``, ``used``, ``gap`` (share
    of the MILP's objective the heuristic misses; None without both), ``quality``,
    ``bound_t``, ``gap_to_bound`` and ``bound_source`` (:func:`_quality`: the schedule used
    against the best proven bound), and ``feed_cycle_note`` or ``heuristic_failed`` when they
    apply.
    """
    report: dict[str, Any] = {"method": method, "n_items": len(problem.items),
                              "n_options": len(options(problem))}
    cycle = feed_cycle(feed_parents(problem))
    if cycle:
        note = ("district_feed.fed_from has a cycle (" + " → ".join(cycle) + "): these "
                "districts feed each other, so their works end in the same year.")
        logger.warning(note)
        report["feed_cycle_note"] = note
    heur: Schedule | None = None
    exact: Schedule | None = None
    heur_error: InfeasiblePlanError | None = None
    try:
        heur = schedule_heuristic(problem, previous=previous)
    except InfeasiblePlanError as err:
        if getattr(err, "diagnosis", None) is not None and not err.diagnosis.is_feasible:
            raise
        heur_error = err
    if method == "milp" or heur is None:
        exact = _exact_or_decomposed(problem, heur, time_limit_s=time_limit_s, rel_gap=rel_gap,
                                     previous=previous)
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
    report.update(_quality(problem, chosen, exact))
    return chosen, report


def _exact_or_decomposed(
    problem: ScheduleProblem, heur: Schedule | None, *, time_limit_s: float, rel_gap: float,
    previous: pd.DataFrame | None,
) -> Schedule:
    """The MILP within its time budget; the decomposition from the heuristic's schedule when
    the MILP finds no schedule in that time (a place too large for it)."""
    try:
        return schedule_milp(problem, time_limit=time_limit_s, rel_gap=rel_gap,
                             previous=previous)
    except InfeasiblePlanError as err:
        if heur is None or getattr(err, "diagnosis", None) is None or err.diagnosis.problems:
            raise
        logger.warning("The schedule MILP found no schedule in %.0f s; improving the "
                       "heuristic's by decomposition instead", time_limit_s)
        return schedule_decomposed(problem, heur, time_limit_s=time_limit_s, rel_gap=rel_gap)


def _quality(problem: ScheduleProblem, chosen: Schedule, exact: Schedule | None
             ) -> dict[str, Any]:
    """How good the schedule used is: ``quality`` (``optimal``, ``within`` a ``gap_to_bound``
    share of ``bound_t``, or ``bound_unknown``) and where the bound comes from."""
    if exact is not None and exact.status == "optimal" and chosen is exact:
        return {"quality": "optimal", "bound_t": exact.objective_t, "gap_to_bound": 0.0,
                "bound_source": "milp"}
    bound, source = np.nan, ""
    if exact is not None:  # the MILP's own best bound; the decomposition's is the LP's
        bound, source = exact.bound_t, "lp" if exact.method == "decomposed" else "milp"
    if not np.isfinite(bound):
        opts = options(problem)
        loads = option_loads(problem, opts)
        bound, source = lp_bound(problem, opts, loads, option_values(problem, opts)), "lp"
    gap = gap_share(chosen.objective_t, bound)
    if gap is None:
        return {"quality": "bound_unknown", "bound_t": None, "gap_to_bound": None,
                "bound_source": None}
    return {"quality": "within", "bound_t": bound, "gap_to_bound": gap, "bound_source": source}
