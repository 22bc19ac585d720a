"""The coordination meeting's tables: digging schedule, conflicts with other works, gas closure.

:func:`coordinate_works` runs :func:`~heatplan.plan.works.schedule_works`,
:func:`~heatplan.plan.conflicts.find_conflicts` and
:func:`~heatplan.plan.gas_closure.plan_gas_closure` on a planned rollout and returns the
:class:`~heatplan.plan.result.Plan` fields they fill.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from heatplan.core.scenario import Scenario
from heatplan.plan.conflicts import conflict_counts, find_conflicts
from heatplan.plan.gas_closure import plan_gas_closure
from heatplan.plan.result import Plan
from heatplan.plan.works import schedule_works


def coordinate_works(
    plan: Plan,
    planned_works: gpd.GeoDataFrame | None,
    *,
    scenario: Scenario,
    lang: str = "da",
) -> dict[str, Any]:
    """Return the Plan fields of the coordination meeting, to pass to ``dataclasses.replace``.

    ``trenches`` gains ``package_id``; ``work_packages`` (with ``n_conflicts``),
    ``work_crews``, ``work_conflicts``, ``gas_closure`` and ``gas_properties`` are new;
    ``planned_works`` is the input layer drawn with them. ``works_summary`` (not a field:
    pop it into the plan's ``summary``) holds the facts of :func:`works_summary`.
    """
    schedule = schedule_works(plan.trenches, plan.service_pipes, plan.properties,
                              plan.districts, scenario=scenario)
    conflicts = find_conflicts(schedule.packages, planned_works, scenario=scenario, lang=lang)
    packages = schedule.packages.copy()
    packages["n_conflicts"] = conflict_counts(conflicts, packages)
    gas = plan_gas_closure(plan.properties, plan.districts, scenario=scenario, lang=lang)
    trenches = plan.trenches.copy()
    trenches["package_id"] = schedule.segment_package.reindex(trenches.index)
    works = planned_works if planned_works is not None else gpd.GeoDataFrame()
    return {
        "trenches": trenches, "work_packages": packages, "work_crews": schedule.crews,
        "work_conflicts": conflicts, "gas_closure": gas.districts,
        "gas_properties": gas.properties, "planned_works": works,
        "works_summary": works_summary(packages, schedule.crews, conflicts, gas.districts),
    }


def works_summary(packages: pd.DataFrame, crews: pd.DataFrame, conflicts: pd.DataFrame,
                  gas: pd.DataFrame) -> dict[str, Any]:
    """Scalar facts for the printed summary and the report: counts, metres, flags."""
    moved = packages[packages["is_moved_earlier"]] if len(packages) else packages
    return {
        "n_packages": len(packages),
        "trench_km": float(packages["length_m"].sum() / 1000) if len(packages) else 0.0,
        "n_moved_earlier": len(moved),
        "moved_earlier_km": float(moved["length_m"].sum() / 1000) if len(moved) else 0.0,
        "quarters_over_capacity": [[int(r.year), int(r.quarter)] for r in
                                   crews[crews["is_over_capacity"]].itertuples()],
        "n_conflicts": len(conflicts),
        "conflicts_by_kind": ({str(k): int(v) for k, v in
                               conflicts["conflict"].value_counts().sort_index().items()}
                              if len(conflicts) else {}),
        "n_left_on_gas": int(gas["n_left_on_gas"].sum()) if len(gas) else 0,
        "last_gas_closure_year": (int(gas["closure_year"].max())
                                  if len(gas) and gas["closure_year"].notna().any() else None),
    }
