"""The owner type (ejerforholdskode) of each building: register, owner map, else private.

BBR Bygning carries no owner type; it is on the Ejendomsrelation, reached through the plot
(BBR Grund). Where neither gives one, a CSV owner map can (by building id or BFE number);
the rest default to ``10`` (private), with a note.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from heatplan.core.errors import InputDataError
from heatplan.core.schema import OWNER_TYPE_CODES
from heatplan.importers.inputs import ImportSources
from heatplan.io import bbr

logger = logging.getLogger(__name__)

DEFAULT_OWNER_TYPE = "10"


def read_owner_map(path: Path) -> tuple[pd.Series, pd.Series]:
    """Return owner types keyed by property_id and by BFE number from a CSV mapping."""
    try:
        table = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
    except (OSError, ValueError) as err:
        msg = f"Owner map {path} cannot be read as CSV ({err})."
        raise InputDataError(msg) from err
    columns = {c.lower().strip(): c for c in table.columns}
    owner = columns.get("owner_type") or columns.get("ejerforholdskode")
    key = next((columns[c] for c in ("property_id", "bfe", "bfenummer", "bfe_nummer")
                if c in columns), None)
    if owner is None or key is None:
        msg = (
            f"Owner map {path}: needs a column property_id (BBR building id) or bfe, and a "
            f"column owner_type; found {list(table.columns)}."
        )
        raise InputDataError(msg)
    table[owner] = table[owner].str.strip()
    bad = table[~table[owner].isin(list(OWNER_TYPE_CODES))]
    if not bad.empty:
        msg = (
            f"Owner map {path}, column {owner}: unknown owner types "
            f"{sorted(bad[owner].fillna('').unique())[:10]} at rows {list(bad.index[:10] + 2)}; "
            f"use the ejerforholdskoder {', '.join(OWNER_TYPE_CODES)}."
        )
        raise InputDataError(msg)
    values = table.set_index(table[key].str.strip().str.lower())[owner]
    values = values[~values.index.duplicated(keep="last")]
    by_id = values if key == columns.get("property_id") else pd.Series(dtype=object)
    by_bfe = values if key != columns.get("property_id") else pd.Series(dtype=object)
    if key == columns.get("property_id"):
        bfe_col = next((columns[c] for c in ("bfe", "bfenummer") if c in columns), None)
        if bfe_col is not None:
            by_bfe = table.dropna(subset=[bfe_col]).set_index(bfe_col)[owner]
    return by_id, by_bfe


def _register_owner_types(
    frame: gpd.GeoDataFrame, b: pd.DataFrame, sources: ImportSources, municipality: str | None,
    counts: dict[str, Any],
) -> pd.Series:
    """Owner types from BBR (the building, else its plot's Ejendomsrelation); fills BFE."""
    owner = b["ejendommensEjerforholdskode"].astype(object)
    if sources.plots is not None:
        plots = bbr.read_plots(sources.plots, municipality=municipality)
        relations = (bbr.read_property_relations(sources.property_relations,
                                                 municipality=municipality)
                     if sources.property_relations is not None else None)
        owners = bbr.plot_owners(plots, relations)
        owner = owner.fillna(frame["grund"].map(owners["owner_type"]))
        frame["bfeNummer"] = frame["bfeNummer"].fillna(frame["grund"].map(owners["bfe"]))
        counts["plots_with_owner_type"] = int(owners["owner_type"].notna().sum())
    elif sources.property_relations is not None:
        msg = (
            "--property-relations (BBR Ejendomsrelation) needs --plots (BBR Grund): buildings "
            "reach their Ejendomsrelation through their plot."
        )
        raise InputDataError(msg)
    return owner.where(owner.isin(list(OWNER_TYPE_CODES)))


def add_owner_types(
    frame: gpd.GeoDataFrame, b: pd.DataFrame, sources: ImportSources, municipality: str | None,
    counts: dict[str, Any],
) -> None:
    """Set ``owner_type`` and ``owner_type_source`` (register, owner_map, default) in place."""
    owner = _register_owner_types(frame, b, sources, municipality, counts)
    source = pd.Series(np.where(owner.notna(), "register", ""), index=frame.index, dtype=object)
    if sources.owner_map is not None:
        by_id, by_bfe = read_owner_map(sources.owner_map)
        from_id = pd.Series(frame.index, index=frame.index).map(by_id).astype(object)
        from_bfe = (frame["bfeNummer"].map(by_bfe).astype(object) if len(by_bfe)
                    else pd.Series(None, index=frame.index, dtype=object))
        mapped = from_id.fillna(from_bfe)
        use = owner.isna() & mapped.notna()
        owner = owner.where(~use, mapped)
        source[use] = "owner_map"
    default = owner.isna()
    owner = owner.where(~default, DEFAULT_OWNER_TYPE)
    source[default] = "default"
    frame["owner_type"] = owner.astype(object)
    frame["owner_type_source"] = source


def owner_note(kept: pd.DataFrame, notes: list[str]) -> None:
    """Note (and log) how many kept properties were given the default owner type."""
    default = kept["owner_type_source"] == "default"
    if default.any():
        notes.append(
            f"{int(default.sum()):,} properties have no owner type in the register or the owner "
            f"map and were given '{DEFAULT_OWNER_TYPE}' (private). BBR Bygning carries no owner "
            f"type (it is on Ejendomsrelation); give --plots with --property-relations (BBR "
            f"Grund, Ejendomsrelation) or --owner-map CSV (property_id or bfe, owner_type) to "
            f"mark municipal (50) and social-housing (20) buildings."
        )
        logger.warning("%s", notes[-1])
