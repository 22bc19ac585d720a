"""Conflicts between the digging schedule and other works in the same streets.

A work package meets another work (the optional ``planned_works`` layer: road renewal,
repaving, water, sewer, fibre, …) when at least ``works.conflict_min_overlap_m`` of its trench
(half of it, for a short package) lies within ``works.conflict_buffer_m`` of the work's line or
polygon. Then, by year:

``recently_repaved``
    the street got a new surface (``repaving`` or ``road_renewal``) fewer than
    ``works.repaving_protection_years`` years before the package: move the package past the
    protection, or agree the restoration of the new surface with the road authority;
``same_year``
    the other work is done in the package's year: dig together (one opening of the street);
``other_year_before`` / ``other_year_after``
    the other work lies up to ``works.coordination_years`` before or after: move the package
    to the other work's year where its feeds and the packages it feeds allow it
    (``earliest_year`` … ``latest_year``), else ask the other party to move;
``repaving_after``
    the street is repaved after the package: the right order; confirm that the new surface
    waits for the district-heating works.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan.core.scenario import Scenario
from heatplan.core.schema import REPAVING_WORK_TYPES

logger = logging.getLogger(__name__)

CONFLICT_COLUMNS: tuple[str, ...] = (
    "package_id", "work_id", "work_type", "district_id", "street_name", "construction_year",
    "quarter", "work_year", "work_end_year", "conflict", "overlap_m", "can_move",
    "suggestion",
)
"""Columns of the conflicts table, in order."""

CONFLICT_KINDS: tuple[str, ...] = (
    "recently_repaved", "same_year", "other_year_before", "other_year_after", "repaving_after",
)
"""The kinds of conflict, most pressing first."""

WORDS: dict[str, dict[str, str]] = {
    "recently_repaved": {
        "da": "Ny belægning {end} ({owner}). Flyt pakken til {free} eller senere, eller aftal "
              "fuld retablering af den nye belægning med vejmyndigheden.",
        "en": "New surface in {end} ({owner}). Move the package to {free} or later, or agree "
              "full restoration of the new surface with the road authority.",
    },
    "recently_repaved_move": {
        "da": " Uden at flytte andre pakker kan pakken højst flyttes til {latest}.",
        "en": " Without moving other packages the package can move to {latest} at the latest.",
    },
    "same_year": {
        "da": "{what} samme år ({owner}). Grav sammen: én opgravning af gaden; aftal "
              "rækkefølge, fælles rende og retablering.",
        "en": "{what} in the same year ({owner}). Dig together: open the street once; agree "
              "the order, a shared trench and the restoration.",
    },
    "other_year_move": {
        "da": "{what} i {year} ({owner}). Flyt pakken til {year} og grav sammen.",
        "en": "{what} in {year} ({owner}). Move the package to {year} and dig together.",
    },
    "other_year_ask": {
        "da": "{what} i {year} ({owner}). Pakken kan ikke flyttes til {year} uden at flytte "
              "andre pakker; bed om at flytte det andet arbejde til {own}, eller grav to gange.",
        "en": "{what} in {year} ({owner}). The package cannot move to {year} without moving "
              "other packages; ask to move the other work to {own}, or dig twice.",
    },
    "repaving_after": {
        "da": "Ny belægning planlagt {year} ({owner}) efter fjernvarmen: rigtig rækkefølge. "
              "Bekræft at belægningen venter på gravearbejdet.",
        "en": "New surface planned for {year} ({owner}) after the district heating: the right "
              "order. Confirm that the surfacing waits for the digging.",
    },
    "unknown_owner": {"da": "ejer ikke oplyst", "en": "owner not given"},
}
"""Suggestions in Danish and English."""

WORK_TYPE_WORDS: dict[str, dict[str, str]] = {
    "road_renewal": {"da": "Vejrenovering", "en": "Road renewal"},
    "repaving": {"da": "Ny belægning", "en": "Repaving"},
    "water": {"da": "Vandledningsarbejde", "en": "Water main works"},
    "sewer": {"da": "Kloakarbejde", "en": "Sewer works"},
    "fibre": {"da": "Fiberarbejde", "en": "Fibre works"},
    "power": {"da": "Elkabelarbejde", "en": "Power cable works"},
    "gas": {"da": "Gasledningsarbejde", "en": "Gas main works"},
    "district_heating": {"da": "Andet fjernvarmearbejde", "en": "Other district-heating works"},
    "other": {"da": "Andet arbejde", "en": "Other works"},
}
"""Names of the contract's work types (``core.schema.WORK_TYPE_CODES``), as a sentence starts."""


