"""Phase maps for print: an overview and one sheet per phase, A3 landscape, PNG and PDF.

Each sheet has the map (districts coloured by phase, individual-heating areas hatched, the
existing network, new trenches by phase with line width by DN, heat sources, properties as
points), a legend, a scale bar, a north arrow, a title, a source note and, for the sample,
"Syntetiske eksempeldata". Drawing uses collections (one artist per kind of feature), so a
municipality with thousands of properties draws in well under a second per sheet.

Files are deterministic: the PDF carries no creation date and the PNG no software stamp.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import PatchCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from PIL import Image

from heatplan.io.atomic import atomic_path
from heatplan.outputs.texts import check_lang, format_number, format_year, text
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

A3_LANDSCAPE_IN = (16.54, 11.69)
"""A3 landscape, 420 × 297 mm, in inches."""
PNG_DPI = 200
PDF_NAME = "heatplan_phase_maps.pdf"
PNG_OVERVIEW_NAME = "heatplan_phase_map_overview.png"
PNG_PHASE_NAME = "heatplan_phase_map_phase{phase}.png"

PHASE_COLOURS = ("#e66101", "#5e3c99", "#1b9e77", "#d01c8b", "#4d9221", "#b8860b")
"""Phase 1, 2, … (colour-blind safe, distinct in greyscale print)."""
INDIVIDUAL_COLOUR = "#9e9e9e"
EXISTING_AREA_COLOUR = "#c6dbef"
EXISTING_NET_COLOUR = "#08306b"
OTHER_AREA_COLOUR = "#f7f7f7"
OTHER_PHASE_COLOUR = "#e0e0e0"
OTHER_PHASE_EDGE = "#bdbdbd"
SOURCE_COLOUR = "#000000"
DN_SAMPLES = (50, 100, 200)
MAX_LISTED_DISTRICTS = 14
"""Districts listed beside a phase map (the rest are counted)."""


def year_span(start: object, end: object) -> str:
    """``2024–2025``, or ``2024`` when both years are the same."""
    first, last = format_year(start), format_year(end)
    return first if first == last or last == "–" else f"{first}–{last}"


def phase_colour(phase: int) -> str:
    """Return the colour of ``phase`` (1-based; the palette repeats after six phases)."""
    return PHASE_COLOURS[(int(phase) - 1) % len(PHASE_COLOURS)]


def dn_width(dn: np.ndarray | float) -> np.ndarray:
    """Line width in points for pipe size ``dn`` (mm): 1 pt for DN 25 up to 6 pt for DN 400."""
    values = np.nan_to_num(np.asarray(dn, dtype=float), nan=50.0)
    return np.clip(0.8 + values / 75.0, 0.8, 6.0)


@dataclass(frozen=True)
class PhaseInfo:
    """One phase: its number, its districts (ids) and its first and last construction year."""

    phase: int
    district_ids: tuple[str, ...]
    start_year: int | None
    end_year: int | None


def _int_series(table: pd.DataFrame, column: str) -> pd.Series:
    if column not in table:
        return pd.Series(pd.array([None] * len(table), dtype="Int64"), index=table.index)
    return pd.Series(pd.array(pd.to_numeric(table[column]), dtype="Int64"), index=table.index)


def plan_phases(plan: Plan) -> list[PhaseInfo]:
    """Return the plan's phases in order, from the districts' phase, start and end years.

    Districts built before the plan period (see :func:`_district_kind`) belong to no phase.
    """
    districts = plan.districts
    phase = _int_series(districts, "phase")
    start = _int_series(districts, "start_year")
    end = _int_series(districts, "end_year")
    out = []
    phase = phase.mask((_district_kind(districts) == "done").to_numpy())  # built before
    for number in sorted(int(p) for p in phase.dropna().unique()):
        ids = phase.index[(phase == number).fillna(False).to_numpy()]
        s, e = start.loc[ids].dropna(), end.loc[ids].dropna()
        out.append(
            PhaseInfo(
                number,
                tuple(str(i) for i in ids),
                int(s.min()) if len(s) else None,
                int(e.max()) if len(e) else None,
            )
        )
    return out


def _district_kind(districts: gpd.GeoDataFrame) -> pd.Series:
    """``phase`` / ``done`` / ``individual`` / ``existing`` / ``other`` for each district."""
    rec = districts.get("recommendation", pd.Series("", index=districts.index)).astype("string")
    status = districts.get("status", pd.Series("", index=districts.index)).astype("string")
    phase = _int_series(districts, "phase")
    kind = pd.Series("other", index=districts.index, dtype=object)
    kind[((status == "existing_dh") | (rec == "existing_dh")).fillna(False).to_numpy()] = "existing"
    indiv = ((rec == "individual_heat_pump") | (status == "individual")).fillna(False)
    kind[indiv.to_numpy()] = "individual"
    kind[phase.notna().to_numpy() & ~indiv.to_numpy()] = "phase"
    # district heating without a phase, or finished without starting in the plan period:
    # built before the plan period
    start, end = _int_series(districts, "start_year"), _int_series(districts, "end_year")
    before = phase.isna().to_numpy() | (start.isna() & end.notna()).to_numpy()
    done = (rec == "district_heating").fillna(False).to_numpy() & before
    kind[done] = "done"
    return kind


# ------------------------------------------------------------------ geometry to artists


def _polygon_path(geoms: Iterable) -> list[MplPath]:
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


def _line_segments(geoms: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Coordinate arrays of every line part, and the index of the row each part came from."""
    geoms = np.asarray(geoms, dtype=object)
    keep = ~shapely.is_missing(geoms)
    parts, index = shapely.get_parts(geoms[keep], return_index=True)
    rows = np.flatnonzero(keep)[index]
    coords = [np.asarray(shapely.get_coordinates(p)) for p in parts]
    return coords, rows


