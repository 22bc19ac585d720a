"""Turn Danish register extracts into a heatplan dataset folder (the input contract).

:func:`import_registers` reads BBR (Bygning, and optionally Enhed, Etage and Tekniske anlæg),
GeoDanmark footprints and road centrelines, DAR addresses and a heat-plan layer, and returns
the contract layers plus a table of every current BBR building that was not kept, with its
reason. :func:`write_dataset` writes them as ``OUT/gis_data/<name>.gpkg`` (layers
``properties``, ``districts``, ``streets``, ``heat_sources`` and ``dh_network`` when given),
``OUT/import_rejected.gpkg`` and ``OUT/import_report.json`` with the counts.

Rules (docs/importing.md explains each):

- current rows only (``registreringTil`` and ``virkningTil`` empty), status 6 (Opført) kept;
- ancillary buildings (use 910–960) and buildings with heating 9 or none and no area skipped;
- heated area = byg039 + byg040, else byg038; heating 99 resolved from the units;
- central heating with no fuel but an active oil tank → oil, flagged ``is_fuel_inferred``;
- a BBR use code not in the contract is mapped to its BBR 1.x parent (217 → 210), else rejected;
- geometry: the GeoDanmark footprint, else the BBR point, else the DAR access point;
- energy districts from a heat-plan layer, or formed from building clusters split by a grid;
- feed point: given, or derived at the street node nearest the largest existing DH cluster.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from heatplan.core.errors import InputDataError
from heatplan.core.schema import (
    BBR_USE_CODES,
    HEATING_FUEL_CODES,
    HEATING_INSTALLATION_CODES,
    OWNER_TYPE_CODES,
    RESIDENTIAL_USE_CODES,
)
from heatplan.io import bbr, dar, geodanmark, plandata
from heatplan.io.atomic import atomic_path, check_writable

logger = logging.getLogger(__name__)

CRS = "EPSG:25832"

ANCILLARY_USE_CODES = frozenset({"910", "920", "930", "940", "950", "960"})
"""Garage, carport, udhus, drivhus, overdækning, udestue (domain.md §1.5.1)."""

CENTRAL_HEATING_CODES = frozenset({"2", "6"})
"""byg056 codes whose fuel an oil tank can tell (own boiler, two firing units)."""

STATUS_NAMES: dict[str, str] = {
    "1": "Start", "2": "Projekteret", "3": "Under opførsel", "4": "Sagsgrund", "5": "Oprettet",
    "6": "Opført", "7": "Gældende", "8": "Godkendt", "9": "Afsluttet", "10": "Slettet",
    "11": "Fejlregistreret", "12": "Midlertidig afsluttet", "13": "Delvis afsluttet",
    "14": "Henlagt",
}
"""BBR Livscyklus codes (domain.md §1.6)."""

DEFAULT_OWNER_TYPE = "10"

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


@dataclass(frozen=True)
class ImportSources:
    """The register files of one import; only ``bbr`` is required."""

    bbr: Path
    units: Path | None = None
    storeys: Path | None = None
    tanks: Path | None = None
    footprints: Path | None = None
    addresses: Path | None = None
    address_points: Path | None = None
    roads: Path | None = None
    roads_layer: str | None = None
    districts: Path | None = None
    districts_layer: str | None = None
    district_map: Mapping[str, str] = field(default_factory=dict)
    dh_network: Path | None = None
    heat_sources: Path | None = None
    owner_map: Path | None = None
    plots: Path | None = None
    property_relations: Path | None = None
    municipality: str | None = None


@dataclass(frozen=True)
class ImportSettings:
    """How districts and the feed point are formed when no file gives them (metres)."""

    cluster_distance_m: float = 50.0
    """Buildings closer than this belong to one built-up cluster."""
    district_cell_m: float = 750.0
    """Square grid that splits large clusters into districts (aligned to the CRS origin)."""
    min_district_properties: int = 10
    """Smaller pieces are merged into the nearest larger district."""
    district_buffer_m: float = 25.0
    """District polygons are the properties buffered by this much, clipped to the grid cell."""
    street_margin_m: float = 250.0
    """Roads of other municipalities within this distance of a property are kept."""


@dataclass(frozen=True)
class ImportResult:
    """The contract layers of an import, the rejected buildings and the counts."""

    properties: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    heat_sources: gpd.GeoDataFrame
    dh_network: gpd.GeoDataFrame | None
    rejected: gpd.GeoDataFrame
    counts: dict[str, Any]
    notes: list[str]


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


def _points_from_wkt(wkt: pd.Series) -> gpd.GeoSeries:
    values = wkt.where(wkt.notna(), None).to_numpy()
    geoms = shapely.from_wkt(values, on_invalid="ignore")
    return gpd.GeoSeries(shapely.force_2d(geoms), index=wkt.index, crs=CRS)


def _has_geometry(geoms: gpd.GeoSeries) -> np.ndarray:
    """True where a geometry is present and not empty."""
    values = np.asarray(geoms.array if hasattr(geoms, "array") else geoms, dtype=object)
    return shapely.is_geometry(values) & ~shapely.is_empty(values)


def _read_owner_map(path: Path) -> tuple[pd.Series, pd.Series]:
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


def _link_tanks(tanks: pd.DataFrame, buildings: pd.DataFrame) -> pd.Index:
    """Return the ids of buildings with an active oil tank.

    A tank names its building (``bygning``) in few records; otherwise it is linked to the
    built building (status 6) with the largest heated area at the same house number, else on
    the same plot (``grund``).
    """
    ids = set(tanks["bygning"].dropna()) & set(buildings.index)
    rest = tanks[~tanks["bygning"].isin(ids)]
    built = buildings[buildings["status"] == "6"]
    ranked = built.sort_values("heated_area_m2", ascending=False, kind="stable")
    for key in ("husnummer", "grund"):
        main = ranked.dropna(subset=[key]).drop_duplicates(key)
        main = pd.Series(main.index, index=main[key].to_numpy())
        hits = rest[key].map(main)
        ids |= set(hits.dropna())
        rest = rest[hits.isna()]
    return pd.Index(sorted(ids))


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
        ("no_location", pd.Series(~_has_geometry(frame.geometry), index=frame.index)),
        ("no_address", frame["address"].isna()),
    ]
    reason = pd.Series(None, index=frame.index, dtype=object)
    for name, mask in rules:
        reason = reason.where(reason.notna() | ~mask.fillna(False).astype(bool), name)
    return reason.rename("reason")


def build_properties(
    sources: ImportSources, counts: dict[str, Any], notes: list[str]
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Read BBR and its companions and return ``(properties, rejected)``; fills ``counts``."""
    municipality = bbr.normalise_municipality(sources.municipality)
    raw = bbr.read_buildings(sources.bbr, municipality=municipality)
    current, duplicates = bbr.latest_current(raw)
    counts["bbr_records_read"] = len(raw)
    counts["bbr_history_rows"] = int((~bbr.is_current(raw)).sum())
    counts["bbr_duplicate_current_rows"] = duplicates
    counts["bbr_current_buildings"] = len(current)
    counts["bbr_status"] = {
        k: int(v) for k, v in current["status"].value_counts().sort_index().items()
    }
    if current.empty:
        where = f" in municipality {municipality}" if municipality else ""
        msg = f"{sources.bbr}: no current BBR buildings{where}; check --municipality."
        raise InputDataError(msg)
    b = current.set_index("id_lokalId", drop=False)
    b.index.name = "property_id"
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

    _resolve_mixed_heating(frame, sources, municipality, counts)
    _infer_oil(frame, sources, municipality, counts)
    geometry = _locate(frame, b, sources, counts)
    frame = gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)
    _add_addresses(frame, sources, counts, notes)
    _add_owner_types(frame, b, sources, municipality, counts)

    frame["reason"] = _assign_reasons(frame)
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
    counts["kept"] = len(kept)
    counts["kept_with_dar_address"] = int((kept["address"] != "Adresse ukendt").sum())
    counts["kept_geometry_source"] = {
        k: int(v) for k, v in kept["geometry_source"].value_counts().sort_index().items()
    }
    _owner_note(kept, counts, notes)
    counts["rejected"] = {
        k: int(v) for k, v in rejected["reason"].value_counts().sort_index().items()
    }
    counts["heating_installation"] = {
        k: int(v) for k, v in kept["heating_installation"].value_counts().sort_index().items()
    }
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
    logger.info(
        "BBR: %s current buildings, %s kept, %s rejected (%s)", f"{len(frame):,}",
        f"{len(kept):,}", f"{len(rejected):,}",
        ", ".join(f"{k} {v}" for k, v in counts["rejected"].items()),
    )
    return kept, rejected


