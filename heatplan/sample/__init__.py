"""The bundled synthetic sample: a Ballerup-like municipality made by a seeded generator.

:func:`make_sample` generates it (``scale`` copies side by side for benchmarks) and writes the
repository's folder layout, every layer marked synthetic
(:func:`heatplan.io.synthetic.is_synthetic` reads the mark), so every map can say so.

What the default seed gives (EPSG:25832, inside Ballerup's real extent): a 34 km² municipality
with about 290 km of connected streets (arterials, collectors, local streets with loops and
cul-de-sacs, paths, field roads); 8 existing district-heating districts (town centre,
apartment estates largely social housing, industrial estates) with existing mains along the
streets and two feed points; 15 candidate districts from dense terraced housing to a sparse
villa area, holding exactly 7,300 properties with individual gas or oil heating, two of them
with a politically fixed phase; 3 individual-heating districts (village roads and farms)
with about 240 gas or oil properties; 157 municipal buildings, all with energy labels (60 % D
or worse), and labels for about a third of the private houses, with EMO-style improvement
proposals. In the phase-1 district 6 properties are ``connected`` and 12 ``signed_up``
(``connection_status``).

Modules: :mod:`~heatplan.sample.layout` (boundary, main roads, cells),
:mod:`~heatplan.sample.districts`, :mod:`~heatplan.sample.streets`,
:mod:`~heatplan.sample.buildings` and :mod:`~heatplan.sample.neighbourhoods` (footprints),
:mod:`~heatplan.sample.attributes` (heating, owners), :mod:`~heatplan.sample.labels`,
:mod:`~heatplan.sample.network` (existing mains), :mod:`~heatplan.sample.build` (the whole
run and ``--scale``), :mod:`~heatplan.sample.files` (writing) and
``scripts/sample_overview.py`` (the README picture).
"""

from __future__ import annotations

import logging
from pathlib import Path

from heatplan.sample.build import DEFAULT_SEED, SampleData, generate, tile
from heatplan.sample.files import write_sample

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_SEED", "SampleData", "generate", "make_sample", "tile"]


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
