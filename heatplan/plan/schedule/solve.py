"""Run the schedule methods on a problem and report what each found."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from heatplan.core.errors import InfeasiblePlanError
from heatplan.plan.schedule import ScheduleMethod
from heatplan.plan.schedule.diagnose import feed_cycle
from heatplan.plan.schedule.heuristic import schedule_heuristic
from heatplan.plan.schedule.milp import schedule_milp
from heatplan.plan.schedule.problem import Schedule, ScheduleProblem, feed_parents, options

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
    of the MILP's objective the heuristic misses; None without both), and ``feed_cycle_note``
    or ``heuristic_failed`` when they apply.
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
        exact = schedule_milp(problem, time_limit=time_limit_s, rel_gap=rel_gap,
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
    return chosen, report
