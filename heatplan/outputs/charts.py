"""Charts of the coordination report: district timeline, connections, CO2 against the target.

Each function returns a matplotlib :class:`~matplotlib.figure.Figure` drawn from the plan's own
tables; :func:`figure_svg` turns one into an inline SVG without time stamps or random ids.
"""

from __future__ import annotations

import io
import re

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from heatplan.outputs.style import INDIVIDUAL_COLOUR, NEUTRAL_COLOUR, phase_colour
from heatplan.outputs.texts import check_lang, format_number, text
from heatplan.plan.result import Plan


def _number_axis(axis, lang: str, decimals: int = 0) -> None:
    if decimals == 0:
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, decimals, lang)))


def _year_axis(axis) -> None:
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{round(v)}"))


def _int(value: object) -> int | None:
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return None
    return int(value)  # type: ignore[call-overload]


def timeline_chart(plan: Plan, *, lang: str = "da") -> Figure | None:
    """Gantt chart: one bar per scheduled district from start to end year, coloured by phase.

    Returns None when no district has a start year.
    """
    check_lang(lang)
    districts = plan.districts
    if "start_year" not in districts:
        return None
    rows = []
    for did, row in districts.iterrows():
        start, end = _int(row.get("start_year")), _int(row.get("end_year"))
        if start is None:
            continue
        rows.append(
            (
                _int(row.get("phase")) or 0,
                start,
                end if end is not None else start,
                str(row["name"]) if "name" in districts else str(did),
                str(did),
            )
        )
    if not rows:
        return None
    rows.sort()
    height = max(2.5, 0.32 * len(rows) + 1.2)
    fig = Figure(figsize=(9.0, height))
    ax = fig.add_subplot()
    ys = np.arange(len(rows))[::-1]
    for y, (phase, start, end, _name, _did) in zip(ys, rows, strict=True):
        colour = phase_colour(phase) if phase else INDIVIDUAL_COLOUR
        ax.barh(y, end + 1 - start, left=start, height=0.65, color=colour, edgecolor="white")
    ax.set_yticks(ys, [name for *_, name, _did in rows], fontsize=8)
    ax.set_xlabel(text("chart_year", lang))
    _year_axis(ax.xaxis)
    first = min(r[1] for r in rows)
    last = max(r[2] for r in rows) + 1
    ax.set_xlim(first - 0.2, last + 0.2)
    ax.set_xticks(range(first, last + 1))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    phases = sorted({r[0] for r in rows if r[0]})
    handles = [
        Patch(color=phase_colour(p), label=text("legend_phase_short", lang, phase=p))
        for p in phases
    ]
    if handles:
        ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=len(handles),
            fontsize=8,
            frameon=False,
            borderaxespad=0.2,
        )
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.subplots_adjust(left=0.24, right=0.97, bottom=0.9 / height, top=1 - 0.45 / height)
    return fig


def connections_series(plan: Plan) -> pd.Series | None:
    """Connections per year: the ``connections`` column of ``plan.years`` (index year)."""
    years = plan.years
    if years is None or "connections" not in years:
        return None
    return pd.to_numeric(years["connections"]).fillna(0)


