"""The coordination report's tables: summary figures, districts, phases, years, renovation,
CO2, changes and rejected input, each summed from the plan's own tables.

The HTML page (:mod:`heatplan.outputs.report_html`) and the XLSX workbook
(:mod:`heatplan.outputs.report_workbook`) both show these tables, so their numbers agree;
:func:`decimals_for` and :func:`total_label` say how both show a table's numbers and totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heatplan.model.heating import HEATING_TYPES
from heatplan.outputs.charts import co2_series_kind, target_line
from heatplan.outputs.digging import digging_report_tables, risk_table
from heatplan.outputs.digging import word as digging_word
from heatplan.outputs.texts import check_lang, code_text, recommendation_text, text
from heatplan.plan.result import Plan

SUMMARY_KEYS = (
    "used",
    "gap",
    "objective_t",
    "n_properties",
)
"""``plan.summary`` facts shown in the report's summary (run times are left out so reruns
give identical files)."""

_DH = "district_heating"
_HP = "individual_heat_pump"


@dataclass(frozen=True)
class ReportTable:
    """A table of the report: a title, data with code column names, and a total row or not."""

    key: str
    title: str
    data: pd.DataFrame
    total: dict[str, float] = field(default_factory=dict)


# ------------------------------------------------------------------ the numbers


def _num(table: pd.DataFrame, column: str) -> pd.Series:
    if column not in table:
        return pd.Series(dtype=float)
    return pd.to_numeric(table[column], errors="coerce")


def _sum(table: pd.DataFrame, column: str) -> float | None:
    values = _num(table, column)
    return float(values.sum()) if len(values) and values.notna().any() else None


def _has_phases(table: pd.DataFrame) -> bool:
    return "phase" in table and pd.to_numeric(table["phase"], errors="coerce").notna().any()


def dh_districts(districts: pd.DataFrame) -> np.ndarray:
    """Mask of the districts the plan builds district heating in, within its period.

    Recommendation ``district_heating``; when districts carry phases, a phase; and not
    finished before the plan period (an end year without a start year). Without these
    columns, every row.
    """
    keep = np.ones(len(districts), dtype=bool)
    if "recommendation" in districts:
        keep &= districts["recommendation"].astype("string").eq(_DH).fillna(False).to_numpy()
    if _has_phases(districts):
        keep &= pd.to_numeric(districts["phase"], errors="coerce").notna().to_numpy()
    if "start_year" in districts and "end_year" in districts:
        start = pd.to_numeric(districts["start_year"], errors="coerce")
        end = pd.to_numeric(districts["end_year"], errors="coerce")
        keep &= ~(start.isna() & end.notna()).to_numpy()
    return keep


def built_trenches(plan: Plan) -> pd.DataFrame:
    """The trenches the plan digs in its period.

    Rows with ``is_built`` true, in a district of :func:`dh_districts` (when trenches carry a
    ``district_id``) and with a phase (when trenches carry phases). Without these columns,
    every row.
    """
    trenches = plan.trenches
    keep = np.ones(len(trenches), dtype=bool)
    if "is_built" in trenches:
        keep &= trenches["is_built"].astype("boolean").fillna(False).to_numpy()
    if "district_id" in trenches:
        in_plan = plan.districts.index[dh_districts(plan.districts)]
        keep &= trenches["district_id"].isin(in_plan).to_numpy()
    if _has_phases(trenches):
        keep &= pd.to_numeric(trenches["phase"], errors="coerce").notna().to_numpy()
    return trenches[keep]


def _dh_service_pipes(plan: Plan) -> pd.DataFrame:
    """Service pipes of the properties in the districts the plan builds."""
    pipes, props = plan.service_pipes, plan.properties
    if "district_id" not in props or pipes.index.name != "property_id":
        return pipes
    districts = plan.districts.index[dh_districts(plan.districts)]
    in_plan = props["district_id"].isin(districts)
    if "recommendation" in props:
        in_plan &= props["recommendation"].eq(_DH).fillna(False)
    return pipes[in_plan.reindex(pipes.index, fill_value=False).to_numpy()]


def summary_figures(plan: Plan) -> dict[str, float | int | None]:
    """Key figures of the plan, each summed from the plan's own tables.

    Keys: ``n_to_convert``, ``n_dh``, ``n_heat_pump``, ``n_districts``, ``n_districts_dh``,
    ``n_phases``, ``trench_km``, ``service_km``, ``cost_dkk``, ``heat_dh_gwh_a``,
    ``co2_avoided_t_a``, ``npv_difference_mdkk``, ``heat_loss_share``, ``sunk_cost_dkk``,
    ``first_year``, ``last_year``, ``target_year``, ``target_co2_t_a``,
    ``plan_co2_target_year_t_a``, ``n_rejected``, ``n_renovation``.
    """
    props, districts = plan.properties, plan.districts
    rec = props["recommendation"] if "recommendation" in props else pd.Series(dtype=object)
    drec = districts["recommendation"] if "recommendation" in districts else pd.Series(dtype=object)
    phases = _num(districts, "phase").dropna()
    starts, ends = _num(districts, "start_year").dropna(), _num(districts, "end_year").dropna()
    heat = _num(props[rec == _DH], "heat_demand_mwh_a") if len(rec) else pd.Series(dtype=float)
    out: dict[str, float | int | None] = {
        "n_to_convert": int(props["is_to_convert"].astype(bool).sum())
        if "is_to_convert" in props
        else None,
        "n_dh": int((rec == _DH).sum()) if len(rec) else None,
        "n_heat_pump": int((rec == _HP).sum()) if len(rec) else None,
        "n_districts": len(districts),
        "n_districts_dh": int((drec == _DH).sum()) if len(drec) else None,
        "n_phases": int(phases.nunique()),
        "trench_km": (_sum(built_trenches(plan), "length_m") or 0.0) / 1000,
        "service_km": (_sum(_dh_service_pipes(plan), "length_m") or 0.0) / 1000,
        "cost_dkk": _sum(districts[dh_districts(districts)], "cost_dkk"),
        "heat_dh_gwh_a": float(heat.sum()) / 1000 if len(heat) else None,
        "co2_avoided_t_a": _sum(districts[dh_districts(districts)], "co2_avoided_t_a"),
        "npv_difference_mdkk": _sum(districts[dh_districts(districts)], "npv_difference_mdkk"),
        "heat_loss_share": _loss_share(districts),
        "sunk_cost_dkk": _sum(districts, "sunk_cost_dkk"),
        "first_year": int(starts.min()) if len(starts) else None,
        "last_year": int(ends.max()) if len(ends) else None,
        "target_year": None,
        "target_co2_t_a": None,
        "plan_co2_target_year_t_a": None,
        "n_rejected": int(sum(len(t) for t in plan.rejected.values())),
        "n_renovation": len(plan.renovation) if plan.renovation is not None else 0,
    }
    target = target_line(plan)
    if target is not None:
        year, _share, value = target
        out["target_year"], out["target_co2_t_a"] = year, value
        traj = plan.co2_trajectory
        plan_cols = [
            c for c in ("co2_t", "co2_t_a", "plan_co2_t_a", "plan_co2_t") if c in traj.columns
        ]
        if plan_cols and year in traj.index:
            out["plan_co2_target_year_t_a"] = float(traj.at[year, plan_cols[0]])
    return out


def _loss_share(districts: pd.DataFrame) -> float | None:
    """Heat lost ÷ heat fed into the new networks of the plan's district-heating districts."""
    if "heat_loss_mwh_a" not in districts or "heat_sold_mwh_a" not in districts:
        return None
    rec = districts.get("recommendation", pd.Series("", index=districts.index))
    dh = districts[rec.astype("string").eq(_DH).fillna(False).to_numpy()]
    loss = _sum(dh, "heat_loss_mwh_a") or 0.0
    fed = loss + (_sum(dh, "heat_sold_mwh_a") or 0.0)
    return loss / fed if fed > 0 else None


