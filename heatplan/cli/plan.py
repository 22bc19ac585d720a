"""``heatplan plan``: the main job, on the bundled sample unless told otherwise."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click

from heatplan.cli.options import (
    data_option,
    gpkg_option,
    handle_errors,
    io_engine_option,
    layer_path_options,
    out_option,
    overwrite_option,
    scenario_option,
    with_sample_option,
)

logger = logging.getLogger(__name__)


@click.command("plan")
@data_option
@gpkg_option
@io_engine_option
@layer_path_options
@with_sample_option
@scenario_option
@out_option
@click.option(
    "--method", type=click.Choice(["milp", "heuristic"]), default="milp", show_default=True,
    help="Schedule exactly (MILP; the heuristic's gap is reported) or with the fast heuristic.",
)
@click.option(
    "--progress", "progress_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="CSV of property_id,connection_status (connected, signed_up, declined) for the "
    "yearly revision; overrides the properties layer's connection_status.",
)
@click.option(
    "--previous", "previous_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="The previous plan's GeoPackage; the changes against it are listed in the report.",
)
@click.option(
    "--lang", type=click.Choice(["da", "en"]), default="da", show_default=True,
    help="Language of maps and report.",
)
@click.option(
    "--offline", is_flag=True,
    help="Never add a tile layer to the residents' map, even when the scenario configures one "
    "(the map always works without internet: everything it needs is inside it).",
)
@click.option(
    "--phase-pngs", is_flag=True,
    help="Also write one PNG per phase sheet (the PDF always has every sheet; the overview "
    "is always a PNG too).",
)
@overwrite_option
@handle_errors
def command(
    data_dir: Path | None,
    gpkg: str | None,
    io_engine: str,
    with_sample: bool,
    scenario_paths: tuple[Path, ...],
    out_dir: Path,
    method: str,
    progress_path: Path | None,
    previous_path: Path | None,
    lang: str,
    offline: bool,
    phase_pngs: bool,
    overwrite: bool,
    **layers: str | None,
) -> None:
    """Plan the district-heating rollout and rank the municipal buildings for renovation.

    Reads and validates the dataset, routes trenches, schedules the districts into years and
    phases, ranks the municipal buildings, and writes the GeoPackage, phase maps, coordination
    report, renovation ranking and residents' map into --out, as one set: all or nothing,
    listed in heatplan_manifest.json.
    """
    from heatplan.cli.options import check_sample_mixing, input_folder
    from heatplan.core.scenario import load_scenario
    from heatplan.io.previous import read_previous_plan
    from heatplan.io.staging import prepare_output_dir
    from heatplan.outputs.summary import format_plan_summary
    from heatplan.pipeline import build_plan, fixed_output_names, write_plan
    from heatplan.plan.revision import load_progress
    from heatplan.validate import load_dataset
    from heatplan.validate.result import format_report

    started = time.perf_counter()
    layer_paths = {name: path for name, path in layers.items() if path}
    check_sample_mixing(data_dir, layer_paths, with_sample)
    # fail fast, before any work: the folder, its place, and the files every plan writes
    prepare_output_dir(out_dir, data_dir=input_folder(data_dir, layer_paths),
                       names=fixed_output_names(lang), overwrite=overwrite)
    scenario = load_scenario(*scenario_paths)
    result = load_dataset(data_dir, layer_paths=layer_paths, scenario=scenario, strict=True,
                          gpkg=gpkg, engine=io_engine)
    if result.issues:
        logger.info(format_report(result))
    progress = load_progress(progress_path) if progress_path else None
    previous = read_previous_plan(previous_path, engine=io_engine) if previous_path else None
    plan = build_plan(
        result.dataset, scenario=scenario, rejected=result.rejected, method=method,
        progress=progress, previous=previous, lang=lang,
    )
    paths = write_plan(
        plan, out_dir, lang=lang, offline=offline, overwrite=overwrite, phase_pngs=phase_pngs
    )
    plan.summary["timings_s"]["total"] = round(time.perf_counter() - started, 2)
    click.echo(format_plan_summary(plan, lang=lang))
    click.echo(f"\nWrote {len(paths)} files to {out_dir}/ (listed in heatplan_manifest.json):")
    for path in paths:
        click.echo(f"  {path.name}")
