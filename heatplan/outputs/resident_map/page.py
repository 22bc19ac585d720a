"""The residents' map page: one HTML file, or an index page with a folder beside it.

The page is plain HTML written here (no template engine, no CDN): a header with the title and
the address search, the map, an answer panel and a footer with the plan's date and heatplan's
version. Leaflet and the map's own script and style are inlined (one file) or shipped in the
folder beside the page; the page's Content-Security-Policy allows no other source, so the map
sends no request anywhere unless a tile layer is configured (``residents.basemap_tiles``).

A map of more than ``residents.folder_above_addresses`` addresses is written as a folder: the
index page keeps the texts, answers, districts, pipes and street names; each district's
addresses and each cell of the base map are a small script file loaded when the view or a
search needs it (works from a disk or any static web server; no server-side code).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from heatplan.core.errors import OutputExistsError, ScenarioError
from heatplan.core.scenario import Scenario, load_scenario
from heatplan.io.atomic import atomic_path, check_writable
from heatplan.outputs.resident_map.assets import leaflet_assets, static_asset
from heatplan.outputs.resident_map.data import MapData, map_data
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
        page = _html(index, contact, TEXTS[lang], lang, tiles, folder=folder_name)
        return ResidentMapPage(page, files, data.n_addresses)
    index["chunks"] = data.chunks
    page = _html(index, contact, TEXTS[lang], lang, tiles,
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


def _html(
    index: dict[str, Any],
    contact: Contacts,
    texts: dict[str, Any],
    lang: str,
    tiles: dict[str, str] | None,
    *,
    inline: tuple[str, str, str, str] | None = None,
    folder: str | None = None,
) -> str:
    """The page's HTML; scripts inline (``inline``: Leaflet JS and CSS, own JS and CSS) or
    from ``folder``."""
    esc = html.escape
    styles, script_tags, csp = _assets_html(inline, folder, tiles)
    title = contact.title or texts["map_label"]
    banner = (
        f'<p class="hp-banner" role="note">{esc(texts["synthetic_banner"])}</p>\n'
        if index["synthetic"]
        else ""
    )
    placeholder = index["t"]["search_placeholder"]
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{esc(csp, quote=False)}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="heatplan">
<title>{esc(title)}</title>
{styles}
</head>
<body>
<div class="hp-app">
<header class="hp-header">
{banner}<h1 class="hp-title">{esc(title)}</h1>
<div class="hp-search" role="search">
<label class="hp-label" for="hp-q">{esc(texts["search_label"])}</label>
<div class="hp-combo">
<input id="hp-q" class="hp-input" type="search" role="combobox" aria-autocomplete="list" \
aria-expanded="false" aria-controls="hp-results" autocomplete="off" autocapitalize="off" \
spellcheck="false" enterkeyhint="search" placeholder="{esc(placeholder)}">
<ul id="hp-results" class="hp-results" role="listbox" aria-label="{esc(texts["search_label"])}" \
hidden></ul>
</div>
<div id="hp-noresult" class="hp-noresult" hidden></div>
<p id="hp-status" class="hp-sr" role="status" aria-live="polite"></p>
</div>
</header>
<main class="hp-main">
<div id="hp-map" class="hp-map" role="region" aria-label="{esc(texts["map_label"])}"></div>
<section id="hp-answer" class="hp-answer" aria-labelledby="hp-answer-title" hidden>
<button type="button" class="hp-close" aria-label="{esc(texts["close"])}">\u00d7</button>
<div class="hp-answer-body"></div>
</section>
</main>
<footer class="hp-footer">{esc(index["footer"])}</footer>
</div>
<script type="application/json" id="{DATA_ELEMENT_ID}">{_script_json(index)}</script>
{script_tags}
</body>
</html>
"""


def _assets_html(
    inline: tuple[str, str, str, str] | None, folder: str | None, tiles: dict[str, str] | None
) -> tuple[str, str, str]:
    """The style and script elements (inline, or linked from ``folder``) and the page's
    security policy that allows exactly them."""
    esc = html.escape
    start = (
        "HeatplanResidentMap.start(JSON.parse(document.getElementById("
        f'"{DATA_ELEMENT_ID}").textContent));'
    )
    if inline is not None:
        leaflet_js, leaflet_css, own_js, own_css = inline
        styles = f"<style>{leaflet_css}</style>\n<style>{own_css}</style>"
        scripts = [leaflet_js, own_js, start]
        tags = "\n".join(f"<script>{s}</script>" for s in scripts)
        return styles, tags, _content_security_policy(scripts, "", tiles, folder=False)
    styles = (
        f'<link rel="stylesheet" href="{esc(folder)}/leaflet.css">\n'
        f'<link rel="stylesheet" href="{esc(folder)}/resident_map.css">'
    )
    tags = (
        f'<script src="{esc(folder)}/leaflet.js"></script>\n'
        f'<script src="{esc(folder)}/resident_map.js"></script>\n'
        f"<script>{start}</script>"
    )
    return styles, tags, _content_security_policy([start], " 'self' file:", tiles, folder=True)


def _content_security_policy(
    scripts: list[str], script_src: str, tiles: dict[str, str] | None, *, folder: bool
) -> str:
    """A policy that lets the page run only its own scripts and load nothing from elsewhere
    (images: data URIs, and the configured tile server only)."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    img = "data:"
    if tiles is not None:
        img += " " + "/".join(tiles["url"].split("/")[:3])
    style_src = "'unsafe-inline'" + (" 'self' file:" if folder else "")
    return (
        f"default-src 'none'; script-src {hashes}{script_src}; style-src {style_src}; "
        f"img-src {img}; connect-src 'none'; font-src 'none'; base-uri 'none'; "
        "form-action 'none'; frame-src 'none'; object-src 'none'"
    )


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
