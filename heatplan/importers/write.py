"""Write an import as a dataset folder: the contract GeoPackage, the rejected buildings, a report.

``OUT/gis_data/<name>.gpkg`` (layers ``properties``, ``districts``, ``streets``,
``heat_sources`` and ``dh_network`` when given), ``OUT/import_rejected.gpkg`` and
``OUT/import_report.json`` with the counts and notes.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd

from heatplan.core.errors import InputDataError
from heatplan.importers.assemble import ImportResult
from heatplan.io.atomic import atomic_path, check_writable
from heatplan.io.geodanmark import has_geometry

logger = logging.getLogger(__name__)


def _check_column_names(frame: pd.DataFrame, layer: str) -> None:
    """GeoPackage field names are case-insensitive: refuse names equal but for case."""
    names = [str(c) for c in frame.columns] + [str(frame.index.name or "")]
    lowered = pd.Series([n.lower() for n in names if n])
    clash = sorted(set(lowered[lowered.duplicated()]))
    if clash:
        msg = f"Layer {layer}: columns {clash} differ only in case; GeoPackage cannot hold both."
        raise InputDataError(msg)


def output_paths(out_dir: Path | str, *, name: str = "imported") -> dict[str, Path]:
    """The files :func:`write_dataset` writes into ``out_dir``."""
    out_dir = Path(out_dir)
    return {
        "dataset": out_dir / "gis_data" / f"{name}.gpkg",
        "rejected": out_dir / "import_rejected.gpkg",
        "report": out_dir / "import_report.json",
    }


def check_outputs(out_dir: Path | str, *, name: str = "imported", overwrite: bool = False) -> None:
    """Raise :class:`OutputExistsError` before any work if an output exists (no ``overwrite``)."""
    for path in output_paths(out_dir, name=name).values():
        check_writable(path, overwrite=overwrite)


def write_dataset(
    result: ImportResult, out_dir: Path | str, *, name: str = "imported", overwrite: bool = False
) -> dict[str, Path]:
    """Write an import as a dataset folder that ``heatplan validate`` and ``plan`` accept.

    Writes ``gis_data/<name>.gpkg`` (contract layers), ``import_rejected.gpkg`` (layer
    ``rejected``) and ``import_report.json`` (counts and notes), each atomically.

    Raises
    ------
    OutputExistsError
        If a file exists and ``overwrite`` is false.
    """
    paths = output_paths(out_dir, name=name)
    check_outputs(out_dir, name=name, overwrite=overwrite)
    layers: dict[str, gpd.GeoDataFrame] = {
        "properties": result.properties,
        "districts": result.districts,
        "streets": result.streets,
        "heat_sources": result.heat_sources,
    }
    if result.dh_network is not None and len(result.dh_network):
        layers["dh_network"] = result.dh_network
    with atomic_path(paths["dataset"], overwrite=overwrite) as tmp:
        for layer, frame in layers.items():
            _check_column_names(frame, layer)
            frame.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")
    rejected = result.rejected.copy()
    rejected.index.name = "bbr_id"
    rejected = rejected.set_geometry(rejected.geometry.where(has_geometry(rejected.geometry)))
    with atomic_path(paths["rejected"], overwrite=overwrite) as tmp:
        _check_column_names(rejected, "rejected")
        rejected.to_file(tmp, layer="rejected", driver="GPKG", engine="pyogrio")
    report = {"counts": result.counts, "notes": result.notes,
              "files": {k: str(v) for k, v in paths.items()}}
    with atomic_path(paths["report"], overwrite=overwrite) as tmp:
        tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                       encoding="utf-8")
    logger.info("Wrote %s, %s and %s", *paths.values())
    return paths
