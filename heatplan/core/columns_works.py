"""The columns of the coordination meeting: digging schedule, crews, conflicts, gas closure.

Part of the column registry: :mod:`heatplan.core.columns` joins :data:`WORKS_COLUMNS` into its
``COLUMNS`` and lists the tables in :data:`WORKS_TABLES` (one registry, split in files to keep
each short; the types are in :mod:`heatplan.core.column_types`). Columns these tables share
with others (``district_id``, ``street_name``, ``phase``, ``construction_year``, ``length_m``,
``year``, ``recommendation``, ``district_name``) are declared there, once; those without a
header get one from :data:`SHARED_LABELS`.
"""

from __future__ import annotations

from heatplan.core.column_types import Label, PlanColumn

WORKS_TABLES: dict[str, str] = {
    "work_packages": "the digging schedule's work packages: trench pieces grouped by street, "
    "stretch, year and quarter (index `package_id`)",
    "work_crews": "crews needed per year and quarter against the crews available",
    "work_conflicts": "work packages meeting other works in the same street (one row per "
    "package and work)",
    "gas_closure": "when each district's gas network can close (index `district_id`)",
    "gas_properties": "every gas-heated property's route off gas (index `property_id`)",
    "digging_workbook": "the digging schedule's workbook (`heatplan_gravetidsplan.xlsx`): the "
    "tables above with district names, addresses and codes in words",
    "works_risks": "the works' risks for the report (`outputs/digging.py` `risk_table`)",
}
"""The coordination meeting's tables, with what they are."""

WORKS_PLAN_TABLES: tuple[str, ...] = (
    "work_packages", "work_crews", "work_conflicts", "gas_closure", "gas_properties",
)
"""Those of :data:`WORKS_TABLES` that are :class:`~heatplan.plan.result.Plan` fields (the rest
are made by the outputs)."""

_PACKAGES = ("work_packages",)
_QUARTERS = ("work_packages", "work_crews", "work_conflicts")

