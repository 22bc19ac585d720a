"""The plan as a GeoPackage for QGIS: one layer per plan table, plus Plandata heat-plan areas.

Every layer has one geometry type (mixed single and multi parts are promoted to multi), field
types follow the data (nullable integers stay integers; text columns declared in
:mod:`heatplan.core.columns` are written as text), and the layer description says when the
plan was made on heatplan's synthetic sample. The file is written atomically; GDAL's time stamps
(``gpkg_contents.last_change``) are fixed through ``OGR_CURRENT_DATE`` so a rerun gives the same
bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from heatplan.core.columns import declared_dtype
from heatplan.io.atomic import atomic_path
from heatplan.outputs.texts import check_lang, text
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

GPKG_NAME = "heatplan_plan.gpkg"
GEOMETRY_NAME = "geom"
STYLES_LAYER = "layer_styles"
"""The table QGIS reads default layer styles from."""
FIXED_DATE = "2000-01-01T00:00:00.000Z"
"""The time stamp GDAL writes into ``gpkg_contents.last_change`` (so reruns are identical)."""
DEFAULT_SUPPLIER = "Vestforbrænding"
"""Supplier named in ``virknavn`` when the scenario has no ``outputs.supplier_name``."""

LAYER_NAMES: dict[str, dict[str, str]] = {
    "properties": {"da": "ejendomme", "en": "properties"},
    "districts": {"da": "energidistrikter", "en": "districts"},
    "trenches": {"da": "nye_ledninger", "en": "trenches"},
    "service_pipes": {"da": "stikledninger", "en": "service_pipes"},
    "dh_network": {"da": "eksisterende_fjernvarmenet", "en": "existing_dh_network"},
    "heat_sources": {"da": "varmekilder", "en": "heat_sources"},
    "renovation": {"da": "renoveringsrangering", "en": "renovation_ranking"},
    "varmeplansomraader": {"da": "varmeplansomraader", "en": "varmeplansomraader"},
    "years": {"da": "aar_for_aar", "en": "years"},
    "co2_trajectory": {"da": "co2_forloeb", "en": "co2_trajectory"},
    "rejected": {"da": "afviste_{layer}", "en": "rejected_{layer}"},
}

_DESCRIPTION_KEYS = {
    "properties": "gpkg_properties",
    "districts": "gpkg_districts",
    "trenches": "gpkg_trenches",
    "service_pipes": "gpkg_service_pipes",
    "dh_network": "gpkg_dh_network",
    "heat_sources": "gpkg_heat_sources",
    "renovation": "gpkg_renovation",
    "varmeplansomraader": "gpkg_varmeplansomraader",
    "years": "gpkg_years",
    "co2_trajectory": "gpkg_co2",
}

# Columns shown first in the properties layer, in this order (others follow as they are).
_PROPERTY_ORDER = [
    "address",
    "postcode",
    "district_id",
    "district_name",
    "recommendation",
    "phase",
    "offer_year",
    "construction_start_year",
    "construction_end_year",
    "connection_year",
    "heat_demand_mwh_a",
    "co2_before_t_a",
    "co2_after_t_a",
]
# Columns shown first in the districts layer: the recommendation and its economics.
_DISTRICT_ORDER = ["name", "status", "recommendation", "npv_dh_mdkk", "npv_hp_mdkk",
                   "npv_difference_mdkk", "heat_loss_share", "co2_dh_t_a", "co2_hp_t_a"]
# Candidate names for CO2 after conversion, read from the plan's properties if present.
CO2_AFTER_COLUMNS = ("co2_after_t_a", "co2_planned_t_a", "co2_plan_t_a")


@dataclass(frozen=True)
class OutputLayer:
    """One layer of the GeoPackage: its key, name, description and table."""

    key: str
    name: str
    description: str
    table: pd.DataFrame


def layer_name(key: str, lang: str = "da", **fields: str) -> str:
    """Return the GeoPackage layer name of ``key`` in ``lang``."""
    return LAYER_NAMES[key][check_lang(lang)].format(**fields)


def _supplier(plan: Plan) -> str:
    if plan.scenario is not None and "outputs.supplier_name" in plan.scenario:
        return str(plan.scenario.value("outputs.supplier_name"))
    return DEFAULT_SUPPLIER


def _municipality_code(plan: Plan) -> int | None:
    return int(plan.municipality_code) if plan.municipality_code else None


def _date_int(value: object) -> int | None:
    """``2026-01-31`` (or a date) as the integer 20260131 Plandata uses; None if missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    stamp = pd.Timestamp(value)
    return int(stamp.strftime("%Y%m%d"))