def _resolve_mixed_heating(
    frame: pd.DataFrame, sources: ImportSources, municipality: str | None,
    counts: dict[str, Any],
) -> None:
    mixed = frame["heating_installation"] == "99"
    counts["heating_99"] = int(mixed.sum())
    counts["heating_99_resolved"] = 0
    if sources.units is None or not mixed.any():
        return
    units = bbr.read_units(sources.units, municipality=municipality)
    storeys = (bbr.read_storeys(sources.storeys, municipality=municipality)
               if sources.storeys is not None else None)
    if storeys is None and units["bygning"].isna().all():
        logger.warning(
            "The units in %s name no building (OIS extract); give --storeys (BBR Etage) to "
            "link them, heating 99 stays unresolved", sources.units,
        )
        return
    heating = bbr.unit_heating(units, storeys)
    hit = mixed & frame.index.isin(heating.index)
    ids = frame.index[hit]
    frame.loc[ids, "heating_installation"] = heating.loc[ids, "installation"].to_numpy()
    frame.loc[ids, "heating_fuel"] = heating.loc[ids, "fuel"].to_numpy()
    frame.loc[ids, "heating_note"] = "resolved from units (byg056 99)"
    counts["heating_99_resolved"] = len(ids)


def _infer_oil(
    frame: pd.DataFrame, sources: ImportSources, municipality: str | None,
    counts: dict[str, Any],
) -> None:
    frame["has_oil_tank"] = False
    if sources.tanks is None:
        return
    tanks = bbr.active_oil_tanks(
        bbr.read_technical_installations(sources.tanks, municipality=municipality)
    )
    with_tank = _link_tanks(tanks, frame)
    frame.loc[frame.index.isin(with_tank), "has_oil_tank"] = True
    infer = (frame["has_oil_tank"] & frame["heating_installation"].isin(CENTRAL_HEATING_CODES)
             & frame["heating_fuel"].isna())
    frame.loc[infer, "heating_fuel"] = "3"
    frame.loc[infer, "is_fuel_inferred"] = True
    frame.loc[infer, "heating_note"] = (frame.loc[infer, "heating_note"] + "; fuel oil from an "
                                        "active oil tank (Tekniske anlæg 1110)").str.lstrip("; ")
    fuel = frame["heating_fuel"]
    conflict = frame["has_oil_tank"] & fuel.notna() & (fuel != "3")
    counts["active_oil_tanks"] = len(tanks)
    counts["buildings_with_active_oil_tank"] = int(frame["has_oil_tank"].sum())
    counts["fuel_inferred_oil"] = int(infer.sum())
    counts["oil_tank_but_other_fuel"] = int(conflict.sum())


