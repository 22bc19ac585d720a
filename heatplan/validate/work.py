"""The working state of one layer while it is validated, and helpers for its messages.

A :class:`LayerWork` keeps the rows as read (``raw``, with ``source_row``), the rows being
cleaned (``data``), a reason per rejected row and the issues found. The checks in
:mod:`~heatplan.validate.columns`, :mod:`~heatplan.validate.geometry` and
:mod:`~heatplan.validate.relations` change it; :mod:`~heatplan.validate.result` turns it into
valid and rejected tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from heatplan import PROJECT_CRS
from heatplan.core.dataset import Issue
from heatplan.core.schema import Layer

MAX_EXAMPLES = 3
"""How many distinct example values a message names."""


@dataclass
class LayerWork:
    """One layer being validated: rows as read, rows being cleaned, reasons and issues.

    ``reasons`` is ``""`` for a row not (yet) rejected; ``fatal`` names a layer-level error
    that rejects every row; ``present`` is false for a layer that was not read.
    """

    layer: Layer
    raw: pd.DataFrame
    data: pd.DataFrame
    file: str
    reasons: pd.Series
    repaired: pd.Series
    issues: list[Issue]
    fatal: str = ""
    present: bool = True
    is_gis: bool = False

    @property
    def ids(self) -> pd.Series:
        """Id of each row for messages: the id column, else ``row N``."""
        rows = "row " + self.raw["source_row"].astype(str)
        id_col = self.layer.id_column
        if self.layer.name == "proposals" and {"label_id", "proposal_id"} <= set(self.data):
            key = self.data["label_id"].astype("string") + "/" + self.data["proposal_id"].astype(
                "string")
            return key.where(key.notna(), rows).astype(str)
        if id_col and id_col in self.data:
            ids = self.data[id_col].astype("string")
            return ids.where(ids.notna() & (ids != ""), rows).astype(str)
        return rows

    def reject(self, mask: pd.Series | np.ndarray, reason: pd.Series | str) -> None:
        """Reject the rows of ``mask``, adding ``reason`` to any reason they already have."""
        mask = pd.Series(np.asarray(mask, dtype=bool), index=self.data.index)
        if not mask.any():
            return
        reason = reason if isinstance(reason, pd.Series) else pd.Series(reason, self.data.index)
        sep = np.where(self.reasons == "", "", "; ")
        joined = self.reasons + sep + reason.astype(str)
        self.reasons = self.reasons.where(~mask, joined)

    def issue(
        self,
        severity: str,
        message: str,
        fix: str = "",
        *,
        mask: pd.Series | np.ndarray | None = None,
        column: str = "",
        values: pd.Series | None = None,
    ) -> None:
        """Record an issue of this layer, about the rows of ``mask`` if given."""
        row_ids: tuple[str, ...] = ()
        count = 0
        distinct: tuple[str, ...] = ()
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
            count = int(mask.sum())
            row_ids = tuple(self.ids[mask])
            if values is not None:
                distinct = tuple(pd.unique(values[mask].astype(str)))
        self.issues.append(
            Issue(severity, self.layer.name, message, fix, self.file, column, row_ids, distinct,
                  count)  # type: ignore[arg-type]
        )


def empty_work(layer: Layer, file: str, *, present: bool) -> LayerWork:
    """The work of a layer without rows (not read, or read empty): every contract column."""
    columns = [c.name for c in layer.columns]
    raw = pd.DataFrame({"source_row": pd.Series([], dtype="int64")})
    data = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    if layer.geometry:
        data = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=PROJECT_CRS))
    return LayerWork(layer, raw, data, file, pd.Series([], dtype=object),
                     pd.Series([], dtype=bool), [], present=present, is_gis=bool(layer.geometry))


def start_work(layer: Layer, table: pd.DataFrame, file: str) -> LayerWork:
    """The work of a layer read as ``table``: rows numbered from 1, none rejected yet."""
    raw = table.reset_index(drop=True).copy()  # never mutate the caller's table
    raw["source_row"] = np.arange(1, len(raw) + 1)
    data = raw.drop(columns="source_row")
    index = data.index
    return LayerWork(layer, raw, data, file, pd.Series("", index=index, dtype=object),
                     pd.Series(False, index=index), [], is_gis=bool(layer.geometry))


def valid_mask(work: LayerWork) -> pd.Series:
    """True for the rows not rejected (none when the layer has a fatal error)."""
    if work.fatal:
        return pd.Series(False, index=work.data.index)
    return work.reasons == ""


def plural(count: int, noun: str, plural_noun: str = "") -> str:
    """``"1 label"``, ``"1,204 labels"``; ``plural_noun`` for irregular plurals."""
    return f"{count:,} {noun if count == 1 else (plural_noun or noun + 's')}"


def examples(values: pd.Series) -> str:
    """The first distinct values, quoted (``"'7', '9' and 2 more"``)."""
    distinct = list(pd.unique(values.astype(str)))
    shown = ", ".join(f"'{v}'" for v in distinct[:MAX_EXAMPLES])
    return shown + (f" and {len(distinct) - MAX_EXAMPLES} more" if len(distinct) > MAX_EXAMPLES
                    else "")
