"""The residents' map's answer for every address, from the plan's own accounting.

Each property with an address gets one *answer kind*:

``planned``
    District heating is planned: the plan's ``recommendation`` is ``district_heating`` and the
    works in the district are still to come (offer, sign-up, digging, connection).
``built``
    District heating is planned and the mains are laid already: the district's works ended
    before the plan's first year (``phasing.first_year``), or it is an existing network area.
``connected``
    The property has district heating (``existing_dh``, or ``connection_status`` ``connected``).
``may_connect``
    The property lies in a district-heating district (planned or existing) but is not heated
    with gas or oil, so the plan does not count on it; it can connect all the same.
``individual``
    An individual heat pump is recommended (``individual_heat_pump``), with the district's
    reasons.
``none``
    The plan changes nothing here, with the reason: not gas or oil in an individual-heating
    area, an area not decided yet, or outside the plan's districts.

A sign-up or a declined offer (``connection_status`` ``signed_up``, ``declined``) is a private
household's choice and is not published: such an address gets the same answer (and the same
offer year) as its neighbours. Answers with the same facts share one *profile* (kind, district,
phase, years, reasons), so the page stores a profile number per address.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from heatplan.core.errors import SchemaError

RECOMMENDATIONS: tuple[str, ...] = (
    "district_heating",
    "individual_heat_pump",
    "existing_dh",
    "none",
)
"""The recommendations a property can have."""

KINDS: tuple[str, ...] = ("planned", "built", "connected", "may_connect", "individual", "none")
"""The answer kinds, in the legend's order."""

INDIVIDUAL_WHY: tuple[str, ...] = ("fixed", "sparse", "cheaper")
"""Reasons for individual heating: the heat plan fixes the area as individual; the houses lie
too far apart (``passes_density`` false); heat pumps cost less (``is_cheaper_than_heat_pumps``
false)."""

NONE_WHY: tuple[str, ...] = ("individual_area", "undecided", "outside")
"""Reasons the plan changes nothing: not gas or oil in an individual-heating area; the area's
heating is not decided; the address lies outside the plan's districts."""

PROFILE_FIELDS: tuple[str, ...] = ("kind", "d", "ph", "oy", "cs", "ce", "why")
"""The fields of a profile: answer kind, district position (-1: none), phase, offer year,
construction start and end year, reasons (a list of :data:`INDIVIDUAL_WHY` or
:data:`NONE_WHY` keys)."""


def answer_profiles(
    props: pd.DataFrame, districts: pd.DataFrame | None, first_year: int
) -> tuple[list[dict[str, Any]], np.ndarray]:
    """The distinct answers of ``props`` and each property's position among them.

    Parameters
    ----------
    props
        The public columns of the properties shown (``recommendation``, ``district_id``,
        ``connection_status``, ``phase``, ``offer_year``, ``construction_start_year``,
        ``construction_end_year``; all but ``recommendation`` optional).
    districts
        The plan's districts (``recommendation``, ``status``, ``phase``, ``start_year``,
        ``end_year``, ``passes_density``, ``is_cheaper_than_heat_pumps``; all optional).
    first_year
        The plan's first year: works that ended before it are done.

    Returns
    -------
    profiles, position
        Profiles as dicts with :data:`PROFILE_FIELDS`, sorted; each property's profile index.

    Raises
    ------
    SchemaError
        If ``recommendation`` has values outside :data:`RECOMMENDATIONS`.
    """
    rec = _recommendation(props)
    district_ids = [str(d) for d in districts.index] if districts is not None else []
    position = {d: i for i, d in enumerate(district_ids)}
    dist = _district_facts(districts)
    did = _column(props, "district_id").astype("string")
    d_pos = np.array([position.get(v, -1) if not pd.isna(v) else -1 for v in did], dtype=int)
    d_rec = did.map(dist["recommendation"]).fillna("").to_numpy(dtype=object)
    kind = _kinds(props, rec, d_rec, dist, did, first_year)
    years = _years(props, kind, did, dist)
    why = _reasons(kind, did, dist)
    rows = list(zip(kind.tolist(), d_pos.tolist(), *years.values(), why, strict=True))
    unique = sorted(set(rows), key=_profile_order)
    number = {row: i for i, row in enumerate(unique)}
    profiles = [
        dict(zip(PROFILE_FIELDS, (*row[:-1], list(row[-1])), strict=True)) for row in unique
    ]
    return profiles, np.array([number[row] for row in rows], dtype=int)


