"""The digging schedule's GeoPackage layers with their QGIS styles (QML).

:func:`coordination_layers` returns the layers the GeoPackage writer adds to the plan's:
``gravearbejder`` (the work packages, lines styled by the year they are dug, as on the works
map), ``andre_gravearbejder`` (the other works in the streets), ``gravekonflikter`` (a point
per conflict, numbered as in the workbook and on the map) and ``gaslukning`` (the districts
with gas, styled by the year their gas can close). Each comes with a QML style using the
works map's colours and line styles (:mod:`heatplan.outputs.digging_charts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import pandas as pd

from heatplan.outputs.digging_charts import (
    OTHER_WORK_COLOUR,
    YEAR_COLOURS,
    chart_word,
    conflict_points,
    year_colours,
)
from heatplan.outputs.texts import check_lang, text
from heatplan.plan.result import Plan

LAYER_NAMES: dict[str, dict[str, str]] = {
    "work_packages": {"da": "gravearbejder", "en": "work_packages"},
    "planned_works": {"da": "andre_gravearbejder", "en": "other_works"},
    "work_conflicts": {"da": "gravekonflikter", "en": "works_conflicts"},
    "gas_closure": {"da": "gaslukning", "en": "gas_closure"},
}
"""GeoPackage layer names by language."""

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "work_packages": {"da": "Gravetidsplanens arbejdspakker: vej, strækning, år og kvartal",
                      "en": "The digging schedule's work packages: street, stretch, year and "
                      "quarter"},
    "planned_works": {"da": "Andre arbejder i vejene (vej, vand, kloak, fiber …)",
                      "en": "Other works in the streets (road, water, sewer, fibre …)"},
    "work_conflicts": {"da": "Konflikter mellem arbejdspakker og andre arbejder, med forslag",
                       "en": "Conflicts between work packages and other works, with a "
                       "suggestion"},
    "gas_closure": {"da": "Hvornår gasnettet i hvert distrikt kan lukkes",
                    "en": "When each district's gas network can close"},
}
"""Layer descriptions by language."""

QGIS_LINE_STYLES = ("solid", "dash", "dash dot", "dot")
"""QGIS line styles of the digging years, as the works map's (``YEAR_DASHES``)."""


@dataclass(frozen=True)
class StyledLayer:
    """One layer for the GeoPackage: key, name, description, table and its QGIS style."""

    key: str
    name: str
    description: str
    table: pd.DataFrame
    qml: str


def coordination_layers(plan: Plan, lang: str = "da") -> list[StyledLayer]:
    """The coordination meeting's GeoPackage layers that have rows, in writing order."""
    check_lang(lang)
    synthetic = f" – {text('synthetic', lang)}" if plan.is_synthetic else ""
    tables = {
        "work_packages": _packages(plan),
        "planned_works": plan.planned_works,
        "work_conflicts": _conflicts(plan),
        "gas_closure": _gas_areas(plan),
    }
    styles = {
        "work_packages": _year_lines(tables["work_packages"], "construction_year", lang),
        "planned_works": _qml(_single(_line_symbol(0, OTHER_WORK_COLOUR, "solid", 2.5, 140))),
        "work_conflicts": _qml(_single(_marker_symbol(0))),
        "gas_closure": _year_fills(tables["gas_closure"], "closure_year", lang),
    }
    return [StyledLayer(key, LAYER_NAMES[key][lang], DESCRIPTIONS[key][lang] + synthetic,
                        table, styles[key])
            for key, table in tables.items()
            if isinstance(table, gpd.GeoDataFrame) and len(table)]


def _packages(plan: Plan) -> gpd.GeoDataFrame | None:
    pk = plan.work_packages
    if not isinstance(pk, gpd.GeoDataFrame) or not len(pk):
        return None
    out = pk.copy()
    names = plan.districts["name"] if "name" in plan.districts.columns else None
    if names is not None:
        out.insert(1, "district_name", out["district_id"].map(names).astype("string"))
    return out


def _conflicts(plan: Plan) -> gpd.GeoDataFrame | None:
    conflicts = plan.work_conflicts
    if conflicts is None or not len(conflicts) or not isinstance(plan.work_packages,
                                                                  gpd.GeoDataFrame):
        return None
    table = conflicts.copy()
    table.insert(0, "conflict_no", range(1, len(table) + 1))
    return gpd.GeoDataFrame(table, geometry=conflict_points(plan),
                            crs=plan.work_packages.crs)


def _gas_areas(plan: Plan) -> gpd.GeoDataFrame | None:
    gas = plan.gas_closure
    if gas is None or not len(gas) or not isinstance(plan.districts, gpd.GeoDataFrame):
        return None
    shapes = plan.districts.geometry.reindex(gas.index)
    out = gas.copy()
    names = plan.districts["name"] if "name" in plan.districts.columns else None
    if names is not None:
        out.insert(0, "district_name", names.reindex(gas.index).astype("string"))
    return gpd.GeoDataFrame(out, geometry=shapes.to_numpy(), crs=plan.districts.crs)


