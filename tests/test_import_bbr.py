"""BBR importer on the real extracts in ../shared/data and on hand-made toy files.

Expected figures are computed here from the raw files with a few lines of independent parsing
(regular expressions over the Latin-1 XML text, ``json`` for the REST file), never taken from
the importer's own output.
"""

from __future__ import annotations

import collections
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from heatplan.core.errors import InputDataError
from heatplan.core.schema import BBR_USE_CODES
from heatplan.importers import ImportSources, build_properties, contract_use_code
from heatplan.io import bbr

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DAWA = DATA / "dawa-testdata"
REST = DATA / "bbr-rest-jammerbugt" / "bbr_bygning_rest.json"
ANCILLARY = {"910", "920", "930", "940", "950", "960"}

needs_dawa = pytest.mark.skipif(
    not DAWA.is_dir(), reason=f"real BBR extracts not found at {DAWA} (../shared/data is absent)"
)
needs_rest = pytest.mark.skipif(
    not REST.is_file(), reason=f"Datafordeler REST fixture not found at {REST}"
)


def _extract(pattern: str) -> Path:
    return next(DAWA.glob(pattern))


def _raw_rows(pattern: str, tag: str) -> list[dict[str, str]]:
    """Independent parse: split the Latin-1 XML text on row tags, read fields by regex."""
    with zipfile.ZipFile(_extract(pattern)) as archive:
        text = archive.read(archive.namelist()[0]).decode("iso-8859-1")
    field = re.compile(r"<([^<>/\s]+)>([^<]*)</\1>")
    return [dict(field.findall(chunk)) for chunk in text.split(f"<{tag}>")[1:]]


@pytest.fixture(scope="module")
def raw_buildings() -> list[dict[str, str]]:
    return _raw_rows("OIS_GRBBR_CO50200T_*.ZIP", "CO50200t")


@pytest.fixture(scope="module")
def current_raw(raw_buildings) -> list[dict[str, str]]:
    return [r for r in raw_buildings if "registreringTil" not in r and "virkningTil" not in r]


@pytest.fixture(scope="module")
def all_buildings() -> pd.DataFrame:
    """Every row of the Bygning extract as the importer reads it."""
    return bbr.read_buildings(_extract("OIS_GRBBR_CO50200T_*.ZIP"))


MUNICIPALITIES = [
    "0155",  # Dragør: individual gas boilers, a gas-conversion case
    pytest.param("0185", marks=pytest.mark.slow),  # Tårnby
    pytest.param("0461", marks=pytest.mark.slow),  # Odense: mostly district heating already
]


@pytest.fixture(scope="module", params=MUNICIPALITIES)
def municipal(request):
    """Importer output for one municipality: (code, kept, rejected, counts, notes)."""
    counts: dict = {}
    notes: list[str] = []
    sources = ImportSources(
        bbr=_extract("OIS_GRBBR_CO50200T_*.ZIP"), tanks=_extract("OIS_GRBBR_CO51500T_*.ZIP"),
        footprints=DAWA / "bygninger.json", addresses=DAWA / "Adresse.ndjson",
        address_points=DAWA / "Adressepunkt.ndjson", municipality=request.param.lstrip("0"),
    )
    kept, rejected = build_properties(sources, counts, notes)
    return request.param, kept, rejected, counts, notes


@pytest.fixture(scope="module")
def dar_house_numbers() -> set[str]:
    rows = [json.loads(line) for line in (DAWA / "Adresse.ndjson").read_text().splitlines()]
    return {r["husnummer_id"] for r in rows if r["registreringtil"] is None
            and r["virkningtil"] is None and r["status"] in ("2", "3")}


@needs_dawa
def test_latin1_zipped_xml_is_read_with_ascii_field_names(raw_buildings, all_buildings):
    with zipfile.ZipFile(_extract("OIS_GRBBR_CO50200T_*.ZIP")) as archive:
        head = archive.read(archive.namelist()[0])[:4000]
    assert b'encoding="ISO-8859-1"' in head
    assert "byg026Opførelsesår".encode("iso-8859-1") in head  # Danish letters as Latin-1 bytes
    table = all_buildings
    assert len(table) == len(raw_buildings) == 18625
    assert "byg026Opfoerelsesaar" in table.columns
    assert "byg024AntalLejlighederMedKoekken" in table.columns
    assert not any("ø" in c or "å" in c or "æ" in c for c in table.columns)
    years = collections.Counter(r.get("byg026Opførelsesår") for r in raw_buildings)
    assert table["byg026Opfoerelsesaar"].value_counts().to_dict() == {
        k: v for k, v in years.items() if k is not None
    }


