"""The plan's phases, each district's kind, and the layers a phase-map sheet draws."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from heatplan.outputs.texts import format_year
from heatplan.plan.result import Plan


@dataclass(frozen=True)
class PhaseInfo:
    """One phase: its number, its districts (ids) and its first and last construction year."""

    phase: int
    district_ids: tuple[str, ...]
    start_year: int | None
    end_year: int | None


def year_span(start: object, end: object) -> str:
    """``2024–2025``, or ``2024`` when both years are the same."""
    first, last = format_year(start), format_year(end)
    return first if first == last or last == "–" else f"{first}–{last}"


def int_series(table: pd.DataFrame, column: str) -> pd.Series:
    """``table[column]`` as nullable integers; all missing when the column is absent."""
    if column not in table:
        return pd.Series(pd.array([None] * len(table), dtype="Int64"), index=table.index)
    return pd.Series(pd.array(pd.to_numeric(table[column]), dtype="Int64"), index=table.index)


def plan_phases(plan: Plan) -> list[PhaseInfo]:
    """Return the plan's phases in order, from the districts' phase, start and end years.

    Districts built before the plan period (see :func:`district_kind`) belong to no phase.
    """
    districts = plan.districts
    phase = int_series(districts, "phase")
    start = int_series(districts, "start_year")
    end = int_series(districts, "end_year")
    out = []
    phase = phase.mask((district_kind(districts) == "done").to_numpy())  # built before
    for number in sorted(int(p) for p in phase.dropna().unique()):
        ids = phase.index[(phase == number).fillna(False).to_numpy()]
        s, e = start.loc[ids].dropna(), end.loc[ids].dropna()
        out.append(
            PhaseInfo(
                number,
                tuple(str(i) for i in ids),
                int(s.min()) if len(s) else None,
                int(e.max()) if len(e) else None,
            )
        )
    return out


def district_kind(districts: gpd.GeoDataFrame) -> pd.Series:
    """``phase`` / ``done`` / ``individual`` / ``existing`` / ``other`` for each district."""
    rec = districts.get("recommendation", pd.Series("", index=districts.index)).astype("string")
    status = districts.get("status", pd.Series("", index=districts.index)).astype("string")
    phase = int_series(districts, "phase")
    kind = pd.Series("other", index=districts.index, dtype=object)
    kind[((status == "existing_dh") | (rec == "existing_dh")).fillna(False).to_numpy()] = "existing"
    indiv = ((rec == "individual_heat_pump") | (status == "individual")).fillna(False)
    kind[indiv.to_numpy()] = "individual"
    kind[phase.notna().to_numpy() & ~indiv.to_numpy()] = "phase"
    # district heating without a phase, or finished without starting in the plan period:
    # built before the plan period
    start, end = int_series(districts, "start_year"), int_series(districts, "end_year")
    before = phase.isna().to_numpy() | (start.isna() & end.notna()).to_numpy()
    done = (rec == "district_heating").fillna(False).to_numpy() & before
    kind[done] = "done"
    return kind


@dataclass(frozen=True)
class MapLayers:
    """What a sheet draws: districts with their kind and phase, built trenches and the
    properties to convert, each with its phase (missing when built before the plan period)."""

    districts: gpd.GeoDataFrame
    kind: pd.Series
    phase: pd.Series
    trenches: gpd.GeoDataFrame
    trench_phase: pd.Series
    properties: gpd.GeoDataFrame
    prop_phase: pd.Series


def prepare_layers(plan: Plan) -> MapLayers:
    """Select and annotate the plan's layers for drawing (see :class:`MapLayers`)."""
    districts = plan.districts
    kind = district_kind(districts)
    phase = int_series(districts, "phase")
    trenches = plan.trenches
    if "is_built" in trenches:  # routed for the economics but not dug: not on the map
        trenches = trenches[trenches["is_built"].astype("boolean").fillna(False).to_numpy()]
    if "phase" in trenches:
        tphase = int_series(trenches, "phase")
    elif "district_id" in trenches:
        tphase = pd.Series(
            pd.array(trenches["district_id"].map(phase), dtype="Int64"), index=trenches.index
        )
    else:
        tphase = pd.Series(pd.array([None] * len(trenches), dtype="Int64"), index=trenches.index)
    props = plan.properties
    if "recommendation" in props:
        props = props[props["recommendation"].isin(["district_heating", "individual_heat_pump"])]
    elif "is_to_convert" in props:
        props = props[props["is_to_convert"].astype(bool)]
    pphase = int_series(props, "phase")
    done = districts.index[(kind == "done").to_numpy()]
    if len(done):  # built before the plan period: existing network, not a phase's works
        if "district_id" in trenches:
            tphase = tphase.mask(trenches["district_id"].isin(done).to_numpy())
        if "district_id" in props:
            pphase = pphase.mask(props["district_id"].isin(done).to_numpy())
    return MapLayers(districts, kind, phase, trenches, tphase, props, pphase)
