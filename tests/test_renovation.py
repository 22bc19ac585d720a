"""Renovation ranking of municipal buildings, checked against hand-computed figures.

Common figures (``SCENARIO``: the default with a constant gas factor and no heat-pump switch
within the horizon, so the hand sums stay short): savings count 2026–2045 (20 years); natural
gas 0.204 / 0.90 = 0.226667 t CO2 per MWh of heat; oil 0.266 / 0.80 = 0.3325; district heating
per BR18 Tabel 8, interpolated: 2026 0.0845, 2027 0.0812, 2028 0.0779, 2029 0.0746, 2030 0.0713,
2031–35 0.0708, 0.0703, 0.0698, 0.0693, 0.0688, 2036–40 0.06864, 0.06848, 0.06832, 0.06816,
0.0680, 2041–45 0.0680 each. Energy saved is priced at ``renovation.heat_price_dkk_per_kwh``
(gas 1.0, DH 0.8, heat pump 0.8 DKK/kWh) and discounted at 3.5 %: 20 years of 1 DKK are worth
Σ 1.035^−t (t = 0 … 19) = 14.7098 DKK.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from heatplan.core.errors import StageContractError
from heatplan.core.scenario import load_scenario
from heatplan.model.stage import emission_factor_tables, model_properties
from heatplan.plan.renovation import rank_renovations as rank_modelled

SCENARIO = load_scenario().with_values(emissions__natural_gas_kg_per_kwh=0.204,
                                       uptake__remaining_to_heat_pump_year=2100)
DEFAULT = load_scenario()
GAS = 0.204 / 0.9
ANNUITY_20 = sum(1.035**-t for t in range(20))  # 14.7098
DH_2027_2045 = (
    0.0812 + 0.0779 + 0.0746 + 0.0713
    + 0.0708 + 0.0703 + 0.0698 + 0.0693 + 0.0688
    + 0.06864 + 0.06848 + 0.06832 + 0.06816 + 0.0680
    + 5 * 0.0680
)  # = 1.3356
DH_2026_2045 = 0.0845 + DH_2027_2045  # = 1.4201


def rank_renovations(properties: pd.DataFrame, labels: pd.DataFrame | None,
                     proposals: pd.DataFrame | None, *, scenario, **options) -> pd.DataFrame:
    """The model stage, then the ranking: the pipeline's order."""
    if "property_id" in properties.columns:
        properties = properties.set_index("property_id")
    modelled, chosen = model_properties(properties, labels, scenario=scenario,
                                        factors=emission_factor_tables(scenario)[False])
    return rank_modelled(modelled, chosen, proposals, scenario=scenario, **options)


def test_the_ranking_needs_the_model_stage_columns():
    with pytest.raises(StageContractError, match=r"heat_demand_mwh_a.*model stage"):
        rank_modelled(_properties().set_index("property_id"), LABELS.set_index("property_id"),
                      PROPOSALS, scenario=SCENARIO)


def _properties() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "property_id": ["school", "kindergarten", "hall", "private"],
            "address": ["Skolevej 1", "Børnehavevej 2", "Hallvej 3", "Villavej 4"],
            "postcode": ["2750 Ballerup"] * 4,
            "bbr_use_code": ["421", "441", "533", "120"],
            "year_built": [1968, 1970, 1972, 1965],
            "heated_area_m2": [2000.0, 800.0, 1500.0, 140.0],
            "heating_installation": ["2", "2", "1", "2"],
            "heating_fuel": ["7", "7", "", "7"],
            "owner_type": ["50", "50", "50", "10"],
        }
    )


LABELS = pd.DataFrame(
    {
        "label_id": ["LS", "LH", "LP"],
        "property_id": ["school", "hall", "private"],
        "label_class": ["E", "D", "F"],
        "valid_from": ["2019-09-01", "2013-02-01", "2020-01-01"],  # LH expired 2023-02-01
        "valid_to": [None, None, None],
        "heated_area_m2": [2000.0, 1500.0, 140.0],
        "heat_supply": ["naturgas", "fjernvarme", "naturgas"],
        "calculated_heat_kwh_a": [260_000.0, 210_000.0, 30_000.0],
    }
)

