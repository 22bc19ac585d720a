"""Checks of one layer's columns and values against the contract.

Column names that differ only in case or by Shapefile truncation are matched; then every
contract column is checked for its type (text, number, date, true/false), required values,
allowed codes, minimum, uniqueness and plausible range (:mod:`~heatplan.validate.ranges`). Bad
rows are rejected with a reason, repairable values (codes stored as numbers, day-first dates)
are repaired, and each finding becomes an issue.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from heatplan.core.dataset import LayerSource
from heatplan.core.schema import Column
from heatplan.validate.ranges import check_plausible
from heatplan.validate.work import MAX_EXAMPLES, LayerWork, examples

_SHAPEFILE_FIELD_LENGTH = 10
_TRUE = {"1", "true", "yes", "ja", "sand", "y", "j", "t"}
_FALSE = {"0", "false", "no", "nej", "falsk", "n", "f"}
_INTEGRAL_TEXT = re.compile(r"^-?\d+\.0+$")


def match_columns(work: LayerWork, source: LayerSource | None) -> None:
    """Map column names that differ only in case, spaces or Shapefile truncation."""
    data = work.data
    present = [c for c in data.columns if c != getattr(data, "_geometry_column_name", None)]
    renames: dict[str, str] = {}
    for column in work.layer.columns:
        if column.name in present:
            continue
        folded = [c for c in present if str(c).strip().lower() == column.name]
        if not folded and len(column.name) > _SHAPEFILE_FIELD_LENGTH:
            short = column.name[:_SHAPEFILE_FIELD_LENGTH]
            folded = [c for c in present if str(c).strip().lower() == short]
        if len(folded) == 1 and folded[0] not in renames:
            renames[folded[0]] = column.name
    if renames:
        work.data = data.rename(columns=renames)
        pairs = ", ".join(f"'{a}' as {b}" for a, b in renames.items())
        note = (
            " Shapefiles cut field names to 10 characters; GeoPackage keeps them whole."
            if source is not None and source.path.suffix.lower() == ".shp"
            else ""
        )
        work.issue("info", f"Read column {pairs}.{note}")


def check_columns(work: LayerWork) -> None:
    """A fatal error for missing required columns; add every missing column, empty."""
    missing = [c.name for c in work.layer.columns if c.required and c.name not in work.data]
    if missing:
        names = ", ".join(missing)
        have = [str(c) for c in work.data.columns if c != "geometry"]
        work.issue(
            "error",
            f"Required column(s) {names} missing "
            f"(the layer has {', '.join(have) or 'no columns'}).",
            f"Add the column(s) {names} (see docs/input-data.md), or rename the matching columns.",
            column=names,
        )
        work.fatal = f"layer lacks required column(s) {names}"
    for column in work.layer.columns:
        if column.name not in work.data:
            work.data[column.name] = pd.Series(pd.NA, index=work.data.index, dtype=object)


def _as_text(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Return the values as stripped text (``string`` dtype, NA when missing or blank).

    Also returns a mask of values changed on the way: integral floats such as ``7.0``, read as
    ``"7"``.
    """
    repaired = np.zeros(len(series), dtype=bool)
    if pd.api.types.is_float_dtype(series.dtype):
        integral = (series.notna() & (series == np.floor(series))).to_numpy(bool)
        text = series.astype("string")
        text[integral] = series[integral].astype("int64").astype("string")
        return text, integral
    if pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("string"), repaired
    text = series.astype("string").str.strip()
    return text.where(text != ""), repaired


