"""The renovation ranking as CSV and XLSX, with the scenario's assumptions beside it.

The XLSX headers are the ranking headers of :mod:`heatplan.core.columns`. Text from the data
never becomes a formula in either file (:mod:`heatplan.io.cells`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from heatplan.core.scenario import Scenario

CSV_NAME = "renovation_ranking.csv"
XLSX_NAME = "renovation_ranking.xlsx"
FIXED_DOCUMENT_DATE = datetime(2000, 1, 1)
"""Workbook creation date: fixed, so a rerun gives a byte-identical file."""

VALUE_WORDS = {
    "da": {
        "proposals": "mærkets forslag",
        "class_step": "løft til målklassen",
        "label": "energimærke",
        "area": "areal og byggeår",
        "metered": "målt forbrug",
        "profitable": "rentable",
        "all": "alle",
    },
    "en": {
        "proposals": "the label's proposals",
        "class_step": "step to the target class",
        "label": "energy label",
        "area": "area and age",
        "metered": "metered use",
        "profitable": "profitable",
        "all": "all",
    },
}
SHEETS = {
    "da": ("Renoveringsrangering", "Forudsætninger"),
    "en": ("Renovation ranking", "Assumptions"),
}


def _is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pd.NA (empty cells in the workbook)."""
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def ranking_paths(out_dir: Path) -> list[Path]:
    """The files :func:`write_ranking` writes into ``out_dir``."""
    return [Path(out_dir) / CSV_NAME, Path(out_dir) / XLSX_NAME]


def write_ranking(
    ranking: pd.DataFrame,
    scenario: Scenario,
    out_dir: Path,
    *,
    lang: str = "da",
    overwrite: bool = False,
) -> list[Path]:
    """Write the ranking as CSV (machine column names) and XLSX (headers in ``lang``).

    The workbook has a second sheet with the scenario's assumptions and their sources.
    Both files are written atomically; nothing is written if either exists and not
    ``overwrite``.
    """
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.utils.dataframe import dataframe_to_rows

    from heatplan.core.columns import column_label
    from heatplan.io.atomic import atomic_path, check_writable
    from heatplan.io.cells import protect_sheet, safe_csv_frame
    from heatplan.outputs.report_workbook import workbook_bytes

    paths = [out_dir / CSV_NAME, out_dir / XLSX_NAME]
    for path in paths:  # refuse before writing anything
        check_writable(path, overwrite=overwrite)
    table = ranking.reset_index()
    with atomic_path(paths[0], overwrite=overwrite) as tmp:
        safe_csv_frame(table).to_csv(tmp, index=False, encoding="utf-8")
    sheet, assumptions_sheet = SHEETS[lang]
    from heatplan.model.heating import HEATING_TYPES

    human = table[["rank", *[c for c in table.columns if c != "rank"]]].copy()
    target_year = scenario.value("general.target_year")
    headers = {
        c: column_label(c, lang, ranking=True)
        .replace("målåret", f"{target_year}")
        .replace("target year", f"{target_year}")
        for c in human.columns
    }
    if lang == "da":
        human["heating_type"] = (
            human["heating_type"].map(HEATING_TYPES).fillna(human["heating_type"])
        )
    words = VALUE_WORDS[lang]
    for column in ("saving_basis", "demand_source", "proposal_set"):
        human[column] = human[column].map(words).fillna(human[column])
    human = human.rename(columns=headers)
    prefixes = ("renovation.", "emissions.", "labels.", "general.", "demand.")
    assumptions = pd.DataFrame(
        [
            {
                "key": p.key,
                "value": str(p.value),
                "unit": p.unit,
                "source": p.source,
                "is_assumption": p.is_assumption,
            }
            for p in scenario
            if p.key.startswith(prefixes)
        ]
    )
    wb = Workbook()
    for ws, frame in ((wb.active, human), (wb.create_sheet(), assumptions)):
        for row in dataframe_to_rows(frame, index=False, header=True):
            ws.append([None if _is_missing(v) else v for v in row])
    wb.active.title, wb.worksheets[1].title = sheet, assumptions_sheet
    ws = wb.worksheets[0]
    ws.freeze_panes = "C2"
    for col in ws.columns:
        width = max(len(str(c.value or "")) for c in col[:50])
        ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 80)
    for sheet_ws in wb.worksheets:
        protect_sheet(sheet_ws)  # text from the data stays text, never a formula
    wb.properties.created = wb.properties.modified = FIXED_DOCUMENT_DATE
    with atomic_path(paths[1], overwrite=overwrite) as tmp:
        tmp.write_bytes(workbook_bytes(wb))
    return paths