PROPOSALS = pd.DataFrame(
    {
        "label_id": ["LS", "LS", "LS", "LH", "LP"],
        "proposal_id": ["1", "2", "3", "1", "1"],
        "description": ["Efterisolering af loft", "Nye vinduer", "Isolering af varmerør",
                        "Ventilation med varmegenvinding", "Hulmursisolering"],
        "investment_dkk": [400_000.0, 1_200_000.0, 50_000.0, 300_000.0, 30_000.0],
        "saving_dkk_a": [30_000.0, 22_000.0, 7_500.0, 20_000.0, 4_000.0],
        "heat_saved_kwh_a": [40_000.0, 30_000.0, 10_000.0, 25_000.0, 4_000.0],
        "lifetime_a": [30.0, 30.0, 20.0, 20.0, 40.0],
        "is_profitable": [True, False, True, True, True],
    }
)


def test_gas_school_with_label_e_and_three_proposals():
    r = rank_renovations(_properties(), LABELS, PROPOSALS, scenario=SCENARIO)
    assert "private" not in r.index  # only owner type 50
    s = r.loc["school"]
    # profitable: loft 40,000 + pipes 10,000 kWh = 50 MWh/a; 400,000 + 50,000 = 450,000 DKK
    assert s["saving_basis"] == "proposals" and s["n_proposals"] == 2
    assert s["heat_saved_mwh_a"] == pytest.approx(50.0)
    assert s["investment_dkk"] == pytest.approx(450_000.0)
    # CO2: 50 × 0.226667 × 20 years = 226.667 t; in 2030: 50 × 0.226667 = 11.333 t
    assert s["co2_saved_t_horizon"] == pytest.approx(50 * GAS * 20)
    assert s["co2_saved_t_target"] == pytest.approx(50 * GAS)
    # 450,000 / 226.667 = 1,985.3 DKK/t; payback 450,000 / (30,000 + 7,500) = 12.0 years
    assert s["cost_per_t_dkk"] == pytest.approx(450_000 / (50 * GAS * 20))
    assert s["payback_years"] == pytest.approx(12.0)
    # net present cost: 450,000 − 50 MWh × 1,000 × 1.0 DKK/kWh × 14.7098 = −285,490 DKK,
    # −1,259.5 DKK per tonne: the renovation pays for itself
    assert s["net_present_cost_dkk"] == pytest.approx(450_000 - 50_000 * ANNUITY_20, abs=1)
    assert s["net_cost_per_t_dkk"] == pytest.approx(
        (450_000 - 50_000 * ANNUITY_20) / (50 * GAS * 20), abs=0.01)
    assert not s["renew_label_first"]
    # the kindergarten's class step is cheaper per tonne (see below): the school is second
    assert s["rank"] == 2
    assert s["explanation"].startswith("227 t CO2 sparet 2026–2045 (11 t i 2030)")
    assert "nettonutidsomkostning -1.260 kr./t" in s["explanation"]
    assert "2 rentable forslag på energimærke E" in s["explanation"]

    # all proposals: 80 MWh/a, 1,650,000 DKK → 80 × 0.226667 × 20 = 362.667 t
    a = rank_renovations(_properties(), LABELS, PROPOSALS, scenario=SCENARIO,
                         proposal_set="all").loc["school"]
    assert a["heat_saved_mwh_a"] == pytest.approx(80.0)
    assert a["co2_saved_t_horizon"] == pytest.approx(80 * GAS * 20)
    assert a["investment_dkk"] == pytest.approx(1_650_000.0)