def heat_plan_areas(plan: Plan, lang: str = "da") -> gpd.GeoDataFrame:
    """Return the districts shaped like Plandata's adopted heat-plan areas (``varmeplansomraade``).

    One MultiPolygon per district that converts properties: ``vaerdi1207`` is "Fjernvarme" for
    district heating and "Individuel varmeforsyning" for individual heat pumps; ``konvstartaar``
    and ``konvslutaar`` are the district's construction start and end years; ``virknavn`` names
    the supplier for district heating; ``datovedt`` is the plan date as a YYYYMMDD integer when
    ``plan.summary["plan_date"]`` is given (a plan is not adopted until the council says so).
    """
    districts = plan.districts
    rec = districts.get("recommendation", pd.Series("", index=districts.index)).astype("string")
    keep = rec.isin(["district_heating", "individual_heat_pump"]).fillna(False).to_numpy()
    sel = districts[keep]
    is_dh = (rec[keep] == "district_heating").to_numpy()
    start = _int_column(sel, "start_year")
    end = _int_column(sel, "end_year")
    years = pd.concat([start.dropna(), end.dropna()])
    if len(years):
        plan_name = f"{text('vp_plan_name', lang, year=int(years.min()))}–{int(years.max())}"
    else:
        plan_name = text("vp_plan_name", lang, year="")
    komnr = _municipality_code(plan)
    datovedt = _date_int(plan.summary.get("plan_date"))
    out = gpd.GeoDataFrame(
        {
            "vaerdi1207": np.where(is_dh, text("vp_dh", lang), text("vp_individual", lang)),
            "konvstartaar": start.array,
            "konvslutaar": end.array,
            "virknavn": pd.array([_supplier(plan) if d else None for d in is_dh], dtype="string"),
            "plannavn": plan_name,
            "delnavn": sel.get("name", pd.Series(sel.index, index=sel.index))
            .astype("string")
            .array,
            "komnr": pd.array([komnr] * len(sel), dtype="Int64"),
            "datovedt": pd.array([datovedt] * len(sel), dtype="Int64"),
            "district_id": sel.index.astype("string").array,
            "phase": _int_column(sel, "phase").array,
        },
        geometry=shapely.force_2d(_to_multi(sel.geometry.to_numpy())),
        crs=districts.crs,
    )
    out.index = pd.RangeIndex(len(out))
    return out


def _int_column(table: pd.DataFrame, column: str) -> pd.Series:
    if column not in table:
        return pd.Series(pd.array([None] * len(table), dtype="Int64"), index=table.index)
    return pd.Series(pd.array(pd.to_numeric(table[column]), dtype="Int64"), index=table.index)


def _to_multi(geoms: np.ndarray) -> np.ndarray:
    """Promote single parts to multi parts (Polygon -> MultiPolygon etc.); None stays None."""
    out = np.array(geoms, dtype=object)
    types = shapely.get_type_id(out)
    for single, multi in (
        (3, shapely.multipolygons),
        (1, shapely.multilinestrings),
        (0, shapely.multipoints),
    ):
        idx = np.flatnonzero(types == single)
        if len(idx):
            out[idx] = [multi([g]) for g in out[idx]]
    return out


