"""Read DAR (Danmarks Adresseregister) addresses: the public address text of each house number.

BBR Bygning points to its access address with ``husnummer`` (DAR Husnummer id). A DAR Adresse
row (one per unit address, with floor and door) carries ``husnummer_id`` and the full address
text ``adressebetegnelse`` ("Ridehusgade 49, 2. th, 5000 Odense C"); its first part is the
street address ("Vejnavn husnr") and its last part the postcode and town ("nr by"). The access
point comes from DAR Adressepunkt (in the DAWA extract its id is the house number's id).

Both files are bitemporal: only rows with ``registreringtil`` and ``virkningtil`` empty are read,
and only addresses in use (status 2 *foreløbig* or 3 *gældende*).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from heatplan import PROJECT_CRS
from heatplan.core.errors import InputDataError
from heatplan.io.geodanmark import points_from_wkt

logger = logging.getLogger(__name__)

ADDRESS_STATUS_IN_USE = frozenset({"2", "3"})
"""DAR status codes of addresses in use: 2 foreløbig, 3 gældende (4 nedlagt, 5 henlagt)."""


def _iter_json_records(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        msg = f"DAR file {path} does not exist."
        raise InputDataError(msg)
    try:
        with path.open(encoding="utf-8") as stream:
            if path.suffix.lower() in {".ndjson", ".jsonl"}:
                for line in stream:
                    if line.strip():
                        yield json.loads(line)
                return
            data = json.load(stream)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        msg = f"{path}: cannot be read as DAR JSON or ndjson ({err})."
        raise InputDataError(msg) from err
    if isinstance(data, dict):
        data = data.get("features", data.get("items", []))
    for record in data:
        yield record.get("properties", record) if isinstance(record, dict) else record


def _read_current(path: Path | str, columns: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Read the current rows of a DAR file, renaming fields (case-insensitive) to ``columns``."""
    path = Path(path)
    rows = []
    n_read = 0
    for record in _iter_json_records(path):
        n_read += 1
        lower = {str(k).lower(): v for k, v in record.items()}
        if lower.get("registreringtil") or lower.get("virkningtil"):
            continue
        rows.append({
            name: next((lower[a] for a in aliases if lower.get(a) is not None), None)
            for name, aliases in columns.items()
        })
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    frame = frame.astype(object).where(frame.notna(), None)
    frame["status"] = frame["status"].map(lambda v: None if v is None else str(v))
    logger.info("Read %s DAR rows from %s, %s current", f"{n_read:,}", path.name, f"{len(frame):,}")
    return frame


def split_address_text(text: pd.Series) -> pd.DataFrame:
    """Split DAR ``adressebetegnelse`` into the street address and the postcode with town.

    Examples
    --------
    >>> text = pd.Series(["Højemarksvej 11, 1., Bolbro, 5200 Odense V"])
    >>> split_address_text(text).iloc[0].tolist()
    ['Højemarksvej 11', '5200 Odense V']
    """
    parts = text.astype("string").str.split(",")
    return pd.DataFrame({
        "address": parts.str[0].str.strip(),
        "postcode": parts.str[-1].str.strip(),
    }, index=text.index)


def read_addresses(
    address_path: Path | str, point_path: Path | str | None = None
) -> gpd.GeoDataFrame:
    """Read DAR Adresse (and Adressepunkt) into one row per house number.

    Parameters
    ----------
    address_path
        DAR Adresse as ndjson or JSON: ``husnummer_id`` (or ``husnummer``), ``adressebetegnelse``,
        ``status``, ``registreringtil``, ``virkningtil``.
    point_path
        DAR Adressepunkt: ``id``, ``position`` (WKT point, EPSG:25832). Optional.

    Returns
    -------
    addresses
        Indexed by ``husnummer`` (lower-case UUID): ``address`` ("Vejnavn husnr"), ``postcode``
        ("nr by"), ``n_units`` (unit addresses at the house number), geometry (the access point,
        empty when no point file or no point).
    """
    frame = _read_current(address_path, {
        "husnummer": ("husnummer_id", "husnummer"),
        "text": ("adressebetegnelse", "betegnelse"),
        "status": ("status",),
    })
    n_current = len(frame)
    frame = frame[frame["status"].isin(ADDRESS_STATUS_IN_USE) & frame["husnummer"].notna()]
    frame = frame[frame["text"].notna()].copy()
    frame["husnummer"] = frame["husnummer"].str.lower()
    frame = frame.join(split_address_text(frame["text"]))
    frame = frame.sort_values(["husnummer", "text"], kind="stable")
    grouped = frame.groupby("husnummer", sort=True)
    addresses = grouped[["address", "postcode"]].first()
    addresses["n_units"] = grouped.size()
    geometry = gpd.GeoSeries([None] * len(addresses), index=addresses.index, crs=PROJECT_CRS)
    if point_path is not None:
        points = _read_current(point_path, {
            "id": ("id", "id_lokalid"), "position": ("position", "geometri"),
            "status": ("status",),
        })
        points = points[points["id"].notna() & points["position"].notna()]
        points["id"] = points["id"].str.lower()
        points = points.drop_duplicates("id", keep="last").set_index("id")
        geometry = points_from_wkt(points["position"].reindex(addresses.index))
    out = gpd.GeoDataFrame(addresses, geometry=geometry, crs=PROJECT_CRS)
    out.index.name = "husnummer"
    logger.info(
        "DAR: %s house numbers from %s current unit addresses (%s not in use), %s with a point",
        f"{len(out):,}", f"{n_current:,}", f"{n_current - len(frame):,}",
        f"{int(out.geometry.notna().sum()):,}",
    )
    return out
