"""The district economics on the bundled sample: heat loss inside the catalogue's range, sunk
mains, the household columns, and what the GeoPackage and the report show."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from heatplan.core.scenario import load_scenario

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "gis_data" / "sample.gpkg"

pytestmark = pytest.mark.skipif(not SAMPLE.exists(),
                                reason="the bundled sample gis_data/sample.gpkg is absent")


@pytest.fixture(scope="module")
def plan():
    from heatplan.pipeline import build_plan
    from heatplan.validate import load_dataset

    scenario = load_scenario()
    dataset = load_dataset(REPO, scenario=scenario).dataset
    return build_plan(dataset, scenario=scenario, method="heuristic")


def test_heat_loss_of_the_sample_is_inside_the_catalogue_range(plan):
    from heatplan.plan.economics import total_loss_share

    d = plan.districts
    share = total_loss_share(d[d["npv_dh_mdkk"].notna()])
    low, high = plan.scenario.value("network.line_loss_range")["suburban"]
    assert low <= share <= high, share
    # per district: thinner networks lose a larger share (rank correlation with density)
    dh = d[d["npv_dh_mdkk"].notna() & d["trench_m"].gt(0)]
    corr = dh["linear_heat_density_mwh_m_a"].rank().corr(dh["heat_loss_share"].rank())
    assert corr < -0.5
    # the trenches' own losses add up to the districts' mains losses (own and shared)
    trench_loss = plan.trenches["heat_loss_mwh_a"].sum()
    assert trench_loss > 0 and trench_loss < d["heat_loss_mwh_a"].sum()


def test_mains_built_before_the_plan_are_shown_apart(plan):
    d = plan.districts
    built = d[d["sunk_cost_dkk"] > 0]
    assert len(built) == 1  # the sample's district with connected properties
    district = built.index[0]
    assert d.at[district, "mains_cost_dkk"] == 0
    assert plan.trenches.loc[plan.trenches["district_id"].eq(district), "is_sunk"].all()


def test_households_get_their_money_where_it_applies(plan):
    p = plan.properties
    offered = p["recommendation"].eq("district_heating") & ~p["connection_status"].eq("connected")
    assert p.loc[offered, "connection_fee_dkk"].notna().all()
    assert p.loc[~p["recommendation"].isin(["district_heating"]), "connection_fee_dkk"].isna().all()
    assert p.loc[p["is_to_convert"], "bill_heat_pump_dkk_a"].notna().all()
    gas = p["is_to_convert"] & p["heating_type"].eq("natural_gas")
    assert p.loc[gas, "bill_gas_dkk_a"].notna().all()
    assert p.loc[~p["is_to_convert"], "bill_gas_dkk_a"].isna().all()
    # a typical house pays tens of thousands of kroner a year, not hundreds or millions
    assert 5_000 < p.loc[offered, "bill_dh_dkk_a"].median() < 60_000


def test_geopackage_carries_the_economics(plan, tmp_path):
    from heatplan.outputs.geopackage import write_geopackage

    path = tmp_path / "plan.gpkg"
    write_geopackage(plan, path)
    districts = gpd.read_file(path, layer="energidistrikter")
    for column in ("npv_dh_mdkk", "npv_hp_mdkk", "npv_difference_mdkk", "heat_loss_share",
                   "co2_dh_t_a", "co2_hp_t_a", "recommendation"):
        assert column in districts.columns, column
    assert list(districts.columns[:5]) == ["district_id", "name", "status", "recommendation",
                                           "npv_dh_mdkk"]
    trenches = gpd.read_file(path, layer="nye_ledninger")
    assert trenches["heat_loss_mwh_a"].gt(0).all()


def test_report_shows_method_references_assumptions_and_sensitivity(plan):
    from heatplan.outputs.report_html import render_html
    from heatplan.outputs.report_workbook import build_workbook

    page = render_html(plan)
    for heading in ("Metode og kilder", "Samfundsøkonomi pr. energidistrikt",
                    "Brugerøkonomi og selskabsøkonomi", "Følsomhedsanalyse",
                    "Følsomhed pr. distrikt (tornadodiagram)", "Forudsætninger"):
        assert f"<h2>{heading}</h2>" in page, heading
    assert "Vejledning i samfundsøkonomiske analyser på energiområdet" in page
    assert "economics.heat_production_cost_dkk_per_mwh" in page  # in the assumption list
    assert "leverandørens gennemsnitlige CO2-faktor" in page  # which DH CO2 was used
    english = render_html(plan, lang="en")
    assert "<h2>Sensitivity analysis</h2>" in english
    sheets = build_workbook(plan).sheetnames
    assert {"Metode", "Samfundsøkonomi", "Bruger og selskab", "Følsomhed",
            "Antagelser"} <= set(sheets)
