"""The map of a phase-map sheet: areas, phases, networks, properties, heat sources, labels.

On a phase sheet (``focus`` given) the other phases are drawn faded and only the focus
phase's properties and district labels are shown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from heatplan.outputs.phase_maps.artists import add_lines, add_polygons, surface_points
from heatplan.outputs.phase_maps.layers import (
    MapLayers,
    PhaseInfo,
    int_series,
    plan_phases,
    year_span,
)
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

LABELLED_KINDS = ("phase", "done", "individual", "existing")
"""District kinds that get a name label on the map."""


def draw_map(ax, plan: Plan, layers: MapLayers, lang: str, focus: PhaseInfo | None) -> None:
    """Draw the plan's map into ``ax`` (the overview when ``focus`` is None)."""
    _draw_areas(ax, layers)
    _draw_phase_areas(ax, plan, layers, focus)
    _draw_networks(ax, plan, layers, focus)
    _draw_properties(ax, layers, focus)
    _draw_heat_sources(ax, plan)
    _draw_labels(ax, layers, lang, focus)


def _draw_areas(ax, layers: MapLayers) -> None:
    """Districts outside the phases: no change, existing, built before the plan, individual."""
    districts, kind = layers.districts, layers.kind
    for what, face, hatch in (
        ("other", OTHER_AREA_COLOUR, None),
        ("existing", EXISTING_AREA_COLOUR, None),
        ("done", EXISTING_AREA_COLOUR, "..."),
        ("individual", "white", "///"),
    ):
        sel = districts[(kind == what).to_numpy()]
        add_polygons(
            ax,
            sel.geometry,
            facecolor=face,
            edgecolor=INDIVIDUAL_COLOUR if what == "individual" else AREA_EDGE_COLOUR,
            hatch=hatch,
            linewidth=0.6,
            zorder=1,
        )


def _draw_phase_areas(ax, plan: Plan, layers: MapLayers, focus: PhaseInfo | None) -> None:
    """Each phase's districts: a light fill and a strong outline in the phase's colour."""
    for info in plan_phases(plan):
        sel = layers.districts.loc[list(info.district_ids)]
        colour = phase_colour(info.phase)
        dim = focus is not None and focus.phase != info.phase
        add_polygons(
            ax,
            sel.geometry,
            facecolor=OTHER_PHASE_COLOUR if dim else colour,
            alpha=1.0 if dim else 0.30,
            edgecolor="none",
            zorder=2,
        )
        add_polygons(
            ax,
            sel.geometry,
            facecolor="none",
            edgecolor=OTHER_PHASE_LINE_COLOUR if dim else colour,
            linewidth=0.8 if dim else 1.8,
            zorder=3,
        )


def _draw_networks(ax, plan: Plan, layers: MapLayers, focus: PhaseInfo | None) -> None:
    """The existing network, then the new trenches by phase with line width by DN."""
    if len(plan.dh_network):
        add_lines(
            ax,
            plan.dh_network.geometry.to_numpy(),
            EXISTING_NET_WIDTH_PT,
            EXISTING_NET_COLOUR,
            zorder=5,
        )
    trenches = layers.trenches
    if len(trenches):
        dn = trenches["dn"] if "dn" in trenches else pd.Series(np.nan, index=trenches.index)
        colours = np.array([_trench_colour(p, focus) for p in layers.trench_phase], dtype=object)
        add_lines(ax, trenches.geometry.to_numpy(), dn_width(dn.to_numpy()), colours, zorder=6)


def _trench_colour(phase: object, focus: PhaseInfo | None) -> str:
    """Colour of one trench: existing network (no phase), its phase, or faded."""
    if pd.isna(phase):
        return EXISTING_NET_COLOUR
    if focus is None or focus.phase == phase:
        return phase_colour(phase)
    return OTHER_PHASE_LINE_COLOUR


def _property_colour(phase: object, recommendation: object, focus: PhaseInfo | None) -> str:
    """Colour of one property's point: individual heating, no phase, its phase, or faded."""
    if recommendation == "individual_heat_pump":
        return INDIVIDUAL_COLOUR
    if pd.isna(phase):
        return NEUTRAL_COLOUR
    if focus is None or focus.phase == phase:
        return phase_colour(phase)
    return OTHER_PHASE_LINE_COLOUR


def _draw_properties(ax, layers: MapLayers, focus: PhaseInfo | None) -> None:
    """Properties as small points; a phase sheet shows only its own properties."""
    props = layers.properties
    pphase_all = layers.prop_phase
    if focus is not None:
        keep = (pphase_all == focus.phase).fillna(False).to_numpy()
        props, pphase_all = props[keep], pphase_all[keep]
    if not len(props):
        return
    xy = surface_points(props)
    geoms_ok = ~shapely.is_missing(props.geometry.to_numpy())
    pphase = pphase_all[geoms_ok]
    rec = props["recommendation"][geoms_ok] if "recommendation" in props else None
    colours = [
        _property_colour(p, r, focus)
        for p, r in zip(pphase, rec if rec is not None else [None] * len(pphase), strict=True)
    ]
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


def _draw_heat_sources(ax, plan: Plan) -> None:
    """Heat sources as triangles."""
    if not len(plan.heat_sources):
        return
    xy = surface_points(plan.heat_sources)
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


def _district_label(
    name: str, kind: str, start: object, end: object, lang: str, focus: PhaseInfo | None
) -> str:
    """A district's name, with its construction years (or the year it was built) below."""
    if focus is not None or kind == "phase":
        if not pd.isna(start):
            return f"{name}\n{year_span(start, end)}"
    elif kind == "done" and not pd.isna(end):
        return f"{name}\n{text('built_in', lang, year=format_year(end))}"
    return name


def _draw_labels(ax, layers: MapLayers, lang: str, focus: PhaseInfo | None) -> None:
    """Name labels of the districts (on a phase sheet: of the phase's districts only)."""
    districts, kind = layers.districts, layers.kind
    label_ids = districts.index if focus is None else pd.Index(focus.district_ids)
    label_ids = [i for i in label_ids if kind.loc[i] in LABELLED_KINDS]
    if not label_ids:
        return
    sel = districts.loc[label_ids]
    anchor = shapely.point_on_surface(sel.geometry.to_numpy())
    start = int_series(sel, "start_year")
    end = int_series(sel, "end_year")
    for did, pt in zip(sel.index, anchor, strict=True):
        if pt is None or pt.is_empty:
            continue
        name = str(sel.at[did, "name"]) if "name" in sel else str(did)
        label = _district_label(name, kind.loc[did], start.loc[did], end.loc[did], lang, focus)
        ax.text(
            pt.x,
            pt.y,
            label,
            ha="center",
            va="center",
            fontsize=9 if focus is None else 12,
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
