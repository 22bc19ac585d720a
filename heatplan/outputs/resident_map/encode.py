"""Compact geometry for the residents' map: integer coordinates, delta-encoded.

Coordinates travel as integers in units of :data:`SCALE`\\ :sup:`-1` degree (1e-5°, about 1 m),
relative to an origin (the plan's south-west corner), so that a point costs a few characters of
JSON. A line is a flat list ``[lat0, lon0, dlat1, dlon1, …]``: its first vertex relative to the
origin, each next one relative to the previous one. The page's script decodes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from heatplan.core.errors import CRSError

SCALE = 100_000
"""Integer units per degree of latitude or longitude (1e-5°, about 1.1 m north–south)."""
SIMPLIFY_M = 1.5
"""Tolerance, in metres, for simplifying lines and outlines before encoding."""


@dataclass(frozen=True)
class Origin:
    """The south-west corner (degrees) that integer coordinates are counted from."""

    lat: float
    lon: float

    def to_ints(self, lonlat: np.ndarray) -> np.ndarray:
        """``(n, 2)`` longitude/latitude in degrees → ``(n, 2)`` integer ``(lat, lon)`` units."""
        lat = np.round((lonlat[:, 1] - self.lat) * SCALE)
        lon = np.round((lonlat[:, 0] - self.lon) * SCALE)
        return np.column_stack([lat, lon]).astype(np.int64)


def require_crs(frame: gpd.GeoDataFrame | gpd.GeoSeries, layer: str) -> None:
    """Refuse a layer without a CRS (the map cannot place it)."""
    if frame.crs is None:
        msg = f"plan.{layer} has no CRS; set it (EPSG:25832) before writing the residents' map."
        raise CRSError(msg)


def lonlat(geoms: gpd.GeoSeries, layer: str, *, simplify: bool = False) -> gpd.GeoSeries:
    """The geometries in EPSG:4326, simplified by :data:`SIMPLIFY_M` metres first if asked."""
    require_crs(geoms, layer)
    if simplify and geoms.crs.is_projected:
        geoms = geoms.simplify(SIMPLIFY_M, preserve_topology=True)
    return geoms.to_crs(4326)


def point_lonlat(geoms: gpd.GeoSeries, layer: str) -> np.ndarray:
    """``(n, 2)`` longitude/latitude of a point inside each geometry (footprints too)."""
    require_crs(geoms, layer)
    points = geoms.representative_point() if len(geoms) else geoms
    return shapely.get_coordinates(points.to_crs(4326).to_numpy())


def origin_of(*bounds: np.ndarray) -> Origin | None:
    """The south-west corner of several ``(n, 2)`` lon/lat arrays; None when all are empty."""
    parts = [b for b in bounds if len(b)]
    if not parts:
        return None
    both = np.vstack(parts)
    return Origin(lat=float(np.floor(both[:, 1].min() * 1000) / 1000),
                  lon=float(np.floor(both[:, 0].min() * 1000) / 1000))


def deltas(values: np.ndarray) -> list[int]:
    """Each value minus the previous one (the first as is)."""
    values = np.asarray(values, dtype=np.int64)
    if not len(values):
        return []
    return np.concatenate([values[:1], np.diff(values)]).tolist()


def encode_path(origin: Origin, xy: np.ndarray) -> list[int]:
    """One path of ``(n, 2)`` lon/lat as ``[lat0, lon0, dlat1, dlon1, …]``, repeated vertices
    dropped."""
    ints = origin.to_ints(xy)
    keep = np.ones(len(ints), dtype=bool)
    keep[1:] = np.any(ints[1:] != ints[:-1], axis=1)
    ints = ints[keep]
    flat = np.concatenate([ints[:1], np.diff(ints, axis=0)]) if len(ints) else ints
    return flat.reshape(-1).tolist()


def encode_lines(origin: Origin, geom: shapely.Geometry | None) -> list[list[int]]:
    """Every part of a (multi)line as an encoded path; parts with fewer than two vertices are
    left out."""
    if geom is None or geom.is_empty:
        return []
    out = []
    for part in shapely.get_parts(geom):
        path = encode_path(origin, shapely.get_coordinates(part))
        if len(path) >= 4:
            out.append(path)
    return out


def encode_polygon(origin: Origin, geom: shapely.Geometry | None) -> list[list[int]]:
    """Every ring of a (multi)polygon as an encoded path (exterior, then holes, per part)."""
    if geom is None or geom.is_empty:
        return []
    rings = []
    for part in shapely.get_parts(geom):
        if part.geom_type != "Polygon":
            continue
        for ring in (part.exterior, *part.interiors):
            path = encode_path(origin, shapely.get_coordinates(ring))
            if len(path) >= 6:
                rings.append(path)
    return rings


def bbox(origin: Origin, xy: np.ndarray) -> list[int] | None:
    """``[south, west, north, east]`` of ``(n, 2)`` lon/lat, in integer units; None if empty."""
    if not len(xy):
        return None
    ints = origin.to_ints(xy)
    lo, hi = ints.min(axis=0), ints.max(axis=0)
    return [int(lo[0]), int(lo[1]), int(hi[0]), int(hi[1])]
