"""The residents' map's data: points, marker classes, districts, pipe lines and legend.

Coordinates are longitude/latitude (EPSG:4326) rounded to :data:`COORD_DECIMALS`; lines travel
as ``[[lat, lon], ...]`` and district outlines as GeoJSON. Only the columns in
:data:`PUBLIC_PROPERTY_COLUMNS` are read from the properties.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan.core.errors import CRSError, SchemaError
from heatplan.outputs.style import (
    RESIDENT_MAP_DISTRICT_COLOUR,
    RESIDENT_MAP_EXISTING_DH_COLOUR,
    RESIDENT_MAP_HEAT_PUMP_COLOUR,
    RESIDENT_MAP_MAIN_WEIGHT_PX,
    RESIDENT_MAP_NETWORK_COLOUR,
    RESIDENT_MAP_NETWORK_WEIGHT_PX,
    RESIDENT_MAP_OTHER_COLOUR,
    RESIDENT_MAP_PIPE_WEIGHT_PX,
    RESIDENT_MAP_UNSCHEDULED_COLOUR,
    resident_map_phase_colour,
)
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

PUBLIC_PROPERTY_COLUMNS: tuple[str, ...] = (
    "address",
    "postcode",
    "district_id",
    "recommendation",
    "phase",
    "offer_year",
    "construction_start_year",
    "construction_end_year",
    "connection_year",
)
"""The only property columns whose values can reach the residents' map."""

RECOMMENDATIONS: tuple[str, ...] = (
    "district_heating",
    "individual_heat_pump",
    "existing_dh",
    "none",
)
"""The recommendations a property can have, in the order of the map's classes."""

COORD_DECIMALS = 5
"""Decimals of longitude and latitude on the map (about 1 m)."""
SIMPLIFY_M = 1.5
"""Tolerance, in metres, for simplifying district outlines and pipe lines on the map."""
MAIN_DN_MM = 150
"""Pipes of at least this DN (mm) are drawn as main lines, thicker than distribution pipes."""

_MISSING = "\u2013"
_NUMBER = re.compile(r"(\d+)")


@dataclass(frozen=True)
class MapData:
    """Everything the page draws, as JSON-ready values (see :func:`map_data`)."""

    points: dict[str, list[Any]]
    """Column lists of the points: ``lat``, ``lon``, ``a`` (address), ``d`` (district
    position), ``k`` (class position), ``ph`` (phase) and the years ``oy``, ``cs``, ``ce``,
    ``cy``."""
    classes: list[dict[str, Any]]
    """Marker classes: ``group``, ``kind``, ``label``, ``color``, ``show``."""
    bounds: list[list[float]] | None
    """``[[south, west], [north, east]]``; None without points."""
    districts: dict[str, Any]
    """``items`` (name, colour, recommendation) and their outlines as ``geojson``."""
    lines: list[dict[str, Any]]
    """Line layers: ``group``, ``color``, ``weight`` (px) and ``coords``."""
    legend: list[dict[str, str]]
    """Legend entries: ``label``, ``color`` and ``shape`` (point, line or area)."""


def map_data(plan: Plan, texts: dict[str, Any]) -> MapData:
    """Gather the page's data from ``plan`` with the texts of one language.

    Raises
    ------
    SchemaError
        If ``properties`` lacks ``address`` or ``recommendation``, or has unknown
        recommendation values.
    CRSError
        If a layer has no CRS.
    """
    points, classes, bounds = _points(plan.properties, plan.districts, texts)
    districts = _districts(plan.districts)
    lines, line_legend = _lines(plan.trenches, plan.dh_network, texts)
    legend = _legend(classes, districts, line_legend, texts)
    return MapData(points, classes, bounds, districts, lines, legend)


# --- points -------------------------------------------------------------------------------


def _points(
    properties: gpd.GeoDataFrame, districts: gpd.GeoDataFrame | None, texts: dict[str, Any]
) -> tuple[dict[str, list[Any]], list[dict[str, Any]], list[list[float]] | None]:
    """Return the whitelisted point columns, the marker classes and the map bounds."""
    public, rec = _public_properties(properties)
    label = _address_label(public)
    order = sorted(range(len(public)), key=lambda i: _natural_key(label.iloc[i]))
    public = public.iloc[order]
    label = label.iloc[order]
    rec = rec.iloc[order]

    lonlat = _to_lonlat(public.geometry.representative_point(), "properties")
    phase = _int_column(public, "phase")
    district_pos, district_index = _district_positions(public, districts)
    classes, class_of = _point_classes(rec, phase, _phase_years(districts, public), texts)

    points = {
        "lat": _rounded(lonlat[:, 1]),
        "lon": _rounded(lonlat[:, 0]),
        "a": label.tolist(),
        "d": [district_index.get(v, -1) for v in district_pos],
        "k": class_of.tolist(),
        "ph": phase,
        "oy": _int_column(public, "offer_year"),
        "cs": _int_column(public, "construction_start_year"),
        "ce": _int_column(public, "construction_end_year"),
        "cy": _int_column(public, "connection_year"),
    }
    bounds = None
    if len(lonlat):
        lo = lonlat.min(axis=0)
        hi = lonlat.max(axis=0)
        bounds = [_rounded([lo[1], lo[0]]), _rounded([hi[1], hi[0]])]
    return points, classes, bounds


