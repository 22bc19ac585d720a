"""Options and error handling shared by several commands."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from heatplan.core.errors import HeatplanError

logger = logging.getLogger("heatplan")


def input_folder(data_dir: Path | None, layer_paths: dict[str, Any] | None = None
                 ) -> Path | None:
    """The dataset folder a command reads: ``data_dir``, else the bundled sample if it is used.

    ``None`` when every required layer is given by path, or the sample cannot be found (reading
    then says so).
    """
    if data_dir is not None:
        return data_dir
    from heatplan.core.errors import InputDataError
    from heatplan.core.schema import GIS_LAYERS, LABEL_TABLES
    from heatplan.io.layers import default_data_dir

    required = {layer.name for layer in GIS_LAYERS + LABEL_TABLES if layer.required}
    if required <= set(layer_paths or {}):
        return None
    try:
        return default_data_dir()
    except InputDataError:
        return None


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`HeatplanError` into a clean message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except HeatplanError as err:
            ctx = click.get_current_context()
            if (ctx.find_root().obj or {}).get("verbose", 0) > 1:
                logger.exception("Traceback")
            raise click.ClickException(str(err)) from err

    return wrapper


data_option = click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Dataset folder holding gis_data/ and energy_labels/; the bundled sample if omitted.",
)

gpkg_option = click.option(
    "--gpkg", "gpkg", metavar="NAME", default=None,
    help="The GeoPackage in the data folder's gis_data/ to read, when it holds more than one "
    "(a file name such as city.gpkg).",
)

io_engine_option = click.option(
    "--io-engine", "io_engine", type=click.Choice(["pyogrio", "fiona"]), default="pyogrio",
    show_default=True,
    help="Library that reads the GIS files; fiona needs pip install \"heatplan[fiona]\".",
)

scenario_option = click.option(
    "--scenario",
    "scenario_paths",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A TOML file overriding parts of the default scenario; may be given several times.",
)

out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("maps"),
    show_default=True,
    help="Folder the outputs are written to.",
)

with_sample_option = click.option(
    "--with-sample", is_flag=True,
    help="With single layers given (--properties PATH ...) but no data folder, take the other "
    "layers from the bundled synthetic sample on purpose (otherwise an error).",
)


def check_sample_mixing(
    data_dir: Path | None, layer_paths: dict[str, Any], with_sample: bool, *,
    folder_hint: str = "--data DIR",
) -> None:
    """Refuse layers given one by one without a data folder when the sample would fill the rest.

    With ``with_sample`` a warning on stderr names the layers taken from the sample instead.

    Raises
    ------
    click.UsageError
        Naming the layers that would come from the synthetic sample and the ways to fix it.
    """
    if data_dir is not None or not layer_paths:
        return
    from heatplan.io.layers import sample_layers

    from_sample = sample_layers(layer_paths)
    if not from_sample:
        return
    given = ", ".join("--" + name.replace("_", "-") for name in layer_paths)
    names = ", ".join(from_sample)
    if with_sample:
        click.echo(
            f"Warning: {given} given without a data folder; the layers {names} come from the "
            "bundled synthetic sample (--with-sample), so the plan mixes your data with "
            "invented data.", err=True,
        )
        return
    options = " ".join("--" + name.replace("_", "-") + " PATH" for name in from_sample[:2])
    msg = (
        f"{given} given without a data folder ({folder_hint}): the layers {names} would come "
        f"from the bundled synthetic sample, mixed with your data. Give the folder holding "
        f"them ({folder_hint}), each layer's path ({options} ...), or --with-sample to take "
        "them from the sample on purpose."
    )
    raise click.UsageError(msg)


overwrite_option = click.option(
    "--overwrite", is_flag=True, help="Replace outputs that already exist in the folder."
)


LAYER_OPTIONS: tuple[tuple[str, str], ...] = (
    ("properties", "GIS layer"),
    ("districts", "GIS layer"),
    ("streets", "GIS layer"),
    ("dh_network", "GIS layer"),
    ("heat_sources", "GIS layer"),
    ("planned_works", "GIS layer"),
    ("labels", "CSV file"),
    ("proposals", "CSV file"),
    ("metered", "CSV file"),
)


def _check_layer_path(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Usage error (exit 2) when the file part of ``PATH[:LAYER]`` does not exist."""
    if value is None:
        return None
    from heatplan.io.layers import parse_layer_path

    source = parse_layer_path(value)
    if not source.path.exists():
        msg = f"file {source.path} does not exist."
        raise click.BadParameter(msg, ctx=ctx, param=param)
    return value


def layer_path_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--properties PATH[:LAYER]`` ... ``--proposals PATH`` to a command.

    Each becomes a keyword argument named after the layer (``None`` when not given); pass the
    given ones to :func:`heatplan.validate.load_dataset` as ``layer_paths``.
    """
    for name, kind in reversed(LAYER_OPTIONS):
        flag = "--" + name.replace("_", "-")
        meta = "PATH[:LAYER]" if kind == "GIS layer" else "PATH"
        func = click.option(
            flag, name, metavar=meta, callback=_check_layer_path,
            help=f"Read {name} from this {kind} instead of the data folder.",
        )(func)
    return func
