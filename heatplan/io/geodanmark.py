"""Read GeoDanmark building footprints and road centrelines, and GeoFA road layers.

Real GeoDanmark layers are 3-D (``POLYGON Z``, ``LINESTRING Z``); heatplan works in 2-D, so the Z
coordinate is dropped on read. GeoDanmark's own object id ``ID_LOKALID`` differs from BBR's
``id_lokalId`` only in case, and GeoPackage field names are case-insensitive: it is renamed to
``geodanmark_id`` so the two can never collide in a written layer.

The layer helpers the other register readers share live here too: :func:`read_layer`,
:func:`find_column`, :func:`municipality_codes`, :func:`has_geometry` and
:func:`points_from_wkt`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan import PROJECT_CRS
from heatplan.core.errors import CRSError, InputDataError

logger = logging.getLogger(__name__)

VEJKLASSE_TO_ROAD_CLASS: dict[str, str] = {
    "Trafikvej-Gennemfart": "arterial",
    "Trafikvej-Fordeling": "collector",
    "Lokalvej-Primær": "local",
    "Lokalvej-Sekundær": "local",
    "Lokalvej-Tertiær": "local",
    "Indkørselsvej": "driveway",
    "Anden vej": "other",
    "Hovedsti": "path",
    "Sti, diverse": "path",
}
"""GeoDanmark ``VEJKLASSE`` (Vejmidte) → heatplan ``road_class``."""

GEOFA_AUTHORITY_TO_ROAD_CLASS: dict[str, str] = {
    "Off. statsvej": "arterial",
    "Off. kommunevej": "local",
    "Privat fællesvej": "local",
    "Privat vej": "private",
}
"""GeoFA road authority (``type`` of ``vej_myndighed``) → a coarse ``road_class``.

The authority is not a traffic class: state roads are arterials, the rest is taken as local
streets (an assumption; the original value is kept in ``road_authority``).
"""


def find_column(frame: pd.DataFrame, *candidates: str) -> str | None:
    """Return the frame's column matching one of ``candidates`` case-insensitively."""
    lower = {str(c).lower(): c for c in frame.columns}
    for candidate in candidates:
        if candidate.lower() in lower:
            return lower[candidate.lower()]
    return None


def municipality_codes(values: pd.Series) -> pd.Series:
    """Municipality codes of a layer column as four-digit strings (``151`` → ``"0151"``).

    Examples
    --------
    >>> municipality_codes(pd.Series([151, " 0155", None])).tolist()
    ['0151', '0155', <NA>]
    """
    return values.astype("string").str.strip().str.zfill(4)


def has_geometry(geoms: gpd.GeoSeries | np.ndarray) -> np.ndarray:
    """True where a geometry is present and not empty."""
    values = np.asarray(geoms.array if hasattr(geoms, "array") else geoms, dtype=object)
    return shapely.is_geometry(values) & ~shapely.is_empty(values)


def points_from_wkt(wkt: pd.Series, *, on_invalid: str = "raise") -> gpd.GeoSeries:
    """Parse WKT coordinates (EPSG:25832) as 2-D geometries; missing text stays missing.

    ``on_invalid`` is shapely's: ``"raise"`` on malformed text, or ``"ignore"`` (missing).

    Examples
    --------
    >>> points = points_from_wkt(pd.Series(["POINT Z (1 2 3)", None]))
    >>> points.iloc[0].wkt, points.iloc[1]
    ('POINT (1 2)', None)
    """
    values = wkt.astype(object).where(wkt.notna(), None).to_numpy()
    geoms = shapely.from_wkt(values, on_invalid=on_invalid)
    return gpd.GeoSeries(shapely.force_2d(geoms), index=wkt.index, crs=PROJECT_CRS)


