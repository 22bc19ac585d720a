"""The whole job, stage by stage: validated data → model → plan → output files.

This module only orchestrates: every computation lives in its stage's package.

:func:`build_plan` computes a :class:`~heatplan.plan.result.Plan` from a validated dataset;
:func:`write_plan` writes every output of it. ``heatplan plan`` calls both.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from heatplan.core.dataset import Dataset, municipality_code
from heatplan.core.scenario import Scenario
from heatplan.io.atomic import check_writable
from heatplan.plan.coordination import coordinate_works
from heatplan.plan.result import Plan
from heatplan.plan.schedule import ScheduleMethod

logger = logging.getLogger(__name__)

RESIDENT_MAP_NAME = {"da": "fjernvarme_kort.html", "en": "district_heating_map.html"}
"""File name of the residents' map by language."""


@dataclass
class _Timer:
    """Seconds spent per stage, in order."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        logger.info("%s ...", name)
        yield
        self.seconds[name] = round(time.perf_counter() - start, 3)


def build_plan(
    dataset: Dataset,
    *,
    scenario: Scenario,
    rejected: dict[str, pd.DataFrame] | None = None,
    method: ScheduleMethod = "milp",
    progress: pd.Series | None = None,
    previous: Any = None,
    lang: str = "da",
) -> Plan:
    """Plan the rollout and rank the municipal buildings for one validated dataset.

    The stages in order: model (:mod:`heatplan.model.stage`), street graph and routing
    (:mod:`heatplan.plan.network`), rollout (:mod:`heatplan.plan.rollout`), renovation ranking
    (:mod:`heatplan.plan.renovation`), works and gas closure (:mod:`heatplan.plan.coordination`).

    Parameters
    ----------
    dataset
        Validated input tables (:func:`heatplan.validate.load_dataset`).
    scenario
        Every assumption (:func:`heatplan.core.scenario.load_scenario`).
    rejected
        Rows rejected by validation, per layer; routing adds the properties it cannot reach.
    method
        ``"milp"`` (exact schedule, with the heuristic's gap reported) or ``"heuristic"``.
    progress
        ``connection_status`` per ``property_id`` from a progress file, for the yearly revision.
    previous
        The previous plan's ``properties`` and ``districts`` tables (a dict), for the revision.
    lang
        ``"da"`` or ``"en"`` for reasons and explanations inside the tables.
    """
    from heatplan.model.stage import model_dataset
    from heatplan.plan.network.build import build_street_graph
    from heatplan.plan.network.routing import route_trenches, routed_properties
    from heatplan.plan.renovation import rank_renovations
    from heatplan.plan.rollout import plan_rollout

    timer = _Timer()
    rejected = dict(rejected or {})
    with timer.stage("Heat demand and heating type"):
        model = model_dataset(dataset, scenario=scenario)
    with timer.stage("Street graph"):
        graph = build_street_graph(
            dataset.streets, dh_network=dataset.dh_network, heat_sources=dataset.heat_sources,
            scenario=scenario,
        )
    with timer.stage("Trench routing"):
        routing = route_trenches(graph, model.properties, dataset.districts, scenario=scenario)
        if len(routing.rejected):
            rejected["properties_routing"] = routing.rejected
    with timer.stage("Phasing"):
        plan = plan_rollout(
            model.properties, dataset.districts, routing, scenario=scenario,
            factors=model.emission_factors, method=method, progress=progress,
            previous=previous, lang=lang,
        )
    with timer.stage("Renovation ranking"):
        ranking = rank_renovations(
            model.properties, model.chosen_labels, dataset.proposals, scenario=scenario,
            dh_from_year=plan.properties["connection_year"].dropna().astype(int), lang=lang,
        )
    with timer.stage("Digging schedule, other works and gas closure"):
        works = coordinate_works(plan, dataset.planned_works, scenario=scenario, lang=lang)
    summary = {
        **plan.summary,
        "n_properties": len(plan.properties),
        "n_to_convert": len(routed_properties(model.properties, dataset.districts)),
        "timings_s": timer.seconds,
        "street_graph": graph.report.summary(),
        "routing": routing.report,
        "works": works.pop("works_summary"),
    }
    return replace(
        plan, dh_network=dataset.dh_network, heat_sources=dataset.heat_sources,
        streets=dataset.streets, renovation=ranking, rejected=rejected, summary=summary,
        is_synthetic=dataset.is_synthetic,
        municipality_code=municipality_code(dataset.properties, scenario), **works,
    )


def fixed_output_names(lang: str = "da") -> list[str]:
    """Names of the files every plan writes, whatever its phases (for an early check)."""
    from heatplan.outputs.digging import digging_paths
    from heatplan.outputs.geopackage import GPKG_NAME
    from heatplan.outputs.ranking import CSV_NAME, XLSX_NAME
    from heatplan.outputs.report import HTML_NAME
    from heatplan.outputs.report import XLSX_NAME as REPORT_XLSX_NAME

    return [GPKG_NAME, HTML_NAME, REPORT_XLSX_NAME, CSV_NAME, XLSX_NAME, RESIDENT_MAP_NAME[lang],
            *(path.name for path in digging_paths(""))]


def output_paths(
    plan: Plan, out_dir: Path, *, lang: str = "da", phase_pngs: bool = False
) -> list[Path]:
    """Every file :func:`write_plan` writes, in writing order."""
    from heatplan.outputs.ranking import ranking_paths
    from heatplan.outputs.write import output_paths as planner_paths

    return [
        *planner_paths(plan, out_dir, phase_pngs=phase_pngs),
        *ranking_paths(out_dir),
        out_dir / RESIDENT_MAP_NAME[lang],
    ]


def write_plan(
    plan: Plan,
    out_dir: Path | str,
    *,
    lang: str = "da",
    offline: bool = False,
    overwrite: bool = False,
    phase_pngs: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write every output of ``plan`` into ``out_dir`` as one set, all or nothing.

    Everything is written into a staging folder beside ``out_dir`` and moved in at the end
    (:func:`heatplan.io.staging.staged_outputs`); nothing is written if any target exists.

    Raises
    ------
    OutputExistsError
        If a target exists and ``overwrite`` is false (checked before anything is written).
    OutputFolderError
        If ``out_dir`` cannot be written to, or another run is writing to it.
    """
    from heatplan.io.staging import check_output_dir, recover
    from heatplan.outputs.ranking import write_ranking
    from heatplan.outputs.resident_map.page import write_resident_map
    from heatplan.outputs.write import write_outputs

    out_dir = check_output_dir(out_dir)
    recover(out_dir)
    paths = output_paths(plan, out_dir, lang=lang, phase_pngs=phase_pngs)
    for path in paths:
        check_writable(path, overwrite=overwrite)

    def ranking(folder: Path) -> list[Path]:
        return write_ranking(plan.renovation, plan.scenario, folder, lang=lang)

    def resident(folder: Path) -> list[Path]:
        return [
            write_resident_map(plan, folder / RESIDENT_MAP_NAME[lang], lang=lang, offline=offline)
        ]

    written = write_outputs(
        plan, out_dir, lang=lang, overwrite=overwrite, progress=progress,
        phase_pngs=phase_pngs, also=(ranking, resident),
    )
    return written
