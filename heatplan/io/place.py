"""Where a layer's coordinates lie: inside its declared CRS's area of use, and inside Denmark.

A declared CRS that contradicts the coordinates (metres declared as degrees, degrees declared
as UTM metres) makes every distance wrong; data far outside Denmark is, for a Danish heat
plan, almost always a CRS mistake. :func:`crs_contradiction` says what is wrong,
:func:`fitting_crs` names a CRS that places the coordinates in Denmark, and
:func:`outside_denmark` marks the geometries outside Denmark's extent. The areas come from the
EPSG database through pyproj, not from numbers in this module.
"""

from __future__ import annotations

import functools
import math

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from heatplan import PROJECT_CRS
from heatplan.core.errors import InputDataError

DENMARK_AREA_CRS = "EPSG:5799"
"""DVR90 height, whose EPSG area of use is "Denmark - onshore" (7.98–15.28°E, 54.5–57.81°N)."""

DENMARK_MARGIN_DEG = 0.2
"""Degrees beyond Denmark's onshore extent still counted as Denmark (coast, harbours, sea)."""

AREA_MARGIN_DEG = 4.0
"""Degrees coordinates may lie beyond a CRS's EPSG area of use and still fit it.

UTM zones are used a few degrees beyond their 6° band: EPSG:25832 (6–12°E) is Denmark's
national CRS for the whole country, Bornholm included (15.2°E, domain.md §1.1).
"""

CANDIDATE_CRS: tuple[str, ...] = (
    "EPSG:25832", "EPSG:25833", "EPSG:4326", "EPSG:3857", "EPSG:2196", "EPSG:2197",
    "EPSG:2198", "EPSG:4093", "EPSG:4094", "EPSG:4095", "EPSG:4096",
)
"""CRSs tried, in order, when looking for one that places coordinates in Denmark: UTM 32N and
33N (ETRS89), WGS84 lon/lat, web Mercator, Kp2000 and DKTM zones."""

Bounds = tuple[float, float, float, float]


@functools.cache
def denmark_lonlat() -> Bounds:
    """Denmark's onshore extent in degrees (west, south, east, north), with the margin."""
    area = pyproj.CRS(DENMARK_AREA_CRS).area_of_use
    west, south, east, north = area.bounds  # type: ignore[union-attr]
    m = DENMARK_MARGIN_DEG
    return (west - m, south - m, east + m, north + m)


@functools.cache
def denmark_box() -> Bounds:
    """Denmark's extent (with the margin) in EPSG:25832 metres."""
    to_project = pyproj.Transformer.from_crs("EPSG:4326", PROJECT_CRS, always_xy=True)
    return tuple(to_project.transform_bounds(*denmark_lonlat()))  # type: ignore[return-value]


def layer_bounds(gdf: gpd.GeoDataFrame) -> Bounds | None:
    """Bounds of the non-empty geometries in the layer's own CRS; ``None`` when there are none."""
    values = np.asarray(gdf.geometry.array, dtype=object)
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    if not present.any():
        return None
    bounds = shapely.bounds(values[present])
    box = (np.nanmin(bounds[:, 0]), np.nanmin(bounds[:, 1]), np.nanmax(bounds[:, 2]),
           np.nanmax(bounds[:, 3]))
    return tuple(float(v) for v in box) if all(map(math.isfinite, box)) else None  # type: ignore[return-value]


def _lonlat(bounds: Bounds, crs: pyproj.CRS) -> Bounds | None:
    """``bounds`` in ``crs`` as degrees; ``None`` when they cannot be transformed."""
    try:
        to_lonlat = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        result = to_lonlat.transform_bounds(*bounds, errcheck=True)
    except (pyproj.exceptions.ProjError, pyproj.exceptions.CRSError, ValueError):
        return None
    return tuple(result) if all(map(math.isfinite, result)) else None  # type: ignore[return-value]


def _inside(inner: Bounds, outer: Bounds, margin: float = 0.0) -> bool:
    return (inner[0] >= outer[0] - margin and inner[1] >= outer[1] - margin
            and inner[2] <= outer[2] + margin and inner[3] <= outer[3] + margin)


