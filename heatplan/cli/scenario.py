"""``heatplan scenario``: print the effective scenario with units and sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from heatplan.cli.options import handle_errors, scenario_option


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@click.command("scenario")
@scenario_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--assumptions", "only_assumptions", is_flag=True,
              help="Print only the parameters marked as assumptions.")
@click.argument("prefix", required=False, default="")
@handle_errors
def command(
    scenario_paths: tuple[Path, ...], as_json: bool, only_assumptions: bool, prefix: str
) -> None:
    """Print the effective scenario: key, value, unit and source of every parameter.

    PREFIX limits the output to keys starting with it (for example ``emissions``).
    Parameters whose source is an assumption are marked with ``*`` (override them with
    ``--scenario FILE``), derived ones with ``~``.
    """
    from heatplan.core.scenario import load_scenario

    scenario = load_scenario(*scenario_paths)
    params = [
        p for p in scenario
        if p.key.startswith(prefix) and (p.is_assumption or not only_assumptions)
    ]
    if not any(p.key.startswith(prefix) for p in scenario):
        close = sorted({p.key.split(".")[0] for p in scenario})
        msg = f"No scenario parameter starts with {prefix!r}. Sections: {', '.join(close)}."
        raise click.UsageError(msg)
    if as_json:
        rows = [
            {"key": p.key, "value": p.value, "unit": p.unit, "source": p.source,
             "is_assumption": p.is_assumption,
             "is_derived": p.source.lower().startswith("derived")}
            for p in params
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    for p in params:
        derived = p.source.lower().startswith("derived")
        mark = "*" if p.is_assumption else ("~" if derived else " ")
        click.echo(f"{mark} {p.key} = {_text(p.value)}  [{p.unit}]")
        click.echo(f"      source: {p.source}")
    n_assumed = sum(p.is_assumption for p in params)
    n_derived = sum(p.source.lower().startswith("derived") for p in params)
    files = ", ".join(scenario.files) if scenario.files else "none"
    click.echo(
        f"{len(params)} parameters; {n_assumed} marked * are assumptions, {n_derived} marked ~ "
        f"are derived; user files: {files}"
    )
