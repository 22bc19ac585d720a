"""Check a dataset against the input data contract; keep every row, valid or rejected.

:func:`validate_dataset` takes the unvalidated :class:`~heatplan.core.dataset.Dataset` of
:func:`heatplan.io.layers.read_dataset` and returns a
:class:`~heatplan.validate.result.ValidationResult`: the valid rows as a validated
:class:`~heatplan.core.dataset.Dataset` (in EPSG:25832, codes as strings, indexed by stable
ids, ``properties.district_id`` filled), every rejected row with its ``reason``, and the issues
found, collected (never stopping at the first). For every layer, rows read = valid + rejected.

Errors (``severity == "error"``) stop planning: a missing required file, layer or column, a
layer without CRS, an empty required layer, no valid properties. Rejected rows alone are
warnings: planning goes on without them.

Modules: :mod:`~heatplan.validate.work` (one layer's working state),
:mod:`~heatplan.validate.columns` (columns and values), :mod:`~heatplan.validate.geometry`
(CRS and geometries), :mod:`~heatplan.validate.relations` (checks across layers),
:mod:`~heatplan.validate.result` (the result and its text report) and
:mod:`~heatplan.validate.contract` (``docs/input-data.md``'s tables, from
:mod:`heatplan.core.schema`).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from heatplan.core.dataset import Dataset, LayerSource
from heatplan.core.scenario import Scenario
from heatplan.core.schema import GIS_LAYERS, LABEL_TABLES, Layer
from heatplan.io.layers import read_dataset
from heatplan.validate.columns import check_columns, check_unique, check_values, match_columns
from heatplan.validate.geometry import check_crs, check_geometry, check_place
from heatplan.validate.relations import (
    check_districts,
    check_label_dates,
    check_municipality,
    check_reference,
    check_work_years,
)
from heatplan.validate.result import ValidationResult, build_result
from heatplan.validate.work import LayerWork, empty_work, start_work, valid_mask

__all__ = ["ValidationResult", "load_dataset", "validate_dataset"]

LAYERS: dict[str, Layer] = {layer.name: layer for layer in GIS_LAYERS + LABEL_TABLES}


def validate_dataset(raw: Dataset, *, scenario: Scenario) -> ValidationResult:
    """Check every layer against the contract and return valid rows, rejected rows and issues.

    Parameters
    ----------
    raw
        The tables as read by :func:`heatplan.io.layers.read_dataset` (unvalidated).
    scenario
        Supplies ``labels.validity_years`` and ``labels.reference_date``.

    Returns
    -------
    ValidationResult
        Never raises for bad data: every problem is an issue, every bad row is in ``rejected``.
    """
    works = {name: _check_layer(layer, raw) for name, layer in LAYERS.items()}
    check_districts(works["properties"], works["districts"])
    check_municipality(works["properties"], scenario)
    check_label_dates(works["labels"], scenario)
    check_reference(works["labels"], works["properties"], "property_id", "property_id",
                    "property")
    check_reference(works["proposals"], works["labels"], "label_id", "label_id", "label")
    check_reference(works["metered"], works["properties"], "property_id", "property_id",
                    "property")
    check_work_years(works["planned_works"])
    for name, work in works.items():
        layer = work.layer
        if (work.present and layer.required and len(work.data) and not work.fatal
                and not valid_mask(work).any()):
            work.issue(
                "error", f"No valid rows in '{name}': every row was rejected.",
                "Correct the rejected rows (see the reasons listed above and the rejected file).",
            )
    return build_result(raw, works)


def _check_layer(layer: Layer, raw: Dataset) -> LayerWork:
    """Check one layer on its own: columns, CRS and geometry, values, emptiness."""
    name = layer.name
    file = raw.sources.get(name, "")
    table = raw.tables[name]
    if table is None:
        return empty_work(layer, file, present=False)
    work = start_work(layer, table, file)
    source: LayerSource | None = raw.layer_sources.get(name)
    match_columns(work, source)
    check_columns(work)
    if layer.geometry:
        if not isinstance(work.data, gpd.GeoDataFrame):
            work.data = gpd.GeoDataFrame(work.data)
        check_crs(work)
        if work.data.crs is not None and len(work.data) and not work.fatal:
            check_geometry(work)
            check_place(work)
    check_values(work)
    if name == "proposals":
        check_unique(work, ["label_id", "proposal_id"])
    if layer.required and len(work.data) == 0:
        work.issue("error", f"The layer '{name}' is empty.", f"Add the {layer.meaning} to it.")
    return work


def load_dataset(
    data_dir: Path | str | None = None,
    *,
    layer_paths: dict[str, str | Path | LayerSource] | None = None,
    scenario: Scenario,
    strict: bool = True,
    gpkg: str | None = None,
    engine: str = "pyogrio",
) -> ValidationResult:
    """Read and validate a dataset folder (the bundled sample when ``data_dir`` is ``None``).

    ``scenario`` is passed to :func:`validate_dataset`; ``gpkg`` and ``engine`` to
    :func:`heatplan.io.layers.read_dataset`.

    Raises
    ------
    InputDataError
        With ``strict``, when an error stops planning; the message lists every error and the
        exception's ``issues`` holds every issue.
    """
    raw = read_dataset(data_dir, layer_paths=layer_paths, gpkg=gpkg, engine=engine)
    result = validate_dataset(raw, scenario=scenario)
    if strict:
        result.raise_if_errors()
    return result
