"""The residents' map page: a folium map with Leaflet, the map's own script and its data.

The page is one self-contained HTML file: Leaflet (linked from its CDN, or inlined for offline
use), the map's own script and style, one layer group per kind of feature, and the data as a
JSON block that the script draws (see :mod:`heatplan.outputs.resident_map.data`). Element ids
are numbered in order, so the same plan always gives a byte-identical file.
"""

from __future__ import annotations

import html
import json
import logging
from pathlib import Path
from typing import Any

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink

from heatplan.core.scenario import load_scenario
from heatplan.io.atomic import atomic_path, check_writable
from heatplan.outputs.resident_map.assets import leaflet_assets, static_asset
from heatplan.outputs.resident_map.data import MapData, map_data
from heatplan.outputs.resident_map.texts import (
    TEXTS,
    Contacts,
    Lang,
    contact_links,
    contacts,
    todo_texts,
)
from heatplan.outputs.style import (
    RESIDENT_MAP_DISTRICT_COLOUR,
    RESIDENT_MAP_NETWORK_COLOUR,
    resident_map_phase_colour,
)
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

DATA_ELEMENT_ID = "heatplan-data"
"""Id of the page's JSON block holding the map's data."""
DEFAULT_CENTER = [55.73, 12.36]
"""Latitude and longitude (degrees) the map opens at when the plan has no points."""


def resident_map(plan: Plan, *, lang: Lang = "da", offline: bool = False) -> folium.Map:
    """Build the residents' map of a plan.

    Parameters
    ----------
    plan
        The finished plan. Its ``properties`` need ``address`` and ``recommendation``
        (``district_heating``, ``individual_heat_pump``, ``existing_dh`` or ``none``) and may
        have ``postcode``, ``district_id``, ``phase`` and the years ``offer_year``,
        ``construction_start_year``, ``construction_end_year``, ``connection_year``. Districts
        (``name``, ``phase``, ``start_year``, ``end_year``, ``recommendation``), trenches
        (``phase``, ``dn``) and ``dh_network`` are drawn when present. All in a projected CRS
        (EPSG:25832).
    lang
        ``"da"`` (default) or ``"en"``: the language of every text on the map.
    offline
        Inline Leaflet's JavaScript and CSS (from the Python package ``xstatic-leaflet`` or
        Debian's ``libjs-leaflet``, see :func:`~heatplan.outputs.resident_map.assets.leaflet_dir`)
        and show no background tiles, so the file works without internet.

    Returns
    -------
    folium.Map
        The map; ``map.get_root().render()`` gives the whole HTML page.

    Raises
    ------
    SchemaError
        If ``properties`` lacks ``address`` or ``recommendation``, or has unknown
        recommendation values.
    CRSError
        If a layer has no CRS.
    ScenarioError
        If a link, e-mail or phone number in the ``residents`` scenario section is malformed.
    HeatplanError
        If ``offline`` is set and no installed copy of Leaflet is found.
    """
    if lang not in TEXTS:
        msg = f"lang must be one of {sorted(TEXTS)}, not {lang!r}."
        raise ValueError(msg)
    texts = TEXTS[lang]
    scenario = plan.scenario if plan.scenario is not None else load_scenario()
    contact = contacts(scenario, lang)
    leaflet = leaflet_assets() if offline else None
    data = map_data(plan, texts)

    m = _new_map(data.bounds)
    figure = m.get_root()
    figure.title = html.escape(contact.title)
    _add_head(figure, lang, leaflet)
    if not offline:
        folium.TileLayer("OpenStreetMap", name="basemap", control=False).add_to(m)
    groups = _add_layer_groups(m, plan, data, texts)
    control = folium.LayerControl(collapsed=True, position="topright").add_to(m)
    page_json = _page_json(plan, data, texts, contact, offline=offline)
    _stable_ids(figure)  # before any name is written into the script below
    _add_data_and_script(m, groups, control, page_json)
    logger.info(
        "Residents' map: %s addresses, %s districts, %s pipe lines (%s)",
        f"{len(data.points['a']):,}",
        len(data.districts["items"]),
        f"{sum(len(spec['coords']) for spec in data.lines):,}",
        "offline" if offline else "online",
    )
    return m


