"""The study period of the comparison: years, discount factors, take-up course and price paths."""

from __future__ import annotations

import numpy as np

from heatplan.core.scenario import Scenario
from heatplan.model.emissions import new_load_dh_factor
from heatplan.plan.catalogue import catalogue_dkk
from heatplan.plan.economics.inputs import StudyPeriod
from heatplan.plan.economics.present_value import scenario_discount_factors
from heatplan.plan.uptake import scenario_curve


def study_period(scenario: Scenario, *, final_share: float | None = None) -> StudyPeriod:
    """The study period from ``phasing.first_year`` for ``economics.study_period_years``.

    ``final_share`` replaces ``uptake.final_share`` in the take-up course (a sensitivity case).
    Prices are DKK at ``economics.price_year``: electricity (catalogue,
    converted), gas, CO2, NOx and the network's variable O&M; CO2 factors are t per MWh.
    """
    first = int(scenario.value("phasing.first_year"))
    n = int(scenario.value("economics.study_period_years"))
    years = np.arange(first, first + n)
    yrs = years.tolist()
    prices = {
        "electricity": catalogue_dkk(scenario, "economics.electricity_price_eur_per_mwh", yrs),
        "gas": scenario.by_year("economics.gas_price_dkk_per_mwh", yrs),
        "co2": scenario.by_year("economics.co2_price_dkk_per_t", yrs),
        "nox": np.full(n, float(scenario.value("economics.nox_price_dkk_per_kg"))),
        "network_om": np.full(n, float(catalogue_dkk(scenario,
                                                     "network.variable_om_eur_per_mwh"))),
        "dh_co2": new_load_dh_factor(scenario, yrs),
        "el_co2": scenario.by_year("emissions.electricity_kg_per_kwh", yrs),
        "gas_co2": scenario.by_year("emissions.natural_gas_kg_per_kwh", yrs),
        "gas_nox": scenario.by_year("economics.gas_boiler_nox_g_per_gj", yrs),
    }
    return StudyPeriod(
        years=years,
        factors=scenario_discount_factors(scenario, n),
        net_tax_factor=float(scenario.value("economics.net_tax_factor")),
        curve=scenario_curve(scenario, n, final_share=final_share),
        prices=prices,
    )