def _locate(
    frame: pd.DataFrame, b: pd.DataFrame, sources: ImportSources, counts: dict[str, Any]
) -> gpd.GeoSeries:
    points = _points_from_wkt(b["byg404Koordinat"])
    geometry = points.copy()
    has_point = _has_geometry(points)
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
    if sources.addresses is None:
        frame["address"] = "Adresse ukendt"
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
    missing = ~_has_geometry(frame.geometry)
    access = key[missing].map(addresses.geometry)
    found = access.notna()
    if found.any():
        frame.loc[access.index[found], "geometry"] = gpd.GeoSeries(access[found], crs=CRS)
        frame.loc[access.index[found], "geometry_source"] = "dar_access_point"
    counts["dar_access_point_used"] = int(found.sum())


def _add_owner_types(
    frame: gpd.GeoDataFrame, b: pd.DataFrame, sources: ImportSources, municipality: str | None,
    counts: dict[str, Any],
) -> None:
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
    owner = owner.where(owner.isin(list(OWNER_TYPE_CODES)))
    source = pd.Series(np.where(owner.notna(), "register", ""), index=frame.index, dtype=object)
    if sources.owner_map is not None:
        by_id, by_bfe = _read_owner_map(sources.owner_map)
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


def _owner_note(kept: pd.DataFrame, counts: dict[str, Any], notes: list[str]) -> None:
    source = kept["owner_type_source"]
    counts["owner_type_source"] = {k: int(v) for k, v in source.value_counts().sort_index().items()}
    default = source == "default"
    if default.any():
        notes.append(
            f"{int(default.sum()):,} properties have no owner type in the register or the owner "
            f"map and were given '{DEFAULT_OWNER_TYPE}' (private). BBR Bygning carries no owner "
            f"type (it is on Ejendomsrelation); give --plots with --property-relations (BBR "
            f"Grund, Ejendomsrelation) or --owner-map CSV (property_id or bfe, owner_type) to "
            f"mark municipal (50) and social-housing (20) buildings."
        )
        logger.warning("%s", notes[-1])


