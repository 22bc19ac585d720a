from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point

from heatplan.core.errors import ScenarioError, TopologyError
from heatplan.core.scenario import load_scenario
from heatplan.plan.network.build import build_street_graph
from heatplan.plan.network.pipes import pipe_table, simultaneity_factor, size_pipes
from heatplan.plan.network.routing import route_trenches

CRS = "EPSG:25832"
X0, Y0 = 710_000.0, 6_180_000.0
SAMPLE = Path(__file__).resolve().parents[1] / "gis_data" / "sample.gpkg"


def P(x: float, y: float) -> tuple[float, float]:
    return (X0 + x, Y0 + y)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario()


@pytest.fixture(scope="module")
def town():
    """A main street fed by an existing main at its west end, two side streets (districts A and
    B) and an individual-heating district C. District B lies behind A."""
    streets = gpd.GeoDataFrame(
        {"name": ["Eksisterende vej", "Hovedgaden", "Avej", "Bvej", "Cvej"]},
        geometry=[
            LineString([P(-100, 0), P(0, 0)]),
            LineString([P(0, 0), P(400, 0)]),
            LineString([P(100, 0), P(100, 200)]),
            LineString([P(300, 0), P(300, 200)]),
            LineString([P(400, 0), P(400, 100)]),
        ],
        crs=CRS,
    )
    mains = gpd.GeoDataFrame({"dn_mm": [150]}, geometry=[LineString([P(-100, 3), P(0, 3)])],
                             crs=CRS)
    districts = gpd.GeoDataFrame(
        {"name": ["A", "B", "C"], "status": ["candidate_dh", "undecided", "individual"]},
        geometry=[shapely.box(*P(60, -50), *P(160, 250)),
                  shapely.box(*P(250, -50), *P(350, 250)),
                  shapely.box(*P(370, -50), *P(450, 250))],
        index=pd.Index(["A", "B", "C"], name="district_id"), crs=CRS,
    )
    rows = [
        # id, x, y, district, kW, to convert
        ("a1", 120, 50, "A", 10.0, True),
        ("a2", 80, 100, "A", 10.0, True),
        ("a3", 120, 150, "A", 10.0, True),
        ("a4", 120, 200, "A", 10.0, True),
        ("a_dh", 80, 180, "A", 10.0, False),     # already district heating: not routed
        ("a_far", 100, 600, "A", 10.0, True),    # 400 m from any street: rejected
        ("b1", 320, 50, "B", 8.0, True),
        ("b2", 280, 100, "B", 8.0, True),
        ("c1", 420, 50, "C", 9.0, True),         # individual district: not routed
        ("tap", -50, 15, "A", 5.0, True),        # beside the existing main
    ]
    props = gpd.GeoDataFrame(
        {"district_id": [r[3] for r in rows], "peak_load_kw": [r[4] for r in rows],
         "is_to_convert": [r[5] for r in rows]},
        geometry=[shapely.box(*P(x - 6, y - 6), *P(x + 6, y + 6)) for _, x, y, *_ in rows],
        index=pd.Index([r[0] for r in rows], name="property_id"), crs=CRS,
    )
    return streets, mains, districts, props


@pytest.fixture(scope="module")
def routed(town, scenario):
    streets, mains, districts, props = town
    graph = build_street_graph(streets, dh_network=mains, scenario=scenario)
    return route_trenches(graph, props, districts, scenario=scenario, method="approx")


def test_trench_length_is_the_hand_optimum(routed, town, scenario):
    # 0->100 on the main street, Avej up to y=200, 100->300, Bvej up to y=100
    assert routed.trenches["length_m"].sum() == pytest.approx(600.0)
    streets, mains, districts, props = town
    graph = build_street_graph(streets, dh_network=mains, scenario=scenario)
    exact = route_trenches(graph, props, districts, scenario=scenario, method="exact")
    assert exact.trenches["length_m"].sum() == pytest.approx(600.0)
    assert exact.report["gap"] == pytest.approx(0.0, abs=1e-6)
    auto = route_trenches(graph, props, districts, scenario=scenario)
    assert auto.report["method"] == "exact-milp"  # 7 terminals: small enough


