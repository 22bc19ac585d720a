"""The mark of synthetic data: a GeoPackage layer metadata item ``synthetic=true``.

The sample writer (:mod:`heatplan.sample.files`) puts :data:`SYNTHETIC_METADATA` on every
layer it writes; the dataset reader asks :func:`is_synthetic`, so every map made from such data
can say so.
"""

from __future__ import annotations

from pathlib import Path

import pyogrio

SYNTHETIC_KEY = "synthetic"
SYNTHETIC_METADATA: dict[str, str] = {SYNTHETIC_KEY: "true"}
"""The GDAL layer metadata item that marks a layer as synthetic (generated) data."""


def is_synthetic(gpkg_path: Path | str) -> bool:
    """True if any layer of the GeoPackage (or GDAL dataset) is marked ``synthetic=true``.

    False for a file that does not exist or that GDAL cannot open.
    """
    try:
        layers = pyogrio.list_layers(gpkg_path)[:, 0]
    except pyogrio.errors.DataSourceError:
        return False
    for layer in layers:
        meta = pyogrio.read_info(gpkg_path, layer=layer).get("layer_metadata") or {}
        if str(meta.get(SYNTHETIC_KEY, "")).lower() == "true":
            return True
    return False
