"""The tasks of a batch: every dataset folder with every scenario variant."""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario


@dataclass(frozen=True)
class Task:
    """One plan to run: a dataset folder (None: the bundled sample) and scenario changes."""

    task_id: str
    data_dir: Path | None
    scenario_paths: tuple[Path, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    """Scenario values set for this task, by key (``"economics.discount_rate"``)."""
    method: str = "milp"


def read_variants(path: Path | str, scenario: Scenario) -> list[tuple[str, dict[str, Any]]]:
    """Scenario variants from a TOML file: ``(variant_id, {key: value})`` pairs.

    ``[grid]`` maps scenario keys to lists of values; every combination is a variant.
    ``[samples]`` holds ``n`` and ``seed`` and maps keys to ``[low, high]`` factors: each of the
    ``n`` variants multiplies the key's value by a factor drawn uniformly from that range (the
    same seed gives the same variants). Without either table there is one variant, the
    scenario as it is.
    """
    path = Path(path)
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        msg = f"Cannot read the variants file {path}: {err}"
        raise ScenarioError(msg) from err
    unknown = sorted(set(spec) - {"grid", "samples"})
    if unknown:
        msg = f"{path}: unknown table(s) {unknown}; use [grid] and/or [samples]."
        raise ScenarioError(msg)
    grid = _grid(spec.get("grid", {}), scenario, path)
    samples = _samples(spec.get("samples", {}), scenario, path)
    variants = [(f"{g}{'_' if g and s else ''}{s}" or "base", {**gv, **sv})
                for (g, gv), (s, sv) in itertools.product(grid, samples)]
    return variants


def _check_key(key: str, scenario: Scenario, path: Path) -> None:
    if key not in scenario:
        msg = f"{path}: {key!r} is not a scenario key (see `heatplan scenario`)."
        raise ScenarioError(msg)


def _grid(table: dict[str, Any], scenario: Scenario, path: Path
          ) -> list[tuple[str, dict[str, Any]]]:
    if not table:
        return [("", {})]
    for key, values in table.items():
        _check_key(key, scenario, path)
        if not isinstance(values, list) or not values:
            msg = f"{path}: [grid] {key} must be a non-empty list of values."
            raise ScenarioError(msg)
    keys = list(table)
    out = []
    for combo in itertools.product(*(table[k] for k in keys)):
        name = "_".join(f"{_short(k)}={v}" for k, v in zip(keys, combo, strict=True))
        out.append((name, dict(zip(keys, combo, strict=True))))
    return out


def _samples(table: dict[str, Any], scenario: Scenario, path: Path
             ) -> list[tuple[str, dict[str, Any]]]:
    if not table:
        return [("", {})]
    n, seed = int(table.get("n", 0)), int(table.get("seed", 0))
    ranges = {k: v for k, v in table.items() if k not in ("n", "seed")}
    if n < 1 or not ranges:
        msg = f"{path}: [samples] needs n ≥ 1 and at least one key = [low, high] factor range."
        raise ScenarioError(msg)
    for key, span in ranges.items():
        _check_key(key, scenario, path)
        if not (isinstance(span, list) and len(span) == 2 and 0 <= span[0] <= span[1]):
            msg = f"{path}: [samples] {key} must be [low, high] factors with 0 ≤ low ≤ high."
            raise ScenarioError(msg)
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        values = {}
        for key, (low, high) in ranges.items():
            factor = float(rng.uniform(low, high))
            values[key] = _scaled(scenario.value(key), factor, key, path)
        out.append((f"s{i + 1:03d}", values))
    return out


def _scaled(value: Any, factor: float, key: str, path: Path) -> Any:
    """``value`` × ``factor``: a number, or every number of a year series."""
    if isinstance(value, bool) or not isinstance(value, int | float | dict):
        msg = f"{path}: [samples] {key} is not a number or a year series; it cannot be scaled."
        raise ScenarioError(msg)
    if isinstance(value, dict):
        return {year: float(v) * factor for year, v in value.items()}
    return float(value) * factor


def _short(key: str) -> str:
    """``economics.discount_rate`` → ``discount_rate`` (for readable variant ids)."""
    return key.rsplit(".", 1)[-1]


def make_tasks(data_dirs: list[Path | None], variants: list[tuple[str, dict[str, Any]]], *,
               scenario_paths: tuple[Path, ...] = (), method: str = "milp") -> list[Task]:
    """Every dataset with every variant; ids are ``<dataset>__<variant>``, file-name safe."""
    tasks = []
    for data_dir in data_dirs:
        name = data_dir.name if data_dir is not None else "sample"
        for variant_id, values in variants:
            task_id = _safe(f"{name}__{variant_id}")
            tasks.append(Task(task_id, data_dir, scenario_paths, values, method))
    ids = [t.task_id for t in tasks]
    if len(set(ids)) != len(ids):
        msg = "Two datasets share a folder name; give folders with different names."
        raise ScenarioError(msg)
    return tasks


def _safe(text: str) -> str:
    """A file-name safe id.

    >>> _safe("dragør__discount_rate=0.035")
    'drag_r__discount_rate=0.035'
    """
    return re.sub(r"[^A-Za-z0-9_.=+-]", "_", text)
