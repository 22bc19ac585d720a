"""The residents' map: one HTML file answering "when do I get district heating, what do I do now?".

Every planned property is a small circle on a canvas layer, coloured by phase (district heating)
or by individual heating; energy districts are outlined; the existing network and the planned
mains are layers. An address search runs in the page over the map's own data (no geocoder), and
a popup tells the resident the district, the plan, the phase, the expected offer and construction
years and what to do now, with the utility's contact details from the scenario
(``heatplan/scenario/residents.toml``).

Privacy: only the whitelisted columns in :data:`PUBLIC_PROPERTY_COLUMNS` reach the page, never
owner type, consumption, demand, CO2, BBR codes or ids. Every string travels as JSON inside a
script block (``<``, ``>``, ``&`` escaped) and is put on the page as text, never as HTML.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import CssLink, Element, Figure, JavascriptLink

from heatplan.core.errors import CRSError, HeatplanError, ScenarioError, SchemaError
from heatplan.core.scenario import Scenario, load_scenario
from heatplan.io.atomic import atomic_path, check_writable
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

Lang = Literal["da", "en"]

PUBLIC_PROPERTY_COLUMNS: tuple[str, ...] = (
    "address",
    "postcode",
    "district_id",
    "recommendation",
    "phase",
    "offer_year",
    "construction_start_year",
    "construction_end_year",
    "connection_year",
)
"""The only property columns whose values can reach the residents' map."""

RECOMMENDATIONS: tuple[str, ...] = (
    "district_heating",
    "individual_heat_pump",
    "existing_dh",
    "none",
)

PHASE_COLORS: tuple[str, ...] = (
    "#d7301f",
    "#f28e2b",
    "#7b3294",
    "#2166ac",
    "#e7298a",
    "#8c510a",
)
"""Colour of phase 1, 2, ...; repeats beyond six phases."""
UNSCHEDULED_COLOR = "#b8860b"
HEAT_PUMP_COLOR = "#1a9850"
EXISTING_DH_COLOR = "#4d4d4d"
OTHER_COLOR = "#a6a6a6"
NETWORK_COLOR = "#222222"

COORD_DECIMALS = 5
"""Decimals of longitude and latitude on the map (about 1 m)."""
SIMPLIFY_M = 1.5
"""Tolerance, in metres, for simplifying district outlines and pipe lines on the map."""
MAIN_DN_MM = 150
"""Pipes of at least this DN (mm) are drawn as main lines, thicker than distribution pipes."""

_ASSETS = "resident_map_assets"
DATA_ELEMENT_ID = "heatplan-data"
"""Id of the page's JSON block holding the map's data."""
_MISSING = "\u2013"

