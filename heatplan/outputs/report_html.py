"""The coordination report as one self-contained HTML page.

The charts are inline SVG, there are no external links, every text is escaped, and numbers are
in Danish format in Danish (1.234,5). The tables come from :mod:`heatplan.outputs.report_tables`.
"""

from __future__ import annotations

import datetime as dt
import html

import numpy as np
import pandas as pd

from heatplan.core.columns import column_label
from heatplan.outputs.charts import (
    co2_chart,
    connections_chart,
    figure_svg,
    timeline_chart,
    tornado_chart,
)
from heatplan.outputs.digging import word as digging_word
from heatplan.outputs.digging_charts import gantt_chart
from heatplan.outputs.report_meeting import (
    decisions,
    digging_years,
    dug_table,
    plan_line,
    top_risks,
)
from heatplan.outputs.report_meeting import word as meeting_word
from heatplan.outputs.report_tables import ReportTable, decimals_for, report_tables, total_label
from heatplan.outputs.texts import check_lang, format_number, format_year, is_missing, text
from heatplan.plan.result import Plan


def _cell_html(
    value: object, column: str, lang: str, decimals: int | None = None
) -> tuple[str, bool]:
    """Escaped cell text and whether it is a number (right-aligned)."""
    if is_missing(value):
        return "", False
    if isinstance(value, bool | np.bool_):
        return html.escape(
            "ja"
            if value and lang == "da"
            else ("yes" if value else ("nej" if lang == "da" else "no"))
        ), False
    if isinstance(value, int | float | np.integer | np.floating):
        places = decimals_for(column) if decimals is None else decimals
        if places == -1:
            return html.escape(format_year(value)), True
        if places == -2:
            return html.escape(format_number(float(value) * 100, 1, lang) + " %"), True
        if isinstance(value, int | np.integer) and places:
            places = 0
        return html.escape(format_number(value, places or 0, lang)), True
    return html.escape(str(value)), False


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#222;
background:#fafafa}
main{max-width:1200px;margin:auto;padding:1.5em}
h1{font-size:1.7em;margin:.2em 0}h2{margin-top:1.6em;border-bottom:2px solid #e6550d;
padding-bottom:.2em}
.synthetic{background:#b2182b;color:#fff;padding:.4em .8em;font-weight:bold;display:inline-block}
.note,.planline{color:#555;font-size:.9em}
table{border-collapse:collapse;margin:.5em 0;font-size:.85em;background:#fff;max-width:100%}
th,td{border:1px solid #ddd;padding:.3em .5em;vertical-align:top;overflow-wrap:anywhere}
th{background:#f0f0f0;text-align:left;hyphens:auto}
td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold;background:#f7f7f7}
td.long{min-width:16em}
.scroll{overflow-x:auto}
figure{margin:1em 0;background:#fff;border:1px solid #eee;padding:.5em}
section.meeting{break-after:page}
@media print{body{background:#fff}main{max-width:none;padding:0}
h2{break-after:avoid;page-break-after:avoid}table{page-break-inside:auto;font-size:7.5pt}
tr{break-inside:avoid}figure{break-inside:avoid;border:0}.scroll{overflow:visible}
section.meeting{page-break-after:always}}
"""
"""The page's style (the ``@page`` rules are in :func:`_page_css`)."""


def _css_string(value: str) -> str:
    """``value`` as a CSS string literal (quotes, backslashes and ``<`` escaped)."""
    escaped = value.replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ")
    return f'"{escaped}"'


def _page_css(title: str, line: str, lang: str) -> str:
    """Print A4 with the title, the plan line and the page number on every page."""
    box = "font-size:8pt;color:#555"
    page = f"{_css_string(meeting_word('page', lang) + ' ')} counter(page) " \
           f"{_css_string(' ' + meeting_word('of', lang) + ' ')} counter(pages)"
    return (f"@page{{size:A4 portrait;margin:18mm 12mm 16mm 12mm;"
            f"@top-left{{content:{_css_string(title)};{box}}}"
            f"@top-right{{content:{_css_string(line)};{box}}}"
            f"@bottom-right{{content:{page};{box}}}}}")

MAX_COLUMNS = 8
"""Wider tables are split into parts of at most this many columns, each repeating the first
column, so every part fits an A4 page."""


LONG_TEXT = 60
"""Text cells longer than this many characters get a wide column in the HTML."""

_HTML_RENOVATION_COLUMNS = [
    "rank",
    "property_id",
    "address",
    "name",
    "bbr_use_code",
    "year_built",
    "heating_type",
    "label_class",
    "target_class",
    "heat_saved_mwh_a",
    "investment_dkk",
    "co2_saved_t_horizon",
    "co2_saved_t_target",
    "co2_reduction_t",
    "net_cost_per_t_dkk",
    "cost_per_t_dkk",
    "dh_from_year",
    "hp_from_year",
    "payback_years",
    "explanation",
    "reason",
]
"""Columns of the renovation ranking shown in the HTML (the XLSX has all of them)."""


def _html_table(table: ReportTable, lang: str) -> str:
    data = table.data
    if table.key == "renovation" and len(data.columns) > len(_HTML_RENOVATION_COLUMNS) // 2:
        data = data[[c for c in _HTML_RENOVATION_COLUMNS if c in data.columns]]
    if data.empty:
        key = {"changes": "no_changes", "sensitivity": "no_flips"}.get(table.key,
                                                                        "none_rejected")
        return f'<p class="note">{html.escape(text(key, lang))}</p>'
    parts = ['<div class="scroll"><table>']
    if table.key == "summary":
        parts.append(
            f"<tr><th>{html.escape(text('sum_item', lang))}</th>"
            f"<th>{html.escape(text('sum_value', lang))}</th></tr>"
        )
        for item, value, decimals in data.itertuples(index=False):
            cell, _ = _cell_html(value, "", lang, decimals=int(decimals))
            parts.append(f'<tr><td>{html.escape(str(item))}</td><td class="n">{cell}</td></tr>')
    else:
        return "\n".join(_grid(data[part], table, lang)
                         for part in column_parts(list(data.columns)))
    parts.append("</table></div>")
    return "\n".join(parts)


def column_parts(columns: list, width: int = MAX_COLUMNS) -> list[list]:
    """``columns`` in parts of at most ``width``, each part after the first repeating the
    first column (the row's name)."""
    if len(columns) <= width:
        return [columns]
    first, rest = columns[0], columns[1:]
    return [[first, *rest[i:i + width - 1]] for i in range(0, len(rest), width - 1)]


def _grid(data, table: ReportTable, lang: str) -> str:
    """``data`` (some columns of ``table``) as an HTML table with ``table``'s total row."""
    columns = list(data.columns)
    parts = ['<div class="scroll"><table>', "<tr>" + "".join(
        f"<th>{html.escape(column_label(str(c), lang))}</th>" for c in columns) + "</tr>"]
    for row in data.itertuples(index=False):
        cells = []
        for col, value in zip(columns, row, strict=True):
            cell, numeric = _cell_html(value, str(col), lang)
            if numeric:
                cells.append(f'<td class="n">{cell}</td>')
            elif len(cell) > LONG_TEXT:
                cells.append(f'<td class="long">{cell}</td>')
            else:
                cells.append(f"<td>{cell}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    if table.total and any(c in table.total for c in columns):
        cells = []
        for i, col in enumerate(columns):
            if col in table.total:
                cell, _ = _cell_html(table.total[col], str(col), lang)
                cells.append(f'<td class="n">{cell}</td>')
            else:
                label = total_label(table.key, lang) if i == 0 else ""
                cells.append(f"<td>{html.escape(label)}</td>")
        parts.append('<tr class="total">' + "".join(cells) + "</tr>")
    parts.append("</table></div>")
    return "\n".join(parts)


_NOTES = {"household": "note_household", "assumptions": "note_assumptions"}
"""A note shown under the heading of these sections."""


def _tornado(plan: Plan, lang: str) -> list[str]:
    """The tornado charts' heading, note and figure; nothing without a comparison."""
    fig = tornado_chart(plan, lang=lang)
    if fig is None:
        return []
    return [f"<h2>{html.escape(text('sec_tornado', lang))}</h2>",
            f'<p class="note">{html.escape(text("note_tornado", lang))}</p>',
            f"<figure>{figure_svg(fig)}</figure>"]


def _simple_table(data: pd.DataFrame, lang: str, decimals: dict[str, int]) -> str:
    """``data`` with its own (already translated) headers as an HTML table."""
    rows = ["<tr>" + "".join(f"<th>{html.escape(str(c))}</th>" for c in data.columns) + "</tr>"]
    for row in data.itertuples(index=False):
        cells = []
        for col, value in zip(data.columns, row, strict=True):
            cell, numeric = _cell_html(value, "", lang, decimals=decimals.get(str(col), 0))
            cells.append(f'<td class="n">{cell}</td>' if numeric else f"<td>{cell}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<div class="scroll"><table>' + "\n".join(rows) + "</table></div>"


def _meeting_section(plan: Plan, lang: str, risk_section: str, today: dt.date | None) -> str:
    """The first page: what is dug this year and next, decisions needed, top risks."""
    years = digging_years(plan, today)
    when = f"{years[0]}–{years[1]}"
    dug = dug_table(plan, years, lang)
    parts = ['<section class="meeting">',
             f"<h2>{html.escape(meeting_word('title', lang))}</h2>",
             f"<h3>{html.escape(meeting_word('dug', lang, years=when))}</h3>"]
    if len(dug):
        year, km = meeting_word("year", lang), meeting_word("trench_km", lang)
        parts.append(_simple_table(dug, lang, {year: -1, km: 1}))
    else:
        parts.append(f'<p class="note">{html.escape(meeting_word("none_dug", lang, years=when))}'
                     "</p>")
    parts.append(f"<h3>{html.escape(meeting_word('decisions', lang))}</h3>")
    items = decisions(plan, lang) or [meeting_word("no_decisions", lang)]
    parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
    parts.append(f"<h3>{html.escape(meeting_word('risks', lang))}</h3>")
    risks, more = top_risks(plan, lang)
    if risks:
        parts.append("<ul>" + "".join(
            f"<li><b>{html.escape(a)}</b>: {html.escape(r)}</li>" for a, r in risks) + "</ul>")
    else:
        parts.append(f'<p class="note">{html.escape(meeting_word("no_risks", lang))}</p>')
    if more:
        note = meeting_word("more_risks", lang, n=more, section=risk_section)
        parts.append(f'<p class="note">{html.escape(note)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def render_html(plan: Plan, *, lang: str = "da", today: dt.date | None = None) -> str:
    """Return the coordination report as one self-contained HTML document.

    ``today`` is the run date printed on every page when the plan carries no
    ``summary["plan_date"]`` (the current date when not given).
    """
    check_lang(lang)
    tables = {t.key: t for t in report_tables(plan, lang=lang)}
    title = text("report_title", lang)
    line = plan_line(plan, lang, today)
    body = [f"<h1>{html.escape(title)}</h1>", f'<p class="planline">{html.escape(line)}</p>']
    if plan.is_synthetic:
        body.append(f'<p class="synthetic">{html.escape(text("synthetic_note", lang))}</p>')
    risk_title = tables["works_risks"].title if "works_risks" in tables else ""
    body.append(_meeting_section(plan, lang, risk_title, today))
    source = text("source_sample" if plan.is_synthetic else "source_input", lang)
    files = (
        ", ".join(plan.scenario.files)
        if plan.scenario is not None and plan.scenario.files
        else text("default_scenario", lang)
    )
    body.append(
        f'<p class="note">{html.escape(text("source_note", lang, source=source))} '
        f"{html.escape(text('generated_from', lang, files=files))}</p>"
    )
    body.append(f"<h2>{html.escape(tables['summary'].title)}</h2>")
    body.append(_html_table(tables["summary"], lang))
    for key, maker in (
        ("sec_timeline", timeline_chart),
        ("sec_connections", connections_chart),
        ("sec_co2", co2_chart),
    ):
        fig = maker(plan, lang=lang)
        if fig is None:
            continue
        body.append(f"<h2>{html.escape(text(key, lang))}</h2>")
        body.append(f"<figure>{figure_svg(fig)}</figure>")
        notes = plan.summary.get("co2_notes") if key == "sec_co2" else None
        if isinstance(notes, list | tuple):
            body.extend(f"<p>{html.escape(str(n))}</p>" for n in notes)
    gantt = gantt_chart(plan, lang=lang)
    if gantt is not None:
        body.append(f"<h2>{html.escape(digging_word('title', lang))}</h2>")
        body.append(f"<figure>{figure_svg(gantt)}</figure>")
    for key in ("method", "districts", "economics", "household", "sensitivity", "assumptions",
                "phases", "years", "works", "crews", "conflicts", "gas", "works_risks",
                "renovation", "changes", "rejected"):
        if key in tables:
            body.append(f"<h2>{html.escape(tables[key].title)}</h2>")
            note = _NOTES.get(key)
            if note:
                body.append(f'<p class="note">{html.escape(text(note, lang))}</p>')
            body.append(_html_table(tables[key], lang))
        if key == "sensitivity":
            body.extend(_tornado(plan, lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}{_page_css(title, line, lang)}"
        "</style>\n</head>\n<body><main>\n"
        + "\n".join(body)
        + "\n</main></body>\n</html>\n"
    )
