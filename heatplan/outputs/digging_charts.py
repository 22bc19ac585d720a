"""The digging schedule's charts: a Gantt chart by district and quarter, and a map of the works.

Both are A4 landscape and readable in black and white: the Gantt chart's phases differ by
hatching as well as by colour (Okabe–Ito, :mod:`heatplan.outputs.style`), the crews panel marks
quarters over capacity by hatching, and the map's years run from dark to light (cividis,
colour-blind safe and monotone in lightness) with numbered conflict markers listed beside the
map. Files are deterministic: PNGs at 200 dpi without stamps, PDFs without dates.
"""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib.patheffects
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from heatplan.io.atomic import atomic_path
from heatplan.outputs.digging import plan_line, quarter_text, word
from heatplan.outputs.style import AREA_EDGE_COLOUR, INDIVIDUAL_COLOUR, phase_colour
from heatplan.outputs.texts import check_lang, format_number, lookup, text
from heatplan.plan.conflicts import work_type_text
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

GANTT_NAMES = ("heatplan_gravetidsplan_gantt.pdf", "heatplan_gravetidsplan_gantt.png")
"""The Gantt chart's files: PDF, then PNG."""
MAP_NAMES = ("heatplan_gravetidsplan_kort.pdf", "heatplan_gravetidsplan_kort.png")
"""The works map's files: PDF, then PNG."""
A4_LANDSCAPE_IN = (11.69, 8.27)
"""A4 landscape, 297 × 210 mm, in inches."""
PHASE_HATCHES = ("", "///", "xxx", "...", "\\\\\\", "+++")
"""Hatching of phase 1, 2, … in the Gantt chart (black-and-white print)."""
MAX_LISTED_CONFLICTS = 24
"""Conflicts listed beside the map (the rest are counted)."""
SYNTHETIC_COLOUR = "#b2182b"

CHART_WORDS: dict[str, dict[str, str]] = {
    "gantt_title": {"da": "Gravetidsplan: gravearbejde pr. distrikt og kvartal",
                    "en": "Digging schedule: works by district and quarter"},
    "gantt_cell": {"da": "Tal i feltet: km tracé gravet i kvartalet; ! konflikt med andre "
                   "arbejder; * fremrykket, forsyner andre pakker", "en": "Figure in a cell: "
                   "km of trench dug in the quarter; ! conflict with other works; * moved "
                   "earlier, feeds other packages"},
    "crews": {"da": "Hold", "en": "Crews"},
    "crews_needed": {"da": "Hold nødvendige", "en": "Crews needed"},
    "crews_over": {"da": "Over kapacitet", "en": "Over capacity"},
    "crews_available": {"da": "Hold til rådighed", "en": "Crews available"},
    "map_title": {"da": "Gravetidsplan: gravearbejder og andre arbejder i vejene",
                  "en": "Digging schedule: works and other works in the streets"},
    "map_year": {"da": "Graves {year}", "en": "Dug in {year}"},
    "map_other": {"da": "Andet arbejde i vejen (nr.)", "en": "Other work in the street (no.)"},
    "map_conflict": {"da": "Konflikt (nr. i listen)", "en": "Conflict (no. in the list)"},
    "map_list": {"da": "Konflikter", "en": "Conflicts"},
    "map_more": {"da": "… og {n} mere (se regnearket)", "en": "… and {n} more (see the "
                 "workbook)"},
    "map_none": {"da": "Ingen konflikter med andre arbejder.", "en": "No conflicts with other "
                 "works."},
    "municipality": {"da": "Kommunekode {code}", "en": "Municipality code {code}"},
    "nothing": {"da": "Planen graver ingen nye ledninger.", "en": "The plan digs no new mains."},
}
"""The charts' words in Danish and English."""


def chart_word(key: str, lang: str, **fields: object) -> str:
    """The chart word ``key`` in ``lang`` with ``fields`` filled in."""
    return lookup(CHART_WORDS, key, lang, **fields)