def connections_chart(plan: Plan, *, lang: str = "da") -> Figure | None:
    """Bars of connections per year and a line of the cumulative total; None without data."""
    check_lang(lang)
    per_year = connections_series(plan)
    if per_year is None or len(per_year) == 0:
        return None
    nonzero = np.flatnonzero(per_year.to_numpy() > 0)
    if len(nonzero):  # leave out the quiet years after the last connection
        per_year = per_year.iloc[: nonzero[-1] + 1]
    years = np.asarray(per_year.index, dtype=int)
    fig = Figure(figsize=(9.0, 3.6))
    ax = fig.add_subplot()
    ax.bar(years, per_year.to_numpy(), color="#fdae6b", label=text("chart_connections_year", lang))
    ax2 = ax.twinx()
    ax2.plot(
        years,
        per_year.cumsum().to_numpy(),
        color="#e6550d",
        marker="o",
        linewidth=2,
        label=text("chart_connections", lang),
    )
    ax.set_xlabel(text("chart_year", lang))
    ax.set_ylabel(text("chart_connections_year", lang))
    ax2.set_ylabel(text("chart_connections", lang))
    ax2.set_ylim(bottom=0)
    _year_axis(ax.xaxis)
    _number_axis(ax.yaxis, lang)
    _number_axis(ax2.yaxis, lang)
    ax.set_xticks(years if len(years) <= 12 else years[:: -(-len(years) // 12)])
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(
        lines[0] + lines2[0], lines[1] + lines2[1], loc="center right", fontsize=8, frameon=False
    )
    ax.spines["top"].set_visible(False)
    ax2.spines["top"].set_visible(False)
    fig.subplots_adjust(left=0.09, right=0.90, bottom=0.16, top=0.95)
    return fig


def co2_series_kind(column: str) -> str | None:
    """What a CO2 trajectory column holds, from its name; None for non-CO2 columns.

    ``baseline``, ``target``, ``no_plan``, ``with_ccs``, ``without_ccs``, ``takeup`` or ``plan``
    (``co2_t``, ``co2_t_a``, ``plan_co2_t_a`` …).
    """
    name = column.lower()
    if "co2" not in name or "share" in name:
        return None
    for kind in ("baseline", "target", "no_plan", "takeup"):
        if kind in name:
            return kind
    if "without_ccs" in name or "no_ccs" in name:
        return "without_ccs"
    if "ccs" in name:
        return "with_ccs"
    return "plan"


def co2_series_label(column: str, lang: str) -> str:
    """The legend text of a CO2 trajectory column, from its name."""
    kind = co2_series_kind(column)
    if kind == "takeup":
        match = re.search(r"takeup_(\d+)", column.lower())
        return text("chart_co2_takeup", lang, pct=match.group(1) if match else "?")
    key = {
        "baseline": "chart_co2_baseline",
        "no_plan": "chart_co2_no_plan",
        "with_ccs": "chart_co2_plan_ccs",
        "without_ccs": "chart_co2_plan_no_ccs",
        "plan": "chart_co2_plan",
    }.get(kind or "")
    return text(key, lang) if key else column


def target_line(plan: Plan) -> tuple[int, float, float] | None:
    """(target year, target share, target CO2 t/a) from the trajectory or the scenario.

    The target is the trajectory's ``target_co2_t_a`` in the target year when given; otherwise
    the scenario's reduction share applied to the baseline in the base year.
    """
    traj = plan.co2_trajectory
    scen = plan.scenario
    if traj is None or len(traj) == 0 or scen is None:
        return None
    if "general.target_year" not in scen or "general.target_reduction_share" not in scen:
        return None
    year = int(scen.value("general.target_year"))
    share = float(scen.value("general.target_reduction_share"))
    target_cols = [c for c in traj.columns if co2_series_kind(str(c)) == "target"]
    if target_cols and year in traj.index and not pd.isna(traj.at[year, target_cols[0]]):
        return year, share, float(traj.at[year, target_cols[0]])
    base_cols = [c for c in traj.columns if co2_series_kind(str(c)) == "baseline"]
    if not base_cols:
        return None
    base = pd.to_numeric(traj[base_cols[0]]).dropna()
    if base.empty:
        return None
    return year, share, float(base.iloc[0]) * (1 - share)


def co2_chart(plan: Plan, *, lang: str = "da") -> Figure | None:
    """CO2 of building heat per year for the plan (and variants) against the −85 % target."""
    check_lang(lang)
    traj = plan.co2_trajectory
    if traj is None or len(traj) == 0:
        return None
    years = np.asarray(traj.index, dtype=int)
    fig = Figure(figsize=(9.0, 4.8))
    ax = fig.add_subplot()
    styles = {
        "baseline": ("#969696", "--", 1.5),
        "no_plan": ("#636363", ":", 1.8),
        "takeup": ("#fdbe85", "-", 1.0),
        "without_ccs": ("#e6550d", "-", 2.2),
        "with_ccs": ("#1b9e77", "-.", 2.2),
        "plan": ("#e6550d", "-", 2.2),
    }
    kinds = {str(c): co2_series_kind(str(c)) for c in traj.columns}
    both_ccs = {"with_ccs", "without_ccs"} <= set(kinds.values())
    order = ["baseline", "no_plan", "takeup", "without_ccs", "with_ccs", "plan"]
    columns = sorted(
        (c for c, k in kinds.items() if k in styles and not (k == "plan" and both_ccs)),
        key=lambda c: (order.index(kinds[c]), int("".join(filter(str.isdigit, c)) or 0), c),
    )
    n_takeup = 0
    for column in columns:
        if not pd.api.types.is_numeric_dtype(traj[column]):
            continue
        colour, style, width = styles[kinds[column]]
        if kinds[column] == "takeup":
            colour, style = TAKEUP_STYLES[n_takeup % len(TAKEUP_STYLES)]
            n_takeup += 1
        ax.plot(
            years,
            pd.to_numeric(traj[column]).to_numpy(dtype=float),
            color=colour,
            linestyle=style,
            linewidth=width,
            label=co2_series_label(column, lang),
        )
    target = target_line(plan)
    if target is not None:
        year, share, value = target
        ax.axhline(
            value,
            color="#b2182b",
            linestyle=":",
            linewidth=1.5,
            label=text(
                "chart_co2_target", lang, share=format_number(share * 100, 0, lang), year=year
            ),
        )
        ax.axvline(year, color="#b2182b", linestyle=":", linewidth=0.8)
    ax.set_xlabel(text("chart_year", lang))
    ax.set_ylabel(text("chart_co2", lang))
    ax.set_ylim(bottom=0)
    _year_axis(ax.xaxis)
    _number_axis(ax.yaxis, lang)
    ax.grid(color="#eeeeee", linewidth=0.6)
    # the legend goes below the axes, never over the lines
    handles, _labels = ax.get_legend_handles_labels()
    rows = -(-len(handles) // 3)
    fig.legend(fontsize=8, frameon=False, loc="lower center", ncol=3, handlelength=3.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.subplots_adjust(left=0.10, right=0.97, bottom=0.14 + 0.06 * rows, top=0.96)
    return fig


TAKEUP_STYLES = (
    ("#0072b2", (0, (6, 2))),
    ("#cc79a7", (0, (1, 1.5))),
    ("#009e73", (0, (6, 2, 1, 2))),
    ("#56b4e9", (0, (3, 1, 1, 1, 1, 1))),
    ("#d55e00", (0, (10, 3))),
)
"""Colour (Okabe–Ito, colour-blind safe) and dash pattern of the take-up variants' lines, in
order, so each reads apart in black and white."""


def figure_svg(fig: Figure) -> str:
    """Return ``fig`` as an ``<svg>`` element for inlining into HTML (no date, fixed ids)."""
    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": "heatplan", "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    start = svg.find("<svg")
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg[start:], flags=re.S)
    # let the chart scale with the page
    return re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
        r'<svg\1 style="width:100%;height:auto"',
        svg,
        count=1,
    )


TORNADO_COLUMNS = 3
"""Panels per row of the tornado chart."""


def tornado_chart(plan: Plan, *, lang: str = "da") -> Figure | None:
    """One tornado panel per district with a socio-economic comparison.

    Each bar runs from the district's present-value difference (district heating − reference,
    million DKK) to the difference when one driver is lowered (light) or raised (dark) by the
    scenario's sensitivity share, or take-up is at its low or high case; the drivers with the
    widest swing are on top. None when no district has a comparison.
    """
    from heatplan.outputs.report_economics import compared_districts
    from heatplan.plan.economics.sensitivity import TORNADO_PAIRS, case_column

    check_lang(lang)
    districts = compared_districts(plan.districts)
    if not len(districts) or case_column("trench_low") not in districts:
        return None
    rows = -(-len(districts) // TORNADO_COLUMNS)
    fig = Figure(figsize=(9.0, 1.9 * rows + 0.6))
    for i, (did, row) in enumerate(districts.iterrows()):
        ax = fig.add_subplot(rows, TORNADO_COLUMNS, i + 1)
        base = float(row["npv_difference_mdkk"])
        bars = sorted(
            ((text(f"driver_{d}", lang), float(row[case_column(lo)]), float(row[case_column(hi)]))
             for d, lo, hi in TORNADO_PAIRS),
            key=lambda b: abs(b[2] - b[1]))
        ys = np.arange(len(bars))
        for y, (_name, low, high) in zip(ys, bars, strict=True):
            ax.barh(y, low - base, left=base, color="#9ecae1", height=0.7)
            ax.barh(y, high - base, left=base, color="#08519c", height=0.7)
        ax.axvline(base, color=NEUTRAL_COLOUR, linewidth=0.8)
        ax.axvline(0.0, color="#d62728", linewidth=0.8, linestyle="--")
        ax.set_yticks(ys, [b[0] for b in bars], fontsize=6)
        ax.tick_params(axis="x", labelsize=6)
        _number_axis(ax.xaxis, lang, decimals=0)
        name = str(row["name"]) if "name" in districts else str(did)
        ax.set_title(f"{did} {name}", fontsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.text(0.5, 0.005, text("chart_npv_difference", lang), ha="center", fontsize=8)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.4 / (1.9 * rows + 0.6) + 0.02,
                        top=1 - 0.3 / (1.9 * rows + 0.6), wspace=0.6, hspace=0.7)
    return fig
