"""Yearly revision: fix what is already connected or signed up, and list changes to the last plan.

A revision run plans from ``phasing.first_year`` (set it to the year being planned). Progress
comes from the properties layer's ``connection_status`` or a progress file (CSV with
``property_id,connection_status``; the file wins). Then

* ``connected`` properties keep their connection year (from the previous plan, else the year
  before the first plan year); without a previous plan their district's works count as done
  (ended the year before the first plan year) and are not re-planned;
* ``signed_up`` properties keep district heating: their district cannot be switched to heat
  pumps, and they connect when its works end;
* districts whose works had started before the first plan year (previous plan) keep their
  phase and years;
* everything else is planned afresh, and :func:`compare_plans` lists what moved.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from heatplan.core.errors import InputDataError, SchemaError

logger = logging.getLogger(__name__)

PROGRESS_CODES = ("connected", "signed_up", "declined", "")


def load_progress(path: Path | str) -> pd.Series:
    """Read a progress CSV (``property_id,connection_status``) into a Series.

    Raises
    ------
    SchemaError
        If a column is missing.
    InputDataError
        If a status is not ``connected``, ``signed_up``, ``declined`` or empty, or a
        ``property_id`` repeats; the message names the rows.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        msg = f"Progress file {path} does not exist."
        raise InputDataError(msg) from None
    missing = [c for c in ("property_id", "connection_status") if c not in table.columns]
    if missing:
        msg = (f"Progress file {path} lacks column(s) {', '.join(missing)}; it needs "
               f"property_id,connection_status.")
        raise SchemaError(msg)
    status = table["connection_status"].str.strip()
    bad = ~status.isin(PROGRESS_CODES)
    if bad.any():
        rows = (table.index[bad] + 2).tolist()[:10]  # + header, 1-based
        values = sorted(set(status[bad]))[:5]
        msg = (f"Progress file {path}, column connection_status, rows {rows}: unknown values "
               f"{values}; use connected, signed_up, declined or leave empty.")
        raise InputDataError(msg)
    ids = table["property_id"].str.strip()
    dup = ids.duplicated(keep=False)
    if dup.any():
        msg = (f"Progress file {path}: property_id repeats: {sorted(set(ids[dup]))[:10]}; "
               f"give each property once.")
        raise InputDataError(msg)
    return pd.Series(status.to_numpy(), index=pd.Index(ids, name="property_id"),
                     name="connection_status")


def apply_progress(properties: pd.DataFrame, progress: pd.Series | None) -> pd.DataFrame:
    """Return a copy of ``properties`` with ``connection_status`` updated from ``progress``.

    Raises
    ------
    InputDataError
        If ``progress`` names properties that are not in the layer.
    """
    out = properties.copy()  # never mutate the input
    if "connection_status" not in out.columns:
        out["connection_status"] = ""
    out["connection_status"] = out["connection_status"].astype("string").fillna("").astype(str)
    if progress is None or len(progress) == 0:
        return out
    unknown = progress.index.difference(out.index)
    if len(unknown):
        msg = (f"The progress file names {len(unknown)} property_id(s) not in the properties "
               f"layer: {sorted(map(str, unknown))[:10]}; fix the ids.")
        raise InputDataError(msg)
    given = progress[progress.astype(str) != ""]
    out.loc[given.index, "connection_status"] = given.astype(str)
    logger.info("Progress applied: %s", given.value_counts().sort_index().to_dict())
    return out


def fixed_districts(
    properties: pd.DataFrame,
    previous_districts: pd.DataFrame | None,
    *,
    first_year: int,
) -> pd.DataFrame:
    """Return the districts whose schedule a revision must keep.

    Parameters
    ----------
    properties
        Index ``property_id``; ``district_id``, ``connection_status``.
    previous_districts
        The previous plan's districts (``phase``, ``start_year``, ``end_year``), or None.
    first_year
        The first year being planned.

    Returns
    -------
    fixed
        Index ``district_id``: ``fixed_phase``, ``fixed_start``, ``fixed_end`` (Int64),
        ``is_done`` (works ended before ``first_year``), ``why`` (``connected``, ``built``
        or ``under_way``).
    """
    status = properties.get("connection_status", pd.Series("", index=properties.index))
    connected = set(properties.loc[status.astype(str).eq("connected"), "district_id"].dropna())
    rows = {}
    prev = previous_districts
    if prev is not None:
        for col in ("phase", "start_year", "end_year"):
            if col not in prev.columns:
                msg = f"The previous plan's districts lack column {col}."
                raise SchemaError(msg)
        start = pd.to_numeric(prev["start_year"], errors="coerce")
        end = pd.to_numeric(prev["end_year"], errors="coerce")
        started = (start < first_year).fillna(False) | (end < first_year).fillna(False)
        for d in prev.index[started.astype(bool)]:
            why = "built" if pd.notna(end[d]) and end[d] < first_year else "under_way"
            rows[d] = (prev.at[d, "phase"], prev.at[d, "start_year"], prev.at[d, "end_year"],
                       why)
    if prev is None:
        # no previous plan: a connected property means its district's mains are laid
        for d in sorted(connected, key=str):
            rows[d] = (pd.NA, pd.NA, first_year - 1, "connected")
    else:
        for d in sorted(connected & set(rows), key=str):
            rows[d] = (*rows[d][:3], "connected")
        early = sorted(connected - set(rows), key=str)
        if early:
            logger.info(
                "%d district(s) have connected properties although the previous plan starts "
                "their works in %d or later (%s); the properties keep their connection, the "
                "districts are planned as usual", len(early), first_year, ", ".join(early[:5]))
    fixed = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=["fixed_phase", "fixed_start", "fixed_end", "why"])
    fixed.index.name = "district_id"
    for col in ("fixed_phase", "fixed_start", "fixed_end"):
        fixed[col] = pd.to_numeric(fixed[col], errors="coerce").astype("Int64")
    fixed["is_done"] = (fixed["fixed_end"] < first_year).fillna(False).astype(bool)
    logger.info("Revision: %d districts fixed (%d done, %d under way)", len(fixed),
                int(fixed["is_done"].sum()), int((~fixed["is_done"]).sum()))
    return fixed


