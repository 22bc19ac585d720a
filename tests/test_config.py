"""The scenario loader: defaults with sources, user overrides, year series."""

from __future__ import annotations

import pytest

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import load_scenario


def test_every_default_names_its_source_and_unit():
    scenario = load_scenario()
    params = list(scenario)
    assert len(params) > 5
    for p in params:
        assert p.source.strip(), f"{p.key} has no source"
        assert p.unit.strip(), f"{p.key} has no unit"


def test_user_file_overrides_bare_value_and_names_the_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[general]\nbase_year = 2025\n", encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.value("general.base_year") == 2025
    assert str(path) in scenario.parameter("general.base_year").source
    # untouched parameters keep their default source
    assert "Ballerup" in scenario.parameter("general.target_year").source


def test_user_file_can_give_its_own_source(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[general.base_year]\nvalue = 2023\nsource = "our own count"\n', encoding="utf-8"
    )
    p = load_scenario(path).parameter("general.base_year")
    assert (p.value, p.source) == (2023, "our own count")


def test_unknown_key_is_refused_with_a_suggestion(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text("[general]\nbase_yaer = 2025\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"unknown parameter 'general.base_yaer'.*base_year"):
        load_scenario(path)


def test_missing_and_broken_files_give_clear_errors(tmp_path):
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[general\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(bad)


def test_year_series_interpolate_linearly_and_hold_at_the_ends(tmp_path):
    path = tmp_path / "series.toml"
    # a series written over a parameter declared "number or year series": 2020 -> 10, 2030 -> 1
    path.write_text('[phasing.trench_capacity_km_a]\nvalue = { 2020 = 10.0, 2030 = 1.0 }\n')
    scenario = load_scenario(path)
    values = scenario.by_year("phasing.trench_capacity_km_a", [2015, 2020, 2024, 2030, 2040])
    assert values.tolist() == pytest.approx([10.0, 10.0, 6.4, 1.0, 1.0])


def test_with_values_replaces_in_a_copy():
    scenario = load_scenario()
    changed = scenario.with_values(general__base_year=2030)
    assert changed.value("general.base_year") == 2030
    assert scenario.value("general.base_year") == 2024


def test_years_out_of_order_are_refused(tmp_path):
    path = tmp_path / "late.toml"
    path.write_text("[general]\ntarget_year = 2050\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"target_year \(2050\) ≤ general.horizon_end_year"):
        load_scenario(path)