# ------------------------------------------------------------------ QML


def _rgba(colour: str, alpha: int = 255) -> str:
    value = colour.lstrip("#")
    return ",".join(str(int(value[i:i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def _props(**values: str) -> str:
    return "".join(f"<prop k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in values.items())


def _line_symbol(index: int, colour: str, style: str, width: float, alpha: int = 255) -> str:
    return (f'<symbol type="line" name="{index}" alpha="1" clip_to_extent="1">'
            '<layer class="SimpleLine" enabled="1" pass="0" locked="0">'
            + _props(line_color=_rgba(colour, alpha), line_style=style,
                     line_width=f"{width}", line_width_unit="MM", capstyle="round",
                     joinstyle="round") + "</layer></symbol>")


def _fill_symbol(index: int, colour: str) -> str:
    return (f'<symbol type="fill" name="{index}" alpha="1" clip_to_extent="1">'
            '<layer class="SimpleFill" enabled="1" pass="0" locked="0">'
            + _props(color=_rgba(colour, 110), outline_color=_rgba("#404040"),
                     outline_style="solid", outline_width="0.4", outline_width_unit="MM",
                     style="solid") + "</layer></symbol>")


def _marker_symbol(index: int) -> str:
    return (f'<symbol type="marker" name="{index}" alpha="1" clip_to_extent="1">'
            '<layer class="SimpleMarker" enabled="1" pass="0" locked="0">'
            + _props(name="circle", color=_rgba("#ffffff"), outline_color=_rgba("#000000"),
                     outline_width="0.5", size="4", size_unit="MM") + "</layer></symbol>")


def _qml(renderer: str, labels: str = "") -> str:
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
            f'<qgis version="3.28.0" styleCategories="Symbology|Labeling">{renderer}{labels}'
            "</qgis>")


def _single(symbol: str) -> str:
    return f'<renderer-v2 type="singleSymbol"><symbols>{symbol}</symbols></renderer-v2>'


def _categorized(attr: str, categories: list[tuple[str, str]], symbols: list[str]) -> str:
    cats = "".join(f'<category value={quoteattr(v)} label={quoteattr(label)} symbol="{i}" '
                   'render="true"/>' for i, (v, label) in enumerate(categories))
    return (f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(attr)}>'
            f"<categories>{cats}</categories><symbols>{''.join(symbols)}</symbols>"
            "</renderer-v2>")


def _years(table: pd.DataFrame | None, column: str) -> list[int]:
    if table is None or column not in table.columns:
        return []
    return sorted(int(y) for y in table[column].dropna().unique())


def _year_lines(table: pd.DataFrame | None, column: str, lang: str) -> str:
    """Lines by year: the works map's colours and line styles."""
    years = _years(table, column)
    colours = year_colours(years)
    symbols = [_line_symbol(i, colours[y], QGIS_LINE_STYLES[i % len(QGIS_LINE_STYLES)], 0.8)
               for i, y in enumerate(years)]
    labels = [(str(y), chart_word("map_year", lang, year=y)) for y in years]
    return _qml(_categorized(column, labels, symbols))


def _year_fills(table: pd.DataFrame | None, column: str, lang: str) -> str:
    """Areas by year, the same colours as the works map's years."""
    years = _years(table, column)
    symbols = [_fill_symbol(i, YEAR_COLOURS[i % len(YEAR_COLOURS)])
               for i, _ in enumerate(years)]
    return _qml(_categorized(column, [(str(y), str(y)) for y in years], symbols))


STYLE_TIME = pd.Timestamp("2000-01-01")
"""``update_time`` of every style row (fixed, so reruns give the same bytes)."""


def styles_table(layers: list[StyledLayer], geometry_column: str = "geom") -> pd.DataFrame:
    """Rows of the GeoPackage's ``layer_styles`` table for ``layers``: QGIS applies each as
    the layer's default style (the columns QGIS reads, as ``outputs/geopackage.py`` writes)."""
    return pd.DataFrame({
        "f_table_catalog": "", "f_table_schema": "",
        "f_table_name": [layer.name for layer in layers],
        "f_geometry_column": geometry_column,
        "styleName": [f"heatplan {layer.name}" for layer in layers],
        "styleQML": [layer.qml for layer in layers],
        "styleSLD": "",
        "useAsDefault": pd.array([True] * len(layers), dtype="boolean"),
        "description": "heatplan", "owner": "", "ui": "",
        "update_time": pd.Series([STYLE_TIME] * len(layers), dtype="datetime64[ms]"),
    })
