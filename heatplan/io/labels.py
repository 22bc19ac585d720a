"""Read the energy-label tables (``labels.csv``, ``proposals.csv``) as text.

Every value is read as a string, so codes and ids keep their leading zeros (``"0151"``); types
are checked later by :mod:`heatplan.validate`. Danish Excel exports are read when the format
is unambiguous: Windows-1252/Latin-1 encoding, ``;`` separators and decimal commas. The format
found is returned so the caller can tell the user.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from pathlib import Path

import pandas as pd

from heatplan.core.errors import InputDataError
from heatplan.core.schema import LABEL_TABLES

logger = logging.getLogger(__name__)

SEPARATORS: tuple[str, ...] = (",", ";", "\t", "|")
_NUMBER_WITH_COMMA = r"^\s*-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?\s*$"


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    if raw.startswith(b"PK\x03\x04"):
        msg = (
            f"{path} is an Excel workbook, not a CSV file. Save it from Excel as "
            f"'CSV UTF-8 (comma delimited)'."
        )
        raise InputDataError(msg)
    if b"\x00" in raw[:4096]:
        msg = f"{path} is not a text file (it holds binary data). Give a CSV file."
        raise InputDataError(msg)
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _pick_separator(header: str, expected: set[str], path: Path) -> str:
    def score(sep: str) -> tuple[int, int]:
        names = [n.strip().strip('"').strip().lower() for n in header.split(sep)]
        return (len(expected.intersection(names)), len(names))

    best = max(SEPARATORS, key=score)
    matched, fields = score(best)
    if matched == 0:
        msg = (
            f"{path}: the first line does not name any expected column "
            f"({', '.join(sorted(expected))}); it reads {header[:120]!r}. Give the file a header "
            f"line with those column names, separated by commas."
        )
        raise InputDataError(msg)
    ties = [s for s in SEPARATORS if s != best and score(s)[0] == matched and score(s)[1] > 1]
    if ties and fields > 1:
        msg = (
            f"{path}: cannot tell whether columns are separated by {best!r} or {ties[0]!r}. "
            f"Save the file with comma separators."
        )
        raise InputDataError(msg)
    return best


def read_label_csv(path: Path | str, name: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read one label table as strings, detecting encoding, separator and decimal mark.

    Parameters
    ----------
    path
        The CSV file.
    name
        The table's name in :mod:`heatplan.core.schema` (``"labels"`` or ``"proposals"``); its
        column names decide the separator, and its numeric columns get decimal commas turned
        into points when the file uses them.

    Returns
    -------
    table, fmt
        Every column as strings (empty cells are missing values), header names stripped; and
        ``{"encoding": ..., "separator": ..., "decimal": ...}`` as detected.

    Raises
    ------
    InputDataError
        If the file does not exist, is binary or an Excel workbook, has no recognisable header,
        or has lines that do not split into the header's columns.
    """
    path = Path(path)
    option = "--" + name.replace("_", "-")
    if not path.is_file():
        msg = f"{name}: file {path} does not exist. Check the path or give it with {option} PATH."
        raise InputDataError(msg)
    raw = path.read_bytes()
    text, encoding = _decode(raw, path)
    if not text.strip():
        msg = f"{name}: {path} is empty; it needs at least a header line."
        raise InputDataError(msg)
    layer = next((t for t in LABEL_TABLES if t.name == name), None)
    expected = {c.name for c in layer.columns} if layer else set()
    header = text.lstrip("\ufeff").splitlines()[0]
    separator = _pick_separator(header, expected, path) if expected else ","
    try:
        table = pd.read_csv(
            io.StringIO(text), sep=separator, dtype=str, keep_default_na=False,
            na_values=[""], skipinitialspace=True, quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as err:
        msg = (
            f"{name}: {path} cannot be read as a table with {separator!r} separators ({err}). "
            f"Check the line named, for example for an unquoted separator inside a text."
        )
        raise InputDataError(msg) from err
    table.columns = [str(c).strip().strip("\ufeff") for c in table.columns]
    decimal = "."
    if separator == ";" and layer is not None:
        numeric = [c.name for c in layer.columns if c.kind in ("int", "float")]
        for column in (c for c in table.columns if c.lower() in numeric):
            values = table[column]
            commas = values.str.contains(",", regex=False, na=False)
            if commas.any() and values[commas].str.match(_NUMBER_WITH_COMMA).all():
                decimal = ","
                fixed = values.str.replace(".", "", regex=False).str.replace(",", ".")
                table[column] = values.where(~values.str.match(_NUMBER_WITH_COMMA, na=False), fixed)
    fmt = {"encoding": encoding, "separator": separator, "decimal": decimal}
    logger.debug("Read %s rows from %s (%s)", f"{len(table):,}", path, fmt)
    return table, fmt