def write_resident_map(
    plan: Plan,
    path: Path | str,
    *,
    lang: Lang = "da",
    offline: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write the residents' map of ``plan`` as one HTML file, atomically.

    Parameters
    ----------
    plan
        The finished plan (see :func:`resident_map`).
    path
        The HTML file to write.
    lang
        ``"da"`` (default) or ``"en"``.
    offline
        Inline Leaflet and show no background tiles, so the file works without internet.
    overwrite
        Replace ``path`` if it exists.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is false.
    """
    path = Path(path)
    check_writable(path, overwrite=overwrite)
    page = resident_map(plan, lang=lang, offline=offline).get_root().render()
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(page, encoding="utf-8")
    logger.info("Wrote the residents' map to %s (%.2f MB)", path, path.stat().st_size / 1e6)
    return path


# --- the page's parts ------------------------------------------------------------------------


def _new_map(bounds: list[list[float]] | None) -> folium.Map:
    """An empty map centred on ``bounds``, without folium's default scripts and styles."""
    m = folium.Map(
        location=DEFAULT_CENTER if bounds is None else _center(bounds),
        zoom_start=13,
        tiles=None,
        prefer_canvas=True,
        zoom_control="bottomleft",
        control_scale=True,
        max_zoom=19,
        zoom_snap=0.25,
    )
    # Leaflet only (the popups, legend and search need no jQuery, Bootstrap or icon fonts),
    # linked or inlined by _add_head, before this map's own script and style.
    m.default_js = []
    m.default_css = []
    return m


def _add_head(figure: Figure, lang: str, leaflet: tuple[str, str] | None) -> None:
    """The page language, Leaflet (CDN links, or inlined ``(js, css)``) and the map's assets."""
    header = figure.header
    header.add_child(
        Element(f'<script>document.documentElement.lang = "{lang}";</script>'), name="hp_lang"
    )
    if leaflet is None:
        header.add_child(CssLink(dict(folium.Map.default_css)["leaflet_css"]), name="leaflet_css")
        header.add_child(JavascriptLink(dict(folium.Map.default_js)["leaflet"]), name="leaflet")
    else:
        header.add_child(Element(f"<style>{leaflet[1]}</style>"), name="leaflet_css")
        header.add_child(Element(f"<script>{leaflet[0]}</script>"), name="leaflet")
    header.add_child(Element(f"<style>{static_asset('resident_map.css')}</style>"), name="hp_css")
    header.add_child(Element(f"<script>{static_asset('resident_map.js')}</script>"), name="hp_js")


def _add_layer_groups(
    m: folium.Map, plan: Plan, data: MapData, texts: dict[str, Any]
) -> dict[str, folium.FeatureGroup]:
    """One layer group per kind of feature present, keyed by the name the page's script uses."""
    groups: dict[str, folium.FeatureGroup] = {}
    if data.districts["items"]:
        groups["districts"] = folium.FeatureGroup(
            name=_layer_label(texts["layer_districts"], RESIDENT_MAP_DISTRICT_COLOUR, "area")
        ).add_to(m)
    if plan.dh_network is not None and len(plan.dh_network):
        groups["network"] = folium.FeatureGroup(
            name=_layer_label(texts["layer_network"], RESIDENT_MAP_NETWORK_COLOUR, "line")
        ).add_to(m)
    if any(spec["group"] == "mains" for spec in data.lines):
        groups["mains"] = folium.FeatureGroup(
            name=_layer_label(texts["layer_mains"], resident_map_phase_colour(1), "line")
        ).add_to(m)
    for cls in data.classes:
        groups[cls["group"]] = folium.FeatureGroup(
            name=_layer_label(cls["label"], cls["color"], "point"), show=cls["show"]
        ).add_to(m)
    return groups


def _page_json(
    plan: Plan, data: MapData, texts: dict[str, Any], contact: Contacts, *, offline: bool
) -> dict[str, Any]:
    """Everything the page's script needs: texts, links, classes, points, areas, lines."""
    attribution = texts["attribution"].format(municipality=contact.municipality)
    if plan.is_synthetic:
        attribution += " · " + texts["attribution_synthetic"]
    if offline:
        attribution += " · " + texts["offline_note"]
    return {
        "t": {
            **{key: value for key, value in texts.items() if isinstance(value, str)},
            "plan_text": texts["plan_text"],
            "title": contact.title,
            "disclaimer": contact.disclaimer,
            "todo": todo_texts(texts, contact),
        },
        "links": contact_links(texts, contact),
        "classes": [
            {"group": c["group"], "color": c["color"], "kind": c["kind"]} for c in data.classes
        ],
        "points": data.points,
        "districts": data.districts,
        "lines": data.lines,
        "legend": data.legend,
        "synthetic": bool(plan.is_synthetic),
        "attribution": attribution,
        "bounds": data.bounds,
    }


def _add_data_and_script(
    m: folium.Map,
    groups: dict[str, folium.FeatureGroup],
    control: folium.LayerControl,
    page_json: dict[str, Any],
) -> None:
    """The data as a JSON block, and the script that starts the map's own code on it."""
    group_js = ", ".join(f"{json.dumps(key)}: {fg.get_name()}" for key, fg in groups.items())
    # The data travels as a JSON block (parsed faster than a script literal of the same size).
    m.get_root().html.add_child(
        Element(
            f'<script type="application/json" id="{DATA_ELEMENT_ID}">'
            f"{_script_json(page_json)}</script>"
        ),
        name="hp_data",
    )
    script = (
        f"window.heatplanMap = new HeatplanResidentMap({m.get_name()}, {{{group_js}}}, "
        f"{control.get_name()}, "
        f'JSON.parse(document.getElementById("{DATA_ELEMENT_ID}").textContent));\n'
        "window.heatplanReady = true;"
    )
    _ScriptElement(script).add_to(m)


# --- helpers ---------------------------------------------------------------------------------


def _center(bounds: list[list[float]]) -> list[float]:
    """The middle of ``[[south, west], [north, east]]`` as ``[lat, lon]``."""
    return [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]


def _layer_label(text: str, color: str, shape: str) -> str:
    """Layer-control label: an escaped text after a coloured symbol (Leaflet shows it as HTML)."""
    symbol = {"point": "\u25cf", "line": "\u2501", "area": "\u25a2"}[shape]
    return f'<span style="color:{color}">{symbol}</span> {html.escape(text)}'


def _script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class _ScriptElement(folium.MacroElement):
    """A piece of JavaScript placed in the page's script section after the map's layers."""

    _template = folium.template.Template(
        "{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}"
    )

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "HeatplanResidentMap"
        self.code = code


def _stable_ids(root: Element) -> None:
    """Give every element a deterministic id, so the same plan gives a byte-identical file."""
    counter = 0
    stack = [root]
    while stack:
        element = stack.pop(0)
        element._id = f"{counter:08x}"
        counter += 1
        children = list(element._children.values())
        if isinstance(element, Figure):
            children = [element.header, element.html, element.script, *children]
        stack.extend(children)