def _profile_order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Sort key of a profile: kind in :data:`KINDS` order, then the other fields (None first)."""
    rest = tuple((v is not None, v if v is not None else 0) for v in row[1:-1])
    return (KINDS.index(row[0]), *rest, row[-1])


def _recommendation(props: pd.DataFrame) -> pd.Series:
    """The recommendation of each property (missing as ``none``), checked."""
    rec = props["recommendation"].astype("string").fillna("none")
    unknown = sorted(set(rec) - set(RECOMMENDATIONS))
    if unknown:
        rows = list(props.index[rec.isin(unknown)][:5])
        msg = (
            f"plan.properties.recommendation at property_id {rows} has unknown values {unknown}; "
            f"expected one of {', '.join(RECOMMENDATIONS)}."
        )
        raise SchemaError(msg)
    return rec


def _district_facts(districts: pd.DataFrame | None) -> pd.DataFrame:
    """Per district id: recommendation, status, phase, years and the economic flags."""
    cols = {
        "recommendation": "",
        "status": "",
        "phase": pd.NA,
        "start_year": pd.NA,
        "end_year": pd.NA,
        "passes_density": True,
        "is_cheaper_than_heat_pumps": True,
    }
    if districts is None or not len(districts):
        return pd.DataFrame(columns=list(cols))
    out = pd.DataFrame(index=pd.Index([str(d) for d in districts.index]))
    for col, default in cols.items():
        values = districts[col].to_numpy() if col in districts.columns else default
        out[col] = values
    for col in ("phase", "start_year", "end_year"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    for col in ("recommendation", "status"):
        out[col] = out[col].astype("string").fillna("")
    return out


def _kinds(
    props: pd.DataFrame,
    rec: pd.Series,
    d_rec: np.ndarray,
    dist: pd.DataFrame,
    did: pd.Series,
    first_year: int,
) -> np.ndarray:
    """The answer kind of every property (see the module's docstring)."""
    status = _column(props, "connection_status").astype("string").fillna("").to_numpy()
    end = _floats(_column(props, "construction_end_year"))
    start = _floats(_column(props, "construction_start_year"))
    done = (end < first_year) & ~(start >= first_year)
    rec = rec.to_numpy()
    is_dh = rec == "district_heating"
    return np.select(
        [
            (rec == "existing_dh") | (is_dh & (status == "connected")),
            is_dh & (done | (d_rec == "existing_dh")),
            is_dh,
            rec == "individual_heat_pump",
            (rec == "none") & np.isin(d_rec, ["district_heating", "existing_dh"]),
        ],
        ["connected", "built", "planned", "individual", "may_connect"],
        default="none",
    )


def _years(
    props: pd.DataFrame, kind: np.ndarray, did: pd.Series, dist: pd.DataFrame
) -> dict[str, list[int | None]]:
    """Phase, offer and construction years: the property's own for district heating, the
    district's for an address that may connect, none otherwise."""
    out: dict[str, list[int | None]] = {}
    dh = np.isin(kind, ["planned", "built"])
    may = kind == "may_connect"
    # one offer year per district (the latest offered): a signed-up neighbour, who needs no
    # offer, must not stand out
    offer = pd.Series(_floats(_column(props, "offer_year")), index=props.index)
    offer = did.map(offer[dh].groupby(did[dh]).max()).where(dh)
    for key, own, district in (
        ("ph", "phase", "phase"),
        ("oy", offer, None),
        ("cs", "construction_start_year", "start_year"),
        ("ce", "construction_end_year", "end_year"),
    ):
        mine = _floats(own if isinstance(own, pd.Series) else _column(props, own))
        theirs = (
            _floats(did.map(dist[district]))
            if district is not None and len(dist)
            else np.full(len(props), np.nan)
        )
        values = np.where(dh, mine, np.where(may, theirs, np.nan))
        out[key] = [None if np.isnan(v) else int(v) for v in values]
    return out


def _reasons(kind: np.ndarray, did: pd.Series, dist: pd.DataFrame) -> list[tuple[str, ...]]:
    """The reasons of individual-heating and no-change answers, from the district's facts."""
    if len(dist):
        facts = dist.reindex(did.fillna("").to_numpy())
        status = facts["status"].fillna("").to_numpy()
        d_rec = facts["recommendation"].fillna("").to_numpy()
        dense = facts["passes_density"].fillna(True).astype(bool).to_numpy()
        cheap = facts["is_cheaper_than_heat_pumps"].fillna(True).astype(bool).to_numpy()
        known = did.isin(dist.index).to_numpy()
    else:
        status = d_rec = np.full(len(kind), "", dtype=object)
        dense = cheap = np.ones(len(kind), dtype=bool)
        known = np.zeros(len(kind), dtype=bool)
    out: list[tuple[str, ...]] = []
    for i, k in enumerate(kind):
        if k == "individual":
            why = [
                w
                for w, flag in (
                    ("fixed", status[i] == "individual"),
                    ("sparse", not dense[i]),
                    ("cheaper", not cheap[i]),
                )
                if flag
            ]
            out.append(tuple(why))
        elif k == "none":
            if not known[i]:
                out.append(("outside",))
            elif d_rec[i] == "individual_heat_pump":
                out.append(("individual_area",))
            else:
                out.append(("undecided",))
        else:
            out.append(())
    return out


def _column(frame: pd.DataFrame, column: str) -> pd.Series:
    """``frame[column]``, or an empty column when it is missing."""
    if column in frame.columns:
        return frame[column]
    return pd.Series(pd.NA, index=frame.index, dtype="object")


def _floats(values: pd.Series) -> np.ndarray:
    """``values`` as floats, missing or non-numeric as NaN."""
    return pd.to_numeric(values, errors="coerce").astype("Float64").to_numpy(
        dtype=float, na_value=np.nan
    )
