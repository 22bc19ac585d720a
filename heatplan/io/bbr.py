"""Read BBR (Bygnings- og Boligregistret) records: Bygning, Enhed, Etage and Tekniske anlæg.

Three real shapes are read into one flat table of strings:

- the Datafordeler REST JSON (a list of records; field names with Danish letters,
  ``byg026Opførelsesår``);
- the Datafordeler GraphQL JSON (``{"data": {"BBR_Bygning": {"nodes": [...]}}}``; field names
  transliterated to ASCII, ``byg026Opfoerelsesaar``);
- the OIS XML file extract (``OIS_GRBBR_CO50200T_*.ZIP``: one zipped ISO-8859-1 XML file, one
  element per bitemporal row, an empty field is simply absent). It is parsed streaming with
  :func:`xml.etree.ElementTree.iterparse`, so a national extract never sits in memory as a tree.

Column names are normalised to ASCII (æ → ae, ø → oe, å → aa), so both API spellings give the
same columns. Every value is a string or missing (codes are strings: ``"0151"``, ``"7"``); nested
lists of the REST shape (``etageList``, ``opgangList``) are dropped. No row is filtered here except
by municipality; :func:`is_current` tells the current bitemporal rows.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

import pandas as pd

from heatplan.core.errors import InputDataError

logger = logging.getLogger(__name__)

_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})

# Canonical (ASCII) names of the fields heatplan reads.
BUILDING_FIELDS: tuple[str, ...] = (
    "id_lokalId", "kommunekode", "status", "registreringFra", "registreringTil", "virkningFra",
    "virkningTil", "husnummer", "grund", "jordstykke", "bfeNummer",
    "ejendommensEjerforholdskode",
    "byg021BygningensAnvendelse", "byg024AntalLejlighederMedKoekken",
    "byg025AntalLejlighederUdenKoekken", "byg026Opfoerelsesaar", "byg038SamletBygningsareal",
    "byg039BygningensSamledeBoligAreal", "byg040BygningensSamledeErhvervsAreal",
    "byg041BebyggetAreal", "byg054AntalEtager", "byg056Varmeinstallation",
    "byg057Opvarmningsmiddel", "byg058SupplerendeVarme", "byg404Koordinat",
)
UNIT_FIELDS: tuple[str, ...] = (
    "id_lokalId", "kommunekode", "status", "registreringTil", "virkningTil", "bygning", "etage",
    "opgang", "enh026EnhedensSamledeAreal", "enh027ArealTilBeboelse", "enh028ArealTilErhverv",
    "enh051Varmeinstallation", "enh052Opvarmningsmiddel", "enh053SupplerendeVarme",
)
STOREY_FIELDS: tuple[str, ...] = (
    "id_lokalId", "kommunekode", "status", "registreringTil", "virkningTil", "bygning",
)
PLOT_FIELDS: tuple[str, ...] = (
    "id_lokalId", "kommunekode", "status", "registreringFra", "registreringTil", "virkningTil",
    "bestemtFastEjendom", "bestemtFastEjendom.id_lokalId", "bestemtFastEjendom.bfeNummer",
    "bestemtFastEjendom.ejendommensEjerforholdskode",
)
RELATION_FIELDS: tuple[str, ...] = (
    "id_lokalId", "kommunekode", "status", "registreringFra", "registreringTil", "virkningTil",
    "bfeNummer", "ejendommensEjerforholdskode",
)
TECHNICAL_FIELDS: tuple[str, ...] = (
    "id_lokalId", "kommunekode", "status", "registreringTil", "virkningTil", "bygning",
    "husnummer", "grund", "tek020Klassifikation", "tek024Etableringsaar",
    "tek028SloejfningOlietank", "tek034IndholdOlietank", "tek072Sloejfningsaar",
    "tek110Driftstatus", "tek109Koordinat",
)


@functools.lru_cache(maxsize=4096)
def normalise_field_name(name: str) -> str:
    """Return a BBR field name in its ASCII spelling, without an XML namespace.

    Examples
    --------
    >>> normalise_field_name("byg026Opførelsesår")
    'byg026Opfoerelsesaar'
    >>> normalise_field_name("{urn:x}byg057Opvarmningsmiddel")
    'byg057Opvarmningsmiddel'
    """
    if name.startswith("{"):
        name = name.rsplit("}", 1)[-1]
    return name.translate(_TRANSLITERATION)


def normalise_municipality(code: str | int | None) -> str | None:
    """Return a municipality code as four digits (``"151"``, ``151`` → ``"0151"``)."""
    if code is None or str(code).strip() == "":
        return None
    text = str(code).strip()
    if not text.isdigit():
        msg = f"Municipality code {code!r} is not a number; give the four-digit code, e.g. 0151."
        raise InputDataError(msg)
    return text.zfill(4)


def _as_text(value: Any) -> str | None:
    """A scalar as a string (``120`` → ``"120"``, ``1.0`` → ``"1"``); missing stays ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    return text or None