def one_geometry_type(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``gdf`` with a single geometry type: mixed single and multi parts become multi.

    Mixed dimensions (points with polygons) become representative points, since a GeoPackage
    layer has one geometry type; this is logged.
    """
    geoms = gdf.geometry.to_numpy()
    present = geoms[~shapely.is_missing(geoms)]
    kinds = set(shapely.get_type_id(present).tolist())
    if len(kinds) <= 1:
        return gdf
    dims = {0: 0, 4: 0, 1: 1, 5: 1, 3: 2, 6: 2}
    out = gdf.copy()  # never change the caller's table
    if len({dims.get(k, -1) for k in kinds}) == 1:
        out = out.set_geometry(_to_multi(geoms), crs=gdf.crs)
    else:
        logger.warning(
            "A layer mixes points, lines and polygons; writing %d representative points", len(gdf)
        )
        out = out.set_geometry(shapely.point_on_surface(geoms), crs=gdf.crs)
    return out


def _clean_table(table: pd.DataFrame, key: str = "") -> pd.DataFrame:
    """Return a copy with the index as columns and types GDAL writes faithfully.

    ``key`` is the layer's key, under which :mod:`heatplan.core.columns` declares its columns.
    """
    out = table.copy()
    if out.index.name is not None or not isinstance(out.index, pd.RangeIndex):
        name = out.index.name or "id"
        if name in out.columns:
            out = out.drop(columns=name)
        out = out.reset_index(names=name)
    geom_name = out.geometry.name if isinstance(out, gpd.GeoDataFrame) else None
    for col in out.columns:
        if col == geom_name:
            continue
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            out[col] = series.astype("string")
        elif series.dtype == object:
            out[col] = _object_column(series, _declared_dtype(str(col), key))
    out.columns = [str(c) for c in out.columns]
    return out


def _declared_dtype(column: str, key: str) -> str | None:
    """The dtype :mod:`heatplan.core.columns` declares for ``column`` of layer ``key``."""
    return declared_dtype(column, key) or declared_dtype(column, f"gpkg_{key}")


def _object_column(
    series: pd.Series, declared: str | None
) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """An object column as an array GDAL writes faithfully (nullable integer, float, ...).

    A column declared as text is written as text. The others get the type their values
    suggest: a declared number column only arrives as object when it is empty or mixed, and
    then keeps the type its values give it, as do undeclared columns.
    """
    kind = "string" if declared == "string" else pd.api.types.infer_dtype(series, skipna=True)
    if kind == "integer":
        return pd.array(series, dtype="Int64")
    if kind in {"floating", "mixed-integer-float", "decimal"}:
        return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
    if kind == "boolean":
        return pd.array(series, dtype="boolean")
    return pd.array([None if _missing(v) else str(v) for v in series], dtype="string")


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and np.isnan(value)


def _properties_layer(plan: Plan) -> gpd.GeoDataFrame:
    props = plan.properties.copy()  # never change the plan's table
    if "co2_t_a" in props:
        props = props.rename(columns={"co2_t_a": "co2_before_t_a"})
    for cand in CO2_AFTER_COLUMNS:
        if cand in props and cand != "co2_after_t_a":
            props = props.rename(columns={cand: "co2_after_t_a"})
            break
    if "district_id" in props and "name" in plan.districts:
        names = plan.districts["name"].astype("string")
        props.insert(0, "district_name", props["district_id"].map(names).astype("string"))
    return _first(props, _PROPERTY_ORDER)


def _first(table: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """``table`` with the columns of ``order`` first (those it has), the others after."""
    first = [c for c in order if c in table]
    return table[first + [c for c in table.columns if c not in first]]


def _renovation_layer(plan: Plan) -> pd.DataFrame:
    """The ranking, with the building's geometry when its ``property_id`` is known."""
    ranking = plan.renovation
    if ranking.index.name == "property_id":
        ids = ranking.index
    elif "property_id" in ranking:
        ids = pd.Index(ranking["property_id"])
    else:
        return ranking
    geoms = plan.properties.geometry.reindex(pd.Index(ids))
    if geoms.isna().all():
        return ranking
    return gpd.GeoDataFrame(ranking.copy(), geometry=geoms.to_numpy(), crs=plan.properties.crs)


def _has_content(table: pd.DataFrame) -> bool:
    """A table GDAL can write: it has a field or a geometry (an index counts as a field)."""
    return len(table.columns) > 0 or (len(table) > 0 and table.index.name is not None)


def plan_layers(plan: Plan, lang: str = "da") -> list[OutputLayer]:
    """Return every GeoPackage layer of ``plan`` in writing order.

    Tables without rows are kept (an empty layer with its fields); tables without any column
    are left out.
    """
    check_lang(lang)
    tables: list[tuple[str, pd.DataFrame | None]] = [
        ("varmeplansomraader", heat_plan_areas(plan, lang)),
        ("districts", _first(plan.districts, _DISTRICT_ORDER)),
        ("properties", _properties_layer(plan)),
        ("trenches", plan.trenches),
        ("service_pipes", plan.service_pipes),
        ("dh_network", plan.dh_network),
        ("heat_sources", plan.heat_sources),
        ("renovation", _renovation_layer(plan)),
        ("years", plan.years),
        ("co2_trajectory", plan.co2_trajectory),
    ]
    synthetic = f" – {text('synthetic', lang)}" if plan.is_synthetic else ""
    layers = [
        OutputLayer(key, layer_name(key, lang), text(_DESCRIPTION_KEYS[key], lang) + synthetic, t)
        for key, t in tables
        if t is not None and _has_content(t)
    ]
    for source_layer in sorted(plan.rejected):
        rows = plan.rejected[source_layer]
        if len(rows) == 0:
            continue
        layers.append(
            OutputLayer(
                "rejected",
                layer_name("rejected", lang, layer=source_layer),
                text("gpkg_rejected", lang, layer=source_layer) + synthetic,
                rows,
            )
        )
    return layers


_GDAL_OPTIONS = {
    "OGR_CURRENT_DATE": FIXED_DATE,
    # the file is a temporary one, moved into place only when complete: no need to sync
    "OGR_SQLITE_SYNCHRONOUS": "OFF",
    "OGR_SQLITE_JOURNAL": "MEMORY",
}


@contextlib.contextmanager
def _gdal_options() -> Iterator[None]:
    """Set GDAL options for writing (fixed time stamps, no syncs); restore them after."""
    old = {key: pyogrio.get_gdal_config_option(key) for key in _GDAL_OPTIONS}
    pyogrio.set_gdal_config_options(_GDAL_OPTIONS)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(old)


def _is_spatial(table: pd.DataFrame) -> bool:
    return (
        isinstance(table, gpd.GeoDataFrame)
        and table._geometry_column_name in table
        and (len(table) == 0 or not table.geometry.isna().all())
    )


def write_layers(layers: list[OutputLayer], path: Path, *, synthetic: bool) -> None:
    """Write ``layers`` into a new GeoPackage at ``path`` (which must not exist)."""
    metadata = {"SYNTHETIC": "yes" if synthetic else "no", "GENERATOR": "heatplan"}
    with _gdal_options():
        for i, layer in enumerate(layers):
            table = layer.table
            if _is_spatial(table):
                table = one_geometry_type(table)
                if table.crs is None:
                    table = table.set_crs("EPSG:25832")
            elif isinstance(table, gpd.GeoDataFrame):
                table = pd.DataFrame(table.drop(columns=table.geometry.name))
            table = _clean_table(table, layer.key)
            kwargs = {}
            layer_options = {"DESCRIPTION": layer.description, "IDENTIFIER": layer.name}
            if isinstance(table, gpd.GeoDataFrame):
                layer_options["GEOMETRY_NAME"] = GEOMETRY_NAME
            if i == 0:
                kwargs["dataset_options"] = {"VERSION": "1.2"}
            if isinstance(table, gpd.GeoDataFrame):
                kwargs["promote_to_multi"] = False
                if len(table) == 0 and layer.key == "varmeplansomraader":
                    kwargs["geometry_type"] = "MultiPolygon"
            pyogrio.write_dataframe(
                table,
                path,
                layer=layer.name,
                driver="GPKG",
                layer_options=layer_options,
                metadata=metadata,
                **kwargs,
            )
            logger.debug("Wrote layer %s with %d rows", layer.name, len(table))


def write_geopackage(
    plan: Plan, path: Path | str, *, lang: str = "da", overwrite: bool = False
) -> Path:
    """Write the plan's GeoPackage to ``path`` atomically and return ``path``.

    Besides the plan layers (:func:`plan_layers`) and the coordination meeting's layers (work
    packages, other works, conflicts, gas closure), a ``layer_styles`` table gives QGIS a
    default style for districts, trenches, heat-plan areas, properties and those layers.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is false.
    """
    from heatplan.outputs.digging_layers import coordination_layers, styles_table
    from heatplan.outputs.phase_maps.layers import plan_phases

    path = Path(path)
    works = coordination_layers(plan, lang)
    layers = plan_layers(plan, lang) + [OutputLayer(w.key, w.name, w.description, w.table)
                                        for w in works]
    phases = [p.phase for p in plan_phases(plan)]
    styles = pd.concat([style_table(layers, phases, lang), styles_table(works, GEOMETRY_NAME)],
                       ignore_index=True)
    layers.append(OutputLayer("styles", STYLES_LAYER, "QGIS layer styles", styles))
    with atomic_path(path, overwrite=overwrite) as tmp:
        write_layers(layers, tmp, synthetic=plan.is_synthetic)
    logger.info("Wrote %s with %d layers", path, len(layers))
    return path


# ------------------------------------------------------------------ QGIS default styles


STYLE_TIME = dt.datetime(2000, 1, 1)
"""``update_time`` of every style row."""


def _rgba(hex_colour: str, alpha: int = 255) -> str:
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{alpha}"


def _options(**values: str) -> str:
    body = "".join(
        f'<Option name={quoteattr(k)} value={quoteattr(v)} type="QString"/>'
        for k, v in values.items()
    )
    return f'<Option type="Map">{body}</Option>'


def _symbol(kind: str, index: int, layer_class: str, options: str, extra: str = "") -> str:
    return (
        f'<symbol type="{kind}" name="{index}" alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="{layer_class}" enabled="1" pass="0" locked="0">{options}{extra}</layer>'
        "</symbol>"
    )


def _fill(index: int, fill: str, outline: str, alpha: int = 90) -> str:
    return _symbol(
        "fill",
        index,
        "SimpleFill",
        _options(
            color=_rgba(fill, alpha),
            outline_color=_rgba(outline),
            outline_style="solid",
            outline_width="0.5",
            outline_width_unit="MM",
            style="solid",
        ),
    )


_DN_WIDTH = 'coalesce(0.25 + "dn" / 150.0, 0.4)'
"""Trench line width in mm from its DN, as the phase maps draw it."""


def _line(index: int, colour: str) -> str:
    width = (
        '<data_defined_properties><Option type="Map"><Option name="name" value="" type="QString"/>'
        '<Option name="properties" type="Map"><Option name="outlineWidth" type="Map">'
        '<Option name="active" value="true" type="bool"/>'
        f'<Option name="expression" value={quoteattr(_DN_WIDTH)} type="QString"/>'
        '<Option name="type" value="3" type="int"/></Option></Option>'
        '<Option name="type" value="collection" type="QString"/></Option>'
        "</data_defined_properties>"
    )
    return _symbol(
        "line",
        index,
        "SimpleLine",
        _options(
            line_color=_rgba(colour),
            line_style="solid",
            line_width="0.6",
            line_width_unit="MM",
            capstyle="round",
            joinstyle="round",
        ),
        width,
    )


def _qml(renderer: str) -> str:
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        f'<qgis version="3.28.0" styleCategories="Symbology">{renderer}</qgis>'
    )


