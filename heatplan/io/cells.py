"""Spreadsheet cells that never run as formulas: text from the data stays text.

Text from the data (an address, a district name) that starts with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return) is a formula to Excel and LibreOffice when a CSV file is opened,
and openpyxl stores a string starting with ``=`` in an XLSX file as a live formula. Every CSV
and XLSX writer of heatplan passes its cells through this module:

- CSV (:func:`safe_csv_frame`): a text cell starting with one of those characters gets a
  leading apostrophe (``'=1+1``), OWASP's advice against CSV injection
  (owasp.org/www-community/attacks/CSV_Injection); numbers are left as they are.
- XLSX (:func:`protect_sheet`): every text cell is stored as a text cell, and one that starts
  with a formula character is marked with Excel's quote prefix, so editing it keeps it text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_csv_text(value: object) -> object:
    """``value`` with an apostrophe in front when it is formula-like text; else unchanged.

    Examples
    --------
    >>> safe_csv_text("=HYPERLINK(1)"), safe_csv_text("Egevej 1"), safe_csv_text(-3.5)
    ("'=HYPERLINK(1)", 'Egevej 1', -3.5)
    """
    return "'" + value if is_formula_like(value) else value  # type: ignore[operator]


def safe_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and text index) are safe to open as CSV."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(safe_csv_text, na_action="ignore")
    if out.index.dtype == object or pd.api.types.is_string_dtype(out.index.dtype):
        out.index = out.index.map(safe_csv_text)
    out.columns = [safe_csv_text(c) for c in out.columns]
    return out


def protect_sheet(ws: Worksheet) -> int:
    """Store every text cell of ``ws`` as text, never as a formula; return how many were not.

    A formula-like text cell also gets Excel's quote prefix (it then stays text when edited).
    """
    count = 0
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            if cell.data_type != "s":
                cell.data_type = "s"
                count += 1
            if is_formula_like(cell.value):
                cell.quotePrefix = True
    return count
