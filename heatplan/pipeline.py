"""The whole job, stage by stage: validated data → model → plan → output files.

:func:`build_plan` computes a :class:`~heatplan.plan.result.Plan` from a validated dataset;
:func:`write_plan` writes every output of it. ``heatplan plan`` calls both.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from heatplan.core.dataset import Dataset, municipality_code
from heatplan.core.scenario import Scenario
from heatplan.io.atomic import check_writable
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

Method = Literal["milp", "heuristic"]

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


def co2_after_plan(
    properties: pd.DataFrame, factor_t_per_mwh: pd.Series, *, new_heat_pump_factor: float
) -> pd.Series:
    """t CO2/a of each property with the heating the plan gives it, at one year's factors.

    District heating for ``existing_dh`` and for ``district_heating`` properties expected to
    connect (a ``connection_year``); a new heat pump (``new_heat_pump_factor``, t CO2 per MWh)
    for ``individual_heat_pump``; today's heating otherwise, non-takers included.
    ``factor_t_per_mwh`` is indexed by heating type (one column of ``heat_emission_factors``),
    the same year as ``co2_t_a`` so that the difference is the plan's own effect.
    """
    connects = properties["recommendation"].eq("district_heating") & properties[
        "connection_year"
    ].notna()
    to_dh = connects | properties["recommendation"].eq("existing_dh")
    factor = properties["heating_type"].map(factor_t_per_mwh).fillna(0.0).astype(float)
    factor = factor.where(~to_dh, float(factor_t_per_mwh["district_heating"]))
    factor = factor.where(
        ~properties["recommendation"].eq("individual_heat_pump"), new_heat_pump_factor
    )
    return (properties["heat_demand_mwh_a"].astype(float) * factor).rename("co2_after_t_a")


def build_plan(
    dataset: Dataset,
    *,
    scenario: Scenario,
    rejected: dict[str, pd.DataFrame] | None = None,
    method: Method = "milp",
    progress: pd.Series | None = None,
    previous: Any = None,
    lang: str = "da",
) -> Plan:
    """Plan the rollout and rank the municipal buildings for one validated dataset.

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
    from heatplan.model.demand import estimate_heat_demand
    from heatplan.model.emissions import heat_emission_factors
    from heatplan.model.heating import classify_heating, heating_mix, is_convertible
    from heatplan.plan.network.graph import build_street_graph
    from heatplan.plan.network.routing import route_trenches, routed_properties
    from heatplan.plan.phasing import plan_rollout
    from heatplan.plan.renovation import rank_renovations

    timer = _Timer()
    rejected = dict(rejected or {})
    with timer.stage("Heat demand and heating type"):
        properties = dataset.properties.copy()  # the dataset stays as it was read
        properties["heating_type"] = classify_heating(
            properties["heating_installation"], properties.get("heating_fuel")
        )
        properties["is_to_convert"] = is_convertible(properties["heating_type"])
        demand = estimate_heat_demand(properties, dataset.labels, scenario=scenario)
        properties = properties.join(demand[["heat_demand_mwh_a", "demand_source", "peak_load_kw"]])

    with timer.stage("Street graph"):
        graph = build_street_graph(
            dataset.streets,
            dh_network=dataset.dh_network,
            heat_sources=dataset.heat_sources,
            scenario=scenario,
        )

    with timer.stage("Trench routing"):
        routing = route_trenches(
            graph, properties, dataset.districts,
            scenario=scenario,
        )
        if len(routing.rejected):
            rejected["properties_routing"] = routing.rejected

    with timer.stage("Phasing"):
        years = range(int(scenario.value("general.base_year")),
                      int(scenario.value("general.horizon_end_year")) + 1)
        factors = {
            ccs: heat_emission_factors(scenario.with_values(emissions__ccs_enabled=ccs), years)
            for ccs in (False, True)
        }
        rollout = plan_rollout(
            properties, dataset.districts, routing, scenario=scenario, method=method,
            progress=progress, previous=previous, factors=factors, lang=lang,
        )

    with timer.stage("Renovation ranking"):
        dh_from = rollout.properties["connection_year"].dropna().astype(int)
        ranking = rank_renovations(
            properties, dataset.labels, dataset.proposals, scenario=scenario,
            dh_from_year=dh_from, lang=lang,
        )

    planned = rollout.properties.copy()
    base = factors[bool(scenario.value("emissions.ccs_enabled"))][
        int(scenario.value("general.base_year"))
    ]  # the year of co2_t_a
    scop_ratio = float(scenario.value("emissions.heat_pump_scop")) / float(
        scenario.value("emissions.heat_pump_scop_new")
    )
    planned["co2_after_t_a"] = co2_after_plan(
        planned, base, new_heat_pump_factor=float(base["heat_pump"]) * scop_ratio
    )
    plan_properties = gpd.GeoDataFrame(
        planned, geometry=dataset.properties.geometry.name, crs=dataset.properties.crs
    )
    mix = heating_mix(properties["heating_type"], properties["district_id"])
    mix = mix.reindex(rollout.districts.index, fill_value=0)
    plan_districts = gpd.GeoDataFrame(
        # the counts replace any same-named input columns (an importer writes n_properties)
        rollout.districts.drop(columns=mix.columns, errors="ignore").join(mix),
        geometry=dataset.districts.geometry.name, crs=dataset.districts.crs,
    )
    summary = dict(rollout.report)
    summary.update(
        n_properties=len(plan_properties),
        n_to_convert=int(routed_properties(properties, dataset.districts).shape[0]),
        timings_s=timer.seconds,
        street_graph=graph.report.summary(),
        routing=routing.report,
    )
    return Plan(
        properties=plan_properties,
        districts=plan_districts,
        trenches=gpd.GeoDataFrame(rollout.trenches, crs=dataset.streets.crs),
        service_pipes=routing.service_pipes,
        dh_network=dataset.dh_network,
        heat_sources=dataset.heat_sources,
        renovation=ranking,
        years=rollout.years,
        co2_trajectory=rollout.co2_trajectory,
        rejected=rejected,
        changes=rollout.changes,
        summary=summary,
        scenario=scenario,
        is_synthetic=dataset.is_synthetic,
        municipality_code=municipality_code(dataset.properties, scenario),
    )


