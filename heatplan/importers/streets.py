"""The contract's streets: road centrelines of the municipality and those near its properties."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan.core.errors import InputDataError
from heatplan.importers.inputs import ImportSettings, ImportSources
from heatplan.io import bbr, geodanmark


def select_streets(
    sources: ImportSources, properties: gpd.GeoDataFrame, settings: ImportSettings,
    counts: dict[str, Any],
) -> gpd.GeoDataFrame:
    """Road centrelines of the municipality plus those near its properties.

    Roads of other municipalities are kept within ``street_margin_m`` of a property; the
    streets are numbered ``R00001``, ``R00002``, … (``street_id``).
    """
    if sources.roads is None:
        msg = (
            "No road centrelines given: heatplan routes trenches along streets. Give --roads "
            "(GeoDanmark Vejmidte or a GeoFA road layer such as vej_myndighed.gpkg)."
        )
        raise InputDataError(msg)
    roads = geodanmark.read_roads(sources.roads, layer=sources.roads_layer)
    counts["roads_read"] = len(roads)
    municipality = bbr.normalise_municipality(sources.municipality)
    if municipality is not None and roads["kommunekode"].notna().any():
        own = (roads["kommunekode"] == municipality).fillna(False).to_numpy()
        hits = shapely.STRtree(roads.geometry.to_numpy()).query(
            properties.geometry.to_numpy(), predicate="dwithin",
            distance=settings.street_margin_m,
        )[1]
        near = np.zeros(len(roads), bool)
        near[hits] = True
        roads = roads[own | near].reset_index(drop=True)
    roads.index = pd.Index([f"R{i + 1:05d}" for i in range(len(roads))], name="street_id")
    counts["streets"] = len(roads)
    counts["streets_km"] = round(float(roads.length.sum()) / 1000, 2)
    return roads
