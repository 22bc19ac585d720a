"""Metered heat: the properties' columns or energy_labels/metered.csv, checked, then used first."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from heatplan.cli import cli
from heatplan.core.scenario import load_scenario
from heatplan.model.stage import model_dataset
from heatplan.validate import load_dataset

SCENARIO = load_scenario().with_values(
    demand__degree_days={"2020": 2500}, demand__normal_degree_days=3000,
    demand__space_heating_share=0.75,
)
CSV = ("property_id,metered_heat_kwh_a,metered_year\n"
       "P1,20000,2020\nNOPE,1000,2020\nP3,30000,2035\n")


def test_metered_csv_is_read_checked_and_wins_in_the_model(toy_data_dir):
    (toy_data_dir / "energy_labels" / "metered.csv").write_text(CSV, encoding="utf-8")
    result = load_dataset(toy_data_dir, scenario=SCENARIO, strict=False)
    counts = result.counts.loc["metered"]
    assert (counts["read"], counts["valid"], counts["rejected"]) == (3, 1, 2)
    report = result.report()
    assert "metered.property_id: property_id not among the valid properties: 'NOPE'" in report
    assert "metered_year must be from 1990 to the current year" in report
    model = model_dataset(result.dataset, scenario=SCENARIO)
    p1 = model.properties.loc["P1"]
    # 20,000 kWh in 2020 × (0.75 × 3000/2500 + 0.25) = 23,000 kWh
    assert p1["heat_demand_mwh_a"] == pytest.approx(23.0)
    assert (p1["demand_source"], p1["demand_year"]) == ("metered", 2020)
    assert model.properties.loc["P3", "demand_source"] != "metered"  # its row was rejected


def test_metered_option_reads_the_csv_from_elsewhere(toy_data_dir, tmp_path):
    other = tmp_path / "maalere.csv"
    other.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(toy_data_dir), "--metered", str(other),
                                      "--json", "--rejected", str(tmp_path / "r.gpkg")])
    assert result.exit_code == 0, result.output
    counts = {row["layer"]: row for row in json.loads(result.stdout)["counts"]}
    assert (counts["metered"]["read"], counts["metered"]["valid"]) == (3, 1)


def test_metered_columns_on_the_properties_are_checked_per_m2(toy_tables, write_toy_dataset,
                                                              tmp_path):
    props = toy_tables["properties"]
    props["metered_heat_kwh_a"] = None
    props["metered_year"] = None
    first = props.index[0]
    area = float(props.loc[first, "heated_area_m2"])
    props.loc[first, ["metered_heat_kwh_a", "metered_year"]] = [area * 2_000, 2020]
    folder = write_toy_dataset(toy_tables, tmp_path / "data")
    result = load_dataset(folder, scenario=SCENARIO, strict=False)
    assert "metered_heat_kwh_a per heated_area_m2" in result.report()
    assert result.counts.loc["properties", "rejected"] == 1
