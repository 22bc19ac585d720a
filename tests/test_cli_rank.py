"""``heatplan rank`` and ``heatplan scenario`` on a toy dataset folder."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely.geometry import Point, box

from heatplan.cli import cli
from heatplan.core.scenario import load_scenario
from heatplan.model.emissions import heat_emission_factors
from heatplan.model.heat_pump import scop_by_year
from heatplan.plan.trajectory import heat_pump_switch_year

X0, Y0 = 706_000.0, 6_179_000.0


SCENARIO = load_scenario()


def school_heat_pump_t_per_mwh(years: range) -> pd.Series:
    """t CO2 per MWh of the school's heat pump: a large unit on radiators (peak over
    ``buildings.large_unit_kw``), electricity's factor ÷ the catalogue SCOP of each year."""
    electricity = SCENARIO.by_year("emissions.electricity_kg_per_kwh", list(years))
    return pd.Series(electricity / scop_by_year("large_radiators", years, scenario=SCENARIO),
                     index=list(years))
ADDRESSES = {"school": "Skolevej 1", "kindergarten": "Børnehavevej 2", "hall": "Hallvej 3"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """Three municipal buildings and one private house, with labels and proposals."""
    root = tmp_path_factory.mktemp("toy")
    (root / "gis_data").mkdir()
    (root / "energy_labels").mkdir()
    props = gpd.GeoDataFrame(
        {
            "property_id": ["school", "kindergarten", "hall", "private"],
            "address": ["Skolevej 1", "Børnehavevej 2", "Hallvej 3", "Villavej 4"],
            "postcode": ["2750 Ballerup"] * 4,
            "bbr_use_code": ["421", "441", "533", "120"],
            "year_built": [1968, 1970, 1972, 1965],
            "heated_area_m2": [2000.0, 800.0, 1500.0, 140.0],
            "heating_installation": ["2", "2", "1", "2"],
            "heating_fuel": ["7", "7", None, "7"],
            "owner_type": ["50", "50", "50", "10"],
            "district_id": ["D1"] * 4,
        },
        geometry=[Point(X0 + 10 * i, Y0 + 10) for i in range(4)],
        crs="EPSG:25832",
    )
    districts = gpd.GeoDataFrame(
        {"district_id": ["D1"], "name": ["Skovlunde"], "status": ["candidate_dh"]},
        geometry=[box(X0 - 100, Y0 - 100, X0 + 500, Y0 + 500)], crs="EPSG:25832",
    )
    gpkg = root / "gis_data" / "toy.gpkg"
    props.to_file(gpkg, layer="properties")
    districts.to_file(gpkg, layer="districts")
    pd.DataFrame(
        {
            "label_id": ["LS", "LH"], "property_id": ["school", "hall"],
            "label_class": ["E", "D"], "valid_from": ["2019-09-01", "2013-02-01"],
            "valid_to": ["", ""], "heated_area_m2": [2000.0, 1500.0],
            "heat_supply": ["naturgas", "fjernvarme"],
            "calculated_heat_kwh_a": [260000.0, 210000.0],
        }
    ).to_csv(root / "energy_labels" / "labels.csv", index=False)
    pd.DataFrame(
        {
            "label_id": ["LS", "LS", "LS", "LH"], "proposal_id": ["1", "2", "3", "1"],
            "description": ["Efterisolering af loft", "Nye vinduer", "Isolering af varmerør",
                            "Ventilation"],
            "investment_dkk": [400000, 1200000, 50000, 300000],
            "saving_dkk_a": [30000, 22000, 7500, 20000],
            "heat_saved_kwh_a": [40000, 30000, 10000, 25000],
            "lifetime_a": [30, 30, 20, 20],
            "is_profitable": ["true", "false", "true", "true"],
        }
    ).to_csv(root / "energy_labels" / "proposals.csv", index=False)
    return root


def test_rank_prints_the_top_and_writes_csv_and_xlsx(data_dir, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["rank", "--data", str(data_dir), "--out", str(out), "--top", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "no --plan given" in result.stderr  # the caveat goes to stderr
    lines = result.stdout.splitlines()
    # 3 municipal buildings; 2 labelled (E, D): 100 % D or worse; the hall's label is expired
    assert lines[0].startswith("3 kommunale bygninger; 2 med energimærke, heraf 100 % D")
    assert "1 skal have fornyet mærket" in lines[0]
    table = pd.read_csv(out / "renovation_ranking.csv", dtype={"property_id": str})
    school = table.set_index("property_id").loc["school"]
    # the gas-heated school saves 50 MWh/a: on gas until the expected switch to a heat pump
    # (2029), then on a heat pump; so between 20 years of heat pump and 20 years of gas
    assert school["heat_saved_mwh_a"] == pytest.approx(50.0)
    assert school["hp_from_year"] == heat_pump_switch_year(SCENARIO) == 2029
    f = heat_emission_factors(SCENARIO, range(2026, 2046))
    gas, hp = f.loc["natural_gas"], school_heat_pump_t_per_mwh(range(2026, 2046))
    expected = 50 * (gas[[2026, 2027, 2028]].sum() + hp[range(2029, 2046)].sum())
    assert 50 * hp.sum() < school["co2_saved_t_horizon"] < 50 * gas.sum()
    assert school["co2_saved_t_horizon"] == pytest.approx(expected, rel=1e-9)
    top = table.loc[0, "property_id"]
    assert lines[1].startswith(f"   1. {ADDRESSES[top]}: "
                               f"{table.loc[0, 'co2_saved_t_horizon']:.0f} t CO2 sparet 2026–2045")
    assert len([line for line in lines if line[:6].strip().endswith(".")]) == 2
    assert sorted(table["property_id"]) == ["hall", "kindergarten", "school"]
    # ranked by net present cost per tonne, then tonnes
    assert table["net_cost_per_t_dkk"].is_monotonic_increasing
    sheets = pd.read_excel(out / "renovation_ranking.xlsx", sheet_name=None)
    assert list(sheets) == ["Renoveringsrangering", "Forudsætninger"]
    assert sheets["Renoveringsrangering"].loc[0, "Placering"] == 1
    assert "renovation.target_class" in set(sheets["Forudsætninger"]["key"])


def test_rank_refuses_to_overwrite_and_leaves_no_temp_files(data_dir, tmp_path):
    out = tmp_path / "out"
    args = ["rank", "--data", str(data_dir), "--out", str(out), "--top", "0"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 1 and "--overwrite" in again.output
    assert CliRunner().invoke(cli, [*args, "--overwrite"]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "renovation_ranking.csv", "renovation_ranking.xlsx", "renovation_ranking_manifest.json"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left


def test_rank_with_carbon_capture_english_and_all_proposals(data_dir, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["rank", "--data", str(data_dir), "--out", str(out), "--ccs", "--lang", "en",
              "--all-proposals"],
    )
    assert result.exit_code == 0, result.output
    # all three school proposals count: 80 MWh/a saved instead of 50
    table = pd.read_csv(out / "renovation_ranking.csv", dtype={"property_id": str})
    school = table.set_index("property_id").loc["school"]
    assert school["heat_saved_mwh_a"] == pytest.approx(80.0)
    assert f"Skolevej 1: {school['co2_saved_t_horizon']:.0f} t CO2 saved 2026–2045" in (
        result.output)
    assert "carbon capture from 2029" in result.output  # the DH hall
    sheets = pd.read_excel(out / "renovation_ranking.xlsx", sheet_name=None)
    assert list(sheets) == ["Renovation ranking", "Assumptions"]


def test_rank_with_user_scenario_file(data_dir, tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text('[renovation]\nfirst_saving_year = 2036\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["rank", "--data", str(data_dir), "--out", str(tmp_path / "o"),
              "--scenario", str(mine)],
    )
    assert result.exit_code == 0, result.output
    # savings from 2036 only: by then the school is on a heat pump (from 2029), so 10 years
    # of 50 MWh/a at the heat pump's factor
    hp = school_heat_pump_t_per_mwh(range(2036, 2046))
    table = pd.read_csv(tmp_path / "o" / "renovation_ranking.csv", dtype={"property_id": str})
    school = table.set_index("property_id").loc["school"]
    assert school["co2_saved_t_horizon"] == pytest.approx(50 * hp.sum(), rel=1e-9)
    # below 10 t the text gives one decimal, Danish style
    shown = f"{school['co2_saved_t_horizon']:.1f}".replace(".", ",")
    assert f"Skolevej 1: {shown} t CO2 sparet 2036–2045" in result.output


def test_unknown_scenario_key_exits_1_with_a_suggestion(data_dir, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[renovation]\ntarget_klass = 'B'\n", encoding="utf-8")
    for args in (["rank", "--data", str(data_dir), "--out", str(tmp_path / "o")],
                 ["scenario"]):
        result = CliRunner().invoke(cli, [*args, "--scenario", str(bad)])
        assert result.exit_code == 1
        assert "unknown parameter 'renovation.target_klass'" in result.output
        assert "renovation.target_class" in result.output


def test_scenario_command_marks_assumptions_and_prints_json(tmp_path):
    result = CliRunner().invoke(cli, ["scenario", "emissions.ccs"])
    assert result.exit_code == 0, result.output
    assert "  emissions.ccs_enabled = false  [true/false]" in result.output
    assert "* emissions.ccs_covered_share = 1.0" in result.output
    mine = tmp_path / "mine.toml"
    mine.write_text("[emissions]\nccs_enabled = true\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scenario", "--json", "--scenario", str(mine)])
    rows = {r["key"]: r for r in json.loads(result.output)}
    assert rows["emissions.ccs_enabled"]["value"] is True
    assert str(mine) in rows["emissions.ccs_enabled"]["source"]
    assert rows["renovation.target_class"]["is_assumption"]
    assert rows["demand.full_load_hours"]["is_derived"]
