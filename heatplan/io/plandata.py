"""Read energy districts from a Plandata heat-plan layer or any polygon layer.

The national heat-plan layer (``pdk:theme_pdk_varmeplansomraade_vedtaget_v``, domain.md §6.1)
has ``vaerdi1207`` (Fjernvarme / Individuel varmeforsyning), ``delnavn`` / ``plannavn``,
``konvstartaar`` / ``konvslutaar`` (conversion start and end year) and ``komnr``. A heat-plan
area marked *Fjernvarme* with a conversion start year is a conversion area (``candidate_dh``);
*Fjernvarme* without one is existing district heating (``existing_dh``); *Individuel* is
``individual``; anything else is ``undecided``.

Any other polygon layer works with a column mapping (``{"name": "type", "status": "..."}``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd

from heatplan.core.errors import InputDataError
from heatplan.core.schema import DISTRICT_STATUS_CODES
from heatplan.io.geodanmark import find_column, municipality_codes, read_layer

logger = logging.getLogger(__name__)

PLANDATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "district_id": ("planid", "id", "objectid", "fid", "delnr"),
    "name": ("delnavn", "plannavn", "navn", "name"),
    "status": ("vaerdi1207", "type1207", "status"),
    "conversion_start_year": ("konvstartaar",),
    "conversion_end_year": ("konvslutaar",),
    "planned_phase": ("planned_phase", "fase", "etape"),
    "supplier": ("virknavn",),
    "municipality": ("komnr", "kommunekode", "komkode"),
}
"""Contract field → candidate source columns (first match, case-insensitive)."""


def heat_plan_status(value: pd.Series, conversion_start: pd.Series) -> pd.Series:
    """Map Plandata ``vaerdi1207`` (or contract codes) to a district status.

    Examples
    --------
    >>> heat_plan_status(pd.Series(["Fjernvarme", "Fjernvarme", "Individuel varmeforsyning"]),
    ...                  pd.Series([2026, None, None])).tolist()
    ['candidate_dh', 'existing_dh', 'individual']
    """
    text = value.astype("string").str.strip()
    lower = text.str.lower()
    has_start = pd.to_numeric(conversion_start, errors="coerce").fillna(0) > 0
    status = pd.Series("undecided", index=value.index, dtype=object)
    status[lower.str.startswith("fjernvarme").fillna(False) & has_start] = "candidate_dh"
    status[lower.str.startswith("fjernvarme").fillna(False) & ~has_start] = "existing_dh"
    status[lower.str.startswith("individuel").fillna(False)] = "individual"
    is_code = text.isin(list(DISTRICT_STATUS_CODES)).fillna(False)
    status[is_code] = text[is_code]
    return status.rename("status")


def parse_column_map(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Parse ``["name=delnavn", "status=vaerdi1207"]`` into a mapping; raise on bad items."""
    mapping: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            msg = f"District column mapping {item!r} is not FIELD=COLUMN (e.g. name=delnavn)."
            raise InputDataError(msg)
        if key.strip() not in PLANDATA_COLUMNS:
            msg = (
                f"District column mapping {item!r}: unknown field {key.strip()!r}; use one of "
                f"{', '.join(PLANDATA_COLUMNS)}."
            )
            raise InputDataError(msg)
        mapping[key.strip()] = value.strip()
    return mapping


def read_districts(
    path: Path | str,
    *,
    layer: str | None = None,
    column_map: Mapping[str, str] | None = None,
    municipality: str | None = None,
) -> gpd.GeoDataFrame:
    """Read energy districts from a heat-plan or other polygon layer.

    Parameters
    ----------
    column_map
        Contract field → source column, overriding the Plandata defaults
        (:data:`PLANDATA_COLUMNS`).
    municipality
        Four-digit code; where the layer has ``komnr`` only that municipality's areas are kept.

    Returns
    -------
    districts
        Indexed by ``district_id``: ``name``, ``status``, ``planned_phase`` (Int64),
        ``conversion_start_year``, ``conversion_end_year`` (Int64), ``supplier``; 2-D
        (Multi)Polygons in EPSG:25832. Without an id column the ids are ``D001``, ``D002``, …
        in the layer's order.
    """
    frame = read_layer(path, layer=layer)
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])].reset_index(drop=True)
    column_map = dict(column_map or {})
    for field, source in column_map.items():
        if find_column(frame, source) is None:
            msg = f"{path}: column {source!r} (for {field}) not found; columns are {list(frame)}."
            raise InputDataError(msg)
    source = {
        field: find_column(frame, column_map[field]) if field in column_map
        else find_column(frame, *candidates)
        for field, candidates in PLANDATA_COLUMNS.items()
    }
    if municipality is not None and source["municipality"] is not None:
        codes = municipality_codes(frame[source["municipality"]])
        frame = frame[codes == municipality].reset_index(drop=True)

    def column(field: str) -> pd.Series:
        name = source[field]
        return frame[name] if name is not None else pd.Series(None, index=frame.index)

    def year(field: str) -> pd.Series:
        return pd.to_numeric(column(field), errors="coerce").round().astype("Int64")

    ids = column("district_id").astype("string").str.strip()
    if ids.isna().any() or ids.duplicated().any():
        ids = pd.Series([f"D{i + 1:03d}" for i in range(len(frame))], index=frame.index)
    names = column("name").astype("string").str.strip()
    names = names.where(names.notna() & (names != ""), ids)
    out = gpd.GeoDataFrame(
        {
            "district_id": ids.astype(str).to_numpy(),
            "name": names.astype(str).to_numpy(),
            "status": heat_plan_status(column("status"), column("conversion_start_year")),
            "planned_phase": year("planned_phase"),
            "conversion_start_year": year("conversion_start_year"),
            "conversion_end_year": year("conversion_end_year"),
            "supplier": column("supplier").astype("string"),
        },
        geometry=frame.geometry.make_valid().to_numpy(),
        crs=frame.crs,
    ).set_index("district_id")
    logger.info(
        "Read %s districts from %s: %s", f"{len(out):,}", Path(path).name,
        ", ".join(f"{k} {v}" for k, v in out["status"].value_counts().sort_index().items()),
    )
    return out