def _add_polygons(ax, geoms, **style) -> None:
    paths = _polygon_path(geoms)
    if paths:
        ax.add_collection(PatchCollection([PathPatch(p) for p in paths], **style))


def _compound_path(coords: list[np.ndarray]) -> MplPath:
    """One path holding many polylines (MOVETO at each start), drawn as one object."""
    verts = np.concatenate(coords)
    codes = np.full(len(verts), MplPath.LINETO, dtype=np.uint8)
    starts = np.cumsum([0] + [len(c) for c in coords[:-1]])
    codes[starts] = MplPath.MOVETO
    return MplPath(verts, codes)


def _add_lines(ax, geoms, widths, colours, zorder: float) -> None:
    """Draw lines grouped by (colour, width): one compound path per group keeps PDFs small."""
    coords, rows = _line_segments(geoms)
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
        paths.append(_compound_path(parts))
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


def _points(gdf: gpd.GeoDataFrame) -> np.ndarray:
    geoms = gdf.geometry.to_numpy()
    keep = ~shapely.is_missing(geoms)
    pts = shapely.point_on_surface(geoms[keep])
    return shapely.get_coordinates(pts)


# ------------------------------------------------------------------ map furniture


def _nice_length(span_m: float) -> float:
    """A round scale-bar length near a fifth of ``span_m`` metres (1, 2 or 5 × 10^n)."""
    target = span_m / 5
    power = 10 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * power <= target:
            return step * power
    return power


