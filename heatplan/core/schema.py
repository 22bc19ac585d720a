"""The input data contract as data: layers, columns, types, units and allowed codes.

Validation (:mod:`heatplan.validate`), the sample generator, the importers and the user
documentation (``docs/input-data.md``) all read these definitions, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["str", "int", "float", "date", "bool"]

CURRENT_YEAR = "the current year"
"""A :class:`Plausible` bound judged when the data is validated: this calendar year."""
TODAY = "today"
"""A :class:`Plausible` bound judged when the data is validated: today's date."""


@dataclass(frozen=True)
class Plausible:
    """A plausible range of a number or date column, and what happens to a value outside it.

    ``low`` and ``high`` are inclusive (``None`` for no bound); ``high`` may be
    :data:`CURRENT_YEAR` or :data:`TODAY`. ``rule`` is ``"reject"`` (the row is rejected) or
    ``"warn"`` (the row is kept and a warning names it). With ``per`` the range is for the
    value divided by that column (heat per m²), in ``unit``; with ``codes`` it holds only for
    rows whose ``of`` column has one of them (areas by BBR use), described by ``what``.
    """

    low: float | str | None
    high: float | str | None
    rule: Literal["reject", "warn"]
    source: str
    what: str = ""
    per: str = ""
    unit: str = ""
    of: str = ""
    codes: frozenset[str] = frozenset()


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
    plausible: tuple[Plausible, ...] = ()
    """Plausible ranges (checked after ``minimum``); see :class:`Plausible`."""


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

# --- plausible ranges -----------------------------------------------------------------------
DETACHED_USE_CODES = frozenset({"110", "120", "121", "122", "190"})
TERRACED_USE_CODES = frozenset({"130", "131", "132"})
BLOCK_USE_CODES = frozenset({"140", "150", "160"})
OTHER_USE_CODES = frozenset(BBR_USE_CODES) - DETACHED_USE_CODES - TERRACED_USE_CODES - (
    BLOCK_USE_CODES)

_AREA_LIMIT = Plausible(
    None, 500_000, "reject",
    "assumption: no single building is this large; such a value is a unit or typing error, or "
    "a whole estate in one row",
)
_HOUSE_AREA = ("assumption: plausible heated area of one dwelling, around the Danish standard "
               "house of 130 m² (domain.md §4.1)")
HEATED_AREA_PLAUSIBLE: tuple[Plausible, ...] = (
    _AREA_LIMIT,
    Plausible(25, 1_000, "warn", _HOUSE_AREA, what="detached houses (BBR use 110–122, 190)",
              of="bbr_use_code", codes=DETACHED_USE_CODES),
    Plausible(25, 600, "warn", _HOUSE_AREA, what="terraced and semi-detached houses (BBR use "
              "130–132)", of="bbr_use_code", codes=TERRACED_USE_CODES),
    Plausible(40, 100_000, "warn", "assumption: from a two-family house to a large block",
              what="residential blocks and institutions (BBR use 140, 150, 160)",
              of="bbr_use_code", codes=BLOCK_USE_CODES),
    Plausible(5, 300_000, "warn", "assumption: from a kiosk to a hospital",
              what="other buildings (BBR use 210–590)", of="bbr_use_code",
              codes=OTHER_USE_CODES),
)
YEAR_BUILT_PLAUSIBLE = (
    Plausible(None, CURRENT_YEAR, "reject",
              "a building is planned on as it stands; one not yet built has no heating to "
              "convert"),
)
LABEL_DATE_PLAUSIBLE = (
    Plausible(None, TODAY, "reject", "a label is issued before it is valid"),
)
LABEL_HEAT_PLAUSIBLE = (
    Plausible(None, 1_500, "reject",
              "assumption: more heat per m² than any building uses; a unit error (Wh as kWh) "
              "or a wrong area", what="heat per m²", per="heated_area_m2",
              unit="kWh/m² a year"),
    Plausible(15, 600, "warn",
              "metered heat is 53–265 kWh per BBR-m² by type and age (Vojens Fjernvarme 2021, "
              "domain.md §4.1); class G labels lie above 240 + 6500/A (domain.md §2.1)",
              what="heat per m²", per="heated_area_m2", unit="kWh/m² a year"),
)

