"""The plan: every table the outputs stage writes. The one result type of the plan stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from heatplan.core.scenario import Scenario


@dataclass(frozen=True)
class Plan:
    """A planned rollout; column meanings are in ``docs/columns.md``.

    Every table is in EPSG:25832 and indexed by its stable id. :func:`~heatplan.plan.rollout.
    plan_rollout` fills the rollout's tables; the pipeline adds the input layers drawn with it
    (``dh_network``, ``heat_sources``), the renovation ranking, the rejected rows and the
    dataset's facts (``is_synthetic``, ``municipality_code``).
    """

    properties: gpd.GeoDataFrame
    """Index ``property_id``; contract columns plus demand, CO2, recommendation, phase, years."""
    districts: gpd.GeoDataFrame
    """Index ``district_id``; economics, recommendation with reason, phase, start and end year."""
    trenches: gpd.GeoDataFrame
    """Index ``segment_id``; ``length_m``, ``dn``, ``peak_kw``, ``district_id``, years."""
    service_pipes: gpd.GeoDataFrame
    """Index ``property_id``; ``length_m``, ``cost_dkk``."""
    years: pd.DataFrame
    """Index ``year``: connections, trench km, cost DKK and CO2 per year."""
    co2_trajectory: pd.DataFrame
    """Index ``year``: building-heat CO2 of the plan against baseline and target, t/a."""
    dh_network: gpd.GeoDataFrame = field(default_factory=gpd.GeoDataFrame)
    """The existing district-heating mains (input layer)."""
    heat_sources: gpd.GeoDataFrame = field(default_factory=gpd.GeoDataFrame)
    """Heat sources and feed points (input layer)."""
    streets: gpd.GeoDataFrame = field(default_factory=gpd.GeoDataFrame)
    """The street lines (input layer; ``name``, ``road_class``), the residents' map's base map."""
    renovation: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Municipal buildings ranked by CO2 reduction potential (``plan/renovation.py``)."""
    rejected: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Per input layer, every rejected row with its ``reason``."""
    changes: pd.DataFrame | None = None
    """Differences from the previous plan, when one was given."""
    summary: dict[str, Any] = field(default_factory=dict)
    """Scalar facts: the schedule's report (``plan/schedule/solve.py``), counts, objective
    values, MILP gap, run times."""
    planned_works: gpd.GeoDataFrame = field(default_factory=gpd.GeoDataFrame)
    """Other works in the streets (optional input layer ``planned_works``)."""
    work_packages: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Index ``package_id``: the digging schedule's work packages by street, stretch, year and
    quarter (``plan/works.py``); MultiLineStrings where the trenches have geometry."""
    work_crews: pd.DataFrame = field(default_factory=pd.DataFrame)
    """One row per year and quarter with digging: crews needed against crews available."""
    work_conflicts: pd.DataFrame = field(default_factory=pd.DataFrame)
    """One row per work package and other work meeting in the same street within the years
    that matter, with a suggestion (``plan/conflicts.py``)."""
    gas_closure: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Index ``district_id``: when each district's gas network can close
    (``plan/gas_closure.py``)."""
    gas_properties: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Index ``property_id``: every gas-heated property's route off gas and advice."""
    scenario: Scenario | None = None
    is_synthetic: bool = False
    municipality_code: str | None = None
    """Kommunekode of the planned municipality (four digits), for map notes and Plandata."""