def _scale_bar(ax, lang: str) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    left, base = x0 + 0.03 * (x1 - x0), y0 + 0.035 * (y1 - y0)
    height = 0.008 * (y1 - y0)
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (left + i * length / 4, base),
                length / 4,
                height,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.8,
                zorder=20,
            )
        )
    unit, div = ("km", 1000.0) if length >= 1000 else ("m", 1.0)
    for frac in (0.0, 0.5, 1.0):
        label = format_number(frac * length / div, 1 if (frac * length / div) % 1 else 0, lang)
        ax.text(
            left + frac * length,
            base + 1.8 * height,
            label,
            ha="center",
            va="bottom",
            fontsize=9,
            zorder=20,
            path_effects=_halo(),
        )
    ax.text(
        left + length + 0.01 * (x1 - x0),
        base + height / 2,
        unit,
        ha="left",
        va="center",
        fontsize=9,
        zorder=20,
        path_effects=_halo(),
    )


def _north_arrow(ax, lang: str) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x = x1 - 0.04 * (x1 - x0)
    y = y1 - 0.14 * (y1 - y0)
    dy = 0.07 * (y1 - y0)
    ax.add_patch(
        FancyArrow(
            x,
            y,
            0,
            dy,
            width=0.006 * (x1 - x0),
            head_width=0.02 * (x1 - x0),
            head_length=0.03 * (y1 - y0),
            length_includes_head=True,
            color="black",
            zorder=20,
        )
    )
    ax.text(
        x,
        y + dy + 0.01 * (y1 - y0),
        text("north", lang),
        ha="center",
        va="bottom",
        fontsize=14,
        fontweight="bold",
        zorder=20,
        path_effects=_halo(),
    )


def _halo(width: float = 3.0):
    return [patheffects.withStroke(linewidth=width, foreground="white")]


def _fit_extent(bounds: tuple[float, float, float, float], aspect: float, margin: float = 0.05):
    """Expand ``bounds`` by ``margin`` and to the axes' width/height ``aspect``."""
    minx, miny, maxx, maxy = bounds
    w, h = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
    w, h = w * (1 + 2 * margin), h * (1 + 2 * margin)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return (cx - w / 2, cx + w / 2), (cy - h / 2, cy + h / 2)


# ------------------------------------------------------------------ the sheets


@dataclass(frozen=True)
class _Layers:
    districts: gpd.GeoDataFrame
    kind: pd.Series
    phase: pd.Series
    trenches: gpd.GeoDataFrame
    trench_phase: pd.Series
    properties: gpd.GeoDataFrame
    prop_phase: pd.Series


def _prepare(plan: Plan) -> _Layers:
    districts = plan.districts
    kind = _district_kind(districts)
    phase = _int_series(districts, "phase")
    trenches = plan.trenches
    if "is_built" in trenches:  # routed for the economics but not dug: not on the map
        trenches = trenches[trenches["is_built"].astype("boolean").fillna(False).to_numpy()]
    if "phase" in trenches:
        tphase = _int_series(trenches, "phase")
    elif "district_id" in trenches:
        tphase = pd.Series(
            pd.array(trenches["district_id"].map(phase), dtype="Int64"), index=trenches.index
        )
    else:
        tphase = pd.Series(pd.array([None] * len(trenches), dtype="Int64"), index=trenches.index)
    props = plan.properties
    if "recommendation" in props:
        props = props[props["recommendation"].isin(["district_heating", "individual_heat_pump"])]
    elif "is_to_convert" in props:
        props = props[props["is_to_convert"].astype(bool)]
    pphase = _int_series(props, "phase")
    done = districts.index[(kind == "done").to_numpy()]
    if len(done):  # built before the plan period: existing network, not a phase's works
        if "district_id" in trenches:
            tphase = tphase.mask(trenches["district_id"].isin(done).to_numpy())
        if "district_id" in props:
            pphase = pphase.mask(props["district_id"].isin(done).to_numpy())
    return _Layers(districts, kind, phase, trenches, tphase, props, pphase)