def read_layer(path: Path | str, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read any GDAL vector layer into EPSG:25832, 2-D, without empty geometries.

    Raises
    ------
    InputDataError
        If the file does not exist or cannot be read.
    CRSError
        If the layer has no coordinate reference system.
    """
    path = Path(path)
    if not path.exists():
        msg = f"{path} does not exist."
        raise InputDataError(msg)
    try:
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as err:  # pyogrio raises its own DataSourceError / DataLayerError
        msg = f"{path}{f', layer {layer}' if layer else ''}: cannot be read ({err})."
        raise InputDataError(msg) from err
    if frame.crs is None:
        msg = (
            f"{path}: the layer has no coordinate reference system. Set it (GeoDanmark and "
            "GeoFA data are EPSG:25832) and read it again."
        )
        raise CRSError(msg)
    if frame.crs.to_epsg() != 25832:
        frame = frame.to_crs(PROJECT_CRS)
    frame = frame[has_geometry(frame.geometry)].copy()
    frame.geometry = shapely.force_2d(frame.geometry.array)
    return frame


def read_footprints(
    path: Path | str, *, layer: str | None = None, id_column: str = "BBRUUID"
) -> gpd.GeoDataFrame:
    """Read GeoDanmark building footprints keyed on the BBR building id.

    Parameters
    ----------
    path
        GeoDanmark Bygning layer (GeoJSON, GeoPackage, ...).
    id_column
        Column holding the BBR building UUID (matched case-insensitively).

    Returns
    -------
    footprints
        Indexed by ``building_id`` (lower-case BBR UUID); 2-D (Multi)Polygon ``geometry``,
        ``n_parts`` (footprints merged into one building) and ``geodanmark_id``. Footprints
        without a BBR id are dropped (counted in the log).
    """
    frame = read_layer(path, layer=layer)
    column = find_column(frame, id_column)
    if column is None:
        msg = (
            f"{path}: no column {id_column!r} linking footprints to BBR buildings; columns are "
            f"{list(frame.columns)}. Name the link column with id_column."
        )
        raise InputDataError(msg)
    geodanmark_id = find_column(frame, "ID_LOKALID")
    frame = frame.rename(columns={geodanmark_id: "geodanmark_id"}) if geodanmark_id else frame
    if "geodanmark_id" not in frame:
        frame["geodanmark_id"] = None
    frame["building_id"] = frame[column].astype("string").str.strip().str.lower()
    n_read = len(frame)
    frame = frame[frame["building_id"].notna() & (frame["building_id"] != "")]
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])]
    grouped = frame.groupby("building_id", sort=True)
    merged = gpd.GeoDataFrame(
        {
            "n_parts": grouped.size(),
            "geodanmark_id": grouped["geodanmark_id"].first().astype("string"),
        },
        geometry=grouped.geometry.agg(lambda parts: shapely.union_all(parts.to_numpy())),
        crs=PROJECT_CRS,
    )
    merged.geometry = merged.geometry.make_valid()
    logger.info(
        "Read %s footprints from %s: %s buildings, %s without a BBR id, %s merged from parts",
        f"{n_read:,}", Path(path).name, f"{len(merged):,}", f"{n_read - len(frame):,}",
        f"{int((merged['n_parts'] > 1).sum()):,}",
    )
    return merged


def read_roads(
    path: Path | str, *, layer: str | None = None, municipality: str | None = None
) -> gpd.GeoDataFrame:
    """Read road centrelines (GeoDanmark Vejmidte or a GeoFA road layer) as 2-D LineStrings.

    Parameters
    ----------
    municipality
        Four-digit code; kept rows are those with this ``KOMMUNEKODE`` where the layer has one.

    Returns
    -------
    streets
        ``road_class`` (``arterial``, ``collector``, ``local``, ``driveway``, ``path``,
        ``private``, ``other``), ``road_class_dk`` (the register's own class or authority),
        ``name`` where the layer has one, ``source_id``, ``kommunekode`` (empty when the layer
        has none); one row per LineString part.
    """
    frame = read_layer(path, layer=layer)
    frame = frame[frame.geom_type.isin(["LineString", "MultiLineString"])]
    code_column = find_column(frame, "KOMMUNEKODE", "kommunekode", "komkode", "komnr")
    codes = (
        municipality_codes(frame[code_column])
        if code_column is not None else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    if municipality is not None and code_column is not None:
        frame, codes = frame[codes == municipality], codes[codes == municipality]
    vejklasse = find_column(frame, "VEJKLASSE")
    authority = find_column(frame, "type") if vejklasse is None else None
    name_column = find_column(frame, "vejnavn", "navn", "name", "VEJNAVN")
    id_column = find_column(frame, "ID_LOKALID", "id_lokalid", "OBJECTID", "fid")
    out = gpd.GeoDataFrame(geometry=frame.geometry.to_numpy(), crs=PROJECT_CRS)
    if vejklasse is not None:
        raw = frame[vejklasse].astype("string").to_numpy()
        out["road_class_dk"] = raw
        out["road_class"] = pd.Series(raw).map(VEJKLASSE_TO_ROAD_CLASS).fillna("other").to_numpy()
    elif authority is not None:
        raw = frame[authority].astype("string").to_numpy()
        out["road_class_dk"] = raw
        out["road_class"] = (
            pd.Series(raw).map(GEOFA_AUTHORITY_TO_ROAD_CLASS).fillna("other").to_numpy()
        )
    else:
        out["road_class_dk"] = None
        out["road_class"] = None
    out["name"] = frame[name_column].astype("string").to_numpy() if name_column else None
    out["source_id"] = (
        frame[id_column].astype("string").to_numpy() if id_column else frame.index.astype(str)
    )
    out["kommunekode"] = codes.to_numpy()
    out = out.explode(index_parts=False, ignore_index=True)
    out = out[out.geom_type == "LineString"].reset_index(drop=True)
    logger.info(
        "Read %s road centrelines from %s (%.1f km)", f"{len(out):,}", Path(path).name,
        out.length.sum() / 1000,
    )
    return out[["road_class", "road_class_dk", "name", "source_id", "kommunekode", "geometry"]]
