"""The phase maps as files: one multi-page PDF and PNGs at 200 dpi, written atomically.

Files are deterministic: the PDF carries no creation date and the PNG no software stamp.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from PIL import Image

from heatplan.io.atomic import atomic_path, check_writable
from heatplan.outputs.phase_maps.layers import plan_phases
from heatplan.outputs.phase_maps.sheet import draw_sheet
from heatplan.outputs.texts import text
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

PNG_DPI = 200
PDF_NAME = "heatplan_phase_maps.pdf"
PNG_OVERVIEW_NAME = "heatplan_phase_map_overview.png"
PNG_PHASE_NAME = "heatplan_phase_map_phase{phase}.png"


def draw_phase_maps(plan: Plan, *, lang: str = "da") -> list[tuple[str, Figure]]:
    """Return ``[("overview", fig), ("phase1", fig), …]``: the overview and one sheet per phase."""
    sheets = [("overview", draw_sheet(plan, lang=lang))]
    for info in plan_phases(plan):
        sheets.append((f"phase{info.phase}", draw_sheet(plan, lang=lang, focus=info)))
    return sheets


def save_png(fig: Figure, path: Path, dpi: int = PNG_DPI) -> None:
    """Render ``fig`` at ``dpi`` and save it as an RGB PNG without time or software stamps.

    Rendering once with Agg and letting Pillow encode at a moderate compression level is about
    twice as fast as ``savefig`` for an A3 sheet, with files about 25 % larger.
    """
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    image.convert("RGB").save(path, format="png", compress_level=1, dpi=(dpi, dpi))


def phase_map_paths(plan: Plan, out_dir: Path | str, *, phase_pngs: bool = False) -> list[Path]:
    """Return the files :func:`write_phase_maps` writes into ``out_dir``: PDF first, then PNGs."""
    out_dir = Path(out_dir)
    paths = [out_dir / PDF_NAME, out_dir / PNG_OVERVIEW_NAME]
    if phase_pngs:
        paths += [out_dir / PNG_PHASE_NAME.format(phase=p.phase) for p in plan_phases(plan)]
    return paths


def write_phase_maps(
    plan: Plan,
    out_dir: Path | str,
    *,
    lang: str = "da",
    overwrite: bool = False,
    phase_pngs: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write the multi-page PDF (overview and one page per phase) and PNGs at 200 dpi.

    The PNG is the overview; with ``phase_pngs`` each phase sheet gets its own PNG too (about
    a second each for an A3 sheet at 200 dpi, which is why it is an option). Returns the
    written paths (as :func:`phase_map_paths`). Each file is written atomically.

    Raises
    ------
    OutputExistsError
        If a file exists and ``overwrite`` is false (checked before anything is written).
    """
    paths = phase_map_paths(plan, out_dir, phase_pngs=phase_pngs)
    for path in paths:
        check_writable(path, overwrite=overwrite)
    sheets = draw_phase_maps(plan, lang=lang)
    pdf_path, png_paths = paths[0], paths[1:]
    with (
        atomic_path(pdf_path, overwrite=overwrite) as tmp,
        PdfPages(
            tmp,
            metadata={
                "CreationDate": None,
                "ModDate": None,
                "Creator": "heatplan",
                "Producer": None,
                "Title": text("plan_title", lang),
            },
        ) as pdf,
    ):
        for _, fig in sheets:
            pdf.savefig(fig)
    if progress is not None:
        progress(1)
    for (_, fig), png in zip(sheets, png_paths, strict=False):
        with atomic_path(png, overwrite=overwrite) as tmp:
            save_png(fig, tmp)
        if progress is not None:
            progress(1)
    logger.info(
        "Wrote phase maps: %d sheets to %s and %d PNG files",
        len(sheets),
        pdf_path.name,
        len(png_paths),
    )
    return paths