@needs_dawa
def test_bitemporal_history_is_filtered_to_current_rows(raw_buildings, current_raw,
                                                        all_buildings):
    table = all_buildings
    current, duplicates = bbr.latest_current(table)
    assert len(current) == len(current_raw) == 3164
    assert duplicates == 0
    assert set(current["id_lokalId"]) == {r["id_lokalId"] for r in current_raw}
    # history: the same building id appears in many superseded rows
    assert len(raw_buildings) - len(current_raw) == int((~bbr.is_current(table)).sum())


@needs_dawa
def test_codes_stay_strings_with_leading_zeros(current_raw, all_buildings):
    current, _ = bbr.latest_current(all_buildings)
    current = current[current["kommunekode"] == "0155"]
    expected = sum(r["kommunekode"] == "0155" for r in current_raw)
    assert len(current) == expected == 471
    assert set(current["kommunekode"]) == {"0155"}
    heating = collections.Counter(
        r.get("byg056Varmeinstallation") for r in current_raw if r["kommunekode"] == "0155"
    )
    got = current["byg056Varmeinstallation"].value_counts(dropna=False).to_dict()
    assert {(None if pd.isna(k) else k): v for k, v in got.items()} == dict(heating)
    assert all(isinstance(v, str) for v in current["byg056Varmeinstallation"].dropna())


def _heated_area(r: dict[str, str]) -> float:
    living = float(r.get("byg039BygningensSamledeBoligAreal") or 0)
    business = float(r.get("byg040BygningensSamledeErhvervsAreal") or 0)
    return living + business if living + business > 0 else float(
        r.get("byg038SamletBygningsareal") or 0
    )


@needs_dawa
def test_status_and_unheated_buildings_are_rejected_with_counts(municipal, current_raw):
    code, kept, rejected, counts, _ = municipal
    rows = [r for r in current_raw if r["kommunekode"] == code]
    status = collections.Counter(r["status"] for r in rows)
    assert counts["rejected"].get("status_deleted", 0) == status["10"]
    assert counts["rejected"].get("status_wrong", 0) == status["11"]
    assert counts["rejected"].get("status_not_built", 0) == sum(
        n for s, n in status.items() if s not in {"6", "10", "11"}
    )
    built = [r for r in rows if r["status"] == "6"]
    unheated = [r for r in built if r.get("byg056Varmeinstallation") in (None, "9")]
    ancillary = [r for r in unheated if r.get("byg021BygningensAnvendelse") in ANCILLARY]
    assert counts["rejected"]["ancillary_building"] == len(ancillary)
    no_area = [r for r in unheated if r.get("byg021BygningensAnvendelse") not in ANCILLARY
               and _heated_area(r) == 0]
    assert counts["rejected"].get("unheated_no_area", 0) == len(no_area)
    if code == "0155":
        assert (status["10"], status["11"], len(ancillary)) == (37, 4, 186)
    assert len(kept) + len(rejected) == len(rows)
    assert set(rejected.loc[rejected["reason"] == "ancillary_building", "bbr_use_code_original"]) \
        <= ANCILLARY


@needs_dawa
def test_heating_distribution_and_areas_match_the_raw_file(
    municipal, current_raw, dar_house_numbers
):
    code, kept, _, counts, _ = municipal
    built = [r for r in current_raw if r["kommunekode"] == code and r["status"] == "6"]

    def in_contract(use: str | None) -> bool:
        return use is not None and (use in BBR_USE_CODES or use[:2] + "0" in BBR_USE_CODES)

    heated = [r for r in built if r.get("byg056Varmeinstallation") is not None
              and not (r["byg056Varmeinstallation"] == "9" and _heated_area(r) == 0)
              and in_contract(r.get("byg021BygningensAnvendelse"))
              and int(r.get("byg026Opførelsesår") or 0) >= 1500
              and r["husnummer"] in dar_house_numbers]
    expected = collections.Counter(r["byg056Varmeinstallation"] for r in heated)
    assert counts["heating_installation"] == dict(sorted(expected.items()))
    assert len(kept) == len(heated)
    if code == "0155":
        assert expected["2"] == 138  # a gas-conversion case: mostly own gas boilers
        assert len(kept) == 194
    if code == "0461":
        assert expected["1"] > len(kept) / 2  # Odense: mostly district heating already
    by_id = {r["id_lokalId"]: r for r in heated}
    area = kept["heated_area_m2"]
    assert area.to_dict() == pytest.approx({i: _heated_area(by_id[i]) for i in kept.index})
    gas = sum(1 for r in heated if r["byg056Varmeinstallation"] == "2"
              and r.get("byg057Opvarmningsmiddel") == "7")
    assert int(((kept["heating_installation"] == "2") & (kept["heating_fuel"] == "7")).sum()) == gas