def test_school_connected_to_district_heating_in_2027():
    r = rank_renovations(_properties(), LABELS, PROPOSALS, scenario=SCENARIO,
                         dh_from_year=pd.Series({"school": 2027}))
    s = r.loc["school"]
    # 2026 gas: 50 × 0.226667 = 11.333 t; 2027–2045 DH: 50 × 1.3356 = 66.78 t; total 78.113 t
    assert s["co2_saved_t_horizon"] == pytest.approx(50 * GAS + 50 * DH_2027_2045)
    assert s["co2_saved_t_horizon"] == pytest.approx(78.113, abs=0.01)
    # 2030 on DH: 50 × 0.0713 = 3.565 t (was 11.333 t on gas)
    assert s["co2_saved_t_target"] == pytest.approx(3.565)
    assert s["dh_from_year"] == 2027
    assert "fjernvarme fra 2027" in s["explanation"]


def test_building_without_a_label_takes_the_class_step():
    r = rank_renovations(_properties(), LABELS, PROPOSALS, scenario=SCENARIO)
    k = r.loc["kindergarten"]
    # demand from area: 800 m² × 93 kWh/m² (public) = 74.4 MWh/a
    # no label → assumed D; non-residential band of D at 800 m²:
    #   C limit 135 + 3200/800 = 139.0, D limit 175 + 4200/800 = 180.25 → middle 159.625
    # target C: share saved 1 − 139 / 159.625 = 0.129209 → 74.4 × 0.129209 = 9.6131 MWh/a
    share = 1 - 139.0 / 159.625
    assert k["saving_basis"] == "class_step" and k["assumed_class"] == "D"
    assert k["heat_saved_mwh_a"] == pytest.approx(74.4 * share)
    assert k["co2_saved_t_horizon"] == pytest.approx(74.4 * share * GAS * 20)
    # investment: median DKK per kWh/a of the profitable proposals in the data:
    #   10 (loft), 5 (pipes), 12 (ventilation), 7.5 (cavity wall) → median 8.75
    assert k["investment_dkk"] == pytest.approx(74.4 * share * 1000 * 8.75)
    # payback from the assumed gas price 1.0 DKK/kWh: 8.75 years
    assert k["payback_years"] == pytest.approx(8.75)
    # net present cost per tonne: (8.75 − 14.7098) DKK per kWh/a ÷ (0.226667 × 20 t per MWh/a)
    #   = −1,314.7 DKK/t, below the school's −1,259.5: first
    assert k["net_cost_per_t_dkk"] == pytest.approx((8.75 - ANNUITY_20) * 1000 / (GAS * 20),
                                                    abs=0.01)
    assert k["rank"] == 1
    assert "intet energimærke" in k["explanation"]


def test_expired_label_is_flagged_renew_first():
    r = rank_renovations(_properties(), LABELS, PROPOSALS, scenario=SCENARIO)
    h = r.loc["hall"]
    # label from 2013-02-01, 12.9 years old at 2026-01-01 > 10 years
    assert h["renew_label_first"] and not h["label_is_valid"]
    assert h["label_age_years"] == pytest.approx(4717 / 365.25)
    # its proposal is still used: 25 MWh/a on district heating: 25 × 1.4201 = 35.5 t
    assert h["co2_saved_t_horizon"] == pytest.approx(25 * DH_2026_2045)
    assert h["explanation"].startswith("Forny energimærket først: ")
    en = rank_renovations(_properties(), LABELS, PROPOSALS, scenario=SCENARIO, lang="en")
    assert en.loc["hall", "explanation"].startswith("Renew the label first: ")


