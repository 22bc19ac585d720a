"""``heatplan validate`` on the command line: output, rejected file, exit codes 0/1/2."""

from __future__ import annotations

import json

import pyogrio
import pytest
from click.testing import CliRunner
from conftest import REPO

from heatplan.cli import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, ["validate", *map(str, args)])


def test_valid_data_exits_0_and_prints_counts(toy_data_dir, tmp_path):
    rejected = tmp_path / "out" / "rejected.gpkg"
    result = invoke(toy_data_dir, "--rejected", rejected)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["layer", "read", "valid", "repaired", "rejected", "source"]
    assert lines[1].split()[:5] == ["properties", "6", "6", "0", "0"]
    assert "The data can be planned on." in result.stdout
    assert "Traceback" not in result.output
    assert dict(pyogrio.list_layers(rejected)) == {"issues": None}


def test_rejected_rows_are_warnings_exit_0(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"].loc[0, "heated_area_m2"] = 0.0
    toy_tables["properties"].loc[5, "bbr_use_code"] = "999"
    data_dir = write_toy_dataset(toy_tables, tmp_path / "data")
    rejected = tmp_path / "rejected.gpkg"
    result = invoke(data_dir, "--rejected", rejected)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].split()[:5] == ["properties", "6", "4", "0", "2"]
    assert "WARNING properties.bbr_use_code: Unknown bbr_use_code '999'" in result.stdout
    assert "Fix: Use one of the allowed codes: 110, 120" in result.stdout
    assert "rejected rows are left out" in result.stdout
    assert pyogrio.read_info(rejected, layer="rejected_properties")["features"] == 2


def test_errors_exit_1_with_a_message_and_no_traceback(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["districts"] = toy_tables["districts"].drop(columns="status")
    data_dir = write_toy_dataset(toy_tables, tmp_path / "data")
    result = invoke(data_dir, "--rejected", tmp_path / "rejected.gpkg")
    assert result.exit_code == 1
    assert "ERROR   districts.status: Required column(s) status missing" in result.stdout
    assert "Error: 1 error(s) stop planning" in result.stderr
    assert "Traceback" not in result.output


def test_missing_folder_is_a_usage_error_exit_2(tmp_path):
    result = invoke(tmp_path / "nope")
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_missing_override_file_is_a_usage_error_exit_2(toy_data_dir, tmp_path):
    result = invoke(toy_data_dir, "--properties", tmp_path / "bbr.gpkg:buildings")
    assert result.exit_code == 2
    assert "Invalid value for '--properties': file" in result.output


def test_override_layer_and_json_output(toy_tables, toy_data_dir, tmp_path):
    other = tmp_path / "bbr.gpkg"
    toy_tables["properties"].to_file(other, layer="buildings", engine="pyogrio")
    result = invoke(toy_data_dir, "--properties", f"{other}:buildings", "--json",
                    "--rejected", tmp_path / "r.gpkg")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["has_errors"] is False
    assert payload["counts"][0] == {"layer": "properties", "read": 6, "valid": 6, "repaired": 0,
                                    "rejected": 0}


def test_missing_layer_in_override_exits_1(toy_data_dir, tmp_path):
    gpkg = toy_data_dir / "gis_data" / "toy.gpkg"
    result = invoke(toy_data_dir, "--streets", f"{gpkg}:roads", "--rejected", tmp_path / "r.gpkg")
    assert result.exit_code == 1
    assert "has no layer 'roads'" in result.stdout
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_no_folder_validates_the_bundled_sample(tmp_path):
    if not (REPO / "gis_data" / "sample.gpkg").exists():
        pytest.skip("the bundled sample gis_data/sample.gpkg is not generated yet")
    result = invoke("--rejected", tmp_path / "r.gpkg")
    assert result.exit_code == 0, result.output
    assert "gis_data/sample.gpkg, layer properties" in result.stdout
    assert "The data can be planned on." in result.stdout
