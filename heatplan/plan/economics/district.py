"""The economics of every district: quantities, heat loss, the socio-economic comparison, the
utility's budget, the household's bill and the sensitivity cases, in one table.

See :mod:`heatplan.plan.economics.socio` for the method; :func:`district_economics` is the
entry point the rollout calls.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from heatplan.core.errors import SchemaError, require_columns
from heatplan.core.scenario import Scenario
from heatplan.plan.economics.household import household_bills
from heatplan.plan.economics.inputs import (
    INTERNAL_COLUMNS,
    AlternativeInputs,
    StudyPeriod,
    alternative_inputs,
    district_quantities,
)
from heatplan.plan.economics.production import check_sources, feed_roots
from heatplan.plan.economics.sensitivity import CaseRun, flipping_cases, sensitivity_table
from heatplan.plan.economics.socio import DRIVER_PARTS, compare_alternatives, reference_of
from heatplan.plan.economics.study import study_period
from heatplan.plan.economics.utility import utility_budget

logger = logging.getLogger(__name__)

PROPERTY_COLUMNS: tuple[str, ...] = (
    "district_id", "is_to_convert", "heating_type", "heat_demand_mwh_a", "heated_area_m2",
    "peak_load_kw", "heat_pump_system",
)
"""Property columns the economics need (the model stage's, and ``district_id``)."""

COMPARISON_COLUMNS: list[str] = [
    "npv_dh_mdkk", "npv_hp_mdkk", "npv_gas_mdkk", "npv_difference_mdkk", "co2_dh_t_a",
    "co2_hp_t_a", "co2_gas_t_a", "dh_cost_dkk_per_mwh", "hp_cost_dkk_per_mwh",
    *(f"pv_difference_{p}_mdkk" for p in DRIVER_PARTS),
]
"""The comparison's columns, empty for districts without properties to convert."""


def district_economics(
    properties: pd.DataFrame,
    districts: pd.DataFrame,
    trenches: pd.DataFrame,
    service_pipes: pd.DataFrame,
    district_feed: pd.DataFrame | None,
    *,
    scenario: Scenario,
    factors: pd.DataFrame,
    base_year: int | None = None,
    done: set | None = None,
    sensitivity: bool = True,
) -> pd.DataFrame:
    """Return the economics of every district.

    Parameters
    ----------
    properties
        Index ``property_id``; :data:`PROPERTY_COLUMNS`, optional ``connection_status``,
        ``bbr_use_code``.
    districts
        Index ``district_id``; ``name``, ``status`` and optionally ``planned_phase``.
    trenches, service_pipes, district_feed
        The routing's tables: trenches with ``length_m``, ``district_id``, ``dn`` (else
        ``cost_dkk``), optional ``is_feeder``, ``upstream_segment``; service pipes with
        ``length_m``; the feed with ``fed_from`` (or None).
    scenario
        Supplies ``economics.*``, ``network.*``, ``pipes.*``, ``household.*``, ``uptake.*``.
    factors
        t CO2 per MWh delivered heat, index ``heating_type``, columns years (as
        ``model.emissions.heat_emission_factors``); must hold ``base_year``.
    base_year
        Year whose factors give today's CO2 (``co2_today_t_a``); ``general.base_year`` when
        None.
    done
        Districts whose works ended before ``phasing.first_year``: their mains are sunk.
    sensitivity
        Compute the sensitivity cases (``npv_difference_<case>_mdkk``, ``sensitivity_flips``).

    Returns
    -------
    economics
        Index ``district_id``; the columns are declared in ``heatplan/core/columns.py``
        (``docs/columns.md``, table ``districts``).
    """
    final_share = float(scenario.value("uptake.final_share"))
    base_year = int(scenario.value("general.base_year")) if base_year is None else base_year
    conv = _check_inputs(properties, districts, trenches, factors, base_year)
    done = set(done or ())
    econ = _identity(districts, district_feed)

    def quantities(variant: Scenario) -> pd.DataFrame:
        return district_quantities(conv, districts, trenches, service_pipes, scenario=variant,
                                   final_share=final_share, done=done)

    q = quantities(scenario)
    study = study_period(scenario)
    roots = _production_sources(econ, scenario)
    inputs = alternative_inputs(conv, q, study, scenario=scenario, roots=roots)
    econ = econ.join(q.drop(columns=list(INTERNAL_COLUMNS)))
    _add_heat_flows(econ, q, scenario, final_share)
    econ = econ.join(compare_alternatives(inputs, study, scenario))
    none = econ["n_to_convert"].eq(0)  # nothing to compare
    econ.loc[none, COMPARISON_COLUMNS] = np.nan
    _add_co2(econ, conv, factors[base_year], scenario)
    econ = _add_money(econ, conv, study, scenario, inputs)
    if sensitivity:
        run = CaseRun(lambda variant: alternative_inputs(conv, quantities(variant), study,
                                                         scenario=variant, roots=roots))
        cases = sensitivity_table(inputs, study, scenario, run)
        cases.loc[none, :] = np.nan
        econ = econ.join(cases)
        econ["sensitivity_flips"] = flipping_cases(econ["npv_difference_mdkk"], cases)
    logger.info(
        "District economics for %d districts: %d properties to convert, %.1f km own mains, "
        "%.1f km feeder mains, heat loss %.1f %% of the heat fed in; reference %s",
        len(econ), int(econ["n_to_convert"].sum()), econ["trench_m"].sum() / 1000,
        econ["feeder_trench_m"].sum() / 1000, 100 * total_loss_share(econ),
        reference_of(scenario))
    return econ


def _production_sources(econ: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """The feed at the root of each district's ``fed_from`` chain, also kept as
    ``production_source``; costs named for feeds no district uses are warned."""
    roots = feed_roots(econ["fed_from"])
    check_sources(scenario, roots)
    econ["production_source"] = roots.fillna("").astype(str)
    return roots


def _add_money(econ: pd.DataFrame, conv: pd.DataFrame, study: StudyPeriod,
               scenario: Scenario, inputs: AlternativeInputs) -> pd.DataFrame:
    """The utility's budget (heat at each source's first-year production cost) and the
    household bills' medians per district (no district heating figures where no network was
    routed)."""
    production = pd.Series(inputs.by_year["production"][:, 0], index=inputs.index)
    bills = household_bills(conv, scenario=scenario)
    fees = bills["connection_fee_dkk"].where(
        ~conv["connection_status"].astype(str).eq("connected"), 0.0)
    econ = econ.join(utility_budget(econ, fees.groupby(conv["district_id"]).sum(), study,
                                    production_dkk_per_mwh=production, scenario=scenario))
    medians = bills.drop(columns="connection_fee_dkk").groupby(conv["district_id"]).median()
    econ = econ.join(medians.reindex(econ.index))
    no_network = econ["npv_dh_mdkk"].isna()  # no district heating to budget or to bill
    econ.loc[no_network, [c for c in econ.columns if c.startswith("utility_")]] = np.nan
    econ.loc[no_network, "bill_dh_dkk_a"] = np.nan
    return econ


def total_loss_share(econ: pd.DataFrame) -> float:
    """Share of the heat fed into the new networks that they lose (all districts)."""
    loss = float(econ["heat_loss_mwh_a"].sum())
    fed = loss + float(econ.loc[econ["heat_loss_mwh_a"] > 0, "heat_sold_mwh_a"].sum())
    return loss / fed if fed > 0 else float("nan")


def _check_inputs(properties: pd.DataFrame, districts: pd.DataFrame, trenches: pd.DataFrame,
                  factors: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """The columns earlier stages add, the base year's factors and known district ids;
    returns the properties to convert (with ``connection_status``)."""
    require_columns(properties, PROPERTY_COLUMNS, table_name="properties", stage="model")
    require_columns(districts, ("status",), table_name="districts", stage="validate")
    require_columns(trenches, ("length_m", "district_id"), table_name="trenches",
                    stage="routing")
    if base_year not in factors.columns:
        msg = f"The CO2 factor table has no column for the base year {base_year}."
        raise SchemaError(msg)
    unknown = sorted(set(properties["district_id"].dropna().astype(str)) - set(districts.index))
    if unknown:
        msg = (
            f"properties.district_id holds {len(unknown)} district id(s) not in the districts "
            f"layer: {unknown[:5]}; fix the ids or add the districts."
        )
        raise SchemaError(msg)
    conv = properties[properties["is_to_convert"].astype(bool)
                      & properties["district_id"].notna()].copy()
    status = conv.get("connection_status", pd.Series("", index=conv.index))
    conv["connection_status"] = status.astype("string").fillna("").astype(str)
    if "bbr_use_code" not in conv.columns:
        conv["bbr_use_code"] = ""
    return conv


def _identity(districts: pd.DataFrame, district_feed: pd.DataFrame | None) -> pd.DataFrame:
    """Index ``district_id``: name, status, planned phase and feed."""
    econ = pd.DataFrame(index=districts.index.copy())
    econ.index.name = "district_id"
    econ["name"] = districts["name"] if "name" in districts.columns else econ.index.astype(str)
    econ["status"] = districts["status"].astype(str)
    econ["planned_phase"] = (
        pd.to_numeric(districts["planned_phase"], errors="coerce").astype("Int64")
        if "planned_phase" in districts.columns else pd.Series(pd.NA, index=econ.index,
                                                              dtype="Int64"))
    fed = pd.Series(pd.NA, index=econ.index, dtype=object)
    if district_feed is not None and "fed_from" in district_feed.columns:
        fed = district_feed["fed_from"].reindex(econ.index).astype(object)
    econ["fed_from"] = fed
    return econ


def _add_heat_flows(econ: pd.DataFrame, q: pd.DataFrame, scenario: Scenario,
                    final_share: float) -> None:
    """Cost, heat sold, lost and produced at the expected take-up, densities, loss share."""
    econ["cost_dkk"] = (econ["mains_cost_dkk"] + econ["station_cost_dkk"]
                        + econ["service_cost_dkk"] + econ["connection_cost_dkk"])
    metres = econ["trench_m"] + econ["feeder_trench_m"]
    sold = econ["heat_demand_mwh_a"] * final_share
    with np.errstate(divide="ignore", invalid="ignore"):
        econ["linear_heat_density_mwh_m_a"] = (econ["heat_demand_mwh_a"] / metres).where(
            metres > 0)
        econ["expected_linear_heat_density_mwh_m_a"] = (sold / metres).where(metres > 0)
    has_network = q["has_network"].astype(bool)
    loss = (q["mains_loss_mwh_a"] + q["service_loss_mwh_a"] * final_share).where(
        has_network, 0.0)
    econ["heat_sold_mwh_a"] = sold.where(has_network, 0.0)
    econ["heat_loss_mwh_a"] = loss
    keep = 1.0 - float(scenario.value("network.station_loss_share"))
    econ["heat_produced_mwh_a"] = (econ["heat_sold_mwh_a"] + loss) / keep
    fed = econ["heat_sold_mwh_a"] + loss
    with np.errstate(divide="ignore", invalid="ignore"):
        econ["heat_loss_share"] = (loss / fed).where(fed > 0)


def _add_co2(econ: pd.DataFrame, conv: pd.DataFrame, f_base: pd.Series,
             scenario: Scenario) -> None:
    """``co2_today_t_a``, ``co2_avoided_t_a`` (against the reference) and ``cost_per_t_dkk``."""
    f_today = conv["heating_type"].map(f_base).fillna(f_base.get("other", 0.0)).astype(float)
    demand = conv["heat_demand_mwh_a"].astype(float)
    econ["co2_today_t_a"] = (demand * f_today).groupby(conv["district_id"]).sum().reindex(
        econ.index, fill_value=0.0)
    ref = "co2_hp_t_a" if reference_of(scenario) == "heat_pump" else "co2_gas_t_a"
    econ["co2_avoided_t_a"] = econ[ref] - econ["co2_dh_t_a"]
    years = float(scenario.value("economics.study_period_years"))
    with np.errstate(divide="ignore", invalid="ignore"):
        econ["cost_per_t_dkk"] = (econ["cost_dkk"] / (econ["co2_avoided_t_a"] * years)).where(
            econ["co2_avoided_t_a"] > 0)
