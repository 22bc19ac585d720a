"""The coordination meeting's digging schedule (``gravetidsplan``): workbook, charts and tables.

:func:`write_digging` writes the workbook ``heatplan_gravetidsplan.xlsx`` (the work packages,
the crews per quarter, the conflicts with other works, the gas closure per district and per
gas customer, and what the plan assumed), the Gantt chart by district and quarter and the map
of works and conflicts (PNG and PDF, :mod:`heatplan.outputs.digging_charts`). Every sheet has
headers from the column registry (:func:`heatplan.core.columns.column_label`, Danish or
English), an autofilter, a frozen header row and first column, and an A4 landscape print
setup (:mod:`heatplan.outputs.digging_workbook`). The tables for the HTML
report (:func:`digging_report_tables`, :func:`risk_table`) and the GeoPackage layers
(:mod:`heatplan.outputs.digging_layers`) come from the same plan tables, so they agree.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from heatplan.outputs.texts import (
    check_lang,
    format_number,
    is_missing,
    lookup,
    recommendation_text,
)
from heatplan.plan.conflicts import work_type_text
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

XLSX_NAME = "heatplan_gravetidsplan.xlsx"
"""File name of the digging schedule's workbook."""

WORDS: dict[str, dict[str, str]] = {
    "title": {"da": "Gravetidsplan", "en": "Digging schedule"},
    "sheet_packages": {"da": "Gravetidsplan", "en": "Digging schedule"},
    "sheet_crews": {"da": "Hold pr. kvartal", "en": "Crews by quarter"},
    "sheet_conflicts": {"da": "Konflikter", "en": "Conflicts"},
    "sheet_gas": {"da": "Gaslukning", "en": "Gas closure"},
    "sheet_gas_customers": {"da": "Gaskunder", "en": "Gas customers"},
    "sheet_about": {"da": "Om planen", "en": "About"},
    "sheet_risks": {"da": "Risici for gravningen", "en": "Risks for the works"},
    "quarter": {"da": "K{q}", "en": "Q{q}"},
    "yes": {"da": "ja", "en": "yes"},
    "no": {"da": "nej", "en": "no"},
    "plan_dated": {"da": "Plan dateret {date} · heatplan {version}",
                   "en": "Plan dated {date} · heatplan {version}"},
    "plan_undated": {"da": "Plan fra {year}, ikke dateret · heatplan {version}",
                     "en": "Plan from {year}, undated · heatplan {version}"},
    "page": {"da": "Side &P af &N", "en": "Page &P of &N"},
    "unnamed_street": {"da": "(vej uden navn)", "en": "(unnamed street)"},
    "recently_repaved": {"da": "Ny belægning for nylig", "en": "Recently repaved"},
    "same_year": {"da": "Samme år", "en": "Same year"},
    "other_year_before": {"da": "Året før", "en": "The year before"},
    "other_year_after": {"da": "Året efter", "en": "The year after"},
    "repaving_after": {"da": "Ny belægning efter fjernvarmen", "en": "Repaving after the "
                       "district heating"},
    "last_dh_connection": {"da": "Sidste fjernvarmetilslutning", "en": "Last district-heating "
                           "connection"},
    "heat_pump_year": {"da": "Varmepumpe senest", "en": "Heat pump deadline"},
    "not_scheduled": {"da": "Ikke planlagt", "en": "Not scheduled"},
    "district_heating": {"da": "Fjernvarme", "en": "District heating"},
    "left_on_gas": {"da": "Tilbage på gas", "en": "Left on gas"},
    "heat_pump": {"da": "Varmepumpe", "en": "Heat pump"},
    "about_item": {"da": "Emne", "en": "Item"},
    "about_value": {"da": "Værdi", "en": "Value"},
    "about_unit": {"da": "Enhed", "en": "Unit"},
    "about_source": {"da": "Kilde", "en": "Source"},
    "about_municipality": {"da": "Kommunekode", "en": "Municipality code"},
    "about_plan": {"da": "Plan", "en": "Plan"},
    "about_packages": {"da": "Arbejdspakker", "en": "Work packages"},
    "about_km": {"da": "Tracé at grave (km)", "en": "Trench to dig (km)"},
    "about_moved": {"da": "Pakker fremrykket for at forsyne andre (km)",
                    "en": "Packages moved earlier to feed others (km)"},
    "about_over": {"da": "Kvartaler over holdkapaciteten", "en": "Quarters over the crew "
                   "capacity"},
    "about_conflicts": {"da": "Konflikter med andre arbejder", "en": "Conflicts with other "
                        "works"},
    "about_left": {"da": "Ejendomme tilbage på gas ved lukningen", "en": "Properties left on "
                   "gas at the closure"},
    "about_assumptions": {"da": "Forudsætninger", "en": "Assumptions"},
    "assumption_marker": {"da": "antagelse", "en": "assumption"},
    "risk_capacity": {"da": "Holdkapacitet", "en": "Crew capacity"},
    "risk_capacity_text": {"da": "{when}: {need} hold nødvendige mod {have} til rådighed",
                           "en": "{when}: {need} crews needed against {have} available"},
    "risk_feed": {"da": "Forsyning før udrulningens år", "en": "Feeds before the rollout's "
                  "year"},
    "risk_feed_text": {"da": "{n} pakker ({km} km) i {districts} graves før deres distrikts år, "
                       "fordi ledninger i andre distrikter forsynes gennem dem",
                       "en": "{n} packages ({km} km) in {districts} are dug before their "
                       "district's years because mains of other districts are fed through "
                       "them"},
    "risk_conflict": {"da": "Andre arbejder i vejene", "en": "Other works in the streets"},
    "risk_conflict_text": {"da": "{n} konflikter: {kinds}; {stuck} kan ikke løses ved at "
                           "flytte pakken",
                           "en": "{n} conflicts: {kinds}; {stuck} cannot be solved by moving "
                           "the package"},
    "risk_gas": {"da": "Gaslukning", "en": "Gas closure"},
    "risk_gas_text": {"da": "{n} ejendomme forventes ikke at tilslutte sig og står tilbage på "
                      "gas; sidste gaslukning {last}",
                      "en": "{n} properties are not expected to connect and are left on gas; "
                      "last gas closure {last}"},
    "risk_gas_late": {"da": "Gaslukning efter {deadline}", "en": "Gas closure after "
                      "{deadline}"},
    "risk_gas_late_text": {"da": "{districts}: gassen kan først lukkes {years}",
                           "en": "{districts}: the gas can close only in {years}"},
    "summary_works": {"da": "Gravetidsplan: {n} arbejdspakker, {km} km i {quarters} kvartaler; "
                      "over holdkapaciteten i {over}",
                      "en": "Digging schedule: {n} work packages, {km} km over {quarters} "
                      "quarters; over the crew capacity in {over}"},
    "summary_moved": {"da": "  {n} pakker ({km} km) graves før deres distrikts år, fordi andre "
                      "distrikters ledninger forsynes gennem dem",
                      "en": "  {n} packages ({km} km) are dug before their district's years "
                      "because other districts' mains are fed through them"},
    "summary_conflicts": {"da": "  {n} konflikter med andre arbejder i vejene ({kinds})",
                          "en": "  {n} conflicts with other works in the streets ({kinds})"},
    "summary_gas": {"da": "Gaslukning: {n} ejendomme står tilbage på gas; første lukning {first}, "
                    "sidste {last}",
                    "en": "Gas closure: {n} properties are left on gas; first closure {first}, "
                    "last {last}"},
    "none": {"da": "ingen", "en": "none"},
}
"""Words of the digging schedule's outputs, in Danish and English."""

