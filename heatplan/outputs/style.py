"""Colours and line widths of the outputs, in one place.

The print outputs (phase maps, report charts, GeoPackage layer styles) share one palette; the
residents' web map has its own, brighter palette. Colours are hex strings; line widths of the
print maps are in points (pt), those of the web map in screen pixels (px).
"""

from __future__ import annotations

import numpy as np

# --- print outputs: phase maps, report charts, GeoPackage layer styles ---------------------

PHASE_COLOURS = ("#e66101", "#5e3c99", "#1b9e77", "#d01c8b", "#4d9221", "#b8860b")
"""Phase 1, 2, … (colour-blind safe, distinct in greyscale print)."""
INDIVIDUAL_COLOUR = "#9e9e9e"
"""Individual heating (heat pump): area edges, properties, timeline bars."""
EXISTING_AREA_COLOUR = "#c6dbef"
"""Fill of districts that have district heating already."""
EXISTING_NET_COLOUR = "#08306b"
"""The existing district-heating network, and trenches without a phase."""
EXISTING_NET_WIDTH_PT = 2.2
"""Line width of the existing network on the phase maps, in points."""
OTHER_AREA_COLOUR = "#f7f7f7"
"""Fill of districts with no change planned."""
AREA_EDGE_COLOUR = "#737373"
"""Outline of districts that are not in a phase (other than individual heating)."""
OTHER_PHASE_COLOUR = "#e0e0e0"
"""Fill of the other phases' districts on a phase sheet."""
OTHER_PHASE_LINE_COLOUR = "#bdbdbd"
"""Outlines, trenches and properties of the other phases on a phase sheet."""
NEUTRAL_COLOUR = "#525252"
"""Properties without a phase, and the legend's samples of pipe sizes and properties."""
SOURCE_COLOUR = "#000000"
"""Heat sources."""


def phase_colour(phase: int) -> str:
    """Return the colour of ``phase`` (1-based; the palette repeats after six phases).

    >>> phase_colour(1), phase_colour(7)
    ('#e66101', '#e66101')
    """
    return PHASE_COLOURS[(int(phase) - 1) % len(PHASE_COLOURS)]


def dn_width(dn: np.ndarray | float) -> np.ndarray:
    """Line width in points for pipe size ``dn`` (mm): 1 pt for DN 25 up to 6 pt for DN 400."""
    values = np.nan_to_num(np.asarray(dn, dtype=float), nan=50.0)
    return np.clip(0.8 + values / 75.0, 0.8, 6.0)


# --- the residents' web map -----------------------------------------------------------------

RESIDENT_MAP_PHASE_COLOURS: tuple[str, ...] = (
    "#d7301f",
    "#f28e2b",
    "#7b3294",
    "#2166ac",
    "#e7298a",
    "#8c510a",
)
"""Colour of phase 1, 2, ... on the residents' map; repeats beyond six phases."""
RESIDENT_MAP_UNSCHEDULED_COLOUR = "#b8860b"
"""District heating without a phase yet: properties and planned pipes."""
RESIDENT_MAP_HEAT_PUMP_COLOUR = "#1a9850"
"""Individual heating: properties and district outlines."""
RESIDENT_MAP_EXISTING_DH_COLOUR = "#4d4d4d"
"""Properties that have district heating already."""
RESIDENT_MAP_OTHER_COLOUR = "#a6a6a6"
"""Properties and districts with no change planned."""
RESIDENT_MAP_NETWORK_COLOUR = "#222222"
"""The existing district-heating network."""
RESIDENT_MAP_DISTRICT_COLOUR = "#333333"
"""Symbol of energy districts in the layer control and the legend."""
RESIDENT_MAP_MAIN_WEIGHT_PX = 4
"""Line width of planned main pipes, in pixels."""
RESIDENT_MAP_PIPE_WEIGHT_PX = 2.5
"""Line width of planned distribution pipes, in pixels."""
RESIDENT_MAP_NETWORK_WEIGHT_PX = 3
"""Line width of the existing network, in pixels."""


def resident_map_phase_colour(phase: int) -> str:
    """Return the residents' map colour of ``phase`` (1-based; repeats after six phases).

    >>> resident_map_phase_colour(2)
    '#f28e2b'
    """
    return RESIDENT_MAP_PHASE_COLOURS[(int(phase) - 1) % len(RESIDENT_MAP_PHASE_COLOURS)]
