"""The residents' map's drawn layers: districts, pipes and the base map of the plan's streets.

Everything is encoded with :mod:`.encode`. Streets and pipes are grouped in square cells of
:data:`STREET_CELL_M` metres, so that a folder-form map loads only the cells in view.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan.outputs.resident_map.encode import (
    Origin,
    bbox,
    encode_lines,
    encode_polygon,
    lonlat,
)
from heatplan.outputs.style import (
    RESIDENT_MAP_CONNECTED_COLOUR,
    RESIDENT_MAP_HEAT_PUMP_COLOUR,
    RESIDENT_MAP_MAIN_WEIGHT_PX,
    RESIDENT_MAP_NETWORK_COLOUR,
    RESIDENT_MAP_NETWORK_WEIGHT_PX,
    RESIDENT_MAP_OTHER_COLOUR,
    RESIDENT_MAP_PIPE_WEIGHT_PX,
    RESIDENT_MAP_UNSCHEDULED_COLOUR,
    phase_colour,
)

MAIN_DN_MM = 150
"""Pipes of at least this DN (mm) are drawn as main lines, thicker than distribution pipes."""
STREET_CELL_M = 2_000.0
"""Side, in metres, of the square cells the base map's streets are grouped in."""
_PHASE_ORDER = [phase_colour(p) for p in range(1, 7)]
ROAD_CLASSES: tuple[str, ...] = ("arterial", "collector", "local", "track", "path")
"""Road classes the base map draws differently (wider first); others are drawn as ``local``."""


def district_layer(districts: gpd.GeoDataFrame | None, origin: Origin) -> dict[str, Any]:
    """Each district's name, drawing class, colour, phase, bounds, label point and outline
    (encoded rings), in plan order."""
    if districts is None or not len(districts):
        return {"items": []}
    phases = _ints(districts, "phase")
    recs = _texts(districts, "recommendation")
    names = _texts(districts, "name")
    geoms = lonlat(districts.geometry, "districts", simplify=True)
    items = []
    for i, district_id in enumerate(districts.index):
        rec, phase = recs[i], phases[i]
        if rec == "district_heating":
            cls = "dh"
            color = phase_colour(phase) if phase else RESIDENT_MAP_UNSCHEDULED_COLOUR
        elif rec == "existing_dh":
            cls, color = "existing", RESIDENT_MAP_CONNECTED_COLOUR
        elif rec == "individual_heat_pump":
            cls, color = "individual", RESIDENT_MAP_HEAT_PUMP_COLOUR
        else:
            cls, color = "other", RESIDENT_MAP_OTHER_COLOUR
        geom = geoms.iloc[i]
        xy = shapely.get_coordinates(geom) if geom is not None else np.empty((0, 2))
        inside = (
            shapely.get_coordinates(geom.representative_point())
            if geom is not None and not geom.is_empty
            else np.empty((0, 2))
        )
        items.append(
            {
                "name": names[i] or str(district_id),
                "cls": cls,
                "color": color,
                "ph": phase,
                "bbox": bbox(origin, xy),
                "at": origin.to_ints(inside)[0].tolist() if len(inside) else None,
                "rings": encode_polygon(origin, geom),
            }
        )
    return {"items": items}


def pipe_cells(
    trenches: gpd.GeoDataFrame | None, network: gpd.GeoDataFrame | None, origin: Origin
) -> list[dict[str, Any]]:
    """Planned pipes by phase and size (mains thicker) and the existing network, per cell:
    ``bbox`` and ``specs`` (``group``, ``color``, ``weight``, ``dash``, encoded ``paths``)."""
    parts: list[tuple[dict[str, Any], gpd.GeoDataFrame]] = []
    if trenches is not None and len(trenches):
        built = (
            trenches["is_built"].astype(bool).to_numpy()
            if "is_built" in trenches.columns
            else np.ones(len(trenches), dtype=bool)
        )
        trenches = trenches[built].reset_index(drop=True)
        phase = pd.array(_ints(trenches, "phase"), dtype="Int64")
        dn = pd.to_numeric(trenches.get("dn", pd.Series(np.nan, index=trenches.index)),
                           errors="coerce")
        main = dn.to_numpy() >= MAIN_DN_MM
        for (p, is_main), rows in pd.DataFrame({"phase": phase, "main": main}).groupby(
            ["phase", "main"], dropna=False, sort=True
        ).groups.items():
            spec = {
                "group": "mains",
                "color": RESIDENT_MAP_UNSCHEDULED_COLOUR if pd.isna(p) else phase_colour(int(p)),
                "weight": RESIDENT_MAP_MAIN_WEIGHT_PX if is_main else RESIDENT_MAP_PIPE_WEIGHT_PX,
            }
            parts.append((spec, trenches.loc[rows]))
    if network is not None and len(network):
        spec = {"group": "network", "color": RESIDENT_MAP_NETWORK_COLOUR,
                "weight": RESIDENT_MAP_NETWORK_WEIGHT_PX, "dash": "6 4"}
        parts.append((spec, network.reset_index(drop=True)))
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    for spec, frame in parts:
        layer = "trenches" if spec["group"] == "mains" else "dh_network"
        geoms = lonlat(frame.geometry, layer, simplify=True)
        keys = _cell_keys(frame)
        for key in sorted(set(keys)):
            at = [i for i, k in enumerate(keys) if k == key]
            paths = encode_lines(origin, _merged(geoms.iloc[at]))
            if not paths:
                continue
            cell = cells.setdefault(key, {"specs": [], "xy": []})
            cell["specs"].append({**spec, "paths": paths})
            cell["xy"].append(shapely.get_coordinates(geoms.iloc[at].to_numpy()))
    return [
        {"bbox": bbox(origin, np.vstack(cell["xy"])), "specs": cell["specs"]}
        for _, cell in sorted(cells.items())
    ]


