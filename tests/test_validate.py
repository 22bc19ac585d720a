"""Validation of the input contract: one test per bad input, with the message it gives."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import REPO, X0, Y0, make_raw_dataset
from shapely.geometry import LineString, Point, Polygon

from heatplan.core.errors import InputDataError
from heatplan.core.scenario import load_scenario
from heatplan.validate import ValidationResult, load_dataset, validate_dataset
from heatplan.validate.contract import DOC_BEGIN, DOC_END, contract_markdown

SCENARIO = load_scenario()


def run(tables, tmp_path: Path, write, *, on_disk: bool = False) -> ValidationResult:
    """Validate ``tables`` (not strict) and check that nothing is lost.

    In memory by default (the tables as read from files); ``on_disk`` writes and reads a
    GeoPackage folder first.
    """
    if on_disk:
        result = load_dataset(write(tables, tmp_path / "data"), scenario=SCENARIO, strict=False)
    else:
        result = validate_dataset(make_raw_dataset(tables), scenario=SCENARIO)
    assert_nothing_lost(result)
    return result


def assert_nothing_lost(result: ValidationResult) -> None:
    for name, row in result.counts.iterrows():
        assert row["read"] == row["valid"] + row["rejected"], name
        assert len(getattr(result.dataset, name)) == row["valid"], name
        assert len(result.rejected.get(name, [])) == row["rejected"], name


def issue(result: ValidationResult, pattern: str):
    """Return the one issue whose text matches ``pattern``."""
    found = [i for i in result.issues if re.search(pattern, str(i), re.S)]
    assert len(found) == 1, f"{pattern!r} not found once in:\n" + "\n".join(map(str, result.issues))
    return found[0]


def reasons(result: ValidationResult, layer: str) -> dict[str, str]:
    """Reason of each rejected row, keyed by id (or source row)."""
    table = result.rejected[layer]
    id_column = {"properties": "property_id", "labels": "label_id"}.get(layer)
    keys = table[id_column] if id_column else table["source_row"]
    return dict(zip(keys, table["reason"], strict=True))


def test_toy_dataset_is_valid(toy_tables, write_toy_dataset, tmp_path):
    result = run(toy_tables, tmp_path, write_toy_dataset, on_disk=True)
    assert not result.has_errors
    assert result.rejected == {}
    assert result.counts["read"].tolist() == [6, 2, 3, 1, 1, 0, 3, 4, 0]
    assert result.counts["repaired"].sum() == 0
    props = result.dataset.properties
    assert props.crs == "EPSG:25832"
    assert props.index.name == "property_id"
    assert props["district_id"].tolist() == ["D1", "D1", "D2", "D2", "D1", "D2"]
    assert props.loc[["P2", "P4"], "district_id_source"].tolist() == ["location", "location"]
    assert props.loc["P1", "district_id_source"] == "input"
    assert props.loc["P2", "heated_area_m2"] == 110.5
    assert props["bbr_use_code"].tolist() == ["120", "131", "140", "421", "441", "120"]
    assert props["year_built"].dtype == "Int64"
    labels = result.dataset.labels
    assert labels.loc["L2", "valid_to"] == pd.Timestamp("2025-03-01")  # valid_from + 10 years
    assert labels["is_expired"].tolist() == [False, True, False]
    assert result.dataset.proposals["is_profitable"].tolist() == [True, False, True, True]
    assert [i.severity for i in result.issues] == ["info"] * 5  # 3 + planned_works, metered


def test_missing_required_column_is_an_error(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"] = toy_tables["properties"].drop(columns="heated_area_m2")
    data_dir = write_toy_dataset(toy_tables, tmp_path / "data")
    with pytest.raises(
        InputDataError,
        match=r"toy\.gpkg, layer properties, column heated_area_m2: Required column.*"
        r"Fix: Add the column\(s\) heated_area_m2",
    ) as err:
        load_dataset(data_dir, scenario=SCENARIO)
    assert err.value.issues
    result = load_dataset(data_dir, scenario=SCENARIO, strict=False)
    assert_nothing_lost(result)
    assert result.counts.loc["properties", "rejected"] == 6
    assert set(result.rejected["properties"]["reason"]) == {
        "layer lacks required column(s) heated_area_m2"
    }


def test_text_in_numeric_column_rejects_the_row(toy_tables, write_toy_dataset, tmp_path):
    props = toy_tables["properties"]
    props["heated_area_m2"] = props["heated_area_m2"].astype(object)
    props.loc[1, "heated_area_m2"] = "ukendt"
    result = run(toy_tables, tmp_path, write_toy_dataset, on_disk=True)
    found = issue(result, r"layer properties, column heated_area_m2: Text in the numeric column "
                          r"heated_area_m2: 'ukendt'.*P2.*"
                          r"Fix: Write heated_area_m2 as a plain number")
    assert found.row_ids == ("P2",)
    assert reasons(result, "properties") == {"P2": "heated_area_m2 is not a number: 'ukendt'"}
    assert result.dataset.properties.loc["P1", "heated_area_m2"] == 140.0
    assert not result.has_errors


def test_no_crs_is_an_error(toy_tables, write_toy_dataset, tmp_path):
    data_dir = write_toy_dataset(toy_tables, tmp_path / "data", fmt="shp")
    (data_dir / "gis_data" / "properties.prj").unlink()
    with pytest.raises(
        InputDataError,
        match=r"properties\.shp, layer properties: The layer has no coordinate reference system"
        r".*Fix: Set the CRS",
    ):
        load_dataset(data_dir, scenario=SCENARIO)
    result = load_dataset(data_dir, scenario=SCENARIO, strict=False)
    assert_nothing_lost(result)
    assert set(result.rejected["properties"]["reason"]) == {"layer has no CRS"}


def test_other_crs_is_reprojected_not_rejected(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"] = toy_tables["properties"].to_crs("EPSG:4326")
    toy_tables["streets"] = toy_tables["streets"].to_crs("EPSG:3044")  # ETRS89 / TM32
    result = run(toy_tables, tmp_path, write_toy_dataset, on_disk=True)
    assert result.rejected == {}
    issue(result, r"layer properties: Reprojected from EPSG:4326 .* to EPSG:25832")
    issue(result, r"layer streets: Reprojected from EPSG:3044")
    point = result.dataset.properties.geometry["P1"]
    assert point.x == pytest.approx(X0 + 50, abs=0.01)
    assert point.y == pytest.approx(Y0 + 50, abs=0.01)
    assert result.dataset.streets.length.sum() == pytest.approx(700, abs=0.01)


def test_self_intersecting_polygon_is_repaired_and_counted(toy_tables, write_toy_dataset,
                                                           tmp_path):
    bowtie = Polygon([(X0 + 100, Y0 + 120), (X0 + 120, Y0 + 140), (X0 + 120, Y0 + 120),
                      (X0 + 100, Y0 + 140)])
    assert not bowtie.is_valid
    toy_tables["properties"].loc[1, "geometry"] = bowtie
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert result.counts.loc["properties", "repaired"] == 1
    assert result.counts.loc["properties", "rejected"] == 0
    found = issue(result, r"layer properties, column geometry: Invalid geometries .* repaired "
                          r"with make_valid.*P2.*Fix: Check the repaired shapes")
    assert found.values == ("Self-intersection[708110 6180130]",)
    fixed = result.dataset.properties.geometry["P2"]
    assert fixed.is_valid
    assert fixed.geom_type == "MultiPolygon"
    assert fixed.area == pytest.approx(200.0)  # two triangles of 10 m × 20 m / 2
    assert result.dataset.properties.loc["P2", "district_id"] == "D1"


def test_empty_geometry_is_rejected(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"].loc[2, "geometry"] = None
    toy_tables["properties"].loc[5, "geometry"] = Point()
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "properties") == {
        "P3": "empty or missing geometry", "P6": "empty or missing geometry"
    }
    issue(result, r"layer properties, column geometry: Rows without geometry .* \(2 rows: P3, P6\)"
                  r".*Fix: Draw the geometry")


def test_wrong_geometry_type_is_rejected(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"].loc[0, "geometry"] = LineString([(X0 + 40, Y0 + 40),
                                                              (X0 + 60, Y0 + 60)])
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "properties") == {
        "P1": "geometry type LineString (expected Point or Polygon or MultiPolygon)"
    }


def test_duplicate_property_id_rejects_all_duplicates(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"].loc[2, "property_id"] = "P1"
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert result.rejected["properties"]["source_row"].tolist() == [1, 3]
    assert set(result.rejected["properties"]["reason"]) == {
        "duplicate property_id 'P1' (rows 1, 3)"
    }
    issue(result, r"layer properties, column property_id: Duplicate property_id: 'P1' "
                  r"\(rows 1, 3\).*Fix: Keep one row per property_id")
    # the label of P1 can no longer be placed: rejected, saying why
    assert reasons(result, "labels") == {"L3": "property 'P1' was rejected"}


def test_unknown_bbr_code_is_rejected_with_the_allowed_codes(toy_tables, write_toy_dataset,
                                                              tmp_path):
    toy_tables["properties"].loc[5, "bbr_use_code"] = "999"
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "properties") == {"P6": "unknown bbr_use_code '999'"}
    found = issue(result, r"column bbr_use_code: Unknown bbr_use_code '999'.*\(1 row: P6\)"
                          r".*Fix: Use one of the allowed codes: 110, 120, 121.* 590")
    assert found.values == ("999",)


def test_zero_or_negative_area_is_rejected(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"].loc[0, "heated_area_m2"] = 0.0
    toy_tables["properties"].loc[4, "heated_area_m2"] = -10.0
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "properties") == {
        "P1": "heated_area_m2 = 0 (must be > 0)", "P5": "heated_area_m2 = -10 (must be > 0)"
    }
    issue(result, r"column heated_area_m2: heated_area_m2 must be > 0 m²; rows with '0', '-10'"
                  r".*P1, P5.*Fix: Correct heated_area_m2")


def test_property_outside_every_district_is_rejected(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"].loc[1, "geometry"] = Point(X0 + 1000, Y0 + 50)
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "properties") == {"P2": "outside every district"}
    issue(result, r"layer properties, column geometry: Properties outside every district.*P2"
                  r".*Fix: Extend the districts layer")


def test_property_outside_the_district_it_names_is_kept_with_a_warning(
    toy_tables, write_toy_dataset, tmp_path
):
    toy_tables["properties"].loc[0, "district_id"] = "D2"  # P1 lies in D1
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert result.rejected == {}
    assert result.dataset.properties.loc["P1", "district_id"] == "D2"
    found = issue(result, r"column district_id: Properties lying outside the district their "
                          r"district_id names.*\(1 row: P1\)")
    assert found.severity == "warning"


def test_district_assigned_by_location_when_the_column_is_absent(
    toy_tables, write_toy_dataset, tmp_path
):
    toy_tables["properties"] = toy_tables["properties"].drop(columns="district_id")
    result = run(toy_tables, tmp_path, write_toy_dataset)
    props = result.dataset.properties
    assert props["district_id"].tolist() == ["D1", "D1", "D2", "D2", "D1", "D2"]
    assert set(props["district_id_source"]) == {"location"}
    issue(result, r"6 properties without district_id: assigned the district they lie in")


def test_unknown_district_id_is_rejected(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"].loc[0, "district_id"] = "D9"
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "properties") == {"P1": "unknown district_id 'D9'"}
    issue(result, r"column district_id: district_id not among the valid districts: 'D9'")


def test_empty_layer_is_an_error(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["heat_sources"] = toy_tables["heat_sources"].iloc[0:0]
    data_dir = write_toy_dataset(toy_tables, tmp_path / "data")
    with pytest.raises(InputDataError, match=r"layer heat_sources: The layer 'heat_sources' is "
                                             r"empty.*Fix: Add the points where"):
        load_dataset(data_dir, scenario=SCENARIO)


def test_missing_required_layer_is_an_error(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["districts"] = None
    data_dir = write_toy_dataset(toy_tables, tmp_path / "data")
    with pytest.raises(InputDataError, match=r"Required layer 'districts' not found.*toy\.gpkg.*"
                                             r"Fix: Add the layer .* --districts PATH\[:LAYER\]"):
        load_dataset(data_dir, scenario=SCENARIO)


def test_no_valid_properties_is_an_error(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["properties"]["owner_type"] = "51"
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert result.has_errors
    issue(result, r"ERROR: .*layer properties: No valid rows in 'properties'")
    issue(result, r"Unknown owner_type '51'.*\(6 rows: P1, P2, P3, …\)")
    with pytest.raises(InputDataError, match="No valid rows in 'properties'"):
        result.raise_if_errors()


def test_label_for_unknown_property_is_rejected(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["labels"].loc[2, "property_id"] = "P99"
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "labels") == {"L3": "unknown property 'P99'"}
    issue(result, r"labels\.csv, layer labels, column property_id: property_id not among the "
                  r"valid properties: 'P99'.*L3.*Fix: Check property_id against")
    # and its proposal follows it
    assert reasons(result, "proposals") == {4: "label 'L3' was rejected"}


def test_unknown_label_class_is_rejected(toy_tables, write_toy_dataset, tmp_path):
    toy_tables["labels"].loc[0, "label_class"] = "H"
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "labels") == {"L1": "unknown label_class 'H'"}
    issue(result, r"column label_class: Unknown label_class 'H'.*L1.*Fix: Use one of the "
                  r"allowed codes: A2020, A2015, A2010, B, C, D, E, F, G")
    assert result.counts.loc["proposals", "rejected"] == 2  # both proposals of L1


def test_label_dates(toy_tables, write_toy_dataset, tmp_path):
    labels = toy_tables["labels"]
    labels.loc[0, "valid_from"] = "01-05-2019"  # day first: read, reported
    labels.loc[1, "valid_from"] = "i fjor"
    labels.loc[2, "valid_to"] = "2020-01-01"  # before valid_from 2021-01-01
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "labels") == {
        "L2": "valid_from is not a date: 'i fjor'", "L3": "valid_to before valid_from"
    }
    assert result.dataset.labels.loc["L1", "valid_from"] == pd.Timestamp("2019-05-01")
    assert result.counts.loc["labels", "repaired"] == 1
    issue(result, r"column valid_from: valid_from was written day first.*Fix: Write valid_from "
                  r"as an ISO date")


def test_proposals_for_unknown_labels_and_duplicates(toy_tables, write_toy_dataset, tmp_path):
    proposals = toy_tables["proposals"]
    proposals.loc[2, "label_id"] = "L7"
    proposals.loc[1, "proposal_id"] = "1"  # now L1/1 twice
    proposals.loc[3, "investment_dkk"] = -5.0
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "proposals") == {
        1: "duplicate label_id+proposal_id 'L1 / 1' (rows 1, 2)",
        2: "duplicate label_id+proposal_id 'L1 / 1' (rows 1, 2)",
        3: "unknown label 'L7'",
        4: "investment_dkk = -5 (must be ≥ 0)",
    }


def test_codes_stored_as_numbers_are_read_as_code_strings(toy_tables, write_toy_dataset,
                                                          tmp_path):
    props = toy_tables["properties"]
    props["heating_installation"] = props["heating_installation"].astype(float)  # 2.0, 1.0, ...
    props["bbr_use_code"] = props["bbr_use_code"].astype(int)  # integers: not a repair
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert result.dataset.properties["heating_installation"].tolist() == [
        "2", "2", "1", "1", "2", "8"
    ]
    assert result.dataset.properties["bbr_use_code"].tolist() == [
        "120", "131", "140", "421", "441", "120"
    ]
    assert result.counts.loc["properties", "repaired"] == 6
    issue(result, r"column heating_installation: heating_installation was stored as numbers; "
                  r"values such as '7\.0' were read as the code '7'")


def test_every_problem_is_collected_at_once(toy_tables, write_toy_dataset, tmp_path):
    props = toy_tables["properties"]
    props.loc[0, "bbr_use_code"] = "999"
    props.loc[0, "heated_area_m2"] = -1.0
    props.loc[3, "owner_type"] = "5"
    toy_tables["streets"] = toy_tables["streets"].drop(columns="name")  # optional: fine
    toy_tables["districts"] = toy_tables["districts"].drop(columns="status")
    result = run(toy_tables, tmp_path, write_toy_dataset)
    assert reasons(result, "properties")["P1"] == (
        "unknown bbr_use_code '999'; heated_area_m2 = -1 (must be > 0)"
    )
    assert reasons(result, "properties")["P4"] == "unknown owner_type '5'"
    assert [i.column for i in result.errors] == ["status"]
    assert result.counts.loc["districts", "rejected"] == 2
    assert result.counts.loc["properties", "valid"] == 4  # checked as far as they can be


def test_validation_does_not_mutate_the_raw_tables(toy_data_dir):
    from heatplan.io.layers import read_dataset
    from heatplan.validate import validate_dataset

    raw = read_dataset(toy_data_dir)
    before = {n: t.copy() for n, t in raw.tables.items() if t is not None}
    validate_dataset(raw, scenario=SCENARIO)
    for name, table in before.items():
        pd.testing.assert_frame_equal(raw.tables[name], table)


@pytest.mark.slow
def test_validation_at_municipal_scale(toy_tables, write_toy_dataset, tmp_path):
    """7,200 properties validate and join to their districts (speed: benchmarks/bench_load.py)."""
    props = toy_tables["properties"]
    big = pd.concat([props] * 1200, ignore_index=True)
    big["property_id"] = [f"P{i:05d}" for i in range(len(big))]
    toy_tables["properties"] = gpd.GeoDataFrame(big, crs=props.crs)
    toy_tables["labels"] = toy_tables["labels"].assign(property_id=["P00003", "P00004", "P00000"])
    data_dir = write_toy_dataset(toy_tables, tmp_path / "data")
    result = load_dataset(data_dir, scenario=SCENARIO)
    assert result.counts.loc["properties", "valid"] == 7200
    assert np.isin(result.dataset.properties["district_id"].unique(), ["D1", "D2"]).all()


def test_contract_doc_is_up_to_date():
    doc = (REPO / "docs" / "input-data.md").read_text(encoding="utf-8")
    generated = doc[doc.index(DOC_BEGIN) + len(DOC_BEGIN) : doc.index(DOC_END)]
    assert generated.strip() == contract_markdown().strip(), (
        "docs/input-data.md is out of date: run "
        ".venv/bin/python -m heatplan.validate.contract docs/input-data.md"
    )


def test_contract_markdown_lists_every_code_with_its_danish_meaning():
    text = contract_markdown()
    assert "| `421` | Grundskole |" in text
    assert "| `7` | Naturgas |" in text
    assert "| `50` | Den kommune, hvori ejendommen er beliggende |" in text
    assert "| `heated_area_m2` | number > 0 | m² | yes |" in text


def test_sample_validates_without_rejected_rows():
    if not (REPO / "gis_data" / "sample.gpkg").exists():
        pytest.skip("the bundled sample gis_data/sample.gpkg is not generated yet")
    result = load_dataset(scenario=SCENARIO)
    assert_nothing_lost(result)
    assert result.rejected == {}, result.report()
    assert result.dataset.is_synthetic
    assert shapely.is_valid(np.asarray(result.dataset.properties.geometry.array)).all()


def test_kommunekode_other_than_the_scenarios_is_a_warning(toy_tables):
    scenario = SCENARIO.with_values(general__municipality_code="0151")
    toy_tables["properties"]["kommunekode"] = "0153"
    result = validate_dataset(make_raw_dataset(toy_tables), scenario=scenario)
    [issue] = [i for i in result.issues if i.column == "kommunekode"]
    assert issue.severity == "warning" and not result.has_errors
    assert issue.message == ("kommunekode of the data is 0153, but the scenario's "
                             "general.municipality_code is 0151; the plan is for 0153, the "
                             "data's.")
    assert issue.fix.startswith('Set general.municipality_code = "0153" in a scenario file')
    # several municipalities, none the scenario's: the plan keeps the scenario's code
    toy_tables["properties"]["kommunekode"] = ["153", "153", "155", "155", "155", "155"]
    result = validate_dataset(make_raw_dataset(toy_tables), scenario=scenario)
    [issue] = [i for i in result.issues if i.column == "kommunekode"]
    assert issue.message.startswith("kommunekode of the data holds 2 municipalities (0153, "
                                    "0155), none of them the scenario's")


def test_kommunekode_agreeing_with_the_scenario_gives_no_warning(toy_tables):
    scenario = SCENARIO.with_values(general__municipality_code="0151")
    toy_tables["properties"]["kommunekode"] = "151"
    result = validate_dataset(make_raw_dataset(toy_tables), scenario=scenario)
    assert [i for i in result.issues if i.column == "kommunekode"] == []