def _flat_record(record: dict[str, Any], wanted: frozenset[str] | None) -> dict[str, str | None]:
    """Flatten one JSON record; a nested object's fields become ``parent.field``."""
    out: dict[str, str | None] = {}
    for key, value in record.items():
        name = normalise_field_name(key)
        if isinstance(value, list):
            continue  # nested etageList / opgangList / enhedList of the REST shape
        if isinstance(value, dict):  # e.g. Grund.bestemtFastEjendom (the Ejendomsrelation)
            for sub_key, sub_value in value.items():
                if not isinstance(sub_value, dict | list):
                    out[f"{name}.{normalise_field_name(sub_key)}"] = _as_text(sub_value)
            continue
        if wanted is None or name in wanted:
            out[name] = _as_text(value)
    return out


def _json_records(data: Any, path: Path) -> list[dict[str, Any]]:
    """Find the list of records in a REST or GraphQL JSON document."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if "data" in data and isinstance(data["data"], dict):  # GraphQL
            for value in data["data"].values():
                if isinstance(value, dict) and isinstance(value.get("nodes"), list):
                    return value["nodes"]
                if isinstance(value, list):
                    return value
        for key in ("features", "records", "items", "nodes"):
            if isinstance(data.get(key), list):
                records = data[key]
                return [r.get("properties", r) if "properties" in r else r for r in records]
    msg = (
        f"{path}: no list of BBR records found. Expected a JSON list (Datafordeler REST) or "
        '{"data": {"BBR_Bygning": {"nodes": [...]}}} (GraphQL).'
    )
    raise InputDataError(msg)


def _iter_xml_rows(stream: io.BufferedIOBase | Any) -> Iterator[dict[str, str | None]]:
    """Yield each row element (depth 2 under the root) of an OIS XML extract as a dict."""
    depth = 0
    root = None
    name = normalise_field_name
    for event, element in iterparse(stream, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth == 1:
                root = element
            continue
        depth -= 1
        if depth == 1:  # a row element just closed
            yield {name(child.tag): (child.text or None) for child in element}
            if root is not None:
                root.clear()  # drop finished rows so memory stays flat


def _open_xml(path: Path) -> Iterator[dict[str, str | None]]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".xml")]
            if len(members) != 1:
                msg = f"{path}: expected one XML file in the archive, found {members or 'none'}."
                raise InputDataError(msg)
            with archive.open(members[0]) as stream:
                yield from _iter_xml_rows(stream)
    else:
        with path.open("rb") as stream:
            yield from _iter_xml_rows(stream)


def iter_bbr_records(path: Path | str) -> Iterator[dict[str, str | None]]:
    """Yield every record of a BBR file as a flat dict of ASCII field names to strings.

    Parameters
    ----------
    path
        OIS XML extract (``.zip`` or ``.xml``), Datafordeler REST or GraphQL JSON, or
        newline-delimited JSON (``.ndjson``).

    Raises
    ------
    InputDataError
        If the file is missing or is not one of the shapes above.
    """
    path = Path(path)
    if not path.exists():
        msg = f"BBR file {path} does not exist."
        raise InputDataError(msg)
    suffix = path.suffix.lower()
    try:
        if suffix in {".zip", ".xml"}:
            yield from _open_xml(path)
        elif suffix in {".ndjson", ".jsonl"}:
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        yield _flat_record(json.loads(line), None)
        else:
            with path.open(encoding="utf-8") as stream:
                data = json.load(stream)
            for record in _json_records(data, path):
                yield _flat_record(record, None)
    except (ParseError, json.JSONDecodeError, UnicodeDecodeError) as err:
        msg = f"{path}: cannot be read as BBR XML or JSON ({err})."
        raise InputDataError(msg) from err


def read_bbr_table(
    path: Path | str,
    *,
    fields: Iterable[str] | None = None,
    municipality: str | None = None,
) -> pd.DataFrame:
    """Read a BBR file into a table of strings, all bitemporal rows included.

    Parameters
    ----------
    path
        See :func:`iter_bbr_records`.
    fields
        Canonical (ASCII) field names to keep; all fields when ``None``. Missing fields become
        empty columns.
    municipality
        Four-digit ``kommunekode``; rows of other municipalities are skipped while streaming.
        Rows without a municipality code are kept.

    Returns
    -------
    records
        One row per file record (history included), object columns holding strings or ``None``.
    """
    wanted = frozenset(fields) if fields is not None else None
    code = normalise_municipality(municipality)
    rows = []
    n_read = 0
    for record in iter_bbr_records(path):
        n_read += 1
        if code is not None:
            row_code = record.get("kommunekode")
            if row_code is not None and row_code.zfill(4) != code:
                continue
        rows.append(record if wanted is None else {k: record.get(k) for k in wanted})
    table = pd.DataFrame.from_records(rows, columns=sorted(wanted) if wanted else None)
    if wanted is None and table.empty:
        table = pd.DataFrame(columns=["id_lokalId"])
    table = table.astype(object).where(table.notna(), None)
    logger.info(
        "Read %s BBR records from %s%s", f"{n_read:,}", Path(path).name,
        f", {len(table):,} in municipality {code}" if code else "",
    )
    return table


def is_current(records: pd.DataFrame) -> pd.Series:
    """True for rows valid now: both ``registreringTil`` and ``virkningTil`` empty.

    BBR is bitemporal: a row is superseded when its registration ended (``registreringTil``) or
    what it describes stopped being true (``virkningTil``).
    """
    current = pd.Series(True, index=records.index)
    for column in ("registreringTil", "virkningTil"):
        if column in records:
            current &= records[column].isna()
    return current.rename("is_current")


def latest_current(records: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Return the current rows, one per ``id_lokalId``, and how many duplicates were dropped.

    Where an object has more than one current row (it should not), the one with the latest
    ``registreringFra`` wins.
    """
    current = records[is_current(records)]
    if "id_lokalId" not in current:
        return current, 0
    order = ["id_lokalId"] + (["registreringFra"] if "registreringFra" in current else [])
    current = current.sort_values(order, na_position="first", kind="stable")
    dedup = current.drop_duplicates("id_lokalId", keep="last")
    return dedup, len(current) - len(dedup)


