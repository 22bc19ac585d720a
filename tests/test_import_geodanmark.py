"""GeoDanmark footprints and road centrelines, GeoFA roads and heat-plan district layers.

Expected figures come from independent parsing of the raw files (``json``, shapely on the raw
coordinates), not from the readers under test.
"""

from __future__ import annotations

import collections
import itertools
import json
import math
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from heatplan.core.errors import InputDataError
from heatplan.importers import ImportResult, write_dataset
from heatplan.io import geodanmark, plandata

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DAWA = DATA / "dawa-testdata"
GEOFA = DATA / "ballerup-geofa"

needs_dawa = pytest.mark.skipif(
    not DAWA.is_dir(), reason=f"GeoDanmark test data not found at {DAWA} (../shared is absent)"
)
needs_geofa = pytest.mark.skipif(
    not GEOFA.is_dir(), reason=f"GeoFA Ballerup data not found at {GEOFA} (../shared is absent)"
)


def _features(name: str) -> list[dict]:
    return json.loads((DAWA / name).read_text(encoding="utf-8"))["features"]


@needs_dawa
def test_footprints_are_2d_and_keyed_on_bbr_uuid():
    features = _features("bygninger.json")
    assert all(len(p) == 3 for f in features for p in f["geometry"]["coordinates"][0])  # 3-D
    parts = collections.Counter(f["properties"]["BBRUUID"].lower() for f in features)
    footprints = geodanmark.read_footprints(DAWA / "bygninger.json")
    assert len(footprints) == len(parts) == 2463
    assert not footprints.has_z.any()
    assert footprints["n_parts"].to_dict() == dict(parts)
    assert (footprints.index == footprints.index.str.lower()).all()
    # the footprint of a one-part building is the raw polygon without its Z
    uid, = [u for u, n in parts.items() if n == 1][:1]
    raw = next(f for f in features if f["properties"]["BBRUUID"].lower() == uid)
    ring = [(x, y) for x, y, _ in raw["geometry"]["coordinates"][0]]
    assert footprints.loc[uid, "geometry"].area == pytest.approx(shapely.Polygon(ring).area)
    # GeoDanmark's ID_LOKALID is renamed so it cannot collide with BBR's id_lokalId
    assert "geodanmark_id" in footprints.columns
    assert not any(c.lower() == "id_lokalid" for c in footprints.columns)
    assert footprints.loc[uid, "geodanmark_id"] == raw["properties"]["ID_LOKALID"]


def test_case_colliding_columns_are_refused_before_writing(tmp_path):
    frame = gpd.GeoDataFrame(
        {"id_lokalId": ["a"], "ID_LOKALID": ["1"]}, geometry=[shapely.Point(0, 0)],
        crs="EPSG:25832",
    )
    empty = frame.iloc[:0]
    result = ImportResult(
        properties=frame, districts=empty, streets=empty, heat_sources=empty, dh_network=None,
        rejected=empty, counts={}, notes=[],
    )
    with pytest.raises(InputDataError, match="differ only in case"):
        write_dataset(result, tmp_path)
    assert not (tmp_path / "gis_data" / "imported.gpkg").exists()


@needs_dawa
def test_vejmidte_lines_are_2d_with_road_classes():
    features = _features("VejmidtTest.json")
    assert all(len(p) == 3 for f in features for p in f["geometry"]["coordinates"])
    km = sum(
        sum(math.dist(a[:2], b[:2]) for a, b in itertools.pairwise(c))
        for c in (f["geometry"]["coordinates"] for f in features)
    ) / 1000
    roads = geodanmark.read_roads(DAWA / "VejmidtTest.json")
    assert len(roads) == len(features) == 5684
    assert roads.length.sum() / 1000 == pytest.approx(km) == pytest.approx(482.0, abs=0.1)
    assert not roads.has_z.any()
    classes = collections.Counter(f["properties"]["VEJKLASSE"] for f in features)
    assert roads["road_class_dk"].value_counts().to_dict() == dict(classes)
    expected_local = sum(n for c, n in classes.items() if c.startswith("Lokalvej"))
    assert int((roads["road_class"] == "local").sum()) == expected_local
    dragor = geodanmark.read_roads(DAWA / "VejmidtTest.json", municipality="0155")
    assert len(dragor) == sum(f["properties"]["KOMMUNEKODE"] == "0155" for f in features) == 244
    assert set(dragor["kommunekode"]) == {"0155"}


