"""A layer given on its own without a data folder never silently mixes with the synthetic sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from heatplan.cli import cli
from heatplan.io.layers import sample_layers

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "gis_data" / "sample.gpkg"
REST = "districts, streets, dh_network, heat_sources, planned_works, labels, proposals"

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="the bundled sample is not generated")


def invoke(*args: object):
    return CliRunner().invoke(cli, [*map(str, args)])


@pytest.mark.parametrize(
    ("command", "hint"),
    [("plan", "--data DIR"), ("validate", "DATA_DIR"), ("rank", "--data DIR")],
)
def test_a_single_layer_without_data_is_an_error_naming_the_sample_layers(command, hint,
                                                                          tmp_path):
    result = invoke(command, "--properties", f"{SAMPLE}:properties",
                    *(["--rejected", tmp_path / "r.gpkg"] if command == "validate"
                      else ["--out", tmp_path / "out"]))
    assert result.exit_code == 2, result.output
    assert (f"--properties given without a data folder ({hint}): the layers {REST} would come "
            "from the bundled synthetic sample, mixed with your data.") in result.output
    assert "--with-sample to take them from the sample on purpose" in result.output
    assert not (tmp_path / "out").exists()


def test_with_sample_warns_which_layers_come_from_the_sample(tmp_path):
    result = invoke("validate", "--labels", REPO / "energy_labels" / "labels.csv",
                    "--with-sample", "--rejected", tmp_path / "r.gpkg")
    assert result.exit_code == 0, result.output
    assert ("Warning: --labels given without a data folder; the layers properties, districts, "
            "streets, dh_network, heat_sources, planned_works, proposals come from the bundled "
            "synthetic sample (--with-sample)") in result.stderr
    assert "The data can be planned on" in result.stdout


def test_no_error_with_a_data_folder_or_every_required_layer(tmp_path):
    required = {name: f"{SAMPLE}:{name}" for name in
                ("properties", "districts", "streets", "dh_network", "heat_sources")}
    assert sample_layers(required) == []
    assert sample_layers({"properties": f"{SAMPLE}:properties"}) == REST.split(", ")
    result = invoke("validate", REPO, "--properties", f"{SAMPLE}:properties", "--json",
                    "--rejected", tmp_path / "r.gpkg")
    assert result.exit_code == 0, result.output
    assert "synthetic sample" not in result.stderr
