"""Run a batch's tasks on dask.distributed, record each result or failure, resume a batch.

Each task plans one dataset under one scenario variant (:func:`run_task`) on a worker process.
Its record goes to ``runs/<task_id>/`` in the batch folder, written atomically: ``figures.json``
and ``districts.gpkg`` when it succeeded, ``error.txt`` (the message) when it failed. A failed
task does not stop the others; a rerun skips the tasks that have ``figures.json`` (resume).
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio

from heatplan.batch.tasks import Task
from heatplan.io.atomic import atomic_path

logger = logging.getLogger(__name__)

DISTRICT_COLUMNS = (
    "name", "status", "recommendation", "phase", "start_year", "end_year", "n_to_convert",
    "trench_m", "cost_dkk", "co2_avoided_t_a", "linear_heat_density_mwh_m_a",
)
"""District columns recorded per run (when the plan has them)."""


@dataclass(frozen=True)
class TaskRecord:
    """What became of one task: its figures, or the error that stopped it."""

    task_id: str
    figures: dict[str, Any] | None
    error: str | None
    skipped: bool = False
    """True when an earlier run of the batch had already finished it."""


def run_task(task: Task) -> tuple[dict[str, Any], gpd.GeoDataFrame]:
    """Plan ``task``'s dataset under its scenario; the key figures and the district table."""
    from heatplan.core.scenario import load_scenario
    from heatplan.pipeline import build_plan
    from heatplan.validate import load_dataset

    scenario = load_scenario(*task.scenario_paths)
    if task.values:
        scenario = scenario.with_values(**{k.replace(".", "__"): v for k, v in task.values.items()})
    result = load_dataset(task.data_dir, scenario=scenario, strict=True)
    plan = build_plan(result.dataset, scenario=scenario, rejected=result.rejected,
                      method=task.method)
    return key_figures(task, plan), district_table(task, plan)


def key_figures(task: Task, plan: Any) -> dict[str, Any]:
    """The run's key figures, plain values (JSON)."""
    s = plan.summary
    built = plan.trenches[plan.trenches["is_built"]] if "is_built" in plan.trenches else None
    target_year = int(plan.scenario.value("general.target_year"))
    traj = plan.co2_trajectory
    return {
        "task_id": task.task_id,
        "dataset": str(task.data_dir) if task.data_dir else "sample",
        "values": task.values,
        "properties_to_convert": int(s.get("properties_to_convert", 0)),
        "properties_individual": int(s.get("properties_individual", 0)),
        "districts_dh": int(plan.districts["recommendation"].eq("district_heating").sum()),
        "districts_individual": len(s.get("districts_individual", [])),
        "trench_km": float(built["length_m"].sum() / 1000) if built is not None else None,
        "cost_mdkk": float(plan.districts["cost_dkk"].sum() / 1e6)
        if "cost_dkk" in plan.districts else None,
        "co2_target_year_t": float(traj.at[target_year, "co2_t"])
        if target_year in traj.index else None,
        "reduction_share_target_year": float(traj.at[target_year, "reduction_share"])
        if target_year in traj.index else None,
        "objective_t": s.get("objective_t"),
        "schedule_quality": s.get("quality"),
        "schedule_gap_to_bound": s.get("gap_to_bound"),
        "dh_works_end_year": s.get("dh_works_end_year"),
    }


def district_table(task: Task, plan: Any) -> gpd.GeoDataFrame:
    """Each district's result in this run (:data:`DISTRICT_COLUMNS`), with ``task_id``."""
    districts = plan.districts
    keep = [c for c in DISTRICT_COLUMNS if c in districts.columns]
    keep += [c for c in districts.columns if c.startswith("npv_") and c not in keep]
    table = gpd.GeoDataFrame(districts[keep].copy(), geometry=districts.geometry,
                             crs=districts.crs)
    table.insert(0, "task_id", task.task_id)
    return table.reset_index()


def task_dir(out_dir: Path, task: Task) -> Path:
    """The folder of one task's record."""
    return out_dir / "runs" / task.task_id


def read_record(out_dir: Path, task: Task) -> TaskRecord | None:
    """The record an earlier run left for ``task``; None when there is none."""
    folder = task_dir(out_dir, task)
    if (folder / "figures.json").exists():
        figures = json.loads((folder / "figures.json").read_text(encoding="utf-8"))
        return TaskRecord(task.task_id, figures, None, skipped=True)
    return None


def _write_success(out_dir: Path, task: Task, figures: dict[str, Any],
                   districts: gpd.GeoDataFrame) -> None:
    folder = task_dir(out_dir, task)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "error.txt").unlink(missing_ok=True)
    with atomic_path(folder / "districts.gpkg") as tmp:
        pyogrio.write_dataframe(districts, tmp, layer="districts")
    with atomic_path(folder / "figures.json") as tmp:  # written last: it marks the task done
        tmp.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")


def _write_failure(out_dir: Path, task: Task, error: str) -> None:
    folder = task_dir(out_dir, task)
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_path(folder / "error.txt") as tmp:
        tmp.write_text(error, encoding="utf-8")


def _error_text(err: BaseException) -> str:
    from heatplan.core.errors import HeatplanError

    if isinstance(err, HeatplanError):
        return f"{type(err).__name__}: {err}"
    return "".join(traceback.format_exception(err))


def run_batch(
    tasks: list[Task], out_dir: Path | str, *, scheduler: str | None = None,
    workers: int | None = None, resume: bool = True,
    progress: Callable[[TaskRecord, int, int], None] | None = None,
) -> list[TaskRecord]:
    """Run ``tasks`` on Dask; every task's record, in the order of ``tasks``.

    ``scheduler`` is the address of a running Dask scheduler; without it a ``LocalCluster`` of
    ``workers`` processes (default: the machine's cores) with one thread each is started and
    closed. ``progress`` is called after each task with its record, the number done and the
    total.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    out_dir = Path(out_dir)
    records: dict[str, TaskRecord] = {}
    pending = []
    for task in tasks:
        record = read_record(out_dir, task) if resume else None
        if record is not None:
            records[task.task_id] = record
        else:
            pending.append(task)
    done = len(records)
    for record in list(records.values()):
        if progress:
            progress(record, done, len(tasks))
    if pending:
        cluster = None if scheduler else LocalCluster(
            n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
            dashboard_address=None)
        with Client(scheduler or cluster) as client:
            futures = {client.submit(run_task, t, key=f"heatplan-{t.task_id}", pure=False): t
                       for t in pending}
            for future in as_completed(futures):
                task = futures[future]
                record = _record(out_dir, task, future)
                records[task.task_id] = record
                done += 1
                if progress:
                    progress(record, done, len(tasks))
        if cluster is not None:
            cluster.close()
    return [records[t.task_id] for t in tasks]


def _record(out_dir: Path, task: Task, future: Any) -> TaskRecord:
    """Write the finished ``future``'s result or failure for ``task``; its record."""
    try:
        figures, districts = future.result()
    except Exception as err:  # any failure of one task is recorded; the others go on
        text = _error_text(err)
        _write_failure(out_dir, task, text)
        logger.warning("Task %s failed: %s", task.task_id, text.splitlines()[-1] if text else "")
        return TaskRecord(task.task_id, None, text)
    _write_success(out_dir, task, figures, districts)
    return TaskRecord(task.task_id, figures, None)
