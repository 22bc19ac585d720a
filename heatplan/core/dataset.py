"""The containers that carry a municipality's data between the stages."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from heatplan.core.scenario import Scenario


@dataclass(frozen=True)
class Dataset:
    """All input layers and tables of one municipality, in EPSG:25832.

    Each table is indexed by its stable id where it has one (``property_id``, ``district_id``,
    ``source_id``, ``label_id``); codes are strings. After validation every row satisfies the
    input data contract (``docs/input-data.md``) and ``properties.district_id`` is filled.
    """

    properties: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    dh_network: gpd.GeoDataFrame
    heat_sources: gpd.GeoDataFrame
    labels: pd.DataFrame
    proposals: pd.DataFrame
    is_synthetic: bool = False
    """True for heatplan's generated sample; every map then says so."""
    sources: dict[str, str] = field(default_factory=dict)
    """Where each layer was read from (``"gis_data/sample.gpkg, layer properties"``)."""


def municipality_code(properties: pd.DataFrame, scenario: Scenario) -> str:
    """The planned municipality's kommunekode (``"0151"``).

    The data's own ``kommunekode`` when all properties share one, else the scenario's
    ``general.municipality_code``. The one place that decides it: the plan carries the result.
    """
    if "kommunekode" in properties.columns:
        codes = properties["kommunekode"].dropna().astype(str).str.zfill(4).unique()
        if len(codes) == 1:
            return str(codes[0])
    return str(scenario.value("general.municipality_code"))