@needs_dawa
def test_footprints_and_addresses_are_joined(municipal, current_raw):
    code, kept, _, counts, _ = municipal
    uuids = {f["properties"]["BBRUUID"].lower()
             for f in json.loads((DAWA / "bygninger.json").read_text())["features"]}
    ids = {r["id_lokalId"] for r in current_raw if r["kommunekode"] == code}
    assert counts["footprints_joined"] == len(uuids & ids)
    # README: Dragør 363, Odense 563 (its 213 for Tårnby is not the 209 current 0185 matches)
    assert counts["footprints_joined"] == {"0155": 363, "0461": 563}.get(code, len(uuids & ids))
    on_footprint = kept.index[kept["geometry_source"] == "footprint"]
    assert set(on_footprint) == set(kept.index) & uuids
    assert set(kept.geom_type[on_footprint]) <= {"Polygon", "MultiPolygon"}
    assert not kept.has_z.any()
    assert kept["address"].notna().all()
    if code == "0155":
        assert kept["postcode"].eq("2791 Dragør").all()


@needs_dawa
def test_owner_type_defaults_to_private_with_a_warning(municipal):
    _, kept, _, counts, notes = municipal
    assert counts["owner_type_source"] == {"default": len(kept)}
    assert kept["owner_type"].eq("10").all()
    assert any("Ejendomsrelation" in n and "--owner-map" in n for n in notes)


@needs_dawa
@pytest.mark.slow
def test_heating_99_is_resolved_from_the_largest_unit():
    units = _raw_rows("OIS_GRBBR_CO50500T_*.ZIP", "CO50500t")
    storeys = _raw_rows("OIS_GRBBR_CO50800T_*.ZIP", "CO50800t")

    def now(rows):
        return [r for r in rows if "registreringTil" not in r and "virkningTil" not in r]

    mixed = [r for r in now(_raw_rows("OIS_GRBBR_CO50200T_*.ZIP", "CO50200t"))
             if r.get("byg056Varmeinstallation") == "99"]
    assert len(mixed) == 1
    building = mixed[0]["id_lokalId"]
    storey_ids = {s["id_lokalId"] for s in now(storeys) if s["bygning"] == building}
    own = [u for u in now(units) if u["etage"] in storey_ids and "enh051Varmeinstallation" in u]
    largest = max(own, key=lambda u: float(u.get("enh026EnhedensSamledeAreal") or 0))
    heating = bbr.unit_heating(
        bbr.read_units(_extract("OIS_GRBBR_CO50500T_*.ZIP")),
        bbr.read_storeys(_extract("OIS_GRBBR_CO50800T_*.ZIP")),
    )
    assert heating.loc[building, "installation"] == largest["enh051Varmeinstallation"] == "2"
    assert heating.loc[building, "fuel"] == largest.get("enh052Opvarmningsmiddel") == "7"


# --- toy OIS extracts written here: hand-computable cases ---------------------------------

def _write_ois(path: Path, tag: str, rows: list[dict[str, str]]) -> Path:
    body = "".join(
        f"<{tag}>" + "".join(f"<{k}>{v}</{k}>" for k, v in row.items()) + f"</{tag}>"
        for row in rows
    )
    xml = f'<?xml version="1.0" encoding="ISO-8859-1"?><OIS_UDTRAEK>{body}</OIS_UDTRAEK>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(path.stem + ".XML", xml.encode("iso-8859-1"))
    return path


def _building(uid: str, **fields: str) -> dict[str, str]:
    row = {"id_lokalId": uid, "kommunekode": "0151", "status": "6",
           "registreringFra": "2020-01-01T00:00:00Z", "byg021BygningensAnvendelse": "120",
           "byg026Opførelsesår": "1968", "byg039BygningensSamledeBoligAreal": "140",
           "byg404Koordinat": "POINT (710000 6180000)", "husnummer": f"h-{uid}",
           "grund": f"g-{uid}"}
    row.update(fields)
    return row


