"""The coordination report as one self-contained HTML page.

The charts are inline SVG, there are no external links, every text is escaped, and numbers are
in Danish format in Danish (1.234,5). The tables come from :mod:`heatplan.outputs.report_tables`.
"""

from __future__ import annotations

import html

import numpy as np

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
.note{color:#555;font-size:.9em}
table{border-collapse:collapse;margin:.5em 0;font-size:.85em;background:#fff}
th,td{border:1px solid #ddd;padding:.3em .5em;vertical-align:top}
th{background:#f0f0f0;text-align:left}
td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold;background:#f7f7f7}
td.long{min-width:28em;max-width:48em}
.scroll{overflow-x:auto}
figure{margin:1em 0;background:#fff;border:1px solid #eee;padding:.5em}
@media print{h2{page-break-after:avoid}table{page-break-inside:auto}}
"""


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
        parts.append(
            "<tr>"
            + "".join(f"<th>{html.escape(column_label(str(c), lang))}</th>" for c in data.columns)
            + "</tr>"
        )
        for row in data.itertuples(index=False):
            cells = []
            for col, value in zip(data.columns, row, strict=True):
                cell, numeric = _cell_html(value, str(col), lang)
                if numeric:
                    cells.append(f'<td class="n">{cell}</td>')
                elif len(cell) > LONG_TEXT:
                    cells.append(f'<td class="long">{cell}</td>')
                else:
                    cells.append(f"<td>{cell}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        if table.total:
            cells = []
            for i, col in enumerate(data.columns):
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


def render_html(plan: Plan, *, lang: str = "da") -> str:
    """Return the coordination report as one self-contained HTML document."""
    check_lang(lang)
    tables = {t.key: t for t in report_tables(plan, lang=lang)}
    title = text("report_title", lang)
    body = [f"<h1>{html.escape(title)}</h1>"]
    if plan.is_synthetic:
        body.append(f'<p class="synthetic">{html.escape(text("synthetic_note", lang))}</p>')
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
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body><main>\n"
        + "\n".join(body)
        + "\n</main></body>\n</html>\n"
    )
