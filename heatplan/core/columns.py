"""Every column the stages add to the tables they pass on, declared once.

Each :class:`PlanColumn` gives a column's name (with its unit suffix), dtype, unit, meaning, the
tables that carry it and its display names in Danish and English. The input-contract columns
are declared in :mod:`heatplan.core.schema`; only their display names are here
(:data:`CONTRACT_LABELS`). The report, the renovation ranking files and the GeoPackage read
these declarations, ``tests/test_columns.py`` checks them against a plan of the bundled sample,
and ``docs/columns.md`` is generated from them by :func:`columns_markdown`
(``python -m heatplan.core.columns docs/columns.md``).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from heatplan.core.column_types import ContractLabels, Label, PlanColumn
from heatplan.core.columns_economics import ECONOMICS_COLUMNS
from heatplan.core.columns_works import (
    SHARED_LABELS,
    SHARED_TABLES,
    WORKS_COLUMNS,
    WORKS_PLAN_TABLES,
    WORKS_TABLES,
)
from heatplan.core.schema import DISTRICTS, LABELS, PLANNED_WORKS, PROPERTIES, STREETS, Layer

TABLES: dict[str, str] = {
    "properties": "the plan's properties (index `property_id`)",
    "districts": "the plan's energy districts (index `district_id`)",
    "trenches": "the new trenches (index `segment_id`, derived from the geometry)",
    "service_pipes": "the service pipes (index `property_id`)",
    "district_feed": "where each routed district is fed from (index `district_id`); routing "
    "passes it to phasing, whose districts carry its `fed_from`",
    "renovation": "the renovation ranking of municipal buildings (index `property_id`)",
    "years": "the plan year by year (index `year`)",
    "co2_trajectory": "building-heat CO2 of the plan against baseline and target (index `year`)",
    "changes": "the differences from the previous plan (a yearly revision)",
    "report_phases": "the report's table of phases, summed from the districts",
    "report_years": "the report's year-by-year table: `years` plus cumulative connections and "
    "the trajectory's target, carbon-capture and reduction columns",
    "report_rejected": "the report's list of rejected input rows",
    "gpkg_properties": "the GeoPackage's properties layer: `properties` with two renamed or "
    "added columns",
    "report_sensitivity": "the report's sensitivity table: the districts whose recommendation "
    "changes, by case",
    "report_assumptions": "the report's list of the scenario values that are assumptions",
    "report_method": "the report's method and references",
    **WORKS_TABLES,
}
"""Every table a column can be declared for, with what it is."""

PLAN_TABLES: tuple[str, ...] = (
    "properties", "districts", "trenches", "service_pipes", "district_feed", "renovation",
    "years", "co2_trajectory", "changes", *WORKS_PLAN_TABLES,
)
"""The tables passed between stages (the rest of :data:`TABLES` are made by outputs)."""

CONTRACT_LAYERS: dict[str, tuple[Layer, ...]] = {
    "properties": (PROPERTIES,),
    "districts": (DISTRICTS,),
    "trenches": (STREETS,),
    "renovation": (PROPERTIES, LABELS),
    "work_conflicts": (PLANNED_WORKS,),
}
"""The input layers whose contract columns a plan table may carry on unchanged."""

DTYPE_MATCHES: dict[str, tuple[str, ...]] = {
    "Int64": ("Int64",),
    "int64": ("int64",),
    "float64": ("float64",),
    "bool": ("bool",),
    "boolean": ("boolean",),
    "string": ("str", "string", "object"),
}
"""Declared dtype → the pandas dtypes (``str(series.dtype)``) a column may have.

