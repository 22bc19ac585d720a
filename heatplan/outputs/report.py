"""The coordination report: one self-contained HTML file and an XLSX workbook.

Both show the same tables (:mod:`heatplan.outputs.report_tables`), so their numbers agree; the
page is rendered by :mod:`heatplan.outputs.report_html`, the workbook built by
:mod:`heatplan.outputs.report_workbook`. A rerun on the same plan gives byte-identical files.
"""

from __future__ import annotations

import logging
from pathlib import Path

from heatplan.io.atomic import atomic_path
from heatplan.outputs.report_html import render_html
from heatplan.outputs.report_workbook import build_workbook, workbook_bytes
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

HTML_NAME = "heatplan_report.html"
XLSX_NAME = "heatplan_report.xlsx"


def write_report_html(
    plan: Plan, path: Path | str, *, lang: str = "da", overwrite: bool = False
) -> Path:
    """Write the HTML report atomically to ``path`` and return it."""
    path = Path(path)
    document = render_html(plan, lang=lang)
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(document, encoding="utf-8")
    logger.info("Wrote %s (%d kB)", path, len(document.encode()) // 1024)
    return path


def write_report_xlsx(
    plan: Plan, path: Path | str, *, lang: str = "da", overwrite: bool = False
) -> Path:
    """Write the XLSX workbook atomically to ``path`` and return it."""
    path = Path(path)
    content = workbook_bytes(build_workbook(plan, lang=lang))
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_bytes(content)
    logger.info("Wrote %s (%d kB)", path, len(content) // 1024)
    return path
