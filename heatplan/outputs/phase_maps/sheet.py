"""The layout of one phase-map sheet: map frame and extent, title block, legend and side panel.

A sheet is A3 landscape: the map on the left, the legend, the phase's districts and the source
notes in a panel on the right. Positions are fractions of the figure.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from heatplan.core.columns import column_label
from heatplan.outputs.phase_maps.drawing import draw_map
from heatplan.outputs.phase_maps.furniture import north_arrow, scale_bar
from heatplan.outputs.phase_maps.layers import (
    PhaseInfo,
    int_series,
    prepare_layers,
    year_span,
)
from heatplan.outputs.phase_maps.legend import legend_handles
from heatplan.outputs.texts import check_lang, format_number, format_year, text
from heatplan.plan.result import Plan

A3_LANDSCAPE_IN = (16.54, 11.69)
"""A3 landscape, 420 × 297 mm, in inches."""
MAP_BOX = (0.02, 0.05, 0.72, 0.87)
"""The map's left, bottom, width and height (figure fraction)."""
MAX_LISTED_DISTRICTS = 14
"""Districts listed beside a phase map (the rest are counted)."""
SYNTHETIC_COLOUR = "#b2182b"
"""The "synthetic data" marks."""
NOTE_COLOUR = "#404040"
"""The plan title above the sheet title, and the source notes."""
PANEL_LEFT = 0.755
"""Left edge of the side panel's texts (figure fraction)."""


def draw_sheet(plan: Plan, *, lang: str = "da", focus: PhaseInfo | None = None) -> Figure:
    """Return one A3 landscape sheet: the overview (``focus`` None) or one phase."""
    check_lang(lang)
    layers = prepare_layers(plan)
    fig = Figure(figsize=A3_LANDSCAPE_IN)
    ax = _map_axes(fig)
    aspect = (MAP_BOX[2] * A3_LANDSCAPE_IN[0]) / (MAP_BOX[3] * A3_LANDSCAPE_IN[1])
    xlim, ylim = _fit_extent(
        _map_bounds(plan, focus), aspect, margin=0.04 if focus is None else 0.10
    )
    draw_map(ax, plan, layers, lang, focus)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    scale_bar(ax, lang)
    north_arrow(ax, lang)
    if plan.is_synthetic:
        _synthetic_stamp(ax, lang)
    _title_block(fig, plan, lang, focus)
    handles = legend_handles(plan, layers, lang, focus)
    _legend(fig, handles)
    if focus is not None:
        _phase_table(fig, plan, focus, lang, top=0.92 - 0.026 * (len(handles) + 1.5))
    _notes(fig, plan, lang)
    return fig


def _map_axes(fig: Figure):
    """The map's axes: equal scale, no ticks, a thin frame."""
    ax = fig.add_axes(MAP_BOX)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(1.0)
    return ax


def _map_bounds(plan: Plan, focus: PhaseInfo | None) -> tuple[float, float, float, float]:
    """What the map must show (CRS units): the phase's districts, or all districts and lines."""
    if focus is not None and focus.district_ids:
        return tuple(plan.districts.loc[list(focus.district_ids)].total_bounds)
    frames = [g for g in (plan.districts, plan.trenches, plan.dh_network) if len(g)]
    if not frames:
        return (0.0, 0.0, 1.0, 1.0)
    return tuple(pd.concat([f.geometry for f in frames]).total_bounds)


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


def _synthetic_stamp(ax, lang: str) -> None:
    """The "synthetic data" box in the map's lower right corner."""
    ax.text(
        0.99,
        0.012,
        text("synthetic", lang),
        transform=ax.transAxes,
        fontsize=12,
        fontweight="bold",
        color=SYNTHETIC_COLOUR,
        ha="right",
        va="bottom",
        zorder=30,
        bbox={"boxstyle": "square,pad=0.3", "facecolor": "white", "edgecolor": SYNTHETIC_COLOUR},
    )


def _title_block(fig: Figure, plan: Plan, lang: str, focus: PhaseInfo | None) -> None:
    """Plan title, sheet title (overview or phase with its years) and the synthetic mark."""
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
    fig.text(0.02, 0.965, text("plan_title", lang), fontsize=13, va="center", color=NOTE_COLOUR)
    fig.text(0.02, 0.935, title, fontsize=22, fontweight="bold", va="center")
    if plan.is_synthetic:
        fig.text(
            0.74,
            0.95,
            text("synthetic", lang).upper(),
            fontsize=16,
            fontweight="bold",
            color=SYNTHETIC_COLOUR,
            ha="right",
            va="center",
        )


def _legend(fig: Figure, handles: list) -> None:
    """The legend at the top of the side panel."""
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


def _phase_table(fig: Figure, plan: Plan, focus: PhaseInfo, lang: str, top: float) -> None:
    """A short table of the phase's districts in the side panel."""
    districts = plan.districts.loc[list(focus.district_ids)]
    start = int_series(districts, "start_year")
    to_convert = column_label("n_to_convert", lang).lower()
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
            facts.append(f"{format_number(n, 0, lang)} {to_convert}")
        if trench is not None and not pd.isna(trench):
            facts.append(f"{format_number(trench / 1000, 1, lang)} km")
        lines.append(f"{name}\n    " + " · ".join(facts))
    shown = lines[:MAX_LISTED_DISTRICTS]
    if len(lines) > len(shown):
        shown.append(text("more_districts", lang, n=len(lines) - len(shown)))
    fig.text(PANEL_LEFT, top, text("sec_districts", lang), fontsize=10, fontweight="bold", va="top")
    fig.text(
        PANEL_LEFT,
        top - 0.022,
        "\n".join(shown),
        fontsize=8.5,
        va="top",
        ha="left",
        linespacing=1.35,
    )


def _notes(fig: Figure, plan: Plan, lang: str) -> None:
    """Municipality, source and (for the sample) synthetic-data notes at the panel's foot."""
    muni = ""
    if plan.municipality_code:
        muni = text("municipality", lang, code=plan.municipality_code)
    source = text("source_sample" if plan.is_synthetic else "source_input", lang)
    notes = [muni, text("source_note", lang, source=source)]
    if plan.is_synthetic:
        notes.append(text("synthetic_note", lang))
    fig.text(
        PANEL_LEFT,
        0.05,
        "\n".join(n for n in notes if n),
        fontsize=8,
        va="bottom",
        ha="left",
        color=NOTE_COLOUR,
        wrap=True,
    )
