"""Read the previous plan's GeoPackage back, for the yearly revision."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from heatplan.core.errors import InputDataError
from heatplan.io.engines import DEFAULT_ENGINE, list_layers, read_errors, read_frame

# Layer names of a plan GeoPackage in either output language (outputs/geopackage.py).
_LAYERS = {
    "properties": ("ejendomme", "properties"),
    "districts": ("energidistrikter", "districts"),
}
_INDEX = {"properties": "property_id", "districts": "district_id"}
_PLAN_COLUMNS = {
    "properties": ("recommendation", "connection_year"),
    "districts": ("phase", "start_year", "end_year"),
}


def read_previous_plan(path: Path | str, *, engine: str = DEFAULT_ENGINE
                       ) -> dict[str, pd.DataFrame]:
    """Return the ``properties`` and ``districts`` tables of a plan GeoPackage.

    ``engine`` is the GIS reading engine, ``"pyogrio"`` or ``"fiona"``.

    Raises
    ------
    InputDataError
        If the file is not a heatplan plan GeoPackage (a layer or id column is missing).
    """
    path = Path(path)
    try:
        present = set(list_layers(path, engine))
    except read_errors(engine) as err:
        msg = f"{path}: cannot be opened as a GeoPackage ({err}). Give the plan's .gpkg file."
        raise InputDataError(msg) from err
    tables = {}
    for key, names in _LAYERS.items():
        layer = next((n for n in names if n in present), None)
        if layer is None:
            msg = (
                f"{path}: no layer {' or '.join(names)}; --previous takes the "
                "heatplan_plan.gpkg written by an earlier `heatplan plan`."
            )
            raise InputDataError(msg)
        frame = pd.DataFrame(read_frame(path, layer=layer, engine=engine, read_geometry=False))
        missing = [c for c in (_INDEX[key], *_PLAN_COLUMNS[key]) if c not in frame.columns]
        if missing:
            msg = (
                f"{path}, layer {layer}: column(s) {', '.join(missing)} missing, so this is not "
                "a plan. Give the heatplan_plan.gpkg written by an earlier `heatplan plan`."
            )
            raise InputDataError(msg)
        tables[key] = frame.set_index(_INDEX[key])
    return tables
