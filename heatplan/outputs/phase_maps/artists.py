"""Geometries to matplotlib artists: polygons, lines grouped into compound paths, points.

Coordinates stay in the plan's projected CRS (metres); line widths are in points.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.collections import PatchCollection, PathCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath


def polygon_paths(geoms: Iterable) -> list[MplPath]:
    """Matplotlib paths (holes included) of polygon geometries."""
    paths = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        parts = geom.geoms if hasattr(geom, "geoms") else [geom]
        verts, codes = [], []
        for poly in parts:
            if poly.geom_type != "Polygon":
                continue
            for ring in [poly.exterior, *poly.interiors]:
                xy = np.asarray(ring.coords)[:, :2]
                verts.append(xy)
                ring_codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
                ring_codes[0] = MplPath.MOVETO
                ring_codes[-1] = MplPath.CLOSEPOLY
                codes.append(ring_codes)
        if verts:
            paths.append(MplPath(np.concatenate(verts), np.concatenate(codes)))
    return paths


def line_segments(geoms: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Coordinate arrays of every line part, and the index of the row each part came from."""
    geoms = np.asarray(geoms, dtype=object)
    keep = ~shapely.is_missing(geoms)
    parts, index = shapely.get_parts(geoms[keep], return_index=True)
    rows = np.flatnonzero(keep)[index]
    coords = [np.asarray(shapely.get_coordinates(p)) for p in parts]
    return coords, rows


def add_polygons(ax, geoms, **style) -> None:
    """Draw polygon geometries as one patch collection with the given matplotlib style."""
    paths = polygon_paths(geoms)
    if paths:
        ax.add_collection(PatchCollection([PathPatch(p) for p in paths], **style))


def compound_path(coords: list[np.ndarray]) -> MplPath:
    """One path holding many polylines (MOVETO at each start), drawn as one object."""
    verts = np.concatenate(coords)
    codes = np.full(len(verts), MplPath.LINETO, dtype=np.uint8)
    starts = np.cumsum([0] + [len(c) for c in coords[:-1]])
    codes[starts] = MplPath.MOVETO
    return MplPath(verts, codes)


def add_lines(ax, geoms, widths, colours, zorder: float) -> None:
    """Draw lines grouped by (colour, width): one compound path per group keeps PDFs small.

    ``widths`` (pt) and ``colours`` are one value for all lines or one per geometry.
    """
    coords, rows = line_segments(geoms)
    if not coords:
        return
    widths = np.round(np.broadcast_to(np.asarray(widths, dtype=float), (len(geoms),))[rows], 2)
    colour_array = np.asarray(colours, dtype=object)
    if colour_array.ndim == 0:
        colour_list = np.full(len(rows), str(colour_array), dtype=object)
    else:
        colour_list = colour_array[rows]
    groups: dict[tuple[str, float], list[np.ndarray]] = {}
    for xy, colour, width in zip(coords, colour_list, widths, strict=True):
        groups.setdefault((str(colour), float(width)), []).append(xy)
    paths, path_colours, path_widths = [], [], []
    for (colour, width), parts in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        paths.append(compound_path(parts))
        path_colours.append(colour)
        path_widths.append(width)
    ax.add_collection(
        PathCollection(
            paths,
            facecolors="none",
            edgecolors=path_colours,
            linewidths=path_widths,
            zorder=zorder,
            capstyle="round",
            joinstyle="round",
        )
    )


def surface_points(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """``(x, y)`` of a point on the surface of each present geometry (missing ones skipped)."""
    geoms = gdf.geometry.to_numpy()
    keep = ~shapely.is_missing(geoms)
    pts = shapely.point_on_surface(geoms[keep])
    return shapely.get_coordinates(pts)