PACKAGE_SHEET: tuple[str, ...] = (
    "package_id", "district_name", "street_name", "stretch", "n_stretches", "phase",
    "construction_year", "quarter", "length_m", "dn_min", "dn_max", "n_service_pipes",
    "n_connecting", "crew_weeks", "n_conflicts", "is_moved_earlier",
    "district_id", "service_m", "feed_package_id", "rollout_year", "earliest_year",
    "latest_year",
)
PACKAGE_PRINTED = 16
"""A sheet prints its first columns (what the meeting reads, fitting an A4 page in landscape);
the rest are there for filtering. So for the conflicts and the gas closure."""
CREW_SHEET: tuple[str, ...] = (
    "year", "quarter", "n_packages", "length_m", "crew_weeks", "working_weeks",
    "crews_needed", "crews_available", "is_over_capacity",
)
CONFLICT_SHEET: tuple[str, ...] = (
    "package_id", "street_name", "construction_year", "quarter", "work_type", "description",
    "work_year", "conflict", "can_move", "suggestion",
    "district_name", "work_id", "work_end_year", "overlap_m",
)
CONFLICT_PRINTED = 10
GAS_SHEET: tuple[str, ...] = (
    "district_name", "phase", "n_gas_today", "n_gas_to_dh", "n_gas_to_heat_pump",
    "n_left_on_gas", "notice_year", "closure_year", "gas_advice",
    "district_id", "recommendation", "last_exit_year", "closure_basis",
)
GAS_PRINTED = 9
GAS_CUSTOMER_SHEET: tuple[str, ...] = (
    "address", "postcode", "district_name", "gas_route", "exit_year", "closure_year",
    "gas_advice", "property_id", "district_id",
)
GAS_CUSTOMER_PRINTED = 7
REPORT_PACKAGE_COLUMNS: tuple[str, ...] = (
    "package_id", "district_name", "street_name", "construction_year", "quarter", "length_m",
    "dn_min", "dn_max", "n_service_pipes", "n_conflicts",
)
"""The packages as the HTML report shows them: narrow enough for an A4 page."""