def test_every_property_to_convert_connected_once_or_rejected(routed):
    assert sorted(routed.service_pipes.index) == ["a1", "a2", "a3", "a4", "b1", "b2", "tap"]
    assert routed.service_pipes.index.is_unique
    assert list(routed.rejected.index) == ["a_far"]
    assert routed.rejected.loc["a_far", "reason"] == "farther than 100 m from any street"
    assert routed.service_pipes.loc["a2", "length_m"] == pytest.approx(20.0)
    assert routed.service_pipes.loc["tap", "segment_id"] == ""  # tapped on the existing main
    assert routed.service_pipes["cost_dkk"].tolist() == pytest.approx(
        (routed.service_pipes["length_m"] * 1000.0).tolist())


def test_trenches_stay_on_streets(routed, town):
    streets = town[0]
    zone = shapely.buffer(shapely.union_all(streets.geometry.values), 0.01)
    assert shapely.covered_by(routed.trenches.geometry.values, zone).all()


def test_tree_is_acyclic_and_rooted_at_the_existing_network(routed):
    t = routed.trenches
    g = nx.Graph()
    for geom in t.geometry:
        c = shapely.get_coordinates(geom)
        g.add_edge(tuple(np.round(c[0], 3)), tuple(np.round(c[-1], 3)))
    assert nx.is_tree(g)
    roots = t[t["upstream_segment"] == ""]
    assert roots["fed_from"].tolist() == ["existing_network"]
    # following upstream_segment from any segment ends at the root within len(t) steps
    for seg in t.index:
        steps = 0
        while t.loc[seg, "upstream_segment"] != "":
            seg = t.loc[seg, "upstream_segment"]
            steps += 1
            assert steps <= len(t)
    # each segment is drawn from upstream to downstream
    for seg, row in t[t["upstream_segment"] != ""].iterrows():
        up_end = shapely.get_coordinates(t.geometry[row["upstream_segment"]])[-1]
        start = shapely.get_coordinates(t.geometry[seg])[0]
        assert np.allclose(up_end, start), seg


def test_downstream_loads_add_up(routed, scenario):
    t = routed.trenches
    s = routed.service_pipes
    peak = {"a1": 10, "a2": 10, "a3": 10, "a4": 10, "b1": 8, "b2": 8, "tap": 5}
    for seg, row in t.iterrows():
        children = t[t["upstream_segment"] == seg]
        direct = [peak[p] for p in s.index[s["segment_id"] == seg]]
        assert row["downstream_peak_kw"] == pytest.approx(
            children["downstream_peak_kw"].sum() + sum(direct))
        assert row["n_consumers"] == children["n_consumers"].sum() + len(direct)
    root = t[t["upstream_segment"] == ""].iloc[0]
    assert root["n_consumers"] == 6
    assert root["downstream_peak_kw"] == pytest.approx(56.0)
    assert root["peak_kw"] == pytest.approx(56.0 * simultaneity_factor(6, scenario=scenario))
    table = pipe_table(scenario)
    expected_dn = table.index[table["capacity_kw"] >= root["peak_kw"]][0]
    assert root["dn"] == expected_dn
    assert root["cost_dkk"] == pytest.approx(
        root["length_m"] * table.loc[expected_dn, "cost_dkk_per_m"])
    # loads never grow downstream, so neither do the pipes
    up = t.loc[t["upstream_segment"] != ""]
    assert (up["dn"].to_numpy() <= t.loc[up["upstream_segment"], "dn"].to_numpy()).all()