DISTRICT_FIELDS = ("recommendation", "phase", "start_year", "end_year")
PROPERTY_FIELDS = ("recommendation", "phase", "offer_year", "construction_start_year",
                   "construction_end_year", "connection_year")
_IMPLIED_BY = {"phase": "phase", "offer_year": "start_year",
               "construction_start_year": "start_year", "construction_end_year": "end_year",
               "connection_year": "end_year"}
_NAMES = {
    "da": {"recommendation": "anbefaling", "phase": "fase", "start_year": "anlægsstart",
           "end_year": "anlægsslut", "offer_year": "tilbudsår",
           "construction_start_year": "anlægsstart", "construction_end_year": "anlægsslut",
           "connection_year": "tilslutningsår", "added": "ny i planen",
           "removed": "ikke længere i planen", "district": "Distrikt", "property": "Ejendom"},
    "en": {"recommendation": "recommendation", "phase": "phase", "start_year": "start year",
           "end_year": "end year", "offer_year": "offer year",
           "construction_start_year": "construction start", "construction_end_year":
           "construction end", "connection_year": "connection year", "added": "new in the plan",
           "removed": "no longer in the plan", "district": "District", "property": "Property"},
}


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _diff(old: pd.DataFrame, new: pd.DataFrame, fields: tuple[str, ...], kind: str,
          lang: str, skip: dict[str, set] | None = None) -> list[dict]:
    names = _NAMES[lang]
    rows: list[dict] = []
    for i in sorted(new.index.difference(old.index), key=str):
        rows.append({"kind": kind, "id": i, "field": "added", "old": "", "new": "",
                     "description": f"{names[kind]} {i}: {names['added']}"})
    for i in sorted(old.index.difference(new.index), key=str):
        rows.append({"kind": kind, "id": i, "field": "removed", "old": "", "new": "",
                     "description": f"{names[kind]} {i}: {names['removed']}"})
    common = new.index.intersection(old.index)
    for f in fields:
        if f not in old.columns or f not in new.columns:
            continue
        a = old.loc[common, f].map(_text)
        b = new.loc[common, f].map(_text)
        changed = common[(a != b).to_numpy()]
        for i in sorted(changed, key=str):
            if skip and i in skip.get(f, set()):
                continue
            rows.append({"kind": kind, "id": i, "field": f, "old": a[i], "new": b[i],
                         "description": f"{names[kind]} {i}: {names[f]} {a[i]} → {b[i]}"})
    return rows


def compare_plans(
    previous_properties: pd.DataFrame,
    previous_districts: pd.DataFrame,
    new_properties: pd.DataFrame,
    new_districts: pd.DataFrame,
    *,
    lang: str = "da",
) -> pd.DataFrame:
    """List the changes of a new plan against the previous one.

    District rows: added or removed districts and changed ``recommendation``, ``phase``,
    ``start_year``, ``end_year``. Property rows: added or removed properties and changed plan
    columns, except changes that follow from their district's change (a property's phase when
    its district changed phase, its years when the district's years changed), so the list
    stays readable.

    Returns
    -------
    changes
        Columns ``kind`` (``district``/``property``), ``id``, ``field``, ``old``, ``new``,
        ``description`` (Danish, or English with ``lang="en"``); empty when nothing changed.
    """
    rows = _diff(previous_districts, new_districts, DISTRICT_FIELDS, "district", lang)
    moved: dict[str, set] = {}
    for r in rows:
        if r["kind"] == "district" and r["field"] in ("phase", "start_year", "end_year"):
            moved.setdefault(r["field"], set()).add(r["id"])
    skip: dict[str, set] = {}
    if "district_id" in new_properties.columns:
        for f, by in _IMPLIED_BY.items():
            ids = moved.get(by, set())
            skip[f] = set(new_properties.index[new_properties["district_id"].isin(ids)])
    rows += _diff(previous_properties, new_properties, PROPERTY_FIELDS, "property", lang, skip)
    out = pd.DataFrame(rows, columns=["kind", "id", "field", "old", "new", "description"])
    logger.info("Changes against the previous plan: %d district, %d property rows",
                int((out["kind"] == "district").sum()), int((out["kind"] == "property").sum()))
    return out