def _tank(uid: str, **fields: str) -> dict[str, str]:
    row = {"id_lokalId": uid, "kommunekode": "0151", "status": "6",
           "tek020Klassifikation": "1110", "tek072Sløjfningsår": "0"}
    row.update(fields)
    return row


def test_oil_tank_tells_the_fuel_of_central_heating(tmp_path):
    bygning = _write_ois(tmp_path / "bygning.zip", "CO50200t", [
        _building("a", byg056Varmeinstallation="2"),  # tank in use → oil, inferred
        _building("b", byg056Varmeinstallation="2"),  # tank decommissioned 1995 → unknown
        _building("c", byg056Varmeinstallation="2", byg057Opvarmningsmiddel="7"),  # gas + tank
        _building("d", byg056Varmeinstallation="1"),  # district heating, no tank
    ])
    tanks = _write_ois(tmp_path / "tek.zip", "CO51500t", [
        _tank("t1", bygning="a"),
        _tank("t2", husnummer="h-b", tek072Sløjfningsår="1995"),
        _tank("t3", grund="g-c"),
        _tank("t4", bygning="d", registreringTil="2019-01-01T00:00:00Z"),  # history row
    ])
    counts: dict = {}
    kept, _ = build_properties(ImportSources(bbr=bygning, tanks=tanks), counts, [])
    assert kept.loc["a", "heating_fuel"] == "3"
    assert bool(kept.loc["a", "is_fuel_inferred"])
    assert pd.isna(kept.loc["b", "heating_fuel"])
    assert kept.loc["c", "heating_fuel"] == "7"  # the register's fuel is kept
    assert not kept.loc[["b", "c", "d"], "is_fuel_inferred"].any()
    assert kept["has_oil_tank"].to_dict() == {"a": True, "b": False, "c": True, "d": False}
    assert counts["fuel_inferred_oil"] == 1
    assert counts["oil_tank_but_other_fuel"] == 1
    assert counts["active_oil_tanks"] == 2


def test_toy_rules_area_use_codes_and_status(tmp_path):
    bygning = _write_ois(tmp_path / "bygning.zip", "CO50200t", [
        _building("house", byg056Varmeinstallation="2", byg057Opvarmningsmiddel="7",
                  byg040BygningensSamledeErhvervsAreal="20"),  # heated 140 + 20
        _building("shop", byg056Varmeinstallation="1", byg021BygningensAnvendelse="322",
                  byg039BygningensSamledeBoligAreal="0", byg038SamletBygningsareal="400"),
        _building("barn", byg056Varmeinstallation="2", byg057Opvarmningsmiddel="3",
                  byg021BygningensAnvendelse="217"),  # BBR 2.0 code → parent 210
        _building("garage", byg021BygningensAnvendelse="910",
                  byg039BygningensSamledeBoligAreal="0"),
        _building("ruin", byg056Varmeinstallation="2", byg021BygningensAnvendelse="990"),
        _building("gone", byg056Varmeinstallation="2", status="10"),
        _building("old", byg056Varmeinstallation="2", byg026Opførelsesår="0"),
        _building("house", byg056Varmeinstallation="5", registreringTil="2019-05-01T00:00:00Z"),
    ])
    counts: dict = {}
    kept, rejected = build_properties(ImportSources(bbr=bygning), counts, [])
    assert sorted(kept.index) == ["barn", "house", "shop"]
    assert kept.loc["house", "heated_area_m2"] == 160.0
    assert kept.loc["house", "heating_installation"] == "2"  # the history row lost
    assert kept.loc["shop", "heated_area_m2"] == 400.0
    assert kept.loc["barn", ["bbr_use_code", "bbr_use_code_original"]].tolist() == ["210", "217"]
    assert rejected["reason"].to_dict() == {
        "garage": "ancillary_building", "ruin": "use_not_in_contract",
        "gone": "status_deleted", "old": "no_year_built",
    }
    assert counts["bbr_history_rows"] == 1
    assert counts["bbr_current_buildings"] == 7


def test_contract_use_code_maps_new_codes_to_their_parent():
    assert contract_use_code(pd.Series(["120", "131", "217", "314", "970", None])).tolist() == [
        "120", "131", "210", "310", None, None,
    ]