def _summary_table(plan: Plan, lang: str) -> pd.DataFrame:
    fig = summary_figures(plan)
    rows: list[tuple[str, object, int]] = [
        (text("sum_properties_to_convert", lang), fig["n_to_convert"], 0),
        (text("sum_properties_dh", lang), fig["n_dh"], 0),
        (text("sum_properties_hp", lang), fig["n_heat_pump"], 0),
        (text("sum_districts", lang), fig["n_districts"], 0),
        (text("sum_districts_dh", lang), fig["n_districts_dh"], 0),
        (text("sum_phases", lang), fig["n_phases"], 0),
        (text("sum_first_year", lang), fig["first_year"], -1),
        (text("sum_last_year", lang), fig["last_year"], -1),
        (text("sum_trench_km", lang), fig["trench_km"], 1),
        (text("sum_service_km", lang), fig["service_km"], 1),
        (
            text("sum_cost_mdkk", lang),
            None if fig["cost_dkk"] is None else fig["cost_dkk"] / 1e6,
            1,
        ),
        (text("sum_heat_gwh", lang), fig["heat_dh_gwh_a"], 1),
        (text("sum_co2_avoided", lang), fig["co2_avoided_t_a"], 0),
    ]
    if fig["npv_difference_mdkk"] is not None:
        rows.append((text("sum_npv_difference", lang), fig["npv_difference_mdkk"], 1))
    if fig["heat_loss_share"] is not None:
        rows.append((text("sum_heat_loss_share", lang), fig["heat_loss_share"], -2))
    if fig["sunk_cost_dkk"]:
        rows.append((text("sum_sunk", lang), fig["sunk_cost_dkk"] / 1e6, 1))
    if fig["target_year"] is not None:
        rows.append((text("sum_target", lang, year=fig["target_year"]), fig["target_co2_t_a"], 0))
        if fig["plan_co2_target_year_t_a"] is not None:
            rows.append(
                (
                    text("sum_plan_co2_target_year", lang, year=fig["target_year"]),
                    fig["plan_co2_target_year_t_a"],
                    0,
                )
            )
    rows.append((text("sum_renovation", lang), fig["n_renovation"], 0))
    rows.append((text("sum_rejected", lang), fig["n_rejected"], 0))
    for key in SUMMARY_KEYS:  # the plan's own facts that a reader can use
        value = plan.summary.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float | np.number | str):
            continue
        decimals = -2 if key == "gap" else (-1 if key.endswith("_year") else 0)
        if key == "used":
            value = code_text("method", value, lang)
        rows.append((text(f"sumkey_{key}", lang), value, decimals))
    return pd.DataFrame(
        {
            "item": [r[0] for r in rows],
            "value": [r[1] for r in rows],
            "decimals": [r[2] for r in rows],
        }
    )


