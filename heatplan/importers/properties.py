"""The contract's properties from BBR Bygning, and every current building not kept, with why.

Rules (docs/importing.md explains each):

- current rows only (``registreringTil`` and ``virkningTil`` empty), status 6 (Opført) kept;
- ancillary buildings (use 910–960) and buildings with heating 9 or none and no area skipped;
- heated area = byg039 + byg040, else byg038 (m²); heating 99 resolved from the units;
- central heating with no fuel but an active oil tank → oil, flagged ``is_fuel_inferred``;
- a BBR use code not in the contract is mapped to its BBR 1.x parent (217 → 210), else rejected;
- geometry: the GeoDanmark footprint, else the BBR point, else the DAR access point.
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from heatplan import PROJECT_CRS
from heatplan.core.errors import InputDataError
from heatplan.core.schema import (
    BBR_USE_CODES,
    HEATING_FUEL_CODES,
    HEATING_INSTALLATION_CODES,
    RESIDENTIAL_USE_CODES,
)
from heatplan.importers.heating import infer_oil, resolve_mixed_heating
from heatplan.importers.inputs import ImportSources
from heatplan.importers.owners import add_owner_types, owner_note
from heatplan.importers.tally import code_counts
from heatplan.io import bbr, dar, geodanmark

logger = logging.getLogger(__name__)

ANCILLARY_USE_CODES = frozenset({"910", "920", "930", "940", "950", "960"})
"""Garage, carport, udhus, drivhus, overdækning, udestue (domain.md §1.5.1)."""

STATUS_NAMES: dict[str, str] = {
    "1": "Start", "2": "Projekteret", "3": "Under opførsel", "4": "Sagsgrund", "5": "Oprettet",
    "6": "Opført", "7": "Gældende", "8": "Godkendt", "9": "Afsluttet", "10": "Slettet",
    "11": "Fejlregistreret", "12": "Midlertidig afsluttet", "13": "Delvis afsluttet",
    "14": "Henlagt",
}
"""BBR Livscyklus codes (domain.md §1.6)."""

REJECT_REASONS: dict[str, str] = {
    "status_deleted": "BBR status 10 (slettet/historisk)",
    "status_wrong": "BBR status 11 (fejlregistreret)",
    "status_not_built": "BBR status other than 6 (opført): projected, under construction, closed",
    "ancillary_building": "garage, carport, shed, greenhouse, porch (use 910-960) without heating",
    "unheated_no_area": "heating 9 or none registered and no heated area",
    "use_not_in_contract": "use code neither in the contract nor with a parent code in it",
    "heating_not_registered": "no heating installation registered (byg056 empty)",
    "heating_code_unknown": "byg056 not a known heating installation code",
    "no_heated_area": "byg039 + byg040 and byg038 are zero or empty",
    "no_year_built": "byg026 empty or before 1500",
    "no_location": "no footprint, no BBR point and no DAR access point",
    "no_address": "house number not found in the DAR extract",
}

UNKNOWN_ADDRESS = "Adresse ukendt"
"""The address text of a property whose house number has no DAR address."""


def contract_use_code(code: pd.Series) -> pd.Series:
    """Map BBR use codes onto the contract's list: the code itself, else its BBR 1.x parent.

    BBR 2.0 split the old codes into finer ones (210 → 211–219, 310 → 311–319, ...); the
    parent is the code with the last digit set to 0. Codes with neither in the contract
    become missing.

    Examples
    --------
    >>> contract_use_code(pd.Series(["120", "217", "314", "970", None])).tolist()
    ['120', '210', '310', None, None]
    """
    text = code.astype("string").str.strip()
    parent = text.str[:2] + "0"
    out = text.where(text.isin(list(BBR_USE_CODES)))
    out = out.fillna(parent.where(parent.isin(list(BBR_USE_CODES))))
    return out.astype(object).where(out.notna(), None)


def build_properties(
    sources: ImportSources, counts: dict[str, Any], notes: list[str]
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Read BBR and its companions and return ``(properties, rejected)``; fills ``counts``.

    The steps: the current buildings and their contract fields, their heating (code 99, oil
    tanks), location, address and owner type, then the rules that keep or reject each one.
    """
    municipality = bbr.normalise_municipality(sources.municipality)
    b = _current_buildings(sources, municipality, counts)
    frame = _building_fields(b)
    resolve_mixed_heating(frame, sources, municipality, counts)
    infer_oil(frame, sources, municipality, counts)
    geometry = _locate(frame, b, sources, counts)
    frame = gpd.GeoDataFrame(frame, geometry=geometry, crs=PROJECT_CRS)
    _add_addresses(frame, sources, counts, notes)
    add_owner_types(frame, b, sources, municipality, counts)
    frame["reason"] = _assign_reasons(frame)
    kept, rejected = _split_kept(frame)
    _count_kept(kept, rejected, counts, notes)
    logger.info(
        "BBR: %s current buildings, %s kept, %s rejected (%s)", f"{len(frame):,}",
        f"{len(kept):,}", f"{len(rejected):,}",
        ", ".join(f"{k} {v}" for k, v in counts["rejected"].items()),
    )
    return kept, rejected