@needs_geofa
def test_geofa_road_layer_maps_authority_to_a_coarse_class():
    info = pyogrio.read_info(GEOFA / "vej_myndighed.gpkg")
    roads = geodanmark.read_roads(GEOFA / "vej_myndighed.gpkg")
    assert len(roads) == info["features"] == 1568
    raw = pyogrio.read_dataframe(GEOFA / "vej_myndighed.gpkg", read_geometry=False)
    assert roads["road_class_dk"].value_counts().to_dict() == raw["type"].value_counts().to_dict()
    assert int((roads["road_class"] == "arterial").sum()) == int(
        (raw["type"] == "Off. statsvej").sum()
    )
    assert roads.length.sum() / 1000 == pytest.approx(317.5, abs=0.1)


@needs_geofa
def test_any_polygon_layer_becomes_districts_with_a_column_map():
    raw = pyogrio.read_dataframe(GEOFA / "land_anvendelse.gpkg", read_geometry=False)
    districts = plandata.read_districts(
        GEOFA / "land_anvendelse.gpkg", column_map={"name": "type"}
    )
    assert len(districts) == len(raw) == 1584
    assert districts["name"].value_counts().to_dict() == raw["type"].value_counts().to_dict()
    assert districts.index.is_unique
    assert set(districts["status"]) == {"undecided"}
    with pytest.raises(InputDataError, match="nosuch"):
        plandata.read_districts(GEOFA / "land_anvendelse.gpkg", column_map={"name": "nosuch"})


def test_plandata_heat_plan_fields_map_to_district_status(tmp_path):
    squares = [shapely.box(x, 0, x + 100, 100) for x in (0, 100, 200, 300)]
    layer = gpd.GeoDataFrame(
        {
            "planid": ["11", "12", "13", "14"],
            "vaerdi1207": ["Fjernvarme", "Fjernvarme", "Individuel varmeforsyning", "Andet"],
            "delnavn": ["Skovlunde Nord", None, "Egebjerg", "X"],
            "plannavn": ["Varmeplan", "Varmeplan", "Varmeplan", "Varmeplan"],
            "konvstartaar": [2026, None, None, None],
            "konvslutaar": [2028, None, None, None],
            "komnr": [151, 151, 151, 163],
        },
        geometry=squares, crs="EPSG:25832",
    )
    path = tmp_path / "varmeplan.gpkg"
    layer.to_file(path, layer="varmeplansomraade")
    districts = plandata.read_districts(path, municipality="0151")
    assert districts["status"].to_dict() == {
        "11": "candidate_dh", "12": "existing_dh", "13": "individual",
    }
    assert districts.loc["11", "name"] == "Skovlunde Nord"
    assert districts.loc["11", "conversion_end_year"] == 2028
    assert districts.loc["12", "name"] == "12"  # no delnavn: the id, not another area's name
    assert plandata.parse_column_map(["name=type", "status = vaerdi1207"]) == {
        "name": "type", "status": "vaerdi1207",
    }
    with pytest.raises(InputDataError, match="FIELD=COLUMN"):
        plandata.parse_column_map(["name"])


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_layer_without_crs_is_refused(tmp_path):
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}]}))
    # GeoJSON without a crs member is CRS84 by definition, so GDAL gives it one
    roads = geodanmark.read_roads(path)
    assert roads.crs.to_epsg() == 25832
    gpkg = tmp_path / "nocrs.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (1, 1)])]).to_file(gpkg)
    with pytest.raises(InputDataError, match="no coordinate reference system"):
        geodanmark.read_roads(gpkg)
