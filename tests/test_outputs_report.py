"""Coordination report: HTML and XLSX agree with the plan and with the GeoPackage."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pyogrio
import pytest
from plan_fixture import make_plan

from heatplan.outputs.geopackage import write_geopackage
from heatplan.outputs.report import write_report_html, write_report_xlsx
from heatplan.outputs.report_html import render_html
from heatplan.outputs.report_tables import report_tables, summary_figures
from heatplan.outputs.report_workbook import sheet_name
from heatplan.outputs.texts import format_number


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    plan = make_plan(with_changes=True)
    return {
        "plan": plan,
        "gpkg": write_geopackage(plan, folder / "plan.gpkg"),
        "xlsx": write_report_xlsx(plan, folder / "report.xlsx"),
        "html": write_report_html(plan, folder / "report.html"),
    }


def _sheet_rows(path, key):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet_name(key)]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _summary(path) -> dict:
    return {r[0]: r[1] for r in _sheet_rows(path, "summary")[1:] if r and r[0]}


def test_summary_figures_are_sums_of_the_plan():
    plan = make_plan()
    fig = summary_figures(plan)
    # hand sums of plan_fixture: 7 trenches of 600+650+300+1000+550+1000+750 m
    assert fig["trench_km"] == pytest.approx(4.85)
    assert fig["n_to_convert"] == 11  # P01–P11 (P12 already has district heating)
    assert fig["n_dh"] == 9 and fig["n_heat_pump"] == 2
    assert fig["n_phases"] == 2
    assert (fig["first_year"], fig["last_year"]) == (2025, 2029)
    # cost of the district-heating districts D1–D3 only (D4's routed cost is not spent)
    dh = plan.districts.loc[["D1", "D2", "D3"], "cost_dkk"].sum()
    assert fig["cost_dkk"] == pytest.approx(dh)
    assert fig["service_km"] == pytest.approx(9 * 30 / 1000)
    assert fig["n_rejected"] == 3
    # target: 85 % below the baseline of 135 t/a in 2030, given in the trajectory
    assert fig["target_year"] == 2030
    assert fig["target_co2_t_a"] == pytest.approx(135 * 0.15)


def test_xlsx_has_the_sheets_and_real_numbers(outputs):
    wb = openpyxl.load_workbook(outputs["xlsx"])
    assert wb.sheetnames == [
        "Sammenfatning",
        "Distrikter",
        "Faser",
        "År",
        "Renovering",
        "CO2-forløb",
        "Ændringer",
        "Afviste",
    ]
    summary = _summary(outputs["xlsx"])
    assert summary["Ejendomme med individuel gas- eller olieopvarmning"] == 11
    assert isinstance(summary["Nye ledningstracéer (km)"], float)
    assert wb.properties.created.year == 2000  # fixed, not the clock


def test_xlsx_totals_equal_the_geopackage(outputs):
    gpkg = outputs["gpkg"]
    trenches = pyogrio.read_dataframe(gpkg, layer="nye_ledninger")
    assert len(trenches) == 8
    trenches = trenches[trenches["is_built"]]  # S8 is routed for D4's economics, not dug
    districts = pyogrio.read_dataframe(gpkg, layer="energidistrikter")
    districts = districts[districts["recommendation"] == "district_heating"]
    years = pyogrio.read_dataframe(gpkg, layer="aar_for_aar", read_geometry=False)
    props = pyogrio.read_dataframe(gpkg, layer="ejendomme")

    summary = _summary(outputs["xlsx"])
    assert summary["Nye ledningstracéer (km)"] == pytest.approx(trenches["length_m"].sum() / 1000)
    cost_mio = districts["cost_dkk"].sum() / 1e6
    assert summary["Anlægsomkostning (mio. kr.)"] == pytest.approx(cost_mio)
    assert summary["Ejendomme anbefalet fjernvarme"] == int(
        (props["recommendation"] == "district_heating").sum()
    )

    rows = _sheet_rows(outputs["xlsx"], "districts")
    head, total = rows[0], rows[-1]
    assert total[0] == "I alt, fjernvarme"
    assert total[head.index("Anlægsomkostning (kr.)")] == pytest.approx(districts["cost_dkk"].sum())
    assert total[head.index("Tracé (m)")] == pytest.approx(trenches["length_m"].sum())

    rows = _sheet_rows(outputs["xlsx"], "years")
    head, body, total = rows[0], rows[1:-1], rows[-1]
    assert [r[0] for r in body] == years["year"].tolist()
    assert total[head.index("Tilslutninger")] == years["connections"].sum()
    assert body[-1][head.index("Tilslutninger i alt")] == years["connections"].sum()


def test_xlsx_phases_and_changes(outputs):
    rows = _sheet_rows(outputs["xlsx"], "phases")
    head = rows[0]
    phase1 = rows[1]
    assert phase1[head.index("Fase")] == 1
    assert phase1[head.index("Distrikter")] == 2
    assert (phase1[head.index("Startår")], phase1[head.index("Slutår")]) == (2025, 2027)
    assert phase1[head.index("Ejendomme at konvertere")] == 6
    changes = _sheet_rows(outputs["xlsx"], "changes")
    assert changes[0][:3] == ["Type", "Id", "Felt"]  # the registry's Danish headers
    assert changes[1][:3] == ["Distrikt", "D2", "start_year"]


def test_html_numbers_match_the_plan_in_danish_format(outputs):
    plan = outputs["plan"]
    html = outputs["html"].read_text(encoding="utf-8")
    d1_cost = plan.districts.at["D1", "cost_dkk"]
    assert f">{format_number(d1_cost, 0)}<" in html
    assert ">4.850<" in html  # total trench metres, Danish thousands separator
    cost_mio = plan.districts.loc[["D1", "D2", "D3"], "cost_dkk"].sum() / 1e6
    assert f">{format_number(cost_mio, 1)}<" in html
    assert "," in format_number(cost_mio, 1)
    assert "Syntetiske eksempeldata" in html
    assert html.count("<svg") == 3  # timeline, connections, CO2


def test_html_is_self_contained_and_escaped():
    plan = make_plan()
    plan.districts.loc["D1", "name"] = "<script>alert(1)</script> & Co"
    html = render_html(plan)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html)
    assert "<link" not in html
    assert "run_time_s" not in html  # volatile facts are left out
    assert ">optimering (MILP)<" in html
    assert ">0,4 %<" in html  # the heuristic's gap to the optimum


def test_english_report():
    html = render_html(make_plan(), lang="en")
    assert "Coordination report" in html
    assert "Synthetic sample data" in html
    assert ">4,850<" in html


def test_rerun_is_byte_identical(outputs, tmp_path):
    plan = make_plan(with_changes=True)
    html = write_report_html(plan, tmp_path / "r.html")
    xlsx = write_report_xlsx(plan, tmp_path / "r.xlsx")
    assert html.read_bytes() == outputs["html"].read_bytes()
    assert xlsx.read_bytes() == outputs["xlsx"].read_bytes()


def test_districts_built_before_the_plan_period_are_not_in_the_totals():
    plan = make_plan()
    # D1 was finished before the plan period: no phase, no start year, its mains unphased
    plan.districts.loc["D1", ["phase", "start_year"]] = pd.NA
    plan.trenches.loc[plan.trenches["district_id"] == "D1", "phase"] = pd.NA
    fig = summary_figures(plan)
    assert fig["trench_km"] == pytest.approx((1000 + 550 + 1000 + 750) / 1000)  # S4–S7
    assert fig["cost_dkk"] == pytest.approx(plan.districts.loc[["D2", "D3"], "cost_dkk"].sum())
    assert fig["service_km"] == pytest.approx(6 * 30 / 1000)  # P04–P09


def test_district_finished_before_the_plan_is_not_in_the_phase_totals():
    plan = make_plan()
    plan.districts.loc["D1", "start_year"] = pd.NA  # phase 1 decided, works already done
    fig = summary_figures(plan)
    assert fig["trench_km"] == pytest.approx((1000 + 550 + 1000 + 750) / 1000)  # S4–S7
    phases = next(t for t in report_tables(plan) if t.key == "phases").data
    assert phases["phase"].tolist() == [1, 2]
    assert phases["n_districts"].tolist() == [1, 1]  # phase 1 is D2 only now
