"""Write every planner output of a plan into one folder.

The files: the GeoPackage, the phase maps (multi-page PDF and one PNG per sheet) and the
coordination report (HTML and XLSX). All targets are checked before anything is written, so an
existing plan is never half-replaced; each file is written atomically, so a killed run leaves
each file either as it was or complete. A rerun on the same plan gives byte-identical files.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from heatplan.io.atomic import check_writable
from heatplan.outputs.geopackage import GPKG_NAME, write_geopackage
from heatplan.outputs.phase_maps import phase_map_paths, write_phase_maps
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
        file is written.
    progress
        Called with 1 after each file is written (``len(output_paths(plan, out_dir))`` calls).
    phase_pngs
        Also write one PNG per phase sheet (the PDF always has every sheet).

    Returns
    -------
    paths
        The written files, as :func:`output_paths`.

    Raises
    ------
    OutputExistsError
        If any target exists and ``overwrite`` is false.
    """
    check_lang(lang)
    out_dir = Path(out_dir)
    paths = output_paths(plan, out_dir, phase_pngs=phase_pngs)
    for path in paths:
        check_writable(path, overwrite=overwrite)
    out_dir.mkdir(parents=True, exist_ok=True)

    def step() -> None:
        if progress is not None:
            progress(1)

    write_geopackage(plan, out_dir / GPKG_NAME, lang=lang, overwrite=overwrite)
    step()
    write_phase_maps(
        plan, out_dir, lang=lang, overwrite=overwrite, phase_pngs=phase_pngs, progress=progress
    )
    write_report_html(plan, out_dir / HTML_NAME, lang=lang, overwrite=overwrite)
    step()
    write_report_xlsx(plan, out_dir / XLSX_NAME, lang=lang, overwrite=overwrite)
    step()
    logger.info("Wrote %d planner outputs to %s", len(paths), out_dir)
    return paths
