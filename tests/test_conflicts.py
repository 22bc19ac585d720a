"""Other works in the streets: the ``planned_works`` contract layer and the conflicts found.

The work packages are test_works.py's hand-made network (district A dug in 2026, B in 2027);
the planned works are drawn by hand on its streets, each meant to give one kind of conflict.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely.geometry import LineString, Point, box
from test_works import CRS, DISTRICTS, X0, Y0, make_service, make_trenches

from heatplan.core.scenario import load_scenario
from heatplan.plan.conflicts import find_conflicts
from heatplan.plan.works import schedule_works


def _line(*xy):
    return LineString([(X0 + x, Y0 + y) for x, y in xy])


def make_works() -> gpd.GeoDataFrame:
    rows = [  # work id, type, year, end year, owner, geometry
        ("W1", "repaving", 2023, None, "Vejmyndigheden", _line((400, 0), (400, -200))),
        ("W2", "sewer", 2026, None, "Forsyningen",
         box(X0 + 795, Y0 + 0, X0 + 805, Y0 + 300)),  # an area along Sidevej's first piece
        ("W3", "water", 2027, None, "Forsyningen", _line((1100, 300), (1400, 300))),
        ("W4", "fibre", 2030, None, "Teleselskab", _line((1400, 300), (1700, 300))),
        ("W5", "water", 2026, None, "Forsyningen", _line((200, -100), (200, 100))),  # crossing
        ("W6", "repaving", 2027, None, None, _line((800, 0), (1200, 0))),
        ("W7", "sewer", 2024, 2025, "Forsyningen", _line((800, 300), (1100, 300))),
    ]
    return gpd.GeoDataFrame(
        {"work_type": [r[1] for r in rows], "year": [r[2] for r in rows],
         "end_year": pd.array([r[3] for r in rows], dtype="Int64"),
         "owner": [r[4] for r in rows]},
        geometry=[r[5] for r in rows], crs=CRS,
        index=pd.Index([r[0] for r in rows], name="work_id"))


@pytest.fixture(scope="module")
def scenario():
    return load_scenario().with_values(works__max_package_m=500.0)


@pytest.fixture(scope="module")
def packages(scenario):
    service, props = make_service()
    return schedule_works(make_trenches(), service, props, DISTRICTS, scenario=scenario)


@pytest.fixture(scope="module")
def conflicts(packages, scenario):
    return find_conflicts(packages.packages, make_works(), scenario=scenario)


def _street(packages, segment: str) -> str:
    return packages.segment_package[segment]


def test_conflicts_found_on_a_hand_made_layer(packages, conflicts):
    found = {(r.work_id, r.package_id): r.conflict for r in conflicts.itertuples()}
    seg = packages.segment_package
    assert found == {
        ("W1", seg["T1"]): "recently_repaved",  # repaved 2023, dug 2026: within 5 years
        ("W2", seg["S1"]): "same_year",  # sewer along Sidevej in 2026
        ("W3", seg["M4"]): "other_year_after",  # water main a year after
        ("W6", seg["M3"]): "repaving_after",  # new surface the year after: the right order
        ("W7", seg["S2"]): "other_year_before",  # sewer 2024–2025, dug 2026
    }
    # W4 is three years away, W5 only crosses Hovedvej (20 m in its 10 m buffer < 25 m);
    # W2's area touches M2 and M3 for 15 m each: a crossing, not a shared street
    assert conflicts["conflict"].tolist()[0] == "recently_repaved"  # most pressing first


def test_overlap_years_and_suggestions(packages, conflicts):
    c = conflicts.set_index("work_id")
    assert c.loc["W1", "overlap_m"] == pytest.approx(200.0)
    assert c.loc["W2", "overlap_m"] == pytest.approx(300.0)
    assert (c.loc["W7", "work_year"], c.loc["W7", "work_end_year"]) == (2024, 2025)
    assert c.loc["W1", "street_name"] == "Tværvej" and c.loc["W1", "construction_year"] == 2026
    # Tværvej could only move to A's end year 2027, not past the protection (2023 + 5 = 2028)
    assert not c.loc["W1", "can_move"]
    assert "2028" in c.loc["W1", "suggestion"] and "højst flyttes til 2027" in (
        c.loc["W1", "suggestion"])
    # M4 feeds B1 (2027) and A runs to 2027: it can move to the water works' year
    assert c.loc["W3", "can_move"]
    assert c.loc["W3", "suggestion"].startswith("Vandledningsarbejde i 2027 (Forsyningen). "
                                                "Flyt pakken til 2027")
    # Sidevej's second stretch cannot move back to 2025: A starts in 2026
    assert not c.loc["W7", "can_move"] and "bed om at flytte" in c.loc["W7", "suggestion"]
    assert "ejer ikke oplyst" in c.loc["W6", "suggestion"]


def test_suggestions_in_english(packages, scenario):
    english = find_conflicts(packages.packages, make_works(), scenario=scenario, lang="en")
    text = english.set_index("work_id").loc["W2", "suggestion"]
    assert text.startswith("Sewer works in the same year (Forsyningen). Dig together")


def test_scenario_settings_change_the_conflicts(packages):
    strict = load_scenario().with_values(works__repaving_protection_years=2,
                                         works__coordination_years=0)
    found = find_conflicts(packages.packages, make_works(), scenario=strict)
    # 2023 is three years before 2026 (free after 2 years); ±0 years: same year only
    assert sorted(found["work_id"]) == ["W2"]


def test_no_layer_no_conflicts(packages, scenario):
    assert find_conflicts(packages.packages, None, scenario=scenario).empty
    empty = make_works().iloc[:0]
    table = find_conflicts(packages.packages, empty, scenario=scenario)
    assert table.empty and "suggestion" in table.columns


# --- the contract layer ------------------------------------------------------------------


def _with_works(toy_tables, works):
    tables = dict(toy_tables)
    tables["planned_works"] = works.reset_index()
    return tables


def test_planned_works_layer_is_read_and_validated(toy_tables, write_toy_dataset, tmp_path):
    from heatplan.validate import load_dataset

    works = make_works()
    bad = gpd.GeoDataFrame(
        {"work_type": ["asphalt", "water", "sewer"], "year": [2026, 2027, 2026],
         "end_year": pd.array([None, 2025, None], dtype="Int64"), "owner": [None] * 3},
        geometry=[_line((0, 0), (10, 0)), _line((0, 0), (10, 0)), Point(X0, Y0)], crs=CRS,
        index=pd.Index(["B1", "B2", "B3"], name="work_id"))
    folder = write_toy_dataset(_with_works(toy_tables, pd.concat([works, bad])), tmp_path)
    result = load_dataset(folder, scenario=load_scenario(), strict=False)
    valid = result.dataset.planned_works
    assert sorted(valid.index) == [f"W{i}" for i in range(1, 8)]
    assert str(valid["year"].dtype) == "Int64" and valid.crs.to_epsg() == 25832
    rejected = result.rejected["planned_works"].set_index("work_id")["reason"]
    assert "end_year before year" in rejected["B2"]
    assert "asphalt" in rejected["B1"] or "work_type" in rejected["B1"]
    assert "B3" in rejected.index  # a point is not a line or polygon
    messages = [str(i) for i in result.issues if i.layer == "planned_works"]
    assert any("end_year" in m and "B2" in m for m in messages)
    assert not result.has_errors  # an optional layer's bad rows do not stop planning


def test_planned_works_from_its_own_file_on_the_command_line(toy_data_dir, tmp_path):
    from heatplan.cli import cli

    path = tmp_path / "vejarbejder.geojson"
    make_works().reset_index().to_file(path, driver="GeoJSON", engine="pyogrio")
    result = CliRunner().invoke(cli, ["validate", str(toy_data_dir), "--planned-works",
                                      str(path)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("planned_works"))
    assert line.split()[1:5] == ["7", "7", "0", "0"]  # read, valid, repaired, rejected
