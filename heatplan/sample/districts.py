"""Neighbourhood kinds and energy districts of the synthetic sample.

Cells near Ballerup's centre form the existing district-heating area (town centre, apartment
estates, industrial estates along the arterials); the next ring of cells becomes about 15
candidate districts of different density, the sparse outskirts individual-heating districts,
and the rest stays open land (no district, no properties).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan.sample.layout import TOWNS, Skeleton
from heatplan.sample.names import district_names

EXISTING_KINDS = (
    "centre", "apartments", "apartments", "apartments", "apartments", "industrial", "industrial",
    "industrial",
)
"""Kinds of the existing district-heating cells, nearest to Ballerup's centre first."""

CANDIDATE_KINDS = (
    "terraced", "villa", "terraced", "villa", "villa", "loose_villa", "villa", "terraced",
    "villa", "loose_villa", "villa", "villa", "loose_villa", "loose_villa", "sparse_villa",
)
"""Kinds of the 15 candidate districts, in order of distance from the towns' centres."""

N_INDIVIDUAL = 3
"""Number of sparse individual-heating districts (hamlets in open land)."""

SKOVLUNDE_PHASE = 2
"""Politically fixed phase of the candidate district nearest to Skovlunde's centre; the one
nearest to Ballerup's centre (beside the existing network) is fixed to phase 1."""


def assign_districts(skeleton: Skeleton, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Return every cell with its ``kind``, ``district_id``, ``name``, ``status`` and phase.

    Open-land cells have kind ``open`` and no district.
    """
    cells = skeleton.cells.copy()
    bx, by, _ = TOWNS["2750 Ballerup"]
    cxy = shapely.get_coordinates(cells.geometry.centroid)
    dist_ballerup = np.hypot(cxy[:, 0] - bx, cxy[:, 1] - by)
    n = len(cells)
    kind = np.full(n, "open", dtype=object)
    status = np.full(n, "", dtype=object)
    phase = pd.array([pd.NA] * n, dtype="Int64")

    existing = np.argsort(dist_ballerup, kind="stable")[: len(EXISTING_KINDS)]
    # industrial estates go to the existing cells that border an arterial and lie farthest out
    arterials = shapely.union_all(
        skeleton.roads.geometry[skeleton.roads.road_class == "arterial"].to_numpy()
    )
    touches = shapely.distance(cells.geometry.to_numpy()[existing], arterials) < 1.0
    order = sorted(
        range(len(existing)),
        key=lambda i: (not touches[i], -dist_ballerup[existing[i]]) if i else (True, np.inf),
    )
    n_ind = EXISTING_KINDS.count("industrial")
    industrial = [existing[i] for i in order[:n_ind] if i != 0]
    others = [e for e in existing if e not in industrial]
    for e, k in zip(others, [k for k in EXISTING_KINDS if k != "industrial"], strict=True):
        kind[e] = k
    for e in industrial:
        kind[e] = "industrial"
    status[existing] = "existing_dh"

    rest = [i for i in np.argsort(cells["town_score"].to_numpy(), kind="stable")
            if i not in set(existing)]
    candidates = rest[: len(CANDIDATE_KINDS)]
    for c, k in zip(candidates, CANDIDATE_KINDS, strict=True):
        kind[c] = k
        status[c] = "candidate_dh"
    cand = np.asarray(candidates)
    phase[cand[np.argmin(dist_ballerup[cand])]] = 1
    sx, sy, _ = TOWNS["2740 Skovlunde"]
    to_skovlunde = np.hypot(cxy[cand, 0] - sx, cxy[cand, 1] - sy)
    for i in np.argsort(to_skovlunde):
        if pd.isna(phase[cand[i]]):
            phase[cand[i]] = SKOVLUNDE_PHASE
            break
    # individual districts: outer cells, well spread (every other remaining cell by score)
    remaining = rest[len(CANDIDATE_KINDS):]
    for c in remaining[1 : 2 * N_INDIVIDUAL : 2]:
        kind[c] = "hamlet"
        status[c] = "individual"

    cells["kind"] = kind
    cells["status"] = status
    cells["planned_phase"] = phase
    cells["candidate_rank"] = -1
    cells.loc[cells.index[candidates], "candidate_rank"] = np.arange(len(candidates))
    is_district = cells["status"] != ""
    order_key = cells["status"].map(
        {"existing_dh": 0, "candidate_dh": 1, "individual": 2, "": 3}
    )
    cells = cells.assign(_o=order_key, _d=np.round(dist_ballerup)).sort_values(["_o", "_d"])
    n_d = int(is_district.sum())
    ids = [f"D{i + 1:02d}" for i in range(n_d)] + [""] * (n - n_d)
    cells["district_id"] = ids
    names = district_names(n_d, rng) + [""] * (n - n_d)
    cells["name"] = names
    return cells.drop(columns=["_o", "_d"]).reset_index(drop=True)
