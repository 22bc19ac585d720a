"""Building footprints of the synthetic sample, placed on plots beside the streets.

Every building is a small rotated rectangle whose front lies a setback of 8–30 m from the
centreline of the street it faces; plots follow each other along the street on both sides.
Candidates that would overlap another building, come too close to any street or leave their
neighbourhood cell are dropped, larger buildings (institutions, blocks) taking precedence over
houses. Lengths are metres, areas m², coordinates EPSG:25832.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

logger = logging.getLogger(__name__)

MIN_STREET_CLEARANCE_M = 6.0
"""No footprint comes closer than this to any street centreline, metres."""


@dataclass(frozen=True)
class Municipal:
    """One kind of municipal building (owner type 50) with its count and size."""

    code: str
    count: int
    area_m2: tuple[float, float]
    storeys: float
    years: tuple[int, int]
    kinds: tuple[str, ...]
    """Neighbourhood kinds the building may stand in."""


RESIDENTIAL_KINDS = ("terraced", "villa", "loose_villa", "sparse_villa")
_HOMES = ("apartments", "centre", *RESIDENTIAL_KINDS)

MUNICIPAL_BUILDINGS: tuple[Municipal, ...] = (
    Municipal("321", 1, (7000.0, 8500.0), 3.0, (1972, 1975), ("centre",)),  # rådhus
    Municipal("321", 3, (1200.0, 3000.0), 2.0, (1965, 1990), ("centre", "industrial")),
    Municipal("421", 14, (3000.0, 9000.0), 2.0, (1955, 1976), _HOMES),  # folkeskoler
    Municipal("441", 58, (400.0, 900.0), 1.0, (1962, 1990), (*_HOMES, "hamlet")),
    Municipal("533", 12, (1200.0, 2600.0), 1.0, (1965, 1982), _HOMES),  # idrætshaller
    Municipal("532", 2, (2500.0, 3800.0), 1.0, (1969, 1975), ("centre", "apartments")),
    Municipal("413", 3, (800.0, 3200.0), 2.0, (1968, 1985), ("centre", "terraced", "villa")),
    Municipal("160", 6, (2500.0, 6000.0), 2.0, (1965, 1980), ("apartments", "villa", "centre")),
    Municipal("432", 3, (800.0, 1600.0), 1.0, (1970, 1985), ("villa", "loose_villa")),
    Municipal("531", 18, (150.0, 500.0), 1.0, (1965, 1995), (*_HOMES, "hamlet")),
    Municipal("419", 5, (500.0, 1500.0), 1.0, (1960, 1985), ("centre", "apartments", "villa")),
    Municipal("415", 5, (200.0, 500.0), 1.0, (1955, 1980), (*RESIDENTIAL_KINDS, "hamlet")),
    Municipal("433", 3, (600.0, 1500.0), 1.0, (1970, 1990), ("centre", "apartments")),
    Municipal("223", 2, (800.0, 2000.0), 1.0, (1968, 1985), ("industrial",)),
)
"""Municipal buildings placed as institutions (schools, day care, halls, care homes …)."""

MUNICIPAL_HOUSES = {"120": 14, "131": 8}
"""Ordinary houses the municipality owns (owner type 50), chosen among the placed houses."""


def frames(
    lines: Sequence[LineString], idx: np.ndarray, pos: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Point (n × 2, metres) and unit tangent (n × 2) at ``pos`` metres along ``lines[idx]``."""
    geoms = np.asarray(lines, dtype=object)[idx]
    lengths = shapely.length(geoms)
    p0 = shapely.get_coordinates(shapely.line_interpolate_point(geoms, pos))
    a = shapely.get_coordinates(shapely.line_interpolate_point(geoms, np.clip(pos - 1.0, 0, None)))
    b = shapely.get_coordinates(
        shapely.line_interpolate_point(geoms, np.minimum(pos + 1.0, lengths))
    )
    t = b - a
    t /= np.maximum(np.hypot(t[:, 0], t[:, 1]), 1e-9)[:, None]
    return p0, t


def rectangles(cx, cy, angle, width, depth) -> np.ndarray:
    """Rotated rectangles centred on (cx, cy); ``width`` along ``angle`` (radians), metres."""
    c, s = np.cos(angle), np.sin(angle)
    hw, hd = width / 2.0, depth / 2.0
    corners = []
    for sw, sd in ((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)):
        corners.append(
            np.column_stack([cx + sw * hw * c - sd * hd * s, cy + sw * hw * s + sd * hd * c])
        )
    coords = np.stack(corners, axis=1)
    return shapely.polygons(np.round(coords, 2))