def work_type_text(code: object, lang: str = "da") -> str:
    """The readable name of a work type; the code itself when unknown."""
    entry = WORK_TYPE_WORDS.get(str(code))
    return entry.get(lang, entry["da"]) if entry else str(code)


def find_conflicts(
    packages: pd.DataFrame,
    planned_works: pd.DataFrame | None,
    *,
    scenario: Scenario,
    lang: str = "da",
) -> pd.DataFrame:
    """Return one row per work package and other work that meet in space and time.

    Parameters
    ----------
    packages
        The work packages (:func:`heatplan.plan.works.schedule_works`), a GeoDataFrame with
        ``construction_year``, ``quarter``, ``earliest_year``, ``latest_year``.
    planned_works
        The validated ``planned_works`` layer (index ``work_id``; ``work_type``, ``year``,
        optional ``end_year`` and ``owner``), or None / empty.
    scenario
        Supplies ``works.repaving_protection_years``, ``works.coordination_years``,
        ``works.conflict_buffer_m`` and ``works.conflict_min_overlap_m``.
    lang
        ``"da"`` or ``"en"`` for the suggestions.

    Returns
    -------
    conflicts
        :data:`CONFLICT_COLUMNS`, sorted by kind (most pressing first), year and package;
        ``overlap_m`` in metres of the package's trench.
    """
    empty = _empty()
    if (planned_works is None or not len(planned_works) or not len(packages)
            or not isinstance(packages, gpd.GeoDataFrame)):
        return empty
    pairs = _meeting_pairs(packages, planned_works, scenario)
    if pairs.empty:
        return empty
    rows = [_judge(packages.loc[pkg], planned_works.loc[work], pkg, work, overlap,
                   scenario=scenario, lang=lang)
            for pkg, work, overlap in pairs.itertuples(index=False)]
    table = pd.DataFrame([r for r in rows if r is not None], columns=list(CONFLICT_COLUMNS))
    if table.empty:
        return empty
    rank = {k: i for i, k in enumerate(CONFLICT_KINDS)}
    table = table.assign(_rank=table["conflict"].map(rank)).sort_values(
        ["_rank", "construction_year", "package_id", "work_id"]).drop(columns="_rank")
    logger.info("Conflicts with other works: %d (%s)", len(table), ", ".join(
        f"{k} {n}" for k, n in table["conflict"].value_counts().sort_index().items()))
    return _typed(table.reset_index(drop=True))


def _meeting_pairs(packages: gpd.GeoDataFrame, works: pd.DataFrame, scenario: Scenario
                   ) -> pd.DataFrame:
    """Package and work pairs sharing enough of a street: ``package_id``, ``work_id``,
    ``overlap_m``."""
    buffer_m = float(scenario.value("works.conflict_buffer_m"))
    min_overlap = float(scenario.value("works.conflict_min_overlap_m"))
    geoms = np.asarray(works.geometry.to_numpy(), dtype=object)
    zones = shapely.buffer(geoms, buffer_m) if buffer_m > 0 else geoms
    lines = np.asarray(packages.geometry.to_numpy(), dtype=object)
    tree = shapely.STRtree(lines)
    work_idx, pkg_idx = tree.query(zones, predicate="intersects")
    if not len(work_idx):
        return pd.DataFrame(columns=["package_id", "work_id", "overlap_m"])
    overlap = shapely.length(shapely.intersection(lines[pkg_idx], zones[work_idx]))
    need = np.minimum(min_overlap, 0.5 * shapely.length(lines[pkg_idx]))
    keep = overlap >= need - 1e-9
    return pd.DataFrame({
        "package_id": packages.index.to_numpy()[pkg_idx[keep]],
        "work_id": works.index.to_numpy()[work_idx[keep]],
        "overlap_m": overlap[keep],
    })


