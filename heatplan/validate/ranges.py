"""Plausible ranges of number and date columns, as the contract declares them.

Each :class:`~heatplan.core.schema.Plausible` of a column is checked on the rows not yet
rejected: outside a ``"reject"`` range a row is rejected with its value and the range as
reason; outside a ``"warn"`` range it is kept and a warning names it. Bounds of
:data:`~heatplan.core.schema.CURRENT_YEAR` and :data:`~heatplan.core.schema.TODAY` are judged
on the day of validation.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from heatplan.core.schema import CURRENT_YEAR, TODAY, Column, Plausible
from heatplan.validate.work import LayerWork, examples


def check_plausible(work: LayerWork, column: Column, *, today: dt.date | None = None) -> None:
    """Check every plausible range of ``column``; ``today`` defaults to the system date."""
    for rule in column.plausible:
        _check_rule(work, column, rule, today or dt.date.today())


def bound(value: float | str | None, today: dt.date) -> float | pd.Timestamp | None:
    """A bound as a number or timestamp: :data:`CURRENT_YEAR` and :data:`TODAY` resolved."""
    if value == CURRENT_YEAR:
        return float(today.year)
    if value == TODAY:
        return pd.Timestamp(today)
    return value  # type: ignore[return-value]


def _text(value: float | pd.Timestamp | None) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return f"{round(float(value), 1):.10g}"  # type: ignore[arg-type]


def _bound_text(value: float | str, unit: str, today: dt.date | None) -> str:
    """A bound for a message: ``"1000 m²"``, ``"the current year, 2026"``, ``"today"``."""
    if value in (CURRENT_YEAR, TODAY):
        if today is None:
            return str(value)
        return f"{value}, {_text(bound(value, today))}"
    return f"{_text(value)}{unit}"  # type: ignore[arg-type]


def range_text(rule: Plausible, unit: str, today: dt.date | None = None) -> str:
    """``"from 25 to 1000 m²"``, ``"at most the current year, 2026"``.

    Without ``today`` the named bounds stay words (``"at most the current year"``).
    """
    unit = f" {rule.unit or unit}".rstrip()
    if rule.low is not None and rule.high is not None:
        return f"from {_text(rule.low)} to {_bound_text(rule.high, unit, today)}"  # type: ignore[arg-type]
    if rule.high is not None:
        return f"at most {_bound_text(rule.high, unit, today)}"
    return f"at least {_bound_text(rule.low, unit, today)}"  # type: ignore[arg-type]


def _values(work: LayerWork, column: Column, rule: Plausible) -> pd.Series | None:
    data = work.data
    if column.kind == "date":
        return pd.to_datetime(data[column.name], errors="coerce")
    values = pd.to_numeric(data[column.name], errors="coerce").astype("float64")
    if rule.per:
        if rule.per not in data:
            return None
        per = pd.to_numeric(data[rule.per], errors="coerce").astype("float64")
        values = values / per.where(per > 0)
    return values


def _check_rule(work: LayerWork, column: Column, rule: Plausible, today: dt.date) -> None:
    values = _values(work, column, rule)
    if values is None:
        return
    candidates = ((work.reasons == "") & values.notna()).to_numpy(bool).copy()
    if rule.codes:
        codes = work.data[rule.of].astype("string")
        candidates &= codes.isin(sorted(rule.codes)).fillna(False).to_numpy(bool)
    low, high = bound(rule.low, today), bound(rule.high, today)
    outside = np.zeros(len(values), dtype=bool)
    if low is not None:
        outside |= (values < low).fillna(False).to_numpy(bool)
    if high is not None:
        outside |= (values > high).fillna(False).to_numpy(bool)
    outside &= candidates
    if not outside.any():
        return
    shown = values.map(lambda v: "" if pd.isna(v) else _text(v))
    subject = column.name + (f" per {rule.per} ({rule.what})" if rule.per else "")
    of_what = f" of {rule.what}" if rule.what and not rule.per else ""
    limits = range_text(rule, column.unit, today)
    if rule.rule == "reject":
        work.reject(outside, subject + " = " + shown + f" (must be {limits})")
        work.issue(
            "warning", f"{subject}{of_what} must be {limits}; rows with "
            f"{examples(shown[outside])} were rejected ({rule.source}).",
            f"Correct {column.name} ({column.meaning}).", mask=outside, column=column.name,
            values=shown,
        )
    else:
        work.issue(
            "warning", f"{subject}{of_what} is usually {limits}; rows with "
            f"{examples(shown[outside])} lie outside and were kept ({rule.source}).",
            f"Check {column.name} in these rows and correct it if it is a typing or unit "
            "error.", mask=outside, column=column.name, values=shown,
        )
