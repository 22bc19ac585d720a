from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from heatplan.core.errors import SchemaError
from heatplan.core.scenario import load_scenario
from heatplan.plan.network.build import build_street_graph
from heatplan.plan.network.connections import connect_properties
from heatplan.plan.network.graph import EXISTING_NETWORK

CRS = "EPSG:25832"
X0, Y0 = 710_000.0, 6_180_000.0
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
BALLERUP_STREETS = SHARED / "ballerup-geofa" / "vej_myndighed.gpkg"


def lines(*coords_list: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    geoms = [LineString([(X0 + x, Y0 + y) for x, y in c]) for c in coords_list]
    return gpd.GeoDataFrame({"name": [f"vej {i}" for i in range(len(geoms))]},
                            geometry=geoms, crs=CRS)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario()


def test_crossing_lines_are_noded(scenario):
    g = build_street_graph(lines([(0, 0), (100, 0)], [(50, -50), (50, 50)]), scenario=scenario)
    assert g.n_nodes == 5
    assert g.n_edges == 4
    assert sorted(np.round(g.length_m, 6)) == [50.0] * 4
    assert g.report.nodes_added_at_crossings == 1
    assert g.report.components_after == 1


def test_near_miss_within_tolerance_is_snapped(scenario):
    # a side street ending 1.5 m short of the main street (T-junction undershoot)
    streets = lines([(0, 0), (100, 0)], [(40, 1.5), (40, 60)])
    g = build_street_graph(streets, scenario=scenario)
    assert g.report.components_before == 2
    assert g.report.components_after == 1
    assert g.report.endpoints_snapped == 1
    # the main street is split at the junction: 40 m + 60 m, the side street is 60 m long
    assert sorted(np.round(g.length_m, 3)) == [40.0, 60.0, 60.0]
    # a tolerance below the gap keeps the pieces apart, and the report lists both
    tight = build_street_graph(streets, scenario=scenario.with_values(
        network__snap_tolerance_m=1.0))
    assert tight.report.components_after == 2
    assert tight.report.component_sizes == (2, 2)
    assert tight.report.components["length_m"].round(1).tolist() == [100.0, 58.5]


def test_end_to_end_gap_is_closed(scenario):
    g = build_street_graph(lines([(0, 0), (50, 0)], [(52, 0), (100, 0)]), scenario=scenario)
    assert g.report.components_before == 2
    assert g.report.components_after == 1
    assert g.n_nodes == 3  # the two near ends became one node
    assert g.report.endpoints_snapped == 2


def test_duplicates_and_zero_length_are_dropped(scenario):
    streets = lines([(0, 0), (100, 0)], [(100, 0), (0, 0)], [(5, 5), (5, 5.001)])
    g = build_street_graph(streets, scenario=scenario)
    assert g.report.input_lines == 3
    assert g.report.duplicates_dropped == 1
    assert g.report.zero_length_dropped == 1
    assert g.n_edges == 1
    assert g.length_m.sum() == pytest.approx(100.0)


def test_multilinestring_rows_and_3d_are_accepted(scenario):
    geom = shapely.MultiLineString([[(X0, Y0, 5), (X0 + 10, Y0, 5)],
                                    [(X0 + 10, Y0, 5), (X0 + 10, Y0 + 10, 5)]])
    g = build_street_graph(gpd.GeoDataFrame(geometry=[geom], crs=CRS), scenario=scenario)
    assert g.report.input_parts == 2
    assert g.n_edges == 2
    assert not shapely.has_z(g.geometry).any()


def test_wrong_crs_is_refused(scenario):
    streets = lines([(0, 0), (100, 0)]).set_crs("EPSG:4326", allow_override=True)
    with pytest.raises(SchemaError, match=r"streets.*to_crs"):
        build_street_graph(streets, scenario=scenario)


def test_mains_and_sources_are_joined(scenario):
    streets = lines([(0, 0), (100, 0)], [(100, 0), (200, 0)], [(100, 0), (100, 100)])
    # a main 4 m beside the first street
    mains = gpd.GeoDataFrame(geometry=[LineString([(X0, Y0 + 4), (X0 + 100, Y0 + 4)])], crs=CRS)
    sources = gpd.GeoDataFrame({"source_id": ["VF1"], "name": ["plant"]},
                               geometry=[Point(X0 + 220, Y0 + 10)], crs=CRS)
    g = build_street_graph(streets, dh_network=mains, heat_sources=sources, scenario=scenario)
    assert (g.kind == "existing").sum() == 1
    assert g.new_trench_m[g.kind == "existing"].tolist() == [0.0]
    assert g.report.mains_joined_m == pytest.approx(100.0)
    assert g.report.mains_not_joined_m == pytest.approx(0.0, abs=2.0)
    assert (g.feed == EXISTING_NETWORK).sum() == 2
    link = np.flatnonzero(g.kind == "source_link")
    assert len(link) == 1
    assert g.length_m[link[0]] == pytest.approx(np.hypot(20, 10))
    assert g.feed[g.u[link[0]]] == "VF1"
    assert g.report.sources_joined == 1


def test_to_networkx_view(scenario):
    g = build_street_graph(lines([(0, 0), (100, 0)], [(50, -50), (50, 50)]), scenario=scenario)
    nxg = g.to_networkx()
    assert nxg.number_of_nodes() == 5
    assert nxg.number_of_edges() == 4
    for _, _, data in nxg.edges(data=True):
        assert data["geometry"].length == pytest.approx(data["length_m"])


def _square(x: float, y: float, half: float = 5.0) -> Polygon:
    return shapely.box(X0 + x - half, Y0 + y - half, X0 + x + half, Y0 + y + half)


def test_connect_properties_splits_edges_in_order(scenario):
    streets = lines([(0, 0), (100, 0)], [(200, 0), (300, 0)])  # the second piece has no feed
    sources = gpd.GeoDataFrame({"source_id": ["S"], "name": ["s"]},
                               geometry=[Point(X0 - 10, Y0)], crs=CRS)
    g = build_street_graph(streets, heat_sources=sources, scenario=scenario)
    props = gpd.GeoDataFrame(
        geometry=[_square(70, 20), _square(30, -15), _square(30, 15), _square(250, 20),
                  _square(50, 400)],
        index=pd.Index(["p70", "p30a", "p30b", "island", "far"], name="property_id"), crs=CRS,
    )
    c = connect_properties(g, props, scenario=scenario)
    assert list(c.service.index) == ["p70", "p30a", "p30b"]
    assert c.service["length_m"].round(6).tolist() == [20.0, 15.0, 15.0]
    # p30a and p30b share the split node at x = 30 (opposite sides of the street)
    assert c.service.loc["p30a", "node"] == c.service.loc["p30b", "node"]
    # the first street is now 30 + 40 + 30 m, pieces in order along it
    street = c.graph.kind == "street"
    assert sorted(np.round(c.graph.length_m[street], 6)) == [30.0, 30.0, 40.0, 100.0]
    assert c.graph.length_m.sum() == pytest.approx(g.length_m.sum())
    assert c.rejected.loc["island", "reason"].startswith("nearest street lies on a piece")
    assert c.rejected.loc["far", "reason"] == "farther than 100 m from any street"
    # the service pipe ends on the split node
    node = c.service.loc["p70", "node"]
    end = shapely.get_coordinates(c.service.geometry["p70"])[-1]
    assert end.tolist() == [c.graph.x[node], c.graph.y[node]]
    assert c.graph.x[node] == pytest.approx(X0 + 70)


def test_ballerup_streets_cleaning_joins_near_misses(scenario):
    if not BALLERUP_STREETS.exists():
        pytest.skip(f"real Ballerup streets not found at {BALLERUP_STREETS} (../shared absent)")
    streets = gpd.read_file(BALLERUP_STREETS)
    g = build_street_graph(streets, scenario=scenario)
    r = g.report
    assert r.input_lines == 1568
    assert r.length_m == pytest.approx(317_500, rel=0.01)
    # noded but not snapped: hundreds of pieces; snapping within 3 m joins most of them
    assert r.components_before > 300
    assert r.components_after < 60
    assert r.component_sizes[0] > 0.95 * r.n_nodes
    assert r.endpoints_snapped > 500
    assert r.nodes_added_at_crossings > 500
    # the report lists every remaining piece
    assert len(r.components) == r.components_after
    assert r.components["n_nodes"].sum() == r.n_nodes
    assert r.components["length_m"].sum() == pytest.approx(r.length_m)
    # snapping moves nothing by more than the tolerance: total length barely changes
    assert r.length_m == pytest.approx(shapely.length(streets.geometry.values).sum(), rel=0.005)


def test_excluded_road_classes_are_left_out(scenario):
    streets = lines([(0, 0), (100, 0)], [(50, -50), (50, 50)])
    streets["road_class"] = ["motorway", "local"]
    g = build_street_graph(streets, scenario=scenario.with_values(
        network__excluded_road_classes=["motorway"]))
    assert g.report.excluded_road_class == 1
    assert g.n_edges == 1
    assert g.length_m.sum() == pytest.approx(100.0)
    assert build_street_graph(streets, scenario=scenario).report.excluded_road_class == 0


def test_mains_away_from_streets_are_reported(scenario):
    streets = lines([(0, 0), (100, 0)])
    # 40 m of main runs along the street, 60 m crosses a park 50 m away
    mains = gpd.GeoDataFrame(geometry=[LineString([(X0, Y0 + 2), (X0 + 40, Y0 + 2)]),
                                       LineString([(X0, Y0 + 50), (X0 + 60, Y0 + 50)])], crs=CRS)
    g = build_street_graph(streets, dh_network=mains, scenario=scenario)
    assert g.report.mains_not_joined_m == pytest.approx(60.0, abs=2.0)
    # the street edge is only 40 % along a main: not existing network, but its end node is fed
    assert (g.kind == "existing").sum() == 0
    assert g.feed.tolist().count(EXISTING_NETWORK) == 1


def _arc(length: float, n_pieces: int) -> list[list[tuple[float, float]]]:
    """A quarter circle ``length`` metres long drawn as ``n_pieces`` straight pieces."""
    radius = length / (np.pi / 2)
    t = np.linspace(0.0, np.pi / 2, n_pieces + 1)
    xy = list(zip(radius * np.cos(t), radius * np.sin(t), strict=True))
    return [[xy[i], xy[i + 1]] for i in range(n_pieces)]


def test_street_drawn_as_short_pieces_is_not_collapsed(scenario):
    # a 94 m curved street of 39 pieces of 2.4 m: every inner end already touches the next
    g = build_street_graph(lines(*_arc(94.0, 39)), scenario=scenario)
    r = g.report
    assert g.length_m.sum() == pytest.approx(94.0, rel=0.001)
    assert g.n_edges == 39
    assert r.components_after == 1
    assert r.endpoints_snapped == 0
    assert r.overlap_removed_m == pytest.approx(0.0, abs=0.01)  # grid rounding only
    assert "-0 m" not in r.summary()
    # pieces shorter than half the tolerance: the outer ends are not extended onto the street
    fine = build_street_graph(lines(*_arc(30.0, 30)), scenario=scenario)
    assert fine.length_m.sum() == pytest.approx(30.0, rel=0.001)
    assert fine.n_edges == 30
    assert fine.report.endpoints_snapped == 0


def test_short_pieces_then_a_long_piece_keep_their_length(scenario):
    # 160 m: 30 pieces of 2 m, then one of 100 m
    pieces = [[(2.0 * i, 0.0), (2.0 * i + 2, 0.0)] for i in range(30)] + [[(60, 0), (160, 0)]]
    g = build_street_graph(lines(*pieces), scenario=scenario)
    assert g.length_m.sum() == pytest.approx(160.0)
    assert g.n_edges == 31
    assert g.report.components_after == 1
    assert g.report.overlap_removed_m >= 0.0


def test_near_miss_beside_short_pieces_is_still_joined(scenario):
    # a street of 2 m pieces ending 2 m short of the next street's end: only that gap closes
    pieces = [[(2.0 * i, 0.0), (2.0 * i + 2, 0.0)] for i in range(10)] + [[(22, 0), (80, 0)]]
    g = build_street_graph(lines(*pieces), scenario=scenario)
    assert g.report.components_before == 2
    assert g.report.components_after == 1
    assert g.report.endpoints_snapped == 2  # the two ends of the gap, nothing else
    assert g.length_m.sum() == pytest.approx(80.0)
    # and a side street ending 2 m short of a street drawn as short pieces gets an extension
    side = [*pieces, [(11, 2), (11, 50)]]
    g = build_street_graph(lines(*side), scenario=scenario)
    assert g.report.components_after == 1
    assert g.length_m.sum() == pytest.approx(80.0 + 50.0)


def test_source_is_linked_to_the_nearest_point_of_the_street(scenario):
    # a source 30 m from the middle of an 800 m street with nodes only at its ends
    streets = lines([(0, 0), (800, 0)])
    sources = gpd.GeoDataFrame({"source_id": ["VF1"], "capacity_mw": [5.0]},
                               geometry=[Point(X0 + 400, Y0 + 30)], crs=CRS)
    g = build_street_graph(streets, heat_sources=sources, scenario=scenario)
    link = np.flatnonzero(g.kind == "source_link")
    assert len(link) == 1
    assert g.length_m[link[0]] == pytest.approx(30.0)
    assert g.sources.loc["VF1", "link_m"] == pytest.approx(30.0)
    assert g.feed[g.sources.loc["VF1", "node"]] == "VF1"
    # the street is split where the link meets it
    street = g.kind == "street"
    assert sorted(np.round(g.length_m[street], 6)) == [400.0, 400.0]
    meet = g.v[link[0]]
    assert (g.x[meet], g.y[meet]) == pytest.approx((X0 + 400, Y0))
    assert g.report.sources_joined == 1
    # the maximum distance is measured to the street, not to its nearest node
    far = build_street_graph(streets, heat_sources=sources, scenario=scenario.with_values(
        network__source_max_distance_m=29.0))
    assert far.report.sources_rejected == ("VF1",)
    assert (far.kind == "source_link").sum() == 0
