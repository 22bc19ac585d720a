"""Safe spreadsheets: text from the data never becomes a formula in an XLSX or CSV output."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest
from conftest import write_dataset
from openpyxl import Workbook

from heatplan.core.scenario import load_scenario
from heatplan.io.cells import FORMULA_STARTS, protect_sheet, safe_csv_frame, safe_csv_text
from heatplan.pipeline import build_plan, write_plan
from heatplan.validate import load_dataset

ATTACKS = ["=1+1", "+SUM(1;2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://evil.example")',
           "=cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
"""Cell texts a spreadsheet runs (OWASP's CSV injection examples)."""


def test_openpyxl_alone_would_store_a_formula_and_protect_sheet_stops_it():
    ws = Workbook().active
    ws.append(["=1+1", "+2", "Egevej 1", 3.5, -2])
    assert ws["A1"].data_type == "f"  # the danger: a live formula
    assert protect_sheet(ws) == 1
    assert [c.data_type for c in ws[1]] == ["s", "s", "s", "n", "n"]
    assert (ws["A1"].value, ws["A1"].quotePrefix, ws["B1"].quotePrefix) == ("=1+1", True, True)
    assert ws["C1"].quotePrefix is False


def test_csv_text_gets_the_owasp_apostrophe_and_numbers_stay_numbers():
    frame = pd.DataFrame({"address": [*ATTACKS[:4], "Egevej 1", None],
                          "saving": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0]},
                         index=pd.Index(["=P1", "P2", "P3", "P4", "P5", "P6"], name="id"))
    safe = safe_csv_frame(frame)
    assert safe["address"].tolist()[:5] == ["'=1+1", "'+SUM(1;2)", "'-2+3", "'@SUM(A1)",
                                            "Egevej 1"]
    assert pd.isna(safe["address"].iloc[5])
    assert safe["saving"].tolist() == [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0]
    assert safe.index[0] == "'=P1"
    assert frame["address"].iloc[0] == "=1+1"  # the input is not changed
    assert [safe_csv_text(a)[0] for a in ATTACKS] == ["'"] * len(ATTACKS)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The toy town with formula text in every text column, planned and written."""
    from conftest import make_toy_tables

    tables = make_toy_tables()
    text_columns = {
        "properties": ["address", "postcode"], "districts": ["name"],
        "streets": ["name", "road_class"], "heat_sources": ["name"],
        "labels": ["heat_supply"], "proposals": ["description"],
    }
    for layer, columns in text_columns.items():
        for column in columns:
            n = len(tables[layer])
            tables[layer][column] = [f"{ATTACKS[i % len(ATTACKS)]} {layer}.{column} {i}"
                                     for i in range(n)]
    # ids too: they reach the ranking and the report's tables
    ids = {"P1": "=P1", "P3": "-P3", "P4": "+P4", "P5": "@P5"}
    tables["properties"]["property_id"] = tables["properties"]["property_id"].replace(ids)
    tables["labels"]["property_id"] = tables["labels"]["property_id"].replace(ids)
    tables["properties"].loc[2, "bbr_use_code"] = "999"  # a rejected row reaches the report
    root = tmp_path_factory.mktemp("planted")
    data = write_dataset(tables, root / "data")
    scenario = load_scenario()
    result = load_dataset(data, scenario=scenario)
    plan = build_plan(result.dataset, scenario=scenario, rejected=result.rejected)
    paths = write_plan(plan, root / "out")
    planted_texts = {v for cols in text_columns.values() for v in cols}
    return paths, planted_texts


def test_no_xlsx_output_holds_a_formula_and_the_planted_text_is_kept_as_text(planted):
    paths, _ = planted
    workbooks = [p for p in paths if p.suffix == ".xlsx"]
    assert sorted(p.name for p in workbooks) == ["heatplan_gravetidsplan.xlsx",
                                                  "heatplan_report.xlsx",
                                                  "renovation_ranking.xlsx"]
    seen = []
    for path in workbooks:
        for ws in openpyxl.load_workbook(path):
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{path.name}!{ws.title}!{cell.coordinate}"
                    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                        seen.append(cell.value)
    # the planted text reached the workbooks unchanged: addresses, district names, ids
    assert {"@SUM(A1) properties.address 3", '=HYPERLINK("http://evil.example") '
            "properties.address 4", "=1+1 districts.name 0", "+SUM(1;2) districts.name 1",
            "+P4", "@P5", "-P3"} <= set(seen)  # -P3: the rejected row in the report


def _is_number(text: str) -> bool:
    """A plain number such as ``-3005.33`` (a spreadsheet reads it as a number, not a formula)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_no_csv_text_cell_starts_with_a_formula_character(planted):
    paths, _ = planted
    (ranking,) = [p for p in paths if p.suffix == ".csv"]
    with ranking.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not _is_number(c)]
    assert "'@SUM(A1) properties.address 3" in cells
    assert "'+P4" in cells and "'@P5" in cells
    # numbers are untouched: the ranking's first data row holds its plain rank
    header = rows[0]
    assert rows[1][header.index("rank")] == "1"
