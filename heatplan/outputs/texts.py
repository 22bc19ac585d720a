"""Danish and English texts of the planner outputs (maps, report, GeoPackage metadata).

One dictionary holds every user-facing word except the column headers, which are declared with
their columns in :mod:`heatplan.core.columns`; Danish is the default language, English the option.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

Lang = Literal["da", "en"]
LANGUAGES: tuple[str, ...] = ("da", "en")

TEXTS: dict[str, dict[str, str]] = {
    # titles and notes
    "plan_title": {
        "da": "Varmeplan – udrulning af fjernvarme",
        "en": "Heat plan – district-heating rollout",
    },
    "overview_title": {"da": "Faseplan – oversigt", "en": "Phase plan – overview"},
    "phase_title": {"da": "Fase {phase}", "en": "Phase {phase}"},
    "phase_years": {"da": "Fase {phase}: {start}–{end}", "en": "Phase {phase}: {start}–{end}"},
    "built_in": {"da": "udbygget {year}", "en": "built {year}"},
    "legend_done_area": {
        "da": "Fjernvarme udbygget før planperioden",
        "en": "District heating built before the plan period",
    },
    "more_districts": {"da": "… og {n} distrikter mere", "en": "… and {n} more districts"},
    "synthetic": {"da": "Syntetiske eksempeldata", "en": "Synthetic sample data"},
    "synthetic_note": {
        "da": "Syntetiske eksempeldata – ikke virkelige ejendomme, ledninger eller beslutninger.",
        "en": "Synthetic sample data – not real properties, pipes or decisions.",
    },
    "source_note": {
        "da": "Kilde: heatplan-beregning på {source}. Koordinater: ETRS89 / UTM 32N.",
        "en": "Source: heatplan calculation on {source}. Coordinates: ETRS89 / UTM 32N.",
    },
    "source_sample": {"da": "heatplans syntetiske eksempel", "en": "heatplan's synthetic sample"},
    "source_input": {"da": "kommunens inddata", "en": "the municipality's input data"},
    "municipality": {"da": "Kommune {code}", "en": "Municipality {code}"},
    "north": {"da": "N", "en": "N"},
    "report_title": {
        "da": "Koordineringsrapport – fjernvarmeudrulning",
        "en": "Coordination report – district-heating rollout",
    },
    "generated_from": {"da": "Scenarie: {files}", "en": "Scenario: {files}"},
    "default_scenario": {"da": "standardscenarie", "en": "default scenario"},
    # legend
    "legend_phase": {"da": "Fase {phase} ({start}–{end})", "en": "Phase {phase} ({start}–{end})"},
    "legend_phase_short": {"da": "Fase {phase}", "en": "Phase {phase}"},
    "legend_individual": {
        "da": "Individuel varmeforsyning (varmepumpe)",
        "en": "Individual heating (heat pump)",
    },
    "legend_existing_area": {
        "da": "Eksisterende fjernvarmeområde",
        "en": "Existing district-heating area",
    },
    "legend_other_area": {"da": "Øvrigt område", "en": "Other area"},
    "legend_existing_net": {
        "da": "Eksisterende fjernvarmenet",
        "en": "Existing district-heating network",
    },
    "legend_trench": {"da": "Nye ledninger, fase {phase}", "en": "New mains, phase {phase}"},
    "legend_trench_other": {"da": "Nye ledninger", "en": "New mains"},
    "legend_dn": {"da": "Linjebredde efter dimension (DN)", "en": "Line width by pipe size (DN)"},
    "legend_source": {"da": "Varmekilde / tilslutningspunkt", "en": "Heat source / feed point"},
    "legend_properties": {"da": "Ejendomme, der konverteres", "en": "Properties to convert"},
    "legend_other_phase": {"da": "Andre faser", "en": "Other phases"},
    # district status / recommendation
    "rec_district_heating": {"da": "Fjernvarme", "en": "District heating"},
    "rec_individual_heat_pump": {"da": "Individuel varmepumpe", "en": "Individual heat pump"},
    "rec_existing_dh": {"da": "Eksisterende fjernvarme", "en": "Existing district heating"},
    "rec_none": {"da": "Ingen ændring", "en": "No change"},
    "status_existing_dh": {"da": "Eksisterende fjernvarme", "en": "Existing district heating"},
    "status_candidate_dh": {
        "da": "Kandidat til fjernvarme",
        "en": "Candidate for district heating",
    },
    "status_individual": {"da": "Individuel forsyning", "en": "Individual heating"},
    "status_undecided": {"da": "Uafklaret", "en": "Undecided"},
    "fed_existing_network": {"da": "Eksisterende net", "en": "Existing network"},
    "sumkey_milp_gap": {
        "da": "MILP-gap (afstand til optimum)",
        "en": "MILP gap (distance to optimum)",
    },
    "sumkey_objective": {"da": "Målfunktionens værdi", "en": "Objective value"},
    # summary
    "sum_properties_to_convert": {
        "da": "Ejendomme med individuel gas- eller olieopvarmning",
        "en": "Properties with individual gas or oil heating",
    },
    "sum_properties_dh": {
        "da": "Ejendomme anbefalet fjernvarme",
        "en": "Properties recommended district heating",
    },
    "sum_properties_hp": {
        "da": "Ejendomme anbefalet individuel varmepumpe",
        "en": "Properties recommended individual heat pump",
    },
    "sum_districts": {"da": "Energidistrikter i planen", "en": "Energy districts in the plan"},
    "sum_districts_dh": {
        "da": "Distrikter med fjernvarme",
        "en": "Districts with district heating",
    },
    "sum_phases": {"da": "Faser", "en": "Phases"},
    "sum_trench_km": {"da": "Nye ledningstracéer (km)", "en": "New trenches (km)"},
    "sum_service_km": {"da": "Stikledninger (km)", "en": "Service pipes (km)"},
    "sum_cost_mdkk": {"da": "Anlægsomkostning (mio. kr.)", "en": "Investment (million DKK)"},
    "sum_heat_gwh": {
        "da": "Varmebehov, konverterede ejendomme (GWh/år)",
        "en": "Heat demand, converted properties (GWh/a)",
    },
    "sum_co2_avoided": {"da": "CO2 undgået (t/år)", "en": "CO2 avoided (t/a)"},
    "sum_first_year": {"da": "Første anlægsår", "en": "First construction year"},
    "sum_last_year": {"da": "Sidste anlægsår", "en": "Last construction year"},
    "sum_target": {"da": "CO2-mål {year} (t/år)", "en": "CO2 target {year} (t/a)"},
    "sum_plan_co2_target_year": {
        "da": "CO2 i planen {year} (t/år)",
        "en": "CO2 in the plan {year} (t/a)",
    },
    "sum_rejected": {"da": "Afviste inddatarækker", "en": "Rejected input rows"},
    "sum_renovation": {
        "da": "Kommunale bygninger i renoveringsrangering",
        "en": "Municipal buildings ranked for renovation",
    },
    "sum_item": {"da": "Nøgletal", "en": "Key figure"},
    "sum_value": {"da": "Værdi", "en": "Value"},
    # sections
    "sec_summary": {"da": "Sammenfatning", "en": "Summary"},
    "sec_timeline": {
        "da": "Tidsplan for energidistrikterne",
        "en": "Timeline of the energy districts",
    },
    "sec_connections": {"da": "Tilslutninger over tid", "en": "Connections over time"},
    "sec_co2": {"da": "CO2-udledning fra bygningsopvarmning", "en": "CO2 from building heat"},
    "sec_districts": {"da": "Energidistrikter", "en": "Energy districts"},
    "sec_phases": {"da": "Faser", "en": "Phases"},
    "sec_years": {"da": "År for år", "en": "Year by year"},
    "sec_renovation": {
        "da": "Renoveringsrangering af kommunale bygninger",
        "en": "Renovation ranking of municipal buildings",
    },
    "sec_changes": {"da": "Ændringer siden sidste plan", "en": "Changes since the previous plan"},
    "sec_rejected": {"da": "Afviste inddata", "en": "Rejected input"},
    "sec_assumptions": {"da": "Forudsætninger", "en": "Assumptions"},
    "no_changes": {
        "da": "Ingen ændringer i forhold til den forrige plan.",
        "en": "No changes against the previous plan.",
    },
    "none_rejected": {"da": "Ingen rækker afvist.", "en": "No rows rejected."},
    # charts
    "chart_year": {"da": "År", "en": "Year"},
    "chart_connections": {
        "da": "Tilsluttede ejendomme (akkumuleret)",
        "en": "Connected properties (cumulative)",
    },
    "chart_connections_year": {"da": "Tilslutninger pr. år", "en": "Connections per year"},
    "chart_co2": {"da": "CO2 (t/år)", "en": "CO2 (t/a)"},
    "chart_co2_plan": {"da": "Planen", "en": "The plan"},
    "chart_co2_plan_ccs": {"da": "Planen med CO2-fangst", "en": "The plan with carbon capture"},
    "chart_co2_plan_no_ccs": {
        "da": "Planen uden CO2-fangst",
        "en": "The plan without carbon capture",
    },
    "chart_co2_baseline": {"da": "Udgangspunkt (basisår)", "en": "Baseline (base year)"},
    "chart_co2_target": {"da": "Mål: −{share} % i {year}", "en": "Target: −{share} % by {year}"},
    "chart_construction": {"da": "Anlæg", "en": "Construction"},
    # kinds of change
    "kind_property": {"da": "Ejendom", "en": "Property"},
    "kind_district": {"da": "Distrikt", "en": "District"},
    "chart_co2_no_plan": {"da": "Uden udrulning", "en": "Without the rollout"},
    "chart_co2_takeup": {
        "da": "Planen ved {pct} % tilslutning",
        "en": "The plan at {pct} % take-up",
    },
    "sumkey_gap": {"da": "Heuristikkens afstand til optimum", "en": "Heuristic gap to optimum"},
    "method_milp": {"da": "optimering (MILP)", "en": "optimisation (MILP)"},
    "method_heuristic": {"da": "heuristik", "en": "heuristic"},
    "sumkey_used": {"da": "Tidsplan beregnet med", "en": "Schedule computed with"},
    "sumkey_objective_t": {
        "da": "Målfunktion: CO2 undgået (t)",
        "en": "Objective: CO2 avoided (t)",
    },
    "sumkey_properties_individual": {
        "da": "Ejendomme henvist til individuel varmepumpe",
        "en": "Properties referred to individual heat pumps",
    },
    "sumkey_dh_works_end_year": {
        "da": "Fjernvarmeanlæg afsluttet",
        "en": "District-heating works end",
    },
    "sumkey_n_properties": {"da": "Ejendomme i datasættet", "en": "Properties in the dataset"},
    # Plandata heat-plan areas
    "vp_dh": {"da": "Fjernvarme", "en": "Fjernvarme"},
    "vp_individual": {"da": "Individuel varmeforsyning", "en": "Individuel varmeforsyning"},
    "vp_plan_name": {"da": "Varmeplan {year}", "en": "Varmeplan {year}"},
    "supplier_default": {"da": "Vestforbrænding", "en": "Vestforbrænding"},
    # GeoPackage layer descriptions
    "gpkg_properties": {
        "da": "Ejendomme med planens anbefaling, fase og år",
        "en": "Properties with the plan's recommendation, phase and years",
    },
    "gpkg_districts": {
        "da": "Energidistrikter med økonomi og tidsplan",
        "en": "Energy districts with economics and schedule",
    },
    "gpkg_trenches": {
        "da": "Nye ledningstracéer med dimension og år",
        "en": "New trenches with pipe size and years",
    },
    "gpkg_service_pipes": {"da": "Stikledninger", "en": "Service pipes"},
    "gpkg_dh_network": {
        "da": "Eksisterende fjernvarmenet",
        "en": "Existing district-heating network",
    },
    "gpkg_heat_sources": {
        "da": "Varmekilder og tilslutningspunkter",
        "en": "Heat sources and feed points",
    },
    "gpkg_renovation": {
        "da": "Renoveringsrangering af kommunale bygninger",
        "en": "Renovation ranking of municipal buildings",
    },
    "gpkg_varmeplansomraader": {
        "da": "Varmeplansområder i Plandata-format",
        "en": "Heat-plan areas shaped like Plandata",
    },
    "gpkg_years": {"da": "År for år", "en": "Year by year"},
    "gpkg_co2": {"da": "CO2-forløb", "en": "CO2 trajectory"},
    "gpkg_rejected": {
        "da": "Afviste rækker fra inddatalaget {layer}",
        "en": "Rejected rows of input layer {layer}",
    },
}


def text(key: str, lang: str = "da", **fields: object) -> str:
    """Return the text ``key`` in ``lang`` with ``fields`` filled in."""
    entry = TEXTS[key]
    template = entry.get(lang, entry["da"])
    return template.format(**fields) if fields else template


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is supported; raise ``ValueError`` naming the choices otherwise."""
    if lang not in LANGUAGES:
        msg = f"Unknown output language {lang!r}; choose one of {', '.join(LANGUAGES)}."
        raise ValueError(msg)
    return lang


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_number(value: object, decimals: int = 0, lang: str = "da") -> str:
    """Format a number for reading: ``1.234,5`` in Danish, ``1,234.5`` in English; "–" if missing.

    Examples
    --------
    >>> format_number(1234.5, 1)
    '1.234,5'
    >>> format_number(-1234567, 0, "en")
    '-1,234,567'
    """
    if is_missing(value):
        return "–"
    number = float(value)  # type: ignore[arg-type]
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    english = f"{number:,.{decimals}f}"
    if english in {f"-{0:.{decimals}f}", "-0"}:
        english = english[1:]
    if lang == "en":
        return english
    return english.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_year(value: object) -> str:
    """Format a year (or an empty year) without thousands separator."""
    return "–" if is_missing(value) else str(int(value))  # type: ignore[call-overload]


def recommendation_text(code: object, lang: str = "da") -> str:
    """Return the readable name of a recommendation code; the code itself if unknown."""
    if is_missing(code):
        return ""
    key = f"rec_{code}"
    return text(key, lang) if key in TEXTS else str(code)


def code_text(prefix: str, code: object, lang: str = "da") -> str:
    """Return the readable name of ``code`` under ``prefix`` (``status``), or the code itself."""
    if is_missing(code):
        return ""
    key = f"{prefix}_{code}"
    return text(key, lang) if key in TEXTS else str(code)