def select_streets(
    sources: ImportSources, properties: gpd.GeoDataFrame, settings: ImportSettings,
    counts: dict[str, Any],
) -> gpd.GeoDataFrame:
    """Road centrelines of the municipality plus those near its properties."""
    if sources.roads is None:
        msg = (
            "No road centrelines given: heatplan routes trenches along streets. Give --roads "
            "(GeoDanmark Vejmidte or a GeoFA road layer such as vej_myndighed.gpkg)."
        )
        raise InputDataError(msg)
    roads = geodanmark.read_roads(sources.roads, layer=sources.roads_layer)
    counts["roads_read"] = len(roads)
    municipality = bbr.normalise_municipality(sources.municipality)
    if municipality is not None and roads["kommunekode"].notna().any():
        own = (roads["kommunekode"] == municipality).fillna(False).to_numpy()
        hits = shapely.STRtree(roads.geometry.to_numpy()).query(
            properties.geometry.to_numpy(), predicate="dwithin",
            distance=settings.street_margin_m,
        )[1]
        near = np.zeros(len(roads), bool)
        near[hits] = True
        roads = roads[own | near].reset_index(drop=True)
    roads.index = pd.Index([f"R{i + 1:05d}" for i in range(len(roads))], name="street_id")
    counts["streets"] = len(roads)
    counts["streets_km"] = round(float(roads.length.sum()) / 1000, 2)
    return roads


def _clusters(geoms: np.ndarray, distance_m: float) -> np.ndarray:
    """Label geometries so that any two closer than ``distance_m`` share a label."""
    pairs = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=distance_m)
    graph = sparse.coo_matrix(
        (np.ones(pairs.shape[1]), (pairs[0], pairs[1])), shape=(len(geoms), len(geoms))
    )
    return csgraph.connected_components(graph, directed=False)[1]


