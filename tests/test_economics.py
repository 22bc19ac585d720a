"""District economics: every formula by hand, one district end to end, sunk costs, heat loss,
the recommendation, sensitivity, the household's bill and the utility's budget."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from toy_town import make_toy_town

from heatplan.core.errors import SchemaError
from heatplan.core.scenario import load_scenario
from heatplan.plan.economics import (
    annuity_factor,
    district_economics,
    district_works,
    recommend_districts,
)
from heatplan.plan.economics.present_value import asset_flows, discount_factors, present_value
from heatplan.plan.network.heat_loss import (
    loss_table,
    single_pair_resistance,
    twin_pipe_resistance,
)

BASE = 2024
N = 3


def factors_table(gas=0.2267, dh=0.1, heat_pump=0.05):
    """t CO2 per MWh delivered heat, one column (2024)."""
    rows = {"natural_gas": gas, "oil": 0.3325, "district_heating": dh, "heat_pump": heat_pump,
            "electric": 0.15, "solid_fuel": 0.0, "other": 0.0, "none": 0.0}
    return pd.DataFrame({BASE: rows}).rename_axis("heating_type")


# --- the formulas ---------------------------------------------------------------------------

def test_annuity_by_hand():
    # 3.5 % over 15 years: 0.035 / (1 − 1.035^−15) = 0.035 / (1 − 0.596891) = 0.086825
    assert annuity_factor(0.035, 15) == pytest.approx(0.086825, abs=1e-6)
    assert annuity_factor(0.0, 20) == pytest.approx(0.05)


def test_present_value_steps_the_rate_after_year_35():
    d = discount_factors(37, 0.035, [0.025], [35])
    # 1.035^35 = 3.333585: D(35) = 0.299977; then 2.5 %: D(36) = D(35)/1.025, D(37) = /1.025²
    assert d[35] == pytest.approx(1 / 1.035**35)
    assert d[35] == pytest.approx(0.299977, abs=1e-6)
    assert d[36] == pytest.approx(0.299977 / 1.025, abs=1e-6)
    assert d[37] == pytest.approx(0.299977 / 1.025**2, abs=1e-6)
    # the default scenario's three steps: 3.5 % to 35, 2.5 % to 70, 1.5 % after
    from heatplan.plan.economics.present_value import scenario_discount_factors

    d = scenario_discount_factors(load_scenario(), 71)
    assert d[71] / d[70] == pytest.approx(1 / 1.015)
    assert d[70] / d[69] == pytest.approx(1 / 1.025)


def test_scrap_value_and_reinvestment_by_hand():
    # a 100 DKK main (40 years) bought in year 0, study period 20 years: half is left
    flows, scrap = asset_flows(np.array([[1.0] + [0.0] * 19]), np.full(20, 100.0), 40)
    assert flows[0, 0] == 100 and flows[0, 1:].sum() == 0
    assert scrap[0] == pytest.approx(50.0)
    d = discount_factors(20, 0.035)
    # PV = 100 − 50 / 1.035^20 = 100 − 50 / 1.989789 = 100 − 25.1283 = 74.8717
    assert present_value(flows, d, scrap)[0] == pytest.approx(74.8717, abs=1e-4)
    # a heat pump (18 years) bought in year 0 and again in 18; in year 20, 16 of 18 years left
    flows, scrap = asset_flows(np.array([[1.0] + [0.0] * 19]), np.full(20, 90.0), 18)
    assert np.flatnonzero(flows[0]).tolist() == [0, 18]
    assert scrap[0] == pytest.approx(90.0 * 16 / 18)


def test_loss_per_metre_by_hand():
    # DN40 twin pipe, series 2: steel 48.3 mm, casing 180 mm, 20 mm between the pipes,
    # 0.6 m cover → casing centre 0.69 m deep; PUR 0.028, soil 1.5 W/(m·K)
    ro, rc, e, h, li, lg = 0.02415, 0.09, (0.020 + 0.0483) / 2, 0.69, 0.028, 1.5
    s = (li - lg) / (li + lg)
    c4 = rc**4 - e**4
    inv = (2 * li / lg * np.log(2 * h / rc) + np.log(rc**2 / (2 * e * ro))
           + s * np.log(rc**4 / c4)
           - (ro / (2 * e) - s * 2 * ro * e**3 / c4) ** 2
           / (1 + (ro / (2 * e)) ** 2 + s * (2 * ro * rc**2 * e / c4) ** 2))
    r = inv / (2 * np.pi * li)
    assert twin_pipe_resistance(0.0483, 0.18, 0.020, 0.69, 0.028, 1.5) == pytest.approx(r)
    assert r == pytest.approx(8.743, abs=1e-3)
    # at 70/40 °C and 8 °C ground: (70 + 40 − 16) / 8.743 = 10.75 W per trench metre
    table = loss_table(load_scenario())
    assert table.loc[40, "loss_w_per_m"] == pytest.approx(94 / r)
    assert table.loc[40, "loss_w_per_m"] == pytest.approx(10.75, abs=0.01)
    # two single pipes (DN300, series 2: 323.9 mm in 500 mm casings, 150 mm apart, 0.85 m):
    # ln(4·0.85/0.5)/(2π·1.5) + ln(0.5/0.3239)/(2π·0.028) + ln(1 + (1.7/0.65)²)/(4π·1.5)
    single = (np.log(4 * 0.85 / 0.5) / (2 * np.pi * 1.5)
              + np.log(0.5 / 0.3239) / (2 * np.pi * 0.028)
              + np.log(1 + (2 * 0.85 / 0.65) ** 2) / (4 * np.pi * 1.5))
    assert single_pair_resistance(0.3239, 0.5, 0.65, 0.85, 0.028, 1.5) == pytest.approx(single)
    assert table.loc[300, "loss_w_per_m"] == pytest.approx(94 / single)
    # better insulation loses less
    standard = loss_table(load_scenario().with_values(pipes__insulation_series=1))
    assert (standard["loss_w_per_m"] > table["loss_w_per_m"]).loc[20:200].all()


# --- one district by hand -------------------------------------------------------------------

def hand_scenario():
    """Constant prices, everything connected in year 0, a 3-year study period, 1 EUR = 7.5 DKK."""
    flat = {2015: 1.0, 2050: 1.0}

    def const(v):
        return {y: v * f for y, f in flat.items()}

    return load_scenario().with_values(
        economics__study_period_years=N, economics__price_year=2015, economics__eur_dkk=7.5,
        uptake__first_year_share=1.0, uptake__final_share=1.0,
        economics__heat_production_cost_dkk_per_mwh=200.0,
        economics__electricity_price_eur_per_mwh=const(80.0),
        economics__co2_price_dkk_per_t=const(500.0),
        emissions__electricity_kg_per_kwh=const(0.1),
        emissions__district_heating_kg_per_kwh=const(0.05),
        economics__heat_pump_investment_keur=const(10.0),
        economics__heat_pump_om_eur_a=const(300.0),
        emissions__heat_pump_scop__house_radiators=const(3.0),
        economics__substation_investment_keur=const(2.0),
        economics__substation_om_eur_a=const(50.0),
        pipes__simultaneity_a=1.0, pipes__simultaneity_b=0.0,
    )


def hand_town(n: int = 10, demand: float = 15.0, metres: float = 500.0, district: str = "A"):
    """``n`` gas houses of ``demand`` MWh/a on one DN40 main of ``metres``, 10 m service pipes."""
    ids = [f"{district}{i}" for i in range(n)]
    props = pd.DataFrame({
        "district_id": district, "is_to_convert": True, "heating_type": "natural_gas",
        "heat_demand_mwh_a": demand, "heated_area_m2": 130.0,
        "peak_load_kw": demand * 1000 / 2800, "heat_pump_system": "house_radiators",
        "bbr_use_code": "120", "connection_status": ""}, index=pd.Index(ids, name="property_id"))
    trenches = pd.DataFrame({"length_m": [metres], "dn": [40], "district_id": [district],
                             "is_feeder": [False]},
                            index=pd.Index([f"{district}-main"], name="segment_id"))
    service = pd.DataFrame({"length_m": 10.0}, index=props.index)
    return props, trenches, service


def one_district(scenario, **kw):
    props, trenches, service = hand_town(**kw)
    districts = pd.DataFrame({"name": ["A"], "status": ["candidate_dh"]},
                             index=pd.Index(["A"], name="district_id"))
    return district_economics(props, districts, trenches, service, None, scenario=scenario,
                              factors=factors_table(), base_year=BASE, sensitivity=False)


def test_one_district_end_to_end_by_hand():
    s = hand_scenario()
    econ = one_district(s).loc["A"]
    d = np.array([1.0, 1 / 1.035, 1 / 1.035**2, 1 / 1.035**3])  # D(0) … D(3)
    naf = 1.28
    # investments (7.5 DKK per catalogue EUR): DN40 carries 161 kW → band 100–250 kW, 369.5 EUR/m
    mains = 500 * 369.5 * 7.5  # 1,385,625 DKK, 40 years: 37/40 left after 3 years
    station = 10 * 15 / 2.8 / 1000 * 265_000 * 7.5  # 53.6 kW < 1 MW: 265,000 EUR/MW
    lines = 10 * 3785 * 7.5  # 0–20 kW band, 50 years
    subs = 10 * 2000 * 7.5  # 25 years
    pv_invest = (mains * (1 - 37 / 40 * d[3]) + station * (1 - 37 / 40 * d[3])
                 + lines * (1 - 47 / 50 * d[3]) + subs * (1 - 22 / 25 * d[3]))
    # heat: 150 MWh sold; lost: 500 m DN40 + 10 × 10 m DN20 (a 5.4 kW house) all year
    w = loss_table(s)["loss_w_per_m"]
    loss = (500 * w[40] + 100 * w[20]) * 8760 / 1e6
    produced = (150 + loss) / 0.95  # 5 % station loss
    el = 80 * 7.5  # 600 DKK/MWh
    yearly_dh = (produced * 200 + 0.02 * produced * el + 150 * 1.5 * 7.5 + 10 * 50 * 7.5
                 + (produced * 0.05 + 0.02 * produced * 0.1) * 500)
    npv_dh = naf * (pv_invest + yearly_dh * d[:3].sum())
    assert econ["npv_dh_mdkk"] * 1e6 == pytest.approx(npv_dh)
    # heat pumps: 10 × 75,000 DKK (18 years: 15/18 left), 50 MWh electricity, O&M, CO2
    yearly_hp = 50 * el + 10 * 300 * 7.5 + 50 * 0.1 * 500
    npv_hp = naf * (10 * 75_000 * (1 - 15 / 18 * d[3]) + yearly_hp * d[:3].sum())
    assert econ["npv_hp_mdkk"] * 1e6 == pytest.approx(npv_hp)
    assert econ["npv_difference_mdkk"] == pytest.approx((npv_dh - npv_hp) / 1e6)
    # the parts add up to the difference; the loss part is the lost heat's production cost
    parts = econ[[f"pv_difference_{p}_mdkk" for p in
                  ("investment", "energy", "loss", "om", "co2")]].sum()
    assert parts == pytest.approx(econ["npv_difference_mdkk"])
    assert econ["pv_difference_loss_mdkk"] * 1e6 == pytest.approx(
        naf * loss / 0.95 * 200 * d[:3].sum())
    # CO2 per year and the loss share
    assert econ["co2_dh_t_a"] == pytest.approx(produced * 0.05 + 0.02 * produced * 0.1)
    assert econ["co2_hp_t_a"] == pytest.approx(5.0)
    assert econ["heat_loss_mwh_a"] == pytest.approx(loss)
    assert econ["heat_loss_share"] == pytest.approx(loss / (150 + loss))
    assert econ["heat_produced_mwh_a"] == pytest.approx(produced)
    # the net tax factor multiplies every present value
    plain = one_district(s.with_values(economics__net_tax_factor=1.0)).loc["A"]
    assert econ["npv_dh_mdkk"] / plain["npv_dh_mdkk"] == pytest.approx(1.28)
    assert econ["npv_hp_mdkk"] / plain["npv_hp_mdkk"] == pytest.approx(1.28)


def test_mains_built_before_the_plan_are_sunk():
    s = hand_scenario()
    props, trenches, service = hand_town()
    props.loc["A0", "connection_status"] = "connected"
    districts = pd.DataFrame({"name": ["A"], "status": ["candidate_dh"]},
                             index=pd.Index(["A"], name="district_id"))
    args = (props, districts, trenches, service, None)
    kw = {"scenario": s, "factors": factors_table(), "base_year": BASE, "sensitivity": False}
    fresh = district_economics(*args, **kw).loc["A"]
    built = district_economics(*args, done={"A"}, **kw).loc["A"]
    mains = 500 * 369.5 * 7.5
    station = 10 * 15 / 2.8 / 1000 * 265_000 * 7.5  # the built district has its station
    assert built["mains_cost_dkk"] == 0 and built["station_cost_dkk"] == 0
    assert built["sunk_cost_dkk"] == pytest.approx(mains + station)
    assert fresh["sunk_cost_dkk"] == 0
    # the comparison drops their present value: cost less scrap value after 3 years
    d3 = 1 / 1.035**3
    assert (fresh["npv_dh_mdkk"] - built["npv_dh_mdkk"]) * 1e6 == pytest.approx(
        1.28 * (mains + station) * (1 - 37 / 40 * d3))
    # the connected house's service line and substation are spent too (in both runs)
    assert fresh["service_cost_dkk"] == pytest.approx(9 * 3785 * 7.5)
    # its heat loss still counts: the pipes stay warm
    assert built["heat_loss_mwh_a"] == pytest.approx(fresh["heat_loss_mwh_a"])


def test_a_thinner_district_loses_a_larger_share():
    s = hand_scenario()
    dense = one_district(s, demand=30.0).loc["A"]
    thin = one_district(s, demand=5.0).loc["A"]
    # the same pipes lose the same heat (service pipes by DN20 in both)
    assert thin["heat_loss_mwh_a"] == pytest.approx(dense["heat_loss_mwh_a"])
    assert thin["heat_loss_share"] > dense["heat_loss_share"]
    assert thin["linear_heat_density_mwh_m_a"] < dense["linear_heat_density_mwh_m_a"]


def test_sensitivity_cases_move_the_difference_as_they_should():
    s = hand_scenario()
    props, trenches, service = hand_town()
    districts = pd.DataFrame({"name": ["A"], "status": ["candidate_dh"]},
                             index=pd.Index(["A"], name="district_id"))
    econ = district_economics(props, districts, trenches, service, None, scenario=s,
                              factors=factors_table(), base_year=BASE).loc["A"]
    mains = 500 * 369.5 * 7.5
    d3 = 1 / 1.035**3
    # trench +20 %: the difference grows by 20 % of the mains' present value
    assert (econ["npv_difference_trench_high_mdkk"] - econ["npv_difference_mdkk"]) * 1e6 == (
        pytest.approx(0.2 * 1.28 * mains * (1 - 37 / 40 * d3)))
    # heat-pump investment −20 %: heat pumps get cheaper, the difference grows
    assert econ["npv_difference_heat_pump_low_mdkk"] * 1e6 == pytest.approx(
        econ["npv_difference_mdkk"] * 1e6 + 0.2 * 1.28 * 750_000 * (1 - 15 / 18 * d3))
    # the all-in price per metre makes district heating dearer here
    assert econ["npv_difference_all_in_mdkk"] > econ["npv_difference_mdkk"]
    flips = econ["sensitivity_flips"]
    assert isinstance(flips, str)


def test_recommendation_follows_the_socio_economics_and_explains():
    s = hand_scenario()
    econ = one_district(s)
    rec = recommend_districts(econ, scenario=s)
    dh_cheaper = bool(econ.loc["A", "npv_difference_mdkk"] <= 0)
    assert rec.loc["A", "economic_recommendation"] == (
        "district_heating" if dh_cheaper else "individual_heat_pump")
    assert rec.loc["A", "recommendation"] == "district_heating"  # a council candidate stays
    assert rec.loc["A", "is_flagged"] == (not dh_cheaper)
    assert "samfundsøkonomisk nutidsværdi over 3 år" in rec.loc["A", "reason"]
    en = recommend_districts(econ, scenario=s, lang="en")
    assert "socio-economic present value over 3 years" in en.loc["A", "reason"]
    # with heat pumps made dear, district heating wins and the district is not flagged
    dear = s.with_values(economics__heat_pump_investment_keur={2015: 40.0, 2050: 40.0})
    rec = recommend_districts(one_district(dear), scenario=dear)
    assert rec.loc["A", "economic_recommendation"] == "district_heating"
    assert not rec.loc["A", "is_flagged"]
    assert rec.loc["A", "reason"].startswith("Fjernvarme: samfundsøkonomisk")


# --- the household and the utility ------------------------------------------------------------

def test_household_bills_by_hand():
    from heatplan.plan.economics import household_bills

    s = hand_scenario()
    props, _, _ = hand_town(n=1)
    bills = household_bills(props, scenario=s).iloc[0]
    vat, rate = 1.25, 0.04
    assert bills["connection_fee_dkk"] == 15_000
    # DH: 15,000 × annuity(4 %, 25 a) + (770 + 12 × 130 + 450 × 15) × 1.25 + 375 × 1.25
    dh = 15_000 * annuity_factor(rate, 25) + (770 + 12 * 130 + 450 * 15) * vat + 50 * 7.5 * vat
    assert bills["bill_dh_dkk_a"] == pytest.approx(dh)
    # heat pump: 75,000 × 1.25 × annuity(4 %, 18 a) + 15/3 MWh × (1.20 + 0.008) DKK/kWh × 1.25
    # + 2,250 × 1.25
    hp = 75_000 * vat * annuity_factor(rate, 18) + 5000 * 1.208 * vat + 300 * 7.5 * vat
    assert bills["bill_heat_pump_dkk_a"] == pytest.approx(hp)
    # gas: 15,000 kWh ÷ 0.90 ÷ 11 kWh/m³ = 1,515.2 m³ × 7.00 × 1.25 + boiler O&M 204.71 EUR
    m3 = 15_000 / 0.9 / 11.0
    o_m = float(s.by_year("economics.gas_boiler_om_eur_a", [2024])[0])
    assert bills["bill_gas_dkk_a"] == pytest.approx(m3 * 7.0 * vat + o_m * 7.5 * vat)


def test_utility_budget_by_hand():
    s = hand_scenario()
    econ = one_district(s).loc["A"]
    vat = 1.25
    loan = annuity_factor(0.03, 30)
    revenue = 10 * 770 + 1300 * 12 + 150 * 450 + 10 * 15_000 / vat * loan
    assert econ["utility_revenue_dkk_a"] == pytest.approx(revenue)
    cost = (econ["heat_produced_mwh_a"] * (200 + 0.02 * 600) + 150 * 1.5 * 7.5
            + econ["cost_dkk"] * loan)
    assert econ["utility_cost_dkk_a"] == pytest.approx(cost)
    assert econ["utility_balance_dkk_a"] == pytest.approx(revenue - cost)


# --- the toy town: feeders, works, errors ------------------------------------------------------

@pytest.fixture
def toy_econ():
    props, districts, routing = make_toy_town()
    return district_economics(props, districts, routing["trenches"], routing["service_pipes"],
                              routing["district_feed"], scenario=load_scenario(),
                              factors=factors_table(), base_year=BASE, sensitivity=False)


def test_feeder_mains_are_shared_by_expected_demand_and_counted_once(toy_econ):
    economics = toy_econ
    # A's 500 m feeder also carries B (B-feed hangs off A-main): shared 1,500 : 1,800 MWh.
    assert economics.loc["A", "feeder_trench_m"] == pytest.approx(500 * 1500 / 3300)
    assert economics.loc["B", "feeder_trench_m"] == pytest.approx(300 + 500 * 1800 / 3300)
    # C's 400 m feeder carries C (300 MWh) and D (1,200 MWh)
    assert economics.loc["C", "feeder_trench_m"] == pytest.approx(80.0)
    assert economics.loc["D", "feeder_trench_m"] == pytest.approx(200 + 320.0)
    _, _, routing = make_toy_town()
    total = routing["trenches"]["length_m"].sum()
    assert (economics["trench_m"] + economics["feeder_trench_m"]).sum() == pytest.approx(total)
    assert economics["mains_cost_dkk"].sum() == pytest.approx(routing["trenches"]["cost_dkk"].sum())


def test_individual_district_upstream_still_carries_the_feeder(toy_econ):
    rec = recommend_districts(toy_econ, scenario=load_scenario())
    rec.loc[["A", "B", "D"], "recommendation"] = "district_heating"
    _, _, routing = make_toy_town()
    works, built = district_works(rec, routing["trenches"])
    # D is fed through C-main: C's feeder and main are built, its branch is not
    assert built["C-feed"] and built["C-main"] and not built["C-branch"]
    assert works.loc["C", "is_transit"]
    assert works.loc["C", "carries_for"] == "D"
    assert works.loc["C", "works_trench_m"] == pytest.approx(1400.0)
    assert works.loc["F", "works_trench_m"] == 0.0


def test_unknown_district_ids_are_an_error():
    props, districts, routing = make_toy_town()
    props.loc["A000", "district_id"] = "ZZ"
    with pytest.raises(SchemaError, match="ZZ"):
        district_economics(props, districts, routing["trenches"], routing["service_pipes"],
                           routing["district_feed"], scenario=load_scenario(),
                           factors=factors_table(), base_year=BASE, sensitivity=False)


def test_district_without_routed_trenches_is_not_judged(toy_econ):
    props, districts, routing = make_toy_town()
    t = routing["trenches"]
    econ = district_economics(props, districts, t[t["district_id"] != "F"],
                              routing["service_pipes"], routing["district_feed"],
                              scenario=load_scenario(), factors=factors_table(),
                              base_year=BASE, sensitivity=False)
    rec = recommend_districts(econ, scenario=load_scenario())
    assert pd.isna(rec.loc["F", "npv_dh_mdkk"]) and rec.loc["F", "npv_hp_mdkk"] > 0
    assert rec.loc["F", "reason"] == (
        "Individuel varmeforsyning (fastlagt i varmeplanen); 30 ejendomme med gas eller olie "
        "rådes til at skifte til en individuel varmepumpe.")
    econ.loc["F", "status"] = "undecided"
    rec = recommend_districts(econ, scenario=load_scenario())
    assert rec.loc["F", "recommendation"] == "individual_heat_pump"
    assert "ikke beregnet et ledningsnet" in rec.loc["F", "reason"]


def test_gas_as_the_reference():
    s = hand_scenario().with_values(economics__gas_price_dkk_per_mwh=300.0,
                                    emissions__natural_gas_kg_per_kwh={2015: 0.2, 2050: 0.2})
    hp_ref = one_district(s).loc["A"]
    gas_ref = one_district(s.with_values(economics__reference="gas")).loc["A"]
    assert gas_ref["npv_difference_mdkk"] == pytest.approx(
        gas_ref["npv_dh_mdkk"] - gas_ref["npv_gas_mdkk"])
    assert hp_ref["npv_gas_mdkk"] == pytest.approx(gas_ref["npv_gas_mdkk"])
    # gas: 150 MWh ÷ a new boiler's efficiency (catalogue 202: 97 % in 2020, 98 % in 2030, so
    # 0.974, 0.975, 0.976 in 2024–2026) × 0.2 t/MWh ≈ 30.77 t a year; avoided against the
    # stated reference
    assert gas_ref["co2_gas_t_a"] == pytest.approx(
        150 * 0.2 * (1 / 0.974 + 1 / 0.975 + 1 / 0.976) / 3)
    assert gas_ref["co2_avoided_t_a"] == pytest.approx(
        gas_ref["co2_gas_t_a"] - gas_ref["co2_dh_t_a"])
    assert hp_ref["co2_avoided_t_a"] == pytest.approx(hp_ref["co2_hp_t_a"] - hp_ref["co2_dh_t_a"])
    from heatplan.core.errors import ScenarioError

    with pytest.raises(ScenarioError, match=r"economics\.reference"):
        one_district(s.with_values(economics__reference="oil"))


# --- heat production cost per source ------------------------------------------------------------

def test_feed_roots_follow_the_chain_to_the_source():
    from heatplan.plan.economics.production import feed_roots

    fed = pd.Series({"A": "S1", "B": "A", "C": "B", "D": "existing_network", "E": None,
                     "F": "G", "G": "F"})
    roots = feed_roots(fed)
    assert roots[["A", "B", "C"]].tolist() == ["S1", "S1", "S1"]
    assert roots["D"] == "existing_network"
    assert pd.isna(roots["E"]) and pd.isna(roots["F"]) and pd.isna(roots["G"])  # none; cycle


def two_sources(scenario):
    """District A (as :func:`hand_town`) fed from source S1, B (the same) from the existing
    network; returns the economics of both."""
    pa, ta, sa = hand_town(district="A")
    pb, tb, sb = hand_town(district="B")
    districts = pd.DataFrame({"name": ["A", "B"], "status": ["candidate_dh"] * 2},
                             index=pd.Index(["A", "B"], name="district_id"))
    feed = pd.DataFrame({"fed_from": ["S1", "existing_network"]}, index=districts.index)
    return district_economics(pd.concat([pa, pb]), districts, pd.concat([ta, tb]),
                              pd.concat([sa, sb]), feed, scenario=scenario,
                              factors=factors_table(), base_year=BASE, sensitivity=False)


def test_each_district_pays_the_production_cost_of_its_source():
    base = hand_scenario()  # 200 DKK/MWh for every source
    s = base.with_values(economics__heat_production_cost_by_source_dkk_per_mwh={
        "S1": 350.0, "existing_network": {2015: 120.0, 2050: 120.0}})
    econ, plain = two_sources(s), two_sources(base)
    assert econ["production_source"].tolist() == ["S1", "existing_network"]
    d = np.array([1.0, 1 / 1.035, 1 / 1.035**2])  # D(0) … D(2)
    produced = plain.loc["A", "heat_produced_mwh_a"]  # (150 + loss) / 0.95, as by hand above
    assert produced == pytest.approx(econ.loc["B", "heat_produced_mwh_a"])
    # production (sold and lost heat) is the only item that changes: naf × produced × Δcost × ΣD
    for district, cost in (("A", 350.0), ("B", 120.0)):
        change = 1.28 * produced * (cost - 200.0) * d.sum() / 1e6
        assert econ.loc[district, "npv_dh_mdkk"] == pytest.approx(
            plain.loc[district, "npv_dh_mdkk"] + change)
        assert econ.loc[district, "npv_hp_mdkk"] == pytest.approx(
            plain.loc[district, "npv_hp_mdkk"])
        # the utility buys the produced heat at its source's first-year cost
        assert econ.loc[district, "utility_cost_dkk_a"] == pytest.approx(
            plain.loc[district, "utility_cost_dkk_a"] + produced * (cost - 200.0))
    assert econ.loc["A", "npv_dh_mdkk"] - econ.loc["B", "npv_dh_mdkk"] == pytest.approx(
        1.28 * produced * 230.0 * d.sum() / 1e6)


def test_a_cost_for_an_unused_source_is_warned_and_a_bad_entry_refused(caplog):
    from heatplan.core.errors import ScenarioError

    s = hand_scenario().with_values(
        economics__heat_production_cost_by_source_dkk_per_mwh={"S9": 300.0})
    with caplog.at_level("WARNING"):
        econ = two_sources(s)
    assert "S9" in caplog.text and "source_id" in caplog.text
    assert econ.loc["A", "npv_dh_mdkk"] == pytest.approx(two_sources(hand_scenario()).loc[
        "A", "npv_dh_mdkk"])  # the default applies
    bad = hand_scenario().with_values(
        economics__heat_production_cost_by_source_dkk_per_mwh={"S1": "cheap"})
    with pytest.raises(ScenarioError, match=r"S1.*not a number or a year series"):
        two_sources(bad)


def test_the_scenario_file_takes_costs_per_source(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[economics.heat_production_cost_by_source_dkk_per_mwh]\n"
                    "value = { S1 = 250, existing_network = { 2025 = 300, 2035 = 220 } }\n",
                    encoding="utf-8")
    table = load_scenario(path).value("economics.heat_production_cost_by_source_dkk_per_mwh")
    assert table["S1"] == 250
    path.write_text("[economics]\nheat_production_cost_by_source_dkk_per_mwh = { S1 = 2500 }\n",
                    encoding="utf-8")
    from heatplan.core.errors import ScenarioError

    with pytest.raises(ScenarioError, match="S1 = 2500 is outside its range"):
        load_scenario(path)