def fixed_output_names(lang: str = "da") -> list[str]:
    """Names of the files every plan writes, whatever its phases (for an early check)."""
    from heatplan.outputs.geopackage import GPKG_NAME
    from heatplan.outputs.ranking import CSV_NAME, XLSX_NAME
    from heatplan.outputs.report import HTML_NAME
    from heatplan.outputs.report import XLSX_NAME as REPORT_XLSX_NAME

    return [GPKG_NAME, HTML_NAME, REPORT_XLSX_NAME, CSV_NAME, XLSX_NAME, RESIDENT_MAP_NAME[lang]]


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
    """Write every output of ``plan`` into ``out_dir``; nothing is written if any target exists.

    Raises
    ------
    OutputExistsError
        If a target exists and ``overwrite`` is false (checked before anything is written).
    """
    from heatplan.outputs.ranking import write_ranking
    from heatplan.outputs.resident_map import write_resident_map
    from heatplan.outputs.write import write_outputs

    out_dir = Path(out_dir)
    paths = output_paths(plan, out_dir, lang=lang, phase_pngs=phase_pngs)
    for path in paths:
        check_writable(path, overwrite=overwrite)
    ranking = functools.partial(
        write_ranking, plan.renovation, plan.scenario, out_dir, lang=lang, overwrite=overwrite
    )

    def resident() -> list[Path]:
        return [
            write_resident_map(
                plan, out_dir / RESIDENT_MAP_NAME[lang], lang=lang, offline=offline,
                overwrite=overwrite,
            )
        ]

    written = write_outputs(
        plan, out_dir, lang=lang, overwrite=overwrite, progress=progress,
        phase_pngs=phase_pngs, also=(ranking, resident),
    )
    return written