def test_carbon_capture_changes_the_ranking_only_where_dh_is_involved():
    # a DH building with a large saving vs a gas and an oil building
    props = pd.DataFrame(
        {
            "property_id": ["dh", "gas", "oil"],
            "bbr_use_code": ["421", "421", "421"],
            "year_built": [1968] * 3,
            "heated_area_m2": [4000.0, 1000.0, 500.0],
            "heating_installation": ["1", "2", "2"],
            "heating_fuel": ["", "7", "3"],
            "owner_type": ["50"] * 3,
        }
    )
    labels = pd.DataFrame(
        {"label_id": ["A", "B", "C"], "property_id": ["dh", "gas", "oil"],
         "label_class": ["E"] * 3, "valid_from": ["2020-01-01"] * 3}
    )
    proposals = pd.DataFrame(
        {"label_id": ["A", "B", "C"], "proposal_id": ["1"] * 3, "description": ["x"] * 3,
         "investment_dkk": [1e6] * 3, "heat_saved_kwh_a": [300_000.0, 60_000.0, 30_000.0],
         "is_profitable": [True] * 3}
    )
    plain = rank_renovations(props, labels, proposals, scenario=SCENARIO)
    ccs = rank_renovations(props, labels, proposals,
                           scenario=SCENARIO.with_values(emissions__ccs_enabled=True))
    # without CCS: dh 300 × 1.4201 = 426.0 t > gas 60 × 0.226667 × 20 = 272.0 t
    #   > oil 30 × 0.3325 × 20 = 199.5 t. Net present cost per tonne (1 M DKK each):
    #   dh (1e6 − 300,000 × 0.8 × 14.7098) / 426.0 = −5,940; gas (1e6 − 60,000 × 14.7098) /
    #   272.0 = 432; oil (1e6 − 30,000 × 1.4 × 14.7098) / 199.5 = 1,915
    assert list(plain.index) == ["dh", "gas", "oil"]
    assert plain.loc["dh", "net_cost_per_t_dkk"] == pytest.approx(
        (1e6 - 300_000 * 0.8 * ANNUITY_20) / (300 * DH_2026_2045), abs=0.5)
    # with CCS from 2029: DH 2029–45 × 0.15 → 300 × (0.0845 + 0.0812 + 0.0779
    #   + 0.15 × (1.4201 − 0.2436)) = 300 × 0.41998 = 126.0 t
    assert ccs.loc["dh", "co2_saved_t_horizon"] == pytest.approx(
        300 * (0.0845 + 0.0812 + 0.0779 + 0.15 * (DH_2026_2045 - 0.2436)))
    # it still pays for itself (a negative net cost) over fewer tonnes: −20,079 DKK/t, first
    assert ccs.loc["dh", "net_cost_per_t_dkk"] == pytest.approx(
        (1e6 - 300_000 * 0.8 * ANNUITY_20) / ccs.loc["dh", "co2_saved_t_horizon"])
    assert list(ccs.index) == ["dh", "gas", "oil"]
    # gas and oil tonnes are untouched
    for pid in ("gas", "oil"):
        assert ccs.loc[pid, "co2_saved_t_horizon"] == plain.loc[pid, "co2_saved_t_horizon"]
    assert "CO2-fangst fra 2029" in ccs.loc["dh", "explanation"]


def test_ties_are_broken_by_cost_then_id():
    props = pd.DataFrame(
        {
            "property_id": ["b", "a", "c"], "bbr_use_code": ["421"] * 3,
            "year_built": [1968] * 3, "heated_area_m2": [1000.0] * 3,
            "heating_installation": ["2"] * 3, "heating_fuel": ["7"] * 3,
            "owner_type": ["50"] * 3,
        }
    )
    labels = pd.DataFrame({"label_id": ["Lb", "La", "Lc"], "property_id": ["b", "a", "c"],
                           "label_class": ["E"] * 3, "valid_from": ["2020-01-01"] * 3})
    proposals = pd.DataFrame(
        {"label_id": ["Lb", "La", "Lc"], "proposal_id": ["1"] * 3, "description": ["x"] * 3,
         "investment_dkk": [100.0, 100.0, 50.0], "heat_saved_kwh_a": [10_000.0] * 3,
         "is_profitable": [True] * 3}
    )
    r = rank_renovations(props, labels, proposals, scenario=SCENARIO)
    # equal tonnes; c is cheapest per tonne; a before b by id
    assert list(r.index) == ["c", "a", "b"] and list(r["rank"]) == [1, 2, 3]
    # with the same net cost per tonne, more tonnes come first
    more = proposals.assign(heat_saved_kwh_a=[10_000.0, 20_000.0, 10_000.0],
                            investment_dkk=[100.0, 200.0, 100.0])
    r = rank_renovations(props, labels, more, scenario=SCENARIO)
    assert r.loc["a", "net_cost_per_t_dkk"] == pytest.approx(r.loc["b", "net_cost_per_t_dkk"])
    assert list(r.index) == ["a", "b", "c"]


