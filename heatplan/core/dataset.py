"""The containers that carry a municipality's data between the stages.

:class:`Dataset` holds the input layers and tables, first as read (``is_validated`` false, from
:func:`heatplan.io.layers.read_dataset`), then checked against the contract
(``is_validated`` true, from :func:`heatplan.validate.validate_dataset`). :class:`LayerSource`
says where a layer was read from, :class:`Issue` is one problem met while reading or
validating, and :func:`issues_table` lists issues as a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from heatplan.core.scenario import Scenario
from heatplan.core.schema import GIS_LAYERS, LABEL_TABLES

LAYER_NAMES: tuple[str, ...] = tuple(layer.name for layer in GIS_LAYERS + LABEL_TABLES)
"""The layers and tables of a dataset, in contract order (each a field of :class:`Dataset`)."""

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Issue:
    """One problem (or note) found while reading or validating a dataset.

    ``severity`` is ``"error"`` (planning cannot go on), ``"warning"`` (rows rejected or
    repaired; planning goes on without them) or ``"info"`` (a change the user should know of,
    such as a reprojection). ``row_ids`` holds every affected id (or source row number when the
    layer has no id column); ``values`` the offending values, distinct, in order of appearance.
    """

    severity: Severity
    layer: str
    message: str
    fix: str = ""
    file: str = ""
    column: str = ""
    row_ids: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    count: int = 0
    """Rows affected (0 for layer-level problems)."""

    def __str__(self) -> str:
        if not self.file:
            where = f"layer {self.layer}"
        elif self.file.endswith(f", layer {self.layer}"):
            where = self.file
        elif ", layer " in self.file:
            where = f"{self.file} (used as {self.layer})"
        else:
            where = f"{self.file}, layer {self.layer}"
        if self.column:
            where += f", column {self.column}"
        text = f"{self.severity.upper()}: {where}: {self.message}"
        if self.count:
            text += f" ({self.rows_text()})"
        return f"{text} Fix: {self.fix}" if self.fix else text

    def rows_text(self, examples: int = 3) -> str:
        """``"41 rows: P1, P7, P9, …"``: the count and a few distinct example ids."""
        distinct = list(dict.fromkeys(self.row_ids))
        shown = ", ".join(distinct[:examples]) + (", …" if len(distinct) > examples else "")
        return f"{self.count:,} row{'' if self.count == 1 else 's'}: {shown}"


def issues_table(issues: list[Issue]) -> pd.DataFrame:
    """Return the issues as a table (one row per issue; row ids joined by ``, ``)."""
    return pd.DataFrame(
        {
            "severity": [i.severity for i in issues],
            "layer": [i.layer for i in issues],
            "file": [i.file for i in issues],
            "column": [i.column for i in issues],
            "rows": [i.count for i in issues],
            "message": [i.message for i in issues],
            "fix": [i.fix for i in issues],
            "row_ids": [", ".join(i.row_ids) for i in issues],
        },
        columns=["severity", "layer", "file", "column", "rows", "message", "fix", "row_ids"],
    )


@dataclass(frozen=True)
class LayerSource:
    """Where one layer comes from: a file and, for multi-layer files, a layer name."""

    path: Path
    layer: str | None = None

    def __str__(self) -> str:
        return f"{self.path}, layer {self.layer}" if self.layer else str(self.path)


@dataclass(frozen=True)
class Dataset:
    """All input layers and tables of one municipality, as read or validated.

    As read (``is_validated`` false) each table is as its file stored it (GIS tables in the
    CRS of their file), or ``None`` when the layer was not found or could not be read
    (``read_issues`` then says why). Validated (``is_validated`` true) every table is present
    (empty where a layer is missing), in EPSG:25832, indexed by its stable id where it has one
    (``property_id``, ``district_id``, ``source_id``, ``label_id``), codes are strings, every
    row satisfies the input data contract (``docs/input-data.md``) and
    ``properties.district_id`` is filled.
    """

    properties: gpd.GeoDataFrame | None
    districts: gpd.GeoDataFrame | None
    streets: gpd.GeoDataFrame | None
    dh_network: gpd.GeoDataFrame | None
    heat_sources: gpd.GeoDataFrame | None
    labels: pd.DataFrame | None
    proposals: pd.DataFrame | None
    planned_works: gpd.GeoDataFrame | None = None
    """Other works in the streets (optional layer; validated: empty when not given)."""
    metered: pd.DataFrame | None = None
    """Metered heat per property (optional table; validated: indexed by ``property_id``)."""
    is_synthetic: bool = False
    """True for heatplan's generated sample; every map then says so."""
    sources: dict[str, str] = field(default_factory=dict)
    """Where each layer was read from (``"gis_data/sample.gpkg, layer properties"``)."""
    is_validated: bool = False
    """True once :func:`heatplan.validate.validate_dataset` has checked every table."""
    data_dir: Path | None = None
    """The dataset folder read (``None`` when every layer was given by its own path)."""
    layer_sources: dict[str, LayerSource] = field(default_factory=dict)
    """The file (and layer) each layer found was read from."""
    read_issues: list[Issue] = field(default_factory=list)
    """Problems met while reading: missing or unreadable files, CSVs in another dialect."""
    csv_formats: dict[str, dict[str, str]] = field(default_factory=dict)
    """Encoding, separator and decimal mark detected for each CSV table."""

    @property
    def tables(self) -> dict[str, pd.DataFrame | None]:
        """Every layer and table by name, in contract order."""
        return {name: getattr(self, name) for name in LAYER_NAMES}


def municipality_code(properties: pd.DataFrame, scenario: Scenario) -> str:
    """The planned municipality's kommunekode (``"0151"``).

    The data's own ``kommunekode`` when all properties share one, else the scenario's
    ``general.municipality_code``. The one place that decides it: the plan carries the result.
    """
    codes = data_municipality_codes(properties)
    if len(codes) == 1:
        return codes[0]
    return str(scenario.value("general.municipality_code"))


def data_municipality_codes(properties: pd.DataFrame) -> list[str]:
    """The distinct four-digit ``kommunekode`` values of the properties, sorted (none: ``[]``)."""
    if "kommunekode" not in properties.columns:
        return []
    codes = properties["kommunekode"].dropna().astype(str).str.strip()
    codes = codes[codes != ""].str.removesuffix(".0").str.zfill(4)
    return sorted(codes.unique())