def _draw_map(ax, plan: Plan, layers: _Layers, lang: str, focus: PhaseInfo | None) -> None:
    districts, kind = layers.districts, layers.kind
    faded = pd.Series(False, index=districts.index)
    if focus is not None:
        faded = ~districts.index.isin(focus.district_ids)
        faded = pd.Series(faded, index=districts.index)

    # areas
    for what, face, hatch in (
        ("other", OTHER_AREA_COLOUR, None),
        ("existing", EXISTING_AREA_COLOUR, None),
        ("done", EXISTING_AREA_COLOUR, "..."),
        ("individual", "white", "///"),
    ):
        sel = districts[(kind == what).to_numpy()]
        _add_polygons(
            ax,
            sel.geometry,
            facecolor=face,
            edgecolor=INDIVIDUAL_COLOUR if what == "individual" else "#737373",
            hatch=hatch,
            linewidth=0.6,
            zorder=1,
        )
    for info in plan_phases(plan):
        ids = list(info.district_ids)
        sel = districts.loc[ids]
        colour = phase_colour(info.phase)
        dim = focus is not None and focus.phase != info.phase
        _add_polygons(
            ax,
            sel.geometry,
            facecolor=OTHER_PHASE_COLOUR if dim else colour,
            alpha=1.0 if dim else 0.30,
            edgecolor="none",
            zorder=2,
        )
        _add_polygons(
            ax,
            sel.geometry,
            facecolor="none",
            edgecolor=OTHER_PHASE_EDGE if dim else colour,
            linewidth=0.8 if dim else 1.8,
            zorder=3,
        )

    # existing network and new trenches
    if len(plan.dh_network):
        _add_lines(ax, plan.dh_network.geometry.to_numpy(), 2.2, EXISTING_NET_COLOUR, zorder=5)
    trenches = layers.trenches
    if len(trenches):
        dn = trenches["dn"] if "dn" in trenches else pd.Series(np.nan, index=trenches.index)
        colours = np.array(
            [
                EXISTING_NET_COLOUR
                if pd.isna(p)
                else (phase_colour(p) if focus is None or focus.phase == p else "#bdbdbd")
                for p in layers.trench_phase
            ],
            dtype=object,
        )
        _add_lines(ax, trenches.geometry.to_numpy(), dn_width(dn.to_numpy()), colours, zorder=6)

    # properties as points
    props = layers.properties
    pphase_all = layers.prop_phase
    if focus is not None:  # a phase sheet shows only its own properties
        keep = (pphase_all == focus.phase).fillna(False).to_numpy()
        props, pphase_all = props[keep], pphase_all[keep]
    if len(props):
        xy = _points(props)
        geoms_ok = ~shapely.is_missing(props.geometry.to_numpy())
        pphase = pphase_all[geoms_ok]
        rec = props["recommendation"][geoms_ok] if "recommendation" in props else None
        colours = []
        for p, r in zip(pphase, rec if rec is not None else [None] * len(pphase), strict=True):
            if r == "individual_heat_pump":
                colours.append(INDIVIDUAL_COLOUR)
            elif pd.isna(p):
                colours.append("#525252")
            elif focus is None or focus.phase == p:
                colours.append(phase_colour(p))
            else:
                colours.append("#bdbdbd")
        size = float(np.clip(4000 / max(len(xy), 1), 1.0, 12.0))
        colours_arr = np.asarray(colours, dtype=object)
        # one marker line per colour: the PDF then stores one marker and its positions
        for colour in sorted(set(colours)):
            sel = colours_arr == colour
            ax.plot(
                xy[sel, 0],
                xy[sel, 1],
                linestyle="none",
                marker="o",
                markersize=float(np.sqrt(size)),
                markeredgewidth=0,
                color=colour,
                zorder=4,
            )

    # heat sources
    if len(plan.heat_sources):
        xy = _points(plan.heat_sources)
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=110,
            marker="^",
            c=SOURCE_COLOUR,
            edgecolors="white",
            linewidths=1.0,
            zorder=8,
        )

    # labels
    label_ids = districts.index if focus is None else pd.Index(focus.district_ids)
    label_ids = [i for i in label_ids if kind.loc[i] in ("phase", "done", "individual", "existing")]
    if label_ids:
        sel = districts.loc[label_ids]
        anchor = shapely.point_on_surface(sel.geometry.to_numpy())
        start = _int_series(sel, "start_year")
        end = _int_series(sel, "end_year")
        for did, pt in zip(sel.index, anchor, strict=True):
            if pt is None or pt.is_empty:
                continue
            name = str(sel.at[did, "name"]) if "name" in sel else str(did)
            size = 9 if focus is None else 12
            label = name
            if focus is not None or kind.loc[did] == "phase":
                if not pd.isna(start.loc[did]):
                    label = f"{name}\n{year_span(start.loc[did], end.loc[did])}"
            elif kind.loc[did] == "done" and not pd.isna(end.loc[did]):
                label = f"{name}\n{text('built_in', lang, year=format_year(end.loc[did]))}"
            ax.text(
                pt.x,
                pt.y,
                label,
                ha="center",
                va="center",
                fontsize=size,
                zorder=10,
                fontweight="bold" if focus is not None else "normal",
                bbox={
                    "boxstyle": "round,pad=0.25",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.75,
                },
                clip_on=True,
            )


