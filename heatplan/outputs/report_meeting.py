"""The report's first page for the coordination meeting: what is dug this year and next, the
decisions the meeting must take, and the top risks; and the plan line printed on every page.

Everything is read from the plan's own tables: ``plan.work_packages`` (the digging schedule),
``plan.districts`` (``is_flagged``), ``plan.work_conflicts``, ``plan.work_crews`` and
:func:`heatplan.outputs.digging.risk_table`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from heatplan.outputs.digging import risk_table
from heatplan.outputs.texts import check_lang, format_number, is_missing, lookup
from heatplan.plan.result import Plan

WORDS: dict[str, dict[str, str]] = {
    "title": {"da": "Overblik til koordineringsmødet", "en": "Overview for the coordination "
              "meeting"},
    "dug": {"da": "Det graves i {years}", "en": "Digging in {years}"},
    "none_dug": {"da": "Der graves ikke i {years}.", "en": "No digging in {years}."},
    "decisions": {"da": "Beslutninger mødet skal træffe", "en": "Decisions for the meeting"},
    "no_decisions": {"da": "Ingen åbne beslutninger.", "en": "No open decisions."},
    "risks": {"da": "Største risici", "en": "Top risks"},
    "no_risks": {"da": "Ingen risici fundet.", "en": "No risks found."},
    "more_risks": {"da": "{n} risici mere i afsnittet «{section}».",
                   "en": "{n} more risks in the section “{section}”."},
    "year": {"da": "År", "en": "Year"},
    "district": {"da": "Distrikt", "en": "District"},
    "streets": {"da": "Veje", "en": "Streets"},
    "quarters": {"da": "Kvartaler", "en": "Quarters"},
    "trench_km": {"da": "Tracé (km)", "en": "Trench (km)"},
    "connecting": {"da": "Ejendomme tilsluttes", "en": "Properties connected"},
    "flagged": {"da": "{n} distrikter, som økonomien ikke bærer, er markeret: {names}. Skal de "
                "blive i planen?",
                "en": "{n} districts the economics do not support are flagged: {names}. Do "
                "they stay in the plan?"},
    "flagged_risk": {"da": "Distrikter uden økonomisk grundlag", "en": "Districts without an "
                     "economic case"},
    "stuck": {"da": "{n} pakker ligger i veje med andre arbejder, og flytning løser det ikke: "
              "grav sammen med ledningsejeren, eller flyt de andre arbejder?",
              "en": "{n} packages lie in streets with other works that moving does not solve: "
              "dig together with the owner, or move the other works?"},
    "crews": {"da": "{n} kvartaler kræver flere gravehold end til rådighed: flere hold, eller "
              "spred arbejdet?",
              "en": "{n} quarters need more digging crews than available: more crews, or "
              "spread the work?"},
    "assumptions": {"da": "{n} forudsætninger har ingen kilde (antagelser): bekræft dem eller "
                    "find en kilde.",
                    "en": "{n} assumptions have no source: confirm them or find a source."},
    "plan_dated": {"da": "Plan dateret {date} · heatplan {version}",
                   "en": "Plan dated {date} · heatplan {version}"},
    "page": {"da": "Side", "en": "Page"},
    "of": {"da": "af", "en": "of"},
}
"""The first page's words, Danish and English."""

STREETS_SHOWN = 8
"""Streets named per district and year on the first page; the digging schedule has all."""

TOP_RISKS = 6
"""Risks shown on the first page; the rest are in the risk section."""


def word(key: str, lang: str = "da", **fields: object) -> str:
    """The first page's word ``key`` in ``lang`` with ``fields`` filled in."""
    return lookup(WORDS, key, check_lang(lang), **fields)


def plan_date(plan: Plan, today: dt.date | None = None) -> str:
    """The plan's date as ISO text: ``plan.summary["plan_date"]`` when the plan carries one,
    else ``today`` (the run date; the current date when not given)."""
    date = (plan.summary or {}).get("plan_date")
    if date:
        return str(date)
    return (today or dt.date.today()).isoformat()


def plan_line(plan: Plan, lang: str = "da", today: dt.date | None = None) -> str:
    """``Plan dateret 2026-12-02 · heatplan 0.1.0``: the line printed on every page."""
    from heatplan import __version__

    return word("plan_dated", lang, date=plan_date(plan, today), version=__version__)


