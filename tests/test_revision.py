"""Yearly revision: progress files, fixed districts, and changes against the previous plan."""

from __future__ import annotations

import pandas as pd
import pytest
from toy_town import make_toy_town, rollout

from heatplan.core.errors import InputDataError, SchemaError
from heatplan.core.scenario import load_scenario
from heatplan.plan.revision import apply_progress, compare_plans, fixed_districts, load_progress


def test_load_progress_reads_and_checks(tmp_path):
    good = tmp_path / "progress.csv"
    good.write_text("property_id,connection_status\nP1,connected\nP2,signed_up\nP3,\n",
                    encoding="utf-8")
    s = load_progress(good)
    assert s.to_dict() == {"P1": "connected", "P2": "signed_up", "P3": ""}
    bad = tmp_path / "bad.csv"
    bad.write_text("property_id,connection_status\nP1,done\nP2,connected\nP3,maybe\n",
                   encoding="utf-8")
    with pytest.raises(InputDataError, match=r"bad.csv, column connection_status, rows \[2, 4\]"
                                             r": unknown values \['done', 'maybe'\]"):
        load_progress(bad)
    (tmp_path / "cols.csv").write_text("id,status\nP1,connected\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="property_id, connection_status"):
        load_progress(tmp_path / "cols.csv")


def test_apply_progress_overrides_the_layer_and_rejects_unknown_ids():
    props = pd.DataFrame({"connection_status": ["signed_up", ""]},
                         index=pd.Index(["P1", "P2"], name="property_id"))
    out = apply_progress(props, pd.Series({"P2": "connected", "P1": ""}))
    assert out["connection_status"].tolist() == ["signed_up", "connected"]
    assert props["connection_status"].tolist() == ["signed_up", ""]  # input untouched
    with pytest.raises(InputDataError, match=r"not in the properties layer: \['P9'\]"):
        apply_progress(props, pd.Series({"P9": "connected"}))


def test_fixed_districts_from_connections_and_works_under_way():
    props = pd.DataFrame({"district_id": ["A", "B", "C"],
                          "connection_status": ["connected", "", "connected"]},
                         index=["P1", "P2", "P3"])
    prev = pd.DataFrame({"phase": [1, 1, 2, 1], "start_year": [2024, 2025, 2027, pd.NA],
                         "end_year": [2024, 2026, 2028, 2023]}, index=["A", "B", "C", "D"])
    fixed = fixed_districts(props, prev, first_year=2026)
    assert fixed.loc["A"].tolist()[:4] == [1, 2024, 2024, "connected"]
    assert fixed.loc["A", "is_done"]
    assert fixed.loc["B"].tolist()[:4] == [1, 2025, 2026, "under_way"]
    assert not fixed.loc["B", "is_done"]
    # D was built before the previous plan (no start year known): still built
    assert fixed.loc["D", "fixed_end"] == 2023
    assert fixed.loc["D", "why"] == "built"
    assert fixed.loc["D", "is_done"]
    # C has a connection although its works are planned for later: C is planned as usual
    assert "C" not in fixed.index
    # without a previous plan a connection means the district's mains are laid
    alone = fixed_districts(props, None, first_year=2026)
    assert sorted(alone.index) == ["A", "C"]
    assert (alone["fixed_end"] == 2025).all() and alone["is_done"].all()


@pytest.fixture
def scenario():
    return load_scenario().with_values(phasing__trench_capacity_km_a=1.6)


def test_unchanged_inputs_give_no_changes(scenario):
    props, districts, routing = make_toy_town()
    first = rollout(props, districts, routing, scenario=scenario)
    again = rollout(props, districts, routing, scenario=scenario, previous=first)
    assert again.changes is not None
    assert again.changes.empty
    pd.testing.assert_frame_equal(first.districts, again.districts)


def test_revision_keeps_connected_properties_and_changes_only_what_must(scenario):
    props, districts, routing = make_toy_town()
    first = rollout(props, districts, routing, scenario=scenario)
    p0 = first.properties
    connected = p0.index[p0["connection_year"].notna() & (p0["connection_year"] <= 2025)]
    late = first.districts["end_year"].idxmax()  # a district not started before 2026
    assert first.districts.loc[late, "start_year"] >= 2026
    signed = p0.index[(p0["district_id"] == late) & p0["connection_year"].isna()][:3]
    assert len(connected) > 0 and len(signed) == 3
    progress = pd.Series("connected", index=connected)
    progress = pd.concat([progress, pd.Series("signed_up", index=signed)])
    revised = rollout(props, districts, routing, previous=first, progress=progress,
                      scenario=scenario.with_values(phasing__first_year=2026))
    p1 = revised.properties
    # every connected property keeps district heating and its year
    assert (p1.loc[connected, "recommendation"] == "district_heating").all()
    pd.testing.assert_series_equal(p1.loc[connected, "connection_year"],
                                   p0.loc[connected, "connection_year"])
    # districts already built or under way keep their years; the rest is unchanged too
    pd.testing.assert_frame_equal(revised.districts[["phase", "start_year", "end_year"]],
                                  first.districts[["phase", "start_year", "end_year"]])
    changes = revised.changes
    assert (changes["kind"] == "district").sum() == 0
    # the only changes are expected connection years in the district with the sign-ups: the
    # three signed-up properties now connect in its first year, which moves three others on
    # at each step of the ramp (first year + 4 ramp years), at most 3 + 3 × 5 rows
    assert set(changes["field"]) == {"connection_year"}
    assert set(p1.loc[changes["id"], "district_id"]) == {late}
    assert set(signed) <= set(changes["id"])
    assert len(changes) <= 3 + 3 * 5
    end = int(first.districts.loc[late, "end_year"])
    assert (p1.loc[signed, "connection_year"] == end).all()
    # nobody not yet connected is planned to connect in the past
    open_ = p1.index.difference(connected)
    assert (p1.loc[open_, "connection_year"].dropna() >= 2026).all()


def test_compare_plans_lists_district_moves_without_repeating_them_per_property():
    old_d = pd.DataFrame({"recommendation": ["district_heating"] * 2, "phase": [1, 1],
                          "start_year": [2025, 2026], "end_year": [2025, 2026]},
                         index=["A", "B"])
    new_d = old_d.copy()
    new_d.loc["B", ["phase", "start_year", "end_year"]] = [2, 2028, 2028]
    old_p = pd.DataFrame({"district_id": ["A", "B", "B"],
                          "recommendation": ["district_heating"] * 3, "phase": [1, 1, 1],
                          "connection_year": [2025, 2026, 2027]}, index=["P1", "P2", "P3"])
    new_p = old_p.copy()
    new_p.loc[["P2", "P3"], "phase"] = 2
    new_p.loc[["P2", "P3"], "connection_year"] = [2028, 2029]
    new_p.loc["P1", "recommendation"] = "individual_heat_pump"
    changes = compare_plans(old_p, old_d, new_p, new_d)
    rows = set(zip(changes["kind"], changes["id"], changes["field"], strict=True))
    assert rows == {("district", "B", "phase"), ("district", "B", "start_year"),
                    ("district", "B", "end_year"), ("property", "P1", "recommendation")}
    text = changes.set_index(["id", "field"]).loc[("B", "phase"), "description"]
    assert text == "Distrikt B: fase 1 → 2"
    en = compare_plans(old_p, old_d, new_p, new_d, lang="en")
    assert "Property P1: recommendation district_heating → individual_heat_pump" in set(
        en["description"])