def test_inputs_are_not_mutated():
    props, labels, proposals = _properties(), LABELS.copy(), PROPOSALS.copy()
    rank_renovations(props, labels, proposals, scenario=SCENARIO)
    pd.testing.assert_frame_equal(props, _properties())
    pd.testing.assert_frame_equal(labels, LABELS)
    pd.testing.assert_frame_equal(proposals, PROPOSALS)


SAMPLE = Path(__file__).resolve().parents[1] / "gis_data" / "sample.gpkg"


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.exists(), reason="the bundled sample gis_data/sample.gpkg is absent")
def test_bundled_sample_ranking_and_co2_of_the_properties_to_convert():
    from heatplan.model.emissions import property_emissions
    from heatplan.model.stage import model_dataset
    from heatplan.validate import load_dataset

    ds = load_dataset(SAMPLE.parents[1], scenario=SCENARIO).dataset
    ranking = rank_renovations(ds.properties, ds.labels, ds.proposals, scenario=SCENARIO)
    owners = ds.properties["owner_type"].astype(str)
    # every municipal building is ranked once, ranks 1..n
    assert len(ranking) == int((owners == "50").sum()) > 100
    assert list(ranking["rank"]) == list(range(1, len(ranking) + 1))
    assert ranking["net_cost_per_t_dkk"].dropna().is_monotonic_increasing
    # the client's figure: about 60 % of the municipal buildings at label D or worse
    labelled = ranking["label_class"].notna()
    poor = ranking.loc[labelled, "label_class"].astype(str).isin(["D", "E", "F", "G"]).mean()
    assert 0.5 <= poor <= 0.7
    assert ranking["explanation"].str.len().gt(40).all()

    # properties to convert: ≈ 7,300 × ~18 MWh × ~0.23 t/MWh ≈ 30 kt CO2 in the base year
    # (at the default scenario's declining gas factor: 0.207 / 0.9 in 2024)
    props = model_dataset(ds, scenario=SCENARIO).properties
    convert = props["is_to_convert"]
    co2 = property_emissions(props[convert], scenario=DEFAULT, years=[2024])[2024].sum()
    assert 7_300 <= int(convert.sum()) <= 8_000
    assert 20_000 <= co2 <= 45_000


def test_co2_by_year_sums_to_the_horizon_total():
    from heatplan.plan.renovation import renovation_co2_by_year

    r = rank_renovations(_properties(), LABELS, PROPOSALS, scenario=SCENARIO,
                         dh_from_year=pd.Series({"school": 2027}))
    by_year = renovation_co2_by_year(r, scenario=SCENARIO)
    assert list(by_year.columns) == list(range(2026, 2046))
    pd.testing.assert_series_equal(by_year.sum(axis=1), r["co2_saved_t_horizon"],
                                   check_names=False)
    # school: 2026 on gas 50 × 0.226667 = 11.333 t; 2027 on DH 50 × 0.0812 = 4.06 t
    assert by_year.loc["school", 2026] == pytest.approx(50 * GAS)
    assert by_year.loc["school", 2027] == pytest.approx(4.06)


