"""Place and CRS sanity, plausible ranges, and which GeoPackage is read; each with its message."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import geopandas as gpd
import pytest
from click.testing import CliRunner
from conftest import make_raw_dataset
from shapely.geometry import Point

from heatplan.cli import cli
from heatplan.core.errors import InputDataError
from heatplan.core.scenario import load_scenario
from heatplan.io.place import require_in_denmark
from heatplan.validate import load_dataset, validate_dataset

SCENARIO = load_scenario()
THIS_YEAR = dt.date.today().year
GIS = ("properties", "districts", "streets", "dh_network", "heat_sources")


def _validate(tables):
    result = validate_dataset(make_raw_dataset(tables), scenario=SCENARIO)
    for name, row in result.counts.iterrows():  # nothing is lost
        assert row["read"] == row["valid"] + row["rejected"], name
    return result


def _issue(result, pattern: str):
    found = [i for i in result.issues if re.search(pattern, str(i), re.S)]
    assert len(found) == 1, "\n".join(map(str, result.issues))
    return found[0]


# --- declared CRS against the coordinates ------------------------------------------------------

def test_metres_declared_as_degrees_is_an_error_naming_the_crs_that_fits(toy_tables):
    toy_tables["properties"] = toy_tables["properties"].set_crs(4326, allow_override=True)
    result = _validate(toy_tables)
    found = _issue(result, "do not fit the declared CRS")
    assert (found.severity, found.layer) == ("error", "properties")
    assert found.message == (
        "The coordinates (x 708050–708380, y 6180020–6180180) do not fit the declared CRS "
        "EPSG:4326 (WGS 84): it is a geographic CRS in degrees (longitude −180 to 180, "
        "latitude −90 to 90), but the coordinates are far larger, as metres are.")
    assert found.fix.startswith("The coordinates fit EPSG:25832 (ETRS89 / UTM zone 32N): set "
                                "that CRS (in QGIS: Layer Properties ▸ Source ▸ Assigned CRS")
    assert result.counts.loc["properties", "rejected"] == 6
    assert set(result.rejected["properties"]["reason"]) == {
        "coordinates do not fit the declared CRS EPSG:4326"}
    with pytest.raises(InputDataError, match="do not fit the declared CRS EPSG:4326"):
        result.raise_if_errors()


def test_degrees_declared_as_utm_metres_is_an_error_naming_wgs84(toy_tables):
    streets = toy_tables["streets"]
    toy_tables["streets"] = streets.to_crs(4326).set_crs(25832, allow_override=True)
    found = _issue(_validate(toy_tables), "do not fit the declared CRS")
    assert found.message.startswith(
        "The coordinates (x 12.312–12.3183, y 55.7204–55.7232) do not fit the declared CRS "
        "EPSG:25832 (ETRS89 / UTM zone 32N): read in it, they lie at longitude 4.51137, "
        "latitude 0.000502564–0.000502588, outside its valid area (Europe between 6°E and "
        "12°E: longitude 6 to 12.01, latitude 36.53 to 84.01).")
    assert found.fix.startswith("The coordinates fit EPSG:4326 (WGS 84)")


def test_a_correctly_declared_other_crs_is_reprojected_without_warnings(toy_tables):
    for name in GIS:
        toy_tables[name] = toy_tables[name].to_crs(4326)
    result = _validate(toy_tables)
    assert not [i for i in result.issues if i.severity != "info"]
    assert result.dataset.properties.crs == "EPSG:25832"
    assert result.dataset.properties.loc["P1"].geometry.x == pytest.approx(708_050, abs=0.01)


def test_a_dataset_far_outside_denmark_is_a_warning_and_kept(toy_tables):
    for name in GIS:  # 1,500 km north: still in UTM 32N's area, but in northern Norway
        toy_tables[name] = toy_tables[name].set_geometry(
            toy_tables[name].geometry.translate(0, 1_500_000))
    result = _validate(toy_tables)
    warnings = [i for i in result.issues if "outside Denmark" in i.message]
    assert [i.layer for i in warnings] == list(GIS)
    props = next(i for i in warnings if i.layer == "properties")
    assert props.severity == "warning" and props.count == 6
    assert props.message == (
        "Every row of the layer lies outside Denmark (x 708050–708380, y 7680020–7680180 in "
        "EPSG:25832; Denmark is x 420608–921413, y 6016914–6448202); they are kept.")
    assert props.fix == ("If the data is meant to be in Denmark, its CRS is wrong or the "
                         "coordinates are shifted. Check the coordinates in QGIS against a map "
                         "of Denmark.")
    assert result.counts["valid"].tolist()[:5] == [6, 2, 3, 1, 1]


def test_utm33_coordinates_declared_as_utm32_get_the_fitting_crs_named(toy_tables):
    streets = toy_tables["streets"]
    toy_tables["streets"] = streets.to_crs(25833).set_crs(25832, allow_override=True)
    found = _issue(_validate(toy_tables), "outside Denmark")
    assert found.message.startswith("Every row of the layer lies outside Denmark (x 331176–")
    assert "The coordinates fit EPSG:25833 (ETRS89 / UTM zone 33N)" in found.fix


def test_one_row_outside_denmark_is_named(toy_tables):
    props = toy_tables["properties"]
    props.loc[0, "geometry"] = Point(100_000, 6_180_000)  # in the North Sea
    found = _issue(_validate(toy_tables), "outside Denmark")
    assert found.message.startswith("1 of 6 rows of the layer lie outside Denmark (x 100000, "
                                    "y 6180000 in EPSG:25832")
    assert found.row_ids == ("P1",)


def test_register_import_refuses_buildings_outside_denmark(toy_tables):
    props = toy_tables["properties"].copy()
    require_in_denmark(props, "properties", "bbr.json")  # in Denmark: nothing happens
    props["geometry"] = props.geometry.translate(0, -2_000_000)
    with pytest.raises(InputDataError) as caught:
        require_in_denmark(props, "properties", "bbr.json")
    assert str(caught.value).startswith(
        "bbr.json, layer properties: 6 of 6 rows lie outside Denmark (x 708050–708380, "
        "y 4180020–4180180 in EPSG:25832); the Danish registers cover Denmark only.")


def test_cli_validate_reports_a_crs_contradiction_without_traceback(toy_tables,
                                                                    write_toy_dataset,
                                                                    tmp_path):
    toy_tables["districts"] = toy_tables["districts"].set_crs(4326, allow_override=True)
    data = write_toy_dataset(toy_tables, tmp_path / "data")
    result = CliRunner().invoke(cli, ["validate", str(data), "--rejected",
                                      str(tmp_path / "rej.gpkg")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert ("ERROR   districts: The coordinates (x 708000–708400, y 6180000–6180200) do not fit "
            "the declared CRS EPSG:4326 (WGS 84)") in result.output


# --- plausible ranges --------------------------------------------------------------------------

def test_a_construction_year_after_this_year_is_rejected(toy_tables):
    toy_tables["properties"].loc[0, "year_built"] = THIS_YEAR + 5
    result = _validate(toy_tables)
    found = _issue(result, "year_built must be at most")
    assert found.message == (
        f"year_built must be at most the current year, {THIS_YEAR}; rows with "
        f"'{THIS_YEAR + 5}' were rejected (a building is planned on as it stands; one not yet "
        "built has no heating to convert).")
    assert result.rejected["properties"]["reason"].tolist() == [
        f"year_built = {THIS_YEAR + 5} (must be at most the current year, {THIS_YEAR})"]


def test_a_label_valid_from_a_future_date_is_rejected(toy_tables):
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    toy_tables["labels"].loc[2, "valid_from"] = future
    toy_tables["labels"].loc[2, "valid_to"] = "2040-01-01"
    result = _validate(toy_tables)
    found = _issue(result, "valid_from must be at most today")
    assert found.message == (
        f"valid_from must be at most today, {dt.date.today().isoformat()}; rows with "
        f"'{future}' were rejected (a label is issued before it is valid).")
    assert result.rejected["labels"].set_index("label_id").loc["L3", "reason"].startswith(
        f"valid_from = {future}")


def test_absurd_areas_are_rejected_and_implausible_ones_warned_about(toy_tables):
    props = toy_tables["properties"]
    props.loc[0, "heated_area_m2"] = 2_000_000.0  # detached house P1: absurd
    props.loc[5, "heated_area_m2"] = 4_000.0  # detached house P6: implausible
    result = _validate(toy_tables)
    absurd = _issue(result, "heated_area_m2 must be at most 500000")
    assert absurd.message.startswith(
        "heated_area_m2 must be at most 500000 m²; rows with '2000000' were rejected "
        "(assumption: no single building is this large")
    odd = _issue(result, "is usually")
    assert odd.message.startswith(
        "heated_area_m2 of detached houses (BBR use 110–122, 190) is usually from 25 to 1000 m²; "
        "rows with '4000' lie outside and were kept (assumption:")
    assert odd.row_ids == ("P6",)
    assert result.counts.loc["properties", "rejected"] == 1
    assert "P6" in result.dataset.properties.index


def test_heat_per_m2_of_a_label_is_checked(toy_tables):
    labels = toy_tables["labels"]
    labels.loc[0, "calculated_heat_kwh_a"] = 5200 * 2000.0  # 2,000 kWh/m²: a unit error
    labels.loc[2, "calculated_heat_kwh_a"] = 140 * 700.0  # 700 kWh/m²: odd, kept
    result = _validate(toy_tables)
    absurd = _issue(result, "must be at most 1500")
    assert absurd.message.startswith(
        "calculated_heat_kwh_a per heated_area_m2 (heat per m²) must be at most 1500 kWh/m² a "
        "year; rows with '2000' were rejected")
    odd = _issue(result, "heat per m²\\) is usually")
    assert "is usually from 15 to 600 kWh/m² a year; rows with '700' lie outside" in (
        odd.message)
    assert result.rejected["labels"]["label_id"].tolist() == ["L1"]


@pytest.mark.parametrize(("layer", "column", "value", "limit"), [
    ("properties", "dwellings", 5000, "at most 2000"),
    ("districts", "planned_phase", 40, "at most 10"),
    ("dh_network", "dn_mm", 3000, "at most 1200 mm"),
    ("heat_sources", "capacity_mw", 9000.0, "at most 2000 MW"),
    ("proposals", "investment_dkk", 5e9, "at most 100000000 DKK"),
    ("proposals", "saving_dkk_a", 5e8, "at most 10000000 DKK/year"),
    ("proposals", "heat_saved_kwh_a", 5e8, "at most 10000000 kWh/year"),
    ("proposals", "lifetime_a", 500.0, "at most 100 years"),
])
def test_every_other_number_has_a_plausible_range(layer, column, value, limit, toy_tables):
    toy_tables[layer].loc[0, column] = value
    result = _validate(toy_tables)
    found = _issue(result, f"{column} is usually {limit}")
    assert found.severity == "warning" and found.count == 1
    assert "lie outside and were kept" in found.message


# --- which GeoPackage ----------------------------------------------------------------------

def test_two_geopackages_in_gis_data_are_refused_and_gpkg_chooses(toy_data_dir, tmp_path):
    shutil.copy(toy_data_dir / "gis_data" / "toy.gpkg", toy_data_dir / "gis_data" / "old.gpkg")
    with pytest.raises(InputDataError) as caught:
        load_dataset(toy_data_dir, scenario=SCENARIO)
    assert str(caught.value) == (
        f"{toy_data_dir / 'gis_data'} holds 2 GeoPackages (old.gpkg, toy.gpkg); heatplan cannot "
        "tell which one holds the dataset. Name it with --gpkg NAME (for example --gpkg "
        "old.gpkg), or move the others out of gis_data/.")
    result = load_dataset(toy_data_dir, scenario=SCENARIO, gpkg="toy.gpkg")
    assert result.dataset.sources["properties"] == "gis_data/toy.gpkg, layer properties"
    cli_args = ["validate", str(toy_data_dir), "--rejected", str(tmp_path / "r.gpkg")]
    refused = CliRunner().invoke(cli, cli_args)
    assert refused.exit_code == 1 and "holds 2 GeoPackages" in refused.output
    chosen = CliRunner().invoke(cli, [*cli_args, "--gpkg", "toy"])
    assert chosen.exit_code == 0, chosen.output
    missing = CliRunner().invoke(cli, [*cli_args, "--gpkg", "new.gpkg"])
    assert missing.exit_code == 1
    assert (f"--gpkg new.gpkg: {toy_data_dir / 'gis_data'} has no GeoPackage new.gpkg (it has "
            "old.gpkg, toy.gpkg)") in missing.output


def test_per_layer_geopackages_are_not_ambiguous(toy_tables, tmp_path):
    folder = tmp_path / "data"
    (folder / "gis_data").mkdir(parents=True)
    (folder / "energy_labels").mkdir()
    for name in GIS:
        gpd.GeoDataFrame(toy_tables[name]).to_file(folder / "gis_data" / f"{name}.gpkg",
                                                   engine="pyogrio")
    result = load_dataset(folder, scenario=SCENARIO)
    assert result.counts["valid"].tolist()[:5] == [6, 2, 3, 1, 1]
