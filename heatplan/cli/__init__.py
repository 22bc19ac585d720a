"""The ``heatplan`` command line: a thin layer over the library.

Each command lives in its own module and imports the library lazily inside the command, so
``heatplan --help`` is fast. Errors a user can cause (:class:`heatplan.core.errors.HeatplanError`)
become a message on stderr and exit code 1; usage errors exit 2.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from heatplan import __version__

# (module, command name) of every subcommand; each module defines ``command``.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("heatplan.cli.plan", "plan"),
    ("heatplan.cli.validate", "validate"),
    ("heatplan.cli.sample", "sample"),
    ("heatplan.cli.scenario", "scenario"),
    ("heatplan.cli.rank", "rank"),
    ("heatplan.cli.importers", "import"),
    ("heatplan.cli.batch", "batch"),
)


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for _, name in COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for module, name in COMMANDS:
            if name == cmd_name:
                return importlib.import_module(module).command
        return None


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="heatplan")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv: debug).")
@click.option("-q", "--quiet", is_flag=True, help="No progress or log output; errors only.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Plan a municipality's district-heating rollout and rank its buildings for renovation."""
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)
    logging.getLogger("heatplan").setLevel(level)
    logging.getLogger("pyogrio").setLevel(max(level, logging.WARNING))  # "Created N records"
    ctx.obj = {"quiet": quiet, "verbose": verbose}


def main() -> None:
    """Entry point of the ``heatplan`` console script."""
    cli(prog_name="heatplan")