def digging_years(plan: Plan, today: dt.date | None = None) -> list[int]:
    """This year and next: the run year (or the schedule's first year, when later) and the
    year after."""
    year = int(plan_date(plan, today)[:4])
    packages = plan.work_packages
    if packages is not None and len(packages) and "construction_year" in packages:
        first = pd.to_numeric(packages["construction_year"], errors="coerce").dropna()
        if len(first) and first.min() > year:
            year = int(first.min())
    return [year, year + 1]


def dug_table(plan: Plan, years: list[int], lang: str = "da") -> pd.DataFrame:
    """One row per year and district dug in ``years``: streets, quarters, trench km and
    properties connected; empty when nothing is dug then."""
    columns = [word(k, lang) for k in ("year", "district", "streets", "quarters", "trench_km",
                                       "connecting")]
    packages = plan.work_packages
    if packages is None or not len(packages) or "construction_year" not in packages:
        return pd.DataFrame(columns=columns)
    work = packages[pd.to_numeric(packages["construction_year"], errors="coerce").isin(years)]
    rows = []
    names = plan.districts["name"] if "name" in plan.districts else pd.Series(dtype="string")
    district = work["district_id"].map(names).fillna(work["district_id"]).astype(str)
    for (year, name), group in work.groupby([work["construction_year"], district], sort=True):
        streets = sorted({str(s) for s in group["street_name"] if not is_missing(s)})
        more = f" (+{len(streets) - STREETS_SHOWN})" if len(streets) > STREETS_SHOWN else ""
        quarters = sorted({int(q) for q in group["quarter"] if not is_missing(q)})
        rows.append((int(year), name, ", ".join(streets[:STREETS_SHOWN]) + more,
                     ", ".join(f"{'K' if lang == 'da' else 'Q'}{q}" for q in quarters),
                     float(group["length_m"].sum()) / 1000,
                     int(pd.to_numeric(group["n_connecting"]).sum())))
    return pd.DataFrame(rows, columns=columns)


def _flagged(plan: Plan) -> list[str]:
    districts = plan.districts
    if "is_flagged" not in districts:
        return []
    flagged = districts[districts["is_flagged"].astype("boolean").fillna(False).to_numpy()]
    names = flagged["name"] if "name" in flagged else pd.Series(flagged.index, flagged.index)
    return sorted(str(n) for n in names)


def _unsourced(plan: Plan) -> int:
    """How many of the scenario's values have an assumption for a source."""
    from heatplan.outputs.report_economics import assumptions_table

    return len(assumptions_table(plan.scenario))


def decisions(plan: Plan, lang: str = "da") -> list[str]:
    """The decisions the meeting must take, in words: flagged districts, conflicts that
    moving does not solve, quarters over crew capacity, assumptions without a source."""
    out = []
    flagged = _flagged(plan)
    if flagged:
        out.append(word("flagged", lang, n=len(flagged), names=", ".join(flagged)))
    conflicts = plan.work_conflicts
    if conflicts is not None and len(conflicts) and "can_move" in conflicts:
        stuck = conflicts[~conflicts["can_move"].astype(bool)]
        if len(stuck):
            n = stuck["package_id"].nunique() if "package_id" in stuck else len(stuck)
            out.append(word("stuck", lang, n=n))
    crews = plan.work_crews
    if crews is not None and len(crews) and "is_over_capacity" in crews:
        over = int(crews["is_over_capacity"].astype(bool).sum())
        if over:
            out.append(word("crews", lang, n=over))
    unsourced = _unsourced(plan)
    if unsourced:
        out.append(word("assumptions", lang, n=unsourced))
    return out


def top_risks(plan: Plan, lang: str = "da") -> tuple[list[tuple[str, str]], int]:
    """The first :data:`TOP_RISKS` risks as (area, risk) and how many more there are: the
    flagged districts first, then :func:`~heatplan.outputs.digging.risk_table`."""
    risks: list[tuple[str, str]] = []
    flagged = _flagged(plan)
    if flagged:
        risks.append((word("flagged_risk", lang), format_number(len(flagged), 0, lang) + ": "
                      + ", ".join(flagged)))
    table = risk_table(plan, lang)
    risks += [(str(a), str(r)) for a, r in zip(table["risk_area"], table["risk"], strict=True)]
    return risks[:TOP_RISKS], max(0, len(risks) - TOP_RISKS)
