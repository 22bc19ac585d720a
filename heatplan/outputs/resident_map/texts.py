"""What the residents' map says: its texts in Danish and English, and the utility's contacts.

The contacts, title, notes and disclaimer come from the ``residents`` section of the scenario
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

TEXTS: dict[str, dict[str, Any]] = {
    "da": {
        "district": "Energidistrikt",
        "plan": "Plan",
        "phase": "Fase",
        "offer_year": "Forventet tilbud",
        "construction_years": "Anlægsarbejde",
        "connection_year": "Forventet tilslutning",
        "plan_text": {
            "district_heating": "Fjernvarme",
            "individual_heat_pump": "Individuel opvarmning (fx varmepumpe)",
            "existing_dh": "Området har allerede fjernvarme",
            "none": "Ingen ændring planlagt",
        },
        "todo_title": "Hvad kan du gøre nu?",
        "todo_dh": "Tilmeld dig fjernvarme hos {utility}.",
        "todo_hp": (
            "Efter planen kommer der ikke fjernvarme til dit område. Overvej en individuel "
            "varmepumpe, fx når dit nuværende fyr skal udskiftes."
        ),
        "todo_existing": "Kontakt {utility}, hvis ejendommen ikke allerede er tilsluttet.",
        "todo_none": "Planen ændrer ikke opvarmningen af denne ejendom.",
        "link_signup": "Sådan får du fjernvarme ({utility})",
        "link_email": "Skriv til {email}",
        "link_phone": "Ring {phone}",
        "link_heat_pump": "Råd om varmepumper: {name}",
        "legend": "Signaturforklaring",
        "search_placeholder": "Søg adresse, fx Måløv Byvej 12",
        "search_label": "Søg efter en adresse",
        "no_result": "Ingen adresse fundet",
        "synthetic_banner": "EKSEMPELDATA – en opdigtet by, ikke en rigtig plan",
        "class_dh": "Fjernvarme, fase {phase}{years}",
        "class_dh_unscheduled": "Fjernvarme, tidspunkt ikke fastlagt",
        "class_hp": "Individuel opvarmning (fx varmepumpe)",
        "class_existing": "Har allerede fjernvarme",
        "class_other": "Øvrige adresser (ingen ændring)",
        "layer_districts": "Energidistrikter",
        "layer_mains": "Planlagte fjernvarmeledninger",
        "layer_network": "Eksisterende fjernvarmenet",
        "legend_district_dh": "Energidistrikt med fjernvarme",
        "legend_district_hp": "Energidistrikt med individuel opvarmning",
        "legend_mains": "Planlagt ledning, fase {phase}",
        "attribution": "Varmeplan: {municipality}",
        "attribution_synthetic": "Eksempeldata (opdigtet)",
        "offline_note": "uden baggrundskort",
    },
    "en": {
        "district": "Energy district",
        "plan": "Plan",
        "phase": "Phase",
        "offer_year": "Expected offer",
        "construction_years": "Construction",
        "connection_year": "Expected connection",
        "plan_text": {
            "district_heating": "District heating",
            "individual_heat_pump": "Individual heating (e.g. heat pump)",
            "existing_dh": "The area already has district heating",
            "none": "No change planned",
        },
        "todo_title": "What can you do now?",
        "todo_dh": "Sign up for district heating with {utility}.",
        "todo_hp": (
            "The plan does not bring district heating to your area. Consider an individual heat "
            "pump, for example when your current boiler needs replacing."
        ),
        "todo_existing": "Contact {utility} if the property is not connected yet.",
        "todo_none": "The plan does not change how this property is heated.",
        "link_signup": "How to get district heating ({utility})",
        "link_email": "Write to {email}",
        "link_phone": "Call {phone}",
        "link_heat_pump": "Heat-pump advice: {name}",
        "legend": "Legend",
        "search_placeholder": "Search an address, e.g. Måløv Byvej 12",
        "search_label": "Search for an address",
        "no_result": "No address found",
        "synthetic_banner": "SAMPLE DATA – a made-up town, not a real plan",
        "class_dh": "District heating, phase {phase}{years}",
        "class_dh_unscheduled": "District heating, timing not yet fixed",
        "class_hp": "Individual heating (e.g. heat pump)",
        "class_existing": "Already has district heating",
        "class_other": "Other addresses (no change)",
        "layer_districts": "Energy districts",
        "layer_mains": "Planned district-heating pipes",
        "layer_network": "Existing district-heating network",
        "legend_district_dh": "Energy district with district heating",
        "legend_district_hp": "Energy district with individual heating",
        "legend_mains": "Planned pipe, phase {phase}",
        "attribution": "Heat plan: {municipality}",
        "attribution_synthetic": "Sample data (made up)",
        "offline_note": "no background map",
    },
}
"""The page's fixed texts by language; ``{…}`` fields are filled in on the page or here."""

_URL = re.compile(r"^https?://[^\s<>\"']+$")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ]{6,20}$")


@dataclass(frozen=True)
class Contacts:
    """The utility's contacts and the page's notes in one language (empty when not set)."""

    utility: str
    signup_url: str
    email: str
    phone: str
    heat_pump_url: str
    heat_pump_name: str
    municipality: str
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
        title=text(f"title_{lang}"),
        offer_note=text(f"offer_note_{lang}"),
        price_note=text(f"connection_price_note_{lang}"),
        disclaimer=text(f"disclaimer_{lang}"),
    )


def todo_texts(texts: dict[str, Any], c: Contacts) -> dict[str, list[str]]:
    """What to do now, by recommendation: the paragraphs of the popup."""
    return {
        "district_heating": [
            texts["todo_dh"].format(utility=c.utility),
            c.offer_note,
            c.price_note,
        ],
        "individual_heat_pump": [texts["todo_hp"]],
        "existing_dh": [texts["todo_existing"].format(utility=c.utility)],
        "none": [texts["todo_none"]],
    }


def contact_links(texts: dict[str, Any], c: Contacts) -> dict[str, list[dict[str, str]]]:
    """Contact links (``href`` and ``text``) by recommendation, for the popup."""
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
        heat_pump.append(
            {
                "href": c.heat_pump_url,
                "text": texts["link_heat_pump"].format(name=c.heat_pump_name or c.heat_pump_url),
            }
        )
    return {
        "district_heating": utility,
        "existing_dh": utility,
        "individual_heat_pump": heat_pump,
        "none": [],
    }
