"""Checks of one GIS layer's coordinate reference system and geometries.

Coordinates that contradict the declared CRS (metres declared as degrees, degrees as metres,
far outside the CRS's area of use) are an error naming the CRS that fits; layers in another CRS
are reprojected to EPSG:25832; rows outside Denmark are a warning. Rows without geometry or
with another geometry type than the contract allows are rejected; invalid geometries are
repaired with ``make_valid`` when they keep their type, else rejected.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from heatplan import PROJECT_CRS
from heatplan.io.place import (
    crs_contradiction,
    denmark_box,
    describe_bounds,
    fit_hint,
    fitting_crs,
    layer_bounds,
    outside_denmark,
)
from heatplan.validate.work import LayerWork

_GEOM_NAMES = {
    0: "Point", 1: "LineString", 2: "LinearRing", 3: "Polygon", 4: "MultiPoint",
    5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection",
}
"""Geometry type names by shapely type id."""


def check_crs(work: LayerWork) -> None:
    """Reproject the layer to EPSG:25832; a fatal error when it has no CRS or cannot be."""
    gdf = work.data
    crs = gdf.crs
    if crs is None:
        work.issue(
            "error",
            "The layer has no coordinate reference system (CRS), so its coordinates cannot be "
            "placed on the map.",
            f"Set the CRS of the file (in QGIS: Layer Properties ▸ Source ▸ Assigned CRS, then "
            f"save; or ogr2ogr -a_srs EPSG:25832 out.gpkg {Path(work.file.split(',')[0]).name}).",
        )
        work.fatal = "layer has no CRS"
        return
    bounds = layer_bounds(gdf)
    problem = crs_contradiction(bounds, crs) if bounds is not None else ""
    if problem:
        fit = fitting_crs(bounds, crs)  # type: ignore[arg-type]
        work.issue(
            "error", f"The coordinates ({describe_bounds(bounds)}) do not fit the declared CRS "  # type: ignore[arg-type]
            f"{crs.to_string()} ({crs.name}): {problem}.",
            fit_hint(fit, Path(work.file.split(",")[0]).name),
        )
        work.fatal = f"coordinates do not fit the declared CRS {crs.to_string()}"
        return
    if crs.to_epsg() == 25832:
        return
    try:
        work.data = gdf.to_crs(PROJECT_CRS)
        work.raw = work.raw.to_crs(PROJECT_CRS)
    except (pyproj.exceptions.ProjError, pyproj.exceptions.CRSError, ValueError) as err:
        work.issue(
            "error", f"The layer's CRS {crs.to_string()} cannot be transformed to {PROJECT_CRS} "
            f"({err}).", "Reproject the layer to EPSG:25832 in QGIS (Export ▸ Save Features As).",
        )
        work.fatal = f"CRS {crs.to_string()} cannot be transformed"
        return
    name = crs.name or crs.to_string()
    work.issue("info", f"Reprojected from {crs.to_string()} ({name}) to {PROJECT_CRS}.")


def check_place(work: LayerWork) -> None:
    """Warn about rows lying outside Denmark (kept: the plan is drawn where the data is)."""
    outside = outside_denmark(work.data) & (work.reasons == "").to_numpy()
    if not outside.any():
        return
    share = ("Every row of the layer lies" if outside.all()
             else f"{int(outside.sum()):,} of {len(outside):,} rows of the layer lie")
    raw = work.raw
    original = layer_bounds(raw[outside]) if isinstance(raw, gpd.GeoDataFrame) else None
    fit = fitting_crs(original, raw.crs) if original is not None and raw.crs else None
    where = describe_bounds(layer_bounds(work.data[outside]) or (0, 0, 0, 0))
    work.issue(
        "warning", f"{share} outside Denmark ({where} in "
        f"{PROJECT_CRS}; Denmark is {describe_bounds(denmark_box())}); they are kept.",
        "If the data is meant to be in Denmark, its CRS is wrong or the coordinates are "
        "shifted. " + (fit_hint(fit, Path(work.file.split(",")[0]).name) if fit else
                       "Check the coordinates in QGIS against a map of Denmark."),
        mask=outside, column="geometry",
    )


def check_geometry(work: LayerWork) -> None:
    """Reject missing, empty and wrongly typed geometries; repair invalid ones, drop 3-D."""
    layer = work.layer
    geoms = work.data.geometry.array
    values = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(values) | shapely.is_empty(values)
    if missing.any():
        work.reject(missing, "empty or missing geometry")
        work.issue(
            "warning", "Rows without geometry (empty or missing) were rejected.",
            "Draw the geometry, or delete the row.", mask=missing, column="geometry",
        )
    if shapely.has_z(values).any():
        values = shapely.force_2d(values)
        work.issue("info", "3-D coordinates were read as 2-D (the height is not used).")
    types = pd.Series(shapely.get_type_id(values), index=work.data.index)
    names = pd.Series(np.array(list(_GEOM_NAMES.values()), dtype=object)[types.clip(0, 7)],
                      index=work.data.index)
    wrong = ~missing & ~names.isin(layer.geometry)
    if wrong.any():
        allowed = " or ".join(layer.geometry)
        work.reject(wrong, "geometry type " + names + f" (expected {allowed})")
        work.issue(
            "warning", f"Rows with geometry of another type than {allowed} were rejected.",
            f"Give {layer.name} as {allowed} features.", mask=wrong, column="geometry",
            values=names,
        )
    check = ~missing & ~wrong
    invalid = check.to_numpy() & ~shapely.is_valid(values)
    if invalid.any():
        fixed = shapely.make_valid(values[invalid], method="structure", keep_collapsed=False)
        collapsed = shapely.is_empty(fixed)
        fixed_types = shapely.get_type_id(fixed)
        polygonal = np.isin(fixed_types, [3, 6])
        lineal = np.isin(fixed_types, [1, 5])
        ok = ~collapsed & (polygonal | lineal)
        values = values.copy()
        where = np.flatnonzero(invalid)
        values[where[ok]] = fixed[ok]
        repaired = np.zeros(len(values), dtype=bool)
        repaired[where[ok]] = True
        dropped = np.zeros(len(values), dtype=bool)
        dropped[where[~ok]] = True
        work.repaired |= repaired
        why = np.full(len(values), "", dtype=object)
        why[invalid] = shapely.is_valid_reason(np.asarray(geoms, dtype=object)[invalid])
        reasons = pd.Series(why, index=work.data.index)
        if repaired.any():
            work.issue(
                "warning", "Invalid geometries (self-intersections and the like) were repaired "
                "with make_valid, keeping their type.", "Check the repaired shapes in QGIS "
                "(Vector ▸ Geometry Tools ▸ Check Validity).", mask=repaired, column="geometry",
                values=reasons,
            )
        if dropped.any():
            work.reject(dropped, "invalid geometry that collapses when repaired: " + reasons)
            work.issue(
                "warning", "Invalid geometries that collapse to nothing when repaired were "
                "rejected.", "Redraw the geometry.", mask=dropped, column="geometry",
                values=reasons,
            )
    work.data = work.data.set_geometry(gpd.GeoSeries(values, index=work.data.index,
                                                     crs=work.data.crs))