def test_proposals_that_save_no_heat_leave_the_saving_to_the_class_step():
    # the school's only proposal is new lighting: it saves electricity, no heat
    light = pd.DataFrame({
        "label_id": ["LS"], "proposal_id": ["1"], "description": ["LED-belysning"],
        "investment_dkk": [200_000.0], "saving_dkk_a": [40_000.0], "heat_saved_kwh_a": [0.0],
        "lifetime_a": [15.0], "is_profitable": [True],
    })
    r = rank_renovations(_properties(), LABELS, light, scenario=SCENARIO)
    school = r.loc["school"]
    assert school["saving_basis"] == "class_step"
    assert school["heat_saved_mwh_a"] > 0  # label E → C saves heat


def test_a_label_past_its_valid_to_date_is_to_be_renewed():
    labels = LABELS.copy()
    labels.loc[labels["label_id"] == "LS", "valid_to"] = "2022-01-01"  # from 2019: 6 years old
    r = rank_renovations(_properties(), labels, PROPOSALS, scenario=SCENARIO)
    assert not r.loc["school", "label_is_valid"]
    assert r.loc["school", "renew_label_first"]


def test_a_gas_building_without_district_heating_moves_to_a_heat_pump():
    # the default scenario: the trajectory's heat pumps arrive by 2035, half of them by 2029
    r = rank_renovations(_properties(), LABELS, PROPOSALS, scenario=DEFAULT)
    s = r.loc["school"]
    assert s["hp_from_year"] == 2029 and pd.isna(s["dh_from_year"])
    assert s["heat_pump_system"] == "large_radiators"  # 260 MWh / 2,800 h = 93 kW
    from heatplan.model.heat_pump import heat_pump_factors

    years = list(range(2026, 2046))
    gas = [(0.189 - 0.084 * k / 5) / 0.9 for k in (1, 2, 3)]  # BR18 gas 2026–2028, ÷ 0.90
    hp = heat_pump_factors(pd.Series(["large_radiators"]), years[3:], scenario=DEFAULT)
    assert s["co2_saved_t_horizon"] == pytest.approx(50 * (sum(gas) + hp.to_numpy().sum()))
    # energy saved at gas 1.0 DKK/kWh 2026–2028, then heat pump 0.8 DKK/kWh
    d = [1.035 ** -t for t in range(20)]
    saved = 50_000 * (sum(d[:3]) + 0.8 * sum(d[3:]))
    assert s["net_present_cost_dkk"] == pytest.approx(450_000 - saved, abs=1)
    assert "varmepumpe fra 2029 (forventet skift)" in s["explanation"]
    # district heating wins where the building is offered it
    r = rank_renovations(_properties(), LABELS, PROPOSALS, scenario=DEFAULT,
                         dh_from_year=pd.Series({"school": 2027}))
    assert r.loc["school", "dh_from_year"] == 2027 and pd.isna(r.loc["school", "hp_from_year"])


def test_only_the_heat_part_of_a_non_residential_label_counts():
    # the school's label E with its calculated heat, no proposals: the class step to C.
    # Heat 260,000 kWh × 1/0.90 (gas) / 2,000 m² = 144.44 kWh/m² of primary energy for heat;
    # a non-residential label's whole primary energy is heat ÷ 0.7 = 206.35 kWh/m², inside
    # E's band (D limit 177.1, E limit 217.6 at 2,000 m²); step to C (136.6): 1 − 136.6/206.35
    r = rank_renovations(_properties(), LABELS, None, scenario=SCENARIO)
    e_total = 260_000 / 0.9 / 2000 / 0.7
    c_limit = 135 + 3200 / 2000
    assert r.loc["school", "heat_saved_mwh_a"] == pytest.approx(260 * (1 - c_limit / e_total))
    # counted as if all of the label were heat, the same label would sit at E's lower bound
    all_heat = SCENARIO.with_values(buildings__non_residential_heat_share=1.0)
    r1 = rank_renovations(_properties(), LABELS, None, scenario=all_heat)
    d_limit = 175 + 4200 / 2000
    assert r1.loc["school", "heat_saved_mwh_a"] == pytest.approx(260 * (1 - c_limit / d_limit))