WORKS_COLUMNS: tuple[PlanColumn, ...] = (
    # ---- work packages (plan/works.py)
    PlanColumn("package_id", "string", "", "work package: the district and a number "
               "(`D12-003`); trenches: the package digging the piece, empty when not dug",
               ("trenches", "work_packages", "work_conflicts"),
               Label("Pakke", "Package")),
    PlanColumn("stretch", "int64", "", "number of the stretch within its street run",
               _PACKAGES, Label("Strækning", "Stretch")),
    PlanColumn("n_stretches", "int64", "", "stretches the street run is cut into",
               _PACKAGES, Label("Af strækninger", "Of stretches")),
    PlanColumn("quarter", "Int64", "quarter 1–4", "quarter of the year the package is dug",
               _QUARTERS, Label("Kvartal", "Quarter")),
    PlanColumn("rollout_year", "Int64", "year", "year the rollout gave the package's pieces",
               _PACKAGES, Label("År i udrulningen", "Rollout year")),
    PlanColumn("n_segments", "int64", "", "trench pieces in the package", _PACKAGES,
               Label("Ledningsstykker", "Trench pieces")),
    PlanColumn("dn_min", "Int64", "mm", "smallest pipe size (DN) in the package", _PACKAGES,
               Label("DN min", "DN min")),
    PlanColumn("dn_max", "Int64", "mm", "largest pipe size (DN) in the package", _PACKAGES,
               Label("DN maks", "DN max")),
    PlanColumn("n_service_pipes", "int64", "", "service pipes dug with the package "
               "(properties offered a connection on its street)", _PACKAGES,
               Label("Stikledninger", "Service pipes")),
    PlanColumn("service_m", "float64", "m", "length of those service pipes", _PACKAGES,
               Label("Stikledninger (m)", "Service pipes (m)")),
    PlanColumn("n_connecting", "int64", "", "of those, properties expected to connect",
               _PACKAGES, Label("Forventes tilsluttet", "Expected to connect")),
    PlanColumn("crew_weeks", "float64", "crew-weeks", "digging time: trench metres ÷ "
               "`works.productivity_m_per_crew_week`", ("work_packages", "work_crews"),
               Label("Holduger", "Crew-weeks")),
    PlanColumn("feed_package_id", "string", "", "the package(s) feeding this one, comma "
               "separated; empty when fed from the existing network or mains already built",
               _PACKAGES, Label("Forsynes fra pakke", "Fed from package")),
    PlanColumn("is_moved_earlier", "bool", "", "dug earlier than its spread over the year "
               "(or the rollout's year) because a package it feeds comes then: feeds first",
               _PACKAGES, Label("Fremrykket for forsyning", "Moved earlier for a feed")),
    PlanColumn("earliest_year", "Int64", "year", "earliest year the package can move to "
               "without moving its feeds or leaving its district's construction years",
               _PACKAGES, Label("Tidligst", "Earliest")),
    PlanColumn("latest_year", "Int64", "year", "latest year the package can move to without "
               "moving the packages it feeds or leaving its district's construction years",
               _PACKAGES, Label("Senest", "Latest")),
    PlanColumn("n_conflicts", "int64", "", "conflicts with other works", _PACKAGES,
               Label("Konflikter", "Conflicts")),
    # ---- crews per quarter
    PlanColumn("n_packages", "int64", "", "work packages dug in the quarter", ("work_crews",),
               Label("Pakker", "Packages")),
    PlanColumn("working_weeks", "float64", "weeks", "working weeks in the quarter "
               "(`works.working_weeks_per_quarter`)", ("work_crews",),
               Label("Arbejdsuger", "Working weeks")),
    PlanColumn("crews_needed", "float64", "crews", "crews digging at once to finish the "
               "quarter's packages in its working weeks", ("work_crews",),
               Label("Hold nødvendige", "Crews needed")),
    PlanColumn("crews_available", "float64", "crews", "crews available "
               "(`works.crews_available`, or the yearly trench capacity over one crew's "
               "yearly output)", ("work_crews",), Label("Hold til rådighed", "Crews available")),
    PlanColumn("is_over_capacity", "bool", "", "more crews needed than available",
               ("work_crews",), Label("Over kapacitet", "Over capacity")),
    # ---- conflicts with other works (plan/conflicts.py)
    PlanColumn("work_year", "Int64", "year", "first year of the other work", ("work_conflicts",),
               Label("Andet arbejde år", "Other work year")),
    PlanColumn("work_end_year", "Int64", "year", "last year of the other work",
               ("work_conflicts",), Label("Andet arbejde slutår", "Other work end year")),
    PlanColumn("conflict", "string", "", "`recently_repaved`, `same_year`, "
               "`other_year_before`, `other_year_after` or `repaving_after`",
               ("work_conflicts",), Label("Konflikt", "Conflict")),
    PlanColumn("overlap_m", "float64", "m", "metres of the package's trench in the other "
               "work's street", ("work_conflicts",), Label("Fælles strækning (m)",
                                                           "Shared length (m)")),
    PlanColumn("can_move", "bool", "", "the package can move to where the conflict goes away "
               "without moving other packages", ("work_conflicts",),
               Label("Pakken kan flyttes", "Package can move")),
    PlanColumn("suggestion", "string", "", "what to do, in the plan's language",
               ("work_conflicts",), Label("Forslag", "Suggestion")),
    # ---- gas closure (plan/gas_closure.py)
    PlanColumn("n_gas_today", "int64", "", "properties heated by natural gas today",
               ("gas_closure",), Label("På gas i dag", "On gas today")),
    PlanColumn("n_gas_to_dh", "int64", "", "gas-heated properties expected to connect to "
               "district heating", ("gas_closure",), Label("Gas → fjernvarme", "Gas → DH")),
    PlanColumn("n_gas_to_heat_pump", "int64", "", "gas-heated properties in individual "
               "heating, to heat pumps", ("gas_closure",),
               Label("Gas → varmepumpe", "Gas → heat pump")),
    PlanColumn("n_left_on_gas", "int64", "", "gas-heated properties offered district heating "
               "but not expected to connect", ("gas_closure",),
               Label("Tilbage på gas", "Left on gas")),
    PlanColumn("last_exit_year", "Int64", "year", "last planned exit from gas: the last "
               "expected connection, or the heat-pump year", ("gas_closure",),
               Label("Sidste planlagte skift", "Last planned exit")),
    PlanColumn("notice_year", "Int64", "year", "year the gas distributor gives notice of the "
               "closure (the last planned exit)", ("gas_closure",),
               Label("Varsles", "Notice")),
    PlanColumn("closure_year", "Int64", "year", "year the gas network can close: last "
               "planned exit + `gas.closure_notice_years`", ("gas_closure", "gas_properties"),
               Label("Gassen kan lukkes", "Gas can close")),
    PlanColumn("closure_basis", "string", "", "`last_dh_connection`, `heat_pump_year` or "
               "`not_scheduled`", ("gas_closure",), Label("Grundlag", "Basis")),
    PlanColumn("gas_advice", "string", "", "what is recommended, in the plan's language",
               ("gas_closure", "gas_properties"), Label("Anbefaling til gaskunder",
                                                        "Advice to gas customers")),
    PlanColumn("gas_route", "string", "", "`district_heating`, `left_on_gas` or `heat_pump`",
               ("gas_properties",), Label("Vej væk fra gas", "Route off gas")),
    PlanColumn("exit_year", "Int64", "year", "year the property leaves gas; empty when left "
               "on gas", ("gas_properties",), Label("Forlader gas", "Leaves gas")),
    # ---- the works' risks (outputs)
    PlanColumn("risk_area", "string", "", "what the risk concerns", ("works_risks",),
               Label("Område", "Area")),
    PlanColumn("risk", "string", "", "the risk, in words", ("works_risks",),
               Label("Risiko", "Risk")),
    PlanColumn("risk_detail", "string", "", "the packages or districts concerned",
               ("works_risks",), Label("Detaljer", "Details")),
)
"""The coordination meeting's columns."""

SHARED_TABLES: dict[str, tuple[str, ...]] = {
    "district_id": ("work_packages", "work_conflicts", "gas_properties"),
    "street_name": ("work_packages", "work_conflicts"),
    "phase": ("work_packages", "gas_closure"),
    "construction_year": ("work_packages", "work_conflicts"),
    "length_m": ("work_packages", "work_crews"),
    "year": ("work_crews",),
    "recommendation": ("gas_closure",),
    "district_name": ("digging_workbook",),
    "description": ("digging_workbook",),
}
"""Columns declared in :mod:`heatplan.core.columns` that the tables above carry too."""

SHARED_LABELS: dict[str, Label] = {
    "street_name": Label("Vej", "Street"),
    "construction_year": Label("Graveår", "Year dug"),
    "length_m": Label("Længde (m)", "Length (m)"),
    "district_name": Label("Distrikt", "District"),
}
"""Headers of columns declared in :mod:`heatplan.core.columns` without one, which the
coordination meeting's sheets show."""
