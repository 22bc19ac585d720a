"""The GIS reading engines: pyogrio (the default) and fiona (an optional extra).

Both read through GDAL and give the same tables for GeoPackage, Shapefile (with its ``.cpg``
code page), GeoJSON and FlatGeobuf; fiona is there for installations where pyogrio's wheels do
not fit, and as a second opinion on a file one engine reads oddly. Install it with
``pip install "heatplan[fiona]"``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import geopandas as gpd
import pandas as pd
import pyogrio

from heatplan.core.errors import InputDataError

Engine = Literal["pyogrio", "fiona"]
IO_ENGINES: tuple[str, ...] = ("pyogrio", "fiona")
DEFAULT_ENGINE: Engine = "pyogrio"


def engine_module(engine: str) -> ModuleType:
    """The engine's module; :class:`InputDataError` for an unknown or missing engine."""
    if engine not in IO_ENGINES:
        msg = f"Unknown I/O engine {engine!r}; use one of {', '.join(IO_ENGINES)}."
        raise InputDataError(msg)
    try:
        return importlib.import_module(engine)
    except ImportError as err:
        msg = (f"The I/O engine {engine} is not installed ({err}). Install it with "
               f"pip install \"heatplan[{engine}]\", or use --io-engine pyogrio.")
        raise InputDataError(msg) from err


def read_errors(engine: str) -> tuple[type[BaseException], ...]:
    """The exceptions an engine raises for a file it cannot open or read."""
    if engine == "fiona":
        fiona = engine_module("fiona")
        return (fiona.errors.FionaError, fiona.errors.DriverIOError, OSError)
    return (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError)


def list_layers(path: Path, engine: str = DEFAULT_ENGINE) -> list[str]:
    """The layer names of the GIS file ``path`` (raises the engine's own errors)."""
    module = engine_module(engine)
    if engine == "fiona":
        return [str(name) for name in module.listlayers(path)]
    return [str(name) for name in module.list_layers(path)[:, 0]]


def read_frame(
    path: Path, *, layer: str | None = None, engine: str = DEFAULT_ENGINE,
    read_geometry: bool = True,
) -> pd.DataFrame:
    """Read one layer with ``engine`` (a GeoDataFrame, or a DataFrame without geometry)."""
    engine_module(engine)
    options: dict[str, Any] = {"layer": layer, "engine": engine}
    if not read_geometry and engine == "fiona":
        options["ignore_geometry"] = True
    elif not read_geometry:
        options["read_geometry"] = False
    return gpd.read_file(path, **options)