def _current_buildings(
    sources: ImportSources, municipality: str | None, counts: dict[str, Any]
) -> pd.DataFrame:
    """The current BBR Bygning rows, indexed by ``property_id``; counts what was read."""
    raw = bbr.read_buildings(sources.bbr, municipality=municipality)
    current, duplicates = bbr.latest_current(raw)
    counts["bbr_records_read"] = len(raw)
    counts["bbr_history_rows"] = int((~bbr.is_current(raw)).sum())
    counts["bbr_duplicate_current_rows"] = duplicates
    counts["bbr_current_buildings"] = len(current)
    counts["bbr_status"] = code_counts(current["status"])
    if current.empty:
        where = f" in municipality {municipality}" if municipality else ""
        msg = f"{sources.bbr}: no current BBR buildings{where}; check --municipality."
        raise InputDataError(msg)
    b = current.set_index("id_lokalId", drop=False)
    b.index.name = "property_id"
    return b


def _building_fields(b: pd.DataFrame) -> pd.DataFrame:
    """The contract fields of each building (heated area in m²), plus the BBR links."""
    area_living = bbr.to_number(b["byg039BygningensSamledeBoligAreal"]).fillna(0)
    area_business = bbr.to_number(b["byg040BygningensSamledeErhvervsAreal"]).fillna(0)
    area_total = bbr.to_number(b["byg038SamletBygningsareal"])
    heated = (area_living + area_business).where(area_living + area_business > 0, area_total)
    frame = pd.DataFrame(index=b.index)
    frame["bbr_use_code_original"] = b["byg021BygningensAnvendelse"]
    frame["bbr_use_code"] = contract_use_code(b["byg021BygningensAnvendelse"])
    frame["year_built"] = bbr.to_number(b["byg026Opfoerelsesaar"]).round().astype("Int64")
    frame["heated_area_m2"] = heated.fillna(0.0)
    frame["heating_installation"] = b["byg056Varmeinstallation"]
    frame["heating_fuel"] = b["byg057Opvarmningsmiddel"]
    frame["supplementary_heating"] = b["byg058SupplerendeVarme"]
    frame["heating_note"] = ""
    frame["is_fuel_inferred"] = False
    flats = (bbr.to_number(b["byg024AntalLejlighederMedKoekken"]).fillna(0)
             + bbr.to_number(b["byg025AntalLejlighederUdenKoekken"]).fillna(0))
    is_home = frame["bbr_use_code"].isin(RESIDENTIAL_USE_CODES)
    frame["dwellings"] = flats.where(flats > 0, is_home.astype(float)).round().astype("Int64")
    for column in ("status", "kommunekode", "husnummer", "grund", "bfeNummer"):
        frame[column] = b[column]
    return frame


def _locate(
    frame: pd.DataFrame, b: pd.DataFrame, sources: ImportSources, counts: dict[str, Any]
) -> gpd.GeoSeries:
    """Each building's footprint, else its BBR point; sets ``geometry_source`` in place."""
    points = geodanmark.points_from_wkt(b["byg404Koordinat"], on_invalid="ignore")
    geometry = points.copy()
    has_point = geodanmark.has_geometry(points)
    source = pd.Series(np.where(has_point, "bbr_point", ""), index=frame.index)
    if sources.footprints is not None:
        footprints = geodanmark.read_footprints(sources.footprints)
        hit = frame.index.isin(footprints.index)
        geometry[hit] = footprints.geometry.reindex(frame.index[hit]).to_numpy()
        source[hit] = "footprint"
        frame["geodanmark_id"] = footprints["geodanmark_id"].reindex(frame.index).to_numpy()
        counts["footprints_read"] = len(footprints)
        counts["footprints_joined"] = int(hit.sum())
    frame["geometry_source"] = source
    return geometry


