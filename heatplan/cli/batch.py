"""``heatplan batch``: many datasets and scenario variants as independent tasks on Dask."""

from __future__ import annotations

from pathlib import Path

import click

from heatplan.cli.options import handle_errors, scenario_option


@click.command("batch")
@click.option(
    "--data", "data_dirs", multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A dataset folder; may be given several times. The bundled sample if none.",
)
@scenario_option
@click.option(
    "--variants", "variants_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="TOML with [grid] (key = [values…]: every combination) and/or [samples] (n, seed, "
    "key = [low, high] factors drawn uniformly); each variant runs on every dataset.",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("batch"), show_default=True,
              help="Folder for the runs' records and the summary.")
@click.option("--scheduler", default=None,
              help="Address of a running Dask scheduler (tcp://host:8786); a local cluster if "
              "omitted.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes of the local cluster (default: the machine's cores).")
@click.option("--method", type=click.Choice(["milp", "heuristic"]), default="milp",
              show_default=True, help="How each plan's schedule is computed.")
@click.option("--no-resume", is_flag=True,
              help="Run every task again, also those an earlier run of this batch finished.")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True,
              help="Language of the summary page.")
@handle_errors
def command(data_dirs: tuple[Path, ...], scenario_paths: tuple[Path, ...],
            variants_path: Path | None, out_dir: Path, scheduler: str | None,
            workers: int | None, method: str, no_resume: bool, lang: str) -> None:
    """Run many plans at once and write one summary.

    Every dataset is planned under every scenario variant as an independent task on
    dask.distributed. Each task's result or failure is recorded in OUT/runs/; a failing task
    does not stop the others, and a rerun skips finished tasks. The summary is
    batch_figures.csv, batch_districts.gpkg and batch_summary.html in OUT.
    """
    import logging

    from heatplan.batch.run import run_batch
    from heatplan.batch.summary import write_summary
    from heatplan.batch.tasks import make_tasks, read_variants
    from heatplan.core.scenario import load_scenario

    logging.getLogger("distributed").setLevel(logging.WARNING)  # the cluster's own chatter
    scenario = load_scenario(*scenario_paths)
    variants = (read_variants(variants_path, scenario) if variants_path is not None
                else [("base", {})])
    tasks = make_tasks(list(data_dirs) or [None], variants, scenario_paths=scenario_paths,
                       method=method)

    def progress(record, done: int, total: int) -> None:
        state = ("skipped (done before)" if record.skipped else
                 "failed" if record.error is not None else "done")
        click.echo(f"[{done}/{total}] {record.task_id}: {state}", err=True)

    records = run_batch(tasks, out_dir, scheduler=scheduler, workers=workers,
                        resume=not no_resume, progress=progress)
    paths = write_summary(records, out_dir, lang=lang)
    failed = [r for r in records if r.error is not None]
    click.echo(f"{len(records) - len(failed)} of {len(records)} runs finished; "
               f"{len(failed)} failed.")
    for path in paths:
        click.echo(f"Wrote {path}")
    if failed:
        raise SystemExit(1)
