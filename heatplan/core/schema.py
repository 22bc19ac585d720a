"""The input data contract as data: layers, columns, types, units and allowed codes.

Validation (:mod:`heatplan.validate`), the sample generator, the importers and the user
documentation (``docs/input-data.md``) all read these definitions, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["str", "int", "float", "date", "bool"]


@dataclass(frozen=True)
class Column:
    """One column of an input layer or table."""

    name: str
    kind: Kind
    required: bool
    meaning: str
    unit: str = ""
    codes: dict[str, str] = field(default_factory=dict)
    """Allowed codes and their Danish meaning; empty when any value of ``kind`` is allowed."""
    minimum: float | None = None
    exclusive_minimum: bool = False
    unique: bool = False


@dataclass(frozen=True)
class Layer:
    """One input layer (GIS) or table (CSV)."""

    name: str
    columns: tuple[Column, ...]
    geometry: tuple[str, ...] = ()
    """Allowed geometry types; empty for plain tables."""
    id_column: str | None = None
    required: bool = True
    meaning: str = ""

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        return next(c for c in self.columns if c.name == name)


# BBR byg021 building use (subset heatplan knows; teknik.bbr.dk/kodelister, domain.md §1.5.1).
BBR_USE_CODES: dict[str, str] = {
    "110": "Stuehus til landbrugsejendom",
    "120": "Fritliggende enfamiliehus (parcelhus)",
    "121": "Sammenbygget enfamiliehus",
    "122": "Fritliggende enfamiliehus i tæt-lav bebyggelse",
    "130": "(UDFASES) Række-, kæde- eller dobbelthus",
    "131": "Række- og kædehus",
    "132": "Dobbelthus",
    "140": "Etagebolig-bygning, flerfamiliehus eller to-familiehus",
    "150": "Kollegium",
    "160": "Boligbygning til døgninstitution",
    "190": "Anden bygning til helårsbeboelse",
    "210": "(UDFASES) Erhvervsmæssig produktion vedr. landbrug m.v.",
    "220": "(UDFASES) Bygning til industri, håndværk m.v.",
    "221": "Bygning til industri med integreret produktionsapparat",
    "222": "Bygning til industri uden integreret produktionsapparat",
    "223": "Værksted",
    "229": "Anden bygning til produktion",
    "230": "(UDFASES) El-, gas-, vand- eller varmeværk, forbrændingsanstalt m.v.",
    "290": "(UDFASES) Anden bygning til landbrug, industri etc.",
    "310": "(UDFASES) Transport- og garageanlæg",
    "320": "(UDFASES) Bygning til kontor, handel, lager, herunder offentlig administration",
    "321": "Bygning til kontor",
    "322": "Bygning til detailhandel",
    "323": "Bygning til lager",
    "324": "Butikscenter",
    "325": "Tankstation",
    "329": "Anden bygning til kontor, handel og lager",
    "330": "(UDFASES) Bygning til hotel, restaurant, vaskeri, frisør og anden service",
    "331": "Hotel, kro eller konferencecenter med overnatning",
    "332": "Bed & breakfast m.v.",
    "333": "Restaurant, café og konferencecenter uden overnatning",
    "334": "Privat servicevirksomhed som frisør, vaskeri, netcafé m.v.",
    "339": "Anden bygning til serviceerhverv",
    "390": "(UDFASES) Anden bygning til transport, handel etc.",
    "410": "(UDFASES) Bygning til biograf, teater, erhvervsmæssig udstilling m.v.",
    "411": "Biograf, teater, koncertsted m.v.",
    "412": "Museum",
    "413": "Bibliotek",
    "414": "Kirke eller anden bygning til trosudøvelse",
    "415": "Forsamlingshus",
    "416": "Forlystelsespark",
    "419": "Anden bygning til kulturelle formål",
    "420": "(UDFASES) Bygning til undervisning og forskning",
    "421": "Grundskole",
    "422": "Universitet",
    "429": "Anden bygning til undervisning og forskning",
    "430": "(UDFASES) Bygning til hospital, sygehjem, fødeklinik m.v.",
    "431": "Hospital og sygehus",
    "432": "Hospice, behandlingshjem m.v.",
    "433": "Sundhedscenter, lægehus, fødeklinik m.v.",
    "439": "Anden bygning til sundhedsformål",
    "440": "(UDFASES) Bygning til daginstitution",
    "441": "Daginstitution",
    "442": "Servicefunktion på døgninstitution",
    "443": "Kaserne",
    "444": "Fængsel, arresthus m.v.",
    "449": "Anden bygning til institutionsformål",
    "490": "(UDFASES) Bygning til anden institution, herunder kaserne, fængsel m.v.",
    "510": "Sommerhus",
    "520": "(UDFASES) Bygning til feriekoloni, vandrehjem m.v.",
    "530": "(UDFASES) Bygning i forbindelse med idrætsudøvelse",
    "531": "Klubhus i forbindelse med fritid og idræt",
    "532": "Svømmehal",
    "533": "Idrætshal",
    "534": "Tribune i forbindelse med stadion",
    "535": "Bygning til træning og opstaldning af heste",
    "539": "Anden bygning til idrætformål",
    "590": "Anden bygning til fritidsformål",
}

RESIDENTIAL_USE_CODES = frozenset(
    {"110", "120", "121", "122", "130", "131", "132", "140", "150", "160", "190"}
)

# BBR byg056 heating installation (domain.md §1.5.2).
HEATING_INSTALLATION_CODES: dict[str, str] = {
    "1": "Fjernvarme/blokvarme",
    "2": "Centralvarme fra eget anlæg, et-kammer fyr",
    "3": "Ovne (kakkelovne, kamin, brændeovne o.l.)",
    "5": "Varmepumpe",
    "6": "Centralvarme med to fyringsenheder (fast og olie eller gas)",
    "7": "Elovne, elpaneler",
    "8": "Gasradiator",
    "9": "Ingen varmeinstallation",
    "99": "Blandet (kræver specifikation på enhedsniveau)",
}

# BBR byg057 heating medium (domain.md §1.5.3).
HEATING_FUEL_CODES: dict[str, str] = {
    "1": "Elektricitet",
    "2": "Gasværksgas",
    "3": "Flydende brændsel (olie, petroleum, flaskegas)",
    "4": "Fast brændsel (kul, koks, brænde mm.)",
    "6": "Halm",
    "7": "Naturgas",
    "9": "Andet",
}

# Ejerforholdskode (domain.md §1.6).
OWNER_TYPE_CODES: dict[str, str] = {
    "10": "Privatpersoner eller interessentskab",
    "20": "Alment boligselskab",
    "30": "Aktie-, anparts- eller andet selskab",
    "40": "Forening, legat eller selvejende institution",
    "41": "Privat andelsboligforening",
    "50": "Den kommune, hvori ejendommen er beliggende",
    "60": "Anden primærkommune",
    "70": "Region",
    "80": "Staten",
    "90": "Andet",
}

MUNICIPAL_OWNER_TYPE = "50"

CONNECTION_STATUS_CODES: dict[str, str] = {
    "connected": "tilsluttet fjernvarme",
    "signed_up": "tilmeldt fjernvarme, endnu ikke tilsluttet",
    "declined": "har takket nej",
}

DISTRICT_STATUS_CODES: dict[str, str] = {
    "existing_dh": "eksisterende fjernvarmeområde",
    "candidate_dh": "kandidat til fjernvarme (konverteringsområde)",
    "individual": "individuel varmeforsyning",
    "undecided": "ikke afgjort; heatplan anbefaler",
}

LABEL_CLASSES: tuple[str, ...] = ("A2020", "A2015", "A2010", "B", "C", "D", "E", "F", "G")
"""Danish energy-label classes, best first (2018 scale; domain.md §2.1)."""

LABEL_CLASS_CODES: dict[str, str] = {
    "A2020": "lavenergiklasse 2020",
    "A2015": "BR15/BR18-niveau",
    "A2010": "BR10-niveau",
    "B": "BR08 eller BR98 med tillæg",
    "C": "energimærke C",
    "D": "energimærke D",
    "E": "energimærke E",
    "F": "energimærke F",
    "G": "energimærke G",
}

PROPERTIES = Layer(
    "properties",
    (
        Column("property_id", "str", True, "BBR building UUID or BFE number", unique=True),
        Column("address", "str", True, "public address text (vejnavn husnummer)"),
        Column("postcode", "str", True, "postnummer and town, e.g. '2750 Ballerup'"),
        Column("bbr_use_code", "str", True, "BBR byg021 building use", codes=BBR_USE_CODES),
        Column(
            "year_built", "int", True, "BBR byg026 construction year", unit="year", minimum=1500
        ),
        Column(
            "heated_area_m2", "float", True, "heated floor area (byg039 + byg040, or byg038)",
            unit="m²", minimum=0, exclusive_minimum=True,
        ),
        Column(
            "heating_installation", "str", True, "BBR byg056 heating installation",
            codes=HEATING_INSTALLATION_CODES,
        ),
        Column(
            "heating_fuel", "str", False,
            "BBR byg057 heating medium; often empty for district heating",
            codes=HEATING_FUEL_CODES,
        ),
        Column("owner_type", "str", True, "ejerforholdskode", codes=OWNER_TYPE_CODES),
        Column("dwellings", "int", False, "number of dwellings or units", minimum=0),
        Column("district_id", "str", False, "energy district; spatial join when absent"),
        Column(
            "connection_status", "str", False, "progress, for the yearly revision",
            codes=CONNECTION_STATUS_CODES,
        ),
    ),
    geometry=("Point", "Polygon", "MultiPolygon"),
    id_column="property_id",
    meaning="one row per property that would get its own service pipe (stikledning)",
)

DISTRICTS = Layer(
    "districts",
    (
        Column("district_id", "str", True, "energy district id", unique=True),
        Column("name", "str", True, "district name as the residents know it"),
        Column("status", "str", True, "planning status", codes=DISTRICT_STATUS_CODES),
        Column("planned_phase", "int", False, "phase fixed by a political decision", minimum=1),
    ),
    geometry=("Polygon", "MultiPolygon"),
    id_column="district_id",
    meaning="energy districts (energidistrikter / varmeplanområder)",
)

STREETS = Layer(
    "streets",
    (
        Column("road_class", "str", False, "road class (arterial, collector, local, ...)"),
        Column("name", "str", False, "street name"),
    ),
    geometry=("LineString", "MultiLineString"),
    meaning="trench candidates: street centrelines; cleaned and noded by heatplan",
)

DH_NETWORK = Layer(
    "dh_network",
    (Column("dn_mm", "int", False, "nominal diameter of the existing main", unit="mm", minimum=0),),
    geometry=("LineString", "MultiLineString"),
    required=False,
    meaning="existing district-heating mains",
)

HEAT_SOURCES = Layer(
    "heat_sources",
    (
        Column("source_id", "str", True, "feed point id", unique=True),
        Column("name", "str", True, "feed point name"),
        Column("capacity_mw", "float", False, "available capacity", unit="MW", minimum=0),
    ),
    geometry=("Point",),
    id_column="source_id",
    meaning="points where new mains can be fed (transmission connection, plant)",
)

LABELS = Layer(
    "labels",
    (
        Column("label_id", "str", True, "energy-label serial number", unique=True),
        Column("property_id", "str", True, "the labelled property (properties.property_id)"),
        Column("label_class", "str", True, "energy-label class", codes=LABEL_CLASS_CODES),
        Column("valid_from", "date", True, "label valid from (ISO date)"),
        Column("valid_to", "date", False, "label valid to; valid_from + 10 years when empty"),
        Column(
            "heated_area_m2", "float", False, "heated area the label was computed on", unit="m²",
            minimum=0, exclusive_minimum=True,
        ),
        Column("heat_supply", "str", False, "heat supply stated on the label (free text)"),
        Column(
            "calculated_heat_kwh_a", "float", False,
            "calculated delivered heat for space heating and hot water", unit="kWh/year", minimum=0,
        ),
    ),
    id_column="label_id",
    required=False,
    meaning="energy labels (energimærker), EMO-like",
)

PROPOSALS = Layer(
    "proposals",
    (
        Column("label_id", "str", True, "the label the proposal belongs to (labels.label_id)"),
        Column("proposal_id", "str", True, "proposal number within the label"),
        Column("description", "str", True, "what the measure is (Danish text from the label)"),
        Column("investment_dkk", "float", True, "investment", unit="DKK", minimum=0),
        Column("saving_dkk_a", "float", False, "annual saving", unit="DKK/year", minimum=0),
        Column("heat_saved_kwh_a", "float", True, "annual heat saved", unit="kWh/year", minimum=0),
        Column("lifetime_a", "float", False, "lifetime of the measure", unit="years", minimum=0),
        Column("is_profitable", "bool", False, "rentabel: simple payback within the lifetime"),
    ),
    required=False,
    meaning="improvement proposals (forbedringsforslag) of the energy labels",
)

GIS_LAYERS: tuple[Layer, ...] = (PROPERTIES, DISTRICTS, STREETS, DH_NETWORK, HEAT_SOURCES)
LABEL_TABLES: tuple[Layer, ...] = (LABELS, PROPOSALS)
