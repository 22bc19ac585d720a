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


def _declared(unit: str, kind: str, bounds: tuple[float, float] | None) -> str:
    """``"year; integer, 2015 to 2100"``: unit, type (when the unit does not say it) and range."""
    from heatplan.core.scenario_check import fmt

    text = unit if kind == unit else f"{unit}; {kind}"
    return text + (f", {fmt(bounds[0])} to {fmt(bounds[1])}" if bounds else "")


def _check(paths: tuple[Path, ...]) -> None:
    """Load each file on top of the defaults and say what it sets; errors raise."""
    from heatplan.core.scenario import load_scenario

    defaults = {p.key: p for p in load_scenario()}
    for path in paths:
        scenario = load_scenario(path)
        changed = [p for p in scenario if p != defaults[p.key]]
        keys = ", ".join(p.key for p in changed) or "nothing"
        click.echo(f"{path}: valid; sets {len(changed)} parameter(s): {keys}.")


@click.command("scenario")
@scenario_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--assumptions", "only_assumptions", is_flag=True,
              help="Print only the parameters marked as assumptions.")
@click.option(
    "--check", "check_paths", multiple=True, metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check a scenario file (types, ranges, years) without planning; may be given several "
    "times. Exits 1 and lists every problem when it is not valid.",
)
@click.argument("prefix", required=False, default="")
@handle_errors
def command(
    scenario_paths: tuple[Path, ...], as_json: bool, only_assumptions: bool,
    check_paths: tuple[Path, ...], prefix: str,
) -> None:
    """Print the effective scenario: key, value, type, range, unit and source of every parameter.

    PREFIX limits the output to keys starting with it (for example ``emissions``).
    Parameters whose source is an assumption are marked with ``*`` (override them with
    ``--scenario FILE``), derived ones with ``~``. With ``--check FILE`` only checks FILE.
    """
    from heatplan.core.scenario import load_scenario

    if check_paths:
        _check(check_paths)
        return
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
            {"key": p.key, "value": p.value, "unit": p.unit, "type": p.kind,
             "range": list(p.range) if p.range else None, "source": p.source,
             "is_assumption": p.is_assumption,
             "is_derived": p.source.lower().startswith("derived")}
            for p in params
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    for p in params:
        derived = p.source.lower().startswith("derived")
        mark = "*" if p.is_assumption else ("~" if derived else " ")
        click.echo(f"{mark} {p.key} = {_text(p.value)}  [{_declared(p.unit, p.kind, p.range)}]")
        click.echo(f"      source: {p.source}")
    n_assumed = sum(p.is_assumption for p in params)
    n_derived = sum(p.source.lower().startswith("derived") for p in params)
    files = ", ".join(scenario.files) if scenario.files else "none"
    click.echo(
        f"{len(params)} parameters; {n_assumed} marked * are assumptions, {n_derived} marked ~ "
        f"are derived; user files: {files}"
    )