def check_values(work: LayerWork) -> None:
    """Types, required values, codes, minimum, uniqueness and plausible ranges of every column."""
    for column in work.layer.columns:
        if column.name not in work.data:
            continue
        series = work.data[column.name]
        numeric = pd.api.types.is_numeric_dtype(series.dtype) and not (
            pd.api.types.is_bool_dtype(series.dtype))
        typed = (numeric and column.kind in ("int", "float")) or (
            pd.api.types.is_datetime64_any_dtype(series.dtype) and column.kind == "date")
        text, repaired = (None, None) if typed else _as_text(series)
        was_missing = (series if text is None else text).isna().to_numpy(bool)
        if column.kind == "str":
            _check_text(work, column, series, text, repaired)
        elif column.kind in ("int", "float"):
            _check_number(work, column, series, text)
        elif column.kind == "date":
            _check_date(work, column, series, text)
        elif column.kind == "bool":
            _check_bool(work, column, text)
        values = work.data[column.name]
        if column.required:
            missing = was_missing & values.isna().to_numpy()
            if missing.any() and not (work.fatal and missing.all()):
                work.reject(missing, f"missing {column.name}")
                work.issue(
                    "warning", f"Rows without a value in the required column {column.name} were "
                    "rejected.", f"Fill in {column.name} ({column.meaning}).", mask=missing,
                    column=column.name,
                )
        if column.codes:
            _check_codes(work, column)
        if column.minimum is not None:
            _check_minimum(work, column)
        if column.unique:
            check_unique(work, [column.name])
    for column in work.layer.columns:  # once every column is typed (ranges may use others)
        if column.plausible and column.name in work.data and not work.fatal:
            check_plausible(work, column)


def _check_text(
    work: LayerWork, column: Column, series: pd.Series, text: pd.Series, repaired: np.ndarray
) -> None:
    if column.codes:
        # "7.0" (a code stored as a number somewhere along the way) is the code "7"
        odd = (text.notna() & ~text.isin(list(column.codes))).to_numpy(bool)
        if odd.any():
            float_text = np.zeros(len(text), dtype=bool)
            float_text[odd] = text[odd].str.match(_INTEGRAL_TEXT, na=False).to_numpy(bool)
            if float_text.any():
                text = text.where(~float_text, text.str.split(".").str[0])
                repaired = repaired | float_text
    if repaired.any():
        work.repaired |= repaired
        work.issue(
            "warning", f"{column.name} was stored as numbers; values such as '7.0' were read as "
            "the code '7'.", f"Store {column.name} as text so codes keep their exact form "
            "(leading zeros, no decimals).", mask=repaired, column=column.name,
            values=series.astype(str),
        )
    work.data[column.name] = text


def _reject(work: LayerWork, column: Column, bad: np.ndarray, shown: pd.Series,
            reasons: pd.Series, message: str, fix: str) -> None:
    """Reject the ``bad`` rows, each with its reason, and warn once with the fix."""
    work.reject(bad, reasons)
    work.issue("warning", message, fix, mask=bad, column=column.name, values=shown)


def _check_number(
    work: LayerWork, column: Column, series: pd.Series, text: pd.Series | None
) -> None:
    if text is None:
        numbers = series.astype("float64")
        bad = np.zeros(len(series), dtype=bool)
    else:
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = (text.notna() & numbers.isna()).to_numpy()
        if bad.any():
            shown = text.astype(str)
            _reject(work, column, bad, shown, f"{column.name} is not a number: '" + shown + "'",
                    f"Text in the numeric column {column.name}: {examples(shown[bad])}; these "
                    "rows were rejected.", f"Write {column.name} as a plain number"
                    f"{' in ' + column.unit if column.unit else ''}, with a decimal point.")
    if column.kind == "int":
        fraction = (numbers.notna() & (numbers != np.floor(numbers))).to_numpy()
        if fraction.any():
            shown = numbers.astype(str)
            _reject(work, column, fraction, shown,
                    f"{column.name} is not a whole number: " + shown,
                    f"{column.name} must be a whole number; rows with "
                    f"{examples(shown[fraction])} were rejected.", f"Round {column.name}.")
        numbers = numbers.where(~fraction)
        work.data[column.name] = numbers.round().astype("Int64")
    else:
        work.data[column.name] = numbers


def _check_date(
    work: LayerWork, column: Column, series: pd.Series, text: pd.Series | None
) -> None:
    if text is None:
        dates = pd.to_datetime(series)
        if dates.dt.tz is not None:
            dates = dates.dt.tz_localize(None)
        work.data[column.name] = dates.dt.normalize()
        return
    dates = pd.to_datetime(text, format="ISO8601", errors="coerce")
    repaired = np.zeros(len(text), dtype=bool)
    for fmt in ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        todo = text.notna() & dates.isna()
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        found = parsed.notna()
        dates[found[found].index] = parsed[found]
        repaired[np.flatnonzero(todo.to_numpy())[found.to_numpy()]] = True
    if repaired.any():
        work.repaired |= repaired
        work.issue(
            "warning", f"{column.name} was written day first (DD-MM-YYYY); read as such.",
            f"Write {column.name} as an ISO date, YYYY-MM-DD.", mask=repaired,
            column=column.name, values=text.astype(str),
        )
    bad = (text.notna() & dates.isna()).to_numpy()
    if bad.any():
        shown = text.astype(str)
        _reject(work, column, bad, shown, f"{column.name} is not a date: '" + shown + "'",
                f"{column.name} is not a date: {examples(shown[bad])}; these rows were "
                "rejected.", f"Write {column.name} as YYYY-MM-DD.")
    work.data[column.name] = dates.dt.normalize()