@needs_rest
def test_rest_json_is_read_and_filtered():
    records = json.loads(REST.read_text(encoding="utf-8"))
    table = bbr.read_buildings(REST)
    assert len(table) == len(records) == 10
    assert table["byg026Opfoerelsesaar"].tolist() == [str(r["byg026Opførelsesår"]) for r in records]
    counts: dict = {}
    kept, _ = build_properties(ImportSources(bbr=REST), counts, [])
    built = [r for r in records if r["status"] == "6"]
    heated = [r for r in built if r.get("byg056Varmeinstallation") not in (None, "9")]
    assert sorted(kept.index) == sorted(r["id_lokalId"] for r in heated)
    for r in heated:
        living = r.get("byg039BygningensSamledeBoligAreal", 0)
        business = r.get("byg040BygningensSamledeErhvervsAreal", 0)
        expected = living + business or r["byg038SamletBygningsareal"]
        assert kept.loc[r["id_lokalId"], "heated_area_m2"] == expected
    assert counts["rejected"]["status_deleted"] == sum(r["status"] == "10" for r in records)


_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


@needs_rest
def test_graphql_ascii_names_give_the_same_table(tmp_path):
    records = json.loads(REST.read_text(encoding="utf-8"))
    nodes = [{k.translate(_ASCII): v for k, v in r.items()} for r in records]
    assert "byg026Opfoerelsesaar" in nodes[0]
    graphql = tmp_path / "graphql.json"
    graphql.write_text(json.dumps({"data": {"BBR_Bygning": {"nodes": nodes}}}), encoding="utf-8")
    pd.testing.assert_frame_equal(bbr.read_buildings(graphql), bbr.read_buildings(REST))


