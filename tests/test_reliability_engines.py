"""fiona as a second reading engine: pyogrio's tables from GPKG, SHP (cp1252) and GeoJSON."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import write_dataset
from geopandas.testing import assert_geodataframe_equal

from heatplan.cli import cli
from heatplan.core.errors import InputDataError
from heatplan.core.scenario import load_scenario
from heatplan.io import engines
from heatplan.io.layers import read_dataset
from heatplan.validate import load_dataset

pytest.importorskip("fiona", reason="fiona is the optional engine (pip install 'heatplan[fiona]')")

SCENARIO = load_scenario()
DANISH = ["Ærøvej 1", "Søndergade 3", "Åbyvej 2", "Smørum Byvej 10", "Hørsholm Allé 1",
          "Grønnegade 8"]


def _write(tables, folder, fmt):
    """The toy dataset in ``fmt``; a Shapefile's .dbf in Windows-1252 with its .cpg."""
    if fmt != "shp-cp1252":
        return write_dataset(tables, folder, fmt=fmt)
    write_dataset({k: v for k, v in tables.items() if not hasattr(v, "geometry")}, folder)
    for name, table in tables.items():
        if not hasattr(table, "geometry"):
            continue
        if table.geom_type.nunique() > 1:  # a Shapefile holds one geometry type
            table = table.set_geometry(table.representative_point())
        with warnings.catch_warnings():  # field names are cut to 10 characters
            warnings.simplefilter("ignore")
            table.to_file(folder / "gis_data" / f"{name}.shp", engine="pyogrio",
                          encoding="cp1252")
    return folder


@pytest.mark.parametrize("fmt", ["gpkg", "shp-cp1252", "geojson"])
def test_both_engines_read_the_same_tables(fmt, toy_tables, tmp_path):
    toy_tables["properties"]["address"] = DANISH
    toy_tables["districts"]["name"] = ["Ørnevænget", "Bådehavnen"]
    data = _write(toy_tables, tmp_path / fmt, fmt)
    if fmt == "shp-cp1252":
        assert (data / "gis_data" / "properties.cpg").read_text() == "CP1252"
        assert "Ærøvej 1".encode("cp1252") in (data / "gis_data" / "properties.dbf").read_bytes()
    raw = {engine: read_dataset(data, engine=engine) for engine in ("pyogrio", "fiona")}
    for name in ("properties", "districts", "streets", "dh_network", "heat_sources"):
        assert_geodataframe_equal(raw["fiona"].tables[name], raw["pyogrio"].tables[name],
                                  check_dtype=False, check_like=True)
    valid = {engine: load_dataset(data, scenario=SCENARIO, engine=engine).dataset
             for engine in ("pyogrio", "fiona")}
    for name, table in valid["pyogrio"].tables.items():
        other = valid["fiona"].tables[name]
        if hasattr(table, "geometry"):
            assert_geodataframe_equal(other.sort_index(), table.sort_index())
        else:
            pd.testing.assert_frame_equal(other, table)
    props = valid["fiona"].properties.sort_index()
    assert props["address"].tolist() == DANISH
    assert valid["fiona"].districts.loc["D1", "name"] == "Ørnevænget"
    assert props["heated_area_m2"].sum() == pytest.approx(8660.5)


def test_cli_takes_the_engine_and_refuses_an_unknown_one(toy_data_dir, tmp_path):
    args = ["validate", str(toy_data_dir), "--rejected", str(tmp_path / "r.gpkg")]
    result = CliRunner().invoke(cli, [*args, "--io-engine", "fiona"])
    assert result.exit_code == 0, result.output
    assert "properties           6        6" in result.output
    wrong = CliRunner().invoke(cli, [*args, "--io-engine", "gdal"])
    assert wrong.exit_code == 2
    assert "'gdal' is not one of 'pyogrio', 'fiona'" in wrong.output


def test_a_missing_engine_names_the_extra_to_install(monkeypatch, toy_data_dir):
    real = engines.importlib.import_module

    def without_fiona(name, *args):
        if name == "fiona":
            raise ImportError("No module named 'fiona'")
        return real(name, *args)

    monkeypatch.setattr(engines.importlib, "import_module", without_fiona)
    with pytest.raises(InputDataError, match=r"The I/O engine fiona is not installed \(No module "
                                             r"named 'fiona'\)\. Install it with pip install "
                                             r"\"heatplan\[fiona\]\", or use --io-engine "
                                             r"pyogrio\."):
        read_dataset(toy_data_dir, engine="fiona")


def test_an_unreadable_file_is_a_clear_error_with_either_engine(toy_data_dir):
    (toy_data_dir / "gis_data" / "toy.gpkg").write_bytes(b"not a geopackage")
    for engine in ("pyogrio", "fiona"):
        dataset = read_dataset(toy_data_dir, engine=engine)
        errors = [i for i in dataset.read_issues if i.severity == "error"]
        assert errors[0].message.startswith(
            f"{toy_data_dir / 'gis_data' / 'toy.gpkg'} cannot be opened as a GIS file")