_DISTRICT_COLUMNS = [
    "name",
    "status",
    "recommendation",
    "economic_recommendation",
    "phase",
    "start_year",
    "end_year",
    "n_properties",
    "n_to_convert",
    "n_natural_gas",
    "n_oil",
    "n_district_heating",
    "n_heat_pump",
    "n_other_heating",
    "heated_area_m2",
    "heat_demand_mwh_a",
    "trench_m",
    "feeder_trench_m",
    "cost_dkk",
    "linear_heat_density_mwh_m_a",
    "heat_loss_share",
    "npv_difference_mdkk",
    "co2_avoided_t_a",
    "cost_per_t_dkk",
    "fed_from",
    "reason",
]
_PHASE_SUMS = [
    "n_to_convert",
    "heat_demand_mwh_a",
    "trench_m",
    "feeder_trench_m",
    "cost_dkk",
    "co2_avoided_t_a",
]


def _districts_table(plan: Plan, lang: str) -> pd.DataFrame:
    districts = pd.DataFrame(plan.districts.drop(columns=plan.districts.geometry.name))
    cols = [c for c in _DISTRICT_COLUMNS if c in districts]
    table = districts[cols].copy()
    for col in ("recommendation", "economic_recommendation"):
        if col in table:
            table[col] = [recommendation_text(v, lang) for v in table[col]]
    if "status" in table:
        table["status"] = [code_text("status", v, lang) for v in table["status"]]
    if "fed_from" in table:
        table["fed_from"] = [code_text("fed", v, lang) for v in table["fed_from"]]
    sort = [c for c in ("phase", "start_year") if c in table]
    table = table.sort_values(sort, na_position="last", kind="stable") if sort else table
    table.index.name = "district_id"
    return table.reset_index()


