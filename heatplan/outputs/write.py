"""Write every planner output of a plan into one folder.

The files: the GeoPackage, the phase maps (multi-page PDF and one PNG per sheet), the
coordination report (HTML and XLSX) and the digging schedule (XLSX, Gantt chart and works map),
plus any more writers' files, as one set: all targets are
checked before anything is written, everything is written into a staging folder beside the
output folder and moved in at the end, with a manifest naming the complete set
(:func:`heatplan.io.staging.staged_outputs`). A killed run leaves the previous set or the new
one, never a mixture once the next run has started, and nothing that blocks that run. A rerun
on the same plan gives byte-identical files.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from heatplan.core.errors import HeatplanError
from heatplan.io.staging import add_lock_holder, staged_outputs
from heatplan.outputs.digging import digging_paths, write_digging
from heatplan.outputs.geopackage import GPKG_NAME, write_geopackage
from heatplan.outputs.phase_maps.files import phase_map_paths, write_phase_maps
from heatplan.outputs.report import HTML_NAME, XLSX_NAME, write_report_html, write_report_xlsx
from heatplan.outputs.texts import check_lang
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)


def output_paths(plan: Plan, out_dir: Path | str, *, phase_pngs: bool = False) -> list[Path]:
    """Return every file :func:`write_outputs` writes into ``out_dir``, in writing order."""
    out_dir = Path(out_dir)
    return [
        out_dir / GPKG_NAME,
        *phase_map_paths(plan, out_dir, phase_pngs=phase_pngs),
        *digging_paths(out_dir),
        out_dir / HTML_NAME,
        out_dir / XLSX_NAME,
    ]


def write_outputs(
    plan: Plan,
    out_dir: Path | str,
    *,
    lang: str = "da",
    overwrite: bool = False,
    progress: Callable[[int], None] | None = None,
    phase_pngs: bool = False,
    parallel: bool = True,
    also: Sequence[Callable[[Path], list[Path]]] = (),
) -> list[Path]:
    """Write the GeoPackage, phase maps and coordination report of ``plan`` into ``out_dir``.

    Parameters
    ----------
    plan
        The finished plan.
    out_dir
        Folder to write into; created if missing.
    lang
        ``"da"`` (default) or ``"en"`` for every user-facing text.
    overwrite
        Replace files that exist; without it, an existing file stops the run before any
        file is written (and, for the files of ``also``, before any is moved in).
    progress
        Called with 1 after each file is written (``len(output_paths(plan, out_dir))`` calls).
    phase_pngs
        Also write one PNG per phase sheet (the PDF always has every sheet).
    parallel
        Draw the phase maps in a second process while the other files are written.
    also
        More writers of the same set, each called with the folder to write into (the staging
        folder) and returning the paths it wrote; they run while the maps are drawn, and their
        files are returned (in ``out_dir``) after this function's own.

    Returns
    -------
    paths
        The written files in ``out_dir``, as :func:`output_paths`, then those of ``also``.

    Raises
    ------
    OutputExistsError
        If any target exists and ``overwrite`` is false.
    OutputFolderError
        If ``out_dir`` cannot be written to, or another run is writing to it.
    """
    check_lang(lang)
    out_dir = Path(out_dir)
    paths = output_paths(plan, out_dir, phase_pngs=phase_pngs)

    def step() -> None:
        if progress is not None:
            progress(1)

    names = [path.name for path in paths]
    with staged_outputs(out_dir, names=names, overwrite=overwrite) as stage:
        maps = functools.partial(write_phase_maps, plan, stage, lang=lang, phase_pngs=phase_pngs)
        helper = functools.partial(add_lock_holder, stage)
        with _background(maps, enabled=parallel, on_start=helper) as map_paths:
            write_geopackage(plan, stage / GPKG_NAME, lang=lang)
            step()
            for _ in write_digging(plan, stage, lang=lang):
                step()
            write_report_html(plan, stage / HTML_NAME, lang=lang)
            step()
            write_report_xlsx(plan, stage / XLSX_NAME, lang=lang)
            step()
            extra = [out_dir / path.name for writer in also for path in writer(stage)]
        for _ in map_paths():
            step()
    logger.info("Wrote %d outputs to %s", len(paths) + len(extra), out_dir)
    return paths + extra


def _run_and_send(job: Callable[[], list[Path]], conn: Connection) -> None:
    """In the forked process: run ``job`` and send ``("ok", paths)`` or ``("error", err)``."""
    try:
        outcome: tuple[str, object] = ("ok", job())
    except Exception as err:  # passed to the parent, which raises it
        outcome = ("error", err)
    with contextlib.suppress(OSError):  # the parent may be gone (killed run): just exit
        conn.send(outcome)
    conn.close()


@contextlib.contextmanager
def _background(
    job: Callable[[], list[Path]], *, enabled: bool, on_start: Callable[[int], None] | None = None
) -> Iterator[Callable[[], list[Path]]]:
    """Run ``job`` in a forked process while the block runs; yield a getter of its result.

    Drawing the phase maps (matplotlib, about half the writing time) then overlaps with the
    GeoPackage and the report on a second core. Where fork is not available, or ``enabled``
    is false, the job runs in this process after the block. An error in the job is raised
    after the block has finished. The forked process runs this one job and exits, also when
    this process is killed; each file is written atomically either way. ``on_start`` is called
    with the forked process's id.
    """
    result: list[list[Path]] = []
    if not enabled or "fork" not in multiprocessing.get_all_start_methods():
        yield lambda: result[0]
        result.append(job())
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_run_and_send, args=(job, sender), daemon=True)
    worker.start()
    if on_start is not None:
        on_start(worker.pid)  # type: ignore[arg-type]
    sender.close()  # only the worker writes; its exit then ends the pipe
    try:
        yield lambda: result[0]
        try:
            status, value = receiver.recv()
        except EOFError:
            msg = (
                "Drawing the phase maps stopped unexpectedly (exit code "
                f"{worker.exitcode}); the other outputs were written. Run again."
            )
            raise HeatplanError(msg) from None
        if status == "error":
            raise value  # type: ignore[misc]
        result.append(value)  # type: ignore[arg-type]
    finally:
        receiver.close()
        worker.join()
