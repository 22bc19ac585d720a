"""What the residents' map says: its texts in Danish and English, and the place's contacts.

The answers are written for a resident: short, plain words, the same facts as the report (phase,
offer year, construction years). ``{…}`` fields are filled in by the page's script. The
contacts, title, notes and disclaimer come from the ``residents`` section of the scenario
(``heatplan/scenario/residents.toml``); links, e-mail and phone are checked before they reach
the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario

Lang = Literal["da", "en"]

_DA: dict[str, Any] = {
    "map_label": "Kort over varmeplanen",
    "utility_generic": "forsyningen",
    "area": "Område",
    "search_label": "Søg efter din adresse",
    "search_placeholder": "Vej og husnummer, fx {example}",
    "search_button": "Søg",
    "results_count": "{n} adresser fundet. Brug pil op og ned for at vælge.",
    "result_one": "1 adresse fundet.",
    "no_result": "Ingen adresse passer til »{query}«.",
    "did_you_mean": "Mente du:",
    "no_result_contact": "Kan du ikke finde din adresse? Kontakt {who}.",
    "loading": "Henter adresser …",
    "close": "Luk",
    "answer_heading": "Svar for adressen",
    "share": "Link til denne adresse",
    "share_copy": "Kopiér link",
    "share_copied": "Linket er kopieret.",
    "legend": "Signaturforklaring og lag",
    "zoom_in": "Zoom ind",
    "zoom_out": "Zoom ud",
    "synthetic_banner": "EKSEMPELDATA – en opdigtet by, ikke en rigtig plan",
    "plan_line": "Plan lavet {date} · heatplan {version}",
    "plan_line_undated": "Planens første år: {year} · heatplan {version}",
    "attribution": "Varmeplan: {municipality}",
    "attribution_synthetic": "Eksempeldata (opdigtet)",
    "attribution_streets": "vejnet fra planens data",
    "several": "Der er {n} bygninger på adressen:",
    "kind": {
        "planned": "Du kan få fjernvarme – forventet {year}",
        "planned_open": "Du kan få fjernvarme – tidspunktet er ikke fastlagt endnu",
        "built": "Fjernvarmen er lagt ned i dit område – du kan få den nu",
        "connected": "Ejendommen har allerede fjernvarme",
        "may_connect": "Du kan også få fjernvarme",
        "individual": "Der kommer ikke fjernvarme – en varmepumpe anbefales",
        "none": "Planen ændrer ikke opvarmningen her",
    },
    "uncertain": (
        "Årstallet er et skøn. Det kan flytte sig inden for fase {phase} ({span}), når planen "
        "bliver revideret hvert år."
    ),
    "steps_title": "Det sker før:",
    "step_offer": "{year}: Du får et tilbud fra {utility}.",
    "step_offer_open": "Du får et tilbud fra {utility}, cirka et år før der graves.",
    "step_signup": "Sig ja til tilbuddet – så er du tilmeldt.",
    "step_dig": "{span}: Der graves fjernvarmeledninger ned i området.",
    "step_connect": "Når ledningen er lagt, bliver huset koblet på – forventet {year}.",
    "built_text": "Ledningerne blev lagt i {year}. Du kan tilmelde dig nu.",
    "built_text_existing": "Området har allerede fjernvarmenet. Du kan tilmelde dig nu.",
    "connected_text": "Planen ændrer ikke noget for dig.",
    "may_text": (
        "Ifølge BBR bliver ejendommen ikke opvarmet med gas eller olie, så planen regner ikke "
        "med at skifte din varme. Men du kan vælge at tilmelde dig fjernvarme."
    ),
    "may_coming": "Fjernvarmen kommer til området {span} (fase {phase}).",
    "may_built": "Fjernvarmeledningerne i området blev lagt i {year}.",
    "may_existing": "Der er allerede fjernvarme i området.",
    "why_title": "Hvorfor?",
    "why": {
        "fixed": "Kommunens varmeplan har udpeget området til individuel opvarmning.",
        "sparse": "Husene ligger for spredt til, at det kan betale sig at grave ledninger ned.",
        "cheaper": "Beregningen viser, at en varmepumpe er billigere end fjernvarme her.",
        "individual_area": (
            "Ifølge BBR bliver ejendommen ikke opvarmet med gas eller olie, og området får ikke "
            "fjernvarme."
        ),
        "undecided": "Varmeplanen har endnu ikke besluttet, hvordan området skal opvarmes.",
        "outside": "Adressen ligger uden for de områder, planen omfatter.",
    },
    "what_title": "Hvad kan du gøre?",
    "individual_what": (
        "Skift dit gas- eller oliefyr til en varmepumpe (luft til vand), fx når fyret alligevel "
        "skal udskiftes."
    ),
    "money_title": "Hvad koster det? (skøn)",
    "money_intro": "Skøn for en ejendom af din størrelse – ikke et tilbud.",
    "money_fee": "Tilslutning til fjernvarme, én gang",
    "money_dh": "Fjernvarme, om året",
    "money_hp": "Egen varmepumpe, om året",
    "money_gas": "Blive på gas, om året",
    "money_amount": "ca. {amount} kr.",
    "money_assumptions": "Sådan er skønnet regnet ud",
    "money_source": "kilde",
    "disclaimer_title": "Om planen",
    "contact_title": "Kontakt",
    "link_signup": "Sådan får du fjernvarme ({utility})",
    "link_email": "Skriv til {email}",
    "link_phone": "Ring {phone}",
    "link_heat_pump": "Råd om varmepumper: {name}",
    "link_municipality": "{municipality}",
    "class": {
        "dh": "Fjernvarme, fase {phase} ({span})",
        "dh_open": "Fjernvarme, tidspunkt ikke fastlagt",
        "may_connect": "Kan også få fjernvarme",
        "connected": "Har allerede fjernvarme",
        "individual": "Varmepumpe anbefales",
        "none": "Øvrige adresser (ingen ændring)",
    },
    "layer": {
        "districts": "Områder",
        "streets": "Veje",
        "mains": "Planlagte fjernvarmeledninger",
        "network": "Eksisterende fjernvarmenet",
        "tiles": "Baggrundskort",
    },
    "area_dh": "Område med fjernvarme, fase {phase}",
    "area_existing": "Område med fjernvarme i dag",
    "area_individual": "Område med individuel opvarmning",
}

_EN: dict[str, Any] = {
    "map_label": "Map of the heat plan",
    "utility_generic": "the utility",
    "area": "Area",
    "search_label": "Search for your address",
    "search_placeholder": "Street and number, e.g. {example}",
    "search_button": "Search",
    "results_count": "{n} addresses found. Use the up and down arrows to choose.",
    "result_one": "1 address found.",
    "no_result": "No address matches “{query}”.",
    "did_you_mean": "Did you mean:",
    "no_result_contact": "Cannot find your address? Contact {who}.",
    "loading": "Loading addresses …",
    "close": "Close",
    "answer_heading": "Answer for the address",
    "share": "Link to this address",
    "share_copy": "Copy link",
    "share_copied": "The link is copied.",
    "legend": "Legend and layers",
    "zoom_in": "Zoom in",
    "zoom_out": "Zoom out",
    "synthetic_banner": "SAMPLE DATA – a made-up town, not a real plan",
    "plan_line": "Plan made {date} · heatplan {version}",
    "plan_line_undated": "The plan's first year: {year} · heatplan {version}",
    "attribution": "Heat plan: {municipality}",
    "attribution_synthetic": "Sample data (made up)",
    "attribution_streets": "streets from the plan's data",
    "several": "There are {n} buildings at this address:",
    "kind": {
        "planned": "You can get district heating – expected {year}",
        "planned_open": "You can get district heating – the timing is not fixed yet",
        "built": "District heating is laid in your area – you can get it now",
        "connected": "The property has district heating already",
        "may_connect": "You can get district heating too",
        "individual": "No district heating is coming – a heat pump is recommended",
        "none": "The plan does not change the heating here",
    },
    "uncertain": (
        "The year is an estimate. It may move within phase {phase} ({span}) when the plan is "
        "revised each year."
    ),
    "steps_title": "What happens before:",
    "step_offer": "{year}: you get an offer from {utility}.",
    "step_offer_open": "You get an offer from {utility} about a year before the digging.",
    "step_signup": "Accept the offer – then you are signed up.",
    "step_dig": "{span}: district-heating pipes are dug into the area.",
    "step_connect": "Once the pipe is laid, the house is connected – expected {year}.",
    "built_text": "The pipes were laid in {year}. You can sign up now.",
    "built_text_existing": "The area has a district-heating network already. You can sign up now.",
    "connected_text": "The plan changes nothing for you.",
    "may_text": (
        "According to BBR the property is not heated with gas or oil, so the plan does not "
        "count on changing your heating. But you can choose to sign up for district heating."
    ),
    "may_coming": "District heating comes to the area in {span} (phase {phase}).",
    "may_built": "The district-heating pipes in the area were laid in {year}.",
    "may_existing": "The area has district heating already.",
    "why_title": "Why?",
    "why": {
        "fixed": "The municipality's heat plan designates the area for individual heating.",
        "sparse": "The houses are too far apart for pipes to pay off.",
        "cheaper": "The calculation shows that a heat pump costs less than district heating here.",
        "individual_area": (
            "According to BBR the property is not heated with gas or oil, and the area does not "
            "get district heating."
        ),
        "undecided": "The heat plan has not decided yet how the area will be heated.",
        "outside": "The address lies outside the areas the plan covers.",
    },
    "what_title": "What can you do?",
    "individual_what": (
        "Replace your gas or oil boiler with a heat pump (air to water), for example when the "
        "boiler needs replacing anyway."
    ),
    "money_title": "What does it cost? (estimate)",
    "money_intro": "An estimate for a property of your size – not an offer.",
    "money_fee": "Connecting to district heating, once",
    "money_dh": "District heating, per year",
    "money_hp": "Own heat pump, per year",
    "money_gas": "Staying on gas, per year",
    "money_amount": "about DKK {amount}",
    "money_assumptions": "How the estimate is made",
    "money_source": "source",
    "disclaimer_title": "About the plan",
    "contact_title": "Contact",
    "link_signup": "How to get district heating ({utility})",
    "link_email": "Write to {email}",
    "link_phone": "Call {phone}",
    "link_heat_pump": "Heat-pump advice: {name}",
    "link_municipality": "{municipality}",
    "class": {
        "dh": "District heating, phase {phase} ({span})",
        "dh_open": "District heating, timing not fixed",
        "may_connect": "Can get district heating too",
        "connected": "Has district heating already",
        "individual": "Heat pump recommended",
        "none": "Other addresses (no change)",
    },
    "layer": {
        "districts": "Areas",
        "streets": "Streets",
        "mains": "Planned district-heating pipes",
        "network": "Existing district-heating network",
        "tiles": "Background map",
    },
    "area_dh": "Area with district heating, phase {phase}",
    "area_existing": "Area with district heating today",
    "area_individual": "Area with individual heating",
}

TEXTS: dict[str, dict[str, Any]] = {"da": _DA, "en": _EN}
"""The page's fixed texts by language; ``{…}`` fields are filled in on the page or here."""