def test_unreadable_file_names_itself(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_text("<OIS_UDTRAEK><CO50200t><status>6</CO50200t>", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"broken\.xml"):
        bbr.read_bbr_table(bad)
    with pytest.raises(InputDataError, match="0151"):
        bbr.normalise_municipality("Ballerup")


def test_owner_map_feed_points_and_mains_from_the_user(tmp_path):
    import geopandas as gpd
    import shapely

    from heatplan.importers import import_registers

    bygning = _write_ois(tmp_path / "bygning.zip", "CO50200t", [
        _building("school", byg021BygningensAnvendelse="421", byg056Varmeinstallation="2",
                  byg057Opvarmningsmiddel="7", byg404Koordinat="POINT (710010 6180010)"),
        _building("flats", byg021BygningensAnvendelse="140", byg056Varmeinstallation="1",
                  byg024AntalLejlighederMedKøkken="24", bfeNummer="555",
                  byg404Koordinat="POINT (710050 6180010)"),
        _building("house", byg056Varmeinstallation="2", byg057Opvarmningsmiddel="3",
                  byg404Koordinat="POINT (710090 6180010)"),
    ])
    owners = tmp_path / "owners.csv"
    owners.write_text("property_id;owner_type\nSCHOOL;50\n", encoding="utf-8")
    bfe_owners = tmp_path / "bfe.csv"
    bfe_owners.write_text("bfe,owner_type\n555,20\n", encoding="utf-8")
    roads = tmp_path / "roads.gpkg"
    gpd.GeoDataFrame({"VEJKLASSE": ["Lokalvej-Primær"]},
                     geometry=[shapely.LineString([(710000, 6180000), (710100, 6180000)])],
                     crs="EPSG:25832").to_file(roads)
    feed = tmp_path / "feed.gpkg"
    gpd.GeoDataFrame({"source_id": ["VF1"], "name": ["Vestforbrænding"]},
                     geometry=[shapely.Point(710000, 6180000)], crs="EPSG:25832").to_file(feed)
    mains = tmp_path / "mains.gpkg"
    gpd.GeoDataFrame({"dn_mm": [200]},
                     geometry=[shapely.LineString([(710000, 6180000), (710040, 6180000)])],
                     crs="EPSG:25832").to_file(mains)
    sources = ImportSources(bbr=bygning, roads=roads, owner_map=owners, heat_sources=feed,
                            dh_network=mains)
    result = import_registers(sources)
    props = result.properties
    assert props["owner_type"].to_dict() == {"flats": "10", "house": "10", "school": "50"}
    assert props.loc["flats", "dwellings"] == 24
    assert props.loc["house", "dwellings"] == 1
    assert props.loc["school", "dwellings"] == 0
    assert result.counts["owner_type_source"] == {"default": 2, "owner_map": 1}
    assert list(result.heat_sources.index) == ["VF1"]
    assert not result.counts["heat_source_derived"]
    assert result.dh_network["dn_mm"].tolist() == [200]
    assert result.streets["road_class"].tolist() == ["local"]
    # one formed district holding all three, not existing DH (flats are 1 of 3 by area)
    assert result.districts["n_properties"].tolist() == [3]
    assert result.districts["status"].tolist() == ["undecided"]
    by_bfe = import_registers(ImportSources(bbr=bygning, roads=roads, owner_map=bfe_owners))
    assert by_bfe.properties.loc["flats", "owner_type"] == "20"
    # without feed points one is derived at the road end nearest the district-heating building
    assert by_bfe.counts["heat_source_derived"]
    point = by_bfe.heat_sources.geometry.iloc[0]
    assert (point.x, point.y) == (710000.0, 6180000.0)
    bad = tmp_path / "bad.csv"
    bad.write_text("property_id,owner_type\nschool,55\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="55"):
        import_registers(ImportSources(bbr=bygning, roads=roads, owner_map=bad))


def test_cli_reports_bad_data_with_exit_code_1(tmp_path):
    from click.testing import CliRunner

    from heatplan.cli import cli

    bygning = _write_ois(tmp_path / "bygning.zip", "CO50200t", [
        _building("house", byg056Varmeinstallation="2", byg057Opvarmningsmiddel="7"),
    ])
    roads = tmp_path / "roads.json"
    roads.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    result = CliRunner().invoke(cli, [
        "import", "bbr", "--bbr", str(bygning), "--roads", str(roads),
        "--municipality", "0999", "--out", str(tmp_path / "out"),
    ])
    assert result.exit_code == 1
    assert "no current BBR buildings in municipality 0999" in result.output
    assert not (tmp_path / "out").exists()


def test_owner_type_from_plot_and_ejendomsrelation(tmp_path):
    bygning = _write_ois(tmp_path / "bygning.zip", "CO50200t", [
        _building("school", byg021BygningensAnvendelse="421", byg056Varmeinstallation="2",
                  byg057Opvarmningsmiddel="7", grund="G1"),
        _building("flats", byg021BygningensAnvendelse="140", byg056Varmeinstallation="1",
                  grund="G2"),
        _building("house", byg056Varmeinstallation="2", byg057Opvarmningsmiddel="7",
                  grund="G3"),
    ])
    # file extract: the plot names its Ejendomsrelation by id
    plots = _write_ois(tmp_path / "grund.zip", "CO50100t", [
        {"id_lokalId": "G1", "status": "7", "bestemtFastEjendom": "E1"},
        {"id_lokalId": "G2", "status": "7", "bestemtFastEjendom": "E2"},
        {"id_lokalId": "G3", "status": "7", "bestemtFastEjendom": "E3"},
    ])
    relations = _write_ois(tmp_path / "ejendomsrelation.zip", "CO50400t", [
        {"id_lokalId": "E1", "status": "7", "bfeNummer": "100",
         "ejendommensEjerforholdskode": "50"},
        {"id_lokalId": "E2", "status": "7", "bfeNummer": "200", "ejendommensEjerforholdskode": "30",
         "virkningTil": "2015-01-01T00:00:00Z"},  # history: no longer true
        {"id_lokalId": "E2", "status": "7", "bfeNummer": "200", "ejendommensEjerforholdskode": "20",
         "registreringFra": "2016-01-01T00:00:00Z"},
    ])
    counts: dict = {}
    kept, _ = build_properties(
        ImportSources(bbr=bygning, plots=plots, property_relations=relations), counts, []
    )
    assert kept["owner_type"].to_dict() == {"flats": "20", "house": "10", "school": "50"}
    assert kept["owner_type_source"].to_dict() == {
        "flats": "register", "house": "default", "school": "register",
    }
    assert kept.loc["school", "bfeNummer"] == "100"
    # REST shape: the Ejendomsrelation nested in the plot
    rest = tmp_path / "grund.json"
    rest.write_text(json.dumps([
        {"id_lokalId": "g3", "status": "7",
         "bestemtFastEjendom": {"id_lokalId": "e3", "bfeNummer": 300,
                                "ejendommensEjerforholdskode": "41"}},
    ]), encoding="utf-8")
    kept, _ = build_properties(ImportSources(bbr=bygning, plots=rest), {}, [])
    assert kept.loc["house", ["owner_type", "bfeNummer"]].tolist() == ["41", "300"]
    with pytest.raises(InputDataError, match="--plots"):
        build_properties(ImportSources(bbr=bygning, property_relations=relations), {}, [])
