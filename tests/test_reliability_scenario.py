"""A validated scenario: types, ranges, year series and malformed TOML, each with its message."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from heatplan.cli import cli
from heatplan.core import scenario as scenario_module
from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import load_scenario
from heatplan.core.scenario_check import numbers_in

MY_FILES = ("general", "phasing", "demand", "renovation", "outputs", "residents")
"""The default files whose every number has a range (the others follow the same convention)."""


def _load(tmp_path, text: str, name: str = "mine.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_scenario(path), path


def _refused(tmp_path, text: str, name: str = "mine.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return str(caught.value)


# --- values outside their range: key, value, range, unit and file in the message ------------

OUT_OF_RANGE = [
    ("[phasing]\nfirst_year = 1990\n",
     "phasing.first_year = 1990 is outside its range 2015 to 2100 (year). Give a value from "
     "2015 to 2100."),
    ("[phasing]\ndistrict_trench_km_a = 0\n",
     "phasing.district_trench_km_a = 0 is outside its range 0.1 to 100 (km of trench per "
     "district per year). Give a value from 0.1 to 100."),
    ("[phasing]\nmax_construction_years = 0\n",
     "phasing.max_construction_years = 0 is outside its range 1 to 30 (years)."),
    ("[uptake]\nfinal_share = 1.5\n",
     "uptake.final_share = 1.5 is outside its range 0 to 1 (share of properties to convert)."),
    ("[uptake]\nsensitivity_shares = [0.6, 8.0]\n",
     "uptake.sensitivity_shares[1] = 8 is outside its range 0 to 1"),
    ("[renovation.heat_price_dkk_per_kwh]\nvalue = { natural_gas = -1.0, oil = 1.4, "
     "district_heating = 0.8, heat_pump = 0.8, electric = 2.5, solid_fuel = 0.7, other = 1.0, "
     "none = 0.0 }\n",
     "renovation.heat_price_dkk_per_kwh.natural_gas = -1 is outside its range 0 to 20 (DKK "
     "per kWh delivered heat)."),
    ("[general]\ntarget_reduction_share = 85\n",
     "general.target_reduction_share = 85 is outside its range 0 to 1 (share of base-year "
     "CO2)."),
    ("[demand]\nfull_load_hours = 10000\n",
     "demand.full_load_hours = 10000 is outside its range 500 to 8760 (h per year"),
    ("[demand.specific_heat]\ndetached = { 0 = 178, 1963 = -5 }\n",
     "demand.specific_heat.detached.1963 = -5 is outside its range 10 to 600"),
    ("[phasing]\ntrench_capacity_km_a = { 2024 = 20.0, 2030 = -1.0 }\n",
     "phasing.trench_capacity_km_a = -1 for 2030 is outside its range 0.1 to 1000"),
]


@pytest.mark.parametrize(("text", "message"), OUT_OF_RANGE)
def test_a_value_outside_its_range_is_refused_naming_key_value_range_and_file(
        text, message, tmp_path):
    error = _refused(tmp_path, text)
    assert error.startswith(f"Scenario file {tmp_path / 'mine.toml'}: ")
    assert message in error


# --- wrong types and shapes ----------------------------------------------------------------

WRONG_TYPE = [
    ('[phasing]\nfirst_year = "soon"\n',
     "phasing.first_year = 'soon' is not a whole number (year)."),
    ("[uptake]\nramp_years = 2.5\n", "uptake.ramp_years = 2.5 is not a whole number (years)."),
    ('[emissions]\nccs_enabled = "yes"\n', "emissions.ccs_enabled = 'yes' is not true or false."),
    ("[general]\nmunicipality_code = 151\n",
     "general.municipality_code = 151 is not text in quotes."),
    ('[labels]\nreference_date = "2026-02-30"\n',
     "labels.reference_date = '2026-02-30' is not an ISO date such as \"2026-01-01\"."),
    ("[emissions]\nelectricity_kg_per_kwh = {}\n",
     "emissions.electricity_kg_per_kwh is an empty year series."),
    ("[emissions]\nelectricity_kg_per_kwh = { soon = 0.1 }\n",
     "emissions.electricity_kg_per_kwh: 'soon' is not a year (1800–2200)"),
    ("[phasing]\nphase_windows = {}\n", "phasing.phase_windows is an empty table"),
    ('[phasing]\nphase_windows = { "1" = [2024] }\n',
     "phasing.phase_windows.1 = [2024] must have 2 numbers"),
    ('[phasing]\nphase_windows = { "one" = [2024, 2027] }\n',
     "phasing.phase_windows: the key(s) 'one' must be whole numbers"),
    ("[uptake]\nsensitivity_shares = []\n",
     "uptake.sensitivity_shares is an empty list; give at least one number."),
    ("[renovation]\nheat_price_dkk_per_kwh = { natural_gas = 1.0 }\n",
     "renovation.heat_price_dkk_per_kwh lacks oil, district_heating, heat_pump, electric, "
     "solid_fuel, other, none"),
    ("[labels.limits.primary_energy_factor]\nvalue = { electricity = 1.9, district_heating = "
     "0.85, other = 1.0, electrcity = 2.0 }\n",
     "labels.limits.primary_energy_factor has no entry 'electrcity' (it has electricity, "
     "district_heating, other). Did you mean electricity?"),
    ("[general.base_year]\nvalu = 2025\n",
     "general.base_year is a table without value (it has valu); write value = … in "
     "[general.base_year], or base_year = … in [general]."),
    ("[general.base_year]\nvalue = 2025\nunit = \"days\"\n",
     "general.base_year: unit is heatplan's declaration ('year') and cannot be changed in a "
     "scenario file; remove the unit line."),
    ("[general.base_year]\nvalue = 2025\nrange = [0, 9999]\n",
     "general.base_year: range is heatplan's declaration ([2015, 2100]) and cannot be changed"),
    ("[phasing]\nfirst_year = { a = 1 }\n",
     "phasing.first_year is a table without value (it has a)"),
    ("general = 5\n", "unknown parameter 'general'."),
]


@pytest.mark.parametrize(("text", "message"), WRONG_TYPE)
def test_a_value_of_the_wrong_type_or_shape_is_refused(text, message, tmp_path):
    assert message in _refused(tmp_path, text)


def test_every_problem_of_a_file_is_listed_at_once(tmp_path):
    error = _refused(tmp_path, "[phasing]\nfirst_year = 1990\ndistrict_trench_km_a = 0\n"
                     "phase_windows = {}\n[uptake]\nramp_years = 2.5\n")
    assert error.startswith(f"Scenario file {tmp_path / 'mine.toml'} has 4 problems:\n  - ")
    assert len(re.findall(r"^  - ", error, re.M)) == 4


# --- rules between keys -----------------------------------------------------------------------

RULES = [
    ("[phasing]\nfirst_year = 2031\n",
     "phasing.first_year (2031) ≤ phasing.end_year (2030) must hold."),
    ('[phasing]\nphase_windows = { "1" = [2027, 2024] }\n',
     "phasing.phase_windows: the window of phase 1, [2027, 2024], ends before it starts"),
    ('[phasing]\nphase_windows = { "0" = [2024, 2027] }\n',
     "phasing.phase_windows: phase '0' must be a number from 1."),
    ("[emissions]\nelectricity_kg_per_kwh = { 2026 = 0.1, 2040 = 0.05 }\n",
     "emissions.electricity_kg_per_kwh covers 2026–2040, but the plan's years run from 2024 "
     "(general.base_year / phasing.first_year) to at least 2030 (general.target_year). Give "
     "values for 2024 or earlier and for 2030 or later; beyond the last year its value is "
     "held."),
    ("[emissions]\ndistrict_heating_kg_per_kwh = { 2020 = 0.1, 2025 = 0.09 }\n",
     "emissions.district_heating_kg_per_kwh covers 2020–2025, but the plan's years run from "
     "2024"),
    ('[renovation]\ntarget_class = "H"\n',
     "renovation.target_class = 'H' is not an energy-label class; use one of A2020, A2015, "
     "A2010, B, C, D, E, F, G."),
    ('[demand.use_class]\nvalue = { "120" = "detached", "140" = "flats" }\n',
     "demand.use_class names use class(es) flats that have no demand.specific_heat table"),
]


@pytest.mark.parametrize(("text", "message"), RULES)
def test_values_that_do_not_fit_together_are_refused(text, message, tmp_path):
    error = _refused(tmp_path, text)
    assert error.startswith(f"{tmp_path / 'mine.toml'}: ")
    assert message in error


def test_a_series_that_covers_the_plan_years_is_accepted_and_used(tmp_path):
    scenario, _ = _load(tmp_path, "[emissions]\nelectricity_kg_per_kwh = "
                        "{ 2020 = 0.2, 2030 = 0.1 }\n")
    assert scenario.by_year("emissions.electricity_kg_per_kwh", [2025]).tolist() == [
        pytest.approx(0.15)]


# --- malformed files ----------------------------------------------------------------------------

def test_malformed_files_give_a_clear_error(tmp_path):
    (tmp_path / "latin1.toml").write_bytes(b"[general]\nmunicipality_code = \"\xe6\"\n")
    with pytest.raises(ScenarioError, match=r"latin1.toml is not UTF-8 text \(invalid "
                                            r"continuation byte at byte 31\)\. Save it as UTF-8"):
        load_scenario(tmp_path / "latin1.toml")
    with pytest.raises(ScenarioError, match=r"is a folder\. Give the path of a TOML file\."):
        load_scenario(tmp_path)
    with pytest.raises(ScenarioError, match=r"is not valid TOML: Invalid date or datetime "
                                            r"\(at line 2, column 18\)"):
        _load(tmp_path, "[labels]\nreference_date = 2026-02-30\n")
    with pytest.raises(ScenarioError, match="is not valid TOML: Cannot overwrite a value"):
        _load(tmp_path, "[general]\nbase_year = 2024\nbase_year = 2025\n")


def test_a_toml_date_and_a_whole_float_are_read(tmp_path):
    scenario, _ = _load(tmp_path, "[labels]\nreference_date = 2026-03-01\n"
                        "[general]\nbase_year = 2024.0\n")
    assert scenario.value("labels.reference_date") == "2026-03-01"
    assert scenario.value("general.base_year") == 2024
    assert isinstance(scenario.value("general.base_year"), int)


def test_a_bare_table_value_replaces_a_table_parameter(tmp_path):
    scenario, _ = _load(tmp_path, '[phasing]\nphase_windows = { "1" = [2024, 2026], '
                        '"2" = [2027, 2029], "3" = [2030, 2030] }\n')
    assert scenario.value("phasing.phase_windows")["3"] == [2030, 2030]


# --- the defaults declare their ranges -------------------------------------------------------

def test_every_number_in_my_default_files_has_a_range_and_meets_it():
    scenario = load_scenario()
    missing = [p.key for p in scenario
               if p.range is None and any(True for _ in numbers_in(p.value))
               and any(p.key in _keys(name) for name in MY_FILES)]
    assert missing == []
    # the loader checks each default against its range: one outside is refused
    assert scenario.parameter("phasing.district_trench_km_a").range == (0.1, 100.0)


def _keys(name: str) -> set[str]:
    from importlib.resources import files

    text = files("heatplan").joinpath("scenario", f"{name}.toml").read_text(encoding="utf-8")
    return set(re.findall(r"^\[([\w.]+)\]", text, re.M))


def test_a_default_outside_its_own_range_is_refused(tmp_path, monkeypatch):
    (tmp_path / "economics.toml").write_text(
        '[economics.discount_rate]\nvalue = 2.0\nunit = "share per year (real)"\n'
        'source = "a typo"\nrange = [0.0, 0.2]\n\n'
        '[economics.other]\nvalue = 1\nunit = "-"\nsource = "x"\nrange = [5, 1]\n\n'
        '[economics.flag]\nvalue = true\nunit = "-"\nsource = "x"\nrange = [0, 1]\n',
        encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        scenario_module._defaults(tmp_path)
    error = str(caught.value)
    assert error.startswith("heatplan/scenario/economics.toml has 3 problems:")
    assert ("economics.discount_rate = 2 is outside its range 0 to 0.2 (share per year "
            "(real))") in error
    assert "economics.other: range [5, 1] must be [min, max] with min ≤ max" in error
    assert "economics.flag: range [0, 1] must be [min, max] with min ≤ max, for a true/false" in (
        error)


def test_discount_rate_of_200_percent_is_refused_once_its_range_is_declared(tmp_path):
    declared = load_scenario().parameter("economics.discount_rate").range
    if declared is None:
        pytest.skip("economics.toml declares no range for discount_rate yet (its owner adds "
                    "ranges there); the mechanism is tested on a temporary default file above")
    error = _refused(tmp_path, "[economics]\ndiscount_rate = 2.0\n")
    assert "economics.discount_rate = 2 is outside its range" in error


# --- heatplan scenario --check -----------------------------------------------------------------

def test_scenario_check_validates_without_planning(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text("[phasing]\nfirst_year = 2025\ntrench_capacity_km_a = 20.5\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["scenario", "--check", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output == (f"{good}: valid; sets 2 parameter(s): phasing.first_year, "
                             "phasing.trench_capacity_km_a.\n")
    bad = tmp_path / "bad.toml"
    bad.write_text("[phasing]\nfirst_year = 1990\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scenario", "--check", str(bad)])
    assert result.exit_code == 1
    assert result.output == (f"Error: Scenario file {bad}: phasing.first_year = 1990 is outside "
                             "its range 2015 to 2100 (year). Give a value from 2015 to 2100.\n")


def test_scenario_prints_type_and_range():
    result = CliRunner().invoke(cli, ["scenario", "phasing.district_trench"])
    assert result.exit_code == 0, result.output
    assert ("* phasing.district_trench_km_a = 8  [km of trench per district per year; number, "
            "0.1 to 100]") in result.output
