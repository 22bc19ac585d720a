"""The model stage: what each property is today, computed once for every later stage.

:func:`model_dataset` takes the validated dataset and returns a :class:`Model`: the properties
with their heating type, conversion target, chosen label's demand, peak load and base-year CO2,
the label that speaks for each property, and the CO2 factors per heating type and year. No
later stage re-derives any of these; a missing column there is a programming error
(:class:`~heatplan.core.errors.StageContractError`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from heatplan.core.dataset import Dataset
from heatplan.core.scenario import Scenario
from heatplan.model.demand import estimate_heat_demand
from heatplan.model.emissions import heat_emission_factors
from heatplan.model.heat_pump import heat_pump_factors, heat_pump_system
from heatplan.model.heating import classify_heating, is_convertible
from heatplan.model.labels import select_labels

MODEL_COLUMNS: tuple[str, ...] = (
    "heating_type", "is_to_convert", "heat_demand_mwh_a", "demand_source", "demand_year",
    "peak_load_kw", "heat_pump_system", "co2_t_a",
)
"""Columns the model stage adds to the properties, in this order."""


@dataclass(frozen=True)
class Model:
    """The model stage's tables (EPSG:25832; indexes as in the dataset)."""

    properties: gpd.GeoDataFrame
    """The dataset's properties plus :data:`MODEL_COLUMNS`."""
    chosen_labels: pd.DataFrame
    """Index ``property_id``: the label that speaks for each labelled property
    (:func:`heatplan.model.labels.select_labels`)."""
    emission_factors: dict[bool, pd.DataFrame]
    """t CO2 per MWh delivered heat, index ``heating_type``, columns ``general.base_year`` …
    ``general.horizon_end_year``; key False without and True with carbon capture."""

    def factors(self, scenario: Scenario) -> pd.DataFrame:
        """The factor table the scenario counts with (``emissions.ccs_enabled``)."""
        return self.emission_factors[bool(scenario.value("emissions.ccs_enabled"))]


def emission_factor_tables(scenario: Scenario) -> dict[bool, pd.DataFrame]:
    """t CO2 per MWh by heating type and year, without (False) and with (True) carbon capture."""
    years = range(int(scenario.value("general.base_year")),
                  int(scenario.value("general.horizon_end_year")) + 1)
    return {
        ccs: heat_emission_factors(scenario.with_values(emissions__ccs_enabled=ccs), years)
        for ccs in (False, True)
    }


def model_properties(
    properties: gpd.GeoDataFrame, labels: pd.DataFrame | None, *, scenario: Scenario,
    factors: pd.DataFrame, metered: pd.DataFrame | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The properties with :data:`MODEL_COLUMNS`, and the label chosen for each property.

    ``metered`` is the metered table; metered heat comes before labels and area
    (:func:`heatplan.model.demand.estimate_heat_demand`).

    ``factors`` is the CO2 factor table the scenario counts with (:meth:`Model.factors`);
    ``co2_t_a`` (t/a) is today's heating at its ``general.base_year`` column, a heat pump's at
    its own system's SCOP (:mod:`heatplan.model.heat_pump`).
    """
    out = properties.copy()  # the dataset stays as it was read
    out["heating_type"] = classify_heating(out["heating_installation"], out.get("heating_fuel"))
    out["is_to_convert"] = is_convertible(out["heating_type"])
    chosen = select_labels(labels, scenario=scenario)
    demand = estimate_heat_demand(out, chosen, scenario=scenario, metered=metered)
    out = out.join(demand[["heat_demand_mwh_a", "demand_source", "demand_year", "peak_load_kw"]])
    out["heat_pump_system"] = heat_pump_system(out["peak_load_kw"], out["year_built"],
                                               scenario=scenario)
    year = int(scenario.value("general.base_year"))
    factor = out["heating_type"].map(factors[year]).fillna(0.0).astype(float)
    own_hp = heat_pump_factors(out["heat_pump_system"], [year], scenario=scenario)[year]
    factor = factor.where(~out["heating_type"].eq("heat_pump"), own_hp)
    out["co2_t_a"] = out["heat_demand_mwh_a"].astype(float) * factor
    return out, chosen


def model_dataset(dataset: Dataset, *, scenario: Scenario) -> Model:
    """The model stage: :func:`model_properties` and the CO2 factor tables of the dataset."""
    factors = emission_factor_tables(scenario)
    properties, chosen = model_properties(
        dataset.properties, dataset.labels, scenario=scenario,
        factors=factors[bool(scenario.value("emissions.ccs_enabled"))], metered=dataset.metered,
    )
    return Model(properties, chosen, factors)
