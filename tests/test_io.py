"""Reading dataset folders: formats, layer lookup and overrides, CSV dialects, metadata."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from conftest import REPO, SHARED_DATA

from heatplan.core.dataset import LayerSource
from heatplan.core.errors import InputDataError
from heatplan.core.scenario import load_scenario
from heatplan.io.labels import read_label_csv
from heatplan.io.layers import default_data_dir, parse_layer_path, read_dataset
from heatplan.io.rejected import write_rejected
from heatplan.io.synthetic import is_synthetic
from heatplan.validate import load_dataset, validate_dataset

SCENARIO = load_scenario()


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "geojson", "fgb"])
def test_every_format_reads_and_validates(fmt, toy_tables, write_toy_dataset, tmp_path):
    data_dir = write_toy_dataset(toy_tables, tmp_path / fmt, fmt=fmt)
    result = load_dataset(data_dir, scenario=SCENARIO)
    assert result.rejected == {}
    assert result.counts["valid"].tolist() == [6, 2, 3, 1, 1, 0, 3, 4, 0]
    props = result.dataset.properties.sort_index()  # FlatGeobuf stores features spatially sorted
    assert props.crs == "EPSG:25832"
    assert props.index.tolist() == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert props["district_id"].tolist() == ["D1", "D1", "D2", "D2", "D1", "D2"]
    assert props["heating_fuel"].tolist()[:3] == ["7", "3", pd.NA]
    assert props["heated_area_m2"].sum() == pytest.approx(8660.5)
    expected = "gis_data/toy.gpkg, layer properties" if fmt == "gpkg" else (
        f"gis_data/properties.{fmt}")
    assert result.dataset.sources["properties"] == expected


def test_shapefile_truncated_names_are_recognised(toy_tables, write_toy_dataset, tmp_path):
    data_dir = write_toy_dataset(toy_tables, tmp_path / "shp", fmt="shp")
    result = load_dataset(data_dir, scenario=SCENARIO)
    note = next(i for i in result.issues if i.layer == "properties" and "Read column" in i.message)
    assert "'heated_are' as heated_area_m2" in note.message
    assert "Shapefiles cut field names to 10 characters" in note.message
    assert result.dataset.properties.loc["P4", "heated_area_m2"] == 5200.0


def test_layer_paths_override_with_layer_name(toy_tables, write_toy_dataset, tmp_path):
    data_dir = write_toy_dataset(toy_tables, tmp_path / "data")
    other = tmp_path / "bbr.gpkg"
    toy_tables["properties"].iloc[:4].to_file(other, layer="buildings", engine="pyogrio")
    result = load_dataset(data_dir, layer_paths={"properties": f"{other}:buildings"},
                          scenario=SCENARIO)
    assert result.counts.loc["properties", "read"] == 4
    assert result.dataset.sources["properties"] == f"{other}, layer buildings"
    # labels of P5 (L2) are now for an unknown property
    assert result.rejected["labels"]["reason"].tolist() == ["unknown property 'P5'"]


def test_missing_override_file_names_it_and_the_option(toy_data_dir, tmp_path):
    missing = tmp_path / "nowhere.gpkg"
    with pytest.raises(InputDataError, match=r"streets: file .*nowhere\.gpkg does not exist.*"
                                             r"--streets PATH\[:LAYER\]"):
        load_dataset(toy_data_dir, layer_paths={"streets": missing}, scenario=SCENARIO)


def test_missing_layer_in_a_geopackage_names_the_layers_it_has(toy_data_dir):
    gpkg = toy_data_dir / "gis_data" / "toy.gpkg"
    with pytest.raises(InputDataError, match=r"streets: .*toy\.gpkg has no layer 'roads' \(it has "
                                             r"properties, districts, streets, .*--streets"):
        load_dataset(toy_data_dir, layer_paths={"streets": f"{gpkg}:roads"},
                     scenario=SCENARIO)


def test_unreadable_geopackage_is_an_error(toy_data_dir):
    (toy_data_dir / "gis_data" / "toy.gpkg").write_bytes(b"not a database")
    with pytest.raises(InputDataError, match=r"toy\.gpkg cannot be opened as a GIS file.*"
                                             r"Fix: Replace the file"):
        load_dataset(toy_data_dir, scenario=SCENARIO)


def test_unknown_layer_name_in_overrides(toy_data_dir):
    with pytest.raises(InputDataError, match=r"Unknown layer name\(s\) \['buildings'\]"):
        read_dataset(toy_data_dir, layer_paths={"buildings": "x.gpkg"})


def test_read_dataset_gives_an_unvalidated_dataset_and_validation_a_validated_one(
    toy_data_dir,
):
    raw = read_dataset(toy_data_dir)
    assert not raw.is_validated
    assert raw.data_dir == toy_data_dir
    assert raw.sources["properties"] == "gis_data/toy.gpkg, layer properties"
    assert raw.layer_sources["labels"] == LayerSource(
        toy_data_dir / "energy_labels" / "labels.csv")
    assert raw.csv_formats["labels"]["separator"] == ","
    assert raw.properties.index.tolist() == list(range(6))  # as read: not indexed by id yet
    assert list(raw.tables) == ["properties", "districts", "streets", "dh_network",
                                "heat_sources", "planned_works", "labels", "proposals",
                                "metered"]
    validated = validate_dataset(raw, scenario=SCENARIO).dataset
    assert validated.is_validated
    assert validated.sources == raw.sources
    assert validated.data_dir == raw.data_dir
    assert validated.properties.index.name == "property_id"


def test_write_rejected_round_trip(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"].loc[0, "heated_area_m2"] = 0.0
    toy_tables["labels"].loc[0, "label_class"] = "H"
    data_dir = write_toy_dataset(toy_tables, tmp_path / "data")
    result = load_dataset(data_dir, scenario=SCENARIO, strict=False)
    path = write_rejected(result.rejected, result.issues, tmp_path / "maps" / "rejected.gpkg")
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"rejected_properties", "rejected_labels", "rejected_proposals",
                           "issues"}
    back = gpd.read_file(path, layer="rejected_properties")
    assert back.crs == "EPSG:25832"
    assert back[["property_id", "source_row", "reason"]].values.tolist() == [
        ["P1", 1, "heated_area_m2 = 0 (must be > 0)"]
    ]
    issues = pyogrio.read_dataframe(path, layer="issues")
    assert len(issues) == len(result.issues)
    assert list(tmp_path.joinpath("maps").iterdir()) == [path]  # no temporary files left


def test_write_rejected_without_problems_says_so(tmp_path):
    path = write_rejected({}, [], tmp_path / "rejected.gpkg")
    issues = pyogrio.read_dataframe(path, layer="issues")
    assert issues["message"].tolist() == ["No problems found."]


def test_missing_data_folder(tmp_path):
    with pytest.raises(InputDataError, match=r"Data folder .*nope does not exist.*gis_data/"):
        read_dataset(tmp_path / "nope")


def test_missing_optional_tables_are_a_note(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["labels"] = toy_tables["proposals"] = toy_tables["dh_network"] = None
    result = load_dataset(write_toy_dataset(toy_tables, tmp_path / "data"), scenario=SCENARIO)
    assert not result.has_errors
    notes = [i for i in result.issues if "Optional layer" in i.message]
    assert [i.layer for i in notes] == ["dh_network", "planned_works", "labels", "proposals",
                                          "metered"]
    assert len(result.dataset.labels) == 0
    assert "label_class" in result.dataset.labels.columns


def test_parse_layer_path(tmp_path):
    assert parse_layer_path("a/b.gpkg:roads") == LayerSource(Path("a/b.gpkg"), "roads")
    assert parse_layer_path("a/b.gpkg") == LayerSource(Path("a/b.gpkg"))
    odd = tmp_path / "x:y.geojson"
    odd.write_text("{}")
    assert parse_layer_path(str(odd)) == LayerSource(odd)  # an existing path is taken whole


def test_default_data_dir_is_the_repository():
    assert default_data_dir() == REPO


def test_is_synthetic_from_geopackage_metadata(toy_tables, tmp_path):
    marked = tmp_path / "marked.gpkg"
    toy_tables["districts"].to_file(marked, layer="districts", engine="pyogrio",
                                    metadata={"synthetic": "true"})
    plain = tmp_path / "plain.gpkg"
    toy_tables["districts"].to_file(plain, layer="districts", engine="pyogrio")
    assert is_synthetic(marked) is True
    assert is_synthetic(plain) is False
    assert is_synthetic(tmp_path / "missing.gpkg") is False


def test_semicolon_latin1_csv_is_read_with_warnings(toy_tables, write_toy_dataset, tmp_path):
    data_dir = write_toy_dataset(toy_tables, tmp_path / "data")
    labels = toy_tables["labels"].copy()
    labels.loc[0, "heat_supply"] = "Fjernvarme fra Vestforbrænding"
    labels.loc[0, "heated_area_m2"] = 5200.5
    path = data_dir / "energy_labels" / "labels.csv"
    labels.to_csv(path, sep=";", decimal=",", index=False, encoding="cp1252")
    result = load_dataset(data_dir, scenario=SCENARIO)
    assert result.rejected == {}
    assert result.dataset.labels.loc["L1", "heat_supply"] == "Fjernvarme fra Vestforbrænding"
    assert result.dataset.labels.loc["L1", "heated_area_m2"] == 5200.5
    warnings = [str(i) for i in result.issues if i.severity == "warning"]
    assert len(warnings) == 2
    assert "labels.csv, layer labels: labels.csv is not UTF-8; it was read as cp1252" in warnings[0]
    assert "Fix: Save the file as 'CSV UTF-8 (comma delimited)'" in warnings[0]
    assert "separates columns with semicolons and decimal commas" in warnings[1]


def test_csv_keeps_leading_zeros_and_reads_utf8_bom(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_bytes(
        "label_id,property_id,label_class,valid_from\n0012,0151-7,C,2020-01-01\n".encode(
            "utf-8-sig")
    )
    table, fmt = read_label_csv(path, "labels")
    assert table.loc[0, "label_id"] == "0012"
    assert list(table.columns) == ["label_id", "property_id", "label_class", "valid_from"]
    assert fmt == {"encoding": "utf-8-sig", "separator": ",", "decimal": "."}


def test_excel_workbook_instead_of_csv_is_an_error(toy_data_dir):
    path = toy_data_dir / "energy_labels" / "labels.csv"
    pd.DataFrame({"label_id": ["L1"]}).to_excel(path.with_suffix(".xlsx"), index=False)
    path.write_bytes(path.with_suffix(".xlsx").read_bytes())
    with pytest.raises(InputDataError, match=r"labels\.csv is an Excel workbook, not a CSV file\. "
                                             r"Save it from Excel as 'CSV UTF-8"):
        load_dataset(toy_data_dir, scenario=SCENARIO)


def test_csv_without_a_recognisable_header_is_an_error(tmp_path):
    path = tmp_path / "proposals.csv"
    path.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"proposals\.csv: the first line does not name any "
                                             r"expected column"):
        read_label_csv(path, "proposals")


def test_real_ballerup_streets_as_the_streets_layer(toy_data_dir):
    streets = SHARED_DATA / "ballerup-geofa" / "vej_myndighed.gpkg"
    if not streets.exists():
        pytest.skip(f"real data not present: {streets}")
    result = load_dataset(toy_data_dir, layer_paths={"streets": streets}, scenario=SCENARIO)
    assert result.counts.loc["streets"].tolist() == [1568, 1568, 0, 0]
    assert result.dataset.streets.length.sum() / 1000 == pytest.approx(317.5, abs=0.1)


@pytest.mark.slow
def test_real_3d_road_centrelines_are_read_as_2d(toy_data_dir):
    roads = SHARED_DATA / "dawa-testdata" / "VejmidtTest.json"
    if not roads.exists():
        pytest.skip(f"real data not present: {roads}")
    result = load_dataset(toy_data_dir, layer_paths={"streets": roads}, scenario=SCENARIO)
    assert result.counts.loc["streets", "read"] == 5684
    assert not result.dataset.streets.has_z.any()
    assert any("3-D coordinates were read as 2-D" in i.message for i in result.issues)
    assert isinstance(result.dataset.streets, gpd.GeoDataFrame)
