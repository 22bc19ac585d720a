"""Colours and line widths of the outputs, in one place.

One colour-blind-safe palette serves every output: the phase colours are Okabe and Ito's
palette for colour-vision deficiencies (Okabe & Ito 2008, "Color Universal Design",
jfly.uni-koeln.de/color), which stays distinct for protan, deutan and tritan readers; the phase
maps, report charts, GeoPackage layer styles and the residents' web map all read it from here.
No output tells features apart by colour alone: the maps add hatching, marker shapes or labels.
Colours are hex strings; line widths of the print maps are in points (pt), those of the web map
in screen pixels (px).
"""

from __future__ import annotations

import numpy as np

# --- print outputs: phase maps, report charts, GeoPackage layer styles ---------------------

PHASE_COLOURS = ("#e69f00", "#0072b2", "#cc79a7", "#009e73", "#d55e00", "#56b4e9")
"""Phase 1, 2, … : Okabe–Ito orange, blue, reddish purple, bluish green, vermillion, sky blue
(colour-blind safe; phases 1 and 2 also differ in lightness for greyscale print)."""
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
    ('#e69f00', '#e69f00')
    """
    return PHASE_COLOURS[(int(phase) - 1) % len(PHASE_COLOURS)]


def dn_width(dn: np.ndarray | float) -> np.ndarray:
    """Line width in points for pipe size ``dn`` (mm): 1 pt for DN 25 up to 6 pt for DN 400."""
    values = np.nan_to_num(np.asarray(dn, dtype=float), nan=50.0)
    return np.clip(0.8 + values / 75.0, 0.8, 6.0)


# --- the residents' web map (phases: phase_colour) -----------------------------------------

RESIDENT_MAP_UNSCHEDULED_COLOUR = "#8c6d1f"
"""District heating without a phase yet: properties and planned pipes."""
RESIDENT_MAP_HEAT_PUMP_COLOUR = "#8c8c8c"
"""Individual heating (heat pump): properties (diamonds) and district outlines (dashed)."""
RESIDENT_MAP_CONNECTED_COLOUR = "#595959"
"""Properties that have district heating already (squares)."""
RESIDENT_MAP_OTHER_COLOUR = "#b3b3b3"
"""Properties and districts with no change planned."""
RESIDENT_MAP_OUTLINE_COLOUR = "#1a1a1a"
"""Outline of every marker: keeps light fills at 3:1 contrast against the background."""
RESIDENT_MAP_NETWORK_COLOUR = "#1f1f1f"
"""The existing district-heating network."""
RESIDENT_MAP_STREET_COLOUR = "#ffffff"
"""Streets of the base map (drawn with a grey casing)."""
RESIDENT_MAP_STREET_CASING_COLOUR = "#9a9a9a"
"""Casing of the base map's streets."""
RESIDENT_MAP_BACKGROUND_COLOUR = "#f2efe9"
"""Background of the base map (land)."""
RESIDENT_MAP_MAIN_WEIGHT_PX = 4
"""Line width of planned main pipes, in pixels."""
RESIDENT_MAP_PIPE_WEIGHT_PX = 2.5
"""Line width of planned distribution pipes, in pixels."""
RESIDENT_MAP_NETWORK_WEIGHT_PX = 3
"""Line width of the existing network, in pixels."""