def _check_bool(work: LayerWork, column: Column, text: pd.Series) -> None:
    lowered = text.str.lower()
    values = pd.Series(pd.NA, index=text.index, dtype="boolean")
    values[lowered.isin(_TRUE).fillna(False).astype(bool)] = True
    values[lowered.isin(_FALSE).fillna(False).astype(bool)] = False
    bad = (lowered.notna() & values.isna()).to_numpy()
    if bad.any():
        shown = text.astype(str)
        work.reject(bad, f"{column.name} is not true/false: '" + shown + "'")
        work.issue(
            "warning", f"{column.name} must be true or false; rows with "
            f"{examples(shown[bad])} were rejected.", f"Write {column.name} as true or false.",
            mask=bad, column=column.name, values=shown,
        )
    work.data[column.name] = values


def _check_codes(work: LayerWork, column: Column) -> None:
    values = work.data[column.name]
    unknown = (values.notna() & ~values.isin(list(column.codes))).fillna(False).to_numpy(bool)
    if not unknown.any():
        return
    shown = values.astype(str)
    work.reject(unknown, f"unknown {column.name} '" + shown + "'")
    work.issue(
        "warning", f"Unknown {column.name} {examples(shown[unknown])}; these rows were "
        "rejected.", f"Use one of the allowed codes: {_code_list(column)} "
        "(meanings in docs/input-data.md).", mask=unknown, column=column.name, values=shown,
    )


def _code_list(column: Column, head: int = 10) -> str:
    codes = list(column.codes)
    if len(codes) <= head + 2:
        return ", ".join(codes)
    return ", ".join(codes[:head]) + f", … {codes[-1]} ({len(codes)} codes)"


def _check_minimum(work: LayerWork, column: Column) -> None:
    values = work.data[column.name].astype("float64")
    limit = float(column.minimum)  # type: ignore[arg-type]
    low = values <= limit if column.exclusive_minimum else values < limit
    low = low.fillna(False).to_numpy(bool)
    if not low.any():
        return
    sign = ">" if column.exclusive_minimum else "≥"
    limit_text = f"{limit:g}"
    shown = values.map(lambda v: f"{v:g}")
    work.reject(low, f"{column.name} = " + shown + f" (must be {sign} {limit_text})")
    work.issue(
        "warning",
        f"{column.name} must be {sign} {limit_text}{' ' + column.unit if column.unit else ''}"
        f"; rows with {examples(shown[low])} were rejected.",
        f"Correct {column.name} ({column.meaning}).", mask=low, column=column.name, values=shown,
    )


def check_unique(work: LayerWork, columns: list[str]) -> None:
    """Reject every row whose key ``columns`` another row shares (heatplan cannot choose)."""
    key = work.data[columns].astype("string")
    complete = key.notna().all(axis=1)
    dup = (key.duplicated(keep=False) & complete).to_numpy()
    if not dup.any():
        return
    label = "+".join(columns)
    joined = key[columns[0]].fillna("")
    for column in columns[1:]:
        joined = joined + " / " + key[column].fillna("")
    rows = work.raw["source_row"].astype(str)
    together = rows[dup].groupby(joined[dup]).agg(", ".join)
    reason = f"duplicate {label} '" + joined + "' (rows " + joined.map(together) + ")"
    work.reject(dup, reason)
    shown = ", ".join(f"'{k}' (rows {r})" for k, r in together.head(MAX_EXAMPLES).items())
    more = f" and {len(together) - MAX_EXAMPLES} more" if len(together) > MAX_EXAMPLES else ""
    work.issue(
        "warning", f"Duplicate {label}: {shown}{more}; all rows sharing a value were "
        "rejected, since heatplan cannot tell which is right.",
        f"Keep one row per {label}, or give each row its own {label}.", mask=dup,
        column=label, values=joined,
    )
