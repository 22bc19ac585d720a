"""The finished plan: every table the outputs stage writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from heatplan.core.scenario import Scenario


@dataclass(frozen=True)
class Plan:
    """A planned rollout; column meanings are in ``docs/architecture.md``.

    Every table is in EPSG:25832 and indexed by its stable id.
    """

    properties: gpd.GeoDataFrame
    """Index ``property_id``; contract columns plus demand, CO2, recommendation, phase, years."""
    districts: gpd.GeoDataFrame
    """Index ``district_id``; economics, recommendation with reason, phase, start and end year."""
    trenches: gpd.GeoDataFrame
    """Index ``segment_id``; ``length_m``, ``dn``, ``peak_kw``, ``district_id``, years."""
    service_pipes: gpd.GeoDataFrame
    """Index ``property_id``; ``length_m``, ``cost_dkk``."""
    dh_network: gpd.GeoDataFrame
    heat_sources: gpd.GeoDataFrame
    renovation: pd.DataFrame
    """Municipal buildings ranked by CO2 reduction potential (``plan/renovation.py``)."""
    years: pd.DataFrame
    """Index ``year``: connections, trench km, cost DKK and CO2 per year."""
    co2_trajectory: pd.DataFrame
    """Index ``year``: building-heat CO2 of the plan against baseline and target, t/a."""
    rejected: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Per input layer, every rejected row with its ``reason``."""
    changes: pd.DataFrame | None = None
    """Differences from the previous plan, when one was given."""
    summary: dict[str, Any] = field(default_factory=dict)
    """Scalar facts (counts, objective values, MILP gap, run time)."""
    scenario: Scenario | None = None
    is_synthetic: bool = False
    municipality_code: str | None = None
    """Kommunekode of the planned municipality (``"0151"``), for map notes and Plandata."""
