"""Read a dataset folder: the GIS layers and the label tables, as they are, with their origin.

A dataset is a folder laid out like the bundled sample::

    DATA/
      gis_data/        one GeoPackage with named layers (properties, districts, streets,
                       dh_network, heat_sources and the optional planned_works), or one file
                       per layer named after it (properties.shp, districts.geojson, ...)
      energy_labels/   labels.csv, proposals.csv

Explicit per-layer paths (``{"properties": "other.gpkg:buildings"}``) override any part. With
more than one dataset GeoPackage in ``gis_data/``, ``gpkg`` must name the one to read. Files are
read with pyogrio or, with ``engine="fiona"``, with fiona (:mod:`heatplan.io.engines`).
Nothing is cleaned or decided here: :func:`read_dataset` returns the tables as read, an
unvalidated :class:`~heatplan.core.dataset.Dataset`, with the problems met while reading (a
missing file, a CSV in Latin-1); :mod:`heatplan.validate` checks them against the contract in
:mod:`heatplan.core.schema`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd

from heatplan.core.dataset import LAYER_NAMES, Dataset, Issue, LayerSource
from heatplan.core.errors import InputDataError
from heatplan.core.schema import GIS_LAYERS, LABEL_TABLES, Layer
from heatplan.io.engines import DEFAULT_ENGINE, engine_module, list_layers, read_errors, read_frame
from heatplan.io.labels import read_label_csv
from heatplan.io.synthetic import is_synthetic

logger = logging.getLogger(__name__)

GIS_DIR = "gis_data"
LABELS_DIR = "energy_labels"
GIS_SUFFIXES: tuple[str, ...] = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".gml", ".sqlite")
"""File endings tried, in this order, for a per-layer file ``gis_data/<layer><suffix>``."""

def default_data_dir() -> Path:
    """Return the bundled sample: the folder holding ``gis_data/`` beside the package source.

    Works for a source checkout and an editable install (``pip install -e .``).

    Raises
    ------
    InputDataError
        If no such folder exists (for example, after a regular ``pip install``).
    """
    import heatplan

    package_dir = Path(heatplan.__file__).resolve().parent
    for candidate in (package_dir.parent, package_dir.parent.parent):
        if (candidate / GIS_DIR).is_dir() and (candidate / LABELS_DIR).is_dir():
            return candidate
    msg = (
        f"No data folder was given and the bundled sample was not found beside the heatplan "
        f"package (looked for {GIS_DIR}/ and {LABELS_DIR}/ in {package_dir.parent}). "
        f"Give a data folder (heatplan validate DATA_DIR), or install heatplan from a source "
        f"checkout with 'pip install -e .' to use the sample."
    )
    raise InputDataError(msg)


def sample_layers(
    layer_paths: dict[str, str | Path | LayerSource] | None, *, gpkg: str | None = None,
    engine: str = DEFAULT_ENGINE,
) -> list[str]:
    """The layers :func:`read_dataset` would take from the bundled sample without a data folder.

    Empty when ``layer_paths`` names every required layer (nothing then comes from the sample)
    or the sample cannot be found (reading then says so); else every layer of the sample that
    ``layer_paths`` does not name, in contract order.
    """
    given = set(layer_paths or {})
    required = {layer.name for layer in GIS_LAYERS + LABEL_TABLES if layer.required}
    if required <= given:
        return []
    try:
        sources, _ = find_sources(default_data_dir(), layer_paths, gpkg=gpkg, engine=engine)
    except InputDataError:
        return []
    return [name for name in sources if name not in given]


def parse_layer_path(text: str | Path | LayerSource) -> LayerSource:
    """Split ``"PATH[:LAYER]"`` into a :class:`LayerSource`.

    A path that exists as given is taken whole (so ``C:\\data\\x.gpkg`` or a file name with a
    colon still works); otherwise the text after the last ``:`` is the layer name.

    Examples
    --------
    >>> parse_layer_path("data/city.gpkg:buildings")
    LayerSource(path=PosixPath('data/city.gpkg'), layer='buildings')
    """
    if isinstance(text, LayerSource):
        return text
    path = Path(text)
    if path.exists() or ":" not in str(text):
        return LayerSource(path)
    head, _, layer = str(text).rpartition(":")
    if not head or not layer or "/" in layer or "\\" in layer:
        return LayerSource(path)
    return LayerSource(Path(head), layer)


def list_file_layers(path: Path, engine: str = DEFAULT_ENGINE) -> list[str]:
    """Return the layer names GDAL sees in ``path``; raise :class:`InputDataError` if unreadable."""
    try:
        return list_layers(path, engine)
    except read_errors(engine) as err:
        msg = f"{path} cannot be opened as a GIS file ({err}). Check that it is a GeoPackage, "
        msg += "Shapefile, GeoJSON or FlatGeobuf file that QGIS can open."
        raise InputDataError(msg) from err


def dataset_packages(gis_dir: Path, gpkg: str | None = None) -> list[Path]:
    """The GeoPackages of ``gis_dir`` to look for layers in.

    A GeoPackage named after a layer (``properties.gpkg``) is that layer's file; of the others
    (a dataset's one GeoPackage) there must be one, or ``gpkg`` must name the one to read.

    Raises
    ------
    InputDataError
        If ``gpkg`` is not in ``gis_dir``, or ``gis_dir`` holds several GeoPackages and
        ``gpkg`` is not given.
    """
    packages = sorted(gis_dir.glob("*.gpkg")) if gis_dir.is_dir() else []
    layer_names = {layer.name for layer in GIS_LAYERS}
    per_layer = [p for p in packages if p.stem.lower() in layer_names]
    shared = [p for p in packages if p not in per_layer]
    if gpkg is not None:
        chosen = gis_dir / (gpkg if gpkg.lower().endswith(".gpkg") else f"{gpkg}.gpkg")
        if chosen not in packages:
            have = ", ".join(p.name for p in packages) or "none"
            msg = (f"--gpkg {gpkg}: {gis_dir} has no GeoPackage {chosen.name} (it has {have}). "
                   "Give the file name of one of them.")
            raise InputDataError(msg)
        return [chosen, *[p for p in per_layer if p != chosen]]
    if len(shared) > 1:
        names = ", ".join(p.name for p in shared)
        msg = (f"{gis_dir} holds {len(shared)} GeoPackages ({names}); heatplan cannot tell "
               f"which one holds the dataset. Name it with --gpkg NAME (for example --gpkg "
               f"{shared[0].name}), or move the others out of {GIS_DIR}/.")
        raise InputDataError(msg)
    return shared + per_layer


def find_sources(
    data_dir: Path | None, layer_paths: dict[str, str | Path | LayerSource] | None = None,
    *, gpkg: str | None = None, engine: str = DEFAULT_ENGINE,
) -> tuple[dict[str, LayerSource], list[Issue]]:
    """Locate every layer of the contract in ``data_dir``, with explicit overrides.

    Without ``data_dir`` only the overrides are used; ``gpkg`` names the GeoPackage of
    ``gis_data/`` to read when it holds several (:func:`dataset_packages`).

    Returns
    -------
    sources, issues
        The source of each layer found, and an issue for each layer not found (an error for
        required layers, a note for optional ones).
    """
    overrides = {name: parse_layer_path(p) for name, p in (layer_paths or {}).items()}
    unknown = sorted(set(overrides) - set(LAYER_NAMES))
    if unknown:
        msg = f"Unknown layer name(s) {unknown}; the layers are {', '.join(LAYER_NAMES)}."
        raise InputDataError(msg)
    base = data_dir if data_dir is not None else Path("(no data folder)")
    gis_dir = base / GIS_DIR
    labels_dir = base / LABELS_DIR
    packages = dataset_packages(gis_dir, gpkg)
    sources: dict[str, LayerSource] = {}
    issues: list[Issue] = []
    package_layers: dict[Path, list[str]] = {}
    for package in packages:
        try:
            package_layers[package] = list_file_layers(package, engine)
        except InputDataError as err:
            fix = "Replace the file with a GeoPackage that QGIS can open."
            issues.append(Issue("error", GIS_DIR, str(err), fix=fix, file=str(package)))
    for layer in GIS_LAYERS + LABEL_TABLES:
        if layer.name in overrides:
            sources[layer.name] = overrides[layer.name]
            continue
        found = (
            _find_gis_layer(layer, gis_dir, package_layers)
            if layer in GIS_LAYERS
            else _find_csv(layer, labels_dir)
        )
        if found is not None:
            sources[layer.name] = found
            continue
        folder = gis_dir if layer in GIS_LAYERS else labels_dir
        looked = (
            f"a layer '{layer.name}' in {', '.join(p.name for p in packages)} or a file "
            f"{layer.name}.gpkg/.shp/.geojson/.fgb in {folder}"
            if layer in GIS_LAYERS and packages
            else f"{folder / layer.name}.{'csv' if layer in LABEL_TABLES else 'gpkg/.shp/…'}"
        )
        option = "--" + layer.name.replace("_", "-")
        option += " PATH[:LAYER]" if layer in GIS_LAYERS else " PATH"
        if layer.required:
            issues.append(
                Issue(
                    "error", layer.name, f"Required layer '{layer.name}' not found (looked for "
                    f"{looked}).", fix=f"Add the layer to {folder} or give its path with "
                    f"{option}.", file=str(folder),
                )
            )
        else:
            issues.append(
                Issue(
                    "info", layer.name, f"Optional layer '{layer.name}' not found (looked for "
                    f"{looked}); planning goes on without it.", file=str(folder),
                )
            )
    return sources, issues


def _find_gis_layer(
    layer: Layer, gis_dir: Path, package_layers: dict[Path, list[str]]
) -> LayerSource | None:
    for package, names in package_layers.items():
        lowered = {n.lower(): n for n in names}
        if layer.name in lowered:
            return LayerSource(package, lowered[layer.name])
    for suffix in GIS_SUFFIXES:
        candidate = gis_dir / f"{layer.name}{suffix}"
        if candidate.is_file():
            return LayerSource(candidate)
    return None


def _find_csv(layer: Layer, labels_dir: Path) -> LayerSource | None:
    for suffix in (".csv", ".CSV", ".txt"):
        candidate = labels_dir / f"{layer.name}{suffix}"
        if candidate.is_file():
            return LayerSource(candidate)
    return None


def read_gis_layer(
    source: LayerSource, name: str, *, engine: str = DEFAULT_ENGINE
) -> gpd.GeoDataFrame:
    """Read one GIS layer with ``engine`` (pyogrio or fiona), keeping its CRS and column types.

    Raises
    ------
    InputDataError
        If the file does not exist, cannot be opened, or lacks the layer.
    """
    path = source.path
    option = "--" + name.replace("_", "-")
    if not path.exists():
        msg = (
            f"{name}: file {path} does not exist. Check the path, or give the layer's file with "
            f"{option} PATH[:LAYER]."
        )
        raise InputDataError(msg)
    layers = list_file_layers(path, engine)
    layer = source.layer
    if layer is None and len(layers) > 1:
        layer = next((n for n in layers if n.lower() == name), None)
        if layer is None:
            msg = (
                f"{name}: {path} holds several layers ({', '.join(layers)}) and none is called "
                f"'{name}'. Name the layer: {option} {path}:LAYER."
            )
            raise InputDataError(msg)
    if layer is not None and layer not in layers:
        msg = (
            f"{name}: {path} has no layer '{layer}' (it has {', '.join(layers) or 'none'}). "
            f"Rename the layer in QGIS, or name an existing one: {option} {path}:LAYER."
        )
        raise InputDataError(msg)
    try:
        table = read_frame(path, layer=layer, engine=engine)
    except read_errors(engine) as err:
        msg = f"{name}: {source} cannot be read ({err}). Open it in QGIS to check it."
        raise InputDataError(msg) from err
    if not isinstance(table, gpd.GeoDataFrame):
        msg = (
            f"{name}: {source} has no geometry column, so it is a table, not a map layer. "
            f"Give {name} as a GIS layer ({', '.join(s.lstrip('.') for s in GIS_SUFFIXES[:5])})."
        )
        raise InputDataError(msg)
    logger.debug("Read %s rows of %s from %s", f"{len(table):,}", name, source)
    return table


def read_dataset(
    data_dir: Path | str | None = None,
    *,
    layer_paths: dict[str, str | Path | LayerSource] | None = None,
    gpkg: str | None = None,
    engine: str = DEFAULT_ENGINE,
) -> Dataset:
    """Read every layer and table of a dataset folder as it is, collecting reading problems.

    Parameters
    ----------
    data_dir
        The dataset folder (holding ``gis_data/`` and ``energy_labels/``); the bundled sample
        when ``None`` (unless ``layer_paths`` names every required layer).
    layer_paths
        Per-layer overrides, ``{"properties": "x.gpkg:buildings", "labels": "l.csv"}``; a path
        may end in ``:LAYER`` to name a layer of a multi-layer file.
    gpkg
        The GeoPackage of ``gis_data/`` to read when it holds more than one.
    engine
        ``"pyogrio"`` (default) or ``"fiona"`` (``pip install "heatplan[fiona]"``).

    Returns
    -------
    Dataset
        Unvalidated (``is_validated`` false): the tables as read, their sources, and the issues
        met (missing files, unreadable files, CSVs that needed another encoding or separator).

    Raises
    ------
    InputDataError
        If ``data_dir`` is given but is not a folder, a layer name in ``layer_paths`` is
        unknown, ``gis_data/`` holds several GeoPackages and ``gpkg`` does not name one, or
        ``engine`` is unknown or not installed.
    """
    engine_module(engine)
    if data_dir is None:
        required = {layer.name for layer in GIS_LAYERS + LABEL_TABLES if layer.required}
        if not required <= set(layer_paths or {}):
            data_dir = default_data_dir()  # the rest comes from the bundled sample
    folder = Path(data_dir) if data_dir is not None else None
    if folder is not None and not folder.is_dir():
        msg = (
            f"Data folder {folder} does not exist or is not a folder. Give a folder holding "
            f"{GIS_DIR}/ and {LABELS_DIR}/ (like the bundled sample)."
        )
        raise InputDataError(msg)
    sources, issues = find_sources(folder, layer_paths, gpkg=gpkg, engine=engine)
    tables: dict[str, pd.DataFrame | None] = dict.fromkeys(LAYER_NAMES)
    csv_formats: dict[str, dict[str, str]] = {}
    gis_names = {layer.name for layer in GIS_LAYERS}
    for name, source in sources.items():
        try:
            if name in gis_names:
                tables[name] = read_gis_layer(source, name, engine=engine)
            else:
                table, fmt = read_label_csv(source.path, name)
                tables[name] = table
                csv_formats[name] = fmt
                issues.extend(_csv_format_issues(name, source.path, fmt))
        except InputDataError as err:
            issues.append(Issue("error", name, str(err), file=str(source)))
    synthetic = any(
        is_synthetic(source.path)
        for name, source in sources.items()
        if name in gis_names and source.path.suffix.lower() == ".gpkg"
    )
    read = {n: len(t) for n, t in tables.items() if t is not None}
    logger.info("Read %s", ", ".join(f"{n} {c:,}" for n, c in read.items()))
    return dataset_as_read(tables, sources, data_dir=folder, read_issues=issues,
                           csv_formats=csv_formats, is_synthetic=synthetic)


def dataset_as_read(
    tables: dict[str, pd.DataFrame | None],
    layer_sources: dict[str, LayerSource],
    *,
    data_dir: Path | None = None,
    read_issues: list[Issue] | None = None,
    csv_formats: dict[str, dict[str, str]] | None = None,
    is_synthetic: bool = False,
) -> Dataset:
    """Return tables as read as an unvalidated :class:`Dataset`.

    ``tables`` maps layer names to tables (a layer left out or ``None`` was not read);
    ``sources`` of the result names each layer's source relative to ``data_dir``.
    """
    return Dataset(
        **{name: tables.get(name) for name in LAYER_NAMES},  # type: ignore[arg-type]
        is_synthetic=is_synthetic,
        sources={name: describe_source(s, data_dir) for name, s in layer_sources.items()},
        is_validated=False,
        data_dir=data_dir,
        layer_sources=dict(layer_sources),
        read_issues=list(read_issues or []),
        csv_formats=dict(csv_formats or {}),
    )


def describe_source(source: LayerSource, base: Path | None) -> str:
    """``"gis_data/sample.gpkg, layer properties"``: the source, relative to ``base`` if inside."""
    path = source.path
    if base is not None:
        try:
            path = source.path.resolve().relative_to(base.resolve())
        except ValueError:
            path = source.path
    return f"{path}, layer {source.layer}" if source.layer else str(path)


def _csv_format_issues(name: str, path: Path, fmt: dict[str, str]) -> list[Issue]:
    issues = []
    if fmt["encoding"] not in ("utf-8", "utf-8-sig", "ascii"):
        issues.append(
            Issue(
                "warning", name, f"{path.name} is not UTF-8; it was read as {fmt['encoding']} "
                "(a Danish Excel export). Check that æ, ø and å look right.",
                fix="Save the file as 'CSV UTF-8 (comma delimited)' in Excel.", file=str(path),
            )
        )
    if fmt["separator"] != ",":
        label = {";": "semicolons", "\t": "tabs"}.get(fmt["separator"], repr(fmt["separator"]))
        decimal = " and decimal commas" if fmt.get("decimal") == "," else ""
        issues.append(
            Issue(
                "warning", name, f"{path.name} separates columns with {label}{decimal}; it was "
                "read as such.", fix="Save the file with comma separators and decimal points "
                "('CSV UTF-8 (comma delimited)' with an English number format).", file=str(path),
            )
        )
    return issues
