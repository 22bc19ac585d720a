"""The report for the coordination meeting: the first page (dug this year and next, decisions,
top risks), the plan line on every printed page, years without a thousands separator, and, in
headless Chromium at A4 width, no table wider than the page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from plan_fixture import make_plan

from heatplan import __version__
from heatplan.outputs.report_html import column_parts, render_html
from heatplan.outputs.report_meeting import digging_years, dug_table, plan_date
from heatplan.outputs.report_tables import decimals_for

RUN_DATE = dt.date(2026, 3, 1)


def _packages() -> pd.DataFrame:
    """Four hand-made work packages: two in 2026, one in 2027, one in 2028."""
    return pd.DataFrame(
        {
            "district_id": ["D1", "D1", "D2", "D2"],
            "street_name": ["Skolevej", "Kirkevej", "Havevej", "Møllevej"],
            "construction_year": [2026, 2026, 2027, 2028],
            "quarter": [2, 3, 1, 1],
            "length_m": [300.0, 250.0, 400.0, 100.0],
            "n_connecting": [12, 8, 20, 3],
            "stretch": 1, "n_stretches": 1, "phase": [1, 1, 2, 2], "dn_min": 25,
            "dn_max": 100, "n_service_pipes": [12, 8, 20, 3], "crew_weeks": 2.0,
            "n_conflicts": 0, "is_moved_earlier": False, "service_m": 100.0,
            "feed_package_id": None, "rollout_year": [2026, 2026, 2027, 2028],
            "earliest_year": [2026, 2026, 2027, 2028], "latest_year": [2026, 2026, 2027, 2028],
        },
        index=pd.Index(["D1-001", "D1-002", "D2-001", "D2-002"], name="package_id"),
    )


@pytest.fixture(scope="module")
def plan():
    base = make_plan()
    districts = base.districts.copy()
    districts["is_flagged"] = [i == 0 for i in range(len(districts))]
    districts.loc["D1", "name"], districts.loc["D2", "name"] = "Nordby", "Sydby"
    return dataclasses.replace(base, work_packages=_packages(), districts=districts)


def test_first_page_lists_this_and_next_years_digging(plan):
    assert plan_date(plan, RUN_DATE) == "2026-03-01"
    years = digging_years(plan, RUN_DATE)
    assert years == [2026, 2027]
    dug = dug_table(plan, years)
    # 2026: Nordby, Kirkevej + Skolevej, 550 m, 20 properties; 2027: Sydby, 400 m, 20
    assert dug.values.tolist() == [
        [2026, "Nordby", "Kirkevej, Skolevej", "K2, K3", 0.55, 20],
        [2027, "Sydby", "Havevej", "K1", 0.4, 20],
    ]
    # a schedule starting after the run year: its first two years
    assert digging_years(plan, dt.date(2020, 1, 1)) == [2026, 2027]


def test_report_opens_with_the_meeting_page_and_prints_the_plan_line(plan):
    page = render_html(plan, today=RUN_DATE)
    meeting = page.index("Overblik til koordineringsmødet")
    assert meeting < page.index("<h2>Sammenfatning</h2>")
    first = page[meeting:page.index("</section>")]
    assert "Det graves i 2026–2027" in first and "0,6" in first  # 0.55 km, one decimal
    flagged = str(plan.districts["name"].iloc[0])
    assert f"1 distrikter, som økonomien ikke bærer, er markeret: {flagged}" in first
    line = f"Plan dateret 2026-03-01 · heatplan {__version__}"
    assert f'<p class="planline">{line}</p>' in page
    assert f'@top-right{{content:"{line}"' in page  # on every printed page
    assert "counter(pages)" in page
    english = render_html(plan, lang="en", today=RUN_DATE)
    assert "Overview for the coordination meeting" in english
    assert f"Plan dated 2026-03-01 · heatplan {__version__}" in english
    assert "Digging in 2026–2027" in english


def test_plan_date_from_the_plan_wins_over_the_run_date(plan):
    dated = dataclasses.replace(plan, summary={**plan.summary, "plan_date": "2025-11-20"})
    assert "Plan dateret 2025-11-20" in render_html(dated, today=RUN_DATE)


def test_years_have_no_thousands_separator(plan):
    for column in ("year_built", "connection_year", "dh_from_year", "year"):
        assert decimals_for(column) == -1
    assert decimals_for("payback_years") == 1
    page = render_html(plan, today=RUN_DATE)
    built = [str(y) for y in plan.properties["year_built"].dropna().astype(int)]
    assert built and not any(f"{y[0]}.{y[1:]}" in page for y in built)


def test_wide_tables_split_repeating_the_first_column():
    columns = [f"c{i}" for i in range(1, 18)]
    parts = column_parts(columns, 8)
    assert parts == [["c1", *columns[1:8]], ["c1", *columns[8:15]], ["c1", "c16", "c17"]]
    assert column_parts(columns[:8], 8) == [columns[:8]]


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
A4_CONTENT_PX = round((210 - 24) / 25.4 * 96)
"""A4 width less the 12 mm side margins of the page's ``@page`` rule, CSS pixels."""


@pytest.mark.browser
@pytest.mark.slow
def test_no_table_is_wider_than_an_a4_page(plan, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium found (apt-get install chromium); the browser test needs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    path = tmp_path / "report.html"
    path.write_text(render_html(plan, today=RUN_DATE), encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": A4_CONTENT_PX, "height": 1000})
        page.emulate_media(media="print")
        page.goto(path.as_uri())
        widths = page.evaluate(
            "() => [...document.querySelectorAll('table')].map(t => "
            "[t.getBoundingClientRect().width, t.rows[0].innerText.slice(0, 40)])"
        )
        pdf = page.pdf(format="A4", print_background=True)
        browser.close()
    assert len(widths) > 10
    too_wide = [(w, head) for w, head in widths if w > A4_CONTENT_PX + 0.5]
    assert not too_wide, f"tables wider than {A4_CONTENT_PX} px: {too_wide}"
    assert pdf.startswith(b"%PDF")


def test_co2_legend_is_off_the_lines_and_every_line_has_its_own_style(plan):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from heatplan.outputs.charts import co2_chart

    traj = plan.co2_trajectory.copy()
    base = pd.to_numeric(traj[traj.columns[0]])
    for pct in (50, 70, 90):
        traj[f"co2_takeup_{pct}_t_a"] = base * (1 - pct / 200)
    fig = co2_chart(dataclasses.replace(plan, co2_trajectory=traj))
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    assert not fig.legends[0].get_window_extent().overlaps(ax.get_window_extent())
    takeups = [line for line in ax.get_lines() if "tilslutning" in line.get_label()]
    assert len(takeups) == 3
    # three dash patterns (readable in black and white) and three colours
    assert len({tuple(line._dash_pattern[1] or ()) for line in takeups}) == 3
    assert len({line.get_color() for line in takeups}) == 3
