"""The digging schedule's workbook (``heatplan_gravetidsplan.xlsx``): one sheet per table.

Every sheet has headers from the column registry (:func:`heatplan.core.columns.column_label`,
Danish or English), an autofilter over the table, a frozen header row and first column, and
an A4 landscape print setup: fitted to the page width, the header row on every page, the
sheet's title in the page header and the plan's date, heatplan's version and page numbers in
the footer; wide sheets print the columns the meeting reads and keep the rest for filtering.
Cells hold numbers with display formats (years without a thousands separator), and text from
the data stays text (:mod:`heatplan.io.cells`). Document dates and zip entry times are fixed,
so a rerun gives the same bytes.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from heatplan.core.columns import column_label
from heatplan.io.atomic import atomic_path
from heatplan.io.cells import protect_sheet
from heatplan.outputs.digging import (
    CONFLICT_PRINTED,
    GAS_CUSTOMER_PRINTED,
    GAS_PRINTED,
    PACKAGE_PRINTED,
    conflicts_table,
    crews_table,
    gas_customers_table,
    gas_table,
    packages_table,
    plan_line,
    quarter_text,
    word,
)
from heatplan.outputs.report_workbook import excel_value
from heatplan.outputs.texts import check_lang, text
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

_WIDE = {"suggestion": 50, "gas_advice": 50, "description": 22, "feed_package_id": 18}
_DECIMALS = {"crew_weeks": 1, "crews_needed": 1, "crews_available": 1, "working_weeks": 0}
_ASSUMPTION_KEYS = ("works.", "gas.", "phasing.trench_capacity_km_a",
                    "uptake.remaining_to_heat_pump_year", "uptake.final_share")


def _number_format(column: str) -> str:
    if column in _DECIMALS:
        places = _DECIMALS[column]
        return "#,##0" + ("." + "0" * places if places else "")
    if column == "year" or column.endswith("_year") or column in ("phase", "quarter",
                                                                  "stretch", "n_stretches"):
        return "0"
    return "#,##0"


def _width(column: str, values: pd.Series, lang: str) -> float:
    """Column width in characters: the header wraps, so its longest word; text by content."""
    if column in _WIDE:
        return _WIDE[column]
    words = max((len(w) for w in column_label(column, lang).split()), default=4)
    width = max(7, min(16, words + 2))
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        longest = values.head(500).astype(str).str.len().max() if len(values) else 0
        width = max(width, min(26, int(longest or 0) + 2))
    return width


def write_sheet(ws: Worksheet, table: pd.DataFrame, *, lang: str, title: str, footer: str,
                freeze: str = "B2", printed: int | None = None) -> None:
    """Fill ``ws`` with ``table`` under registry headers, ready to filter, scroll and print.

    Autofilter over the table, header row (and first column) frozen, A4 landscape fitted to
    the page width with the header row repeated, ``title`` in the page header and ``footer``
    with page numbers in the page footer; text cells never become formulas. With ``printed``,
    only the first ``printed`` columns are printed.
    """
    columns = [str(c) for c in table.columns]
    ws.append([column_label(c, lang) for c in columns])
    for row in table.itertuples(index=False):
        ws.append([excel_value(v) for v in row])
    header = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8E8E8")
    for cell in ws[1]:
        cell.font = header
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, column in enumerate(columns, start=1):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = _width(column, table[column], lang)
        wrap = column in _WIDE
        fmt = _number_format(column)
        for i in range(2, ws.max_row + 1):
            cell = ws.cell(i, j)
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = fmt
            elif wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if len(columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 1)}"
    ws.freeze_panes = freeze
    print_setup(ws, title=title, footer=footer, lang=lang)
    if printed is not None and len(columns) > printed:
        ws.print_area = f"A1:{get_column_letter(printed)}{max(ws.max_row, 1)}"
    protect_sheet(ws)


def print_setup(ws: Worksheet, *, title: str, footer: str, lang: str) -> None:
    """A4 landscape, fitted to one page wide, header row on every page, title and footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddHeader.center.text = title
    ws.oddHeader.center.size = 12
    ws.oddFooter.left.text = footer
    ws.oddFooter.right.text = word("page", lang)