_TEXTS: dict[str, dict[str, Any]] = {
    "da": {
        "district": "Energidistrikt",
        "plan": "Plan",
        "phase": "Fase",
        "offer_year": "Forventet tilbud",
        "construction_years": "Anlægsarbejde",
        "connection_year": "Forventet tilslutning",
        "plan_text": {
            "district_heating": "Fjernvarme",
            "individual_heat_pump": "Individuel opvarmning (fx varmepumpe)",
            "existing_dh": "Området har allerede fjernvarme",
            "none": "Ingen ændring planlagt",
        },
        "todo_title": "Hvad kan du gøre nu?",
        "todo_dh": "Tilmeld dig fjernvarme hos {utility}.",
        "todo_hp": (
            "Efter planen kommer der ikke fjernvarme til dit område. Overvej en individuel "
            "varmepumpe, fx når dit nuværende fyr skal udskiftes."
        ),
        "todo_existing": "Kontakt {utility}, hvis ejendommen ikke allerede er tilsluttet.",
        "todo_none": "Planen ændrer ikke opvarmningen af denne ejendom.",
        "link_signup": "Sådan får du fjernvarme ({utility})",
        "link_email": "Skriv til {email}",
        "link_phone": "Ring {phone}",
        "link_heat_pump": "Råd om varmepumper: {name}",
        "legend": "Signaturforklaring",
        "search_placeholder": "Søg adresse, fx Måløv Byvej 12",
        "search_label": "Søg efter en adresse",
        "no_result": "Ingen adresse fundet",
        "synthetic_banner": "EKSEMPELDATA – en opdigtet by, ikke en rigtig plan",
        "class_dh": "Fjernvarme, fase {phase}{years}",
        "class_dh_unscheduled": "Fjernvarme, tidspunkt ikke fastlagt",
        "class_hp": "Individuel opvarmning (fx varmepumpe)",
        "class_existing": "Har allerede fjernvarme",
        "class_other": "Øvrige adresser (ingen ændring)",
        "layer_districts": "Energidistrikter",
        "layer_mains": "Planlagte fjernvarmeledninger",
        "layer_network": "Eksisterende fjernvarmenet",
        "legend_district_dh": "Energidistrikt med fjernvarme",
        "legend_district_hp": "Energidistrikt med individuel opvarmning",
        "legend_mains": "Planlagt ledning, fase {phase}",
        "attribution": "Varmeplan: {municipality}",
        "attribution_synthetic": "Eksempeldata (opdigtet)",
        "offline_note": "uden baggrundskort",
    },
    "en": {
        "district": "Energy district",
        "plan": "Plan",
        "phase": "Phase",
        "offer_year": "Expected offer",
        "construction_years": "Construction",
        "connection_year": "Expected connection",
        "plan_text": {
            "district_heating": "District heating",
            "individual_heat_pump": "Individual heating (e.g. heat pump)",
            "existing_dh": "The area already has district heating",
            "none": "No change planned",
        },
        "todo_title": "What can you do now?",
        "todo_dh": "Sign up for district heating with {utility}.",
        "todo_hp": (
            "The plan does not bring district heating to your area. Consider an individual heat "
            "pump, for example when your current boiler needs replacing."
        ),
        "todo_existing": "Contact {utility} if the property is not connected yet.",
        "todo_none": "The plan does not change how this property is heated.",
        "link_signup": "How to get district heating ({utility})",
        "link_email": "Write to {email}",
        "link_phone": "Call {phone}",
        "link_heat_pump": "Heat-pump advice: {name}",
        "legend": "Legend",
        "search_placeholder": "Search an address, e.g. Måløv Byvej 12",
        "search_label": "Search for an address",
        "no_result": "No address found",
        "synthetic_banner": "SAMPLE DATA – a made-up town, not a real plan",
        "class_dh": "District heating, phase {phase}{years}",
        "class_dh_unscheduled": "District heating, timing not yet fixed",
        "class_hp": "Individual heating (e.g. heat pump)",
        "class_existing": "Already has district heating",
        "class_other": "Other addresses (no change)",
        "layer_districts": "Energy districts",
        "layer_mains": "Planned district-heating pipes",
        "layer_network": "Existing district-heating network",
        "legend_district_dh": "Energy district with district heating",
        "legend_district_hp": "Energy district with individual heating",
        "legend_mains": "Planned pipe, phase {phase}",
        "attribution": "Heat plan: {municipality}",
        "attribution_synthetic": "Sample data (made up)",
        "offline_note": "no background map",
    },
}

_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ]{6,20}$")
_NUMBER = re.compile(r"(\d+)")


