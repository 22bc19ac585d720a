"""``heatplan validate``: check a dataset folder against the input contract."""

from __future__ import annotations

import json
from pathlib import Path

import click

from heatplan.cli.options import (
    gpkg_option,
    handle_errors,
    io_engine_option,
    layer_path_options,
    scenario_option,
    with_sample_option,
)


@click.command("validate")
@click.argument(
    "data_dir", required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@layer_path_options
@with_sample_option
@click.option(
    "--rejected", "rejected_path", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("maps") / "rejected.gpkg", show_default=True,
    help="GeoPackage the rejected rows and the issues are written to (replaced on each run).",
)
@click.option("--json", "as_json", is_flag=True, help="Print counts and issues as JSON.")
@scenario_option
@gpkg_option
@io_engine_option
@handle_errors
def command(
    data_dir: Path | None,
    with_sample: bool,
    rejected_path: Path,
    as_json: bool,
    scenario_paths: tuple[Path, ...],
    gpkg: str | None,
    io_engine: str,
    **layers: str | None,
) -> None:
    """Check a dataset folder against the input data contract and report every problem.

    DATA_DIR holds gis_data/ (a GeoPackage with layers properties, districts, streets,
    dh_network, heat_sources, or one file per layer) and energy_labels/ (labels.csv,
    proposals.csv); the bundled sample when omitted. Prints rows read, valid, repaired and
    rejected per layer and the problems found, and writes the rejected rows with their reason
    to --rejected. Exits 1 when an error stops planning (a missing file, layer or column, a
    layer without CRS, no valid properties); rejected rows alone are warnings (exit 0).
    """
    from heatplan.cli.options import check_sample_mixing, input_folder
    from heatplan.core.dataset import issues_table
    from heatplan.core.scenario import load_scenario
    from heatplan.io.rejected import write_rejected
    from heatplan.io.staging import check_not_in_input, check_output_dir
    from heatplan.validate import load_dataset

    layer_paths = {name: path for name, path in layers.items() if path}
    check_sample_mixing(data_dir, layer_paths, with_sample, folder_hint="DATA_DIR")
    check_output_dir(rejected_path.parent)
    check_not_in_input(rejected_path, input_folder(data_dir, layer_paths), "--rejected")
    scenario = load_scenario(*scenario_paths)
    result = load_dataset(data_dir, layer_paths=layer_paths, scenario=scenario, strict=False,
                          gpkg=gpkg, engine=io_engine)
    written = write_rejected(result.rejected, result.issues, rejected_path)
    if as_json:
        payload = {
            "counts": result.counts.reset_index().to_dict(orient="records"),
            "issues": issues_table(result.issues).to_dict(orient="records"),
            "rejected_file": str(written),
            "has_errors": result.has_errors,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(result.report())
        n_rejected = int(result.counts["rejected"].sum())
        click.echo("")
        click.echo(
            f"{n_rejected:,} rejected row(s) and {len(result.issues)} issue(s) written to "
            f"{written} (open it in QGIS)."
        )
    if result.has_errors:
        n = len(result.errors)
        msg = f"{n} error(s) stop planning; fix them (see above) and run heatplan validate again."
        raise click.ClickException(msg)
    if not as_json:
        click.echo("The data can be planned on" + (
            "; rejected rows are left out." if result.counts["rejected"].sum() else "."))
