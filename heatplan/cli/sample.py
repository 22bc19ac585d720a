"""``heatplan sample``: write the synthetic Ballerup-like sample municipality."""

from __future__ import annotations

from pathlib import Path

import click

from heatplan.cli.options import handle_errors, overwrite_option


@click.command("sample")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True,
    help="Folder to write gis_data/sample.gpkg and energy_labels/{labels,proposals}.csv into.",
)
@click.option("--scale", type=click.IntRange(min=1), default=1, show_default=True,
              help="Number of copies of the municipality side by side (for benchmarks).")
@click.option("--seed", type=int, default=None,
              help="Random seed; the default gives the bundled sample.")
@overwrite_option
@handle_errors
def command(out_dir: Path, scale: int, seed: int | None, overwrite: bool) -> None:
    """Generate the synthetic sample municipality (synthetic data, Ballerup-like)."""
    from heatplan.sample import DEFAULT_SEED, make_sample

    paths = make_sample(out_dir, seed=DEFAULT_SEED if seed is None else seed, scale=scale,
                        overwrite=overwrite)
    for role in ("gpkg", "labels", "proposals"):
        click.echo(str(paths[role]))