def test_district_feed_tree(routed):
    feed = routed.district_feed
    assert feed_chain_ends_at_a_feed_point(feed)
    assert feed.loc["A", "fed_from"] == "existing_network"
    assert feed.loc["B", "fed_from"] == "A"
    # A's connection from the existing main: 60 m of the main street outside its polygon
    assert feed.loc["A", "feeder_trench_m"] == pytest.approx(60.0)
    # B's connection through A: main street from x=100 to x=250 outside both polygons
    assert feed.loc["B", "feeder_trench_m"] == pytest.approx(150.0)
    t = routed.trenches
    trunk = t[t["upstream_segment"] == ""].iloc[0]
    assert trunk["district_id"] == "A"
    assert bool(trunk["is_feeder"])
    assert trunk["street_name"] == "Hovedgaden"
    summary = routed.district_summary
    assert summary.loc["A", "n_to_convert"] == 6
    assert summary.loc["A", "n_connected"] == 5
    assert summary.loc["A", "n_rejected"] == 1
    assert summary["trench_m"].sum() == pytest.approx(600.0)
    assert summary["cost_dkk"].sum() == pytest.approx(
        t["cost_dkk"].sum() + routed.service_pipes["cost_dkk"].sum())
    assert "C" not in summary.index


def test_heat_source_feeds_when_no_main(town, scenario):
    streets, _, districts, props = town
    sources = gpd.GeoDataFrame({"source_id": ["VF-1"], "name": ["plant"], "capacity_mw": [0.05]},
                               geometry=[Point(P(-100, -10))], crs=CRS)
    graph = build_street_graph(streets, heat_sources=sources, scenario=scenario)
    r = route_trenches(graph, props, districts, scenario=scenario, method="approx")
    root = r.trenches[r.trenches["upstream_segment"] == ""]
    assert root["fed_from"].tolist() == ["VF-1"]
    assert root["kind"].tolist() == ["source_link"]
    # 10 m link + the 100 m street without a main + the 600 m as before
    assert r.trenches["length_m"].sum() == pytest.approx(710.0)
    assert r.district_feed.loc["A", "fed_from"] == "VF-1"
    # all 7 consumers (61 kW) hang on the 50 kW source: flagged
    fp = r.feed_points.loc["VF-1"]
    assert fp["n_consumers"] == 7
    assert fp["downstream_peak_kw"] == pytest.approx(61.0)
    assert fp["peak_kw"] == pytest.approx(61.0 * simultaneity_factor(7, scenario=scenario))
    assert fp["capacity_kw"] == pytest.approx(50.0)
    assert bool(fp["is_over_capacity"])
    assert r.report["feed_points_over_capacity"] == ["VF-1"]


def test_no_feed_point_is_an_error(town, scenario):
    streets, _, districts, props = town
    graph = build_street_graph(streets, scenario=scenario)
    with pytest.raises(TopologyError, match="no feed point"):
        route_trenches(graph, props, districts, scenario=scenario)


def test_nothing_to_route_gives_empty_tables(town, scenario):
    streets, mains, districts, props = town
    graph = build_street_graph(streets, dh_network=mains, scenario=scenario)
    r = route_trenches(graph, props.assign(is_to_convert=False), districts, scenario=scenario)
    assert len(r.trenches) == 0
    assert len(r.service_pipes) == 0
    assert len(r.rejected) == 0
    assert r.district_feed["fed_from"].isna().all()
    assert r.district_summary["trench_m"].sum() == 0.0
    only_tap = route_trenches(graph, props.loc[["tap"]], districts, scenario=scenario)
    assert len(only_tap.trenches) == 0
    assert only_tap.district_feed.loc["A", "fed_from"] == "existing_network"


def feed_chain_ends_at_a_feed_point(feed: pd.DataFrame) -> bool:
    for district in feed.index[feed["fed_from"].notna()]:
        seen = set()
        while district in feed.index:
            if district in seen:
                return False
            seen.add(district)
            district = feed.loc[district, "fed_from"]
    return True


