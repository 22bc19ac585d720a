"""The scenario's catalogue defaults are the Danish Energy Agency's own numbers, converted to DKK
with a named index, and every economic and loss default names its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from heatplan.core.scenario import load_scenario
from heatplan.plan.catalogue import band_value, catalogue_dkk, dkk_per_catalogue_eur

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "dea-technology-data"
TRANSPORT = SHARED / "energy_transport_datasheet.xlsx"
HEATING = SHARED / "technologydatafor_heating_installations_marts_2018.xlsx"
SCENARIO = load_scenario()


def _sheet(path: Path, name: str):
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared DEA technology data are not on this machine)")
    openpyxl = pytest.importorskip("openpyxl")
    return openpyxl.load_workbook(path, data_only=True, read_only=True)[name]


def _row(ws, row: int, columns: str = "CDEF") -> list[float]:
    return [float(ws[f"{c}{row}"].value) for c in columns]


@pytest.mark.parametrize(("area", "sheet"), [
    ("rural", "113_12 DH_Distribu Rural"), ("suburban", "113_13 DH_Distribu Suburb"),
    ("city", "113_14 DH_Distribu City"), ("new_area", "112_15 DH_Distribu New area"),
])
def test_trench_service_line_and_loss_defaults_are_the_transport_catalogue(area, sheet):
    ws = _sheet(TRANSPORT, sheet)
    trench = [float(ws[f"D{r}"].value) for r in range(21, 27)]  # 2020 column, rows 21–26
    assert SCENARIO.value("pipes.trench_cost_eur_per_m")[area] == pytest.approx(trench)
    service = [float(ws[f"D{r}"].value) for r in range(17, 20)]
    assert SCENARIO.value("pipes.service_line_cost_eur")[area][:3] == pytest.approx(service)
    line = SCENARIO.value("network.line_loss_share")[area]
    assert line == pytest.approx(float(ws["D6"].value) / 100)
    assert SCENARIO.value("network.line_loss_range")[area] == pytest.approx(
        [float(ws["G6"].value) / 100, float(ws["H6"].value) / 100])
    if area == "suburban":
        assert SCENARIO.value("network.station_loss_share") == float(ws["D7"].value) / 100
        assert SCENARIO.value("network.pumping_electricity_share") == float(ws["D8"].value) / 100
        assert SCENARIO.value("network.lifetime_years") == ws["D9"].value
        assert SCENARIO.value("pipes.exchanger_station_eur_per_mw") == ws["D29"].value
        assert SCENARIO.value("pipes.small_exchanger_station_eur_per_mw") == ws["D37"].value
        assert SCENARIO.value("network.variable_om_eur_per_mwh") == float(ws["D34"].value)


def test_the_transport_catalogue_is_in_2015_euro():
    ws = _sheet(TRANSPORT, "Index")
    assert ws["C2"].value == "All cost data is in 2015€"
    assert SCENARIO.value("economics.catalogue_price_year") == 2015


def test_heat_pump_substation_and_boiler_defaults_are_the_heating_catalogue():
    hp = _sheet(HEATING, "207.3 Air to water existing")
    years = [2015, 2020, 2030, 2050]

    def series(key):
        return [SCENARIO.value(key)[str(y)] for y in years]

    assert series("economics.heat_pump_investment_keur") == pytest.approx(_row(hp, 26))
    assert series("economics.heat_pump_om_eur_a") == pytest.approx(_row(hp, 30), rel=1e-5)
    assert SCENARIO.value("economics.heat_pump_lifetime_years") == hp["D14"].value
    assert series("emissions.heat_pump_scop.house_radiators") == pytest.approx(
        [v / 100 for v in _row(hp, 11)])
    assert series("emissions.heat_pump_scop.house_floor_heating") == pytest.approx(
        [v / 100 for v in _row(hp, 9)])
    large = _sheet(HEATING, "207.5 Air to water Apartm. ex")
    assert series("emissions.heat_pump_scop.large_radiators") == pytest.approx(
        [v / 100 for v in _row(large, 11)])
    assert series("economics.large_heat_pump_investment_keur") == pytest.approx(_row(large, 26))
    sub = _sheet(HEATING, "203.1 Indirect DH subst")
    assert series("economics.substation_investment_keur") == pytest.approx(_row(sub, 28),
                                                                          rel=1e-5)
    assert series("economics.large_substation_investment_keur") == pytest.approx(
        _row(sub, 28, ["AC", "AD", "AE", "AF"]), rel=1e-5)
    assert SCENARIO.value("economics.substation_lifetime_years") == sub["D14"].value
    gas = _sheet(HEATING, "202 Natural gas boiler")
    assert series("economics.gas_boiler_investment_keur") == pytest.approx(_row(gas, 28),
                                                                          rel=1e-5)
    assert series("economics.gas_boiler_efficiency") == pytest.approx(
        [v / 100 for v in _row(gas, 11)])
    assert series("economics.gas_boiler_nox_g_per_gj") == pytest.approx(_row(gas, 23))


def test_catalogue_euro_become_dkk_of_the_price_year_by_the_named_index():
    # 7.46038 DKK/EUR × CPI 2023 (117.208) / CPI 2015 (100.0)
    assert dkk_per_catalogue_eur(SCENARIO) == pytest.approx(7.46038 * 1.17208)
    # a 2020 heat pump: 9.4 thousand EUR → 82,196 DKK at 2023 prices
    assert catalogue_dkk(SCENARIO, "economics.heat_pump_investment_keur", [2020])[0] == (
        pytest.approx(9400 * 7.46038 * 1.17208))
    # capacity bands: 50 kW is in the first band, 51 kW in the second, above 25 MW the last
    assert band_value([50, 51, 30_000], [50, 100, 250, 1000, 5000, 25_000],
                      [1, 2, 3, 4, 5, 6]).tolist() == [1, 2, 6]


ECONOMIC_AND_LOSS_DEFAULTS = (
    "pipes.trench_cost_eur_per_m", "pipes.service_line_cost_eur",
    "economics.heat_pump_investment_keur", "economics.heat_pump_lifetime_years",
    "emissions.heat_pump_scop.house_radiators", "emissions.heat_pump_scop.house_floor_heating",
    "emissions.heat_pump_scop.large_radiators", "network.line_loss_share",
    "network.station_loss_share", "network.pumping_electricity_share",
    "economics.discount_rate", "economics.discount_rate_later", "economics.net_tax_factor",
    "economics.substation_investment_keur", "network.lifetime_years",
)


@pytest.mark.parametrize("key", ECONOMIC_AND_LOSS_DEFAULTS)
def test_economic_and_loss_defaults_are_sourced(key):
    parameter = SCENARIO.parameter(key)
    assert not parameter.is_assumption, (key, parameter.source)
    assert parameter.range is not None


def test_heatplan_scenario_lists_the_economics_with_their_sources():
    from click.testing import CliRunner

    from heatplan.cli import cli

    result = CliRunner().invoke(cli, ["scenario", "economics"])
    assert result.exit_code == 0, result.output
    assert "economics.heat_pump_investment_keur" in result.output
    assert "sheet 207.3 Air to water existing, row 26" in result.output
    assert "* economics.heat_production_cost_dkk_per_mwh" in result.output  # an assumption


@pytest.mark.parametrize("name", ["economics", "emissions", "network", "household", "buildings"])
def test_every_number_of_the_economics_files_has_a_range(name):
    import re
    from importlib.resources import files

    from heatplan.core.scenario_check import numbers_in

    text = files("heatplan").joinpath("scenario", f"{name}.toml").read_text(encoding="utf-8")
    keys = set(re.findall(r"^\[([\w.]+)\]", text, re.M))
    missing = [k for k in sorted(keys) if SCENARIO.parameter(k).range is None
               and any(True for _ in numbers_in(SCENARIO.parameter(k).value))]
    assert missing == []