def line_legend(cells: list[dict[str, Any]]) -> dict[str, str]:
    """The line groups present and the colour of each in the legend (mains: the first phase)."""
    out: dict[str, str] = {}
    for cell in cells:
        for spec in cell["specs"]:
            out.setdefault(spec["group"], spec["color"])
    mains = {s["color"] for c in cells for s in c["specs"] if s["group"] == "mains"}
    if mains:
        out["mains"] = min(mains, key=lambda c: _PHASE_ORDER.index(c) if c in _PHASE_ORDER else 99)
    return out


def street_cells(
    streets: gpd.GeoDataFrame | None, origin: Origin
) -> tuple[list[str], list[dict[str, Any]]]:
    """The base map's street names and its cells: ``bbox``, and per line its name position
    (-1 without a name), road class position in :data:`ROAD_CLASSES` and encoded path."""
    if streets is None or not len(streets) or streets.crs is None:
        return [], []
    lines = streets[~streets.geometry.is_empty & streets.geometry.notna()]
    lines = lines[lines.geom_type.isin(["LineString", "MultiLineString"])].reset_index(drop=True)
    if not len(lines):
        return [], []
    names = (
        lines["name"].astype("string").str.strip().fillna("")
        if "name" in lines.columns
        else pd.Series("", index=lines.index)
    )
    road = (
        lines["road_class"].astype("string").fillna("local")
        if "road_class" in lines.columns
        else pd.Series("local", index=lines.index)
    )
    road_pos = road.map({c: i for i, c in enumerate(ROAD_CLASSES)}).fillna(2).astype(int)
    all_names = sorted({n for n in names if n})
    name_pos = names.map({n: i for i, n in enumerate(all_names)}).fillna(-1).astype(int)
    geoms = lonlat(lines.geometry, "streets", simplify=True)
    cells = []
    keys = pd.Series(_cell_keys(lines), index=lines.index)
    for _, rows in keys.groupby(keys, sort=True).groups.items():
        at = lines.index.get_indexer(rows)
        n, c, paths = [], [], []
        for i in at:
            for path in encode_lines(origin, geoms.iloc[i]):
                n.append(int(name_pos.iloc[i]))
                c.append(int(road_pos.iloc[i]))
                paths.append(path)
        if paths:
            xy = shapely.get_coordinates(geoms.iloc[at].to_numpy())
            cells.append({"bbox": bbox(origin, xy), "n": n, "c": c, "g": paths})
    return all_names, cells


def extent_lonlat(*frames: gpd.GeoDataFrame | None) -> np.ndarray:
    """Corner points (lon/lat) of the layers' bounds, for the map's origin and extent."""
    corners = []
    for frame in frames:
        if frame is None or not len(frame) or frame.crs is None:
            continue
        x0, y0, x1, y1 = frame.to_crs(4326).total_bounds
        if np.isfinite([x0, y0, x1, y1]).all():
            corners.append([[x0, y0], [x1, y1]])
    return np.array(corners, dtype=float).reshape(-1, 2)


def _cell_keys(frame: gpd.GeoDataFrame) -> list[tuple[int, int]]:
    """The ``(row, column)`` of the :data:`STREET_CELL_M` cell holding each line's centre."""
    if frame.crs is None or not frame.crs.is_projected or not len(frame):
        return [(0, 0)] * len(frame)
    centre = frame.geometry.centroid
    cell_x = np.floor(centre.x.to_numpy() / STREET_CELL_M).astype(int)
    cell_y = np.floor(centre.y.to_numpy() / STREET_CELL_M).astype(int)
    return list(zip(cell_y.tolist(), cell_x.tolist(), strict=True))


def _merged(geoms: pd.Series | gpd.GeoSeries) -> shapely.Geometry | None:
    """The lines merged into as few parts as possible."""
    valid = [g for g in geoms if g is not None and not g.is_empty]
    if not valid:
        return None
    return shapely.line_merge(shapely.union_all(valid))


def _ints(frame: pd.DataFrame, column: str) -> list[int | None]:
    """A column as ints, missing or non-numeric as None."""
    if column not in frame.columns:
        return [None] * len(frame)
    values = pd.to_numeric(frame[column], errors="coerce")
    return [None if pd.isna(v) else int(v) for v in values]


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    """A column as stripped strings, missing as ``""``."""
    if column not in frame.columns:
        return [""] * len(frame)
    return frame[column].astype("string").fillna("").str.strip().tolist()