def _add_addresses(
    frame: gpd.GeoDataFrame, sources: ImportSources, counts: dict[str, Any], notes: list[str]
) -> None:
    """Set ``address`` and ``postcode`` from DAR, and the access point where no geometry."""
    if sources.addresses is None:
        frame["address"] = UNKNOWN_ADDRESS
        frame["postcode"] = "ukendt"
        notes.append(
            "No DAR address file given: every property's address is 'Adresse ukendt'. Give "
            "--addresses (DAR Adresse) for the residents' map."
        )
        counts["dar_addresses_joined"] = 0
        return
    addresses = dar.read_addresses(sources.addresses, sources.address_points)
    key = frame["husnummer"]
    frame["address"] = key.map(addresses["address"]).astype(object)
    frame["postcode"] = key.map(addresses["postcode"]).astype(object)
    frame["address"] = frame["address"].where(frame["address"].notna(), None)
    frame["postcode"] = frame["postcode"].where(frame["postcode"].notna(), None)
    counts["dar_addresses_joined"] = int(frame["address"].notna().sum())
    missing = ~geodanmark.has_geometry(frame.geometry)
    access = key[missing].map(addresses.geometry)
    found = access.notna()
    if found.any():
        frame.loc[access.index[found], "geometry"] = gpd.GeoSeries(access[found], crs=PROJECT_CRS)
        frame.loc[access.index[found], "geometry_source"] = "dar_access_point"
    counts["dar_access_point_used"] = int(found.sum())


def _assign_reasons(frame: pd.DataFrame) -> pd.Series:
    """First failing rule of each current building (``None`` where kept); order matters."""
    status = frame["status"].fillna("")
    heating = frame["heating_installation"]
    unheated = heating.isna() | (heating == "9")
    rules = [
        ("status_deleted", status == "10"),
        ("status_wrong", status == "11"),
        ("status_not_built", status != "6"),
        ("ancillary_building", frame["bbr_use_code_original"].isin(ANCILLARY_USE_CODES)
         & unheated),
        ("unheated_no_area", unheated & ~(frame["heated_area_m2"] > 0)),
        ("use_not_in_contract", frame["bbr_use_code"].isna()),
        ("heating_not_registered", heating.isna()),
        ("heating_code_unknown", ~heating.isin(list(HEATING_INSTALLATION_CODES))),
        ("no_heated_area", ~(frame["heated_area_m2"] > 0)),
        ("no_year_built", ~(frame["year_built"] >= 1500)),
        ("no_location", pd.Series(~geodanmark.has_geometry(frame.geometry), index=frame.index)),
        ("no_address", frame["address"].isna()),
    ]
    reason = pd.Series(None, index=frame.index, dtype=object)
    for name, mask in rules:
        reason = reason.where(reason.notna() | ~mask.fillna(False).astype(bool), name)
    return reason.rename("reason")


def _split_kept(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Split by ``reason`` into the kept properties and the rejected buildings (``detail``)."""
    rejected = frame[frame["reason"].notna()].copy()
    rejected["detail"] = rejected["reason"].map(REJECT_REASONS)
    is_status = rejected["reason"].str.startswith("status_")
    rejected.loc[is_status, "detail"] = (
        "BBR status " + rejected.loc[is_status, "status"].fillna("")
        + " " + rejected.loc[is_status, "status"].map(STATUS_NAMES).fillna("")
    )
    kept = frame[frame["reason"].isna()].drop(columns=["reason"])
    kept["district_id"] = None
    kept["connection_status"] = None
    return kept, rejected


def _count_kept(
    kept: gpd.GeoDataFrame, rejected: gpd.GeoDataFrame, counts: dict[str, Any],
    notes: list[str],
) -> None:
    """Count the kept and rejected buildings; blank (and note) unknown fuel codes in place."""
    counts["kept"] = len(kept)
    counts["kept_with_dar_address"] = int((kept["address"] != UNKNOWN_ADDRESS).sum())
    counts["kept_geometry_source"] = code_counts(kept["geometry_source"])
    counts["owner_type_source"] = code_counts(kept["owner_type_source"])
    owner_note(kept, notes)
    counts["rejected"] = code_counts(rejected["reason"])
    counts["heating_installation"] = code_counts(kept["heating_installation"])
    counts["use_code_mapped_to_parent"] = int(
        (kept["bbr_use_code"] != kept["bbr_use_code_original"]).sum()
    )
    fuel = kept["heating_fuel"]
    bad_fuel = fuel.notna() & ~fuel.isin(list(HEATING_FUEL_CODES))
    if bad_fuel.any():
        notes.append(
            f"{int(bad_fuel.sum()):,} properties had a heating fuel (byg057) outside the code "
            f"list {sorted(set(fuel[bad_fuel]))}; it was left empty."
        )
        kept.loc[bad_fuel, "heating_fuel"] = None
    counts["fuel_code_unknown_blanked"] = int(bad_fuel.sum())
