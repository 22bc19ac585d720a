"""Take-up ramp, expected connections per year and each property's years."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import load_scenario
from heatplan.plan.uptake import (
    expected_connections,
    property_connection_years,
    property_years,
    scenario_curve,
    takeup_curve,
)


def test_curve_rises_linearly_to_the_final_share():
    c = takeup_curve(7, first_year_share=0.5, final_share=0.8, ramp_years=4)
    assert c.tolist() == pytest.approx([0.5, 0.575, 0.65, 0.725, 0.8, 0.8, 0.8])
    with pytest.raises(ScenarioError, match="first_year_share"):
        takeup_curve(3, first_year_share=0.9, final_share=0.8, ramp_years=2)


def test_sensitivity_curve_scales_the_first_year_with_the_final_share():
    s = load_scenario()
    c = scenario_curve(s, 6, final_share=0.6)
    assert c[0] == pytest.approx(0.5 * 0.6 / 0.8)
    assert c[-1] == pytest.approx(0.6)
    assert scenario_curve(s, 6, final_share=1.0)[-1] == pytest.approx(1.0)


def test_expected_connections_add_up_to_the_final_share():
    curve = takeup_curve(10, first_year_share=0.5, final_share=0.8, ramp_years=4)
    n = pd.Series([200, 40, 10], index=["A", "B", "C"])
    end = pd.Series([2025, 2027, pd.NA], index=["A", "B", "C"], dtype="Int64")
    conn = expected_connections(n, end, range(2024, 2041), curve)
    # A: 100 in 2025 then 15 a year for four years; nothing before its works end
    assert conn.loc["A", 2024] == 0
    assert conn.loc["A", 2025] == pytest.approx(100)
    assert conn.loc["A", [2026, 2027, 2028, 2029]].tolist() == pytest.approx([15] * 4)
    assert conn.sum(axis=1).tolist() == pytest.approx([160, 32, 0])  # 80 % of n; C unscheduled


def test_property_years_follow_the_ramp_deterministically():
    curve = takeup_curve(10, first_year_share=0.5, final_share=0.75, ramp_years=1)
    ids = [f"P{i}" for i in range(8)]
    props = pd.DataFrame(
        {"district_id": "A", "heat_demand_mwh_a": [10, 20, 30, 40, 50, 60, 70, 80.0],
         "owner_type": ["10"] * 7 + ["50"], "connection_status": [""] * 6 + ["declined", ""]},
        index=pd.Index(ids, name="property_id"))
    years = property_connection_years(props, pd.Series({"A": 2026}), curve)
    # 8 properties: round(8 × 0.5) = 4 in 2026, round(8 × 0.75) − 4 = 2 in 2027, 2 never.
    # Order: municipal P7 first, then larger demand: P5, P4, P3 | P2, P1 | P0 (and declined P6)
    got = {k: (None if pd.isna(v) else int(v)) for k, v in years.items()}
    assert got == {"P0": None, "P1": 2027, "P2": 2027, "P3": 2026, "P4": 2026, "P5": 2026,
                   "P6": None, "P7": 2026}
    again = property_connection_years(props.iloc[::-1], pd.Series({"A": 2026}), curve)
    pd.testing.assert_series_equal(again.sort_index(), years.sort_index())


def test_signed_up_and_connected_properties():
    curve = takeup_curve(5, first_year_share=0.0, final_share=0.5, ramp_years=2)
    props = pd.DataFrame(
        {"district_id": "A", "heat_demand_mwh_a": 10.0,
         "connection_status": ["connected", "signed_up", "", ""],
         "connection_year": [2023, np.nan, np.nan, np.nan]},
        index=pd.Index(["P0", "P1", "P2", "P3"], name="property_id"))
    years = property_connection_years(props, pd.Series({"A": 2022}), curve, min_year=2025)
    assert years["P0"] == 2023  # connected keeps its year, before min_year
    assert years["P1"] == 2025  # signed up: the district's end year, moved to min_year
    assert years[["P2", "P3"]].isna().all()  # 4 × 0.5 = 2 slots, taken by P0 and P1


def test_property_years_offer_a_year_before_digging():
    s = load_scenario()
    props = pd.DataFrame({"district_id": ["A", "B"], "heat_demand_mwh_a": 10.0},
                         index=pd.Index(["P0", "P1"], name="property_id"))
    schedule = pd.DataFrame({"phase": [1, 2], "start_year": [2025, 2028],
                             "end_year": [2026, 2028]}, index=["A", "B"], dtype="Int64")
    out = property_years(props, schedule, scenario=s)
    assert out.loc["P0"].tolist() == [1, 2024, 2025, 2026, 2026]
    assert out.loc["P1"].tolist() == [2, 2027, 2028, 2028, 2028]


def test_mains_laid_before_the_plan_period_give_offers_in_the_first_year():
    # district A's mains were laid in 2023 (no start year: before the plan); B is planned.
    s = load_scenario()
    props = pd.DataFrame({"district_id": ["A", "B"], "heat_demand_mwh_a": 10.0},
                         index=pd.Index(["P0", "P1"], name="property_id"))
    schedule = pd.DataFrame({"phase": [None, 1], "start_year": [None, 2026],
                             "end_year": [2023, 2027]}, index=["A", "B"], dtype="Int64")
    out = property_years(props, schedule, scenario=s, min_year=2024)
    assert out.at["P0", "offer_year"] == 2024  # not 2022: offered when the plan starts
    assert out.at["P0", "connection_year"] >= 2024
    assert out.at["P1", "offer_year"] == 2025  # one year before digging, as usual


def test_take_up_due_before_the_first_year_is_booked_in_it():
    # works ended 2022; from 2024 the 100 open properties show the take-up due by then
    curve = np.array([0.5, 0.6, 0.7, 0.8])  # cumulative shares 0, 1, 2, 3 years after
    conn = expected_connections(pd.Series({"A": 100.0}), pd.Series({"A": 2022}),
                                [2024, 2025, 2026], curve)
    # 2024: 60 due by end of 2023 (cum[2] = 0.6 of the curve's first two years) + 10 new
    assert conn.loc["A"].tolist() == pytest.approx([70.0, 10.0, 0.0])