def _legend_handles(plan: Plan, layers: _Layers, lang: str, focus: PhaseInfo | None) -> list:
    handles = []
    for info in plan_phases(plan):
        colour = phase_colour(info.phase)
        if focus is not None and focus.phase != info.phase:
            continue
        handles.append(
            Patch(
                facecolor=colour,
                alpha=0.45,
                edgecolor=colour,
                linewidth=1.5,
                label=text(
                    "legend_phase",
                    lang,
                    phase=info.phase,
                    start=format_year(info.start_year),
                    end=format_year(info.end_year),
                ),
            )
        )
    if focus is not None and len(plan_phases(plan)) > 1:
        handles.append(
            Patch(
                facecolor=OTHER_PHASE_COLOUR,
                edgecolor=OTHER_PHASE_EDGE,
                label=text("legend_other_phase", lang),
            )
        )
    area_styles = (  # (district kind, legend text key, patch style)
        ("individual", "legend_individual",
         {"facecolor": "white", "edgecolor": INDIVIDUAL_COLOUR, "hatch": "///"}),
        ("done", "legend_done_area",
         {"facecolor": EXISTING_AREA_COLOUR, "edgecolor": "#737373", "hatch": "..."}),
        ("existing", "legend_existing_area",
         {"facecolor": EXISTING_AREA_COLOUR, "edgecolor": "#737373"}),
        ("other", "legend_other_area", {"facecolor": OTHER_AREA_COLOUR, "edgecolor": "#737373"}),
    )
    for kind, key, style in area_styles:
        if (layers.kind == kind).any():
            handles.append(Patch(label=text(key, lang), **style))
    if len(plan.dh_network):
        handles.append(
            Line2D(
                [],
                [],
                color=EXISTING_NET_COLOUR,
                linewidth=2.2,
                label=text("legend_existing_net", lang),
            )
        )
    if len(layers.trenches):
        for info in plan_phases(plan):
            if focus is None or focus.phase == info.phase:
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=phase_colour(info.phase),
                        linewidth=2.5,
                        label=text("legend_trench", lang, phase=info.phase),
                    )
                )
        if "dn" in layers.trenches:
            for dn in DN_SAMPLES:
                handles.append(
                    Line2D([], [], color="#525252", linewidth=float(dn_width(dn)), label=f"DN {dn}")
                )
    if len(layers.properties):
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=4,
                color="#525252",
                label=text("legend_properties", lang),
            )
        )
    if len(plan.heat_sources):
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="^",
                markersize=10,
                color=SOURCE_COLOUR,
                label=text("legend_source", lang),
            )
        )
    return handles


