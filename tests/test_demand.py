"""Heat demand per property: from a valid label, else from area × specific demand."""

from __future__ import annotations

import pandas as pd
import pytest

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import load_scenario
from heatplan.core.schema import BBR_USE_CODES
from heatplan.model.demand import estimate_heat_demand as estimate_from_chosen
from heatplan.model.demand import specific_heat_demand
from heatplan.model.labels import select_labels

SCENARIO = load_scenario()


def estimate_heat_demand(properties, labels, *, scenario):
    """Demand from the label select_labels chooses (the model stage's order)."""
    return estimate_from_chosen(properties, select_labels(labels, scenario=scenario),
                                scenario=scenario)


def _properties() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "property_id": ["house", "school", "school2", "hall", "old"],
            "bbr_use_code": ["120", "421", "421", "533", "131"],
            "year_built": [1968, 1968, 1968, 1975, 1910],
            "heated_area_m2": [130.0, 2000.0, 2000.0, 1500.0, 100.0],
            "heating_installation": ["2", "2", "1", "1", "2"],
            "heating_fuel": ["7", "7", "", "", "3"],
        }
    ).set_index("property_id")


LABELS = pd.DataFrame(
    {
        "label_id": ["LS", "LS2", "LH"],
        "property_id": ["school", "school2", "hall"],
        "label_class": ["E", "D", "D"],
        "valid_from": ["2019-09-01", "2021-01-15", "2013-02-01"],  # LH expired 2023-02-01
        "heated_area_m2": [2000.0, 1900.0, 1500.0],
        "calculated_heat_kwh_a": [260_000.0, 190_000.0, 210_000.0],
    }
)


def test_demand_from_label_and_from_area():
    d = estimate_heat_demand(_properties(), LABELS, scenario=SCENARIO)
    # house: 130 m² × 115 kWh/m² (Vojens detached 1963–78) = 14,950 kWh = 14.95 MWh
    assert d.loc["house", "heat_demand_mwh_a"] == pytest.approx(14.95)
    assert d.loc["house", "demand_source"] == "area"
    # peak: 14.95 MWh × 1000 / 2,800 h = 5.339 kW
    assert d.loc["house", "peak_load_kw"] == pytest.approx(14.95 * 1000 / 2800)
    # school: valid label, same area: 260,000 kWh = 260 MWh
    assert d.loc["school", "heat_demand_mwh_a"] == pytest.approx(260.0)
    assert d.loc["school", "demand_source"] == "label"
    assert (d.loc["school", "label_id"], str(d.loc["school", "label_class"])) == ("LS", "E")
    # school2: label on 1,900 m², BBR 2,000 m²: 190,000 × 2000/1900 = 200,000 kWh = 200 MWh
    assert d.loc["school2", "heat_demand_mwh_a"] == pytest.approx(200.0)
    # old terraced 1910: Vojens has no pre-1921 terraced value; 1921–62 value 141 is used
    assert d.loc["old", "heat_demand_mwh_a"] == pytest.approx(100 * 141 / 1000)
    assert d.loc["old", "label_id"] is None and pd.isna(d.loc["old", "label_is_valid"])


def test_expired_label_is_flagged_but_not_used_by_default():
    d = estimate_heat_demand(_properties(), LABELS, scenario=SCENARIO)
    # hall: label from 2013 expired 2023; demand from area: 1500 m² × 130 (idræt) = 195 MWh
    assert d.loc["hall", "demand_source"] == "area"
    assert d.loc["hall", "heat_demand_mwh_a"] == pytest.approx(195.0)
    assert d.loc["hall", "label_id"] == "LH"
    assert not d.loc["hall", "label_is_valid"]
    use = SCENARIO.with_values(demand__use_expired_labels=True)
    d2 = estimate_heat_demand(_properties(), LABELS, scenario=use)
    assert d2.loc["hall", "demand_source"] == "label"
    assert d2.loc["hall", "heat_demand_mwh_a"] == pytest.approx(210.0)


