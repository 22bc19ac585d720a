"""The coordination report as an XLSX workbook: one sheet per report table.

Cells hold real numbers (not text) with display formats, and text is always stored as text,
never as a formula (:mod:`heatplan.io.cells`); the document dates and zip entry times are
fixed, so a rerun gives the same bytes. The tables come from
:mod:`heatplan.outputs.report_tables`.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from heatplan.core.columns import column_label
from heatplan.io.cells import protect_sheet
from heatplan.outputs.report_tables import decimals_for, report_tables, total_label
from heatplan.outputs.texts import check_lang, is_missing, text
from heatplan.plan.result import Plan

FIXED_TIME = dt.datetime(2000, 1, 1)
"""Document date written into the XLSX (openpyxl would stamp the current time)."""


def _excel_format(column: str, decimals: int | None = None) -> str:
    places = decimals_for(column) if decimals is None else decimals
    if places == -1:
        return "0"
    if places == -2:
        return "0.0%"
    return "#,##0" if not places else "#,##0." + "0" * places


def excel_value(value: object) -> object:
    """A cell value openpyxl writes as it is: None, bool, int, float or text."""
    if is_missing(value):
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, int | float | str):
        return value
    return str(value)


_SHEET_NAMES = {
    "summary": {"da": "Sammenfatning", "en": "Summary"},
    "districts": {"da": "Distrikter", "en": "Districts"},
    "phases": {"da": "Faser", "en": "Phases"},
    "years": {"da": "År", "en": "Years"},
    "renovation": {"da": "Renovering", "en": "Renovation"},
    "co2": {"da": "CO2-forløb", "en": "CO2 trajectory"},
    "changes": {"da": "Ændringer", "en": "Changes"},
    "rejected": {"da": "Afviste", "en": "Rejected"},
}


def sheet_name(key: str, lang: str = "da") -> str:
    """The XLSX sheet name of report table ``key``."""
    from heatplan.outputs.digging import REPORT_SHEET_NAMES
    from heatplan.outputs.report_economics import SHEET_NAMES

    for names in (_SHEET_NAMES, SHEET_NAMES, REPORT_SHEET_NAMES):
        if key in names:
            return names[key][lang]
    raise KeyError(key)


def build_workbook(plan: Plan, *, lang: str = "da") -> Workbook:
    """Return the report as an openpyxl workbook (one sheet per report table)."""
    check_lang(lang)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F0F0F0")
    for table in report_tables(plan, lang=lang):
        ws = wb.create_sheet(sheet_name(table.key, lang))
        data = table.data
        if table.key == "summary":
            ws.append([text("sum_item", lang), text("sum_value", lang)])
            for item, value, decimals in data.itertuples(index=False):
                ws.append([str(item), excel_value(value)])
                ws.cell(ws.max_row, 2).number_format = _excel_format("", int(decimals))
            if plan.is_synthetic:
                ws.append([])
                ws.append([text("synthetic_note", lang)])
                ws.cell(ws.max_row, 1).font = Font(bold=True, color="B2182B")
            widths = [48, 16]
        else:
            columns = [str(c) for c in data.columns]
            ws.append([column_label(c, lang) for c in columns])
            for row in data.itertuples(index=False):
                ws.append([excel_value(v) for v in row])
            if table.total and len(data):
                ws.append(
                    [
                        total_label(table.key, lang) if i == 0 else table.total.get(c)
                        for i, c in enumerate(columns)
                    ]
                )
                for cell in ws[ws.max_row]:
                    cell.font = bold
            for j, col in enumerate(columns, start=1):
                fmt = _excel_format(col)
                for i in range(2, ws.max_row + 1):
                    cell = ws.cell(i, j)
                    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                        cell.number_format = fmt
            widths = [max(10, min(40, len(column_label(c, lang)) + 2)) for c in columns]
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for j, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = width
        ws.freeze_panes = "A2"
        protect_sheet(ws)  # text from the data stays text, never a formula
    props = wb.properties
    props.creator = "heatplan"
    props.title = text("report_title", lang)
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.lastModifiedBy = "heatplan"
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise ``wb`` with fixed document dates and zip entry times (byte-identical reruns)."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # unlike save_workbook, does not stamp the time
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return fixed.getvalue()