def _heading(fig: Figure, plan: Plan, title: str, lang: str) -> None:
    """Title, the plan line with the municipality, and the synthetic mark."""
    fig.text(0.02, 0.975, title, fontsize=14, fontweight="bold", va="top")
    sub = plan_line(plan, lang)
    if plan.municipality_code:
        sub = f"{chart_word('municipality', lang, code=plan.municipality_code)} · {sub}"
    fig.text(0.02, 0.935, sub, fontsize=8.5, va="top", color="#404040")
    if plan.is_synthetic:
        fig.text(0.98, 0.975, text("synthetic", lang).upper(), fontsize=10,
                 fontweight="bold", color=SYNTHETIC_COLOUR, ha="right", va="top")


# ------------------------------------------------------------------ Gantt chart


def _cells(plan: Plan) -> tuple[pd.DataFrame, list[tuple[int, int]]]:
    """Metres, phase and conflicts per district and quarter, and the quarters in order."""
    pk = pd.DataFrame(plan.work_packages).copy()
    pk["slot"] = list(zip(pk["construction_year"].astype(int), pk["quarter"].astype(int),
                          strict=True))
    grouped = pk.groupby(["district_id", "slot"])
    cells = pd.DataFrame({"length_m": grouped["length_m"].sum(),
                          "phase": grouped["phase"].first(),
                          "n_conflicts": grouped["n_conflicts"].sum(),
                          "moved": grouped["is_moved_earlier"].any()}).reset_index()
    first, last = min(pk["slot"]), max(pk["slot"])
    slots = [(y, q) for y in range(first[0], last[0] + 1) for q in range(1, 5)
             if first <= (y, q) <= last]
    return cells, slots


def gantt_chart(plan: Plan, *, lang: str = "da") -> Figure | None:
    """The Gantt chart: districts by quarter (km dug, phase colour and hatching), and below
    it the crews needed per quarter against the crews available. None without packages."""
    check_lang(lang)
    if plan.work_packages is None or not len(plan.work_packages):
        return None
    cells, slots = _cells(plan)
    col = {s: i for i, s in enumerate(slots)}
    order = (cells.assign(first=cells["slot"].map(col)).groupby("district_id")["first"].min()
             .sort_values(kind="mergesort"))
    districts = list(order.index)
    row = {d: i for i, d in enumerate(districts)}
    fig = Figure(figsize=A4_LANDSCAPE_IN)
    _heading(fig, plan, chart_word("gantt_title", lang), lang)
    ax = fig.add_axes((0.17, 0.30, 0.80, 0.56))
    for r in cells.itertuples():
        phase = int(r.phase) if pd.notna(r.phase) else 0
        x, y = col[r.slot], row[r.district_id]
        ax.add_patch(Rectangle((x + 0.04, y - 0.36), 0.92, 0.72, linewidth=0.6,
                               facecolor=phase_colour(phase) if phase else INDIVIDUAL_COLOUR,
                               edgecolor="black",
                               hatch=PHASE_HATCHES[(phase - 1) % len(PHASE_HATCHES)]
                               if phase else ""))
        label = (format_number(r.length_m / 1000, 1, lang) + ("*" if r.moved else "")
                 + (" !" if r.n_conflicts else ""))
        ax.text(x + 0.5, y, label, ha="center", va="center", fontsize=6.5,
                bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.85})
    names = plan.districts["name"] if "name" in plan.districts.columns else pd.Series(dtype=str)
    ax.set_yticks(range(len(districts)),
                  [f"{d} {names.get(d, '')}".strip() for d in districts], fontsize=7.5)
    ax.set_ylim(len(districts) - 0.5, -0.5)
    _quarter_axis(ax, slots, lang, labels=False)
    phases = sorted({int(p) for p in cells["phase"].dropna()})
    handles = [Patch(facecolor=phase_colour(p), edgecolor="black",
                     hatch=PHASE_HATCHES[(p - 1) % len(PHASE_HATCHES)],
                     label=text("legend_phase_short", lang, phase=p)) for p in phases]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=6,
              fontsize=8, frameon=False, borderaxespad=0.3)
    ax.text(1.0, 1.01, chart_word("gantt_cell", lang), transform=ax.transAxes, ha="right",
            va="bottom", fontsize=7.5, color="#404040")
    _crews_panel(fig.add_axes((0.17, 0.07, 0.80, 0.17)), plan, slots, col, lang)
    return fig


