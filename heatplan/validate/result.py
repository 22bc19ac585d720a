"""The outcome of validation: valid tables, rejected rows, issues, counts, and its report.

:func:`build_result` turns the checked layers into a :class:`ValidationResult`: the valid rows
typed and indexed by id as a validated :class:`~heatplan.core.dataset.Dataset`, every
rejected row with its reason, and a count table. :func:`format_report` writes it as text for a
planner.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from heatplan import PROJECT_CRS
from heatplan.core.dataset import Dataset, Issue
from heatplan.core.errors import InputDataError
from heatplan.core.schema import Column
from heatplan.validate.work import LayerWork, valid_mask

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating a dataset.

    Attributes
    ----------
    dataset
        The valid rows, ready for planning (empty tables where a layer is missing).
    rejected
        Per layer, every rejected input row as read, with ``reason``, ``source_row`` (1-based
        data row in its file; a CSV's line number is ``source_row + 1``), ``file`` and
        ``layer``. Layers without rejected rows are absent.
    issues
        Every problem found, grouped by check, with the rows it concerns and the fix.
    counts
        One row per layer: ``read``, ``valid``, ``repaired`` (valid rows that were repaired)
        and ``rejected``; ``read == valid + rejected``.
    sources
        Per layer, where it was read from (``""`` when it was not found).
    """

    dataset: Dataset
    rejected: dict[str, pd.DataFrame]
    issues: list[Issue]
    counts: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        """True when an error stops planning (rejected rows alone do not)."""
        return any(issue.severity == "error" for issue in self.issues)

    @property
    def errors(self) -> list[Issue]:
        """The issues that stop planning."""
        return [issue for issue in self.issues if issue.severity == "error"]

    def raise_if_errors(self) -> None:
        """Raise :class:`InputDataError` listing every error, if there is one."""
        if self.has_errors:
            lines = [str(issue) for issue in self.errors]
            msg = f"The input data has {len(lines)} error(s) that stop planning:\n" + "\n".join(
                f"  - {line}" for line in lines
            )
            raise InputDataError(msg, self.issues)

    def report(self) -> str:
        """Return a plain-text report for a planner: counts per layer, then the issues."""
        return format_report(self)


def build_result(raw: Dataset, works: dict[str, LayerWork]) -> ValidationResult:
    """Split every checked layer into valid and rejected rows and count them.

    The read issues of ``raw`` come first among the issues, then those of each layer.
    """
    issues = list(raw.read_issues) + [issue for work in works.values() for issue in work.issues]
    tables: dict[str, pd.DataFrame] = {}
    rejected: dict[str, pd.DataFrame] = {}
    counts = []
    for name, work in works.items():
        valid = valid_mask(work)
        tables[name] = _finish(work, valid.to_numpy())
        bad = ~valid.to_numpy()
        if bad.any():
            rejected[name] = _rejected_rows(work, bad)
        counts.append({
            "layer": name, "read": len(work.data), "valid": int(valid.sum()),
            "repaired": int((work.repaired & valid).sum()), "rejected": int(bad.sum()),
        })
    count_table = pd.DataFrame(counts).set_index("layer")
    dataset = dataclasses.replace(raw, **tables, is_validated=True)
    sources = {name: work.file for name, work in works.items()}
    result = ValidationResult(dataset, rejected, issues, count_table, sources)
    logger.info(
        "Validated: %s", ", ".join(
            f"{n} {r.valid:,}/{r.read:,} valid" for n, r in count_table.iterrows() if r.read
        )
    )
    return result


def _finish(work: LayerWork, valid: np.ndarray) -> pd.DataFrame:
    """The valid rows: contract columns first (typed), other columns after, indexed by id."""
    layer = work.layer
    data = work.data[valid] if len(work.data) else work.data
    contract = [c.name for c in layer.columns]
    extra = [c for c in data.columns if c not in contract and c != "geometry"
             and c != getattr(data, "_geometry_column_name", "geometry")]
    columns = contract + extra + (["geometry"] if layer.geometry else [])
    if layer.geometry:
        geometry = data.geometry.rename("geometry")
        data = data.drop(columns=data.geometry.name)
        data["geometry"] = geometry
        table: pd.DataFrame = gpd.GeoDataFrame(data[columns], geometry="geometry",
                                               crs=PROJECT_CRS)
    else:
        table = pd.DataFrame(data[columns])
    for column in layer.columns:
        table[column.name] = _typed(table[column.name], column)
    if layer.id_column:
        table = table.set_index(layer.id_column)
    else:
        table.index = pd.Index(work.raw["source_row"].to_numpy()[valid] if len(work.raw)
                               else [], name="source_row", dtype="int64")
    return table


def _typed(series: pd.Series, column: Column) -> pd.Series:
    dtype = {"str": "string", "int": "Int64", "float": "float64", "date": "datetime64[ns]",
             "bool": "boolean"}[column.kind]
    if str(series.dtype) == dtype:
        return series
    if column.kind == "date":
        return pd.to_datetime(series).astype(dtype)
    return series.astype(dtype)


def _rejected_rows(work: LayerWork, bad: np.ndarray) -> pd.DataFrame:
    raw = work.raw[bad]
    reasons = work.reasons[bad]
    if work.fatal:
        reasons = reasons.where(reasons == "", "; " + reasons)
        reasons = work.fatal + reasons
    front = pd.DataFrame(
        {"layer": work.layer.name, "file": work.file, "source_row": raw["source_row"],
         "reason": reasons},
        index=raw.index,
    )
    rest = raw.drop(columns="source_row")
    rest = rest.rename(columns={c: f"input_{c}" for c in rest.columns if c in front.columns})
    table = pd.concat([front, pd.DataFrame(rest)], axis=1)
    if isinstance(raw, gpd.GeoDataFrame):
        table = gpd.GeoDataFrame(table, geometry=raw.geometry.name, crs=raw.crs)
    return table


def format_report(result: ValidationResult, *, max_issues: int = 40) -> str:
    """Return the validation report as text: a count table, then issues by severity."""
    counts = result.counts
    width = max(len(n) for n in counts.index)
    lines = [
        f"{'layer':<{width}}  {'read':>7}  {'valid':>7}  {'repaired':>8}  {'rejected':>8}  source",
    ]
    for name, row in counts.iterrows():
        source = result.sources.get(str(name)) or "(not found)"
        lines.append(
            f"{name!s:<{width}}  {row.read:>7,}  {row.valid:>7,}  {row.repaired:>8,}  "
            f"{row.rejected:>8,}  {source}"
        )
    order = {"error": 0, "warning": 1, "info": 2}
    issues = sorted(result.issues, key=lambda i: order[i.severity])
    if issues:
        lines.append("")
    for issue in issues[:max_issues]:
        head = f"{issue.severity.upper():<7} {issue.layer}"
        if issue.column:
            head += f".{issue.column}"
        lines.append(f"{head}: {issue.message}")
        if issue.count:
            lines.append(f"        {issue.rows_text()}")
        if issue.fix:
            lines.append(f"        Fix: {issue.fix}")
    if len(issues) > max_issues:
        lines.append(f"… and {len(issues) - max_issues} more issues (see the rejected file).")
    return "\n".join(lines)
