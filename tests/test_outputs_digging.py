"""The digging schedule's outputs (outputs/digging*.py): workbook, charts, GeoPackage layers.

The plan is tests/plan_fixture.py's hand-made plan, with street names on its trenches, a
hand-made layer of other works, and the coordination tables of plan/coordination.py.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook
from plan_fixture import X0, Y0, make_plan
from shapely.geometry import LineString

from heatplan.core.columns import column_label
from heatplan.outputs.digging import (
    XLSX_NAME,
    digging_paths,
    digging_report_tables,
    risk_table,
    summary_lines,
    write_digging,
)
from heatplan.outputs.digging_charts import gantt_chart, works_map
from heatplan.outputs.digging_layers import coordination_layers, styles_table
from heatplan.outputs.digging_workbook import build_digging_workbook
from heatplan.plan.coordination import coordinate_works

STREETS = {"S1": "Ringvejen", "S2": "=HYPERLINK(\"x\")", "S3": "Egevej", "S4": "Ringvejen",
           "S5": "Bøgevej", "S6": "Ringvejen", "S7": "Lindevej", "S8": "Ringvejen"}


def make_works() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"work_type": ["repaving", "sewer"], "year": [2024, 2029],
         "end_year": pd.array([None, None], dtype="Int64"),
         "description": ["Nyt slidlag", "Ny kloak"], "owner": ["Vejmyndigheden", None]},
        geometry=[LineString([(X0 + 1500, Y0 - 50), (X0 + 2500, Y0 - 50)]),
                  LineString([(X0 + 3500, Y0 - 50), (X0 + 3500, Y0 + 700)])],
        crs="EPSG:25832", index=pd.Index(["V1", "V2"], name="work_id"))


def coordinated_plan(*, synthetic: bool = True):
    plan = make_plan(synthetic=synthetic)
    trenches = plan.trenches.assign(street_name=pd.Series(STREETS))
    plan = replace(plan, trenches=trenches)
    fields = coordinate_works(plan, make_works(), scenario=plan.scenario)
    works = fields.pop("works_summary")
    return replace(plan, summary={**plan.summary, "works": works}, **fields)


@pytest.fixture(scope="module")
def plan():
    return coordinated_plan()


@pytest.fixture(scope="module")
def written(plan, tmp_path_factory):
    out = tmp_path_factory.mktemp("digging")
    return out, write_digging(plan, out)


def test_the_plan_has_packages_conflicts_and_gas_closure(plan):
    pk = plan.work_packages
    built = plan.trenches[plan.trenches["is_built"]]
    assert pk["length_m"].sum() == pytest.approx(built["length_m"].sum())
    found = plan.work_conflicts.set_index("work_id")
    # S4 (Ringvejen, D2) is dug in 2026, two years after the new surface of 2024
    assert found.loc["V1", "conflict"] == "recently_repaved"
    assert found.loc["V1", "package_id"] == plan.trenches.at["S4", "package_id"]
    # S7 (Lindevej, D3) is dug in 2029, the year of the sewer works
    assert found.loc["V2", "conflict"] == "same_year"
    assert set(plan.gas_closure.index) == {"D1", "D2", "D3", "D4"}


def test_workbook_sheets_headers_filter_freeze_and_print(written):
    out, paths = written
    assert [p.name for p in paths] == [p.name for p in digging_paths(out)]
    wb = load_workbook(out / XLSX_NAME)
    assert wb.sheetnames == ["Gravetidsplan", "Hold pr. kvartal", "Konflikter", "Gaslukning",
                             "Gaskunder", "Om planen"]
    ws = wb["Gravetidsplan"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Pakke", "Distrikt", "Vej"]
    assert header[6:9] == [column_label("construction_year"), "Kvartal", "Længde (m)"]
    assert ws.print_area == f"'Gravetidsplan'!$A$1:$P${ws.max_row}"  # the meeting's columns
    for sheet in wb.sheetnames[:5]:
        ws = wb[sheet]
        assert ws.auto_filter.ref == ws.dimensions, sheet  # the whole table, header included
        assert ws.freeze_panes in ("B2", "C2"), sheet  # header row and first column(s)
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"  # the header on every printed page
        assert "heatplan" in ws.oddFooter.left.text and "&P" in ws.oddFooter.right.text
    about = wb["Om planen"]
    assert about.page_setup.orientation == "landscape"


def test_workbook_cells_are_numbers_years_and_safe_text(written, plan):
    out, _ = written
    ws = load_workbook(out / XLSX_NAME)["Gravetidsplan"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(plan.work_packages)
    header = [c.value for c in ws[1]]
    year_col = header.index(column_label("construction_year")) + 1
    length_col = header.index("Længde (m)") + 1
    assert ws.cell(2, year_col).number_format == "0"  # 2025, not 2.025
    assert isinstance(ws.cell(2, length_col).value, int | float)  # a number, not text
    assert ws.cell(2, length_col).number_format == "#,##0"
    street = next(c for c in ws["C"][1:] if str(c.value).startswith("=HYPERLINK"))
    assert street.data_type == "s" and street.quotePrefix  # text from the data stays text
    conflicts = load_workbook(out / XLSX_NAME)["Konflikter"]
    texts = [c.value for c in conflicts[2]]
    assert "Ny belægning for nylig" in texts and "Nyt slidlag" in texts


def test_workbook_in_english_and_byte_identical(plan, tmp_path):
    wb = build_digging_workbook(plan, lang="en")
    assert wb.sheetnames[:3] == ["Digging schedule", "Crews by quarter", "Conflicts"]
    assert [c.value for c in wb["Digging schedule"][1]][:3] == ["Package", "District",
                                                                "Street"]
    first = write_digging(plan, tmp_path / "a")
    second = write_digging(plan, tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_charts_show_districts_by_quarter_and_crews(plan, written):
    fig = gantt_chart(plan)
    grid, crews = fig.axes
    labels = [t.get_text() for t in grid.get_yticklabels()]
    assert labels == ["D1 Skovlunde Nord", "D2 Egebjerg", "D3 Måløv Øst & Kirkebakken"]
    # one cell per district and quarter with digging, km as Danish numbers
    assert len(grid.patches) == plan.work_packages.groupby(
        ["district_id", "construction_year", "quarter"]).ngroups
    assert any(t.get_text().endswith("!") for t in grid.texts)  # the conflicts marked
    hatched = {p.get_hatch() for p in grid.patches}
    assert "///" in hatched  # phase 2 hatched: it prints in black and white
    assert len(crews.patches) >= len(plan.work_crews)
    themap = works_map(plan)
    assert "Konflikter" in [t.get_text() for t in themap.texts]
    _, paths = written
    assert all(p.stat().st_size > 20_000 for p in paths[1:])


def test_report_tables_fit_a_page_and_name_the_risks(plan):
    tables = digging_report_tables(plan)
    assert [key for key, _, _ in tables] == ["works", "crews", "conflicts", "gas"]
    assert all(len(t.columns) <= 13 for _, _, t in tables)
    risks = risk_table(plan)
    assert list(risks.columns) == ["risk_area", "risk", "risk_detail"]
    assert "Andre arbejder i vejene" in risks["risk_area"].tolist()
    assert "Gaslukning" in risks["risk_area"].tolist()
    lines = summary_lines(plan, "en")
    km = plan.work_packages["length_m"].sum() / 1000
    assert lines[0].startswith(f"Digging schedule: {len(plan.work_packages)} work packages, "
                               f"{km:.1f} km")
    assert any(line.startswith("Gas closure: ") for line in lines)


def test_geopackage_layers_with_styles_listed_by_ogrinfo(plan, tmp_path):
    from heatplan.outputs.geopackage import OutputLayer, write_layers

    layers = coordination_layers(plan)
    assert [layer.name for layer in layers] == ["gravearbejder", "andre_gravearbejder",
                                                "gravekonflikter", "gaslukning"]
    packages = layers[0]
    assert 'attr="construction_year"' in packages.qml and "categorizedSymbol" in packages.qml
    path = tmp_path / "works.gpkg"
    out = [OutputLayer(layer.key, layer.name, layer.description, layer.table)
           for layer in layers]
    out.append(OutputLayer("styles", "layer_styles", "QGIS layer styles",
                           styles_table(layers)))
    write_layers(out, path, synthetic=True)
    listing = subprocess.run(["ogrinfo", "-ro", "-q", str(path)], capture_output=True,
                             text=True, check=True).stdout
    assert "gravearbejder (Multi Line String)" in listing
    styles = pyogrio.read_dataframe(path, layer="layer_styles")
    assert set(styles["f_table_name"]) == {layer.name for layer in layers}
    read = pyogrio.read_dataframe(path, layer="gravearbejder")
    assert len(read) == len(plan.work_packages)
    assert {"package_id", "street_name", "construction_year", "quarter"} <= set(read.columns)