def _quarter_axis(ax, slots: list[tuple[int, int]], lang: str, *, labels: bool) -> None:
    """Quarters along x: a grid line per quarter, a heavier one per year; labels below."""
    ax.set_xlim(0, len(slots))
    for i, (_, q) in enumerate(slots):
        ax.axvline(i, color="black" if q == 1 else "#cccccc",
                   linewidth=0.9 if q == 1 else 0.4, zorder=0)
    ax.set_xticks([i + 0.5 for i in range(len(slots))])
    ax.set_xticklabels([word("quarter", lang, q=q) if labels else "" for _, q in slots],
                       fontsize=7)
    ax.tick_params(axis="x", length=0)
    if labels:
        for year in sorted({y for y, _ in slots}):
            idx = [i for i, (y, _) in enumerate(slots) if y == year]
            ax.text((idx[0] + idx[-1] + 1) / 2, -0.16, str(year), ha="center", va="top",
                    transform=ax.get_xaxis_transform(), fontsize=8.5, fontweight="bold")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _crews_panel(ax, plan: Plan, slots: list[tuple[int, int]], col: dict, lang: str) -> None:
    """Bars of crews needed per quarter (hatched when over capacity), a step of crews
    available."""
    crews = plan.work_crews
    needed = np.zeros(len(slots))
    over = np.zeros(len(slots), dtype=bool)
    have = np.full(len(slots), np.nan)
    for r in crews.itertuples():
        i = col.get((int(r.year), int(r.quarter)))
        if i is not None:
            needed[i], over[i], have[i] = r.crews_needed, r.is_over_capacity, r.crews_available
    x = np.arange(len(slots)) + 0.5
    ax.bar(x, needed, width=0.8, color="#bdbdbd", edgecolor="black", linewidth=0.5,
           hatch=["xxxx" if o else "" for o in over])
    known = pd.Series(have).ffill().bfill().to_numpy()
    ax.step(np.append(np.arange(len(slots)), len(slots)), np.append(known, known[-1:]),
            where="post", color="black", linestyle="--", linewidth=1.2)
    ax.set_ylabel(chart_word("crews", lang), fontsize=8)
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(
        lambda v, _p: format_number(v, 0, lang)))
    ax.tick_params(axis="y", labelsize=7)
    _quarter_axis(ax, slots, lang, labels=True)
    handles = [Patch(facecolor="#bdbdbd", edgecolor="black",
                     label=chart_word("crews_needed", lang)),
               Patch(facecolor="#bdbdbd", edgecolor="black", hatch="xxxx",
                     label=chart_word("crews_over", lang)),
               Line2D([], [], color="black", linestyle="--",
                      label=chart_word("crews_available", lang))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 1.25), ncols=3,
              fontsize=7.5, frameon=False)


# ------------------------------------------------------------------ the works map


YEAR_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#e69f00", "#56b4e9", "#000000", "#cc79a7")
"""Colours of the digging years, first year first: Okabe–Ito (:mod:`heatplan.outputs.style`),
ordered so that neighbouring years differ in hue and lightness."""
YEAR_DASHES = ("solid", (0, (5, 2)), (0, (5, 2, 1, 2)), (0, (1, 1.5)))
"""Line styles of the digging years (repeating), so that black-and-white prints tell them
apart."""
OTHER_WORK_COLOUR = "#9e9e9e"
"""The band drawn under the streets of other works."""


def year_colours(years: list[int]) -> dict[int, str]:
    """A colour per year, first year first (the palette repeats after seven years)."""
    return {int(y): YEAR_COLOURS[i % len(YEAR_COLOURS)] for i, y in enumerate(sorted(years))}


def year_dash(years: list[int], year: int) -> object:
    """The line style of ``year`` among ``years``."""
    return YEAR_DASHES[sorted(years).index(year) % len(YEAR_DASHES)]


def conflict_points(plan: Plan) -> list[shapely.Point]:
    """Where each conflict (in table order) is marked: on the package, inside the other work's
    area."""
    pk, works = plan.work_packages, plan.planned_works
    buffer_m = (float(plan.scenario.value("works.conflict_buffer_m"))
                if plan.scenario is not None else 10.0)
    points = []
    for r in plan.work_conflicts.itertuples():
        line = pk.geometry[r.package_id]
        zone = shapely.buffer(works.geometry[r.work_id], max(buffer_m, 0.5))
        shared = shapely.intersection(line, zone)
        points.append(shapely.point_on_surface(shared if not shared.is_empty else line))
    return points


