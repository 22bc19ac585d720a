"""Counts for the import report (``import_report.json``)."""

from __future__ import annotations

import pandas as pd


def code_counts(values: pd.Series) -> dict[str, int]:
    """How often each value occurs, keyed by value in sorted order (missing values left out).

    Examples
    --------
    >>> code_counts(pd.Series(["2", "1", "2", None]))
    {'1': 1, '2': 2}
    """
    return {k: int(v) for k, v in values.value_counts().sort_index().items()}
