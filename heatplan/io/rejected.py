"""Write the rows validation rejected, and its issues, to a GeoPackage a planner opens in QGIS."""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd

from heatplan.core.dataset import Issue, issues_table
from heatplan.io.atomic import atomic_path

logger = logging.getLogger(__name__)


def write_rejected(
    rejected: dict[str, pd.DataFrame],
    issues: list[Issue],
    path: Path | str,
    *,
    overwrite: bool = True,
) -> Path:
    """Write the rejected rows and the issues to a GeoPackage, atomically.

    ``rejected`` and ``issues`` are those of a
    :class:`~heatplan.validate.result.ValidationResult`. Each layer with rejected rows becomes
    a layer ``rejected_<layer>`` (label tables without geometry); the issues become a table
    ``issues``. Values are written as read, as text where a column mixes types, so QGIS shows
    exactly what was wrong.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    with atomic_path(path, overwrite=overwrite) as tmp:
        for name, table in rejected.items():
            out = table.copy()  # never mutate the result
            for column in out.columns:
                if column != getattr(out, "_geometry_column_name", None) and \
                        out[column].dtype == object:
                    out[column] = out[column].map(lambda v: None if _isna(v) else str(v))
            if isinstance(out, gpd.GeoDataFrame):
                out.to_file(tmp, layer=f"rejected_{name}", driver="GPKG", engine="pyogrio")
            else:
                gpd.GeoDataFrame(out).to_file(tmp, layer=f"rejected_{name}", driver="GPKG",
                                              engine="pyogrio")
        table = issues_table(issues)
        if not len(table):
            table = issues_table([Issue("info", "", "No problems found.")])
        pd.DataFrame(table).pipe(gpd.GeoDataFrame).to_file(
            tmp, layer="issues", driver="GPKG", engine="pyogrio"
        )
    logger.info("Wrote rejected rows to %s", path)
    return path


def _isna(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
