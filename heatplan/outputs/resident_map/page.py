"""The residents' map page: one HTML file, or an index page with a folder beside it.

The page is a ``folium.Map`` in a branca figure: folium makes the Leaflet map (fitted to the
plan, and the tile layer when one is configured); the page's own parts (the address search,
the answer panel, the footer with the plan's date and heatplan's version, the JSON data, the
Content-Security-Policy) are branca elements (:mod:`.elements`), and the map's own script
draws the addresses, areas, pipes, streets and legend on folium's map. Leaflet and the map's
own script and style are inlined (one file) or shipped in the folder beside the page, in place
of folium's CDN links; the page's Content-Security-Policy allows no other source, so the map
sends no request anywhere unless a tile layer is configured (``residents.basemap_tiles``).

A map of more than ``residents.folder_above_addresses`` addresses is written as a folder: the
index page keeps the texts, answers, districts, pipes and street names; each district's
addresses and each cell of the base map are a small script file loaded when the view or a
search needs it (works from a disk or any static web server; no server-side code).
"""

from __future__ import annotations

import html
import json
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import folium
from folium import Element

from heatplan.core.errors import OutputExistsError, ScenarioError
from heatplan.core.scenario import Scenario, load_scenario
from heatplan.io.atomic import atomic_path, check_writable
from heatplan.outputs.resident_map.assets import leaflet_assets, static_asset
from heatplan.outputs.resident_map.data import MapData, map_data
from heatplan.outputs.resident_map.elements import (
    AnswerPanel,
    DataBlock,
    FitView,
    InlineAsset,
    PageFigure,
    PageFooter,
    SearchHeader,
    SecurityPolicy,
    StartScript,
    Title,
    stable_ids,
)
from heatplan.outputs.resident_map.encode import SCALE
from heatplan.outputs.resident_map.texts import (
    HOUSEHOLD_LABELS,
    TEXTS,
    Contacts,
    Lang,
    contact_links,
    contacts,
    page_texts,
)
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

Layout = Literal["auto", "file", "folder"]
DATA_ELEMENT_ID = "hp-data"
"""Id of the page's JSON block holding the map's index."""
SCRIPT_NAMES = ("resident_map.js",)
"""The map's own scripts (package data in ``static/``), in loading order."""
LOCAL_SCRIPTS = ("leaflet", "resident_map")
"""The scripts and styles (``.js``, ``.css``) a folder-form page loads from its folder."""
MAX_ZOOM = 19
"""The map's closest zoom level (a house and its neighbours on a phone)."""
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
"""The page's viewport: the width of the device, and zooming allowed (WCAG 1.4.4)."""
HEAD_META = (
    '<meta name="referrer" content="no-referrer">\n<meta name="generator" content="heatplan">'
)
"""The head's other meta elements: no referrer to any link, and what made the page."""
FOLDER_SUFFIX = {"da": "_filer", "en": "_files"}
"""Suffix of the folder beside a folder-form map's index page, by language."""
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
"""OpenStreetMap's standard tile layer (used only when ``residents.basemap_tiles = "osm"``)."""


@dataclass
class ResidentMapPage:
    """The residents' map as files: the page's HTML and, in folder form, the folder's files."""

    html: str
    folder: dict[str, str] = field(default_factory=dict)
    """File name (inside the folder beside the page) → text; empty for a single file."""
    n_addresses: int = 0


def folder_path(path: Path | str, lang: str = "da") -> Path:
    """The folder beside a folder-form map's page ``path`` (``fjernvarme_kort_filer``)."""
    path = Path(path)
    return path.with_name(path.stem + FOLDER_SUFFIX.get(lang, "_files"))