def _public_properties(properties: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """The whitelisted columns of the properties with an address and a location, and their
    recommendation (missing ones as ``none``)."""
    for column in ("address", "recommendation"):
        if column not in properties.columns:
            msg = (
                f"plan.properties has no column {column!r}; the residents' map needs it "
                "(see docs/architecture.md, table 'properties')."
            )
            raise SchemaError(msg)
    public = properties[[c for c in PUBLIC_PROPERTY_COLUMNS if c in properties.columns]]
    public = gpd.GeoDataFrame(public, geometry=properties.geometry, crs=properties.crs)
    address = public["address"].astype("string").str.strip()
    keep = address.notna() & (address != "") & ~public.geometry.is_empty & public.geometry.notna()
    dropped = int((~keep).sum())
    if dropped:
        logger.info("Residents' map: %s properties without address or location left out", dropped)
    public = public[keep]
    rec = public["recommendation"].astype("string").fillna("none")
    unknown = sorted(set(rec) - set(RECOMMENDATIONS))
    if unknown:
        rows = list(public.index[rec.isin(unknown)][:5])
        msg = (
            f"plan.properties.recommendation at property_id {rows} has unknown values {unknown}; "
            f"expected one of {', '.join(RECOMMENDATIONS)}."
        )
        raise SchemaError(msg)
    return public, rec


def _point_classes(
    rec: pd.Series,
    phase: list[int | None],
    phase_years: dict[int, tuple[int | None, int | None]],
    texts: dict[str, Any],
) -> tuple[list[dict[str, Any]], np.ndarray]:
    """The marker classes present (one per district-heating phase, then unscheduled, heat
    pump, existing, other), and each point's class position."""
    classes: list[dict[str, Any]] = []
    class_of = np.full(len(rec), -1, dtype=int)
    is_dh = (rec == "district_heating").to_numpy()
    for p in sorted({v for v, dh in zip(phase, is_dh, strict=True) if dh and v is not None}):
        years = phase_years.get(p)
        span = f" ({_span(*years)})" if years else ""
        classes.append(
            {
                "group": f"dh-{p}",
                "kind": "district_heating",
                "label": texts["class_dh"].format(phase=p, years=span),
                "color": resident_map_phase_colour(p),
                "show": True,
            }
        )
        class_of[is_dh & np.array([v == p for v in phase])] = len(classes) - 1
    for kind, group, key, color, show, mask in (
        (
            "district_heating",
            "dh-unscheduled",
            "class_dh_unscheduled",
            RESIDENT_MAP_UNSCHEDULED_COLOUR,
            True,
            is_dh & np.array([v is None for v in phase]),
        ),
        ("individual_heat_pump", "hp", "class_hp", RESIDENT_MAP_HEAT_PUMP_COLOUR, True, None),
        ("existing_dh", "existing", "class_existing", RESIDENT_MAP_EXISTING_DH_COLOUR, True, None),
        ("none", "other", "class_other", RESIDENT_MAP_OTHER_COLOUR, False, None),
    ):
        if mask is None:
            mask = (rec == kind).to_numpy()
        if mask.any():
            classes.append(
                {"group": group, "kind": kind, "label": texts[key], "color": color, "show": show}
            )
            class_of[mask] = len(classes) - 1
    return classes, class_of



def _address_label(public: gpd.GeoDataFrame) -> pd.Series:
    """Address text as shown and searched: ``address`` plus the postcode unless already in it."""
    address = public["address"].astype("string").str.strip()
    if "postcode" not in public.columns:
        return address.astype(str)
    postcode = public["postcode"].astype("string").str.strip().fillna("")
    missing = (postcode != "") & ~pd.Series(
        [pc in a for a, pc in zip(address, postcode, strict=True)], index=address.index
    )
    label = address.where(~missing, address + ", " + postcode)
    return label.astype(str)


def _natural_key(text: str) -> tuple[Any, ...]:
    parts = _NUMBER.split(text.lower())
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _district_positions(
    public: gpd.GeoDataFrame, districts: gpd.GeoDataFrame | None
) -> tuple[list[Any], dict[Any, int]]:
    """Each point's ``district_id`` and the position of every district in the page's list."""
    ids = (
        public["district_id"].astype("string").tolist()
        if "district_id" in public.columns
        else [None] * len(public)
    )
    ids = [None if pd.isna(v) else str(v) for v in ids]
    if districts is None or not len(districts):
        known: list[str] = sorted({v for v in ids if v is not None})
    else:
        known = [str(v) for v in districts.index]
    return ids, {d: i for i, d in enumerate(known)}


# --- districts, lines and legend ---------------------------------------------------------


def _districts(districts: gpd.GeoDataFrame | None) -> dict[str, Any]:
    """District names and colours, and their outlines as simplified GeoJSON in EPSG:4326."""
    if districts is None or not len(districts):
        return {"items": [], "geojson": None}
    phases = _int_column(districts, "phase")
    recs = (
        districts["recommendation"].astype("string").fillna("").tolist()
        if "recommendation" in districts.columns
        else [""] * len(districts)
    )
    names = (
        districts["name"].astype("string").fillna("").tolist()
        if "name" in districts.columns
        else [""] * len(districts)
    )
    items = []
    for district_id, name, phase, rec in zip(districts.index, names, phases, recs, strict=True):
        if rec == "district_heating" and phase is not None:
            color = resident_map_phase_colour(phase)
        elif rec == "individual_heat_pump":
            color = RESIDENT_MAP_HEAT_PUMP_COLOUR
        else:
            color = RESIDENT_MAP_OTHER_COLOUR
        items.append({"name": name or str(district_id), "color": color, "rec": rec})
    geoms = _geometry_4326(districts, "districts", simplify=True)
    features = [
        {"type": "Feature", "properties": {"i": i}, "geometry": _round_geojson(g)}
        for i, g in enumerate(geoms)
        if g is not None and not g.is_empty
    ]
    return {"items": items, "geojson": {"type": "FeatureCollection", "features": features}}


def _lines(
    trenches: gpd.GeoDataFrame | None, network: gpd.GeoDataFrame | None, texts: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Planned mains by phase and size, and the existing network, as ``[lat, lon]`` lines."""
    specs: list[dict[str, Any]] = []
    legend: list[dict[str, Any]] = []
    if trenches is not None and len(trenches):
        phase = pd.array(_int_column(trenches, "phase"), dtype="Int64")
        dn = (
            pd.to_numeric(trenches["dn"], errors="coerce")
            if "dn" in trenches.columns
            else pd.Series(np.nan, index=trenches.index)
        )
        geoms = _geometry_4326(trenches, "trenches", simplify=True)
        frame = pd.DataFrame(
            {"phase": phase, "main": (dn.to_numpy() >= MAIN_DN_MM), "geom": list(geoms)}
        )
        for (p, is_main), part in frame.groupby(["phase", "main"], dropna=False, sort=True):
            color = (
                RESIDENT_MAP_UNSCHEDULED_COLOUR if pd.isna(p) else resident_map_phase_colour(p)
            )
            coords = _line_coords(part["geom"])
            if coords:
                specs.append(
                    {
                        "group": "mains",
                        "color": color,
                        "weight": (
                            RESIDENT_MAP_MAIN_WEIGHT_PX if is_main else RESIDENT_MAP_PIPE_WEIGHT_PX
                        ),
                        "coords": coords,
                    }
                )
            if not pd.isna(p) and not any(e.get("phase") == int(p) for e in legend):
                legend.append(
                    {
                        "phase": int(p),
                        "label": texts["legend_mains"].format(phase=int(p)),
                        "color": color,
                        "shape": "line",
                    }
                )
    if network is not None and len(network):
        coords = _line_coords(pd.Series(list(_geometry_4326(network, "dh_network", simplify=True))))
        if coords:
            specs.append(
                {
                    "group": "network",
                    "color": RESIDENT_MAP_NETWORK_COLOUR,
                    "weight": RESIDENT_MAP_NETWORK_WEIGHT_PX,
                    "coords": coords,
                }
            )
            legend.append(
                {
                    "label": texts["layer_network"],
                    "color": RESIDENT_MAP_NETWORK_COLOUR,
                    "shape": "line",
                }
            )
    return specs, legend


def _legend(
    classes: list[dict[str, Any]],
    districts: dict[str, Any],
    lines: list[dict[str, Any]],
    texts: dict[str, Any],
) -> list[dict[str, str]]:
    entries = [{"label": c["label"], "color": c["color"], "shape": "point"} for c in classes]
    entries += [{k: v for k, v in e.items() if k != "phase"} for e in lines]
    recs = {item["rec"] for item in districts["items"]}
    if "district_heating" in recs:
        entries.append(
            {
                "label": texts["legend_district_dh"],
                "color": RESIDENT_MAP_DISTRICT_COLOUR,
                "shape": "area",
            }
        )
    if "individual_heat_pump" in recs:
        entries.append(
            {
                "label": texts["legend_district_hp"],
                "color": RESIDENT_MAP_HEAT_PUMP_COLOUR,
                "shape": "area",
            }
        )
    return entries


def _phase_years(
    districts: gpd.GeoDataFrame | None, public: gpd.GeoDataFrame
) -> dict[int, tuple[int | None, int | None]]:
    """First and last construction year of each phase, from districts or else properties."""
    if (
        districts is not None
        and len(districts)
        and {"phase", "start_year", "end_year"} <= set(districts.columns)
    ):
        table = pd.DataFrame(
            {
                "phase": pd.to_numeric(districts["phase"], errors="coerce"),
                "start": pd.to_numeric(districts["start_year"], errors="coerce"),
                "end": pd.to_numeric(districts["end_year"], errors="coerce"),
            }
        )
    elif {"phase", "construction_start_year", "construction_end_year"} <= set(public.columns):
        table = pd.DataFrame(
            {
                "phase": pd.to_numeric(public["phase"], errors="coerce"),
                "start": pd.to_numeric(public["construction_start_year"], errors="coerce"),
                "end": pd.to_numeric(public["construction_end_year"], errors="coerce"),
            }
        )
    else:
        return {}
    table = table.dropna(subset=["phase"])
    out: dict[int, tuple[int | None, int | None]] = {}
    for p, part in table.groupby("phase"):
        lo, hi = part["start"].min(), part["end"].max()
        out[int(p)] = (None if pd.isna(lo) else int(lo), None if pd.isna(hi) else int(hi))
    return out


def _span(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return _MISSING
    if start is None or end is None or start == end:
        return str(start if start is not None else end)
    return f"{start}\u2013{end}"


# --- geometry and encoding helpers ---------------------------------------------------------


def _require_crs(crs: object, layer: str) -> None:
    if crs is None:
        msg = f"plan.{layer} has no CRS; set it (EPSG:25832) before writing the residents' map."
        raise CRSError(msg)


def _geometry_4326(frame: gpd.GeoDataFrame, layer: str, *, simplify: bool) -> gpd.GeoSeries:
    """The layer's geometries in EPSG:4326, simplified by :data:`SIMPLIFY_M` metres first."""
    _require_crs(frame.crs, layer)
    geoms = frame.geometry
    if simplify and frame.crs.is_projected:
        geoms = geoms.simplify(SIMPLIFY_M, preserve_topology=True)
    return geoms.to_crs(4326)


def _to_lonlat(points: gpd.GeoSeries, layer: str) -> np.ndarray:
    """``(lon, lat)`` of each point, in degrees."""
    _require_crs(points.crs, layer)
    return shapely.get_coordinates(points.to_crs(4326).to_numpy())


def _line_coords(geoms: pd.Series) -> list[list[list[float]]]:
    """Merge lines and return each part as ``[[lat, lon], ...]``."""
    valid = [g for g in geoms if g is not None and not g.is_empty]
    if not valid:
        return []
    merged = shapely.line_merge(shapely.union_all(valid))
    out = []
    for part in shapely.get_parts(merged):
        xy = np.round(shapely.get_coordinates(part), COORD_DECIMALS)
        if len(xy) >= 2:
            out.append(xy[:, ::-1].tolist())
    return out


def _round_geojson(geom: shapely.Geometry) -> dict[str, Any]:
    def walk(obj: Any) -> Any:
        if isinstance(obj, float):
            return round(obj, COORD_DECIMALS)
        if isinstance(obj, list | tuple):
            return [walk(o) for o in obj]
        return obj

    mapping = shapely.geometry.mapping(geom)
    return {"type": mapping["type"], "coordinates": walk(mapping["coordinates"])}


def _rounded(values: Any) -> list[float]:
    return np.round(np.asarray(values, dtype=float), COORD_DECIMALS).tolist()


def _int_column(frame: pd.DataFrame, column: str) -> list[int | None]:
    if column not in frame.columns:
        return [None] * len(frame)
    values = pd.to_numeric(frame[column], errors="coerce")
    return [None if pd.isna(v) else int(v) for v in values]