def _phase_table(fig: Figure, plan: Plan, focus: PhaseInfo, lang: str, top: float) -> None:
    """A short table of the phase's districts in the side panel."""
    districts = plan.districts.loc[list(focus.district_ids)]
    start = _int_series(districts, "start_year")
    lines = []
    order = districts.assign(_s=start.fillna(9999).astype(int)).sort_values(["_s"]).index
    for did in order:
        row = districts.loc[did]
        name = str(row["name"]) if "name" in districts else str(did)
        years = year_span(row.get("start_year"), row.get("end_year"))
        n = row.get("n_to_convert")
        trench = row.get("trench_m")
        facts = [years]
        if n is not None and not pd.isna(n):
            facts.append(f"{format_number(n, 0, lang)} {text('col_n_to_convert', lang).lower()}")
        if trench is not None and not pd.isna(trench):
            facts.append(f"{format_number(trench / 1000, 1, lang)} km")
        lines.append(f"{name}\n    " + " · ".join(facts))
    shown = lines[:MAX_LISTED_DISTRICTS]
    if len(lines) > len(shown):
        shown.append(text("more_districts", lang, n=len(lines) - len(shown)))
    fig.text(0.755, top, text("sec_districts", lang), fontsize=10, fontweight="bold", va="top")
    fig.text(
        0.755, top - 0.022, "\n".join(shown), fontsize=8.5, va="top", ha="left", linespacing=1.35
    )


def draw_sheet(plan: Plan, *, lang: str = "da", focus: PhaseInfo | None = None) -> Figure:
    """Return one A3 landscape sheet: the overview (``focus`` None) or one phase."""
    check_lang(lang)
    layers = _prepare(plan)
    fig = Figure(figsize=A3_LANDSCAPE_IN)
    map_box = (0.02, 0.05, 0.72, 0.87)  # left, bottom, width, height (figure fraction)
    ax = fig.add_axes(map_box)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(1.0)

    aspect = (map_box[2] * A3_LANDSCAPE_IN[0]) / (map_box[3] * A3_LANDSCAPE_IN[1])
    if focus is not None and focus.district_ids:
        bounds = tuple(plan.districts.loc[list(focus.district_ids)].total_bounds)
    else:
        frames = [g for g in (plan.districts, plan.trenches, plan.dh_network) if len(g)]
        bounds = (
            tuple(pd.concat([f.geometry for f in frames]).total_bounds)
            if frames
            else (0.0, 0.0, 1.0, 1.0)
        )
    xlim, ylim = _fit_extent(bounds, aspect, margin=0.04 if focus is None else 0.10)
    _draw_map(ax, plan, layers, lang, focus)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    _scale_bar(ax, lang)
    _north_arrow(ax, lang)
    if plan.is_synthetic:
        ax.text(
            0.99,
            0.012,
            text("synthetic", lang),
            transform=ax.transAxes,
            fontsize=12,
            fontweight="bold",
            color="#b2182b",
            ha="right",
            va="bottom",
            zorder=30,
            bbox={"boxstyle": "square,pad=0.3", "facecolor": "white", "edgecolor": "#b2182b"},
        )

    # title block
    title = (
        text("overview_title", lang)
        if focus is None
        else text(
            "phase_years",
            lang,
            phase=focus.phase,
            start=format_year(focus.start_year),
            end=format_year(focus.end_year),
        )
    )
    fig.text(0.02, 0.965, text("plan_title", lang), fontsize=13, va="center", color="#404040")
    fig.text(0.02, 0.935, title, fontsize=22, fontweight="bold", va="center")
    if plan.is_synthetic:
        fig.text(
            0.74,
            0.95,
            text("synthetic", lang).upper(),
            fontsize=16,
            fontweight="bold",
            color="#b2182b",
            ha="right",
            va="center",
        )

    # side panel: legend and notes
    handles = _legend_handles(plan, layers, lang, focus)
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.75, 0.92),
        frameon=False,
        fontsize=10,
        handlelength=2.6,
        borderaxespad=0.0,
        labelspacing=0.7,
    )
    if focus is not None:
        _phase_table(fig, plan, focus, lang, top=0.92 - 0.026 * (len(handles) + 1.5))
    muni = ""
    if plan.municipality_code:
        muni = text("municipality", lang, code=plan.municipality_code)
    source = text("source_sample" if plan.is_synthetic else "source_input", lang)
    notes = [muni, text("source_note", lang, source=source)]
    if plan.is_synthetic:
        notes.append(text("synthetic_note", lang))
    fig.text(
        0.755,
        0.05,
        "\n".join(n for n in notes if n),
        fontsize=8,
        va="bottom",
        ha="left",
        color="#404040",
        wrap=True,
    )
    return fig


