"""The residents' map: answers, money, privacy whitelist, escaping, languages, layouts, tiles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import LineString, Point, box

from heatplan.core.errors import OutputExistsError, ScenarioError, SchemaError
from heatplan.core.scenario import Parameter, Scenario, load_scenario
from heatplan.outputs.resident_map.page import (
    folder_path,
    render_resident_map,
    write_resident_map,
)
from heatplan.plan.result import Plan

CRS = "EPSG:25832"
EVIL = "Ondvej <script>window.__pwned=1</script> \"Citat\" 'enkelt' & Co 3"
SECRET_ID = "PID-hemmelig-0001"
REJECTED_ADDRESS = "Afvistvej 99"
X0, Y0 = 709_000, 6_179_000


def _districts() -> gpd.GeoDataFrame:
    """Six districts: existing network, phase 1, phase 2, individual, mains built, undecided."""
    names = ["Centrum", "Måløv Nord", "Skovlunde <Øst> & Co", "Egebjerg", "Hasselby", "Kærby"]
    return gpd.GeoDataFrame(
        {
            "name": names,
            "status": ["existing_dh", "candidate_dh", "candidate_dh", "individual",
                       "candidate_dh", "undecided"],
            "recommendation": ["existing_dh", "district_heating", "district_heating",
                               "individual_heat_pump", "district_heating", "none"],
            "phase": pd.array([pd.NA, 1, 2, pd.NA, 1, pd.NA], dtype="Int64"),
            "start_year": pd.array([pd.NA, 2026, 2028, pd.NA, pd.NA, pd.NA], dtype="Int64"),
            "end_year": pd.array([pd.NA, 2027, 2029, pd.NA, 2023, pd.NA], dtype="Int64"),
            "passes_density": [True, True, True, False, True, True],
            "is_cheaper_than_heat_pumps": [True, True, True, False, True, True],
            "cost_dkk": [0.0, 1.2e7, 9.0e6, 0.0, 5.0e6, 0.0],
        },
        geometry=[box(X0 + 1000 * i, Y0, X0 + 1000 * (i + 1), Y0 + 1000) for i in range(6)],
        index=pd.Index([f"D{i}" for i in range(6)], name="district_id"),
        crs=CRS,
    )


# address, postcode, district, recommendation, connection_status, phase, offer, start, end,
# x offset, connection fee, DH bill, heat-pump bill, gas bill (DKK)
PROPERTIES = [
    ("P01", "Måløv Byvej 12", "2760 Måløv", "D1", "district_heating", "", 1, 2025, 2026, 2027,
     1400, 15000.0, 14321.4, 15960.0, 19049.9),
    ("P02", "Måløv Byvej 2", "2760 Måløv", "D1", "district_heating", "signed_up", 1, None, 2026,
     2027, 1420, 15000.0, 9870.0, 11020.0, 13110.0),
    ("P03", "Måløv Byvej 12A", "2760 Måløv", "D1", "none", "", None, None, None, None,
     1440, None, None, None, None),
    ("P04", EVIL, "2740 Skovlunde", "D2", "district_heating", "", 2, 2027, 2028, 2029,
     2500, 15000.0, 12000.0, 13000.0, 16000.0),
    ("P05", "Ballerup Byvej 5", "2750 Ballerup", "D3", "individual_heat_pump", "", None, None,
     None, None, 3500, None, None, 12500.0, 17800.0),
    ("P06", "Centrumgaden 1", "2750 Ballerup", "D0", "existing_dh", "", None, None, None,
     None, 500, None, None, None, None),
    ("P07", "Søndergårds Allé 7", "2750 Ballerup", "D3", "none", "", None, None, None, None,
     3600, None, None, None, None),
    ("P08", "Hasselvej 4", "2740 Skovlunde", "D4", "district_heating", "", 1, 2024, None,
     2023, 4500, 15000.0, 11000.0, 12000.0, 15000.0),
    ("P09", "Kærvej 3", "2740 Skovlunde", "D5", "none", "", None, None, None, None,
     5500, None, None, None, None),
    ("P10", "Udkanten 1", "2765 Smørum", None, "none", "", None, None, None, None,
     7500, None, None, None, None),
    ("P11", "Centrumgaden 9", "2750 Ballerup", "D0", "existing_dh", "", None, None, None, None,
     520, None, None, None, None),
    ("P12", "Centrumgaden 9", "2750 Ballerup", "D0", "existing_dh", "", None, None, None, None,
     540, None, None, None, None),
    ("P13", REJECTED_ADDRESS, "2760 Måløv", "D1", "district_heating", "", 1, 2025, 2026, 2027,
     1460, 15000.0, 14000.0, 15000.0, 18000.0),
]


def _properties(money: bool) -> gpd.GeoDataFrame:
    """The properties of :data:`PROPERTIES`, with columns that must never reach the page."""
    columns = ["property_id", "address", "postcode", "district_id", "recommendation",
               "connection_status", "phase", "offer_year", "construction_start_year",
               "construction_end_year", "dx", "connection_fee_dkk", "bill_dh_dkk_a",
               "bill_heat_pump_dkk_a", "bill_gas_dkk_a"]
    table = pd.DataFrame(PROPERTIES, columns=columns).set_index("property_id")
    table.index = table.index.where(table.index != "P01", SECRET_ID)
    for col in ("phase", "offer_year", "construction_start_year", "construction_end_year"):
        table[col] = pd.array(table[col], dtype="Int64")
    geometry = [Point(X0 + dx, Y0 + 500 + (i % 3) * 20) for i, dx in enumerate(table["dx"])]
    geometry[6] = box(X0 + 3600, Y0 + 600, X0 + 3620, Y0 + 620)  # a footprint, not a point
    table = table.drop(columns="dx")
    if not money:
        table = table.drop(columns=["connection_fee_dkk", "bill_dh_dkk_a",
                                    "bill_heat_pump_dkk_a", "bill_gas_dkk_a"])
    # columns that must never reach the page
    table["owner_type"] = "ejer-hemmelig"
    table["bbr_use_code"] = "bbr-hemmelig"
    table["heat_demand_mwh_a"] = 987.654321
    table["co2_t_a"] = 123.456789
    table["heating_type"] = "heating-hemmelig"
    return gpd.GeoDataFrame(table, geometry=geometry, crs=CRS)


def _scenario(money: bool) -> Scenario:
    """The default scenario (first plan year 2024), with household assumptions if ``money``."""
    scenario = load_scenario().with_values(phasing__first_year=2024)
    if not money:
        return scenario
    extra = {
        "household.dh_variable_dkk_per_mwh": Parameter(
            "household.dh_variable_dkk_per_mwh", 612.5, "DKK/MWh incl. VAT",
            "test tariff sheet 2025"),
        "household.study_note": Parameter("household.study_note", "typical", "", "test",
                                          "Antagelse om huset"),
        "household.vat_share": Parameter("household.vat_share", 0.25, "share", "Momsloven"),
    }
    return Scenario({**scenario.parameters, **extra}, scenario.files)


def make_plan(*, synthetic: bool = False, money: bool = True) -> Plan:
    """A hand-made plan with an address of every answer type, household estimates, streets."""
    empty = gpd.GeoDataFrame(geometry=[], crs=CRS)
    trenches = gpd.GeoDataFrame(
        {"phase": pd.array([1, 1, 2], dtype="Int64"), "dn": [200, 65, 80],
         "is_built": [True, True, True]},
        geometry=[LineString([(X0 + 1000, Y0 + 500), (X0 + 1400, Y0 + 500)]),
                  LineString([(X0 + 1400, Y0 + 500), (X0 + 1420, Y0 + 520)]),
                  LineString([(X0 + 2000, Y0 + 500), (X0 + 2500, Y0 + 500)])],
        index=pd.Index(["S1", "S2", "S3"], name="segment_id"),
        crs=CRS,
    )
    streets = gpd.GeoDataFrame(
        {"name": ["Måløv Byvej", "Centrumgaden", None],
         "road_class": ["local", "arterial", "path"]},
        geometry=[LineString([(X0 + 1300, Y0 + 480), (X0 + 1500, Y0 + 480)]),
                  LineString([(X0 + 100, Y0 + 480), (X0 + 900, Y0 + 480)]),
                  LineString([(X0 + 5000, Y0 + 100), (X0 + 5100, Y0 + 900)])],
        crs=CRS,
    )
    network = gpd.GeoDataFrame(
        {"dn_mm": [300]}, geometry=[LineString([(X0 + 100, Y0 + 500), (X0 + 1000, Y0 + 500)])],
        crs=CRS,
    )
    rejected = pd.DataFrame(
        {"district_id": ["D1"], "reason": ["no street within reach"]},
        index=pd.Index(["P13"], name="property_id"),
    )
    return Plan(
        properties=_properties(money),
        districts=_districts(),
        trenches=trenches,
        service_pipes=empty,
        dh_network=network,
        heat_sources=empty,
        streets=streets,
        renovation=pd.DataFrame(),
        years=pd.DataFrame(),
        co2_trajectory=pd.DataFrame(),
        rejected={"properties_routing": rejected},
        scenario=_scenario(money),
        is_synthetic=synthetic,
    )


def page_data(page: str) -> dict:
    """The JSON the page hands to its script."""
    match = re.search(r'<script type="application/json" id="hp-data">(.*?)</script>', page)
    assert match, "the map's data block is missing"
    return json.loads(match.group(1))


def addresses(data: dict) -> dict[str, dict]:
    """Every address on the page (label → profile and money), decoded like the page does."""
    out = {}
    lat0, lon0 = data["origin"]
    for chunk in data["chunks"]:
        if chunk["kind"] != "points":
            continue
        lat = lon = 0
        for j in range(len(chunk["lat"])):
            lat += chunk["lat"][j]
            lon += chunk["lon"][j]
            pc = data["postcodes"][chunk["pc"][j] if "pc" in chunk else chunk["pc1"]]
            number = str(chunk["n"][j])
            label = data["streetNames"][chunk["s"][j]] + (f" {number}" if number else "")
            label += f", {pc}" if pc else ""
            money = {k: chunk[k][j] for k in ("mf", "md", "mh", "mg") if k in chunk}
            out.setdefault(label, []).append(
                {"profile": data["profiles"][chunk["p"][j]], "money": money,
                 "lat": lat0 + lat / 1e5, "lon": lon0 + lon / 1e5}
            )
    return out


@pytest.fixture(scope="module")
def page() -> str:
    return render_resident_map(make_plan(), layout="file").html


def test_every_address_gets_its_answer(page):
    found = addresses(page_data(page))
    kinds = {label: [a["profile"]["kind"] for a in items] for label, items in found.items()}
    assert kinds == {
        "Måløv Byvej 12, 2760 Måløv": ["planned"],
        "Måløv Byvej 2, 2760 Måløv": ["planned"],
        "Måløv Byvej 12A, 2760 Måløv": ["may_connect"],
        EVIL + ", 2740 Skovlunde": ["planned"],
        "Ballerup Byvej 5, 2750 Ballerup": ["individual"],
        "Centrumgaden 1, 2750 Ballerup": ["connected"],
        "Centrumgaden 9, 2750 Ballerup": ["connected", "connected"],
        "Søndergårds Allé 7, 2750 Ballerup": ["none"],
        "Hasselvej 4, 2740 Skovlunde": ["built"],
        "Kærvej 3, 2740 Skovlunde": ["none"],
        "Udkanten 1, 2765 Smørum": ["none"],
    }
    one = found["Måløv Byvej 12, 2760 Måløv"][0]
    assert {k: one["profile"][k] for k in ("ph", "oy", "cs", "ce", "why")} == {
        "ph": 1, "oy": 2025, "cs": 2026, "ce": 2027, "why": []}
    lon, lat = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True).transform(
        X0 + 1400, Y0 + 500)
    assert one["lat"] == pytest.approx(lat, abs=1.5e-5)
    assert one["lon"] == pytest.approx(lon, abs=1.5e-5)
    # the address that may connect carries its district's years: pipes come 2026–2027
    may = found["Måløv Byvej 12A, 2760 Måløv"][0]["profile"]
    assert (may["ph"], may["cs"], may["ce"], may["oy"]) == (1, 2026, 2027, None)
    assert found["Ballerup Byvej 5, 2750 Ballerup"][0]["profile"]["why"] == [
        "fixed", "sparse", "cheaper"]
    why = {label: found[label][0]["profile"]["why"] for label in (
        "Søndergårds Allé 7, 2750 Ballerup", "Kærvej 3, 2740 Skovlunde",
        "Udkanten 1, 2765 Smørum")}
    assert why == {"Søndergårds Allé 7, 2750 Ballerup": ["individual_area"],
                   "Kærvej 3, 2740 Skovlunde": ["undecided"],
                   "Udkanten 1, 2765 Smørum": ["outside"]}
    built = found["Hasselvej 4, 2740 Skovlunde"][0]["profile"]
    assert (built["ce"], built["oy"]) == (2023, 2024)


def test_a_sign_up_is_not_published(page):
    found = addresses(page_data(page))
    signed = found["Måløv Byvej 2, 2760 Måløv"][0]["profile"]
    neighbour = found["Måløv Byvej 12, 2760 Måløv"][0]["profile"]
    assert signed == neighbour  # same profile, offer year 2025 included
    assert "signed_up" not in page


def test_money_is_rounded_estimates_from_the_plan_columns(page):
    data = page_data(page)
    found = addresses(data)
    assert found["Måløv Byvej 12, 2760 Måløv"][0]["money"] == {
        "mf": 150, "md": 143, "mh": 160, "mg": 190}  # hundreds of DKK
    # a district's chunk leaves out a column empty for all its addresses
    assert found["Ballerup Byvej 5, 2750 Ballerup"][0]["money"] == {"mh": 125, "mg": 178}
    assert data["money"] == ["md", "mf", "mg", "mh"]
    assert data["t"]["money_title"] == "Hvad koster det? (skøn)"
    assumptions = {a["name"]: a for a in data["assumptions"]}
    assert assumptions["Fjernvarmepris"] == {
        "name": "Fjernvarmepris", "value": "612,5", "unit": "kr. pr. MWh ekskl. moms",
        "source": "test tariff sheet 2025"}
    assert assumptions["Antagelse om huset"]["value"] == "typical"  # named by its note
    assert assumptions["Moms"]["value"] == "25"  # a share shown in per cent


def test_no_money_without_the_plan_columns():
    data = page_data(render_resident_map(make_plan(money=False), layout="file").html)
    assert data["money"] == []
    assert data["assumptions"] == []
    assert not any(k in chunk for chunk in data["chunks"] for k in ("mf", "md", "mh", "mg"))


def test_only_whitelisted_fields_and_no_rejected_property_reach_the_page(page):
    for secret in (SECRET_ID, "P02", "ejer-hemmelig", "bbr-hemmelig", "heating-hemmelig",
                   "987.65", "123.45", REJECTED_ADDRESS, "Afvistvej", "no street within"):
        assert secret not in page, secret
    data = page_data(page)
    for chunk in data["chunks"]:
        allowed = ({"kind", "bbox", "lat", "lon", "s", "n", "p", "pc", "pc1",
                    "mf", "md", "mh", "mg"} if chunk["kind"] == "points"
                   else {"kind", "bbox", "n", "c", "g", "specs"})
        assert set(chunk) <= allowed
    assert set(data["profiles"][0]) == {"kind", "d", "ph", "oy", "cs", "ce", "why", "c"}
    assert len(addresses(data)) == 11


def test_districts_pipes_streets_and_legend(page):
    data = page_data(page)
    assert [d["name"] for d in data["districts"]] == [
        "Centrum", "Måløv Nord", "Skovlunde <Øst> & Co", "Egebjerg", "Hasselby", "Kærby"]
    assert [d["cls"] for d in data["districts"]] == [
        "existing", "dh", "dh", "individual", "dh", "other"]
    assert [c["key"] for c in data["classes"]] == [
        "dh-1", "dh-2", "may_connect", "connected", "individual", "none"]
    assert [c["shape"] for c in data["classes"]] == [
        "circle", "circle", "ring", "square", "diamond", "dot"]
    assert data["phaseSpans"] == {"1": [2026, 2027], "2": [2028, 2029]}
    specs = [s for c in data["chunks"] if c["kind"] == "lines" for s in c["specs"]]
    mains = sorted((s["color"], s["weight"]) for s in specs if s["group"] == "mains")
    assert mains == [("#0072b2", 2.5), ("#e69f00", 2.5), ("#e69f00", 4)]
    assert [s["dash"] for s in specs if s["group"] == "network"] == ["6 4"]
    assert data["lineGroups"] == {"mains": "#e69f00", "network": "#1f1f1f"}
    assert data["baseNames"] == ["Centrumgaden", "Måløv Byvej"]
    streets = [c for c in data["chunks"] if c["kind"] == "streets"]
    assert sorted(n for c in streets for n in c["n"]) == [-1, 0, 1]
    assert data["example"] == "Centrumgaden 9"


def test_every_string_is_escaped(page):
    assert "<script>window.__pwned" not in page
    assert "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e" in page
    assert "Skovlunde \\u003cØst\\u003e \\u0026 Co" in page
    assert EVIL + ", 2740 Skovlunde" in addresses(page_data(page))
    assert "javascript:" not in page.lower()


def test_scenario_texts_are_escaped_too():
    plan = make_plan()
    title = 'Kort </title><script>alert(1)</script> & "x"'
    scenario = plan.scenario.with_values(residents__title_da=title)
    page = render_resident_map(Plan(**{**plan.__dict__, "scenario": scenario})).html
    assert "<script>alert(1)" not in page
    assert "<title>Kort &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in page
    assert page_data(page)["t"]["title"] == title


def test_template_markup_in_texts_stays_text():
    # folium's elements are Jinja templates: text from the data or the scenario must not be
    # evaluated as one ("{{ 7*7 }}" would show as 49) nor break the build ("{%")
    plan = make_plan()
    title = "Plan {{ 7*7 }} {% if x %}"
    scenario = plan.scenario.with_values(residents__title_da=title)
    page = render_resident_map(Plan(**{**plan.__dict__, "scenario": scenario})).html
    assert "Plan {{ 7*7 }} {% if x %}" in page and "Plan 49" not in page


def test_a_tile_url_that_is_not_a_plain_https_template_is_refused():
    from heatplan.core.errors import ScenarioError

    plan = make_plan()
    for url in ("http://tiles.example/{z}/{x}/{y}.png?token={token}",
                "https://tiles.example/{{ 7*7 }}/{z}/{x}/{y}"):
        scenario = plan.scenario.with_values(residents__basemap_tiles="dataforsyningen",
                                             residents__dataforsyningen_url=url,
                                             residents__dataforsyningen_token="abc")
        with pytest.raises(ScenarioError, match="dataforsyningen_url"):
            render_resident_map(Plan(**{**plan.__dict__, "scenario": scenario}))


def test_page_is_self_contained_zoomable_and_states_its_plan(page):
    # no outside source: every script and style inline, a policy that allows nothing else
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)
    assert "jsdelivr" not in page and "unpkg.com" not in page
    assert "tile.openstreetmap" not in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert "img-src data:;" in policy
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "user-scalable" not in page and "maximum-scale" not in page
    assert '<html lang="da">' in page
    assert "Planens første år: 2024 · heatplan 0.1.0" in page


def test_contacts_and_texts_come_from_the_scenario(page):
    data = page_data(page)
    assert [link["href"] for link in data["links"]["utility"]] == [
        "https://vestfor.dk/privat/fjernvarme/fjernvarmeprocessen",
        "mailto:tilslutning@vestfor.dk",
    ]
    assert data["links"]["heat_pump"][0]["href"] == "https://sparenergi.dk"
    assert data["links"]["municipality"][0]["href"] == "https://ballerup.dk"
    assert data["t"]["utility"] == "Vestforbrænding"
    assert data["t"]["no_result_contact"] == (
        "Kan du ikke finde din adresse? Kontakt Ballerup Kommune / Vestforbrænding.")
    assert data["t"]["search_placeholder"] == "Vej og husnummer, fx Centrumgaden 9"


def test_english_texts():
    page = render_resident_map(make_plan(), lang="en").html
    data = page_data(page)
    assert data["t"]["kind"]["may_connect"] == "You can get district heating too"
    assert data["t"]["money_title"] == "What does it cost? (estimate)"
    assert '<html lang="en">' in page
    assert "The plan's first year: 2024" in page
    with pytest.raises(ValueError, match="lang must be one of"):
        render_resident_map(make_plan(), lang="de")


def test_sample_banner_only_for_synthetic_plans(page):
    assert page_data(page)["synthetic"] is False
    assert 'class="hp-banner"' not in page
    synthetic = render_resident_map(make_plan(synthetic=True)).html
    assert "EKSEMPELDATA" in synthetic
    assert "Eksempeldata" in page_data(synthetic)["attribution"]


def test_same_plan_gives_identical_bytes(page):
    assert render_resident_map(make_plan(), layout="file").html == page


def test_write_is_atomic_and_refuses_to_overwrite(tmp_path: Path):
    target = tmp_path / "kort" / "fjernvarme.html"
    assert write_resident_map(make_plan(), target) == target
    first = target.read_bytes()
    assert first.startswith(b"<!DOCTYPE html>")
    with pytest.raises(OutputExistsError, match="--overwrite"):
        write_resident_map(make_plan(), target)
    write_resident_map(make_plan(), target, lang="en", overwrite=True)
    assert target.read_bytes() != first
    assert sorted(p.name for p in target.parent.iterdir()) == ["fjernvarme.html"]


def test_folder_form_loads_data_on_demand(tmp_path: Path):
    target = tmp_path / "fjernvarme_kort.html"
    write_resident_map(make_plan(), target, layout="folder")
    folder = folder_path(target)
    assert folder.name == "fjernvarme_kort_filer"
    data = page_data(target.read_text(encoding="utf-8"))
    assert "chunks" not in data
    n = len(data["chunkFiles"])
    # 7 address chunks (6 districts with addresses, 1 for none), 3 cells of streets, 2 of pipes
    assert n == len(data["chunkMeta"]) == 12
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["leaflet.css", "leaflet.js", "resident_map.css", "resident_map.js"]
        + [f"data_{i}.js" for i in range(n)])
    first = (folder / "data_0.js").read_text(encoding="utf-8")
    assert first.startswith("heatplanChunk(0,{")
    assert 'src="fjernvarme_kort_filer/leaflet.js"' in target.read_text(encoding="utf-8")
    # the index page knows each street's chunks, for the search
    assert data["where"][data["streetNames"].index("Måløv Byvej")] == [2]
    # a single-file map written over it removes the stale folder
    write_resident_map(make_plan(), target, layout="file", overwrite=True)
    assert not folder.exists()


def test_folder_threshold_comes_from_the_scenario():
    plan = make_plan()
    small = plan.scenario.with_values(residents__folder_above_addresses=5)
    page = render_resident_map(Plan(**{**plan.__dict__, "scenario": small}))
    assert page.folder  # 11 addresses > 5
    assert not render_resident_map(plan).folder


def test_tile_layers_only_when_configured():
    plan = make_plan()
    osm = plan.scenario.with_values(residents__basemap_tiles="osm")
    page = render_resident_map(Plan(**{**plan.__dict__, "scenario": osm})).html
    assert page_data(page)["tiles"]["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "img-src data: https://tile.openstreetmap.org;" in page
    assert page_data(render_resident_map(Plan(**{**plan.__dict__, "scenario": osm}),
                                         offline=True).html)["tiles"] is None
    token = plan.scenario.with_values(residents__basemap_tiles="dataforsyningen",
                                      residents__dataforsyningen_token="abc123")
    tiles = page_data(render_resident_map(Plan(**{**plan.__dict__, "scenario": token})).html)
    assert "token=abc123" in tiles["tiles"]["url"]
    missing = plan.scenario.with_values(residents__basemap_tiles="dataforsyningen")
    with pytest.raises(ScenarioError, match=r"residents\.dataforsyningen_token"):
        render_resident_map(Plan(**{**plan.__dict__, "scenario": missing}))
    wrong = plan.scenario.with_values(residents__basemap_tiles="google")
    with pytest.raises(ScenarioError, match="basemap_tiles = 'google'"):
        render_resident_map(Plan(**{**plan.__dict__, "scenario": wrong}))


def test_bad_inputs_name_the_problem():
    plan = make_plan()
    props = plan.properties.copy()
    props.loc["P02", "recommendation"] = "maybe"
    with pytest.raises(SchemaError, match=r"recommendation at property_id \['P02'\].*'maybe'"):
        render_resident_map(Plan(**{**plan.__dict__, "properties": props}))
    with pytest.raises(SchemaError, match="no column 'address'"):
        render_resident_map(Plan(**{**plan.__dict__, "properties": props.drop(columns="address")}))
    bad = plan.scenario.with_values(residents__signup_url="javascript:alert(1)")
    with pytest.raises(ScenarioError, match=r"residents\.signup_url"):
        render_resident_map(Plan(**{**plan.__dict__, "scenario": bad}))


def test_properties_without_address_are_left_out():
    plan = make_plan()
    props = plan.properties.copy()
    props.loc["P02", "address"] = None
    props.loc["P05", "address"] = "  "
    data = page_data(render_resident_map(Plan(**{**plan.__dict__, "properties": props})).html)
    assert "Måløv Byvej 2, 2760 Måløv" not in addresses(data)
    assert len(addresses(data)) == 9


SAMPLE_GPKG = Path(__file__).resolve().parents[1] / "gis_data" / "sample.gpkg"


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE_GPKG.exists(), reason="the bundled sample is not generated")
def test_map_of_the_bundled_sample(tmp_path: Path):
    from heatplan.io.layers import read_dataset
    from heatplan.pipeline import build_plan
    from heatplan.validate import validate_dataset

    scenario = load_scenario()
    result = validate_dataset(read_dataset(), scenario=scenario)
    plan = build_plan(result.dataset, scenario=scenario, method="heuristic")
    path = write_resident_map(plan, tmp_path / "fjernvarme_kort.html")
    assert path.stat().st_size <= 1_500_000
    page = path.read_text(encoding="utf-8")
    data = page_data(page)
    found = addresses(data)
    props = plan.properties
    with_address = props["address"].astype("string").str.strip().fillna("") != ""
    assert sum(len(v) for v in found.values()) == int(with_address.sum())
    kinds = pd.Series([a["profile"]["kind"] for v in found.values() for a in v]).value_counts()
    # every gas or oil property in a district-heating district is planned or has mains built
    rec = props.loc[with_address, "recommendation"].value_counts()
    connected = props["connection_status"].eq("connected") & props["recommendation"].eq(
        "district_heating")
    assert kinds.get("planned", 0) + kinds.get("built", 0) == rec["district_heating"] - int(
        connected.sum())
    assert kinds["individual"] == rec["individual_heat_pump"]
    # no address in a district-heating district is told "no change"
    none_in_dh = [a for v in found.values() for a in v if a["profile"]["kind"] == "none"
                  and data["districts"][a["profile"]["d"]]["cls"] in ("dh", "existing")]
    assert none_in_dh == []
    assert data["synthetic"] is plan.is_synthetic is True
    assert len(data["baseNames"]) > 100
    for property_id in props.index[:50]:
        assert str(property_id) not in page