def build_digging_workbook(plan: Plan, *, lang: str = "da") -> Workbook:
    """Return the digging schedule's workbook: packages, crews, conflicts, gas, about."""
    check_lang(lang)
    wb = Workbook()
    wb.remove(wb.active)
    footer = plan_line(plan, lang)
    if plan.is_synthetic:
        footer = f"{footer} · {text('synthetic', lang)}"
    sheets = (
        ("sheet_packages", packages_table(plan, lang), "B2", PACKAGE_PRINTED),
        ("sheet_crews", crews_table(plan, lang), "C2", None),
        ("sheet_conflicts", conflicts_table(plan, lang), "B2", CONFLICT_PRINTED),
        ("sheet_gas", gas_table(plan, lang), "B2", GAS_PRINTED),
        ("sheet_gas_customers", gas_customers_table(plan, lang), "B2", GAS_CUSTOMER_PRINTED),
    )
    for key, table, freeze, printed in sheets:
        ws = wb.create_sheet(word(key, lang))
        write_sheet(ws, table, lang=lang, title=f"{word('title', lang)} – {word(key, lang)}",
                    footer=footer, freeze=freeze, printed=printed)
    _about_sheet(wb.create_sheet(word("sheet_about", lang)), plan, lang, footer)
    from heatplan.outputs.report_workbook import FIXED_TIME

    props = wb.properties
    props.creator = props.lastModifiedBy = "heatplan"
    props.title = word("title", lang)
    props.created = props.modified = FIXED_TIME
    return wb


def _about_sheet(ws: Worksheet, plan: Plan, lang: str, footer: str) -> None:
    """What the schedule rests on: the plan, its facts, and the scenario values it used."""
    facts = (plan.summary or {}).get("works", {})
    rows: list[list[object]] = [
        [word("about_plan", lang), plan_line(plan, lang), "", ""],
        [word("about_municipality", lang), plan.municipality_code or "", "", ""],
        [word("about_packages", lang), facts.get("n_packages"), "", ""],
        [word("about_km", lang), facts.get("trench_km"), "km", ""],
        [word("about_moved", lang), facts.get("moved_earlier_km"), "km",
         str(facts.get("n_moved_earlier", ""))],
        [word("about_over", lang), ", ".join(quarter_text(y, q, lang) for y, q in
                                             facts.get("quarters_over_capacity", [])), "", ""],
        [word("about_conflicts", lang), facts.get("n_conflicts"), "", ""],
        [word("about_left", lang), facts.get("n_left_on_gas"), "", ""],
    ]
    if plan.is_synthetic:
        rows.append([text("synthetic_note", lang), "", "", ""])
    rows += [[], [word("about_assumptions", lang), word("about_value", lang),
                  word("about_unit", lang), word("about_source", lang)]]
    if plan.scenario is not None:
        for p in plan.scenario:
            if p.key.startswith(_ASSUMPTION_KEYS):
                value = p.value if isinstance(p.value, int | float | str) else str(p.value)
                source = (f"{word('assumption_marker', lang)}: {p.source}" if p.is_assumption
                          and not p.source.lower().startswith("assumption") else p.source)
                rows.append([p.key, value, p.unit, source])
    ws.append([word("about_item", lang), word("about_value", lang), word("about_unit", lang),
               word("about_source", lang)])
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (36, 24, 24, 60), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
        value = row[1]
        if isinstance(value.value, float):
            value.number_format = "#,##0.0"
        elif isinstance(value.value, int) and not isinstance(value.value, bool):
            value.number_format = "#,##0" if value.value > 2100 or value.value < 1000 else "0"
    ws.freeze_panes = "A2"
    print_setup(ws, title=f"{word('title', lang)} – {word('sheet_about', lang)}",
                footer=footer, lang=lang)
    protect_sheet(ws)


def write_digging_xlsx(plan: Plan, path: Path | str, *, lang: str = "da",
                       overwrite: bool = False) -> Path:
    """Write the digging schedule's workbook atomically to ``path`` (byte-identical reruns)."""
    from heatplan.outputs.report_workbook import workbook_bytes

    path = Path(path)
    data = workbook_bytes(build_digging_workbook(plan, lang=lang))
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_bytes(data)
    logger.info("Wrote %s", path)
    return path