METERED_HEAT_PLAUSIBLE = (
    Plausible(None, 100e6, "reject",
              "assumption: more heat than one building uses in a year (100 GWh); a unit error "
              "(Wh as kWh)"),
    *LABEL_HEAT_PLAUSIBLE,
)
METERED_YEAR_PLAUSIBLE = (
    Plausible(1990, CURRENT_YEAR, "reject",
              "a reading of a year not yet begun is a typing error; before 1990 it says little "
              "of today's building (assumption)"),
)

def _at_most(high: float, source: str) -> tuple[Plausible, ...]:
    return (Plausible(None, high, "warn", source),)


def _metered_columns(required: bool) -> tuple[Column, ...]:
    """``metered_heat_kwh_a`` and ``metered_year``: on the properties (optional, checked per m²
    of heated area too), or in the metered CSV (required, without an area to check against)."""
    return (
        Column(
            "metered_heat_kwh_a", "float", required,
            "metered delivered heat (space heating and hot water) of one calendar year, from "
            "the utility's or the municipality's meters; used before labels and area",
            unit="kWh/year", minimum=0,
            plausible=METERED_HEAT_PLAUSIBLE if not required else METERED_HEAT_PLAUSIBLE[:1],
        ),
        Column("metered_year", "int", required,
               "the calendar year metered_heat_kwh_a was measured in (normalised to a normal "
               "year with degree days)", unit="year", plausible=METERED_YEAR_PLAUSIBLE),
    )


