"""The bundled synthetic sample: a Ballerup-like municipality made by a seeded generator.

:func:`make_sample` generates it (``scale`` copies side by side for benchmarks) and writes the
repository's folder layout; :func:`is_synthetic` tells loaders whether a GeoPackage is such
generated data, so every map can say so.
"""

from __future__ import annotations

import logging
from pathlib import Path

from heatplan.sample.build import DEFAULT_SEED, SampleData, generate, tile
from heatplan.sample.files import is_synthetic, write_sample

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_SEED", "SampleData", "generate", "is_synthetic", "make_sample", "tile"]


def generator_command(seed: int, scale: int) -> str:
    """The command line that regenerates a sample (recorded in its metadata)."""
    return f"heatplan sample --seed {seed} --scale {scale}"


def make_sample(
    out_dir: Path | str, *, seed: int = DEFAULT_SEED, scale: int = 1, overwrite: bool = False
) -> dict[str, Path]:
    """Generate the sample and write it below ``out_dir``; return the written paths.

    Writes ``gis_data/sample.gpkg`` and ``energy_labels/{labels,proposals}.csv`` (and a README
    beside the CSVs). Existing files are kept unless ``overwrite`` is true.
    """
    from heatplan.io.atomic import check_writable
    from heatplan.sample.files import GPKG_PATH, LABELS_PATH, PROPOSALS_PATH, README_PATH

    for rel in (GPKG_PATH, LABELS_PATH, PROPOSALS_PATH, README_PATH):
        check_writable(Path(out_dir) / rel, overwrite=overwrite)
    data = tile(generate(seed), scale)
    return write_sample(data, out_dir, generator=generator_command(seed, scale),
                        overwrite=overwrite)