def render_resident_map(
    plan: Plan,
    *,
    lang: Lang = "da",
    offline: bool = False,
    layout: Layout = "auto",
    folder_name: str = "fjernvarme_kort_filer",
) -> ResidentMapPage:
    """Build the residents' map of a plan.

    Parameters
    ----------
    plan
        The finished plan. Its ``properties`` need ``address`` and ``recommendation``
        (``district_heating``, ``individual_heat_pump``, ``existing_dh`` or ``none``) and may
        have ``postcode``, ``district_id``, ``connection_status``, ``phase``, ``offer_year``,
        ``construction_start_year``, ``construction_end_year`` and the household estimates
        (:data:`~heatplan.outputs.resident_map.data.MONEY_COLUMNS`). Districts, trenches,
        ``dh_network`` and ``streets`` are drawn when present. All in a projected CRS.
    lang
        ``"da"`` (default) or ``"en"``: the language of every text on the map.
    offline
        Never add a tile layer, even when the scenario configures one.
    layout
        ``"file"`` (one HTML file), ``"folder"`` (index page plus a folder of data loaded when
        needed) or ``"auto"``: a folder above ``residents.folder_above_addresses`` addresses.
    folder_name
        Name of the folder beside the page, as the page refers to it (folder form only).

    Raises
    ------
    SchemaError, CRSError
        If the properties lack ``address`` or ``recommendation``, or a layer has no CRS.
    ScenarioError
        If a link, e-mail, phone number or tile setting in ``residents`` is malformed.
    HeatplanError
        If no installed copy of Leaflet is found.
    """
    if lang not in TEXTS:
        msg = f"lang must be one of {sorted(TEXTS)}, not {lang!r}."
        raise ValueError(msg)
    scenario = plan.scenario if plan.scenario is not None else load_scenario()
    contact = contacts(scenario, lang)
    data = map_data(plan, first_year=int(scenario.value("phasing.first_year")))
    if layout == "auto":
        limit = int(scenario.value("residents.folder_above_addresses"))
        layout = "folder" if data.n_addresses > limit else "file"
    tiles = None if offline else tile_layer(scenario, lang)
    index = _page_index(plan, scenario, data, TEXTS[lang], contact, lang, tiles)
    leaflet_js, leaflet_css = leaflet_assets()
    own_js = "\n".join(static_asset(name) for name in SCRIPT_NAMES)
    own_css = static_asset("resident_map.css")
    if layout == "folder":
        files = {
            "leaflet.js": leaflet_js,
            "leaflet.css": leaflet_css,
            "resident_map.js": own_js,
            "resident_map.css": own_css,
        }
        for i, chunk in enumerate(data.chunks):
            files[f"data_{i}.js"] = f"heatplanChunk({i},{_script_json(chunk)});\n"
        index["chunkFiles"] = [f"{folder_name}/data_{i}.js" for i in range(len(data.chunks))]
        index["chunkMeta"] = [{"kind": c["kind"], "bbox": c["bbox"]} for c in data.chunks]
        page = _page_html(index, contact, TEXTS[lang], lang, tiles, folder=folder_name)
        return ResidentMapPage(page, files, data.n_addresses)
    index["chunks"] = data.chunks
    page = _page_html(index, contact, TEXTS[lang], lang, tiles,
                      inline=(leaflet_js, leaflet_css, own_js, own_css))
    return ResidentMapPage(page, {}, data.n_addresses)


