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
    "sum_co2_avoided": {
        "da": "CO2 undgået mod referencen, fjernvarmedistrikter (t/år)",
        "en": "CO2 avoided against the reference, district-heating districts (t/a)",
    },
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


ECONOMICS_TEXTS: dict[str, dict[str, str]] = {
    # report sections
    "sec_method": {"da": "Metode og kilder", "en": "Method and references"},
    "sec_economics": {
        "da": "Samfundsøkonomi pr. energidistrikt",
        "en": "Socio-economics per energy district",
    },
    "sec_household": {
        "da": "Brugerøkonomi og selskabsøkonomi",
        "en": "The household's bill and the utility's budget",
    },
    "sec_sensitivity": {"da": "Følsomhedsanalyse", "en": "Sensitivity analysis"},
    "sec_tornado": {
        "da": "Følsomhed pr. distrikt (tornadodiagram)",
        "en": "Sensitivity per district (tornado chart)",
    },
    "no_flips": {
        "da": "Intet distrikt skifter anbefaling i nogen af følsomhedsberegningerne.",
        "en": "No district changes recommendation in any of the sensitivity cases.",
    },
    "note_household": {
        "da": "Typisk årlig udgift (median af distriktets ejendomme, inkl. afgifter og moms) og "
              "selskabets budget i et år ved forventet tilslutning (ekskl. moms).",
        "en": "Typical yearly cost (median of the district's properties, taxes and VAT "
              "included) and the utility's budget in a year at the expected take-up (excl. VAT).",
    },
    "note_assumptions": {
        "da": "Værdier uden kilde (markeret som antagelser i scenariet); erstat dem med egne tal "
              "i en scenariefil.",
        "en": "Values without a source (marked as assumptions in the scenario); replace them "
              "with your own figures in a scenario file.",
    },
    "note_tornado": {
        "da": "Forskel i nutidsværdi, fjernvarme − reference (mio. kr.), når én forudsætning "
              "sænkes (lys) eller hæves (mørk); til venstre for 0 er fjernvarme billigst.",
        "en": "Difference in present value, district heating − reference (million DKK), when "
              "one assumption is lowered (light) or raised (dark); left of 0 district heating "
              "is cheaper.",
    },
    # summary
    "sum_npv_difference": {
        "da": "Nutidsværdi fjernvarme − reference, fjernvarmedistrikter (mio. kr.)",
        "en": "Present value district heating − reference, DH districts (million DKK)",
    },
    "sum_heat_loss_share": {
        "da": "Varmetab i de nye net (andel af varmen)",
        "en": "Heat loss in the new networks (share of the heat)",
    },
    "sum_sunk": {
        "da": "Allerede anlagte ledninger, ikke medregnet (mio. kr.)",
        "en": "Mains already built, not counted (million DKK)",
    },
    # charts
    "chart_npv_difference": {
        "da": "Fjernvarme − reference (mio. kr.)",
        "en": "District heating − reference (million DKK)",
    },
    "chart_low": {"da": "sænket", "en": "lowered"},
    "chart_high": {"da": "hævet", "en": "raised"},
    "driver_trench": {"da": "Tracé", "en": "Trench"},
    "driver_production": {"da": "Varmeprod.", "en": "Heat prod."},
    "driver_electricity": {"da": "Elpris", "en": "Electricity"},
    "driver_heat_pump": {"da": "Varmepumpe", "en": "Heat pump"},
    "driver_loss": {"da": "Varmetab", "en": "Heat loss"},
    "driver_takeup": {"da": "Tilslutning", "en": "Take-up"},
    "reference_heat_pump": {"da": "individuelle varmepumper", "en": "individual heat pumps"},
    "reference_gas": {"da": "individuelle gaskedler", "en": "individual gas boilers"},
    "basis_average": {
        "da": "leverandørens gennemsnitlige CO2-faktor",
        "en": "the supplier's average CO2 factor",
    },
    "basis_marginal": {
        "da": "den marginale CO2 ved øget last",
        "en": "the marginal CO2 of added load",
    },
    # method (topic, text)
    "topic_method": {"da": "Metode", "en": "Method"},
    "topic_prices": {"da": "Priser", "en": "Prices"},
    "topic_rate": {"da": "Kalkulationsrente", "en": "Calculation rate"},
    "topic_investment": {"da": "Investeringer", "en": "Investments"},
    "topic_loss": {"da": "Varmetab", "en": "Heat loss"},
    "topic_co2": {"da": "CO2", "en": "CO2"},
    "topic_recommendation": {"da": "Anbefaling", "en": "Recommendation"},
    "topic_sensitivity": {"da": "Følsomhed", "en": "Sensitivity"},
    "topic_household": {"da": "Brugerøkonomi", "en": "Household"},
    "topic_utility": {"da": "Selskabsøkonomi", "en": "Utility"},
    "topic_reference": {"da": "Kilde", "en": "Reference"},
    "text_method": {
        "da": "Samfundsøkonomisk sammenligning pr. energidistrikt efter Energistyrelsens "
              "Vejledning i samfundsøkonomiske analyser på energiområdet (juli 2021): "
              "fjernvarme mod referencen, {reference} (§2.5), over {years} år fra {first}, med "
              "samme tilslutningsforløb i begge (§2.8). Resultat: nutidsværdi af hvert "
              "alternativ, forskellen, de største poster og CO2.",
        "en": "Socio-economic comparison per energy district following Energistyrelsen's "
              "Vejledning i samfundsøkonomiske analyser på energiområdet (July 2021): district "
              "heating against the reference, {reference} (§2.5), over {years} years from "
              "{first}, with the same connection course in both (§2.8). Result: the present "
              "value of each alternative, the difference, the main items and CO2.",
    },
    "text_prices": {
        "da": "Faktorpriser uden afgifter × nettoafgiftsfaktor {naf}; faste {price_year}-priser. "
              "Teknologikatalogernes EUR i 2015-priser omregnes med {eur} kr./EUR og "
              "forbrugerprisindekset (Danmarks Statistik PRIS113). Varmeproduktionspris "
              "{production} kr./MWh; el og gas efter scenariets prisstier.",
        "en": "Factor prices without taxes × net tax factor {naf}; fixed {price_year} prices. "
              "The technology catalogues' EUR at 2015 prices are converted at {eur} DKK/EUR "
              "and the consumer price index (Danmarks Statistik PRIS113). Heat production "
              "{production} DKK/MWh; electricity and gas follow the scenario's price paths.",
    },
    "text_rate": {
        "da": "{rate} pr. år i år 0–{step}, derefter {later}; genanskaffelse ved endt levetid "
              "og lineær scrapværdi i slutåret.",
        "en": "{rate} a year in years 0–{step}, then {later}; reinvestment at the end of a "
              "lifetime and a linear scrap value in the final year.",
    },
    "text_investment": {
        "da": "Tracé pr. meter efter ledningens kapacitetsinterval og områdetype ({area}), "
              "stikledning pr. enhed, vekslerstation pr. MW, fjernvarmeunit, varmepumpe og "
              "gaskedel fra Energistyrelsens teknologikataloger. Ledninger anlagt før {first} "
              "er sunk costs: de tælles ikke med, men vises som allerede anlagt.",
        "en": "Trench per metre by the pipe's capacity band and area type ({area}), service "
              "line per unit, exchanger station per MW, house substation, heat pump and gas "
              "boiler from Energistyrelsen's technology catalogues. Mains built before {first} "
              "are sunk costs: not counted, shown as already built.",
    },
    "text_loss": {
        "da": "Beregnet pr. ledning og stikledning ud fra dimension og isoleringsserie {series} "
              "(Wallentén) ved {ts}/{tr} °C og jord {tg} °C: {loss} % af varmen i de nye net "
              "(katalogets interval {low}–{high} %); plus {station} % i vekslerstationer og "
              "pumpeel {pump} % af varmen. Varme at producere = solgt varme + tab.",
        "en": "Computed per pipe and service pipe from its DN and insulation series {series} "
              "(Wallentén) at {ts}/{tr} °C and ground {tg} °C: {loss} % of the heat in the new "
              "networks (the catalogue's range {low}–{high} %); plus {station} % in exchanger "
              "stations and pumping electricity {pump} % of the heat. Heat to produce = heat "
              "sold + losses.",
    },
    "text_co2": {
        "da": "Fjernvarmens CO2 pr. produceret MWh med {basis} (emissions.dh_co2_basis = "
              "{basis_code}); el-, fjernvarme- og gasfaktorer år for år fra BR18 Bilag 2 Tabel "
              "8; varmepumpens SCOP pr. bygning og år fra teknologikataloget (samme tal til "
              "økonomi og CO2); CO2 værdisat med scenariets prissti.",
        "en": "District heating's CO2 per MWh produced with {basis} (emissions.dh_co2_basis = "
              "{basis_code}); electricity, district-heating and gas factors year by year from "
              "BR18 Bilag 2 Tabel 8; the heat pump's SCOP per building and year from the "
              "technology catalogue (the same for cost and CO2); CO2 valued at the scenario's "
              "price path.",
    },
    "text_recommendation": {
        "da": "Fjernvarme, hvor nutidsværdien ikke er højere end referencens; den lineære "
              "varmetæthed vises som screeningsflag. Kandidatområder beholdes og markeres, når "
              "samfundsøkonomien peger på varmepumper.",
        "en": "District heating where its present value is no higher than the reference's; "
              "linear heat density is shown as a screening flag. Candidate areas are kept and "
              "flagged where the socio-economics point to heat pumps.",
    },
    "text_sensitivity": {
        "da": "±{share} % på tracépris, varmeproduktionspris, elpris, varmepumpeinvestering og "
              "varmetab; endelig tilslutning {takeups}; nettet prissat all-in "
              "(kalibreringsprofilen profiles/all_in_utility.toml).",
        "en": "±{share} % on trench cost, heat production cost, electricity price, heat-pump "
              "investment and heat loss; final take-up {takeups}; the network priced all-in "
              "(the calibration profile profiles/all_in_utility.toml).",
    },
    "text_household": {
        "da": "Typisk årlig udgift inkl. afgifter og moms: fjernvarme (tilslutningsbidrag "
              "annuiseret, fast og variabel tarif, unit-service), egen varmepumpe (investering "
              "annuiseret, el med den reducerede elvarmeafgift, service) og fortsat gas.",
        "en": "Typical yearly cost incl. taxes and VAT: district heating (connection fee "
              "annualised, fixed and variable tariff, unit service), an own heat pump "
              "(investment annualised, electricity at the reduced heating tax, service) and "
              "keeping gas.",
    },
    "text_utility": {
        "da": "Selskabets investering og et typisk år ved forventet tilslutning: "
              "tarifindtægter mod varmekøb, pumpeel, drift og annuitet af investeringen.",
        "en": "The utility's investment and a typical year at the expected take-up: tariff "
              "income against heat bought, pumping, O&M and the investment's annuity.",
    },
}
"""Words of the district economics in the report (merged into :data:`TEXTS`)."""