def word(key: str, lang: str = "da", **fields: object) -> str:
    """The word ``key`` in ``lang`` with ``fields`` filled in."""
    return lookup(WORDS, key, lang, **fields)


def quarter_text(year: object, quarter: object, lang: str = "da") -> str:
    """``"2026 K2"`` (English ``"2026 Q2"``); empty when either is missing."""
    if is_missing(year) or is_missing(quarter):
        return ""
    return f"{int(year)} {word('quarter', lang, q=int(quarter))}"  # type: ignore[call-overload]


def plan_line(plan: Plan, lang: str = "da") -> str:
    """The plan's date (or first year) and heatplan's version, for every page."""
    from heatplan import __version__

    date = (plan.summary or {}).get("plan_date")
    if date:
        return word("plan_dated", lang, date=date, version=__version__)
    year = (int(plan.scenario.value("phasing.first_year")) if plan.scenario is not None
            else "")
    return word("plan_undated", lang, year=year, version=__version__)


# ------------------------------------------------------------------ the tables


def _district_names(plan: Plan) -> pd.Series:
    if "name" not in plan.districts.columns:
        return pd.Series(dtype="string")
    return plan.districts["name"].astype("string")


def _yes_no(values: pd.Series, lang: str) -> pd.Series:
    return values.map(lambda v: word("yes", lang) if bool(v) else word("no", lang))


def _words(values: pd.Series, lang: str) -> pd.Series:
    return values.map(lambda v: "" if is_missing(v) else word(str(v), lang)
                      if str(v) in WORDS else str(v))


def packages_table(plan: Plan, lang: str = "da") -> pd.DataFrame:
    """The work packages in digging order, with district names and flags in words."""
    pk = plan.work_packages
    if pk is None or not len(pk):
        return pd.DataFrame(columns=list(PACKAGE_SHEET))
    out = pd.DataFrame(pk.drop(columns=pk.geometry.name) if hasattr(pk, "geometry") else pk)
    out = out.rename_axis("package_id").reset_index()
    out["district_name"] = out["district_id"].map(_district_names(plan))
    out["street_name"] = out["street_name"].where(out["street_name"].astype(str) != "",
                                                  word("unnamed_street", lang))
    out["is_moved_earlier"] = _yes_no(out["is_moved_earlier"], lang)
    out = out.sort_values(["construction_year", "quarter", "district_id", "package_id"])
    return out[[c for c in PACKAGE_SHEET if c in out.columns]].reset_index(drop=True)


def crews_table(plan: Plan, lang: str = "da") -> pd.DataFrame:
    """Crews needed per year and quarter against the crews available."""
    crews = plan.work_crews
    if crews is None or not len(crews):
        return pd.DataFrame(columns=list(CREW_SHEET))
    out = crews.copy()
    out["is_over_capacity"] = _yes_no(out["is_over_capacity"], lang)
    return out[list(CREW_SHEET)].reset_index(drop=True)


def conflicts_table(plan: Plan, lang: str = "da") -> pd.DataFrame:
    """The conflicts with other works, codes in words, most pressing first."""
    conflicts = plan.work_conflicts
    if conflicts is None or not len(conflicts):
        return pd.DataFrame(columns=list(CONFLICT_SHEET))
    out = conflicts.copy()
    district = plan.work_packages["district_id"].reindex(out["package_id"]).to_numpy()
    out["district_name"] = pd.Series(district).map(_district_names(plan)).to_numpy()
    works = plan.planned_works
    if works is not None and "description" in getattr(works, "columns", []):
        out["description"] = out["work_id"].map(works["description"])
    else:
        out["description"] = ""
    out["work_type"] = out["work_type"].map(lambda v: work_type_text(v, lang))
    out["conflict"] = _words(out["conflict"], lang)
    out["can_move"] = _yes_no(out["can_move"], lang)
    return out[list(CONFLICT_SHEET)].reset_index(drop=True)