def draw_phase_maps(plan: Plan, *, lang: str = "da") -> list[tuple[str, Figure]]:
    """Return ``[("overview", fig), ("phase1", fig), …]``: the overview and one sheet per phase."""
    sheets = [("overview", draw_sheet(plan, lang=lang))]
    for info in plan_phases(plan):
        sheets.append((f"phase{info.phase}", draw_sheet(plan, lang=lang, focus=info)))
    return sheets


def save_png(fig: Figure, path: Path, dpi: int = PNG_DPI) -> None:
    """Render ``fig`` at ``dpi`` and save it as an RGB PNG without time or software stamps.

    Rendering once with Agg and letting Pillow encode at a moderate compression level is about
    twice as fast as ``savefig`` for an A3 sheet, with files about 25 % larger.
    """
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    image.convert("RGB").save(path, format="png", compress_level=1, dpi=(dpi, dpi))


def phase_map_paths(plan: Plan, out_dir: Path | str, *, phase_pngs: bool = False) -> list[Path]:
    """Return the files :func:`write_phase_maps` writes into ``out_dir``: PDF first, then PNGs."""
    out_dir = Path(out_dir)
    paths = [out_dir / PDF_NAME, out_dir / PNG_OVERVIEW_NAME]
    if phase_pngs:
        paths += [out_dir / PNG_PHASE_NAME.format(phase=p.phase) for p in plan_phases(plan)]
    return paths


def write_phase_maps(
    plan: Plan,
    out_dir: Path | str,
    *,
    lang: str = "da",
    overwrite: bool = False,
    phase_pngs: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write the multi-page PDF (overview and one page per phase) and PNGs at 200 dpi.

    The PNG is the overview; with ``phase_pngs`` each phase sheet gets its own PNG too (about
    a second each for an A3 sheet at 200 dpi, which is why it is an option). Returns the
    written paths (as :func:`phase_map_paths`). Each file is written atomically.

    Raises
    ------
    OutputExistsError
        If a file exists and ``overwrite`` is false (checked before anything is written).
    """
    from heatplan.io.atomic import check_writable

    paths = phase_map_paths(plan, out_dir, phase_pngs=phase_pngs)
    for path in paths:
        check_writable(path, overwrite=overwrite)
    sheets = draw_phase_maps(plan, lang=lang)
    pdf_path, png_paths = paths[0], paths[1:]
    with (
        atomic_path(pdf_path, overwrite=overwrite) as tmp,
        PdfPages(
            tmp,
            metadata={
                "CreationDate": None,
                "ModDate": None,
                "Creator": "heatplan",
                "Producer": None,
                "Title": text("plan_title", lang),
            },
        ) as pdf,
    ):
        for _, fig in sheets:
            pdf.savefig(fig)
    if progress is not None:
        progress(1)
    for (_, fig), png in zip(sheets, png_paths, strict=False):
        with atomic_path(png, overwrite=overwrite) as tmp:
            save_png(fig, tmp)
        if progress is not None:
            progress(1)
    logger.info(
        "Wrote phase maps: %d sheets to %s and %d PNG files",
        len(sheets),
        pdf_path.name,
        len(png_paths),
    )
    return paths
