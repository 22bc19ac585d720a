"""The household's bill (brugerøkonomi): a typical year with district heating, an own heat pump
or keeping gas, taxes and VAT included (DKK at ``economics.price_year``; ``household.*``).

Per property, with its heat demand ``q`` (MWh/a) and the prices of ``phasing.first_year``:

* connection fee ``F``: ``household.connection_fee_dkk`` for homes; other buildings
  ``household.connection_fee_dkk_per_m2`` × heated area, at least the home fee (incl. VAT);
* district heating: ``F`` × annuity(``household.loan_rate``, substation lifetime) + (fixed +
  capacity × area + variable × q) × (1 + VAT) + the substation's O&M × (1 + VAT);
* own heat pump: the unit (catalogue, × (1 + VAT)) × annuity(rate, its lifetime) +
  q ÷ SCOP × (electricity price + the reduced heat-pump electricity tax) × (1 + VAT) + O&M ×
  (1 + VAT);
* keeping gas: q ÷ the existing boiler's efficiency ÷ the gas calorific value × the gas price
  × (1 + VAT) + the boiler's O&M × (1 + VAT).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatplan.core.scenario import Scenario
from heatplan.core.schema import RESIDENTIAL_USE_CODES
from heatplan.model.heat_pump import heat_pump_scop
from heatplan.plan.economics.inputs import unit_cost_by_year
from heatplan.plan.economics.present_value import annuity_factor

BILL_COLUMNS: tuple[str, ...] = ("connection_fee_dkk", "bill_dh_dkk_a", "bill_heat_pump_dkk_a",
                                 "bill_gas_dkk_a")
"""The household columns of the properties (and, as medians, of the districts)."""


def connection_fee_dkk(bbr_use_code: pd.Series, heated_area_m2: pd.Series, *,
                       scenario: Scenario) -> pd.Series:
    """One-off connection fee per property, DKK incl. VAT."""
    home = float(scenario.value("household.connection_fee_dkk"))
    per_m2 = float(scenario.value("household.connection_fee_dkk_per_m2"))
    residential = bbr_use_code.astype(str).str.strip().isin(RESIDENTIAL_USE_CODES)
    other = np.maximum(home, per_m2 * heated_area_m2.astype(float).fillna(0.0))
    return pd.Series(np.where(residential, home, other), index=bbr_use_code.index,
                     name="connection_fee_dkk")


def household_bills(properties: pd.DataFrame, *, scenario: Scenario) -> pd.DataFrame:
    """The four household columns of :data:`BILL_COLUMNS` for every property (DKK, incl. VAT).

    Parameters
    ----------
    properties
        Index ``property_id``; ``heat_demand_mwh_a``, ``peak_load_kw``, ``heat_pump_system``,
        ``heated_area_m2``, ``bbr_use_code`` (the model stage's columns).
    scenario
        Supplies ``household.*``, ``economics.*``, ``emissions.*``, ``phasing.first_year``.

    Returns
    -------
    bills
        Index as ``properties``; the columns apply to every property here: which ones a
        property is shown is the rollout's choice (its recommendation and heating).
    """
    year = int(scenario.value("phasing.first_year"))
    h = scenario.section("household")
    vat = 1.0 + float(h["vat_share"])
    rate = float(h["loan_rate"])
    q = properties["heat_demand_mwh_a"].astype(float)
    area = properties["heated_area_m2"].astype(float).fillna(0.0)
    peak = properties["peak_load_kw"].astype(float).to_numpy()
    large = np.nan_to_num(peak) > float(scenario.value("buildings.large_unit_kw"))

    def unit(kind: str, what: str = "investment_keur") -> np.ndarray:
        return unit_cost_by_year(peak, kind, [year], scenario=scenario, what=what)[:, 0]

    fee = connection_fee_dkk(properties["bbr_use_code"], area, scenario=scenario)
    sub_life = float(scenario.value("economics.substation_lifetime_years"))
    tariff = (float(h["dh_fixed_dkk_a"]) + float(h["dh_capacity_dkk_per_m2_a"]) * area
              + float(h["dh_variable_dkk_per_mwh"]) * q)
    bill_dh = fee * annuity_factor(rate, sub_life) + (tariff + unit("substation", "om_eur_a")
                                                      ) * vat
    hp_life = np.where(large, float(scenario.value("economics.large_heat_pump_lifetime_years")),
                       float(scenario.value("economics.heat_pump_lifetime_years")))
    annuity = np.array([annuity_factor(rate, life) for life in hp_life])
    scop = heat_pump_scop(properties["heat_pump_system"], [year], scenario=scenario)[year]
    el_price = (float(h["electricity_price_dkk_per_kwh"])
                + float(h["electricity_tax_heat_pump_dkk_per_kwh"]))
    bill_hp = (unit("heat_pump") * vat * annuity + q / scop * 1000.0 * el_price * vat
               + unit("heat_pump", "om_eur_a") * vat)
    m3 = q * 1000.0 / float(scenario.value("emissions.efficiency.natural_gas")) / float(
        scenario.value("emissions.fuel_kwh_per_unit.natural_gas"))
    bill_gas = m3 * float(h["gas_price_dkk_per_m3"]) * vat + unit("gas_boiler", "om_eur_a") * vat
    return pd.DataFrame({"connection_fee_dkk": fee, "bill_dh_dkk_a": bill_dh,
                         "bill_heat_pump_dkk_a": bill_hp, "bill_gas_dkk_a": bill_gas},
                        index=properties.index)
