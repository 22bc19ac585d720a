"""The residents' map: data on the page, privacy whitelist, escaping, languages, offline mode."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import LineString, Point, box

from heatplan.core.errors import HeatplanError, OutputExistsError, ScenarioError, SchemaError
from heatplan.core.scenario import load_scenario
from heatplan.outputs.resident_map.assets import leaflet_dir
from heatplan.outputs.resident_map.page import resident_map, write_resident_map
from heatplan.plan.result import Plan

CRS = "EPSG:25832"
EVIL = "Ondvej <script>window.__pwned=1</script> \"Citat\" 'enkelt' & Co 3"
SECRET_ID = "PID-hemmelig-0001"


def _districts() -> gpd.GeoDataFrame:
    """Four districts: existing, two district-heating phases, individual heating."""
    return gpd.GeoDataFrame(
        {
            "name": ["Centrum", "Måløv Nord", "Skovlunde <Øst> & Co", "Egebjerg"],
            "status": ["existing_dh", "candidate_dh", "candidate_dh", "individual"],
            "recommendation": [
                "existing_dh",
                "district_heating",
                "district_heating",
                "individual_heat_pump",
            ],
            "phase": pd.array([pd.NA, 1, 2, pd.NA], dtype="Int64"),
            "start_year": pd.array([pd.NA, 2026, 2028, pd.NA], dtype="Int64"),
            "end_year": pd.array([pd.NA, 2027, 2029, pd.NA], dtype="Int64"),
            "cost_dkk": [0.0, 1.2e7, 9.0e6, 0.0],
        },
        geometry=[
            box(709000, 6179000, 710000, 6180000),
            box(710000, 6179000, 711000, 6180000),
            box(711000, 6179000, 712000, 6180000),
            box(712000, 6179000, 713000, 6180000),
        ],
        index=pd.Index(["D0", "D1", "D2", "D3"], name="district_id"),
        crs=CRS,
    )


def _properties(address: str) -> gpd.GeoDataFrame:
    """Six properties (one a footprint), with columns that must never reach the page."""
    return gpd.GeoDataFrame(
        {
            "address": [
                "Måløv Byvej 12",
                "Måløv Byvej 2",
                address,
                "Ballerup Byvej 5",
                "Centrumgaden 1",
                "Søndergårds Allé 7",
            ],
            "postcode": ["2760", "2760", "2740", "2750", "2750", "2750"],
            "district_id": ["D1", "D1", "D2", "D3", "D0", "D3"],
            "recommendation": [
                "district_heating",
                "district_heating",
                "district_heating",
                "individual_heat_pump",
                "existing_dh",
                "none",
            ],
            "phase": pd.array([1, 1, 2, pd.NA, pd.NA, pd.NA], dtype="Int64"),
            "offer_year": pd.array([2025, 2025, 2027, pd.NA, pd.NA, pd.NA], dtype="Int64"),
            "construction_start_year": pd.array(
                [2026, 2026, 2028, pd.NA, pd.NA, pd.NA], dtype="Int64"
            ),
            "construction_end_year": pd.array(
                [2027, 2027, 2029, pd.NA, pd.NA, pd.NA], dtype="Int64"
            ),
            "connection_year": pd.array([2027, 2027, 2029, pd.NA, pd.NA, pd.NA], dtype="Int64"),
            # Columns that must never reach the page:
            "owner_type": ["ejer-hemmelig"] * 6,
            "bbr_use_code": ["bbr-hemmelig"] * 6,
            "heat_demand_mwh_a": [987.654321] * 6,
            "co2_t_a": [123.456789] * 6,
        },
        geometry=[
            Point(710400, 6179500),
            Point(710420, 6179520),
            Point(711500, 6179500),
            Point(712500, 6179500),
            Point(709500, 6179500),
            box(712600, 6179600, 712620, 6179620),  # a footprint, not a point
        ],
        index=pd.Index([SECRET_ID, "P2", "P3", "P4", "P5", "P6"], name="property_id"),
        crs=CRS,
    )


def _trenches() -> gpd.GeoDataFrame:
    """Three trenches of phases 1 and 2; one main (DN 200)."""
    return gpd.GeoDataFrame(
        {"phase": pd.array([1, 1, 2], dtype="Int64"), "dn": [200, 65, 80]},
        geometry=[
            LineString([(710000, 6179500), (710400, 6179500)]),
            LineString([(710400, 6179500), (710420, 6179520)]),
            LineString([(711000, 6179500), (711500, 6179500)]),
        ],
        index=pd.Index(["S1", "S2", "S3"], name="segment_id"),
        crs=CRS,
    )


def _network() -> gpd.GeoDataFrame:
    """The existing network: one line."""
    return gpd.GeoDataFrame(
        {"dn_mm": [300]},
        geometry=[LineString([(709100, 6179500), (710000, 6179500)])],
        crs=CRS,
    )


def make_plan(*, synthetic: bool = False, address: str = EVIL) -> Plan:
    """A hand-made plan: four districts, six properties, two trench phases, existing network."""
    empty = gpd.GeoDataFrame(geometry=[], crs=CRS)
    return Plan(
        properties=_properties(address),
        districts=_districts(),
        trenches=_trenches(),
        service_pipes=empty,
        dh_network=_network(),
        heat_sources=empty,
        renovation=pd.DataFrame(),
        years=pd.DataFrame(),
        co2_trajectory=pd.DataFrame(),
        scenario=load_scenario(),
        is_synthetic=synthetic,
    )


def page_data(page: str) -> dict:
    """The JSON the page hands to its script."""
    match = re.search(r'<script type="application/json" id="heatplan-data">(.*?)</script>', page)
    assert match, "the map's data block is missing"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def page() -> str:
    return resident_map(make_plan()).get_root().render()


def test_points_carry_the_plan_in_natural_address_order(page):
    data = page_data(page)
    points = data["points"]
    assert points["a"] == [
        "Ballerup Byvej 5, 2750",
        "Centrumgaden 1, 2750",
        "Måløv Byvej 2, 2760",
        "Måløv Byvej 12, 2760",
        EVIL + ", 2740",
        "Søndergårds Allé 7, 2750",
    ]
    i = points["a"].index("Måløv Byvej 12, 2760")
    lon, lat = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True).transform(710400, 6179500)
    assert points["lat"][i] == pytest.approx(lat, abs=1e-5)
    assert points["lon"][i] == pytest.approx(lon, abs=1e-5)
    assert (points["ph"][i], points["oy"][i], points["cs"][i], points["ce"][i]) == (
        1,
        2025,
        2026,
        2027,
    )
    assert points["cy"][i] == 2027
    names = [d["name"] for d in data["districts"]["items"]]
    assert names[points["d"][i]] == "Måløv Nord"
    kinds = [data["classes"][k]["kind"] for k in points["k"]]
    assert kinds == [
        "individual_heat_pump",
        "existing_dh",
        "district_heating",
        "district_heating",
        "district_heating",
        "none",
    ]
    groups = [data["classes"][k]["group"] for k in points["k"]]
    assert groups[2:5] == ["dh-1", "dh-1", "dh-2"]


def test_layers_legend_and_phase_years(page):
    data = page_data(page)
    labels = [e["label"] for e in data["legend"]]
    assert "Fjernvarme, fase 1 (2026–2027)" in labels
    assert "Fjernvarme, fase 2 (2028–2029)" in labels
    assert "Planlagt ledning, fase 1" in labels
    assert "Eksisterende fjernvarmenet" in labels
    mains = [spec for spec in data["lines"] if spec["group"] == "mains"]
    # phase 1 has a main (DN 200) and a distribution pipe (DN 65); phase 2 one DN 80 pipe
    assert sorted((s["color"], s["weight"]) for s in mains) == sorted(
        [("#d7301f", 2.5), ("#d7301f", 4), ("#f28e2b", 2.5)]
    )
    assert len(data["districts"]["geojson"]["features"]) == 4
    for name in ("Energidistrikter", "Planlagte fjernvarmeledninger", "Eksisterende fjernvarmenet"):
        assert name in page


def test_only_whitelisted_fields_reach_the_page(page):
    for secret in (SECRET_ID, "P2", "ejer-hemmelig", "bbr-hemmelig", "987.65", "123.45"):
        assert secret not in page
    data = page_data(page)
    assert set(data["points"]) == {"lat", "lon", "a", "d", "k", "ph", "oy", "cs", "ce", "cy"}


def test_every_string_is_escaped(page):
    assert "<script>window.__pwned" not in page
    assert "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e" in page
    assert "Skovlunde \\u003cØst\\u003e \\u0026 Co" in page
    # the data round-trips to the literal text
    assert EVIL + ", 2740" in page_data(page)["points"]["a"]
    # the page has no inline event handlers or javascript: links from the data
    assert "javascript:" not in page.lower()


def test_scenario_texts_are_escaped_too():
    plan = make_plan()
    title = 'Kort </title><script>alert(1)</script> & "x"'
    scenario = plan.scenario.with_values(residents__title_da=title)
    page = resident_map(Plan(**{**plan.__dict__, "scenario": scenario})).get_root().render()
    assert "<script>alert(1)" not in page
    assert "<title>Kort &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in page
    assert page_data(page)["t"]["title"] == title


def test_contacts_and_texts_come_from_the_scenario(page):
    data = page_data(page)
    hrefs = [link["href"] for link in data["links"]["district_heating"]]
    assert hrefs == [
        "https://vestfor.dk/privat/fjernvarme/fjernvarmeprocessen",
        "mailto:tilslutning@vestfor.dk",
    ]
    assert data["links"]["individual_heat_pump"][0]["href"] == "https://sparenergi.dk"
    assert data["t"]["todo"]["district_heating"][0] == "Tilmeld dig fjernvarme hos Vestforbrænding."
    assert data["t"]["offer_year"] == "Forventet tilbud"
    assert "<title>Hvornår kommer fjernvarmen? Søg på din adresse</title>" in page
    assert 'document.documentElement.lang = "da"' in page
    assert 'name="viewport"' in page


def test_english_texts():
    data = page_data(resident_map(make_plan(), lang="en").get_root().render())
    assert data["t"]["offer_year"] == "Expected offer"
    assert data["t"]["plan_text"]["individual_heat_pump"] == "Individual heating (e.g. heat pump)"
    assert "District heating, phase 1 (2026–2027)" in [e["label"] for e in data["legend"]]
    with pytest.raises(ValueError, match="lang must be one of"):
        resident_map(make_plan(), lang="de")


def test_sample_banner_only_for_synthetic_plans(page):
    assert page_data(page)["synthetic"] is False
    data = page_data(resident_map(make_plan(synthetic=True)).get_root().render())
    assert data["synthetic"] is True
    assert data["t"]["synthetic_banner"].startswith("EKSEMPELDATA")
    assert "Eksempeldata" in data["attribution"]


def test_same_plan_gives_identical_bytes(page):
    assert resident_map(make_plan()).get_root().render() == page


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


def test_bad_inputs_name_the_problem():
    plan = make_plan()
    props = plan.properties.copy()
    props.loc["P2", "recommendation"] = "maybe"
    with pytest.raises(SchemaError, match=r"recommendation at property_id \['P2'\].*'maybe'"):
        resident_map(Plan(**{**plan.__dict__, "properties": props}))
    with pytest.raises(SchemaError, match="no column 'address'"):
        resident_map(Plan(**{**plan.__dict__, "properties": props.drop(columns="address")}))
    bad = plan.scenario.with_values(residents__signup_url="javascript:alert(1)")
    with pytest.raises(ScenarioError, match=r"residents\.signup_url"):
        resident_map(Plan(**{**plan.__dict__, "scenario": bad}))


def test_properties_without_address_are_left_out():
    plan = make_plan()
    props = plan.properties.copy()
    props.loc["P2", "address"] = None
    props.loc["P4", "address"] = "  "
    data = page_data(
        resident_map(Plan(**{**plan.__dict__, "properties": props})).get_root().render()
    )
    assert len(data["points"]["a"]) == 4
    assert "Måløv Byvej 2, 2760" not in data["points"]["a"]


def test_offline_page_inlines_leaflet_and_loads_nothing():
    if leaflet_dir() is None:
        pytest.skip("offline mode needs xstatic-leaflet or Debian's libjs-leaflet")
    page = resident_map(make_plan(), offline=True).get_root().render()
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)
    assert "cdn.jsdelivr" not in page
    assert "basemaps.cartocdn.com" not in page
    assert "L.version" in page or "Leaflet" in page
    assert "data:image/png;base64," in page  # the layer-control icon
    assert "uden baggrundskort" in page_data(page)["attribution"]


def test_offline_without_leaflet_says_what_to_install(monkeypatch):
    import heatplan.outputs.resident_map.assets as module

    monkeypatch.setattr(module, "leaflet_dir", lambda: None)
    with pytest.raises(HeatplanError, match="pip install xstatic-leaflet"):
        resident_map(make_plan(), offline=True)


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
    assert path.stat().st_size <= 3_000_000
    page = path.read_text(encoding="utf-8")
    data = page_data(page)
    props = plan.properties
    with_address = props["address"].astype("string").str.strip().fillna("") != ""
    assert len(data["points"]["a"]) == int(with_address.sum())
    kinds = pd.Series([data["classes"][k]["kind"] for k in data["points"]["k"]])
    expected = props.loc[with_address, "recommendation"].value_counts()
    assert kinds.value_counts().sort_index().to_dict() == expected.sort_index().to_dict()
    assert data["synthetic"] is plan.is_synthetic is True
    for property_id in props.index[:50]:
        assert str(property_id) not in page
