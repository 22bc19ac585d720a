"""The digging schedule (plan/works.py): work packages by street, stretch and quarter.

A hand-made network checked by hand, then the bundled sample's plan for the invariants: every
trench piece dug lies in exactly one package, and no package is dug before its feed.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from heatplan.core.scenario import load_scenario
from heatplan.plan.works import schedule_works

CRS = "EPSG:25832"
X0, Y0 = 708_000.0, 6_180_000.0

# segment: district, street, upstream, year, coordinates (offsets in m), dug?
PIECES = {
    "M1": ("A", "Hovedvej", None, 2026, [(0, 0), (400, 0)]),
    "M2": ("A", "Hovedvej", "M1", 2026, [(400, 0), (800, 0)]),
    "M3": ("A", "Hovedvej", "M2", 2026, [(800, 0), (1200, 0)]),
    "S1": ("A", "Sidevej", "M2", 2026, [(800, 0), (800, 300)]),
    "S2": ("A", "Sidevej", "S1", 2026, [(800, 300), (1100, 300)]),
    "M4": ("A", "Hovedvej", "S2", 2026, [(1100, 300), (1400, 300)]),  # Hovedvej entered again
    "T1": ("A", "Tværvej", "M1", 2026, [(400, 0), (400, -200)]),
    "T2": ("A", "Tværvej", "M3", 2026, [(1200, 0), (1200, -200)]),
    "B1": ("B", "Hovedvej", "M4", 2027, [(1400, 300), (1700, 300)]),
    "X1": ("B", "Blindvej", "B1", None, [(1700, 300), (1700, 500)]),  # not dug by the plan
    "Y1": ("A", "Gammelvej", None, 2023, [(0, 0), (0, 100)]),  # built before the plan
}


def make_trenches() -> gpd.GeoDataFrame:
    rows = []
    for sid, (district, street, up, year, coords) in PIECES.items():
        line = LineString([(X0 + x, Y0 + y) for x, y in coords])
        rows.append({"segment_id": sid, "district_id": district, "street_name": street,
                     "upstream_segment": up, "construction_year": year,
                     "length_m": line.length, "dn": 100 if sid.startswith("M") else 40,
                     "phase": 1, "is_built": sid != "X1", "is_sunk": sid == "Y1",
                     "geometry": line})
    trenches = gpd.GeoDataFrame(rows, crs=CRS).set_index("segment_id")
    trenches["construction_year"] = pd.array(trenches["construction_year"].tolist(),
                                             dtype="Int64")
    return trenches


def make_service() -> tuple[pd.DataFrame, pd.DataFrame]:
    service = pd.DataFrame({"segment_id": ["M1", "M1", "T2", "X1"],
                            "length_m": [12.0, 15.0, 20.0, 9.0]},
                           index=pd.Index(["p1", "p2", "p3", "p4"], name="property_id"))
    props = pd.DataFrame({"connection_year": pd.array([2026, None, 2027, None],
                                                      dtype="Int64")}, index=service.index)
    return service, props


DISTRICTS = pd.DataFrame({"start_year": pd.array([2026, 2027], dtype="Int64"),
                          "end_year": pd.array([2027, 2027], dtype="Int64")},
                         index=pd.Index(["A", "B"], name="district_id"))


@pytest.fixture(scope="module")
def scenario():
    return load_scenario().with_values(works__max_package_m=500.0)


@pytest.fixture(scope="module")
def toy(scenario):
    service, props = make_service()
    return schedule_works(make_trenches(), service, props, DISTRICTS, scenario=scenario)


def _members(schedule) -> dict[str, set[str]]:
    seg = schedule.segment_package.dropna()
    return {p: set(seg.index[seg == p]) for p in seg.unique()}


def test_pieces_grouped_by_street_and_stretch(toy):
    groups = sorted(sorted(m) for m in _members(toy).values())
    # Hovedvej's 1,200 m run: three stretches of 400 m (at most 500 m each); Sidevej's 600 m:
    # two of 300 m; M4 is Hovedvej again beyond Sidevej, so it is its own package; Tværvej's
    # two runs (fed from M1 and from M3) are one package; B1 is in another district and year
    assert groups == [["B1"], ["M1"], ["M2"], ["M3"], ["M4"], ["S1"], ["S2"], ["T1", "T2"]]
    pk = toy.packages
    hoved = pk[(pk["street_name"] == "Hovedvej") & (pk["district_id"] == "A")]
    pairs = zip(hoved["stretch"], hoved["n_stretches"], strict=True)
    assert sorted(pairs) == [(1, 1), (1, 3), (2, 3), (3, 3)]
    assert (pk["length_m"] <= 500 + 1e-9).all()


def test_every_piece_dug_is_in_exactly_one_package(toy):
    seg = toy.segment_package
    trenches = make_trenches()
    assert list(seg.index) == list(trenches.index)  # one entry per piece
    dug = trenches["is_built"] & ~trenches["is_sunk"]
    assert seg[dug].notna().all() and seg[~dug].isna().all()  # X1, Y1: no package
    pk = toy.packages
    assert pk["n_segments"].sum() == dug.sum() == 9
    assert pk["length_m"].sum() == pytest.approx(trenches.loc[dug, "length_m"].sum())
    assert pk["length_m"].sum() == pytest.approx(2800.0)
    assert pk.loc[seg["T1"], "geometry"].length == pytest.approx(400.0)


def test_packages_show_metres_dn_and_connections(toy):
    pk = toy.packages
    seg = toy.segment_package
    m1, t = pk.loc[seg["M1"]], pk.loc[seg["T1"]]
    assert (m1["dn_min"], m1["dn_max"], t["dn_min"], t["dn_max"]) == (100, 100, 40, 40)
    assert (m1["n_service_pipes"], m1["service_m"], m1["n_connecting"]) == (2, 27.0, 1)
    assert (t["n_service_pipes"], t["service_m"], t["n_connecting"]) == (1, 20.0, 1)
    assert m1["crew_weeks"] == pytest.approx(400 / 100)  # 100 m per crew-week (scenario)
    assert set(t["feed_package_id"].split(", ")) == {seg["M1"], seg["M3"]}


def test_quarters_by_hand_and_feeds_first(toy):
    pk = toy.packages
    seg = toy.segment_package
    when = {s: (int(pk.at[seg[s], "construction_year"]), int(pk.at[seg[s], "quarter"]))
            for s in seg.dropna().index}
    # A's 2026: 25 crew-weeks in feed order M1, M2, S1, S2, M4 (B waits for M4), M3, T;
    # midpoints 2, 6, 9.5, 12.5, 15.5, 19, 23 of 25 against the quarters' shares of the
    # 43 working weeks (10/43, 22/43, 32/43, 1)
    assert when == {"M1": (2026, 1), "M2": (2026, 2), "S1": (2026, 2), "S2": (2026, 2),
                    "M4": (2026, 3), "M3": (2026, 4), "T1": (2026, 4), "T2": (2026, 4),
                    "B1": (2027, 2)}
    for s, (_, _, up, _, _) in PIECES.items():
        if up is not None and s in when and up in when:
            assert when[up] <= when[s], (up, s)


def test_crews_needed_against_capacity_by_hand(toy):
    crews = toy.crews.set_index(["year", "quarter"])
    needed = crews["crews_needed"].round(4).to_dict()
    assert needed == {(2026, 1): 0.4, (2026, 2): round(10 / 12, 4), (2026, 3): 0.3,
                      (2026, 4): round(8 / 11, 4), (2027, 2): 0.25}
    # 25 km a year (phasing.trench_capacity_km_a) ÷ (100 m × 43 weeks) per crew
    assert crews["crews_available"].to_numpy() == pytest.approx(25_000 / 4_300)
    assert not crews["is_over_capacity"].any()
    few = load_scenario().with_values(works__crews_available=0.5, works__max_package_m=500.0)
    service, props = make_service()
    tight = schedule_works(make_trenches(), service, props, DISTRICTS, scenario=few).crews
    assert tight.set_index(["year", "quarter"])["is_over_capacity"].to_dict() == {
        (2026, 1): False, (2026, 2): True, (2026, 3): False, (2026, 4): True, (2027, 2): False}


def test_move_windows(toy):
    pk = toy.packages
    seg = toy.segment_package
    # M3 feeds Tværvej (2026): it cannot move later; Tværvej can until A's end year
    assert (pk.at[seg["M3"], "earliest_year"], pk.at[seg["M3"], "latest_year"]) == (2026, 2026)
    assert (pk.at[seg["T1"], "earliest_year"], pk.at[seg["T1"], "latest_year"]) == (2026, 2027)
    assert (pk.at[seg["B1"], "earliest_year"], pk.at[seg["B1"], "latest_year"]) == (2027, 2027)


def test_a_feed_is_dug_no_later_than_what_it_feeds(scenario):
    # the rollout gave district C's piece a later year than D's piece hanging on it
    trenches = pd.DataFrame({
        "district_id": ["C", "D"], "street_name": ["Ringvej", "Ringvej"],
        "upstream_segment": [None, "C1"], "construction_year": pd.array([2028, 2026], "Int64"),
        "length_m": [300.0, 200.0]}, index=pd.Index(["C1", "D1"], name="segment_id"))
    out = schedule_works(trenches, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                         scenario=scenario)
    pk = out.packages.set_index("district_id")
    assert pk.loc["C", "construction_year"] == pk.loc["D", "construction_year"] == 2026
    assert pk.loc["C", "quarter"] <= pk.loc["D", "quarter"]
    assert (pk.loc["C", "rollout_year"], pk.loc["C", "is_moved_earlier"]) == (2028, True)
    assert not pk.loc["D", "is_moved_earlier"]
    assert not isinstance(out.packages, gpd.GeoDataFrame)  # no geometry in, none out


def test_nothing_to_dig_gives_empty_tables(scenario):
    trenches = make_trenches().assign(is_built=False)
    out = schedule_works(trenches, pd.DataFrame(), pd.DataFrame(), DISTRICTS, scenario=scenario)
    assert out.packages.empty and out.crews.empty
    assert out.segment_package.isna().all()


# --- the bundled sample -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_plan():
    from conftest import SAMPLE_DIR

    from heatplan.pipeline import build_plan
    from heatplan.validate import load_dataset

    scenario = load_scenario()
    result = load_dataset(SAMPLE_DIR, scenario=scenario)
    return build_plan(result.dataset, scenario=scenario, method="heuristic")


def test_sample_every_trench_piece_in_exactly_one_package(sample_plan):
    t = sample_plan.trenches
    pk = sample_plan.work_packages
    dug = t["is_built"].astype(bool) & ~t["is_sunk"].astype(bool)
    assert t.loc[dug, "package_id"].notna().all()
    assert t.loc[~dug, "package_id"].isna().all()
    assert set(t.loc[dug, "package_id"]) == set(pk.index)
    assert pk["n_segments"].sum() == dug.sum()
    assert pk["length_m"].sum() == pytest.approx(t.loc[dug, "length_m"].sum())
    assert pk["length_m"].sum() / 1000 == pytest.approx(sample_plan.summary["works"]
                                                        ["trench_km"])
    single = pk["n_segments"] == 1
    assert (pk.loc[~single, "length_m"] <= 500 + 1e-6).all()  # works.max_package_m
    # each street of a district and year is one run unless it must be cut or re-entered
    assert pk["quarter"].between(1, 4).all()


def test_sample_no_package_before_its_feed(sample_plan):
    t = sample_plan.trenches
    pk = sample_plan.work_packages
    when = pk["construction_year"].astype(int) * 10 + pk["quarter"].astype(int)
    own = t["package_id"]
    up = t["upstream_segment"].where(t["upstream_segment"].isin(t.index))
    edges = pd.DataFrame({"pkg": own, "feed": own.reindex(up.to_numpy()).to_numpy()},
                         index=t.index).dropna()
    edges = edges[edges["pkg"] != edges["feed"]]
    assert len(edges) > 100  # the check has something to check
    late = edges[when.reindex(edges["feed"]).to_numpy() > when.reindex(edges["pkg"]).to_numpy()]
    assert late.empty, late.head()
    # the crews table sums the packages
    crews = sample_plan.work_crews
    assert crews["length_m"].sum() == pytest.approx(pk["length_m"].sum())
    assert np.allclose(crews["crews_needed"], crews["crew_weeks"] / crews["working_weeks"])


def test_sample_meets_its_other_works_and_dates_every_gas_closure(sample_plan):
    works = sample_plan.planned_works
    assert len(works) == 12  # the bundled sample's planned_works layer
    conflicts = sample_plan.work_conflicts
    assert {"recently_repaved", "same_year"} <= set(conflicts["conflict"])
    assert conflicts["work_id"].isin(works.index).all()
    assert conflicts["package_id"].isin(sample_plan.work_packages.index).all()
    counts = sample_plan.work_packages["n_conflicts"]
    assert counts.sum() == len(conflicts)
    gas = sample_plan.gas_closure
    dh = sample_plan.districts.index[sample_plan.districts["recommendation"]
                                     == "district_heating"]
    assert gas.loc[dh, "closure_year"].notna().all()
    assert (gas["closure_year"] == gas["last_exit_year"] + 2).all()  # gas.closure_notice_years
    on_gas = sample_plan.properties["heating_type"].eq("natural_gas").sum()
    assert len(sample_plan.gas_properties) == gas["n_gas_today"].sum() == on_gas