def write_resident_map(
    plan: Plan,
    path: Path | str,
    *,
    lang: Lang = "da",
    offline: bool = False,
    overwrite: bool = False,
    layout: Layout = "auto",
) -> Path:
    """Write the residents' map of ``plan`` to ``path`` (and its folder), atomically.

    See :func:`render_resident_map` for the parameters. The folder of a folder-form map is
    :func:`folder_path` of ``path``; a single-file map removes a stale folder of that name
    when ``overwrite`` is set.

    Returns
    -------
    Path
        ``path``, the page to open.

    Raises
    ------
    OutputExistsError
        If ``path`` or the folder exists and ``overwrite`` is false.
    """
    path = Path(path)
    folder = folder_path(path, lang)
    check_writable(path, overwrite=overwrite)
    if folder.exists() and not overwrite:
        msg = f"{folder} exists already; use --overwrite to replace it."
        raise OutputExistsError(msg)
    page = render_resident_map(
        plan, lang=lang, offline=offline, layout=layout, folder_name=folder.name
    )
    if page.folder:
        staging = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for name, text in page.folder.items():
            (staging / name).write_text(text, encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    elif folder.exists():
        shutil.rmtree(folder)
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(page.html, encoding="utf-8")
    size = path.stat().st_size / 1e6
    logger.info(
        "Wrote the residents' map to %s (%.2f MB%s; %s addresses)",
        path,
        size,
        f", data in {folder.name}/" if page.folder else "",
        f"{page.n_addresses:,}",
    )
    return path


def tile_layer(scenario: Scenario, lang: str) -> dict[str, str] | None:
    """The optional tile layer from ``residents.basemap_tiles``: URL template and attribution.

    Raises
    ------
    ScenarioError
        If the setting is unknown, or Dataforsyningen is chosen without a token.
    """
    choice = str(_value(scenario, "residents.basemap_tiles")).strip().lower()
    if choice in ("", "none"):
        return None
    if choice == "osm":
        attribution = "© OpenStreetMap" + (" bidragydere" if lang == "da" else " contributors")
        return {"url": OSM_TILES, "attribution": attribution, "maxZoom": 19}
    if choice == "dataforsyningen":
        token = str(_value(scenario, "residents.dataforsyningen_token")).strip()
        if not token or not token.isalnum():
            msg = (
                "Scenario parameter residents.basemap_tiles = 'dataforsyningen' needs "
                "residents.dataforsyningen_token: the municipality's token from "
                "dataforsyningen.dk (letters and digits). Set it, or set basemap_tiles to ''."
            )
            raise ScenarioError(msg)
        url = str(_value(scenario, "residents.dataforsyningen_url")).replace("{token}", token)
        if not url.startswith("https://") or any(s in url for s in ("{{", "{%", "{#", '"')):
            msg = (
                f"Scenario parameter residents.dataforsyningen_url = {url!r} is not an "
                "https:// URL template with {z}, {x}, {y} and {token}. Fix it in your "
                "scenario file, or leave it out for Dataforsyningen's orthophoto."
            )
            raise ScenarioError(msg)
        attribution = str(_value(scenario, "residents.dataforsyningen_attribution"))
        return {"url": url, "attribution": attribution, "maxZoom": 20}
    msg = (
        f"Scenario parameter residents.basemap_tiles = {choice!r} is not one of '', 'osm' or "
        "'dataforsyningen'. Fix it in your scenario file."
    )
    raise ScenarioError(msg)


# --- the page's parts ------------------------------------------------------------------------


def _page_index(
    plan: Plan,
    scenario: Scenario,
    data: MapData,
    texts: dict[str, Any],
    contact: Contacts,
    lang: str,
    tiles: dict[str, str] | None,
) -> dict[str, Any]:
    """Everything the page's script needs besides the chunks: texts, links, facts, data."""
    from heatplan import __version__

    attribution = texts["attribution"].format(municipality=contact.municipality)
    if plan.is_synthetic:
        attribution += " · " + texts["attribution_synthetic"]
    if len(data.index["baseNames"]) or (plan.streets is not None and len(plan.streets)):
        attribution += " · " + texts["attribution_streets"]
    return {
        **data.index,
        "lang": lang,
        "t": page_texts(texts, contact, data.index["example"]),
        "links": contact_links(texts, contact),
        "firstYear": int(scenario.value("phasing.first_year")),
        "synthetic": bool(plan.is_synthetic),
        "attribution": attribution,
        "footer": _plan_line(plan, scenario, texts, __version__),
        "assumptions": household_assumptions(scenario, lang) if data.index["money"] else [],
        "tiles": tiles,
    }


def household_assumptions(scenario: Scenario, lang: str) -> list[dict[str, str]]:
    """The ``household.*`` scenario values behind the money estimates: name, value, unit and
    source, named in ``lang`` (:data:`~.texts.HOUSEHOLD_LABELS`)."""
    labels = HOUSEHOLD_LABELS.get(lang, HOUSEHOLD_LABELS["en"])
    out = []
    for parameter in scenario:
        if not parameter.key.startswith("household."):
            continue
        name = parameter.key.split(".", 1)[1]
        label, unit = labels.get(
            name, (parameter.note or name.replace("_", " "), parameter.unit)
        )
        value = parameter.value
        if unit.startswith("%") and isinstance(value, int | float):
            value = 100 * value
        out.append(
            {
                "name": label,
                "value": _format_value(value, lang),
                "unit": unit,
                "source": parameter.source,
            }
        )
    return out


def _plan_line(plan: Plan, scenario: Scenario, texts: dict[str, Any], version: str) -> str:
    """The footer's line: the plan's date (or first year) and heatplan's version."""
    date = (plan.summary or {}).get("plan_date")
    if date:
        return texts["plan_line"].format(date=date, version=version)
    year = int(scenario.value("phasing.first_year"))
    return texts["plan_line_undated"].format(year=year, version=version)


def _page_html(
    index: dict[str, Any],
    contact: Contacts,
    texts: dict[str, Any],
    lang: str,
    tiles: dict[str, str] | None,
    *,
    inline: tuple[str, str, str, str] | None = None,
    folder: str | None = None,
) -> str:
    """The page's HTML: a folium map in a branca figure, the page's parts as elements
    (:mod:`.elements`); scripts and styles inline (``inline``: Leaflet JS and CSS, own JS and
    CSS) or from ``folder``."""
    title = contact.title or texts["map_label"]
    page = PageFigure(lang, title)
    page.header.add_child(Element(VIEWPORT), name="hp_viewport")
    page.header.add_child(
        SecurityPolicy(None if tiles is None else tiles["url"], folder=inline is None),
        name="hp_policy",
    )
    page.header.add_child(Element(HEAD_META), name="hp_meta")
    page.header.add_child(Title(title), name="hp_title")
    m = _folium_map(index, tiles)
    page.add_child(m)
    if inline is not None:
        leaflet_js, leaflet_css, own_js, own_css = inline
        # Leaflet inside the page, not from folium's CDN links (nor jQuery, Bootstrap or the
        # icon fonts: the page uses none of them)
        m.default_js, m.default_css = [], []
        for name, tag, code in (("leaflet_css", "style", leaflet_css),
                                ("hp_css", "style", own_css),
                                ("leaflet", "script", leaflet_js),
                                ("hp_js", "script", own_js)):
            page.header.add_child(InlineAsset(tag, code), name=name)
    else:
        m.default_js = [(name, html.escape(f"{folder}/{name}.js")) for name in LOCAL_SCRIPTS]
        m.default_css = [(f"{name}_css", html.escape(f"{folder}/{name}.css"))
                         for name in LOCAL_SCRIPTS]
    banner = texts["synthetic_banner"] if index["synthetic"] else None
    page.add_child(SearchHeader(title, texts["search_label"], index["t"]["search_placeholder"],
                                texts["map_label"], banner), index=0)
    page.add_child(AnswerPanel(texts["close"]))
    page.add_child(PageFooter(index["footer"]))
    page.add_child(DataBlock(DATA_ELEMENT_ID, _script_json(index)))
    stable_ids(page)
    return page.render()


def _folium_map(index: dict[str, Any], tiles: dict[str, str] | None) -> folium.Map:
    """The folium map fitted to the plan's extent, with the optional tile layer and the start
    of the page's own script (which draws everything else on it)."""
    lat0, lon0 = index["origin"]
    b = index["bounds"]
    bounds = None if b is None else [[lat0 + b[0] / SCALE, lon0 + b[1] / SCALE],
                                     [lat0 + b[2] / SCALE, lon0 + b[3] / SCALE]]
    m = folium.Map(
        # the first view, fitted to the plan at once by FitView (the plan's south-west corner
        # for a plan with no address and no district)
        location=[lat0, lon0] if bounds is None else _middle(bounds),
        zoom_start=12,
        tiles=None,
        zoom_control=False,  # the page's script adds it, with titles in the page's language
        prefer_canvas=True,
        zoom_snap=0.25,
        maxZoom=MAX_ZOOM,
    )
    if bounds is not None:
        FitView(bounds, padding=(8, 8)).add_to(m)
    layer = None
    if tiles is not None:
        layer = folium.TileLayer(
            tiles=tiles["url"],
            # Leaflet shows an attribution as HTML, and branca reads folium's script as a
            # template: the scenario's text escaped, braces included
            attr=html.escape(tiles["attribution"], quote=False).replace("{", "&#123;"),
            max_zoom=tiles["maxZoom"],
            name="tiles",
            control=False,
            referrer_policy="no-referrer",
        ).add_to(m)
    StartScript(DATA_ELEMENT_ID, layer).add_to(m)
    return m


def _middle(bounds: list[list[float]]) -> list[float]:
    """The middle of ``[[south, west], [north, east]]`` as ``[lat, lon]`` (degrees)."""
    return [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]


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


def _format_value(value: Any, lang: str) -> str:
    """A scenario value as text: numbers with the language's separators, tables as pairs."""
    if isinstance(value, bool) or not isinstance(value, int | float | dict):
        return str(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_format_value(v, lang)}" for k, v in value.items())
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3f}".rstrip("0")
    if lang == "da":
        text = text.replace(",", "\u00a0").replace(".", ",").replace("\u00a0", ".")
    return text


def _value(scenario: Scenario, key: str) -> Any:
    """A scenario value, ``""`` when the scenario does not have it."""
    return scenario.value(key) if key in scenario else ""