def test_inputs_are_not_mutated_and_index_is_kept():
    props = _properties()
    before = props.copy()
    d = estimate_heat_demand(props.reset_index(), None, scenario=SCENARIO)
    pd.testing.assert_frame_equal(props, before)
    assert list(d.index) == list(props.index)
    assert (d["demand_source"] == "area").all()


def test_every_bbr_use_code_has_a_specific_demand():
    codes = pd.Series(sorted(BBR_USE_CODES))
    values = specific_heat_demand(codes, pd.Series([1970] * len(codes)), scenario=SCENARIO)
    assert values.notna().all() and (values > 0).all()


def test_unknown_use_code_names_the_fix():
    props = _properties().assign(bbr_use_code=["999", "421", "421", "533", "131"])
    with pytest.raises(ScenarioError, match=r"no use class for BBR use codes \['999'\]"):
        estimate_heat_demand(props, None, scenario=SCENARIO)


def test_user_scenario_file_overrides_full_load_hours(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[demand]\nfull_load_hours = 2000\n", encoding="utf-8")
    scenario = load_scenario(path)
    d = estimate_heat_demand(_properties(), None, scenario=scenario)
    # 14.95 MWh × 1000 / 2000 h = 7.475 kW
    assert d.loc["house", "peak_load_kw"] == pytest.approx(7.475)
    assert str(path) in scenario.parameter("demand.full_load_hours").source


def test_unknown_scenario_key_is_a_clear_error(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text("[demand]\nfull_load_hour = 2000\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"demand\.full_load_hours"):
        load_scenario(path)


def test_label_consumption_in_fuel_units_becomes_delivered_heat():
    """A label row as an energy-label report states it: consumption in energy units ("m³
    Naturgas", "liter Fyringsolie", as EMO reports print them), not in delivered heat."""
    props = _properties()
    labels = pd.DataFrame({
        "label_id": ["311234567", "311234568"],
        "property_id": ["house", "old"],
        "label_class": ["D", "E"],
        "valid_from": ["2021-06-01", "2020-03-01"],
        "heated_area_m2": [130.0, 100.0],
        "heat_supply": ["Naturgas", "Fyringsolie"],
        "calculated_heat_kwh_a": [None, None],
        "fuel_consumption": [1859.0, 1500.0],
        "fuel_unit": ["m³ Naturgas", "liter Fyringsolie"],
    })
    d = estimate_heat_demand(props, labels, scenario=SCENARIO)
    # house: 1,859 m³ (HMN: 14.3 m³/m² for 1960–76 houses, domain.md §4.1) × 11.00 kWh/m³
    # (HB2016) × 0.90 boiler efficiency = 18,404 kWh = 18.40 MWh of heat
    assert d.loc["house", "heat_demand_mwh_a"] == pytest.approx(1859 * 11.0 * 0.9 / 1000)
    assert d.loc["house", "demand_source"] == "label"
    # old: 1,500 l × 10.10 kWh/l × 0.80 = 12,120 kWh
    assert d.loc["old", "heat_demand_mwh_a"] == pytest.approx(12.12)
    # a stated delivered heat wins over the fuel figure
    stated = labels.assign(calculated_heat_kwh_a=[15_000.0, None])
    d = estimate_heat_demand(props, stated, scenario=SCENARIO)
    assert d.loc["house", "heat_demand_mwh_a"] == pytest.approx(15.0)


def test_unknown_fuel_unit_names_the_labels_and_the_fix():
    from heatplan.core.errors import InputDataError

    labels = pd.DataFrame({
        "label_id": ["L9"], "property_id": ["house"], "label_class": ["D"],
        "valid_from": ["2021-06-01"], "fuel_consumption": [1200.0], "fuel_unit": ["kg træpiller"],
    })
    with pytest.raises(InputDataError, match=r"column fuel_unit: labels \['L9'\] .*'kg "
                                             r"træpiller'.*m3 or m³ \(natural gas\)"):
        select_labels(labels, scenario=SCENARIO)


# --- metered heat first, normalised to a normal year ------------------------------------------
DEGREE_DAYS = SCENARIO.with_values(
    demand__degree_days={"2020": 2500, "2023": 3300}, demand__normal_degree_days=3000,
    demand__space_heating_share=0.75,
)


def test_metered_heat_wins_over_a_label_and_over_area_normalised_by_degree_days():
    props = _properties()
    props["metered_heat_kwh_a"] = [20_000.0, 100_000.0, None, None, None]
    props["metered_year"] = pd.array([2020, 2023, None, None, None], dtype="Int64")
    d = estimate_heat_demand(props, LABELS, scenario=DEGREE_DAYS)
    # house (area estimate 14.95 MWh): 20,000 kWh in 2020 (2,500 degree days, normal 3,000):
    # 20,000 × (0.75 × 3000/2500 + 0.25) = 20,000 × 1.15 = 23,000 kWh = 23.0 MWh
    assert d.loc["house", "heat_demand_mwh_a"] == pytest.approx(23.0)
    assert (d.loc["house", "demand_source"], d.loc["house", "demand_year"]) == ("metered", 2020)
    assert d.loc["house", "peak_load_kw"] == pytest.approx(23.0 * 1000 / 2800)
    # school (valid label 260 MWh): 100,000 kWh in the cold 2023 (3,300 degree days):
    # 100,000 × (0.75 × 3000/3300 + 0.25) = 100,000 × 0.931818… = 93,181.8 kWh
    assert d.loc["school", "heat_demand_mwh_a"] == pytest.approx(93.1818, rel=1e-5)
    assert (d.loc["school", "demand_source"], d.loc["school", "demand_year"]) == ("metered",
                                                                                  2023)
    assert d.loc["school", "label_id"] == "LS"  # the label is still shown as evidence
    # school2 keeps its label (valid from 2021), old its area estimate
    assert (d.loc["school2", "demand_source"], d.loc["school2", "demand_year"]) == ("label",
                                                                                    2021)
    assert d.loc["old", "demand_source"] == "area"
    assert pd.isna(d.loc["old", "demand_year"])


def test_metered_table_replaces_the_properties_columns_and_unknown_years_are_warned(caplog):
    props = _properties()
    props["metered_heat_kwh_a"] = [20_000.0, None, None, None, None]
    props["metered_year"] = pd.array([2020, None, None, None, None], dtype="Int64")
    table = pd.DataFrame({"property_id": ["house", "hall"],
                          "metered_heat_kwh_a": [18_000.0, 150_000.0],
                          "metered_year": [2023, 2031]})
    chosen = select_labels(LABELS, scenario=DEGREE_DAYS)
    with caplog.at_level("WARNING", logger="heatplan.model.demand"):
        d = estimate_from_chosen(props, chosen, scenario=DEGREE_DAYS, metered=table)
    # house: the table's 18,000 kWh of 2023 replaces the layer's 2020 reading:
    # 18,000 × (0.75 × 3000/3300 + 0.25) = 16,772.7 kWh
    assert d.loc["house", "heat_demand_mwh_a"] == pytest.approx(16.7727, rel=1e-5)
    assert d.loc["house", "demand_year"] == 2023
    # hall: 2031 has no degree days: used as metered (150 MWh), and a warning says so
    assert d.loc["hall", "heat_demand_mwh_a"] == pytest.approx(150.0)
    assert d.loc["hall", "demand_source"] == "metered"
    assert ("Metered heat of 1 properties is from years without degree days in "
            "demand.degree_days (2031)") in caplog.text


def test_the_default_degree_days_are_sourced_or_marked_as_assumptions():
    for key in ("demand.degree_days", "demand.normal_degree_days",
                "demand.space_heating_share"):
        param = SCENARIO.parameter(key)
        assert param.source and param.range is not None
    # the default series: 2014 was mild (2,724) against the normal year's 3,030
    assert SCENARIO.value("demand.degree_days")["2014"] == 2724
    assert SCENARIO.value("demand.normal_degree_days") == 3030
