"""A short text summary of a plan, as ``heatplan plan`` prints it on stdout."""

from __future__ import annotations

import pandas as pd

from heatplan.outputs.digging import summary_lines
from heatplan.outputs.report_tables import summary_figures
from heatplan.outputs.texts import text
from heatplan.plan.result import Plan


def _n(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def _districts(n: int) -> str:
    return f"{n} district" + ("" if n == 1 else "s")


def _years(start: object, end: object) -> str:
    if pd.isna(start) and pd.isna(end):
        return "-"
    if pd.isna(start) or start == end:
        return f"{int(end)}"  # type: ignore[call-overload]
    return f"{int(start)}–{int(end)}"  # type: ignore[call-overload]


def _phase_lines(plan: Plan) -> list[str]:
    props = plan.properties
    districts = plan.districts
    target = props[props["is_to_convert"].astype(bool) & props["recommendation"].ne("none")]
    lines = []
    # districts built before the plan period (no start year) are not part of a phase
    scheduled = districts[districts["phase"].notna() & districts["start_year"].notna()]
    for phase, group in scheduled.groupby("phase"):
        n_props = int(target["district_id"].isin(group.index).sum())
        lines.append(
            f"  phase {int(phase)}: {_n(n_props)} properties in {_districts(len(group))}, works "
            f"{_years(group['start_year'].min(), group['end_year'].max())}"
        )
    individual = target["recommendation"].eq("individual_heat_pump")
    n_dist = target.loc[individual, "district_id"].nunique()
    lines.append(
        f"  individual heat pumps: {_n(int(individual.sum()))} properties in {_districts(n_dist)}"
    )
    built = districts.index[districts["phase"].notna() & districts["start_year"].isna()]
    n_built = int(target["district_id"].isin(built).sum())
    if n_built:
        lines.append(
            f"  mains laid before the plan period: {_n(n_built)} properties in "
            f"{_districts(len(built))} (offered a connection in the first plan year)"
        )
    elsewhere = len(target) - int(target["phase"].notna().sum()) - int(individual.sum())
    if elsewhere:
        lines.append(f"  neither (not routed or rejected): {_n(elsewhere)} properties")
    return lines


def _schedule_line(summary: dict) -> str:
    milp, heur = summary.get("milp_objective_t"), summary.get("heuristic_objective_t")
    parts = []
    if milp is not None:
        parts.append(
            f"MILP {_n(milp)} t CO2 avoided ({summary.get('milp_status')}, "
            f"{summary.get('milp_time_s', 0):.2f} s)"
        )
    if heur is not None:
        parts.append(f"heuristic {_n(heur)} t ({summary.get('heuristic_time_s', 0):.2f} s)")
    gap = summary.get("gap")
    if gap is not None:
        parts.append(f"heuristic's gap to the MILP {gap:.2%}")
    return ("Schedule: " + "; ".join(parts) + f"; used: {summary.get('used')}, "
            + _quality_text(summary))


def _quality_text(summary: dict) -> str:
    """What the schedule used is worth against the best proven bound.

    >>> _quality_text({"quality": "within", "gap_to_bound": 0.00021, "bound_source": "milp",
    ...                "bound_t": 6000809.0})
    'within 0.021 % of the best bound (6,000,809 t, from the MILP)'
    """
    quality = summary.get("quality")
    if quality == "optimal":
        return "optimal (proven by the MILP)"
    if quality == "within":
        source = {"milp": "the MILP", "lp": "the LP relaxation"}.get(
            summary.get("bound_source"), "a bound")
        return (f"within {100 * summary['gap_to_bound']:.3f} % of the best bound "
                f"({_n(summary['bound_t'])} t, from {source})")
    return "bound unknown"


def _co2_lines(plan: Plan) -> list[str]:
    traj = plan.co2_trajectory
    if traj is None or traj.empty or plan.scenario is None:
        return []
    base_year = int(plan.scenario.value("general.base_year"))
    target_year = int(plan.scenario.value("general.target_year"))
    share = float(plan.scenario.value("general.target_reduction_share"))
    if target_year not in traj.index:
        return []
    row = traj.loc[target_year]
    base = float(row["baseline_co2_t"])

    def cut(value: float) -> str:
        return f"{_n(value)} t ({1 - value / base:.0%} below {base_year})" if base else _n(value)

    lines = [
        f"CO2 of building heat: {_n(base)} t in {base_year}; in {target_year} "
        f"{cut(float(row['co2_t']))}; target −{share:.0%} = {_n(float(row['target_co2_t']))} t",
    ]
    # the plan's own notes: with and without carbon capture, the gap, take-up sensitivity
    lines += [f"  {note}" for note in plan.summary.get("co2_notes", [])]
    return lines


def _economics_lines(plan: Plan) -> list[str]:
    """The socio-economic comparison in two lines: who wins, heat loss, what flips."""
    from heatplan.outputs.report_economics import compared_districts
    from heatplan.plan.economics import total_loss_share

    compared = compared_districts(plan.districts)
    if not len(compared) or plan.scenario is None:
        return []
    has_dh = compared["npv_dh_mdkk"].notna()
    cheaper = compared.index[has_dh & compared["npv_difference_mdkk"].le(0)]
    s = plan.scenario
    area = str(s.value("network.area_type"))
    low, high = s.value("network.line_loss_range")[area]
    flips = compared.get("sensitivity_flips", pd.Series("", index=compared.index))
    n_flip = int(flips.fillna("").astype(str).str.len().gt(0).sum())
    return [
        f"Socio-economics ({s.value('economics.study_period_years')} years, reference "
        f"{text('reference_' + str(s.value('economics.reference')), 'en')}): district heating "
        "is cheaper in "
        f"{len(cheaper)} of {int(has_dh.sum())} districts"
        + (f" ({', '.join(map(str, cheaper))})" if len(cheaper) else ""),
        f"  heat loss {total_loss_share(compared[has_dh]):.1%} of the heat fed into the new "
        f"networks (catalogue, {area}: {low:.0%}–{high:.0%}); {n_flip} districts change "
        "recommendation in some sensitivity case (see the report)",
    ]


def format_plan_summary(plan: Plan, *, lang: str = "da") -> str:
    """Return the plan's headline figures as lines of text (English; reasons in ``lang``)."""
    props = plan.properties
    districts = plan.districts
    title = "heatplan plan" + (" — SYNTHETIC SAMPLE DATA" if plan.is_synthetic else "")
    lines = [
        title,
        f"Properties: {_n(len(props))} planned; "
        f"{_n(int(plan.summary.get('n_to_convert', 0)))} with gas or oil heating in districts "
        "considered for district heating",
        *_phase_lines(plan),
    ]
    figures = summary_figures(plan)  # the same totals as the report
    lines.append(
        f"New trenches in the plan period: {_n(figures['trench_km'] or 0, 1)} km; cost "
        f"{_n((figures['cost_dkk'] or 0) / 1e6)} mio. DKK; district-heating works "
        f"{figures['first_year']}–{figures['last_year']}"
    )
    if plan.summary.get("street_graph"):
        lines.append("Street graph: " + plan.summary["street_graph"])
    lines.append(_schedule_line(plan.summary))
    lines += _economics_lines(plan)
    individual = districts[districts["recommendation"].eq("individual_heat_pump")]
    if len(individual):
        lines.append("Districts recommended for individual heat pumps:")
        lines += [f"  {d} {row['name']}: {row['reason']}" for d, row in individual.iterrows()]
    is_flagged = districts.get("is_flagged", pd.Series(False, index=districts.index))
    flagged = districts[is_flagged.fillna(False).astype(bool) & districts["start_year"].notna()]
    if len(flagged):
        lines.append(
            f"Flagged for review: {len(flagged)} candidate districts stay district heating by "
            "their status, though the socio-economic comparison favours heat pumps "
            "(see each district's reason; set economics.switch_candidate_below_threshold to "
            "switch them): " + ", ".join(f"{d} {n}" for d, n in flagged["name"].items())
        )
    lines += summary_lines(plan, "en")
    lines += _co2_lines(plan)
    n_rej = sum(len(t) for t in plan.rejected.values())
    if n_rej:
        per = ", ".join(f"{k} {len(t)}" for k, t in sorted(plan.rejected.items()) if len(t))
        lines.append(f"Rejected rows: {n_rej} ({per}); see the GeoPackage's rejected layers")
    if len(plan.renovation):
        top = plan.renovation.iloc[0]
        lines.append(
            f"Renovation ranking: {len(plan.renovation)} municipal buildings; first: "
            f"{top.get('address', top.name)}"
        )
    timings = plan.summary.get("timings_s", {})
    if timings:
        lines.append("Seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))
    return "\n".join(lines)