def form_districts(
    properties: gpd.GeoDataFrame, settings: ImportSettings
) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """Form energy districts from the properties when no heat-plan layer exists.

    Properties closer than ``cluster_distance_m`` form one built-up cluster; each cluster is
    split by a square grid of ``district_cell_m``; pieces with fewer than
    ``min_district_properties`` properties join the nearest larger piece. A district's polygon
    is its properties buffered by ``district_buffer_m``, clipped to its grid cells, so districts
    never overlap. Its status is ``existing_dh`` when most of its heated area has district
    heating (byg056 1), else ``undecided`` (heatplan recommends). Its name is the most common
    street of its addresses.

    Returns
    -------
    districts, district_of
        The districts (index ``district_id``, ``A01``, ``A02``, … from north-west to
        south-east) and each property's district id.
    """
    geoms = properties.geometry.to_numpy()
    reps = shapely.point_on_surface(geoms)
    cluster_of = _clusters(geoms, settings.cluster_distance_m)
    cell = settings.district_cell_m
    buffer_m = min(settings.district_buffer_m, settings.cluster_distance_m / 2)
    cx = np.floor(shapely.get_x(reps) / cell).astype(np.int64)
    cy = np.floor(shapely.get_y(reps) / cell).astype(np.int64)
    keys = pd.DataFrame({"cluster": cluster_of, "cx": cx, "cy": cy})
    piece = keys.groupby(["cluster", "cx", "cy"], sort=True).ngroup().to_numpy()
    n_pieces = int(piece.max()) + 1
    sizes = np.bincount(piece, minlength=n_pieces)
    px = np.bincount(piece, weights=shapely.get_x(reps), minlength=n_pieces) / sizes
    py = np.bincount(piece, weights=shapely.get_y(reps), minlength=n_pieces) / sizes
    big = np.flatnonzero(sizes >= settings.min_district_properties)
    if len(big) == 0:
        big = np.array([int(np.argmax(sizes))])
    nearest = np.argmin(np.hypot(px[:, None] - px[big], py[:, None] - py[big]), axis=1)
    target = big[nearest]
    target[big] = big
    group = target[piece]
    order = np.argsort(piece, kind="stable")
    members_of = np.split(order, np.cumsum(sizes)[:-1])  # positions of each piece's properties
    buffers = shapely.buffer(geoms, buffer_m, quad_segs=4)
    area = properties["heated_area_m2"].to_numpy(dtype=float)
    dh_area = np.where(properties["heating_installation"].to_numpy() == "1", area, 0.0)
    street = (properties["address"].astype("string")
              .str.replace(r"\s+\S*\d\S*$", "", regex=True).to_numpy())
    rows = []
    for k in big:
        positions = np.concatenate([members_of[p] for p in np.flatnonzero(target == k)])
        pieces = []
        for p in np.flatnonzero(target == k):
            gx, gy = cx[members_of[p][0]], cy[members_of[p][0]]
            box = shapely.box(gx * cell, gy * cell, (gx + 1) * cell, (gy + 1) * cell)
            pieces.append(shapely.intersection(shapely.union_all(buffers[members_of[p]]), box))
        polygon = shapely.union_all(pieces)
        dh_share = dh_area[positions].sum() / max(area[positions].sum(), 1e-9)
        streets = pd.Series(street[positions]).dropna()
        streets = streets[~streets.isin(["Adresse ukendt", ""])]
        top = streets.value_counts().sort_index().sort_values(ascending=False, kind="stable")
        name = (f"{top.index[0]} m.fl." if len(top) > 1 else top.index[0]) if len(top) else None
        rows.append({
            "key": int(k), "name": name, "n_properties": len(positions),
            "dh_area_share": round(float(dh_share), 3),
            "status": "existing_dh" if dh_share > 0.5 else "undecided",
            "geometry": polygon, "y": shapely.get_y(shapely.centroid(polygon)),
            "x": shapely.get_x(shapely.centroid(polygon)),
        })
    table = pd.DataFrame(rows).sort_values(["y", "x"], ascending=[False, True], kind="stable")
    width = max(2, len(str(len(table))))
    table["district_id"] = [f"A{i + 1:0{width}d}" for i in range(len(table))]
    table["name"] = table["name"].fillna(table["district_id"])
    id_of_key = dict(zip(table["key"], table["district_id"], strict=True))
    districts = gpd.GeoDataFrame(
        table[["district_id", "name", "status", "n_properties", "dh_area_share"]],
        geometry=table["geometry"].to_numpy(), crs=CRS,
    ).set_index("district_id")
    districts["planned_phase"] = pd.array([pd.NA] * len(districts), dtype="Int64")
    districts["origin"] = "formed from building clusters and a grid (no heat-plan layer)"
    district_of = pd.Series(group, index=properties.index).map(id_of_key)
    return districts, district_of.rename("district_id")