def describe_bounds(bounds: Bounds) -> str:
    """``"x 708000–708400, y 6180000–6180250"``."""
    def num(v: float) -> str:
        return f"{v:.6g}" if abs(v) < 1000 else f"{v:.0f}"

    def span(low: float, high: float) -> str:
        return num(low) if num(low) == num(high) else f"{num(low)}–{num(high)}"

    return f"x {span(bounds[0], bounds[2])}, y {span(bounds[1], bounds[3])}"


def crs_contradiction(bounds: Bounds, crs: pyproj.CRS) -> str:
    """Why coordinates with ``bounds`` cannot be in ``crs``; ``""`` when they can."""
    if crs.is_geographic and (max(abs(bounds[0]), abs(bounds[2])) > 180
                              or max(abs(bounds[1]), abs(bounds[3])) > 90):
        return ("it is a geographic CRS in degrees (longitude −180 to 180, latitude −90 to 90), "
                "but the coordinates are far larger, as metres are")
    lonlat = _lonlat(bounds, crs)
    if lonlat is None:
        return "the coordinates cannot be transformed from it (they lie outside its valid area)"
    area = crs.area_of_use
    if area is None:
        return ""
    if not _inside(lonlat, area.bounds, AREA_MARGIN_DEG):
        where = describe_bounds(lonlat).replace("x ", "longitude ").replace("y ", "latitude ")
        name = area.name.split(":")[0].rstrip(".")
        return (f"read in it, they lie at {where}, outside its valid area ({name}: longitude "
                f"{area.west:g} to {area.east:g}, latitude {area.south:g} to {area.north:g})")
    return ""


def fitting_crs(bounds: Bounds, declared: pyproj.CRS | None = None) -> pyproj.CRS | None:
    """The first of :data:`CANDIDATE_CRS` but ``declared`` that places ``bounds`` in Denmark."""
    for code in CANDIDATE_CRS:
        crs = pyproj.CRS(code)
        if declared is not None and crs.equals(declared):
            continue
        if crs.is_geographic and (max(abs(bounds[0]), abs(bounds[2])) > 180
                                  or max(abs(bounds[1]), abs(bounds[3])) > 90):
            continue
        lonlat = _lonlat(bounds, crs)
        if lonlat is not None and _inside(lonlat, denmark_lonlat()):
            return crs
    return None


def outside_denmark(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """True for each geometry of ``gdf`` (in EPSG:25832) that lies wholly outside Denmark."""
    values = np.asarray(gdf.geometry.array, dtype=object)
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    outside = np.zeros(len(values), dtype=bool)
    if present.any():
        box = shapely.box(*denmark_box())
        outside[present] = ~shapely.intersects(values[present], box)
    return outside


def fit_hint(crs: pyproj.CRS | None, file: str = "FILE") -> str:
    """The fix sentence for a layer whose coordinates fit ``crs`` (or no CRS that was tried)."""
    if crs is None:
        return ("Find the CRS the data was made in (ask its supplier) and set it in QGIS: Layer "
                "Properties ▸ Source ▸ Assigned CRS, then save.")
    code = crs.to_string()
    return (f"The coordinates fit {code} ({crs.name}): set that CRS (in QGIS: Layer Properties "
            f"▸ Source ▸ Assigned CRS, then save; or ogr2ogr -a_srs {code} out.gpkg {file}).")


def require_in_denmark(gdf: gpd.GeoDataFrame, layer: str, file: str) -> None:
    """Raise :class:`InputDataError` when any geometry of ``gdf`` (EPSG:25832) is outside Denmark.

    For importers of the Danish registers, whose data must lie in Denmark.
    """
    outside = outside_denmark(gdf.to_crs(PROJECT_CRS) if gdf.crs is not None else gdf)
    if not outside.any():
        return
    bounds = layer_bounds(gdf[outside])
    where = f" ({describe_bounds(bounds)} in {gdf.crs})" if bounds else ""
    msg = (f"{file}, layer {layer}: {int(outside.sum()):,} of {len(gdf):,} rows lie outside "
           f"Denmark{where}; the Danish registers cover Denmark only. "
           + fit_hint(fitting_crs(bounds, gdf.crs) if bounds else None, file))
    raise InputDataError(msg)