def gas_table(plan: Plan, lang: str = "da") -> pd.DataFrame:
    """The gas closure per district, for the gas distributor."""
    gas = plan.gas_closure
    if gas is None or not len(gas):
        return pd.DataFrame(columns=list(GAS_SHEET))
    out = gas.rename_axis("district_id").reset_index()
    out["district_name"] = out["district_id"].map(_district_names(plan))
    out["recommendation"] = out["recommendation"].map(lambda v: recommendation_text(v, lang))
    out["closure_basis"] = _words(out["closure_basis"], lang)
    out = out.sort_values(["closure_year", "district_id"], na_position="last")
    return out[list(GAS_SHEET)].reset_index(drop=True)


def gas_customers_table(plan: Plan, lang: str = "da") -> pd.DataFrame:
    """Every gas-heated property with its address, route off gas, closure year and advice."""
    gas = plan.gas_properties
    if gas is None or not len(gas):
        return pd.DataFrame(columns=list(GAS_CUSTOMER_SHEET))
    out = gas.rename_axis("property_id").reset_index()
    props = plan.properties
    for column in ("address", "postcode"):
        out[column] = (out["property_id"].map(props[column]) if column in props.columns
                       else "")
    out["district_name"] = out["district_id"].map(_district_names(plan))
    out["gas_route"] = _words(out["gas_route"], lang)
    address = out["address"].astype("string").fillna("")
    parts = address.str.extract(r"^(\D*?)\s*(\d+)(.*)$")  # street, number, the rest
    out = out.assign(_street=parts[0].fillna(address), _number=pd.to_numeric(parts[1]).fillna(0),
                     _letter=parts[2].fillna(""))
    out = out.sort_values(["district_id", "_street", "_number", "_letter", "property_id"])
    return out[list(GAS_CUSTOMER_SHEET)].reset_index(drop=True)


def digging_report_tables(plan: Plan, lang: str = "da") -> list[tuple[str, str, pd.DataFrame]]:
    """``(key, title, table)`` for the HTML report: packages (narrow), crews, conflicts, gas.

    Empty tables are left out. Headers are code names, shown through ``column_label``.
    """
    check_lang(lang)
    packages = packages_table(plan, lang)
    packages = packages[[c for c in REPORT_PACKAGE_COLUMNS if c in packages.columns]]
    tables = [
        ("works", word("sheet_packages", lang), packages),
        ("crews", word("sheet_crews", lang), crews_table(plan, lang)),
        ("conflicts", word("sheet_conflicts", lang), conflicts_table(plan, lang).drop(
            columns=["description", "work_end_year"], errors="ignore")),
        ("gas", word("sheet_gas", lang), gas_table(plan, lang)),
    ]
    return [t for t in tables if len(t[2])]


REPORT_SHEET_NAMES: dict[str, dict[str, str]] = {
    key: WORDS[f"sheet_{name}"] for key, name in (("works", "packages"), ("crews", "crews"),
                                                  ("conflicts", "conflicts"), ("gas", "gas"),
                                                  ("works_risks", "risks"))}
"""Sheet names of :func:`digging_report_tables`'s keys, should a workbook show them."""


def summary_lines(plan: Plan, lang: str = "da") -> list[str]:
    """Lines for the printed summary: packages, km, quarters over capacity, feeds moved,
    conflicts, households left on gas and the gas closures."""
    check_lang(lang)
    pk, crews, gas = plan.work_packages, plan.work_crews, plan.gas_closure
    lines = []
    if pk is not None and len(pk):
        over = crews[crews["is_over_capacity"]]
        lines.append(word("summary_works", lang, n=len(pk),
                          km=format_number(pk["length_m"].sum() / 1000, 1, lang),
                          quarters=len(crews), over=", ".join(
                              quarter_text(r.year, r.quarter, lang) for r in over.itertuples())
                          or word("none", lang)))
        moved = pk[pk["is_moved_earlier"]]
        if len(moved):
            lines.append(word("summary_moved", lang, n=len(moved),
                              km=format_number(moved["length_m"].sum() / 1000, 1, lang)))
        conflicts = plan.work_conflicts
        if conflicts is not None and len(conflicts):
            kinds = ", ".join(f"{word(str(k), lang).lower()} {n}" for k, n in
                              conflicts["conflict"].value_counts().sort_index().items())
            lines.append(word("summary_conflicts", lang, n=len(conflicts), kinds=kinds))
    if gas is not None and len(gas) and gas["closure_year"].notna().any():
        lines.append(word("summary_gas", lang, n=format_number(gas["n_left_on_gas"].sum(), 0,
                                                               lang),
                          first=int(gas["closure_year"].min()),
                          last=int(gas["closure_year"].max())))
    return lines


