"""Map furniture of a phase-map sheet: the scale bar and the north arrow."""

from __future__ import annotations

import math

from matplotlib import patheffects
from matplotlib.patches import FancyArrow, Rectangle

from heatplan.outputs.texts import format_number, text


def _nice_length(span_m: float) -> float:
    """A round scale-bar length near a fifth of ``span_m`` metres (1, 2 or 5 × 10^n)."""
    target = span_m / 5
    power = 10 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * power <= target:
            return step * power
    return power


def scale_bar(ax, lang: str) -> None:
    """Draw a four-part scale bar in the lower left corner of the map (axes in metres)."""
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


def north_arrow(ax, lang: str) -> None:
    """Draw the north arrow in the upper right corner of the map."""
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
    """A white outline (``width`` in points) that keeps text readable over the map."""
    return [patheffects.withStroke(linewidth=width, foreground="white")]