``Int64`` and ``boolean`` are pandas' nullable types (empty where a value does not apply);
text is ``string``, which pandas holds as ``str``, ``string`` or ``object``."""

COLUMNS: tuple[PlanColumn, ...] = (
    # ---- properties (validate, model, plan)
    PlanColumn("district_id_source", "string", "", "`input` when `district_id` was given, "
               "`location` when validation found it by location", ("properties",)),
    PlanColumn("heating_type", "string", "", "`district_heating`, `natural_gas`, `oil`, "
               "`heat_pump`, `electric`, `solid_fuel`, `other` or `none`",
               ("properties", "renovation"), Label("Opvarmning", "Heating")),
    PlanColumn("is_to_convert", "bool", "", "individual gas or oil heating: the rollout's "
               "target", ("properties",)),
    PlanColumn("heat_demand_mwh_a", "float64", "MWh/year", "delivered heat per year "
               "(districts: of the properties to convert at full take-up)",
               ("properties", "districts", "renovation", "report_phases"),
               Label("Varmebehov (MWh/år)", "Heat demand (MWh/a)"),
               Label("Varmebehov MWh/år", "Heat demand MWh/yr")),
    PlanColumn("demand_source", "string", "", "where the heat demand comes from: `metered` "
               "(normalised to a normal year with degree days), `label` or `area`",
               ("properties", "renovation"),
               ranking_label=Label("Varmebehov fra", "Heat demand from")),
    PlanColumn("demand_year", "Int64", "year", "year of the demand's evidence: the metered "
               "year, or the year the label is valid from; empty for an area estimate",
               ("properties",), Label("Varmebehov fra år", "Heat demand evidence year")),
    PlanColumn("peak_load_kw", "float64", "kW", "design peak load of the property",
               ("properties",)),
    PlanColumn("co2_t_a", "float64", "t CO2/year", "CO2 of today's heating in the base year",
               ("properties",), Label("CO2 (t/år)", "CO2 (t/a)")),
    PlanColumn("co2_after_t_a", "float64", "t CO2/year", "CO2 with the heating the plan "
               "gives the property, at base-year factors", ("properties",),
               Label("CO2 efter (t/år)", "CO2 after (t/a)")),
    PlanColumn("recommendation", "string", "", "`district_heating`, `individual_heat_pump`, "
               "`existing_dh` or `none`", ("properties", "districts"),
               Label("Anbefaling", "Recommendation")),
    PlanColumn("phase", "Int64", "", "the rollout phase", ("properties", "districts",
               "trenches", "report_phases"), Label("Fase", "Phase")),
    PlanColumn("offer_year", "Int64", "year", "year the property is offered a connection",
               ("properties",)),
    PlanColumn("construction_start_year", "Int64", "year", "first year of works in the "
               "property's district", ("properties",)),
    PlanColumn("construction_end_year", "Int64", "year", "last year of works in the "
               "property's district", ("properties",)),
    PlanColumn("connection_year", "Int64", "year", "year the property is expected to "
               "connect; empty when not expected", ("properties",)),
    # ---- districts (economics, recommendation, works, schedule, heating mix)
    PlanColumn("fed_from", "string", "", "feed: another `district_id`, `existing_network` or "
               "a `source_id` (trenches: the feed label at a feed point, else empty)",
               ("districts", "trenches", "district_feed"), Label("Forsynes fra", "Fed from")),
    PlanColumn("n_to_convert", "int64", "", "properties to convert (individual gas or oil)",
               ("districts", "report_phases"),
               Label("Ejendomme at konvertere", "Properties to convert")),
    PlanColumn("n_expected", "float64", "", "properties expected to connect: `n_to_convert` × "
               "final take-up", ("districts",)),
    PlanColumn("heated_area_m2", "float64", "m²", "heated floor area of the properties to "
               "convert", ("districts",), Label("Opvarmet areal (m²)", "Heated area (m²)"),
               Label("Opvarmet areal m²", "Heated area m²")),
    PlanColumn("trench_m", "float64", "m", "own mains of the district", ("districts",
               "report_phases"), Label("Tracé (m)", "Trench (m)")),
    PlanColumn("feeder_trench_m", "float64", "m", "the district's share of feeder mains "
               "(district_feed: metres it owns outside its polygon)",
               ("districts", "district_feed", "report_phases"),
               Label("Forsyningsledning (m)", "Feeder trench (m)")),
    PlanColumn("mains_cost_dkk", "float64", "DKK", "own mains plus the share of feeder mains, "
               "not yet built", ("districts",)),
    PlanColumn("service_cost_dkk", "float64", "DKK", "service pipes of the expected "
               "connections", ("districts",)),
    PlanColumn("connection_cost_dkk", "float64", "DKK", "house connections (substations) of "
               "the expected connections", ("districts",)),
    PlanColumn("cost_dkk", "float64", "DKK", "investment: a district's mains not yet built, "
               "stations, service pipes and connections; a trench's or service pipe's "
               "construction; a year's works",
               ("districts", "trenches", "service_pipes", "years", "report_phases"),
               Label("Anlægsomkostning (kr.)", "Investment (DKK)")),
    PlanColumn("linear_heat_density_mwh_m_a", "float64", "MWh/m/year", "heat demand per "
               "metre of trench (all properties to convert)", ("districts", "report_phases"),
               Label("Linjetæthed (MWh/m/år)", "Linear heat density (MWh/m/a)")),
    PlanColumn("expected_linear_heat_density_mwh_m_a", "float64", "MWh/m/year", "heat "
               "demand per metre of trench at the expected take-up", ("districts",)),
    PlanColumn("co2_today_t_a", "float64", "t CO2/year", "CO2 of the properties to convert "
               "today", ("districts",)),
    PlanColumn("co2_avoided_t_a", "float64", "t CO2/year", "CO2 of the reference "
               "(economics.reference) minus CO2 of district heating, average over the study "
               "period; below 0: district heating emits more", ("districts", "report_phases"),
               Label("CO2 undgået mod reference (t/år)", "CO2 avoided vs reference (t/a)")),
    PlanColumn("cost_per_t_dkk", "float64", "DKK/t CO2", "investment per tonne of CO2 "
               "saved (districts: against the reference over the study period)",
               ("districts", "renovation"), Label("Kr. pr. t CO2", "DKK per t CO2")),
    PlanColumn("dh_cost_dkk_per_mwh", "float64", "DKK/MWh", "socio-economic cost of district "
               "heat per MWh sold: present value ÷ discounted heat sold", ("districts",)),
    PlanColumn("hp_cost_dkk_per_mwh", "float64", "DKK/MWh", "socio-economic cost of heat "
               "from individual heat pumps per MWh", ("districts",)),
    PlanColumn("density_class", "string", "", "class of the linear heat density (critical "
               "… very good), in the plan's language", ("districts",)),
    PlanColumn("passes_density", "bool", "", "the density reaches the scenario's threshold",
               ("districts",)),
    PlanColumn("is_cheaper_than_heat_pumps", "bool", "", "district heating's socio-economic "
               "present value is no higher than individual heat pumps'", ("districts",)),
    PlanColumn("economic_recommendation", "string", "", "what the socio-economic comparison "
               "alone recommends", ("districts",),
               Label("Samfundsøkonomisk anbefaling", "Socio-economic recommendation")),
    PlanColumn("is_flagged", "bool", "", "a candidate area the economics do not support",
               ("districts",)),
    PlanColumn("reason", "string", "", "why, in words: a district's recommendation, a row's "
               "rejection", ("districts", "report_rejected"), Label("Begrundelse", "Reason")),
    PlanColumn("works_trench_m", "float64", "m", "trench metres dug in the district",
               ("districts",)),
    PlanColumn("is_transit", "bool", "", "an individual-heating district carrying feeder "
               "mains for others", ("districts",)),
    PlanColumn("carries_for", "string", "", "the districts a transit district's feeder serves",
               ("districts",)),
    PlanColumn("works_cost_dkk", "float64", "DKK", "cost of the trenches dug in the district",
               ("districts",)),
    PlanColumn("start_year", "Int64", "year", "first year of the district's works",
               ("districts", "report_phases"), Label("Startår", "Start year")),
    PlanColumn("end_year", "Int64", "year", "last year of the district's works",
               ("districts", "report_phases"), Label("Slutår", "End year")),
    PlanColumn("n_properties", "int64", "", "properties in the district", ("districts",),
               Label("Ejendomme i alt", "Properties in all")),
    PlanColumn("n_natural_gas", "int64", "", "of which natural gas", ("districts",),
               Label("Heraf naturgas", "Of which natural gas")),
    PlanColumn("n_oil", "int64", "", "of which oil", ("districts",),
               Label("Heraf olie", "Of which oil")),
    PlanColumn("n_district_heating", "int64", "", "of which district heating", ("districts",),
               Label("Heraf fjernvarme", "Of which district heating")),
    PlanColumn("n_heat_pump", "int64", "", "of which heat pump", ("districts",),
               Label("Heraf varmepumpe", "Of which heat pump")),
    PlanColumn("n_other_heating", "int64", "", "of which other heating (electric, solid fuel, "
               "other, none)", ("districts",),
               Label("Heraf anden opvarmning", "Of which other heating")),
    # ---- trenches and service pipes (routing, phasing)
    PlanColumn("segment_id", "string", "", "trench segment id, derived from its geometry "
               "(service pipes: the segment tapped; empty on an existing main or feed point)",
               ("trenches", "service_pipes")),
    PlanColumn("district_id", "string", "", "the district the trench or service pipe belongs "
               "to", ("trenches", "service_pipes"), Label("Distrikt-id", "District id")),
    PlanColumn("length_m", "float64", "m", "length", ("trenches", "service_pipes")),
    PlanColumn("dn", "int64", "mm", "nominal pipe size (DN)", ("trenches",)),
    PlanColumn("peak_kw", "float64", "kW", "peak load × simultaneity (trenches: downstream; "
               "districts: of the expected connections)", ("trenches", "districts")),
    PlanColumn("downstream_peak_kw", "float64", "kW", "sum of the downstream peak loads",
               ("trenches",)),
    PlanColumn("n_consumers", "int64", "", "properties downstream", ("trenches",)),
    PlanColumn("upstream_segment", "string", "", "the segment feeding this one; empty at a "
               "feed point", ("trenches",)),
    PlanColumn("is_feeder", "bool", "", "the segment also serves other districts",
               ("trenches",)),
    PlanColumn("is_in_district", "bool", "", "the segment's midpoint lies in its district",
               ("trenches",)),
    PlanColumn("kind", "string", "", "what the row is: a trench `street` or `source_link`; a "
               "change's `district` or `property`", ("trenches", "changes"),
               Label("Type", "Kind")),
    PlanColumn("street_name", "string", "", "name of the street the trench follows",
               ("trenches",)),
    PlanColumn("is_built", "bool", "", "the plan digs the trench", ("trenches",)),
    PlanColumn("construction_year", "Int64", "year", "year the trench is dug", ("trenches",)),
    PlanColumn("n_entries", "int64", "", "places where the district's network is entered",
               ("district_feed",)),
    # ---- renovation ranking
    PlanColumn("rank", "int64", "", "place in the ranking, 1 first", ("renovation",),
               Label("Placering", "Rank")),
    PlanColumn("dh_from_year", "Int64", "year", "year the building gets district heating",
               ("renovation",), ranking_label=Label("Fjernvarme fra år",
                                                    "District heating from")),
    PlanColumn("label_is_valid", "boolean", "", "the energy label is valid", ("renovation",),
               ranking_label=Label("Mærket er gyldigt", "Label valid")),
    PlanColumn("label_age_years", "float64", "years", "age of the energy label",
               ("renovation",), ranking_label=Label("Mærkets alder år", "Label age years")),
    PlanColumn("renew_label_first", "bool", "", "the label should be renewed before "
               "renovating", ("renovation",),
               ranking_label=Label("Forny energimærket først", "Renew the label first")),
    PlanColumn("saving_basis", "string", "", "where the saving comes from: `proposals` or "
               "`class_step`", ("renovation",),
               ranking_label=Label("Besparelse fra", "Saving from")),
    PlanColumn("proposal_set", "string", "", "which proposals count: `profitable` or `all`",
               ("renovation",), ranking_label=Label("Forslag", "Proposals")),
    PlanColumn("n_proposals", "int64", "", "proposals counted", ("renovation",),
               ranking_label=Label("Antal forslag", "Number of proposals")),
    PlanColumn("target_class", "string", "", "energy-label class the renovation aims at",
               ("renovation",), Label("Målklasse", "Target class")),
    PlanColumn("assumed_class", "string", "", "class assumed where the building has no label",
               ("renovation",), ranking_label=Label("Antaget klasse", "Assumed class")),
    PlanColumn("heat_saved_mwh_a", "float64", "MWh/year", "heat saved per year",
               ("renovation",), Label("Varmebesparelse (MWh/år)", "Heat saved (MWh/a)"),
               Label("Sparet varme MWh/år", "Heat saved MWh/yr")),
    PlanColumn("investment_dkk", "float64", "DKK", "investment in the counted proposals or "
               "the step to the target class", ("renovation",),
               Label("Investering (kr.)", "Investment (DKK)"),
               Label("Investering kr.", "Investment DKK")),
    PlanColumn("saving_dkk_a", "float64", "DKK/year", "yearly saving of the counted proposals",
               ("renovation",), ranking_label=Label("Besparelse kr./år", "Saving DKK/yr")),
    PlanColumn("co2_saved_t_horizon", "float64", "t CO2", "CO2 saved up to the horizon year",
               ("renovation",), Label("CO2 sparet i alt (t)", "CO2 saved, total (t)"),
               Label("CO2 sparet i alt t", "CO2 saved total t")),
    PlanColumn("co2_saved_t_target", "float64", "t CO2", "CO2 saved in the target year",
               ("renovation",),
               Label("CO2 sparet i målåret (t)", "CO2 saved in target year (t)"),
               Label("CO2 sparet i målåret t", "CO2 saved target year t")),
    PlanColumn("payback_years", "float64", "years", "simple payback time", ("renovation",),
               Label("Tilbagebetalingstid (år)", "Payback (years)"),
               Label("Tilbagebetalingstid år", "Payback years")),
    PlanColumn("explanation", "string", "", "the ranking explained in words", ("renovation",),
               Label("Forklaring", "Explanation"), Label("Begrundelse", "Why")),
    # ---- years and the CO2 trajectory
    PlanColumn("year", "int64", "year", "calendar year", ("years", "co2_trajectory"),
               Label("År", "Year")),
    PlanColumn("connections", "float64", "", "properties expected to connect in the year",
               ("years",), Label("Tilslutninger", "Connections")),
    PlanColumn("trench_km", "float64", "km", "trench dug in the year", ("years",),
               Label("Tracé (km)", "Trench (km)")),
    PlanColumn("co2_t", "float64", "t CO2", "building-heat CO2 of the plan in the year",
               ("years", "co2_trajectory"), Label("CO2, planen (t)", "CO2, the plan (t)")),
    PlanColumn("co2_avoided_t", "float64", "t CO2", "CO2 avoided in the year against no "
               "rollout", ("years",), Label("CO2 undgået (t)", "CO2 avoided (t)")),
    PlanColumn("baseline_co2_t", "float64", "t CO2", "CO2 of the base year",
               ("co2_trajectory",), Label("CO2, basisår (t)", "CO2, base year (t)")),
    PlanColumn("target_co2_t", "float64", "t CO2", "the reduction target's CO2",
               ("co2_trajectory",), Label("CO2-mål (t)", "CO2 target (t)")),
    PlanColumn("co2_with_ccs_t", "float64", "t CO2", "the plan's CO2 with carbon capture",
               ("co2_trajectory",),
               Label("CO2 med CO2-fangst (t)", "CO2 with carbon capture (t)")),
    PlanColumn("co2_without_ccs_t", "float64", "t CO2", "the plan's CO2 without carbon "
               "capture", ("co2_trajectory",),
               Label("CO2 uden CO2-fangst (t)", "CO2 without carbon capture (t)")),
    PlanColumn("co2_no_plan_t", "float64", "t CO2", "CO2 without the rollout",
               ("co2_trajectory",), Label("CO2 uden udrulning (t)", "CO2 without the rollout (t)")),
    PlanColumn("co2_takeup_{pct}_t", "float64", "t CO2", "the plan's CO2 at a final take-up "
               "of {pct} %", ("co2_trajectory",)),
    PlanColumn("reduction_share", "float64", "share 0–1", "the plan's reduction against the "
               "base year", ("co2_trajectory",),
               Label("Reduktion i forhold til basisår", "Reduction vs base year")),
    # ---- changes against the previous plan (revision)
    PlanColumn("id", "string", "", "the district or property the row is about (rejected "
               "rows: their id)", ("changes", "report_rejected"), Label("Id", "Id")),
    PlanColumn("field", "string", "", "the changed column, or `added` / `removed`",
               ("changes",), Label("Felt", "Field")),
    PlanColumn("old", "string", "", "the value in the previous plan", ("changes",),
               Label("Før", "Before")),
    PlanColumn("new", "string", "", "the value now", ("changes",), Label("Nu", "Now")),
    PlanColumn("description", "string", "", "the change in words (method: the text)",
               ("changes", "report_method"), Label("Beskrivelse", "Description")),
    # ---- derived by the outputs
    PlanColumn("n_districts", "int64", "", "districts in the phase", ("report_phases",),
               Label("Distrikter", "Districts")),
    PlanColumn("connections_cum", "float64", "", "connections up to and including the year",
               ("report_years",), Label("Tilslutninger i alt", "Connections, cumulative")),
    PlanColumn("layer", "string", "", "the input layer of a rejected row",
               ("report_rejected",), Label("Lag", "Layer")),
    PlanColumn("co2_before_t_a", "float64", "t CO2/year", "`co2_t_a`, renamed",
               ("gpkg_properties",), Label("CO2 før (t/år)", "CO2 before (t/a)")),
    PlanColumn("district_name", "string", "", "name of the property's district",
               ("gpkg_properties",)),
)
"""Every declared column, in the order of the tables above."""

COLUMNS = (*COLUMNS, *ECONOMICS_COLUMNS)
COLUMNS = (*(replace(c, tables=(*c.tables, *SHARED_TABLES.get(c.name, ())),
                     label=c.label or SHARED_LABELS.get(c.name)) for c in COLUMNS),
           *WORKS_COLUMNS)

CONTRACT_LABELS: tuple[ContractLabels, ...] = (
    ContractLabels("property_id", Label("Bygnings-id", "Building id")),
    ContractLabels("address", Label("Adresse", "Address")),
    ContractLabels("postcode", Label("Postnr. og by", "Postcode and town")),
    ContractLabels("work_id", Label("Andet arbejde nr.", "Other work no.")),
    ContractLabels("work_type", Label("Andet arbejde", "Other work")),
    ContractLabels("bbr_use_code", Label("BBR-anvendelse", "BBR use"),
                   Label("Anvendelse (BBR)", "Use (BBR)")),
    ContractLabels("year_built", Label("Opførelsesår", "Year built"), Label("Opført", "Built")),
    ContractLabels("name", Label("Navn", "Name")),
    ContractLabels("status", Label("Status", "Status")),
    ContractLabels("label_id", ranking_label=Label("Energimærke nr.", "Label no.")),
    ContractLabels("label_class", Label("Energimærke", "Energy label"),
                   Label("Energimærke", "Label")),
)
"""Display names of the input-contract columns the report and ranking files show."""

_BY_NAME: dict[str, PlanColumn | ContractLabels] = {
    **{c.name: c for c in CONTRACT_LABELS},
    **{c.name: c for c in COLUMNS},
}


def find_column(name: str) -> PlanColumn | None:
    """The declaration of column ``name`` (patterns like ``co2_takeup_{pct}_t`` included).

    >>> find_column("co2_takeup_80_t").name
    'co2_takeup_{pct}_t'
    """
    found = _BY_NAME.get(name)
    if isinstance(found, PlanColumn):
        return found
    return next((c for c in COLUMNS if "{" in c.name and c.pattern.match(name)), None)


def declared_dtype(name: str, table: str) -> str | None:
    """The declared dtype of column ``name`` in ``table``; None when it is not declared there."""
    column = find_column(name)
    return column.dtype if column is not None and table in column.tables else None


def dtype_matches(declared: str, actual: object) -> bool:
    """True when a column of pandas dtype ``actual`` fits the ``declared`` dtype.

    >>> dtype_matches("string", "object"), dtype_matches("Int64", "float64")
    (True, False)
    """
    return str(actual) in DTYPE_MATCHES[declared]


def column_label(name: str, lang: str = "da", *, ranking: bool = False) -> str:
    """The display name of column ``name`` in ``lang``; the code name when none is declared.

    ``ranking`` asks for the renovation ranking files' header, which is the report's header
    where the ranking has none of its own.

    >>> column_label("heat_demand_mwh_a"), column_label("heat_demand_mwh_a", "en", ranking=True)
    ('Varmebehov (MWh/år)', 'Heat demand MWh/yr')
    >>> column_label("dh_from_year"), column_label("no_such_column", "en")
    ('dh_from_year', 'no_such_column')
    """
    entry = _BY_NAME.get(name) or find_column(name)
    if entry is None:
        return name
    label = (entry.ranking_label or entry.label) if ranking else entry.label
    return label.in_lang(lang) if label is not None else name


# ------------------------------------------------------------------ docs/columns.md


def _label_cell(label: Label | None, ranking: Label | None, lang: str) -> str:
    parts = [label.in_lang(lang)] if label is not None else []
    if ranking is not None:
        parts.append(f"ranking: {ranking.in_lang(lang)}")
    return "; ".join(parts)


def _table_section(table: str) -> list[str]:
    out = [f"## `{table}`", "", TABLES[table][0].upper() + TABLES[table][1:] + "."]
    layers = CONTRACT_LAYERS.get(table, ())
    if layers:
        names = " and ".join(f"`{layer.name}`" for layer in layers)
        out.append(
            f"The contract columns of {names} it carries on are declared in "
            "[input-data.md](input-data.md); the others:"
        )
    out += ["", "| column | dtype | unit | meaning | Danish | English |", "|---" * 6 + "|"]
    for c in (c for c in COLUMNS if table in c.tables):
        out.append(
            f"| `{c.name}` | {c.dtype} | {c.unit} | {c.meaning} | "
            f"{_label_cell(c.label, c.ranking_label, 'da')} | "
            f"{_label_cell(c.label, c.ranking_label, 'en')} |"
        )
    return [*out, ""]


def columns_markdown() -> str:
    """Return ``docs/columns.md``, generated from the declarations in this module."""
    out = [
        "# Columns of the plan tables",
        "",
        "<!-- generated by heatplan.core.columns.columns_markdown(); do not edit: run "
        "`.venv/bin/python -m heatplan.core.columns docs/columns.md` -->",
        "",
        "Every column a stage adds to the tables it passes on, and the few the outputs derive, "
        "declared once in `heatplan/core/columns.py`. The input-contract columns are in "
        "[input-data.md](input-data.md). Danish and English are the headers of the report "
        "(HTML and XLSX); \"ranking:\" gives the renovation ranking files' own header. All "
        "geometries are in EPSG:25832.",
        "",
        "| declared dtype | pandas dtypes allowed |",
        "|---|---|",
        *(f"| {d} | {', '.join(actual)} |" for d, actual in DTYPE_MATCHES.items()),
        "",
    ]
    for table in TABLES:
        out += _table_section(table)
    out += [
        "## Display names of input-contract columns",
        "",
        "| column | Danish | English |",
        "|---|---|---|",
        *(
            f"| `{c.name}` | {_label_cell(c.label, c.ranking_label, 'da')} | "
            f"{_label_cell(c.label, c.ranking_label, 'en')} |"
            for c in CONTRACT_LABELS
        ),
    ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # python -m heatplan.core.columns docs/columns.md
    for doc in sys.argv[1:]:
        Path(doc).write_text(columns_markdown(), encoding="utf-8")