def to_number(values: pd.Series) -> pd.Series:
    """Parse numeric BBR strings as floats; empty or malformed values become NaN."""
    return pd.to_numeric(values, errors="coerce").astype(float)


def _read_with_ids(
    path: Path | str, fields: tuple[str, ...], municipality: str | None,
    id_columns: tuple[str, ...],
) -> pd.DataFrame:
    """Read a BBR table (:func:`read_bbr_table`) with its UUID columns lower-cased."""
    table = read_bbr_table(path, fields=fields, municipality=municipality)
    for column in id_columns:
        table[column] = table[column].str.lower()
    return table


def read_buildings(path: Path | str, *, municipality: str | None = None) -> pd.DataFrame:
    """Read BBR Bygning records (all rows, normalised field names); see :func:`read_bbr_table`."""
    return _read_with_ids(path, BUILDING_FIELDS, municipality, ("id_lokalId", "husnummer", "grund"))


def read_units(path: Path | str, *, municipality: str | None = None) -> pd.DataFrame:
    """Read BBR Enhed (unit) records, all rows; ``bygning`` is empty in the OIS extract."""
    return _read_with_ids(
        path, UNIT_FIELDS, municipality, ("id_lokalId", "bygning", "etage", "opgang")
    )


def read_storeys(path: Path | str, *, municipality: str | None = None) -> pd.DataFrame:
    """Read BBR Etage (storey) records, all rows: they link OIS units to their building."""
    return _read_with_ids(path, STOREY_FIELDS, municipality, ("id_lokalId", "bygning"))


def read_technical_installations(
    path: Path | str, *, municipality: str | None = None
) -> pd.DataFrame:
    """Read BBR Tekniske anlæg records, all rows (oil tanks are ``tek020Klassifikation`` 1110)."""
    return _read_with_ids(
        path, TECHNICAL_FIELDS, municipality, ("id_lokalId", "bygning", "husnummer", "grund")
    )


def read_plots(path: Path | str, *, municipality: str | None = None) -> pd.DataFrame:
    """Read BBR Grund (plot) records, all rows; ``bestemtFastEjendom`` links the Ejendomsrelation.

    The REST shape nests the Ejendomsrelation (``bestemtFastEjendom.ejendommensEjerforholdskode``);
    the file extract names it by id (``bestemtFastEjendom``).
    """
    return _read_with_ids(
        path, PLOT_FIELDS, municipality,
        ("id_lokalId", "bestemtFastEjendom", "bestemtFastEjendom.id_lokalId"),
    )