def _phases_table(plan: Plan) -> pd.DataFrame:
    districts = plan.districts
    if "phase" not in districts:
        return pd.DataFrame()
    phase = _num(districts, "phase")
    sel = districts[phase.notna().to_numpy() & dh_districts(districts)]
    groups = pd.DataFrame(sel.drop(columns=sel.geometry.name)).groupby(
        _num(sel, "phase").astype(int)
    )
    table = pd.DataFrame({"n_districts": groups.size()})
    if "start_year" in sel:
        table["start_year"] = groups["start_year"].min().astype("Int64")
    if "end_year" in sel:
        table["end_year"] = groups["end_year"].max().astype("Int64")
    for col in _PHASE_SUMS:
        if col in sel:
            table[col] = groups[col].sum(min_count=1)
    if "heat_demand_mwh_a" in table and "trench_m" in table:
        trench = table["trench_m"].replace(0, np.nan)
        table["linear_heat_density_mwh_m_a"] = table["heat_demand_mwh_a"] / trench
    table.index.name = "phase"
    return table.reset_index()


def _years_table(plan: Plan) -> pd.DataFrame:
    years = plan.years.copy() if plan.years is not None else pd.DataFrame()
    if "connections" in years:
        pos = years.columns.get_loc("connections") + 1
        years.insert(pos, "connections_cum", pd.to_numeric(years["connections"]).cumsum())
    traj = plan.co2_trajectory
    if traj is not None and len(years):
        for col in traj.columns:
            kind = co2_series_kind(str(col))
            wanted = kind in {"target", "with_ccs", "without_ccs"} or "share" in str(col)
            if wanted and str(col) not in years:
                years[str(col)] = traj[col].reindex(years.index)
    years.index.name = "year"
    return years.reset_index()


def _plain(table: pd.DataFrame | None, index_name: str | None = None) -> pd.DataFrame:
    if table is None:
        return pd.DataFrame()
    out = (
        pd.DataFrame(table.drop(columns=table.geometry.name))
        if hasattr(table, "geometry") and getattr(table, "_geometry_column_name", None) in table
        else (pd.DataFrame(table))
    )
    if out.index.name is not None or not isinstance(out.index, pd.RangeIndex):
        out = out.reset_index(names=out.index.name or index_name or "id")
    return out


def _rejected_table(plan: Plan) -> pd.DataFrame:
    rows = []
    for layer in sorted(plan.rejected):
        table = _plain(plan.rejected[layer])
        id_col = next((c for c in table.columns if str(c).endswith("_id")), table.columns[0])
        for _, row in table.iterrows():
            rows.append({"layer": layer, "id": row[id_col], "reason": row.get("reason", "")})
    return pd.DataFrame(rows, columns=["layer", "id", "reason"])


