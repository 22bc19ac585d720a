"""The bundled synthetic sample (gis_data/sample.gpkg, energy_labels/*.csv) and its generator.

Content checks read the committed files; one slow test regenerates the sample and asserts the
committed files are exactly what the generator makes (byte for byte).
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

from heatplan.cli import cli
from heatplan.core.schema import (
    DISTRICTS,
    GIS_LAYERS,
    LABEL_TABLES,
    LABELS,
    PROPERTIES,
    PROPOSALS,
    RESIDENTIAL_USE_CODES,
)
from heatplan.io.synthetic import is_synthetic
from heatplan.model.heating import classify_heating, is_convertible
from heatplan.sample import generate, tile
from heatplan.sample.build import SampleData
from heatplan.sample.labels import class_limits
from heatplan.sample.layout import EXTENT

REPO = Path(__file__).resolve().parents[1]
GPKG = REPO / "gis_data" / "sample.gpkg"
LABELS_CSV = REPO / "energy_labels" / "labels.csv"
PROPOSALS_CSV = REPO / "energy_labels" / "proposals.csv"

pytestmark = pytest.mark.skipif(not GPKG.exists(), reason="bundled sample not generated yet")


def _read_all(gpkg: Path, labels_csv: Path, proposals_csv: Path) -> dict[str, pd.DataFrame]:
    tables = {layer.name: pyogrio.read_dataframe(gpkg, layer=layer.name) for layer in GIS_LAYERS}
    tables["municipality"] = pyogrio.read_dataframe(gpkg, layer="municipality")
    tables["labels"] = pd.read_csv(labels_csv, dtype=str)
    tables["proposals"] = pd.read_csv(proposals_csv, dtype={"label_id": str, "proposal_id": str})
    return tables


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    return _read_all(GPKG, LABELS_CSV, PROPOSALS_CSV)


@pytest.fixture(scope="module")
def props(sample) -> gpd.GeoDataFrame:
    p = sample["properties"].copy()
    p["heating_type"] = classify_heating(p["heating_installation"], p["heating_fuel"])
    p["to_convert"] = is_convertible(p["heating_type"])
    status = sample["districts"].set_index("district_id")["status"]
    p["status"] = p["district_id"].map(status)
    return p


def test_columns_crs_and_codes_follow_the_contract(sample):
    for layer in (*GIS_LAYERS, *LABEL_TABLES):
        if layer.name not in sample:  # the sample has no meter readings: an optional table
            assert (layer.name, layer.required) == ("metered", False)
            continue
        table = sample[layer.name]
        # every required column, and the optional ones the sample has data for, in order
        expected = [c.name for c in layer.columns if c.required or c.name in table.columns]
        assert [c for c in table.columns if c != "geometry"] == expected, layer.name
        left_out = {c.name for c in layer.columns} - set(table.columns)
        # the sample has no register code and no meter readings (those come from real data)
        assert left_out <= {"kommunekode", "metered_heat_kwh_a", "metered_year"}, layer.name
        for column in layer.columns:
            if column.codes:
                values = table[column.name].dropna()
                assert values.isin(list(column.codes)).all(), (layer.name, column.name)
    for layer in GIS_LAYERS:
        assert sample[layer.name].crs.to_epsg() == 25832
    info = pyogrio.read_info(GPKG, layer="properties")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["bbr_use_code"] == "object"  # codes are text, not numbers
    assert types["year_built"] == "int64"
    assert sample["properties"]["property_id"].is_unique
    assert sample["labels"]["label_id"].is_unique


def test_every_layer_says_it_is_synthetic(tmp_path):
    assert is_synthetic(GPKG)
    for layer in pyogrio.list_layers(GPKG)[:, 0]:
        meta = pyogrio.read_info(GPKG, layer=layer)["layer_metadata"]
        assert meta["synthetic"] == "true", layer
    assert "SYNTETISKE DATA" in (REPO / "energy_labels" / "README.md").read_text(
        encoding="utf-8"
    ) or "Synthetic" in (REPO / "energy_labels" / "README.md").read_text(encoding="utf-8")
    plain = tmp_path / "plain.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(0, 0)], crs=25832).to_file(plain)
    assert not is_synthetic(plain)
    assert not is_synthetic(tmp_path / "missing.gpkg")


def test_exactly_7300_to_convert_in_the_candidate_districts(props):
    per_status = props.groupby("status")["to_convert"].sum()
    assert per_status["candidate_dh"] == 7300
    assert per_status["existing_dh"] == 0
    assert 150 <= per_status["individual"] <= 500  # a few hundred more where HPs are the answer
    conv = props[props["to_convert"]]
    # byg056 2/6/8 with byg057 7, 2 or 3
    assert conv["heating_installation"].isin(["2", "6", "8"]).all()
    assert conv["heating_fuel"].isin(["7", "2", "3"]).all()
    # candidate districts also hold properties that are not to convert
    cand = props[props["status"] == "candidate_dh"]
    others = cand.loc[~cand["to_convert"], "heating_type"].value_counts()
    assert {"heat_pump", "electric", "district_heating"} <= set(others.index)
    # municipal buildings are among those to convert
    assert (conv["owner_type"] == "50").sum() >= 50


def test_districts_of_clearly_different_density(sample, props):
    d = sample["districts"].set_index("district_id")
    counts = d["status"].value_counts()
    assert 14 <= counts["candidate_dh"] <= 16
    assert 2 <= counts["individual"] <= 4
    assert counts["existing_dh"] >= 1
    cand = d[d["status"] == "candidate_dh"]
    n_conv = props[props["to_convert"]].groupby("district_id").size()
    density = (n_conv.reindex(cand.index) / (cand.area / 1e4)).sort_values()  # per hectare
    assert density.iloc[-1] / density.iloc[0] > 8
    assert density.iloc[0] < 2.0  # at least one sparse, heat-pump-like candidate district
    phases = d["planned_phase"].dropna()
    assert 1 <= len(phases) <= 2
    assert (d.loc[phases.index, "status"] == "candidate_dh").all()


def test_houses_are_mostly_detached_and_terraced_from_1950_to_1985(props):
    cand = props[(props["status"] == "candidate_dh") & (props["owner_type"] != "50")]
    houses = cand["bbr_use_code"].isin(["120", "131", "132"])
    assert houses.mean() > 0.9
    years = cand.loc[houses, "year_built"]
    assert ((years >= 1950) & (years <= 1985)).mean() > 0.95
    detached = cand.loc[cand["bbr_use_code"] == "120", "heated_area_m2"]
    terraced = cand.loc[cand["bbr_use_code"].isin(["131", "132"]), "heated_area_m2"]
    assert detached.quantile(0.1) >= 110 and detached.quantile(0.9) <= 180
    assert terraced.quantile(0.1) >= 78 and terraced.quantile(0.9) <= 125


def test_existing_area_is_social_housing_industry_and_institutions(props):
    ex = props[props["status"] == "existing_dh"]
    assert (ex["heating_installation"] == "1").all()
    assert {"140", "221", "222", "321"} <= set(ex["bbr_use_code"])
    blocks = ex[ex["bbr_use_code"] == "140"]
    assert (blocks["owner_type"] == "20").mean() > 0.8
    # over half of the dwellings are social housing (Ballerup: over half the residents)
    assert props.loc[props["owner_type"] == "20", "dwellings"].sum() > 0.5 * props[
        "dwellings"
    ].sum()


def test_municipal_buildings_and_their_labels(sample, props):
    mun = props[props["owner_type"] == "50"]
    assert 150 <= len(mun) <= 200
    assert {"421", "441", "533", "532", "413", "160", "321"} <= set(mun["bbr_use_code"])
    schools = mun.loc[mun["bbr_use_code"] == "421", "heated_area_m2"]
    assert schools.between(3000, 9000).all()
    daycare = mun.loc[mun["bbr_use_code"] == "441", "heated_area_m2"]
    assert daycare.between(400, 900).all()
    inst = mun[~mun["bbr_use_code"].isin(["120", "131"])]
    assert inst["year_built"].between(1960, 1975).mean() > 0.5
    labels = sample["labels"]
    mun_labels = labels[labels["property_id"].isin(mun["property_id"])]
    assert set(mun["property_id"]) == set(mun_labels["property_id"])  # all labelled
    bad = mun_labels["label_class"].isin(["D", "E", "F", "G"]).mean()
    assert bad == pytest.approx(0.60, abs=0.02)
    valid_from = pd.to_datetime(mun_labels["valid_from"])
    expired = valid_from < pd.Timestamp("2016-01-01")
    assert 0.05 < expired.mean() < 0.4  # some expired (older than 10 years on 2026-01-01)


def test_proposals_are_emo_like(sample):
    labels, proposals = sample["labels"], sample["proposals"]
    per_label = proposals.groupby("label_id").size()
    assert set(per_label.index) == set(labels["label_id"])
    assert per_label.between(2, 6).all()
    assert (proposals["investment_dkk"] > 0).all() and (proposals["heat_saved_kwh_a"] > 0).all()
    payback = proposals["investment_dkk"] / proposals["saving_dkk_a"]
    assert (proposals["is_profitable"] == (payback <= proposals["lifetime_a"])).all()
    assert 0.2 < proposals["is_profitable"].mean() < 0.8
    assert proposals["description"].str.contains("isolering").any()
    heat = labels.set_index("label_id")["calculated_heat_kwh_a"].astype(float)
    saved = proposals.groupby("label_id")["heat_saved_kwh_a"].sum()
    assert (saved <= heat.reindex(saved.index)).all()


def test_label_heat_is_consistent_with_class_and_area(sample, props):
    labels = sample["labels"].merge(
        props[["property_id", "bbr_use_code", "heating_type", "owner_type"]], on="property_id"
    )
    assert len(labels) == len(sample["labels"])  # every label belongs to a property
    area = labels["heated_area_m2"].astype(float).to_numpy()
    heat = labels["calculated_heat_kwh_a"].astype(float).to_numpy()
    # primary energy per m²: gas ÷0.90 (boiler) ×1.0, oil ÷0.80, DH ×0.85, heat pump ÷3.3 ×1.9
    per_primary = labels["heating_type"].map(
        {"natural_gas": 0.90, "oil": 0.80, "district_heating": 1 / 0.85,
         "heat_pump": 3.3 / 1.9, "electric": 1 / 1.9, "solid_fuel": 0.70, "other": 0.80}
    ).to_numpy()
    primary = heat / per_primary / area
    residential = labels["bbr_use_code"].isin(sorted(RESIDENTIAL_USE_CODES)).to_numpy()
    lo, hi = class_limits(labels["label_class"].to_numpy(), area, residential)
    assert (primary >= lo - 0.5).all() and (primary <= hi + 0.5).all()
    # hand check of one limit: residential D at 130 m² is ≤ 150 + 4200/130 = 182.3 kWh/m²
    assert class_limits(np.array(["D"]), np.array([130.0]), np.array([True]))[1][0] == (
        pytest.approx(182.31, abs=0.01)
    )
    private_homes = props[props["bbr_use_code"].isin(["120", "121", "131", "132"])
                          & (props["owner_type"] != "50")]
    share = private_homes["property_id"].isin(labels["property_id"]).mean()
    assert 0.30 <= share <= 0.40


def test_geometry_valid_inside_extent_and_districts(sample, props):
    xmin, ymin, xmax, ymax = EXTENT
    for name in ("properties", "districts", "streets", "dh_network", "heat_sources",
                 "municipality"):
        geoms = sample[name].geometry.to_numpy()
        assert shapely.is_valid(geoms).all(), name
        b = shapely.bounds(geoms)
        assert (b[:, 0] >= xmin).all() and (b[:, 2] <= xmax).all(), name
        assert (b[:, 1] >= ymin).all() and (b[:, 3] <= ymax).all(), name
    area_km2 = sample["municipality"].area.sum() / 1e6
    assert area_km2 == pytest.approx(34, abs=1.5)
    districts = sample["districts"].set_index("district_id").geometry
    own = districts.reindex(props["district_id"]).to_numpy()
    assert shapely.within(props.geometry.to_numpy(), own).all()
    # footprints are small rectangles (5 vertices)
    assert (shapely.get_num_coordinates(props.geometry.to_numpy()) == 5).all()


def test_houses_stand_beside_the_streets_not_on_them(sample, props):
    streets = sample["streets"].geometry.to_numpy()
    fp = props.geometry.to_numpy()
    (i_fp, _), dist_pairs = shapely.STRtree(streets).query_nearest(
        fp, max_distance=200.0, return_distance=True, all_matches=False
    )
    dist = np.full(len(fp), np.inf)
    dist[i_fp] = dist_pairs
    assert dist.min() >= 5.0
    houses = props["bbr_use_code"].isin(["120", "121", "131", "132"]).to_numpy()
    # each house fronts a street: its nearest street lies 8–25 m away
    assert np.quantile(dist[houses], 0.98) <= 25.0
    assert np.median(dist[houses]) >= 8.0


def test_street_network_is_connected_and_about_300_km(sample):
    streets = sample["streets"]
    assert streets.length.sum() / 1e3 == pytest.approx(300, abs=25)
    noded = shapely.get_parts(shapely.unary_union(streets.geometry.to_numpy(), grid_size=0.01))
    g = nx.Graph()
    for line in noded:
        c = shapely.get_coordinates(line)
        g.add_edge(tuple(np.round(c[0], 2)), tuple(np.round(c[-1], 2)))
    assert nx.number_connected_components(g) == 1
    assert {"arterial", "collector", "local"} <= set(streets["road_class"])
    names = streets["name"].dropna()
    assert names.str.contains("[æøå]", case=False).mean() > 0.1
    dead_ends = sum(1 for n in g.nodes if g.degree[n] == 1)
    assert dead_ends > 200  # cul-de-sacs


def test_existing_mains_lie_on_the_streets(sample, props):
    mains = sample["dh_network"]
    assert (mains["dn_mm"] > 0).all() and mains["dn_mm"].max() >= 200
    streets = sample["streets"].geometry.to_numpy()
    m = mains.geometry.to_numpy()
    i_main, i_street = shapely.STRtree(streets).query(m, predicate="dwithin", distance=0.5)
    gap = pd.Series(shapely.hausdorff_distance(m[i_main], streets[i_street])).groupby(i_main)
    assert len(gap.min()) == len(m) and (gap.min() <= 2.0).all()  # each main follows a street
    sources = sample["heat_sources"]
    assert len(sources) >= 1 and sources["name"].str.contains("Vestforbrænding").any()
    net = shapely.union_all(mains.geometry.to_numpy())
    assert (shapely.distance(sources.geometry.to_numpy(), net) < 1.0).all()


def test_addresses_postcodes_and_connection_status(sample, props):
    assert props["address"].str.match(r"^\S.* \d+$").all()
    assert set(props["postcode"]) == {"2750 Ballerup", "2740 Skovlunde", "2760 Måløv"}
    status = props["connection_status"].dropna()
    assert set(status) == {"connected", "signed_up"} and 5 <= len(status) <= 30
    d = sample["districts"].set_index("district_id")
    early = d.index[d["planned_phase"] == 1]
    assert props.loc[status.index, "district_id"].isin(early).all()
    assert props["district_id"].notna().all()


def test_scale_repeats_the_municipality_with_unique_ids(sample):
    data = SampleData(
        **{k: sample[k] for k in ("properties", "districts", "streets", "dh_network",
                                  "heat_sources", "labels", "proposals", "municipality")}
    )
    big = tile(data, 3)
    assert len(big.properties) == 3 * len(data.properties)
    assert big.properties["property_id"].is_unique
    assert big.districts["district_id"].is_unique and big.labels["label_id"].is_unique
    assert big.labels["property_id"].isin(big.properties["property_id"]).all()
    assert big.proposals["label_id"].isin(big.labels["label_id"]).all()
    conv = is_convertible(classify_heating(big.properties["heating_installation"],
                                           big.properties["heating_fuel"]))
    status = big.districts.set_index("district_id")["status"]
    in_cand = big.properties["district_id"].map(status) == "candidate_dh"
    assert (conv & in_cand).sum() == 3 * 7300
    # the copies do not overlap
    boxes = [shapely.box(*g.total_bounds) for g in
             (big.municipality.iloc[[i]] for i in range(3))]
    assert not any(boxes[i].intersects(boxes[j]) for i in range(3) for j in range(i + 1, 3))


def test_cli_refuses_to_overwrite_without_flag(tmp_path):
    target = tmp_path / "gis_data" / "sample.gpkg"
    target.parent.mkdir()
    target.write_bytes(b"keep me")
    result = CliRunner().invoke(cli, ["sample", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "--overwrite" in result.output
    assert target.read_bytes() == b"keep me"


def test_sample_passes_validation_with_nothing_rejected():
    validate = pytest.importorskip("heatplan.validate")
    from heatplan.core.scenario import load_scenario

    result = validate.load_dataset(REPO, scenario=load_scenario())
    assert result.rejected == {}
    assert result.dataset.is_synthetic
    assert (result.counts["read"] == result.counts["valid"]).all()


@pytest.mark.slow
def test_committed_files_are_exactly_what_the_generator_makes(tmp_path, sample):
    result = CliRunner().invoke(cli, ["-q", "sample", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    fresh = _read_all(tmp_path / "gis_data" / "sample.gpkg",
                      tmp_path / "energy_labels" / "labels.csv",
                      tmp_path / "energy_labels" / "proposals.csv")
    for name, table in sample.items():
        pd.testing.assert_frame_equal(pd.DataFrame(fresh[name]), pd.DataFrame(table),
                                      obj=name)
    for rel in ("energy_labels/labels.csv", "energy_labels/proposals.csv",
                "energy_labels/README.md"):
        assert filecmp.cmp(tmp_path / rel, REPO / rel, shallow=False), rel
    # the GeoPackage's bytes depend on the GDAL that wrote it (recorded in its metadata)
    written_by = pyogrio.read_info(GPKG, layer="properties")["layer_metadata"]["gdal_version"]
    if written_by == pyogrio.__gdal_version_string__:
        assert filecmp.cmp(tmp_path / "gis_data" / "sample.gpkg", GPKG, shallow=False)


@pytest.mark.slow
def test_another_seed_also_gives_exactly_7300_to_convert():
    data = generate(seed=1)
    status = data.districts.set_index("district_id")["status"]
    in_cand = data.properties["district_id"].map(status) == "candidate_dh"
    conv = is_convertible(classify_heating(data.properties["heating_installation"],
                                           data.properties["heating_fuel"]))
    assert (conv & in_cand).sum() == 7300
    assert data.properties["property_id"].is_unique


def test_schema_names_used_here_exist():
    # guards the tests above against a renamed contract
    assert PROPERTIES.column("district_id") and DISTRICTS.column("planned_phase")
    assert LABELS.column("calculated_heat_kwh_a") and PROPOSALS.column("is_profitable")
