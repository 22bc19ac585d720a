"""The import as a whole: register extracts in, the contract layers and the counts out."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from heatplan.core.errors import InputDataError
from heatplan.importers.districts import assign_districts, feed_points
from heatplan.importers.inputs import ImportSettings, ImportSources
from heatplan.importers.properties import build_properties
from heatplan.importers.streets import select_streets
from heatplan.io import bbr, geodanmark
from heatplan.io.place import require_in_denmark


@dataclass(frozen=True)
class ImportResult:
    """The contract layers of an import, the rejected buildings and the counts."""

    properties: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    heat_sources: gpd.GeoDataFrame
    dh_network: gpd.GeoDataFrame | None
    rejected: gpd.GeoDataFrame
    counts: dict[str, Any]
    notes: list[str]


def import_registers(
    sources: ImportSources, *, settings: ImportSettings | None = None
) -> ImportResult:
    """Read the register extracts and return the dataset in the input contract.

    Parameters
    ----------
    sources
        The files; see :class:`ImportSources`.
    settings
        District forming and street selection; :class:`ImportSettings` defaults when ``None``.

    Returns
    -------
    result
        The contract layers, the rejected BBR buildings (``reason``, ``detail``) and the counts
        (with the seconds each step took, ``timings_s``).

    Raises
    ------
    InputDataError
        If a file cannot be read or no current building is left.
    """
    settings = settings or ImportSettings()
    counts: dict[str, Any] = {"municipality": bbr.normalise_municipality(sources.municipality)}
    timings: dict[str, float] = {}
    notes: list[str] = []
    start = time.perf_counter()
    properties, rejected = build_properties(sources, counts, notes)
    timings["properties_s"] = time.perf_counter() - start
    if properties.empty:
        msg = f"{sources.bbr}: every current building was rejected ({counts['rejected']})."
        raise InputDataError(msg)
    require_in_denmark(properties, "properties", str(sources.bbr))  # registers cover Denmark

    step = time.perf_counter()
    streets = select_streets(sources, properties, settings, counts)
    timings["streets_s"] = time.perf_counter() - step

    step = time.perf_counter()
    districts = assign_districts(sources, properties, settings, counts, notes)
    timings["districts_s"] = time.perf_counter() - step

    dh_network = _read_dh_network(sources, counts)
    heat_sources = feed_points(sources, properties, streets, settings, counts, notes)
    timings["total_s"] = time.perf_counter() - start
    counts["timings_s"] = {k: round(v, 2) for k, v in timings.items()}
    return ImportResult(
        properties=properties, districts=districts, streets=streets, heat_sources=heat_sources,
        dh_network=dh_network, rejected=rejected, counts=counts, notes=notes,
    )


def _read_dh_network(sources: ImportSources, counts: dict[str, Any]) -> gpd.GeoDataFrame | None:
    """The existing district-heating mains (lines) when given, else ``None``."""
    if sources.dh_network is None:
        return None
    dh_network = geodanmark.read_layer(sources.dh_network)
    dh_network = dh_network[dh_network.geom_type.isin(["LineString", "MultiLineString"])]
    counts["dh_network_segments"] = len(dh_network)
    return dh_network