TEXTS.update(ECONOMICS_TEXTS)

REFERENCES: tuple[str, ...] = (
    "Energistyrelsen: Vejledning i samfundsøkonomiske analyser på energiområdet (juli 2021).",
    "Finansministeriet: Ny vejledning i samfundsøkonomiske konsekvensvurderinger (fm.dk, 22 "
    "Jun 2023): nettoafgiftsfaktor 1,28; diskonteringsrente 3,5 / 2,5 / 1,5 %.",
    "Energistyrelsen: Technology Data for Energy Transport (energy_transport_datasheet.xlsx), "
    "sheets 113_12–113_16.",
    "Energistyrelsen: Technology Data for Individual Heating Plants (March 2018), sheets 202, "
    "203.1, 207.3, 207.5.",
    "Bygningsreglementet BR18, Bilag 2 Tabel 8 (CO2e-faktorer for el, fjernvarme og gas).",
    "Energistyrelsen/HBEMO: Håndbog for energikonsulenter HB2016 §9.3.1 (brændværdier).",
    "Danmarks Statistik: Forbrugerprisindeks PRIS113 (2015 = 100); Danmarks Nationalbank: "
    "centralkurs 746,038 kr. pr. 100 EUR.",
    "Wallentén, P. (1991): Steady-state heat loss from insulated pipes (twin pipes); "
    "isoplus twin-pipe dimensions as in the IBPSA Modelica library.",
    "Samfundsøkonomiske beregningsforudsætninger (Energistyrelsen 2019) §2.2: sunk costs.",
)
"""The references the economics use, listed in the report's method section."""


def text(key: str, lang: str = "da", **fields: object) -> str:
    """Return the text ``key`` in ``lang`` with ``fields`` filled in."""
    return lookup(TEXTS, key, lang, **fields)


def lookup(table: dict[str, dict[str, str]], key: str, lang: str = "da", **fields: object
           ) -> str:
    """The entry ``key`` of a Danish/English word table in ``lang`` (Danish when missing),
    with ``fields`` filled in; every output's own word table is read through this."""
    entry = table[key]
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
