"""``heatplan plan`` on the bundled sample, end to end, as a user runs it."""

from __future__ import annotations

import hashlib

import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from heatplan.cli import cli
from heatplan.io.staging import read_manifest

pytestmark = pytest.mark.slow

EXPECTED_FILES = {
    "heatplan_plan.gpkg",
    "heatplan_phase_maps.pdf",
    "heatplan_phase_map_overview.png",
    "heatplan_report.html",
    "heatplan_report.xlsx",
    "heatplan_gravetidsplan.xlsx",
    "heatplan_gravetidsplan_gantt.pdf",
    "heatplan_gravetidsplan_gantt.png",
    "heatplan_gravetidsplan_kort.pdf",
    "heatplan_gravetidsplan_kort.png",
    "renovation_ranking.csv",
    "renovation_ranking.xlsx",
    "fjernvarme_kort.html",
    "heatplan_manifest.json",
}


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan") / "maps"
    result = CliRunner().invoke(cli, ["-q", "plan", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_plan_writes_every_output(planned):
    out, stdout = planned
    assert {p.name for p in out.iterdir()} == EXPECTED_FILES
    assert not any(p.name.startswith(".maps.") for p in out.parent.iterdir())  # no staging
    manifest = read_manifest(out)
    assert {f["name"] for f in manifest["files"]} == EXPECTED_FILES - {"heatplan_manifest.json"}
    digests = _digests(out)
    assert all(digests[f["name"]] == f["sha256"] for f in manifest["files"])
    assert "SYNTHETIC SAMPLE DATA" in stdout
    assert "Schedule: MILP" in stdout and "heuristic's gap to the MILP" in stdout
    assert "optimal (proven by the MILP)" in stdout  # the sample's MILP proves its optimum


def test_all_7300_properties_to_convert_are_placed_and_works_end_by_2030(planned):
    out, _ = planned
    gpkg = out / "heatplan_plan.gpkg"
    props = pyogrio.read_dataframe(gpkg, layer="ejendomme", read_geometry=False)
    districts = pyogrio.read_dataframe(gpkg, layer="energidistrikter", read_geometry=False)
    candidate = districts.loc[districts["status"] == "candidate_dh", "district_id"]
    target = props[props["is_to_convert"].astype(bool) & props["district_id"].isin(candidate)]
    assert len(target) == 7300
    # each is in phase 1 or 2, or was built before the plan period, or gets a heat pump
    placed = target["phase"].isin([1, 2]) | target["recommendation"].eq("individual_heat_pump")
    built_before = target["district_id"].isin(
        districts.loc[districts["start_year"].isna() & districts["end_year"].notna(),
                      "district_id"]
    )
    assert (placed | built_before).all()
    assert pd.to_numeric(districts["end_year"]).max() <= 2030
    trenches = pyogrio.read_dataframe(gpkg, layer="nye_ledninger", read_geometry=False)
    assert pd.to_numeric(trenches["construction_year"]).max() <= 2030
    # every district-heating property gets an offer; those expected to connect do so after it,
    # and about the scenario's final take-up (80 %) of them are expected to connect at all
    dh = props[props["recommendation"] == "district_heating"]
    waiting = ~dh["connection_status"].isin(["connected", "signed_up"])
    assert dh.loc[waiting, "offer_year"].notna().all()
    connecting = dh[dh["connection_year"].notna()]
    offered = connecting[waiting.reindex(connecting.index)]
    assert (offered["offer_year"] <= offered["connection_year"]).all()
    assert len(connecting) / len(dh) == pytest.approx(0.8, abs=0.01)


def test_existing_plan_is_not_overwritten(planned):
    out, _ = planned
    before = _digests(out)
    result = CliRunner().invoke(cli, ["-q", "plan", "--out", str(out), "--method", "heuristic"])
    assert result.exit_code == 1
    assert "--overwrite" in result.output
    assert "Traceback" not in result.output
    assert _digests(out) == before


def test_rerun_is_byte_identical_and_revision_against_it_changes_nothing(planned, tmp_path):
    out, _ = planned
    again = tmp_path / "again"
    result = CliRunner().invoke(
        cli, ["-q", "plan", "--out", str(again), "--previous", str(out / "heatplan_plan.gpkg")]
    )
    assert result.exit_code == 0, result.output
    first, second = _digests(out), _digests(again)
    # the same inputs give the same plan; only the report gains a (here empty) change list
    # (and so the manifest, which names each file's digest)
    report = {"heatplan_report.html", "heatplan_report.xlsx", "heatplan_manifest.json"}
    assert {k: v for k, v in first.items() if k not in report} == {
        k: v for k, v in second.items() if k not in report
    }
    changes = pd.read_excel(again / "heatplan_report.xlsx", sheet_name=None)
    change_sheets = [name for name in changes if name.lower().startswith("ændring")]
    assert change_sheets, list(changes)
    assert len(changes[change_sheets[0]].dropna(how="all")) == 0


def test_an_input_dataset_is_refused_as_previous_plan(tmp_path):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "gis_data" / "sample.gpkg"
    result = CliRunner().invoke(
        cli, ["-q", "plan", "--out", str(tmp_path / "x"), "--previous", str(sample)]
    )
    assert result.exit_code == 1
    assert "not a plan" in result.output and "Traceback" not in result.output


def test_rank_counts_the_plans_district_heating_years(planned, tmp_path):
    out, _ = planned
    alone = CliRunner().invoke(cli, ["-q", "rank", "--out", str(tmp_path / "a")])
    with_plan = CliRunner().invoke(
        cli, ["-q", "rank", "--out", str(tmp_path / "b"), "--plan",
              str(out / "heatplan_plan.gpkg")]
    )
    assert alone.exit_code == 0 and with_plan.exit_code == 0, with_plan.output
    a = pd.read_csv(tmp_path / "a" / "renovation_ranking.csv", index_col="property_id")
    b = pd.read_csv(tmp_path / "b" / "renovation_ranking.csv", index_col="property_id")
    # the plan's own ranking (in its output folder) is what rank --plan gives
    planned_rank = pd.read_csv(out / "renovation_ranking.csv", index_col="property_id")
    assert b["co2_saved_t_horizon"].to_dict() == pytest.approx(
        planned_rank["co2_saved_t_horizon"].to_dict()
    )
    # the plan changes the heating path only of the buildings it gives district heating:
    # theirs differ from the ranking without the plan, everyone else's are the same
    on_dh = b["dh_from_year"].notna()
    assert on_dh.sum() > 0
    same = b.loc[~on_dh, "co2_saved_t_horizon"]
    assert same.to_dict() == pytest.approx(a.loc[same.index, "co2_saved_t_horizon"].to_dict())
    changed = b.loc[on_dh, "co2_saved_t_horizon"] - a.loc[on_dh[on_dh].index,
                                                          "co2_saved_t_horizon"]
    moved = b.loc[on_dh, "heat_saved_mwh_a"] > 0
    assert (changed[moved].abs() > 1e-9).all()
