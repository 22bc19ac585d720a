"""The plan GeoPackage: layers, counts, field types, Plandata heat-plan areas, determinism."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from plan_fixture import DN_BY_SEGMENT, make_plan

from heatplan.core.errors import OutputExistsError
from heatplan.outputs.geopackage import heat_plan_areas, layer_name, write_geopackage

OGRINFO = shutil.which("ogrinfo")

EXPECTED_COUNTS = {
    "varmeplansomraader": 4,  # D1, D2, D3 district heating and D4 individual; not existing D0
    "energidistrikter": 5,
    "ejendomme": 12,
    "nye_ledninger": 8,
    "stikledninger": 9,
    "eksisterende_fjernvarmenet": 2,
    "varmekilder": 1,
    "renoveringsrangering": 3,
    "aar_for_aar": 6,
    "co2_forloeb": 22,
    "afviste_properties": 2,
    "afviste_labels": 1,
    "layer_styles": 4,  # QGIS default styles: districts, trenches, heat-plan areas, properties
}


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory):
    path = tmp_path_factory.mktemp("gpkg") / "heatplan_plan.gpkg"
    write_geopackage(make_plan(), path)
    return path


def test_every_layer_is_written_with_its_rows(gpkg):
    layers = dict(pyogrio.list_layers(gpkg).tolist())
    assert set(layers) == set(EXPECTED_COUNTS)
    for name, count in EXPECTED_COUNTS.items():
        assert pyogrio.read_info(gpkg, layer=name)["features"] == count, name
    # one geometry type per layer; mixed Polygon/MultiPolygon properties are promoted
    assert layers["ejendomme"] == "MultiPolygon"
    assert layers["varmeplansomraader"] == "MultiPolygon"
    assert layers["nye_ledninger"] == "LineString"
    assert layers["aar_for_aar"] is None  # attribute table
    assert layers["afviste_labels"] is None


@pytest.mark.skipif(
    OGRINFO is None, reason="GDAL's ogrinfo is not installed (apt-get install gdal-bin)"
)
def test_ogrinfo_lists_every_layer_and_feature_count(gpkg):
    result = subprocess.run(
        [OGRINFO, "-so", "-al", str(gpkg)], capture_output=True, text=True, check=True
    )
    assert "ERROR" not in result.stderr
    found = dict(re.findall(r"Layer name: (\S+)\n(?:.*\n)*?Feature Count: (\d+)", result.stdout))
    assert {k: int(v) for k, v in found.items()} == EXPECTED_COUNTS
    assert "Syntetiske eksempeldata" in result.stdout  # layer descriptions say so


def test_field_types_follow_the_data(gpkg):
    info = pyogrio.read_info(gpkg, layer="ejendomme")
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    for year in ["offer_year", "construction_start_year", "connection_year", "phase"]:
        assert types[year] == "OFTInteger64", year
    assert types["heat_demand_mwh_a"] == "OFTReal"
    assert types["co2_before_t_a"] == "OFTReal"
    assert types["co2_after_t_a"] == "OFTReal"
    trench = pyogrio.read_info(gpkg, layer="nye_ledninger")
    assert dict(zip(trench["fields"], trench["ogr_types"], strict=True))["dn"] == "OFTInteger64"


def test_property_rows_keep_plan_values_and_empty_years(gpkg):
    plan = make_plan()
    props = gpd.read_file(gpkg, layer="ejendomme").set_index("property_id")
    assert props.loc["P05", "district_name"] == "Egebjerg"
    assert props.loc["P05", "connection_year"] == 2027
    assert pd.isna(props.loc["P10", "connection_year"])  # heat pump: no connection year
    assert props.loc["P01", "co2_before_t_a"] == pytest.approx(3.7)
    assert props["heat_demand_mwh_a"].sum() == pytest.approx(
        plan.properties["heat_demand_mwh_a"].sum()
    )
    trenches = gpd.read_file(gpkg, layer="nye_ledninger").set_index("segment_id")
    assert trenches["dn"].to_dict() == DN_BY_SEGMENT


def test_heat_plan_areas_are_shaped_like_plandata(gpkg):
    areas = gpd.read_file(gpkg, layer="varmeplansomraader").set_index("district_id")
    assert areas.loc["D1", "vaerdi1207"] == "Fjernvarme"
    assert areas.loc["D4", "vaerdi1207"] == "Individuel varmeforsyning"
    assert areas.loc["D3", "konvstartaar"] == 2028
    assert areas.loc["D3", "konvslutaar"] == 2029
    assert areas.loc["D2", "virknavn"] == "Vestforbrænding"
    assert pd.isna(areas.loc["D4", "virknavn"])
    assert areas.loc["D3", "delnavn"] == "Måløv Øst & Kirkebakken"
    assert (areas["komnr"] == 151).all()
    assert areas.loc["D1", "plannavn"] == "Varmeplan 2025–2029"
    assert areas.geom_type.eq("MultiPolygon").all()
    info = pyogrio.read_info(gpkg, layer="varmeplansomraader")
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert types["konvstartaar"] == types["datovedt"] == types["komnr"] == "OFTInteger64"


def test_plan_date_becomes_datovedt_integer():
    plan = make_plan()
    plan.summary["plan_date"] = "2026-03-15"
    assert heat_plan_areas(plan)["datovedt"].tolist() == [20260315] * 4


def test_rerun_gives_identical_bytes(gpkg, tmp_path):
    again = tmp_path / "again.gpkg"
    write_geopackage(make_plan(), again)
    assert again.read_bytes() == gpkg.read_bytes()


def test_synthetic_flag_in_layer_metadata(gpkg, tmp_path):
    assert pyogrio.read_info(gpkg, layer="ejendomme")["layer_metadata"]["SYNTHETIC"] == "yes"
    real = tmp_path / "real.gpkg"
    write_geopackage(make_plan(synthetic=False), real)
    meta = pyogrio.read_info(real, layer="ejendomme")["layer_metadata"]
    assert meta["SYNTHETIC"] == "no"
    assert "Syntetiske" not in meta["DESCRIPTION"]


def test_english_layer_names(tmp_path):
    path = write_geopackage(make_plan(), tmp_path / "en.gpkg", lang="en")
    names = set(pyogrio.list_layers(path)[:, 0])
    assert {"properties", "districts", "trenches", "varmeplansomraader", "rejected_labels"} <= names
    assert layer_name("rejected", "en", layer="streets") == "rejected_streets"


def test_existing_file_is_kept_without_overwrite(gpkg):
    before = gpkg.read_bytes()
    with pytest.raises(OutputExistsError):
        write_geopackage(make_plan(), gpkg)
    assert gpkg.read_bytes() == before


def test_failure_half_way_leaves_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "plan.gpkg"
    write_geopackage(make_plan(), path)
    before = path.read_bytes()
    real = pyogrio.write_dataframe
    calls = []

    def failing(*args, **kwargs):
        calls.append(kwargs.get("layer"))
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        write_geopackage(make_plan(synthetic=False), path, overwrite=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.gpkg"]


def test_qgis_default_styles_are_valid_qml_for_written_layers(gpkg):
    import xml.etree.ElementTree as ET

    styles = pyogrio.read_dataframe(gpkg, layer="layer_styles", read_geometry=False)
    layers = set(pyogrio.list_layers(gpkg)[:, 0])
    assert (
        set(styles["f_table_name"])
        == {"energidistrikter", "nye_ledninger", "varmeplansomraader", "ejendomme"}
        <= layers
    )
    assert styles["useAsDefault"].all()
    assert (styles["f_geometry_column"] == "geom").all()
    by_layer = dict(zip(styles["f_table_name"], styles["styleQML"], strict=True))
    for qml in by_layer.values():
        root = ET.fromstring(qml)
        assert root.tag == "qgis"
        assert root.find("renderer-v2") is not None
    districts = ET.fromstring(by_layer["energidistrikter"]).find("renderer-v2")
    assert districts.get("attr") == "phase"
    assert [c.get("value") for c in districts.iter("category")] == ["1", "2", ""]
    assert [c.get("label") for c in districts.iter("category")][:2] == ["Fase 1", "Fase 2"]
    trenches = by_layer["nye_ledninger"]
    assert '"dn"' in trenches  # line width follows the pipe size


def test_field_types_follow_the_column_registry(tmp_path):
    plan = make_plan(synthetic=False)
    pipes = plan.service_pipes.copy()
    numbers = pd.Series(range(len(pipes)), index=pipes.index, dtype=object)
    pipes["segment_id"] = numbers  # declared text in heatplan.core.columns
    pipes["note_count"] = numbers  # undeclared: typed by its values
    path = tmp_path / "plan.gpkg"
    write_geopackage(dataclasses.replace(plan, service_pipes=pipes), path)
    fields = pyogrio.read_info(path, layer="stikledninger")
    types = dict(zip(fields["fields"], fields["dtypes"], strict=True))
    assert types["segment_id"] == "object"  # a text field
    assert types["note_count"] == "int64"