HOUSEHOLD_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "da": {
        "vat_share": ("Moms", "%"),
        "loan_rate": ("Rente på lån til varmepumpe eller tilslutning", "% om året"),
        "connection_fee_dkk": ("Tilslutningsbidrag for et hus", "kr. inkl. moms"),
        "connection_fee_dkk_per_m2": ("Tilslutningsbidrag for andre bygninger",
                                      "kr. pr. m² inkl. moms"),
        "dh_variable_dkk_per_mwh": ("Fjernvarmepris", "kr. pr. MWh ekskl. moms"),
        "dh_fixed_dkk_a": ("Fast afgift (måler)", "kr. om året ekskl. moms"),
        "dh_capacity_dkk_per_m2_a": ("Effektbidrag", "kr. pr. m² om året ekskl. moms"),
        "electricity_price_dkk_per_kwh": ("Elpris uden afgift",
                                          "kr. pr. kWh ekskl. elafgift og moms"),
        "electricity_tax_heat_pump_dkk_per_kwh": ("Elafgift for varmepumpe",
                                                  "kr. pr. kWh ekskl. moms"),
        "gas_price_dkk_per_m3": ("Gaspris", "kr. pr. m³ inkl. afgifter, ekskl. moms"),
    },
    "en": {
        "vat_share": ("VAT", "%"),
        "loan_rate": ("Interest on a loan for the heat pump or connection", "% a year"),
        "connection_fee_dkk": ("Connection fee for a house", "DKK incl. VAT"),
        "connection_fee_dkk_per_m2": ("Connection fee for other buildings",
                                      "DKK per m² incl. VAT"),
        "dh_variable_dkk_per_mwh": ("District-heating price", "DKK per MWh excl. VAT"),
        "dh_fixed_dkk_a": ("Fixed charge (meter)", "DKK a year excl. VAT"),
        "dh_capacity_dkk_per_m2_a": ("Capacity charge", "DKK per m² a year excl. VAT"),
        "electricity_price_dkk_per_kwh": ("Electricity price without tax",
                                          "DKK per kWh excl. electricity tax and VAT"),
        "electricity_tax_heat_pump_dkk_per_kwh": ("Electricity tax for a heat pump",
                                                  "DKK per kWh excl. VAT"),
        "gas_price_dkk_per_m3": ("Gas price", "DKK per m³ incl. taxes, excl. VAT"),
    },
}
"""Plain names and units of the household assumptions (``household.*``) on the map; a
parameter not listed shows its note, or its name, and its unit as the scenario gives them.
Units of ``%`` show a share (``0.25``) as a percentage."""