def derive_heat_source(
    properties: gpd.GeoDataFrame, streets: gpd.GeoDataFrame, settings: ImportSettings,
    notes: list[str],
) -> gpd.GeoDataFrame:
    """A feed point where the register shows existing district heating.

    The properties with district heating (byg056 1) are clustered (``cluster_distance_m``);
    the feed point is the street node (segment end) nearest the centre of the cluster with the
    largest heated area. Without any district heating it is the street node nearest the
    area-weighted centre of all properties. Flagged ``is_derived``.
    """
    dh = properties[properties["heating_installation"] == "1"]
    if len(dh):
        cluster_of = _clusters(dh.geometry.to_numpy(), settings.cluster_distance_m)
        area = pd.Series(dh["heated_area_m2"].to_numpy()).groupby(cluster_of).sum()
        best = int(area.sort_values(ascending=False, kind="stable").index[0])
        chosen = dh[cluster_of == best]
        centre = shapely.centroid(shapely.union_all(chosen.geometry.to_numpy()))
        how = (f"derived: street node nearest the largest existing district-heating cluster in "
               f"BBR ({len(chosen)} buildings with byg056 1, {chosen['heated_area_m2'].sum():,.0f}"
               f" m²)")
        name = "Eksisterende fjernvarme (afledt tilslutningspunkt)"
    else:
        w = properties["heated_area_m2"].to_numpy()
        reps = shapely.point_on_surface(properties.geometry.to_numpy())
        centre = shapely.Point(np.average(shapely.get_x(reps), weights=w),
                               np.average(shapely.get_y(reps), weights=w))
        how = ("derived: no district heating in BBR; street node nearest the area-weighted "
               "centre of the properties")
        name = "Antaget tilslutningspunkt (afledt)"
    nodes = shapely.get_parts(shapely.boundary(streets.geometry.to_numpy()))
    node = nodes[int(np.argmin(shapely.distance(nodes, centre)))] if len(nodes) else centre
    notes.append(f"No --heat-sources given: one feed point {how}. Check it with the utility.")
    logger.warning("%s", notes[-1])
    sources = gpd.GeoDataFrame(
        {"source_id": ["derived_feed_1"], "name": [name], "capacity_mw": [np.nan],
         "is_derived": [True], "derivation": [how]},
        geometry=[node], crs=CRS,
    )
    return sources.set_index("source_id")


def import_registers(
    sources: ImportSources, *, settings: ImportSettings | None = None
) -> ImportResult:
    """Read the register extracts and return the dataset in the input contract.

    Parameters
    ----------
    sources
        The files; see :class:`ImportSources`.
    settings
        District forming and street selection; :class:`ImportSettings` defaults when ``None``.

    Returns
    -------
    result
        The contract layers, the rejected BBR buildings (``reason``, ``detail``) and the counts.

    Raises
    ------
    InputDataError
        If a file cannot be read or no current building is left.
    """
    settings = settings or ImportSettings()
    counts: dict[str, Any] = {"municipality": bbr.normalise_municipality(sources.municipality)}
    timings: dict[str, float] = {}
    notes: list[str] = []
    start = time.perf_counter()
    properties, rejected = build_properties(sources, counts, notes)
    timings["properties_s"] = time.perf_counter() - start
    if properties.empty:
        msg = f"{sources.bbr}: every current building was rejected ({counts['rejected']})."
        raise InputDataError(msg)

    step = time.perf_counter()
    streets = select_streets(sources, properties, settings, counts)
    timings["streets_s"] = time.perf_counter() - step

    step = time.perf_counter()
    if sources.districts is not None:
        districts = plandata.read_districts(
            sources.districts, layer=sources.districts_layer, column_map=sources.district_map,
            municipality=counts["municipality"],
        )
        counts["districts_source"] = str(sources.districts)
        joined = gpd.sjoin(
            properties[["geometry"]].set_geometry(properties.representative_point()),
            districts[["geometry"]], how="left", predicate="within",
        )
        first = joined[~joined.index.duplicated(keep="first")]["district_id"]
        properties["district_id"] = first.reindex(properties.index).astype(object)
        counts["properties_outside_districts"] = int(properties["district_id"].isna().sum())
    else:
        districts, district_of = form_districts(properties, settings)
        properties["district_id"] = district_of.reindex(properties.index).to_numpy()
        counts["districts_source"] = "formed (building clusters split by a grid)"
        notes.append(
            f"No heat-plan layer given: {len(districts)} districts were formed from building "
            f"clusters ({settings.cluster_distance_m:g} m) split by a "
            f"{settings.district_cell_m:g} m grid. Replace them with the municipality's "
            f"energy districts (--districts) when they exist."
        )
    counts["districts"] = len(districts)
    counts["district_status"] = {
        k: int(v) for k, v in districts["status"].value_counts().sort_index().items()
    }
    timings["districts_s"] = time.perf_counter() - step

    dh_network = None
    if sources.dh_network is not None:
        dh_network = geodanmark.read_layer(sources.dh_network)
        dh_network = dh_network[dh_network.geom_type.isin(["LineString", "MultiLineString"])]
        counts["dh_network_segments"] = len(dh_network)
    if sources.heat_sources is not None:
        heat_sources = geodanmark.read_layer(sources.heat_sources)
        heat_sources = heat_sources[heat_sources.geom_type == "Point"]
        if "source_id" not in heat_sources:
            heat_sources["source_id"] = [f"S{i + 1}" for i in range(len(heat_sources))]
        if "name" not in heat_sources:
            heat_sources["name"] = heat_sources["source_id"]
        heat_sources = heat_sources.set_index("source_id")
        heat_sources["is_derived"] = False
    else:
        heat_sources = derive_heat_source(properties, streets, settings, notes)
    counts["heat_sources"] = len(heat_sources)
    counts["heat_source_derived"] = bool(heat_sources["is_derived"].any())
    timings["total_s"] = time.perf_counter() - start
    counts["timings_s"] = {k: round(v, 2) for k, v in timings.items()}
    return ImportResult(
        properties=properties, districts=districts, streets=streets, heat_sources=heat_sources,
        dh_network=dh_network, rejected=rejected, counts=counts, notes=notes,
    )