def works_map(plan: Plan, *, lang: str = "da") -> Figure | None:
    """The works map: packages by year, the other works, numbered conflicts listed beside
    the map, scale bar and north arrow. None without packages."""
    check_lang(lang)
    pk = plan.work_packages
    if pk is None or not len(pk) or not hasattr(pk, "geometry"):
        return None
    from heatplan.outputs.phase_maps.furniture import north_arrow, scale_bar

    fig = Figure(figsize=A4_LANDSCAPE_IN)
    _heading(fig, plan, chart_word("map_title", lang), lang)
    ax = fig.add_axes((0.02, 0.04, 0.66, 0.86))
    ax.set_aspect("equal")
    ax.set_axis_off()
    _draw_context(ax, plan)
    colours = year_colours(sorted(pk["construction_year"].astype(int).unique()))
    works = plan.planned_works
    if works is not None and len(works):
        for geom, wid in zip(works.geometry, works.index, strict=True):
            _draw_geom(ax, geom, color=OTHER_WORK_COLOUR, linewidth=7, alpha=0.55, zorder=2)
            p = shapely.point_on_surface(geom)
            ax.text(p.x, p.y, str(wid), fontsize=5.5, color="#303030", zorder=6,
                    ha="left", va="bottom")
    for year, colour in colours.items():
        dash = year_dash(list(colours), year)
        for geom in pk.geometry[pk["construction_year"] == year]:
            _draw_geom(ax, geom, color=colour, linewidth=1.3, linestyle=dash, zorder=3)
    for i, point in enumerate(conflict_points(plan), start=1):
        ax.plot(point.x, point.y, marker="o", markersize=9, markerfacecolor="white",
                markeredgecolor="black", zorder=7)
        ax.text(point.x, point.y, str(i), fontsize=5.5, ha="center", va="center", zorder=8)
    _district_labels(ax, plan)
    _fit(ax, pk, works)
    scale_bar(ax, lang)
    north_arrow(ax, lang)
    _map_panel(fig, plan, colours, lang)
    return fig


def _draw_context(ax, plan: Plan) -> None:
    """District outlines and streets, light, for orientation."""
    districts = plan.districts
    if hasattr(districts, "geometry"):
        for geom in districts.geometry:
            if geom is not None:
                for ring in shapely.get_parts(shapely.boundary(geom)):
                    xy = shapely.get_coordinates(ring)
                    ax.plot(xy[:, 0], xy[:, 1], color=AREA_EDGE_COLOUR, linewidth=0.5,
                            zorder=1)
    streets = plan.streets
    if streets is not None and len(streets) and hasattr(streets, "geometry"):
        for geom in streets.geometry:
            _draw_geom(ax, geom, color="#d9d9d9", linewidth=0.4, zorder=0)


def _district_labels(ax, plan: Plan) -> None:
    """The id of each district with works, inside it."""
    districts = plan.districts
    if not hasattr(districts, "geometry"):
        return
    dug = set(plan.work_packages["district_id"].astype(str))
    for did, geom in districts.geometry.items():
        if str(did) in dug and geom is not None:
            p = shapely.point_on_surface(geom)
            ax.text(p.x, p.y, str(did), fontsize=8, fontweight="bold", color="#303030",
                    ha="center", va="center", zorder=9, path_effects=[mpl.patheffects.withStroke(
                        linewidth=2.5, foreground="white")])


def _draw_geom(ax, geom, **style) -> None:
    """Draw a line or polygon geometry's lines (a polygon by its outline)."""
    if geom is None or geom.is_empty:
        return
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = shapely.boundary(geom)
    for part in shapely.get_parts(geom):
        xy = shapely.get_coordinates(part)
        ax.plot(xy[:, 0], xy[:, 1], solid_capstyle="round", **style)