def report_tables(plan: Plan, *, lang: str = "da") -> list[ReportTable]:
    """Return the report's tables in order: summary, districts, the economics (method,
    socio-economics, household and utility, sensitivity, assumptions), phases, years,
    renovation, changes (when a previous plan was given) and rejected input (when any)."""
    check_lang(lang)
    districts = _districts_table(plan, lang)
    phases = _phases_table(plan)
    years = _years_table(plan)
    tables = [
        ReportTable("summary", text("sec_summary", lang), _summary_table(plan, lang)),
        ReportTable(
            "districts",
            text("sec_districts", lang),
            districts,
            _totals(
                pd.DataFrame(plan.districts[dh_districts(plan.districts)]),
                [*_PHASE_SUMS, "heated_area_m2"],
            ),
        ),
        ReportTable(
            "phases",
            text("sec_phases", lang),
            phases,
            _totals(phases, [*_PHASE_SUMS, "n_districts"]),
        ),
        ReportTable(
            "years",
            text("sec_years", lang),
            years,
            _totals(years, ["connections", "trench_km", "cost_dkk"]),
        ),
        ReportTable("renovation", text("sec_renovation", lang), _renovation_table(plan, lang)),
    ]
    tables[2:2] = _economics_tables(plan, lang)
    if plan.co2_trajectory is not None and len(plan.co2_trajectory):
        trajectory = plan.co2_trajectory.copy()
        trajectory.index.name = "year"
        tables.append(ReportTable("co2", text("sec_co2", lang), trajectory.reset_index()))
    if plan.changes is not None:
        changes = _plain(plan.changes)
        if "kind" in changes:
            changes["kind"] = [code_text("kind", v, lang) for v in changes["kind"]]
        tables.append(ReportTable("changes", text("sec_changes", lang), changes))
    tables += [ReportTable(k, t, d) for k, t, d in digging_report_tables(plan, lang)]
    risks = risk_table(plan, lang)
    if len(risks):
        tables.append(ReportTable("works_risks", digging_word("sheet_risks", lang), risks))
    rejected = _rejected_table(plan)
    if len(rejected):
        tables.append(ReportTable("rejected", text("sec_rejected", lang), rejected))
    return tables


def _economics_tables(plan: Plan, lang: str) -> list[ReportTable]:
    """Method, socio-economics, household and utility, sensitivity and assumptions."""
    from heatplan.outputs import report_economics as econ

    if "npv_difference_mdkk" not in plan.districts:
        return []
    return [
        ReportTable("method", text("sec_method", lang), econ.method_table(plan, lang)),
        ReportTable("economics", text("sec_economics", lang), econ.economics_table(plan, lang)),
        ReportTable("household", text("sec_household", lang), econ.household_table(plan, lang)),
        ReportTable("sensitivity", text("sec_sensitivity", lang),
                    econ.sensitivity_table(plan, lang)),
        ReportTable("assumptions", text("sec_assumptions", lang),
                    econ.assumptions_table(plan.scenario)),
    ]


def _renovation_table(plan: Plan, lang: str) -> pd.DataFrame:
    """The ranking with heating types in words (Danish names from ``model.heating``)."""
    table = _plain(plan.renovation, "property_id")
    if "heating_type" in table and lang == "da":
        table["heating_type"] = table["heating_type"].map(HEATING_TYPES).fillna(
            table["heating_type"]
        )
    elif "heating_type" in table:
        table["heating_type"] = table["heating_type"].astype(str).str.replace("_", " ")
    return table


def total_label(key: str, lang: str) -> str:
    """The label of table ``key``'s total row."""
    if key == "districts":
        return "I alt, fjernvarme" if lang == "da" else "Total, district heating"
    return "I alt" if lang == "da" else "Total"


def _totals(table: pd.DataFrame, columns: list[str]) -> dict[str, float]:
    return {c: float(pd.to_numeric(table[c]).sum()) for c in columns if c in table}


def decimals_for(column: str) -> int | None:
    """Decimals shown for ``column``: -1 for years, -2 for shares (as percent), else 0–2."""
    name = column.lower()
    if "share" in name:
        return -2
    if name.endswith("_mdkk"):
        return 1
    if name in {"year", "phase", "rank"} or name.endswith("year") or name.startswith("year_"):
        return -1
    if "density" in name or name.endswith("_km") or name.startswith("co2") or "_co2" in name:
        return 2 if "density" in name else 1
    if name.endswith("_t_a") or name.endswith("_t") or "payback" in name or name.endswith("_years"):
        return 1
    return 0