def _check_column_names(frame: pd.DataFrame, layer: str) -> None:
    """GeoPackage field names are case-insensitive: refuse names equal but for case."""
    names = [str(c) for c in frame.columns] + [str(frame.index.name or "")]
    lowered = pd.Series([n.lower() for n in names if n])
    clash = sorted(set(lowered[lowered.duplicated()]))
    if clash:
        msg = f"Layer {layer}: columns {clash} differ only in case; GeoPackage cannot hold both."
        raise InputDataError(msg)


def output_paths(out_dir: Path | str, *, name: str = "imported") -> dict[str, Path]:
    """The files :func:`write_dataset` writes into ``out_dir``."""
    out_dir = Path(out_dir)
    return {
        "dataset": out_dir / "gis_data" / f"{name}.gpkg",
        "rejected": out_dir / "import_rejected.gpkg",
        "report": out_dir / "import_report.json",
    }


def check_outputs(out_dir: Path | str, *, name: str = "imported", overwrite: bool = False) -> None:
    """Raise :class:`OutputExistsError` before any work if an output exists (no ``overwrite``)."""
    for path in output_paths(out_dir, name=name).values():
        check_writable(path, overwrite=overwrite)


def write_dataset(
    result: ImportResult, out_dir: Path | str, *, name: str = "imported", overwrite: bool = False
) -> dict[str, Path]:
    """Write an import as a dataset folder that ``heatplan validate`` and ``plan`` accept.

    Writes ``gis_data/<name>.gpkg`` (contract layers), ``import_rejected.gpkg`` (layer
    ``rejected``) and ``import_report.json`` (counts and notes), each atomically.

    Raises
    ------
    OutputExistsError
        If a file exists and ``overwrite`` is false.
    """
    paths = output_paths(out_dir, name=name)
    check_outputs(out_dir, name=name, overwrite=overwrite)
    layers: dict[str, gpd.GeoDataFrame] = {
        "properties": result.properties,
        "districts": result.districts,
        "streets": result.streets,
        "heat_sources": result.heat_sources,
    }
    if result.dh_network is not None and len(result.dh_network):
        layers["dh_network"] = result.dh_network
    with atomic_path(paths["dataset"], overwrite=overwrite) as tmp:
        for layer, frame in layers.items():
            _check_column_names(frame, layer)
            frame.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")
    rejected = result.rejected.copy()
    rejected.index.name = "bbr_id"
    rejected = rejected.set_geometry(rejected.geometry.where(_has_geometry(rejected.geometry)))
    with atomic_path(paths["rejected"], overwrite=overwrite) as tmp:
        _check_column_names(rejected, "rejected")
        rejected.to_file(tmp, layer="rejected", driver="GPKG", engine="pyogrio")
    report = {"counts": result.counts, "notes": result.notes,
              "files": {k: str(v) for k, v in paths.items()}}
    with atomic_path(paths["report"], overwrite=overwrite) as tmp:
        tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                       encoding="utf-8")
    logger.info("Wrote %s, %s and %s", *paths.values())
    return paths