def _categorized(attr: str, categories: list[tuple[str, str]], symbols: list[str]) -> str:
    cats = "".join(
        f'<category value={quoteattr(value)} label={quoteattr(label)} symbol="{i}" render="true"/>'
        for i, (value, label) in enumerate(categories)
    )
    return _qml(
        f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(attr)} symbollevels="0" '
        'enableorderby="0" forceraster="0">'
        f"<categories>{cats}</categories><symbols>{''.join(symbols)}</symbols></renderer-v2>"
    )


def style_table(layers: list[OutputLayer], phases: list[int], lang: str = "da") -> pd.DataFrame:
    """Return ``layer_styles`` rows: QGIS default styles for the plan's main layers.

    Districts and trenches are coloured by phase as on the phase maps (trench width by DN),
    heat-plan areas by ``vaerdi1207``, properties by recommendation.
    """
    from heatplan.outputs.style import EXISTING_NET_COLOUR, INDIVIDUAL_COLOUR, phase_colour

    names = {layer.key: layer.name for layer in layers}
    phase_cats = [(str(p), text("legend_phase_short", lang, phase=p)) for p in phases]
    n = len(phases)
    qml = {
        "districts": _categorized(
            "phase",
            [*phase_cats, ("", text("legend_other_area", lang))],
            [_fill(i, phase_colour(p), phase_colour(p)) for i, p in enumerate(phases)]
            + [_fill(n, "#f0f0f0", "#737373")],
        ),
        "trenches": _categorized(
            "phase",
            [*phase_cats, ("", text("legend_trench_other", lang))],
            [_line(i, phase_colour(p)) for i, p in enumerate(phases)]
            + [_line(n, EXISTING_NET_COLOUR)],
        ),
        "varmeplansomraader": _categorized(
            "vaerdi1207",
            [(text("vp_dh", lang),) * 2, (text("vp_individual", lang),) * 2],
            [_fill(0, "#e6550d", "#a63603"), _fill(1, "#d9d9d9", INDIVIDUAL_COLOUR)],
        ),
        "properties": _categorized(
            "recommendation",
            [
                (code, text(f"rec_{code}", lang))
                for code in ("district_heating", "individual_heat_pump", "existing_dh", "none")
            ],
            [
                _fill(i, c, c, alpha=200)
                for i, c in enumerate(
                    ["#e6550d", INDIVIDUAL_COLOUR, EXISTING_NET_COLOUR, "#bdbdbd"]
                )
            ],
        ),
    }
    rows = [(names[key], qml[key]) for key in qml if key in names]
    return pd.DataFrame(
        {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": [r[0] for r in rows],
            "f_geometry_column": GEOMETRY_NAME,
            "styleName": [f"heatplan {r[0]}" for r in rows],
            "styleQML": [r[1] for r in rows],
            "styleSLD": "",
            "useAsDefault": pd.array([True] * len(rows), dtype="boolean"),
            "description": "heatplan",
            "owner": "",
            "ui": "",
            "update_time": pd.Series([STYLE_TIME] * len(rows), dtype="datetime64[ms]"),
        }
    )
