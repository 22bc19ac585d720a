"""Options and error handling shared by several commands."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from heatplan.errors import HeatplanError

logger = logging.getLogger("heatplan")


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

overwrite_option = click.option(
    "--overwrite", is_flag=True, help="Replace outputs that already exist in the folder."
)