_URL = re.compile(r"^https?://[^\s<>\"']+$")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ]{6,20}$")


@dataclass(frozen=True)
class Contacts:
    """The place's contacts and the page's notes in one language (empty when not set)."""

    utility: str
    signup_url: str
    email: str
    phone: str
    heat_pump_url: str
    heat_pump_name: str
    municipality: str
    municipality_url: str
    title: str
    offer_note: str
    price_note: str
    disclaimer: str


def contacts(scenario: Scenario, lang: str) -> Contacts:
    """Read the ``residents`` section of ``scenario`` for ``lang``.

    Raises
    ------
    ScenarioError
        If a link, e-mail or phone number is malformed.
    """

    def text(name: str) -> str:
        key = f"residents.{name}"
        value = scenario.value(key) if key in scenario else ""
        return "" if value is None else str(value).strip()

    def checked(name: str, pattern: re.Pattern[str], what: str) -> str:
        value = text(name)
        if value and not pattern.match(value):
            msg = (
                f"Scenario parameter residents.{name} = {value!r} is not a valid {what}. "
                "Fix it in your scenario file, or set it to an empty string to leave it out."
            )
            raise ScenarioError(msg)
        return value

    return Contacts(
        utility=text("utility_name"),
        signup_url=checked("signup_url", _URL, "http(s) link"),
        email=checked("signup_email", _EMAIL, "e-mail address"),
        phone=checked("signup_phone", _PHONE, "phone number (digits, spaces, leading +)"),
        heat_pump_url=checked("heat_pump_advice_url", _URL, "http(s) link"),
        heat_pump_name=text("heat_pump_advice_name"),
        municipality=text("municipality_name"),
        municipality_url=checked("municipality_url", _URL, "http(s) link"),
        title=text(f"title_{lang}"),
        offer_note=text(f"offer_note_{lang}"),
        price_note=text(f"connection_price_note_{lang}"),
        disclaimer=text(f"disclaimer_{lang}"),
    )