PROPERTIES = Layer(
    "properties",
    (
        Column("property_id", "str", True, "BBR building UUID or BFE number", unique=True),
        Column("address", "str", True, "public address text (vejnavn husnummer)"),
        Column("postcode", "str", True, "postnummer and town, e.g. '2750 Ballerup'"),
        Column("bbr_use_code", "str", True, "BBR byg021 building use", codes=BBR_USE_CODES),
        Column(
            "year_built", "int", True, "BBR byg026 construction year", unit="year", minimum=1500,
            plausible=YEAR_BUILT_PLAUSIBLE,
        ),
        Column(
            "heated_area_m2", "float", True, "heated floor area (byg039 + byg040, or byg038)",
            unit="m²", minimum=0, exclusive_minimum=True, plausible=HEATED_AREA_PLAUSIBLE,
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
        Column("dwellings", "int", False, "number of dwellings or units", minimum=0,
               plausible=_at_most(2_000, "assumption: more dwellings than one building holds; "
                                  "an estate given as one row")),
        Column("district_id", "str", False, "energy district; spatial join when absent"),
        Column(
            "connection_status", "str", False, "progress, for the yearly revision",
            codes=CONNECTION_STATUS_CODES,
        ),
        Column("kommunekode", "str", False,
               "four-digit code of the municipality the property lies in (BBR kommunekode); "
               "the plan's municipality when all properties share one"),
        *_metered_columns(required=False),
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
        Column("planned_phase", "int", False, "phase fixed by a political decision", minimum=1,
               plausible=_at_most(10, "assumption: more phases than a municipal rollout has "
                                  "(Ballerup and Herlev plan two; domain.md §6.5)")),
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
    (Column("dn_mm", "int", False, "nominal diameter of the existing main", unit="mm", minimum=0,
            plausible=_at_most(1_200, "assumption: larger than pre-insulated district-heating "
                               "pipes are made")),),
    geometry=("LineString", "MultiLineString"),
    required=False,
    meaning="existing district-heating mains",
)

HEAT_SOURCES = Layer(
    "heat_sources",
    (
        Column("source_id", "str", True, "feed point id", unique=True),
        Column("name", "str", True, "feed point name"),
        Column("capacity_mw", "float", False, "available capacity", unit="MW", minimum=0,
               plausible=_at_most(2_000, "assumption: more than a single feed point of a Danish "
                                  "network delivers")),
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
        Column("valid_from", "date", True, "label valid from (ISO date)",
               plausible=LABEL_DATE_PLAUSIBLE),
        Column("valid_to", "date", False, "label valid to; valid_from + 10 years when empty"),
        Column(
            "heated_area_m2", "float", False, "heated area the label was computed on", unit="m²",
            minimum=0, exclusive_minimum=True, plausible=(_AREA_LIMIT,),
        ),
        Column("heat_supply", "str", False, "heat supply stated on the label (free text)"),
        Column(
            "calculated_heat_kwh_a", "float", False,
            "calculated delivered heat for space heating and hot water", unit="kWh/year", minimum=0,
            plausible=LABEL_HEAT_PLAUSIBLE,
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
        Column("investment_dkk", "float", True, "investment", unit="DKK", minimum=0,
               plausible=_at_most(100e6, "assumption: more than one measure of a building "
                                  "costs; a unit error (øre as kroner)")),
        Column("saving_dkk_a", "float", False, "annual saving", unit="DKK/year", minimum=0,
               plausible=_at_most(10e6, "assumption: more than one measure saves a year")),
        Column("heat_saved_kwh_a", "float", True, "annual heat saved", unit="kWh/year", minimum=0,
               plausible=_at_most(10e6, "assumption: more heat than one measure saves a year "
                                  "(10 GWh)")),
        Column("lifetime_a", "float", False, "lifetime of the measure", unit="years", minimum=0,
               plausible=_at_most(100, "assumption: longer than building measures last")),
        Column("is_profitable", "bool", False, "rentabel: simple payback within the lifetime"),
    ),
    required=False,
    meaning="improvement proposals (forbedringsforslag) of the energy labels",
)

# Other works in the streets (the coordination meeting's digging schedule checks against them).
WORK_TYPE_CODES: dict[str, str] = {
    "road_renewal": "vejrenovering eller ombygning af vejen",
    "repaving": "ny belægning (asfalt, slidlag, fortov)",
    "water": "vandledninger",
    "sewer": "kloak (separering, renovering)",
    "fibre": "fiber- eller telekabler",
    "power": "elkabler",
    "gas": "gasledninger",
    "district_heating": "andet fjernvarmearbejde",
    "other": "andet arbejde i vejen",
}
REPAVING_WORK_TYPES = frozenset({"road_renewal", "repaving"})
"""Work types that leave a new road surface behind them."""
_WORK_YEAR_PLAUSIBLE = (
    Plausible(1990, 2100, "warn", "assumption: a work older than 1990 no longer matters for "
              "the digging schedule, and none is planned beyond 2100; a typing error"),
)

PLANNED_WORKS = Layer(
    "planned_works",
    (
        Column("work_id", "str", True, "id of the work (the road authority's or utility's case "
               "number)", unique=True),
        Column("work_type", "str", True, "what is done in the street", codes=WORK_TYPE_CODES),
        Column("year", "int", True, "year the work is done (for repaving and road renewal: the "
               "year the new surface was or will be laid)", unit="year", minimum=1900,
               plausible=_WORK_YEAR_PLAUSIBLE),
        Column("end_year", "int", False, "last year of a work running over several years, "
               "not before `year` (else the row is rejected); `year` when empty", unit="year",
               minimum=1900, plausible=_WORK_YEAR_PLAUSIBLE),
        Column("description", "str", False, "what the work is, in words"),
        Column("owner", "str", False, "who does the work (road authority, water utility, ...)"),
    ),
    geometry=("LineString", "MultiLineString", "Polygon", "MultiPolygon"),
    id_column="work_id",
    required=False,
    meaning="other works in the streets, done or planned: road renewal, repaving, water, "
    "sewer, fibre (lines along the street or polygons of the area)",
)

GIS_LAYERS: tuple[Layer, ...] = (
    PROPERTIES, DISTRICTS, STREETS, DH_NETWORK, HEAT_SOURCES, PLANNED_WORKS,
)
METERED = Layer(
    "metered",
    (
        Column("property_id", "str", True, "the metered property (properties.property_id)",
               unique=True),
        *_metered_columns(required=True),
    ),
    id_column="property_id",
    required=False,
    meaning="metered heat per property; a row replaces the properties layer's "
    "metered_heat_kwh_a and metered_year",
)

LABEL_TABLES: tuple[Layer, ...] = (LABELS, PROPOSALS, METERED)
