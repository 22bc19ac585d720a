"""The report's economics tables: method and references, socio-economics per district, the
household's bill and the utility's budget, the sensitivity table and the assumption list.

:func:`economics_tables` returns them as report tables (:mod:`heatplan.outputs.report_tables`),
which the HTML page and the XLSX workbook both show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatplan.core.columns_economics import CASE_LABELS
from heatplan.core.scenario import Scenario
from heatplan.outputs.texts import REFERENCES, format_number, recommendation_text, text
from heatplan.plan.economics import total_loss_share
from heatplan.plan.economics.production import production_cost_by_year, source_costs
from heatplan.plan.economics.sensitivity import flip_summary
from heatplan.plan.result import Plan

ECONOMICS_COLUMNS = [
    "name", "status", "recommendation", "economic_recommendation", "npv_dh_mdkk",
    "npv_hp_mdkk", "npv_gas_mdkk", "npv_difference_mdkk", "pv_difference_investment_mdkk",
    "pv_difference_energy_mdkk", "pv_difference_loss_mdkk", "pv_difference_om_mdkk",
    "pv_difference_co2_mdkk", "heat_loss_share", "heat_loss_mwh_a", "sunk_cost_dkk",
    "co2_dh_t_a", "co2_hp_t_a", "co2_gas_t_a", "sensitivity_flips",
]
"""Columns of the socio-economics table (those the plan's districts have)."""

HOUSEHOLD_COLUMNS = [
    "name", "recommendation", "bill_dh_dkk_a", "bill_heat_pump_dkk_a", "bill_gas_dkk_a",
    "utility_investment_dkk", "utility_revenue_dkk_a", "utility_cost_dkk_a",
    "utility_balance_dkk_a",
]
"""Columns of the household and utility table."""

SHEET_NAMES: dict[str, dict[str, str]] = {
    "method": {"da": "Metode", "en": "Method"},
    "economics": {"da": "Samfundsøkonomi", "en": "Socio-economics"},
    "household": {"da": "Bruger og selskab", "en": "Household and utility"},
    "sensitivity": {"da": "Følsomhed", "en": "Sensitivity"},
    "assumptions": {"da": "Antagelser", "en": "Assumptions"},
}
"""XLSX sheet names of these tables."""


def compared_districts(districts: pd.DataFrame) -> pd.DataFrame:
    """The districts with properties to convert and a socio-economic comparison (a routed
    network to compare)."""
    if "npv_difference_mdkk" not in districts or "n_to_convert" not in districts:
        return districts.iloc[0:0]
    keep = districts["n_to_convert"].gt(0) & districts["npv_difference_mdkk"].notna()
    return districts[keep.to_numpy()]


def _plain(districts: pd.DataFrame, columns: list[str], lang: str) -> pd.DataFrame:
    table = pd.DataFrame(districts.drop(columns=getattr(districts, "geometry", pd.Series()).name,
                                        errors="ignore"))
    table = table[[c for c in columns if c in table.columns]].copy()
    for col in ("recommendation", "economic_recommendation"):
        if col in table:
            table[col] = [recommendation_text(v, lang) for v in table[col]]
    table.index.name = "district_id"
    return table.reset_index()


def economics_table(plan: Plan, lang: str) -> pd.DataFrame:
    """Per district with a comparison: present values, the difference's parts, loss, CO2."""
    table = _plain(compared_districts(plan.districts), ECONOMICS_COLUMNS, lang)
    if "sensitivity_flips" in table:
        table["sensitivity_flips"] = [_case_names(v, lang) for v in table["sensitivity_flips"]]
    return table


def household_table(plan: Plan, lang: str) -> pd.DataFrame:
    """Per district with properties to convert: the household's bills and the utility."""
    return _plain(compared_districts(plan.districts), HOUSEHOLD_COLUMNS, lang)


def _case_names(codes: object, lang: str) -> str:
    names = [CASE_LABELS[c.strip()].in_lang(lang) if c.strip() in CASE_LABELS else c.strip()
             for c in str(codes or "").split(",") if c.strip()]
    return ", ".join(names)


def sensitivity_table(plan: Plan, lang: str) -> pd.DataFrame:
    """Which districts change recommendation under which case (empty when none)."""
    flips = flip_summary(compared_districts(plan.districts))
    names = plan.districts["name"] if "name" in plan.districts else pd.Series(dtype=object)
    flips.insert(2, "name", flips["district_id"].map(names))
    flips["case"] = [CASE_LABELS[c].in_lang(lang) if c in CASE_LABELS else c
                     for c in flips["case"]]
    return flips


def assumptions_table(scenario: Scenario | None) -> pd.DataFrame:
    """Every scenario value whose source is an assumption."""
    columns = ["parameter", "value", "unit", "source"]
    if scenario is None:
        return pd.DataFrame(columns=columns)
    rows = [(p.key, _value_text(p.value), p.unit, p.source) for p in scenario if p.is_assumption]
    return pd.DataFrame(rows, columns=columns)


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ", ".join(f"{k} = {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _pct(value: float, lang: str) -> str:
    return format_number(100 * float(value), 1, lang) + " %"


def _production_text(s: Scenario, year: int, lang: str) -> str:
    """The default heat production cost in ``year`` and each source's own, DKK/MWh."""
    years = [year]
    default = format_number(production_cost_by_year(s, pd.Series([pd.NA], dtype="string"),
                                                    years)[0, 0], 0, lang)
    own = []
    for label in source_costs(s):
        value = production_cost_by_year(s, pd.Series([str(label)], dtype="string"), years)
        name = text("fed_existing_network", lang) if label == "existing_network" else label
        own.append(f"{name}: {format_number(value[0, 0], 0, lang)}")
    return f"{default} ({'; '.join(own)})" if own else default


def _method_fields(plan: Plan, s: Scenario, lang: str) -> dict[str, object]:
    """The numbers the method's lines quote, formatted for ``lang``."""
    area = str(s.value("network.area_type"))
    low, high = s.value("network.line_loss_range")[area]
    basis = str(s.value("emissions.dh_co2_basis"))
    later = list(s.value("economics.discount_rate_later"))
    steps = list(s.value("economics.discount_rate_step_years"))
    first = int(s.value("phasing.first_year"))
    compared = compared_districts(plan.districts)
    loss = total_loss_share(compared) if len(compared) else np.nan
    return {
        "reference": text(f"reference_{s.value('economics.reference')}", lang),
        "years": s.value("economics.study_period_years"), "first": first,
        "naf": format_number(s.value("economics.net_tax_factor"), 2, lang),
        "price_year": s.value("economics.price_year"),
        "eur": format_number(s.value("economics.eur_dkk"), 5, lang),
        "production": _production_text(s, first, lang),
        "rate": _pct(s.value("economics.discount_rate"), lang),
        "step": steps[0] if steps else "∞",
        "later": " / ".join(_pct(r, lang) for r in later) or "–",
        "area": area, "series": s.value("pipes.insulation_series"),
        "ts": format_number(s.value("network.supply_temperature_c"), 0, lang),
        "tr": format_number(s.value("network.return_temperature_c"), 0, lang),
        "tg": format_number(s.value("network.ground_temperature_c"), 0, lang),
        "loss": format_number(100 * loss, 1, lang),
        "low": format_number(100 * low, 0, lang), "high": format_number(100 * high, 0, lang),
        "station": format_number(100 * s.value("network.station_loss_share"), 0, lang),
        "pump": format_number(100 * s.value("network.pumping_electricity_share"), 0, lang),
        "basis": text(f"basis_{basis}", lang), "basis_code": basis,
        "share": format_number(100 * s.value("economics.sensitivity_share"), 0, lang),
        "takeups": " / ".join(_pct(v, lang) for v in s.value("economics.sensitivity_takeup")),
    }


def method_table(plan: Plan, lang: str) -> pd.DataFrame:
    """The method in a few lines, and the references used."""
    if plan.scenario is None:
        return pd.DataFrame(columns=["topic", "description"])
    fields = _method_fields(plan, plan.scenario, lang)
    topics = ("method", "prices", "rate", "investment", "loss", "co2", "recommendation",
              "sensitivity", "household", "utility")
    rows = [(text(f"topic_{t}", lang), text(f"text_{t}", lang, **fields)) for t in topics]
    rows += [(text("topic_reference", lang), ref) for ref in REFERENCES]
    return pd.DataFrame(rows, columns=["topic", "description"])