def _fit(ax, pk, works) -> None:
    """The map extent: the packages and the other works, with a margin, at the axes' aspect."""
    bounds = np.array(pk.total_bounds, dtype=float)
    if works is not None and len(works):
        wb = np.array(works.total_bounds, dtype=float)
        bounds = np.array([min(bounds[0], wb[0]), min(bounds[1], wb[1]),
                           max(bounds[2], wb[2]), max(bounds[3], wb[3])])
    cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    w, h = (bounds[2] - bounds[0]) * 1.08 + 200, (bounds[3] - bounds[1]) * 1.08 + 200
    aspect = (0.66 * A4_LANDSCAPE_IN[0]) / (0.86 * A4_LANDSCAPE_IN[1])
    w, h = max(w, h * aspect), max(h, w / aspect)
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)


def _map_panel(fig: Figure, plan: Plan, colours: dict[int, str], lang: str) -> None:
    """Legend and the numbered list of conflicts beside the map."""
    handles = [Line2D([], [], color=c, linewidth=1.6, linestyle=year_dash(list(colours), y),
                      label=chart_word("map_year", lang, year=y)) for y, c in colours.items()]
    handles += [Line2D([], [], color=OTHER_WORK_COLOUR, alpha=0.55, linewidth=7,
                       label=chart_word("map_other", lang)),
                Line2D([], [], marker="o", markersize=8, markerfacecolor="white",
                       markeredgecolor="black", linestyle="",
                       label=chart_word("map_conflict", lang))]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.70, 0.90), fontsize=7.5,
               frameon=False)
    top = 0.90 - 0.028 * (len(handles) + 1)
    fig.text(0.70, top, chart_word("map_list", lang), fontsize=9, fontweight="bold", va="top")
    conflicts = plan.work_conflicts
    if conflicts is None or not len(conflicts):
        fig.text(0.70, top - 0.03, chart_word("map_none", lang), fontsize=7.5, va="top")
        return
    lines = []
    for i, r in enumerate(conflicts.itertuples(), start=1):
        if i > MAX_LISTED_CONFLICTS:
            lines.append(chart_word("map_more", lang, n=len(conflicts) - MAX_LISTED_CONFLICTS))
            break
        lines.append(textwrap.fill(
            f"{i}. {r.package_id} {r.street_name} "
            f"({quarter_text(r.construction_year, r.quarter, lang)}): "
            f"{work_type_text(r.work_type, lang).lower()} {r.work_year}, "
            f"{r.work_id} – {word(str(r.conflict), lang).lower()}",
            width=58, subsequent_indent="    "))
    fig.text(0.70, top - 0.03, "\n".join(lines), fontsize=6.5, va="top", linespacing=1.4)


# ------------------------------------------------------------------ files


def _save(fig: Figure | None, pdf_path: Path, png_path: Path, *, title: str, plan: Plan,
          lang: str, overwrite: bool) -> None:
    """Write ``fig`` as PDF and PNG (a page saying there are no works when None)."""
    from heatplan.outputs.phase_maps.files import save_png

    if fig is None:
        fig = Figure(figsize=A4_LANDSCAPE_IN)
        _heading(fig, plan, title, lang)
        fig.text(0.5, 0.5, chart_word("nothing", lang), ha="center", va="center", fontsize=12)
    with (atomic_path(pdf_path, overwrite=overwrite) as tmp,
          PdfPages(tmp, metadata={"CreationDate": None, "ModDate": None, "Creator": "heatplan",
                                  "Producer": None, "Title": title}) as pdf):
        pdf.savefig(fig)
    with atomic_path(png_path, overwrite=overwrite) as tmp:
        save_png(fig, tmp)


def write_gantt(plan: Plan, pdf_path: Path | str, png_path: Path | str, *, lang: str = "da",
                overwrite: bool = False) -> None:
    """Write the Gantt chart as PDF and PNG, atomically."""
    _save(gantt_chart(plan, lang=lang), Path(pdf_path), Path(png_path), plan=plan, lang=lang,
          title=chart_word("gantt_title", lang), overwrite=overwrite)
    logger.info("Wrote the Gantt chart %s", Path(pdf_path).name)


def write_works_map(plan: Plan, pdf_path: Path | str, png_path: Path | str, *,
                    lang: str = "da", overwrite: bool = False) -> None:
    """Write the works map as PDF and PNG, atomically."""
    _save(works_map(plan, lang=lang), Path(pdf_path), Path(png_path), plan=plan, lang=lang,
          title=chart_word("map_title", lang), overwrite=overwrite)
    logger.info("Wrote the works map %s", Path(pdf_path).name)