def risk_table(plan: Plan, lang: str = "da") -> pd.DataFrame:
    """The works' risks for the report's risk section: ``risk_area``, ``risk``,
    ``risk_detail``: crew capacity, feeds dug before their rollout year, conflicts that
    moving the package does not solve, households left on gas, late gas closures."""
    check_lang(lang)
    rows: list[tuple[str, str, str]] = []
    crews = plan.work_crews
    if crews is not None and len(crews):
        for r in crews[crews["is_over_capacity"]].itertuples():
            rows.append(("risk_capacity", word("risk_capacity_text", lang,
                         when=quarter_text(r.year, r.quarter, lang),
                         need=format_number(r.crews_needed, 1, lang),
                         have=format_number(r.crews_available, 1, lang)), ""))
    pk = plan.work_packages
    if pk is not None and len(pk) and pk["is_moved_earlier"].any():
        moved = pk[pk["is_moved_earlier"]]
        rows.append(("risk_feed", word(
            "risk_feed_text", lang, n=len(moved),
            km=format_number(moved["length_m"].sum() / 1000, 1, lang),
            districts=", ".join(sorted(moved["district_id"].astype(str).unique()))),
            _ids(moved.index)))
    rows += _conflict_risks(plan, lang) + _gas_risks(plan, lang)
    table = pd.DataFrame(rows, columns=["risk_area", "risk", "risk_detail"])
    table["risk_area"] = table["risk_area"].map(lambda k: word(k, lang))
    return table


def _ids(ids, shown: int = 12) -> str:
    """The first ``shown`` ids, sorted, and how many more."""
    ids = sorted(str(i) for i in ids)
    more = f" … (+{len(ids) - shown})" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def _conflict_risks(plan: Plan, lang: str) -> list[tuple[str, str, str]]:
    conflicts = plan.work_conflicts
    if conflicts is None or not len(conflicts):
        return []
    kinds = ", ".join(f"{word(str(k), lang).lower()} {n}" for k, n in
                      conflicts["conflict"].value_counts().sort_index().items())
    stuck = conflicts[~conflicts["can_move"] & conflicts["conflict"].isin(
        ["recently_repaved", "other_year_before", "other_year_after"])]
    return [("risk_conflict", word("risk_conflict_text", lang, n=len(conflicts), kinds=kinds,
                                   stuck=len(stuck)),
             _ids(stuck["package_id"].unique()))]


def _gas_risks(plan: Plan, lang: str) -> list[tuple[str, str, str]]:
    gas = plan.gas_closure
    if gas is None or not len(gas):
        return []
    last = gas["closure_year"].max()
    rows = [("risk_gas", word("risk_gas_text", lang,
                              n=format_number(gas["n_left_on_gas"].sum(), 0, lang),
                              last="–" if is_missing(last) else int(last)), "")]
    if plan.scenario is not None:
        deadline = int(plan.scenario.value("uptake.remaining_to_heat_pump_year"))
        late = gas[gas["closure_year"].notna() & (gas["closure_year"] > deadline)]
        if len(late):
            rows.append(("risk_gas", word("risk_gas_late_text", lang,
                         districts=", ".join(late.index.astype(str)),
                         years=", ".join(sorted({str(int(y)) for y in late["closure_year"]}))),
                         word("risk_gas_late", lang, deadline=deadline)))
    return rows


def digging_paths(out_dir: Path | str) -> list[Path]:
    """The files :func:`write_digging` writes into ``out_dir``, in writing order."""
    from heatplan.outputs.digging_charts import GANTT_NAMES, MAP_NAMES

    out_dir = Path(out_dir)
    return [out_dir / XLSX_NAME, *(out_dir / n for n in (*GANTT_NAMES, *MAP_NAMES))]


def write_digging(plan: Plan, out_dir: Path | str, *, lang: str = "da",
                  overwrite: bool = False) -> list[Path]:
    """Write the workbook, the Gantt chart and the works map (PNG and PDF) into ``out_dir``."""
    from heatplan.outputs.digging_charts import write_gantt, write_works_map
    from heatplan.outputs.digging_workbook import write_digging_xlsx

    paths = digging_paths(out_dir)
    write_digging_xlsx(plan, paths[0], lang=lang, overwrite=overwrite)
    write_gantt(plan, paths[1], paths[2], lang=lang, overwrite=overwrite)
    write_works_map(plan, paths[3], paths[4], lang=lang, overwrite=overwrite)
    return paths