@dataclass(frozen=True)
class _Contacts:
    utility: str
    signup_url: str
    email: str
    phone: str
    heat_pump_url: str
    heat_pump_name: str
    municipality: str
    title: str
    offer_note: str
    price_note: str
    disclaimer: str


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
        Debian's ``libjs-leaflet``, see :func:`leaflet_dir`) and show no background tiles, so
        the file works without internet.

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
    if lang not in _TEXTS:
        msg = f"lang must be one of {sorted(_TEXTS)}, not {lang!r}."
        raise ValueError(msg)
    texts = _TEXTS[lang]
    scenario = plan.scenario if plan.scenario is not None else load_scenario()
    contacts = _contacts(scenario, lang)
    leaflet = _leaflet_assets() if offline else None

    points, point_classes, bounds = _points(plan.properties, plan.districts, texts)
    districts = _districts(plan.districts, texts)
    lines, line_legend = _lines(plan.trenches, plan.dh_network, texts)

    title = contacts.title
    m = folium.Map(
        location=[55.73, 12.36] if bounds is None else _center(bounds),
        zoom_start=13,
        tiles=None,
        prefer_canvas=True,
        zoom_control="bottomleft",
        control_scale=True,
        max_zoom=19,
        zoom_snap=0.25,
    )
    # Leaflet only (the popups, legend and search need no jQuery, Bootstrap or icon fonts),
    # linked or inlined below, before this map's own script and style.
    m.default_js = []
    m.default_css = []
    figure = m.get_root()
    figure.title = html.escape(title)
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
    header.add_child(Element(f"<style>{_asset('resident_map.css')}</style>"), name="hp_css")
    header.add_child(Element(f"<script>{_asset('resident_map.js')}</script>"), name="hp_js")

    if not offline:
        folium.TileLayer("OpenStreetMap", name="basemap", control=False).add_to(m)

    groups: dict[str, folium.FeatureGroup] = {}
    if districts["items"]:
        groups["districts"] = folium.FeatureGroup(
            name=_layer_label(texts["layer_districts"], "#333333", "area")
        ).add_to(m)
    if plan.dh_network is not None and len(plan.dh_network):
        groups["network"] = folium.FeatureGroup(
            name=_layer_label(texts["layer_network"], NETWORK_COLOR, "line")
        ).add_to(m)
    if any(spec["group"] == "mains" for spec in lines):
        groups["mains"] = folium.FeatureGroup(
            name=_layer_label(texts["layer_mains"], PHASE_COLORS[0], "line")
        ).add_to(m)
    for cls in point_classes:
        groups[cls["group"]] = folium.FeatureGroup(
            name=_layer_label(cls["label"], cls["color"], "point"), show=cls["show"]
        ).add_to(m)
    control = folium.LayerControl(collapsed=True, position="topright").add_to(m)

    attribution = texts["attribution"].format(municipality=contacts.municipality)
    if plan.is_synthetic:
        attribution += " · " + texts["attribution_synthetic"]
    if offline:
        attribution += " · " + texts["offline_note"]
    data = {
        "t": {
            **{key: value for key, value in texts.items() if isinstance(value, str)},
            "plan_text": texts["plan_text"],
            "title": title,
            "disclaimer": contacts.disclaimer,
            "todo": _todo(texts, contacts),
        },
        "links": _links(texts, contacts),
        "classes": [
            {"group": c["group"], "color": c["color"], "kind": c["kind"]} for c in point_classes
        ],
        "points": points,
        "districts": districts,
        "lines": lines,
        "legend": _legend(point_classes, districts, line_legend, texts),
        "synthetic": bool(plan.is_synthetic),
        "attribution": attribution,
        "bounds": bounds,
    }
    _stable_ids(figure)  # before any name is written into the script below
    group_js = ", ".join(f"{json.dumps(key)}: {fg.get_name()}" for key, fg in groups.items())
    # The data travels as a JSON block (parsed faster than a script literal of the same size).
    figure.html.add_child(
        Element(
            f'<script type="application/json" id="{DATA_ELEMENT_ID}">{_script_json(data)}</script>'
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
    logger.info(
        "Residents' map: %s addresses, %s districts, %s pipe lines (%s)",
        f"{len(points['a']):,}",
        len(districts["items"]),
        f"{sum(len(spec['coords']) for spec in lines):,}",
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


# --- the page's data ------------------------------------------------------------------------


def _points(
    properties: gpd.GeoDataFrame, districts: gpd.GeoDataFrame | None, texts: dict[str, Any]
) -> tuple[dict[str, list[Any]], list[dict[str, Any]], list[list[float]] | None]:
    """Return the whitelisted point columns, the marker classes and the map bounds."""
    for column in ("address", "recommendation"):
        if column not in properties.columns:
            msg = (
                f"plan.properties has no column {column!r}; the residents' map needs it "
                "(see docs/architecture.md, table 'properties')."
            )
            raise SchemaError(msg)
    public = properties[[c for c in PUBLIC_PROPERTY_COLUMNS if c in properties.columns]]
    public = gpd.GeoDataFrame(public, geometry=properties.geometry, crs=properties.crs)
    address = public["address"].astype("string").str.strip()
    keep = address.notna() & (address != "") & ~public.geometry.is_empty & public.geometry.notna()
    dropped = int((~keep).sum())
    if dropped:
        logger.info("Residents' map: %s properties without address or location left out", dropped)
    public = public[keep]
    rec = public["recommendation"].astype("string").fillna("none")
    unknown = sorted(set(rec) - set(RECOMMENDATIONS))
    if unknown:
        rows = list(public.index[rec.isin(unknown)][:5])
        msg = (
            f"plan.properties.recommendation at property_id {rows} has unknown values {unknown}; "
            f"expected one of {', '.join(RECOMMENDATIONS)}."
        )
        raise SchemaError(msg)

    label = _address_label(public)
    order = sorted(range(len(public)), key=lambda i: _natural_key(label.iloc[i]))
    public = public.iloc[order]
    label = label.iloc[order]
    rec = rec.iloc[order]

    lonlat = _to_lonlat(public.geometry.representative_point(), "properties")
    phase = _int_column(public, "phase")
    district_pos, district_index = _district_positions(public, districts)

    phase_years = _phase_years(districts, public)
    classes: list[dict[str, Any]] = []
    class_of = np.full(len(public), -1, dtype=int)
    is_dh = (rec == "district_heating").to_numpy()
    for p in sorted({v for v, dh in zip(phase, is_dh, strict=True) if dh and v is not None}):
        years = phase_years.get(p)
        span = f" ({_span(*years)})" if years else ""
        classes.append(
            {
                "group": f"dh-{p}",
                "kind": "district_heating",
                "label": texts["class_dh"].format(phase=p, years=span),
                "color": PHASE_COLORS[(p - 1) % len(PHASE_COLORS)],
                "show": True,
            }
        )
        class_of[is_dh & np.array([v == p for v in phase])] = len(classes) - 1
    for kind, group, key, color, show, mask in (
        (
            "district_heating",
            "dh-unscheduled",
            "class_dh_unscheduled",
            UNSCHEDULED_COLOR,
            True,
            is_dh & np.array([v is None for v in phase]),
        ),
        ("individual_heat_pump", "hp", "class_hp", HEAT_PUMP_COLOR, True, None),
        ("existing_dh", "existing", "class_existing", EXISTING_DH_COLOR, True, None),
        ("none", "other", "class_other", OTHER_COLOR, False, None),
    ):
        if mask is None:
            mask = (rec == kind).to_numpy()
        if mask.any():
            classes.append(
                {"group": group, "kind": kind, "label": texts[key], "color": color, "show": show}
            )
            class_of[mask] = len(classes) - 1

    points = {
        "lat": _rounded(lonlat[:, 1]),
        "lon": _rounded(lonlat[:, 0]),
        "a": label.tolist(),
        "d": [district_index.get(v, -1) for v in district_pos],
        "k": class_of.tolist(),
        "ph": phase,
        "oy": _int_column(public, "offer_year"),
        "cs": _int_column(public, "construction_start_year"),
        "ce": _int_column(public, "construction_end_year"),
        "cy": _int_column(public, "connection_year"),
    }
    bounds = None
    if len(lonlat):
        lo = lonlat.min(axis=0)
        hi = lonlat.max(axis=0)
        bounds = [_rounded([lo[1], lo[0]]), _rounded([hi[1], hi[0]])]
    return points, classes, bounds


def _address_label(public: gpd.GeoDataFrame) -> pd.Series:
    """Address text as shown and searched: ``address`` plus the postcode unless already in it."""
    address = public["address"].astype("string").str.strip()
    if "postcode" not in public.columns:
        return address.astype(str)
    postcode = public["postcode"].astype("string").str.strip().fillna("")
    missing = (postcode != "") & ~pd.Series(
        [pc in a for a, pc in zip(address, postcode, strict=True)], index=address.index
    )
    label = address.where(~missing, address + ", " + postcode)
    return label.astype(str)


def _natural_key(text: str) -> tuple[Any, ...]:
    parts = _NUMBER.split(text.lower())
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _district_positions(
    public: gpd.GeoDataFrame, districts: gpd.GeoDataFrame | None
) -> tuple[list[Any], dict[Any, int]]:
    """Each point's ``district_id`` and the position of every district in the page's list."""
    ids = (
        public["district_id"].astype("string").tolist()
        if "district_id" in public.columns
        else [None] * len(public)
    )
    ids = [None if pd.isna(v) else str(v) for v in ids]
    if districts is None or not len(districts):
        known: list[str] = sorted({v for v in ids if v is not None})
    else:
        known = [str(v) for v in districts.index]
    return ids, {d: i for i, d in enumerate(known)}


def _districts(districts: gpd.GeoDataFrame | None, texts: dict[str, Any]) -> dict[str, Any]:
    """District names and colours, and their outlines as simplified GeoJSON in EPSG:4326."""
    if districts is None or not len(districts):
        return {"items": [], "geojson": None}
    phases = _int_column(districts, "phase")
    recs = (
        districts["recommendation"].astype("string").fillna("").tolist()
        if "recommendation" in districts.columns
        else [""] * len(districts)
    )
    names = (
        districts["name"].astype("string").fillna("").tolist()
        if "name" in districts.columns
        else [""] * len(districts)
    )
    items = []
    for district_id, name, phase, rec in zip(districts.index, names, phases, recs, strict=True):
        if rec == "district_heating" and phase is not None:
            color = PHASE_COLORS[(phase - 1) % len(PHASE_COLORS)]
        elif rec == "individual_heat_pump":
            color = HEAT_PUMP_COLOR
        else:
            color = OTHER_COLOR
        items.append({"name": name or str(district_id), "color": color, "rec": rec})
    geoms = _geometry_4326(districts, "districts", simplify=True)
    features = [
        {"type": "Feature", "properties": {"i": i}, "geometry": _round_geojson(g)}
        for i, g in enumerate(geoms)
        if g is not None and not g.is_empty
    ]
    return {"items": items, "geojson": {"type": "FeatureCollection", "features": features}}


def _lines(
    trenches: gpd.GeoDataFrame | None, network: gpd.GeoDataFrame | None, texts: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Planned mains by phase and size, and the existing network, as ``[lat, lon]`` lines."""
    specs: list[dict[str, Any]] = []
    legend: list[dict[str, Any]] = []
    if trenches is not None and len(trenches):
        phase = pd.array(_int_column(trenches, "phase"), dtype="Int64")
        dn = (
            pd.to_numeric(trenches["dn"], errors="coerce")
            if "dn" in trenches.columns
            else pd.Series(np.nan, index=trenches.index)
        )
        geoms = _geometry_4326(trenches, "trenches", simplify=True)
        frame = pd.DataFrame(
            {"phase": phase, "main": (dn.to_numpy() >= MAIN_DN_MM), "geom": list(geoms)}
        )
        for (p, is_main), part in frame.groupby(["phase", "main"], dropna=False, sort=True):
            color = (
                UNSCHEDULED_COLOR if pd.isna(p) else PHASE_COLORS[(int(p) - 1) % len(PHASE_COLORS)]
            )
            coords = _line_coords(part["geom"])
            if coords:
                specs.append(
                    {
                        "group": "mains",
                        "color": color,
                        "weight": 4 if is_main else 2.5,
                        "coords": coords,
                    }
                )
            if not pd.isna(p) and not any(e.get("phase") == int(p) for e in legend):
                legend.append(
                    {
                        "phase": int(p),
                        "label": texts["legend_mains"].format(phase=int(p)),
                        "color": color,
                        "shape": "line",
                    }
                )
    if network is not None and len(network):
        coords = _line_coords(pd.Series(list(_geometry_4326(network, "dh_network", simplify=True))))
        if coords:
            specs.append(
                {"group": "network", "color": NETWORK_COLOR, "weight": 3, "coords": coords}
            )
            legend.append(
                {"label": texts["layer_network"], "color": NETWORK_COLOR, "shape": "line"}
            )
    return specs, legend


def _legend(
    classes: list[dict[str, Any]],
    districts: dict[str, Any],
    lines: list[dict[str, Any]],
    texts: dict[str, Any],
) -> list[dict[str, str]]:
    entries = [{"label": c["label"], "color": c["color"], "shape": "point"} for c in classes]
    entries += [{k: v for k, v in e.items() if k != "phase"} for e in lines]
    recs = {item["rec"] for item in districts["items"]}
    if "district_heating" in recs:
        entries.append({"label": texts["legend_district_dh"], "color": "#333333", "shape": "area"})
    if "individual_heat_pump" in recs:
        entries.append(
            {"label": texts["legend_district_hp"], "color": HEAT_PUMP_COLOR, "shape": "area"}
        )
    return entries


def _phase_years(
    districts: gpd.GeoDataFrame | None, public: gpd.GeoDataFrame
) -> dict[int, tuple[int | None, int | None]]:
    """First and last construction year of each phase, from districts or else properties."""
    if (
        districts is not None
        and len(districts)
        and {"phase", "start_year", "end_year"} <= set(districts.columns)
    ):
        table = pd.DataFrame(
            {
                "phase": pd.to_numeric(districts["phase"], errors="coerce"),
                "start": pd.to_numeric(districts["start_year"], errors="coerce"),
                "end": pd.to_numeric(districts["end_year"], errors="coerce"),
            }
        )
    elif {"phase", "construction_start_year", "construction_end_year"} <= set(public.columns):
        table = pd.DataFrame(
            {
                "phase": pd.to_numeric(public["phase"], errors="coerce"),
                "start": pd.to_numeric(public["construction_start_year"], errors="coerce"),
                "end": pd.to_numeric(public["construction_end_year"], errors="coerce"),
            }
        )
    else:
        return {}
    table = table.dropna(subset=["phase"])
    out: dict[int, tuple[int | None, int | None]] = {}
    for p, part in table.groupby("phase"):
        lo, hi = part["start"].min(), part["end"].max()
        out[int(p)] = (None if pd.isna(lo) else int(lo), None if pd.isna(hi) else int(hi))
    return out


def _span(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return _MISSING
    if start is None or end is None or start == end:
        return str(start if start is not None else end)
    return f"{start}\u2013{end}"


# --- the residents section of the scenario ------------------------------------------------


def _contacts(scenario: Scenario, lang: str) -> _Contacts:
    def text(name: str) -> str:
        key = f"residents.{name}"
        value = scenario.value(key) if key in scenario else ""
        return "" if value is None else str(value).strip()

    def checked(name: str, pattern: re.Pattern[str], what: str) -> str:
        value = text(name)
        if value and not pattern.match(value):
            msg = (
                f"Scenario parameter residents.{name} = {value!r} is not a valid {what}. "
                "Fix it in your scenario file, or set it to an empty string to leave it out."
            )
            raise ScenarioError(msg)
        return value

    url = re.compile(r"^https?://[^\s<>\"']+$")
    return _Contacts(
        utility=text("utility_name"),
        signup_url=checked("signup_url", url, "http(s) link"),
        email=checked("signup_email", _EMAIL, "e-mail address"),
        phone=checked("signup_phone", _PHONE, "phone number (digits, spaces, leading +)"),
        heat_pump_url=checked("heat_pump_advice_url", url, "http(s) link"),
        heat_pump_name=text("heat_pump_advice_name"),
        municipality=text("municipality_name"),
        title=text(f"title_{lang}"),
        offer_note=text(f"offer_note_{lang}"),
        price_note=text(f"connection_price_note_{lang}"),
        disclaimer=text(f"disclaimer_{lang}"),
    )


def _todo(texts: dict[str, Any], c: _Contacts) -> dict[str, list[str]]:
    return {
        "district_heating": [
            texts["todo_dh"].format(utility=c.utility),
            c.offer_note,
            c.price_note,
        ],
        "individual_heat_pump": [texts["todo_hp"]],
        "existing_dh": [texts["todo_existing"].format(utility=c.utility)],
        "none": [texts["todo_none"]],
    }


def _links(texts: dict[str, Any], c: _Contacts) -> dict[str, list[dict[str, str]]]:
    utility: list[dict[str, str]] = []
    if c.signup_url:
        utility.append(
            {"href": c.signup_url, "text": texts["link_signup"].format(utility=c.utility)}
        )
    if c.email:
        utility.append(
            {"href": f"mailto:{c.email}", "text": texts["link_email"].format(email=c.email)}
        )
    if c.phone:
        utility.append(
            {
                "href": "tel:" + c.phone.replace(" ", ""),
                "text": texts["link_phone"].format(phone=c.phone),
            }
        )
    heat_pump = []
    if c.heat_pump_url:
        heat_pump.append(
            {
                "href": c.heat_pump_url,
                "text": texts["link_heat_pump"].format(name=c.heat_pump_name or c.heat_pump_url),
            }
        )
    return {
        "district_heating": utility,
        "existing_dh": utility,
        "individual_heat_pump": heat_pump,
        "none": [],
    }


# --- geometry and encoding helpers ---------------------------------------------------------


def _geometry_4326(frame: gpd.GeoDataFrame, layer: str, *, simplify: bool) -> gpd.GeoSeries:
    if frame.crs is None:
        msg = f"plan.{layer} has no CRS; set it (EPSG:25832) before writing the residents' map."
        raise CRSError(msg)
    geoms = frame.geometry
    if simplify and frame.crs.is_projected:
        geoms = geoms.simplify(SIMPLIFY_M, preserve_topology=True)
    return geoms.to_crs(4326)


def _to_lonlat(points: gpd.GeoSeries, layer: str) -> np.ndarray:
    if points.crs is None:
        msg = f"plan.{layer} has no CRS; set it (EPSG:25832) before writing the residents' map."
        raise CRSError(msg)
    return shapely.get_coordinates(points.to_crs(4326).to_numpy())


def _line_coords(geoms: pd.Series) -> list[list[list[float]]]:
    """Merge lines and return each part as ``[[lat, lon], ...]``."""
    valid = [g for g in geoms if g is not None and not g.is_empty]
    if not valid:
        return []
    merged = shapely.line_merge(shapely.union_all(valid))
    out = []
    for part in shapely.get_parts(merged):
        xy = np.round(shapely.get_coordinates(part), COORD_DECIMALS)
        if len(xy) >= 2:
            out.append(xy[:, ::-1].tolist())
    return out


def _round_geojson(geom: shapely.Geometry) -> dict[str, Any]:
    def walk(obj: Any) -> Any:
        if isinstance(obj, float):
            return round(obj, COORD_DECIMALS)
        if isinstance(obj, list | tuple):
            return [walk(o) for o in obj]
        return obj

    mapping = shapely.geometry.mapping(geom)
    return {"type": mapping["type"], "coordinates": walk(mapping["coordinates"])}


def _rounded(values: Any) -> list[float]:
    return np.round(np.asarray(values, dtype=float), COORD_DECIMALS).tolist()


def _center(bounds: list[list[float]]) -> list[float]:
    return [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]


def _int_column(frame: pd.DataFrame, column: str) -> list[int | None]:
    if column not in frame.columns:
        return [None] * len(frame)
    values = pd.to_numeric(frame[column], errors="coerce")
    return [None if pd.isna(v) else int(v) for v in values]


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


def _asset(name: str) -> str:
    text = files("heatplan.outputs").joinpath(_ASSETS, name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        msg = f"heatplan/outputs/{_ASSETS}/{name} must not contain a closing script or style tag."
        raise HeatplanError(msg)
    return text


DEBIAN_LEAFLET_DIR = Path("/usr/share/javascript/leaflet")
"""Where Debian's ``libjs-leaflet`` package puts Leaflet."""


def leaflet_dir() -> Path | None:
    """The folder of an installed copy of Leaflet (``leaflet.js``, ``leaflet.css``, ``images/``).

    Looks for the Python package ``xstatic-leaflet`` (Leaflet 1.9.3, the version folium links),
    then Debian's ``libjs-leaflet``; ``None`` when neither is installed.
    """
    try:
        from xstatic.pkg import leaflet
    except ImportError:
        candidates = [DEBIAN_LEAFLET_DIR]
    else:
        candidates = [Path(leaflet.BASE_DIR), DEBIAN_LEAFLET_DIR]
    for folder in candidates:
        if (folder / "leaflet.js").is_file() and (folder / "leaflet.css").is_file():
            return folder
    return None


def _leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS (images inlined as data URIs) from an installed copy."""
    base = leaflet_dir()
    if base is None:
        msg = (
            "The offline residents' map inlines Leaflet from an installed copy, and none was "
            "found. Install the Python package xstatic-leaflet (pip install xstatic-leaflet) "
            "or Debian's libjs-leaflet, or leave out --offline to load Leaflet from its CDN."
        )
        raise HeatplanError(msg)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = base / match.group(1)
        if not image.is_file():
            return match.group(0)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)
    for name, text in (("leaflet.js", js), ("leaflet.css", css)):
        if "</script" in text.lower() or "</style" in text.lower():
            msg = f"{base / name} contains a closing script or style tag and cannot be inlined."
            raise HeatplanError(msg)
    version = re.search(r'version\s*=\s*"([0-9.]+)"', js)
    logger.info("Inlining Leaflet %s from %s", version.group(1) if version else "?", base)
    return js, css


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
