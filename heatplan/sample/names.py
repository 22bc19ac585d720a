"""Danish-sounding synthetic names for streets and energy districts.

Names are composed from common Danish place-name parts (trees, birds, plants, landscape words)
and suffixes, so they sound like a Copenhagen suburb without naming a real Ballerup street.
"""

from __future__ import annotations

import numpy as np

_STREET_STEMS = (
    "Hylde", "Ege", "Bøge", "Løn", "Rønne", "Kirsebær", "Slåen", "Tjørne", "Hassel", "Pile",
    "Æble", "Mose", "Kær", "Sø", "Lærke", "Svale", "Vibe", "Ørne", "Høge", "Glente", "Spurve",
    "Stære", "Kløver", "Valmue", "Rose", "Lyng", "Enge", "Marke", "Agers", "Bakke", "Dals",
    "Hede", "Lunde", "Skov", "Kilde", "Bro", "Mølle", "Tofte", "Gårds", "Birke", "Elme",
    "Ask", "Poppel", "Gran", "Fyrre", "Hvede", "Rug", "Byg", "Havre", "Humle", "Syren",
    "Jasmin", "Gøge", "Drossel", "Fasan", "Agerhøne", "Ugle", "Trane", "Stork", "Måge",
    "Kastanje", "Nødde", "Blåbær", "Hindbær", "Brombær", "Tytte", "Ene", "Hyben", "Porse",
    "Siv", "Rør", "Åkande", "Tusindfryd", "Kornblomst", "Anemone", "Bellis", "Ærenpris",
    "Høstrup", "Kærbo", "Egely", "Søholm", "Vangede", "Ålholm", "Grønne", "Præste",
    "Smede", "Møller", "Bødker", "Degne", "Foged", "Væver", "Karet",
)
_STREET_SUFFIXES = (
    "vej", "vænget", "toften", "haven", "parken", "stien", "bakken", "lunden", "engen",
    "høj", "kæret", "gården", "allé", "holmen", "krogen", "buen", "vangen", "ager",
    "tofte", "dal", "skrænten", "hegnet", "gangen", "løkken", "tangen",
)
_MAIN_ROADS = (
    "Ballerup Ringvej", "Frederikssund Landevej", "Kildedalsvej", "Lundegårds Allé",
    "Måløv Landevej", "Skovlunde Tværvej", "Egebjerg Hovedvej", "Harrestrup Landevej",
    "Jonstrup Byvej", "Pederstrup Allé", "Sømosevej", "Østerbyvej", "Gammel Kongevej",
    "Grøndalsvej", "Malmparkvej", "Lindehøjvej", "Vesterbyvej", "Hjortekærvej",
)
_DISTRICT_STEMS = (
    "Hede", "Egebjerg", "Lunde", "Kilde", "Skov", "Mose", "Sø", "Hjorte", "Ravns", "Grant",
    "Rosen", "Lærke", "Vibe", "Birke", "Ege", "Rønne", "Hassel", "Æble", "Pile", "Mølle",
    "Ålholm", "Præste", "Tofte", "Bøge", "Kløver", "Lyng", "Enge", "Ørne", "Gårds",
)
_DISTRICT_SUFFIXES = (
    "gården", "parken", "højen", "toften", "lunden", "vænget", "byen", "bakken", "haven",
    "kvarteret", "engen", "holm",
)


def street_names(n: int, rng: np.random.Generator) -> list[str]:
    """Return ``n`` distinct street names; past the stem × suffix combinations, add "Nord"/"Syd"."""
    combos = [a + b for a in _STREET_STEMS for b in _STREET_SUFFIXES]
    order = rng.permutation(len(combos))
    names = [combos[i].capitalize().replace("allé", " Allé") for i in order]
    extra = [f"{name} {side}" for side in ("Nord", "Syd", "Øst", "Vest") for name in names]
    return (names + extra)[:n]


def main_road_names(n: int) -> list[str]:
    """Return ``n`` names for arterial and collector roads, then fall back to numbered ones."""
    names = list(_MAIN_ROADS)
    return [names[i] if i < len(names) else f"{names[i % len(names)]} {i // len(names) + 1}"
            for i in range(n)]


def district_names(n: int, rng: np.random.Generator) -> list[str]:
    """Return ``n`` distinct district names (e.g. "Egebjergparken")."""
    combos = [a + b for a in _DISTRICT_STEMS for b in _DISTRICT_SUFFIXES]
    order = rng.permutation(len(combos))[:n]
    return [combos[i].capitalize() for i in order]