@pytest.mark.slow
def test_sample_routing(scenario):
    if not SAMPLE.exists():
        pytest.skip(f"bundled sample not found at {SAMPLE}")
    from heatplan.model.heating import classify_heating, is_convertible

    layers = {n: gpd.read_file(SAMPLE, layer=n) for n in
              ("streets", "dh_network", "heat_sources", "properties", "districts")}
    props = layers["properties"].set_index("property_id")
    props["is_to_convert"] = is_convertible(
        classify_heating(props["heating_installation"], props["heating_fuel"]))
    props["peak_load_kw"] = props["heated_area_m2"] * 0.05
    districts = layers["districts"].set_index("district_id")
    graph = build_street_graph(layers["streets"], dh_network=layers["dh_network"],
                               heat_sources=layers["heat_sources"], scenario=scenario)
    r = route_trenches(graph, props, districts, scenario=scenario)
    routed = props["is_to_convert"] & props["district_id"].isin(
        districts.index[districts["status"].isin(["candidate_dh", "undecided"])])
    assert routed.sum() == 7300
    assert len(r.service_pipes) + len(r.rejected) == 7300
    assert set(r.service_pipes.index).isdisjoint(r.rejected.index)
    zone = shapely.buffer(shapely.union_all(layers["streets"].geometry.values), 0.05)
    assert shapely.covered_by(r.trenches.geometry.values, zone).mean() > 0.99
    assert set(r.district_feed.index) == set(
        districts.index[districts["status"].isin(["candidate_dh", "undecided"])])
    assert feed_chain_ends_at_a_feed_point(r.district_feed)
    assert r.district_feed["fed_from"].notna().all()
    # calibration: priced all-in (pipes.cost_basis = "all_in", profiles/all_in_utility.toml),
    # trenches plus service pipes per trench metre near Vestforbrænding's derived 14,000 DKK
    all_in = pipe_table(scenario.with_values(pipes__cost_basis="all_in"))["cost_dkk_per_m"]
    cost = (r.trenches["length_m"] * r.trenches["dn"].map(all_in)).sum() + r.service_pipes[
        "cost_dkk"].sum()
    assert 12_000 < cost / r.trenches["length_m"].sum() < 16_000


def test_routing_is_deterministic_with_stable_ids(routed, town, scenario):
    streets, mains, districts, props = town
    graph = build_street_graph(streets, dh_network=mains, scenario=scenario)
    again = route_trenches(graph, props.iloc[::-1], districts, scenario=scenario,
                           method="approx")
    assert routed.trenches.index.is_unique
    assert routed.trenches.index.str.fullmatch(r"T[0-9a-f]{12}(-\d+)?").all()
    assert sorted(again.trenches.index) == sorted(routed.trenches.index)
    pd.testing.assert_series_equal(again.trenches["dn"].sort_index(),
                                   routed.trenches["dn"].sort_index())


def test_pipe_table_capacity_and_sizing(scenario):
    table = pipe_table(scenario)
    # DN20: 977 kg/m³ × 4.19 kJ/(kg·K) × 30 K × 0.6 m/s × π (0.0217 m)² / 4
    assert table.loc[20, "capacity_kw"] == pytest.approx(
        977 * 4.19 * 30 * 0.6 * np.pi * 0.0217**2 / 4)
    assert table["capacity_kw"].is_monotonic_increasing
    dn, cost = size_pipes(np.array([1.0, 27.0, 28.0, 1e9]), scenario=scenario)
    assert dn.tolist() == [20, 20, 25, 400]
    assert cost.tolist() == table.loc[[20, 20, 25, 400], "cost_dkk_per_m"].tolist()
    with pytest.raises(ScenarioError, match=r"pipes\.max_velocity_m_s has 2 values"):
        pipe_table(scenario.with_values(pipes__max_velocity_m_s=[1.0, 2.0]))
    assert simultaneity_factor(1, scenario=scenario) == 1.0
    assert simultaneity_factor(1000, scenario=scenario) == pytest.approx(0.4529, abs=1e-4)