def _judge(package: pd.Series, work: pd.Series, package_id: str, work_id: str,
           overlap: float, *, scenario: Scenario, lang: str) -> dict | None:
    """The conflict row of one package and work meeting in space, or None if their years
    are apart."""
    year = int(package["construction_year"])
    start = int(work["year"])
    end = int(work["end_year"]) if pd.notna(work.get("end_year")) else start
    kind = _kind(str(work["work_type"]), year, start, end, scenario)
    if kind is None:
        return None
    owner = work.get("owner")
    owner = str(owner) if pd.notna(owner) and str(owner) else _word("unknown_owner", lang)
    lo, hi = int(package["earliest_year"]), int(package["latest_year"])
    target = start if start > year else end
    can_move = kind in ("other_year_before", "other_year_after") and lo <= target <= hi
    protection = int(scenario.value("works.repaving_protection_years"))
    if kind == "recently_repaved":
        can_move = hi >= end + protection
    fields = {"end": end, "owner": owner, "free": end + protection, "latest": hi,
              "what": work_type_text(work["work_type"], lang), "year": target, "own": year}
    return {
        "package_id": package_id, "work_id": work_id, "work_type": str(work["work_type"]),
        "district_id": package["district_id"], "street_name": package["street_name"],
        "construction_year": year, "quarter": package["quarter"], "work_year": start,
        "work_end_year": end, "conflict": kind, "overlap_m": float(overlap),
        "can_move": bool(can_move),
        "suggestion": _suggestion(kind, can_move, fields, lang),
    }


def _kind(work_type: str, year: int, start: int, end: int, scenario: Scenario) -> str | None:
    """The kind of conflict between a package dug in ``year`` and a work over ``start``–``end``
    (None when none)."""
    protection = int(scenario.value("works.repaving_protection_years"))
    window = int(scenario.value("works.coordination_years"))
    surface = work_type in REPAVING_WORK_TYPES
    if surface and end < year and year - end < protection:
        return "recently_repaved"
    if start <= year <= end:
        return "same_year"
    if surface and 0 < start - year <= window:
        return "repaving_after"
    if 0 < year - end <= window:
        return "other_year_before"
    if 0 < start - year <= window:
        return "other_year_after"
    return None


def _suggestion(kind: str, can_move: bool, fields: dict, lang: str) -> str:
    if kind == "recently_repaved":
        extra = "" if can_move else _word("recently_repaved_move", lang).format(**fields)
        return _word(kind, lang).format(**fields) + extra
    if kind in ("other_year_before", "other_year_after"):
        key = "other_year_move" if can_move else "other_year_ask"
        return _word(key, lang).format(**fields)
    return _word(kind, lang).format(**fields)


def _word(key: str, lang: str) -> str:
    entry = WORDS[key]
    return entry.get(lang, entry["da"])


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """The declared dtypes (``core/columns_works.py``)."""
    out = table.copy()
    for col in ("package_id", "work_id", "work_type", "district_id", "street_name", "conflict",
                "suggestion"):
        out[col] = out[col].astype("string")
    for col in ("construction_year", "quarter", "work_year", "work_end_year"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    out["overlap_m"] = out["overlap_m"].astype(float)
    out["can_move"] = out["can_move"].astype(bool)
    return out


def _empty() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in CONFLICT_COLUMNS}))


def conflict_counts(conflicts: pd.DataFrame, packages: pd.DataFrame) -> pd.Series:
    """Number of conflicts of every package (0 for none), named ``n_conflicts``."""
    counts = conflicts.groupby("package_id").size() if len(conflicts) else pd.Series(dtype=int)
    return counts.reindex(packages.index, fill_value=0).astype("int64").rename("n_conflicts")