def contact_links(texts: dict[str, Any], c: Contacts) -> dict[str, list[dict[str, str]]]:
    """Contact links (``href`` and ``text``): the utility's, heat-pump advice, the municipality."""
    utility: list[dict[str, str]] = []
    if c.signup_url:
        utility.append(
            {"href": c.signup_url, "text": texts["link_signup"].format(utility=c.utility)}
        )
    if c.email:
        utility.append(
            {"href": f"mailto:{c.email}", "text": texts["link_email"].format(email=c.email)}
        )
    if c.phone:
        utility.append(
            {
                "href": "tel:" + c.phone.replace(" ", ""),
                "text": texts["link_phone"].format(phone=c.phone),
            }
        )
    heat_pump = []
    if c.heat_pump_url:
        name = c.heat_pump_name or c.heat_pump_url
        heat_pump.append(
            {"href": c.heat_pump_url, "text": texts["link_heat_pump"].format(name=name)}
        )
    municipality = []
    if c.municipality_url:
        municipality.append(
            {
                "href": c.municipality_url,
                "text": texts["link_municipality"].format(municipality=c.municipality),
            }
        )
    return {"utility": utility, "heat_pump": heat_pump, "municipality": municipality}


def page_texts(texts: dict[str, Any], c: Contacts, example_address: str) -> dict[str, Any]:
    """The texts the page's script uses, with the place's names, notes and an example address
    (one of the map's own) filled in."""
    out = dict(texts)
    out["search_placeholder"] = (
        texts["search_placeholder"].format(example=example_address)
        if example_address
        else texts["search_label"]
    )
    who = [name for name in (c.municipality, c.utility) if name]
    out["no_result_contact"] = (
        texts["no_result_contact"].format(who=" / ".join(who)) if who else ""
    )
    out.update(
        utility=c.utility or texts["utility_generic"],
        title=c.title,
        disclaimer=c.disclaimer,
        offer_note=c.offer_note,
        price_note=c.price_note,
    )
    return out