def frontage(
    lines: Sequence[LineString],
    spacing: np.ndarray,
    rng: np.random.Generator,
    margin: float = 14.0,
) -> pd.DataFrame:
    """Plots along both sides of every line at ``spacing[i]`` metres.

    Returns ``line``, ``side`` (+1 left, -1 right), ``pos`` (m along the line), ``x``, ``y``
    (point on the centreline) and ``tx``, ``ty`` (unit tangent).
    """
    rows_idx, rows_pos, rows_side = [], [], []
    for i, line in enumerate(lines):
        length = line.length
        for side in (1, -1):
            start = margin + rng.uniform(0.0, spacing[i])
            pos = np.arange(start, length - margin, spacing[i])
            rows_idx.append(np.full(len(pos), i))
            rows_pos.append(pos)
            rows_side.append(np.full(len(pos), side))
    idx = np.concatenate(rows_idx) if rows_idx else np.zeros(0, int)
    pos = np.concatenate(rows_pos) if rows_pos else np.zeros(0)
    side = np.concatenate(rows_side) if rows_side else np.zeros(0, int)
    if len(idx) == 0:
        return pd.DataFrame(columns=["line", "side", "pos", "x", "y", "tx", "ty"])
    p, t = frames(lines, idx, pos)
    return pd.DataFrame(
        {"line": idx, "side": side, "pos": pos, "x": p[:, 0], "y": p[:, 1],
         "tx": t[:, 0], "ty": t[:, 1]}
    )


def footprints_at(slots: pd.DataFrame, front: np.ndarray, width: np.ndarray,
                  depth: np.ndarray, rotate: np.ndarray | None = None) -> np.ndarray:
    """Rectangles on the ``slots``: front edge ``front`` m from the centreline.

    ``rotate`` (bool) turns a building end-on to the street (gable towards the street).
    """
    w, d = width.copy(), depth.copy()
    ang = np.arctan2(slots["ty"].to_numpy(), slots["tx"].to_numpy())
    if rotate is not None:
        w = np.where(rotate, depth, width)
        d = np.where(rotate, width, depth)
    nx_, ny_ = -slots["ty"].to_numpy(), slots["tx"].to_numpy()
    off = slots["side"].to_numpy() * (front + d / 2.0)
    cx = slots["x"].to_numpy() + off * nx_
    cy = slots["y"].to_numpy() + off * ny_
    return rectangles(cx, cy, ang, w, d)


def select(
    footprints: np.ndarray,
    cell_of: np.ndarray,
    cells: np.ndarray,
    streets: np.ndarray,
    group: np.ndarray | None = None,
    gap: np.ndarray | None = None,
) -> np.ndarray:
    """Greedy choice of non-overlapping footprints, in the given (priority) order.

    A footprint is kept if it lies inside its cell (2 m in), keeps
    :data:`MIN_STREET_CLEARANCE_M` from every street, keeps ``gap`` metres from every kept
    footprint, and (where ``group`` >= 0) no other member of its group was kept. Returns a
    boolean mask.
    """
    n = len(footprints)
    if n == 0:
        return np.zeros(0, bool)
    inner = shapely.buffer(cells, -2.0)
    shapely.prepare(inner)
    ok = shapely.within(footprints, inner[cell_of])
    street_tree = shapely.STRtree(streets)
    near = street_tree.query(footprints, predicate="dwithin", distance=MIN_STREET_CLEARANCE_M)
    ok[np.unique(near[0])] = False
    gap = np.full(n, 1.5) if gap is None else gap
    tree = shapely.STRtree(footprints)
    a, b = tree.query(footprints, predicate="dwithin", distance=gap)
    a, b = np.concatenate([a, b]), np.concatenate([b, a])  # symmetric: either gap counts
    mask = a != b
    a, b = a[mask], b[mask]
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    starts = np.searchsorted(a, np.arange(n + 1))
    kept = np.zeros(n, bool)
    used_groups: set[int] = set()
    for i in range(n):
        if not ok[i]:
            continue
        g = -1 if group is None else int(group[i])
        if g >= 0 and g in used_groups:
            continue
        neighbours = b[starts[i] : starts[i + 1]]
        if kept[neighbours].any():
            continue
        kept[i] = True
        if g >= 0:
            used_groups.add(g)
    return kept
