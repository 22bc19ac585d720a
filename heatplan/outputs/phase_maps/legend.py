"""The legend of a phase-map sheet: one entry per kind of feature drawn on its map."""

from __future__ import annotations

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from heatplan.outputs.phase_maps.layers import MapLayers, PhaseInfo, plan_phases
from heatplan.outputs.style import (
    AREA_EDGE_COLOUR,
    EXISTING_AREA_COLOUR,
    EXISTING_NET_COLOUR,
    EXISTING_NET_WIDTH_PT,
    INDIVIDUAL_COLOUR,
    NEUTRAL_COLOUR,
    OTHER_AREA_COLOUR,
    OTHER_PHASE_COLOUR,
    OTHER_PHASE_LINE_COLOUR,
    SOURCE_COLOUR,
    dn_width,
    phase_colour,
)
from heatplan.outputs.texts import format_year, text
from heatplan.plan.result import Plan

DN_SAMPLES = (50, 100, 200)
"""Pipe sizes (DN, mm) whose line widths the legend shows."""
TRENCH_LEGEND_WIDTH_PT = 2.5
"""Line width of the legend's trench entries, in points."""

_AREA_STYLES = (  # (district kind, legend text key, patch style)
    (
        "individual",
        "legend_individual",
        {"facecolor": "white", "edgecolor": INDIVIDUAL_COLOUR, "hatch": "///"},
    ),
    (
        "done",
        "legend_done_area",
        {"facecolor": EXISTING_AREA_COLOUR, "edgecolor": AREA_EDGE_COLOUR, "hatch": "..."},
    ),
    (
        "existing",
        "legend_existing_area",
        {"facecolor": EXISTING_AREA_COLOUR, "edgecolor": AREA_EDGE_COLOUR},
    ),
    ("other", "legend_other_area", {"facecolor": OTHER_AREA_COLOUR, "edgecolor": AREA_EDGE_COLOUR}),
)


def legend_handles(plan: Plan, layers: MapLayers, lang: str, focus: PhaseInfo | None) -> list:
    """Legend entries (matplotlib handles with labels) of a sheet, in the legend's order."""
    return [
        *_phase_patches(plan, lang, focus),
        *_area_patches(layers, lang),
        *_line_entries(plan, layers, lang, focus),
        *_point_entries(plan, layers, lang),
    ]


def _phase_patches(plan: Plan, lang: str, focus: PhaseInfo | None) -> list:
    """One patch per phase shown (with its years); on a phase sheet, one for the others."""
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
                edgecolor=OTHER_PHASE_LINE_COLOUR,
                label=text("legend_other_phase", lang),
            )
        )
    return handles


def _area_patches(layers: MapLayers, lang: str) -> list:
    """One patch per kind of district outside the phases that the map has."""
    return [
        Patch(label=text(key, lang), **style)
        for kind, key, style in _AREA_STYLES
        if (layers.kind == kind).any()
    ]


def _line_entries(plan: Plan, layers: MapLayers, lang: str, focus: PhaseInfo | None) -> list:
    """The existing network, the trenches of each phase shown, and sample pipe sizes."""
    handles = []
    if len(plan.dh_network):
        handles.append(
            Line2D(
                [],
                [],
                color=EXISTING_NET_COLOUR,
                linewidth=EXISTING_NET_WIDTH_PT,
                label=text("legend_existing_net", lang),
            )
        )
    if not len(layers.trenches):
        return handles
    for info in plan_phases(plan):
        if focus is None or focus.phase == info.phase:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=phase_colour(info.phase),
                    linewidth=TRENCH_LEGEND_WIDTH_PT,
                    label=text("legend_trench", lang, phase=info.phase),
                )
            )
    if "dn" in layers.trenches:
        for dn in DN_SAMPLES:
            width = float(dn_width(dn))
            handles.append(Line2D([], [], color=NEUTRAL_COLOUR, linewidth=width, label=f"DN {dn}"))
    return handles


def _point_entries(plan: Plan, layers: MapLayers, lang: str) -> list:
    """Markers for the properties and the heat sources, when the map has them."""
    handles = []
    if len(layers.properties):
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=4,
                color=NEUTRAL_COLOUR,
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
