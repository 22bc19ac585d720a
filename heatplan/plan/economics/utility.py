"""The utility's budget per district (selskabsøkonomi): its investment and a typical year.

A year at the expected take-up (``uptake.final_share``) and the first plan year's prices, DKK
excl. VAT:

* revenue: the tariff (``household.dh_fixed_dkk_a`` per connection,
  ``household.dh_capacity_dkk_per_m2_a`` × heated area, ``household.dh_variable_dkk_per_mwh`` ×
  heat sold) plus the connection fees (excl. VAT) paid off over the loan;
* cost: heat bought at the production cost of the district's source for the heat produced
  (sold + losses), pumping electricity, the network's variable O&M, and the investment
  (mains, stations, service lines, substations) repaid as an annuity at
  ``economics.utility_interest_rate`` over
  ``economics.utility_loan_years``;
* balance = revenue − cost (a Danish utility runs at cost: a negative balance means the tariff
  does not cover the district).
"""

from __future__ import annotations

import pandas as pd

from heatplan.core.scenario import Scenario
from heatplan.plan.economics.inputs import StudyPeriod
from heatplan.plan.economics.present_value import annuity_factor


def utility_budget(econ: pd.DataFrame, fees_dkk: pd.Series, study: StudyPeriod, *,
                   production_dkk_per_mwh: pd.Series, scenario: Scenario) -> pd.DataFrame:
    """``utility_investment_dkk``, ``utility_revenue_dkk_a``, ``utility_cost_dkk_a`` and
    ``utility_balance_dkk_a`` per district.

    Parameters
    ----------
    econ
        The district table: ``cost_dkk``, ``n_expected``, ``heated_area_m2``,
        ``heat_sold_mwh_a``, ``heat_produced_mwh_a``.
    fees_dkk
        Connection fees incl. VAT of all properties to convert, summed per district.
    study
        The study period (its first year's prices).
    production_dkk_per_mwh
        Heat production cost of each district's source in the first year, DKK per MWh.
    """
    h = scenario.section("household")
    vat = 1.0 + float(h["vat_share"])
    share = float(scenario.value("uptake.final_share"))
    loan = annuity_factor(float(scenario.value("economics.utility_interest_rate")),
                          float(scenario.value("economics.utility_loan_years")))
    price = {name: float(values[0]) for name, values in study.prices.items()}
    fees = fees_dkk.reindex(econ.index, fill_value=0.0) * share / vat
    revenue = (econ["n_expected"] * float(h["dh_fixed_dkk_a"])
               + econ["heated_area_m2"] * share * float(h["dh_capacity_dkk_per_m2_a"])
               + econ["heat_sold_mwh_a"] * float(h["dh_variable_dkk_per_mwh"])
               + fees * loan)
    pumping = float(scenario.value("network.pumping_electricity_share"))
    production = production_dkk_per_mwh.reindex(econ.index)
    cost = (econ["heat_produced_mwh_a"] * (production + pumping * price["electricity"])
            + econ["heat_sold_mwh_a"] * price["network_om"] + econ["cost_dkk"] * loan)
    out = pd.DataFrame(index=econ.index)
    out["utility_investment_dkk"] = econ["cost_dkk"]
    out["utility_revenue_dkk_a"] = revenue
    out["utility_cost_dkk_a"] = cost
    out["utility_balance_dkk_a"] = revenue - cost
    return out