def read_property_relations(path: Path | str, *, municipality: str | None = None) -> pd.DataFrame:
    """Read BBR Ejendomsrelation records, all rows (``ejendommensEjerforholdskode``, BFE)."""
    return _read_with_ids(path, RELATION_FIELDS, municipality, ("id_lokalId",))


def plot_owners(plots: pd.DataFrame, relations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the owner type (ejerforholdskode) and BFE number of each current plot.

    Taken from the Ejendomsrelation nested in the plot record where there is one, else from
    the current Ejendomsrelation the plot names (``bestemtFastEjendom``) in ``relations``.

    Returns
    -------
    owners
        Indexed by plot ``id_lokalId`` (= BBR Bygning ``grund``): ``owner_type``, ``bfe``.
    """
    plots, _ = latest_current(plots)
    owners = pd.DataFrame(index=pd.Index(plots["id_lokalId"], name="grund"))
    owners["owner_type"] = plots["bestemtFastEjendom.ejendommensEjerforholdskode"].to_numpy()
    owners["bfe"] = plots["bestemtFastEjendom.bfeNummer"].to_numpy()
    if relations is not None and not relations.empty:
        current, _ = latest_current(relations)
        by_id = current.set_index("id_lokalId")
        link = plots["bestemtFastEjendom"].fillna(plots["bestemtFastEjendom.id_lokalId"])
        link.index = owners.index
        owners["owner_type"] = owners["owner_type"].fillna(
            link.map(by_id["ejendommensEjerforholdskode"])
        )
        owners["bfe"] = owners["bfe"].fillna(link.map(by_id["bfeNummer"]))
    owners = owners.astype(object).where(owners.notna(), None)
    return owners[~owners.index.duplicated(keep="last")]


def unit_heating(units: pd.DataFrame, storeys: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return each building's heating as registered on its current units.

    The installation (``enh051``) and fuel (``enh052``) heating the largest unit area
    (``enh026``) win, as BBR registers the installation heating the largest part of a building
    (domain.md §1.5.2). OIS units carry no ``bygning``; they are linked through their storey
    (``etage`` → BBR Etage ``bygning``), so pass ``storeys`` for the file extract.

    Returns
    -------
    heating
        Indexed by building ``id_lokalId``: ``installation``, ``fuel``, ``area_m2``.
    """
    units, _ = latest_current(units)
    units = units[units["enh051Varmeinstallation"].notna()].copy()
    building = units["bygning"] if "bygning" in units else pd.Series(None, index=units.index)
    if storeys is not None and not storeys.empty:
        current_storeys, _ = latest_current(storeys)
        storey_building = current_storeys.set_index("id_lokalId")["bygning"]
        building = building.fillna(units["etage"].map(storey_building))
    units["building_id"] = building
    units = units[units["building_id"].notna()]
    units["area_m2"] = to_number(units["enh026EnhedensSamledeAreal"]).fillna(0.0)
    units["fuel"] = units["enh052Opvarmningsmiddel"].fillna("")
    grouped = (
        units.groupby(["building_id", "enh051Varmeinstallation", "fuel"])["area_m2"]
        .sum()
        .reset_index()
        .sort_values(
            ["building_id", "area_m2", "enh051Varmeinstallation", "fuel"],
            ascending=[True, False, True, True],
        )
        .drop_duplicates("building_id")
        .rename(columns={"enh051Varmeinstallation": "installation"})
        .set_index("building_id")
    )
    grouped["fuel"] = grouped["fuel"].replace("", None)
    return grouped[["installation", "fuel", "area_m2"]]


def active_oil_tanks(technical: pd.DataFrame) -> pd.DataFrame:
    """Return the current oil tanks in use: class 1110, status 6, not decommissioned.

    A tank counts as decommissioned when it has a decommissioning year
    (``tek072Sløjfningsår`` > 0), a decommissioning method (``tek028SløjfningOlietank``) or the
    operating status "not in operation" (``tek110Driftstatus`` 2).
    """
    current, _ = latest_current(technical)
    tanks = current[(current["tek020Klassifikation"] == "1110") & (current["status"] == "6")]
    year = to_number(tanks["tek072Sloejfningsaar"]).fillna(0)
    decommissioned = (
        (year > 0) | tanks["tek028SloejfningOlietank"].notna()
        | (tanks["tek110Driftstatus"] == "2")
    )
    return tanks[~decommissioned]
