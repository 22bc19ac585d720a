"""Sensitivity of the comparison: which districts change recommendation under which case.

Each case changes one driver and recomputes every district's present-value difference (district
heating − the reference): trench cost, heat production cost, electricity price, heat-pump
investment and heat loss down and up by ``economics.sensitivity_share``; the final take-up at
each of ``economics.sensitivity_takeup``; and the network priced at a utility's all-in figure
(``pipes.cost_basis = "all_in"``, the calibration profile). A district *flips* in a case when
the sign of its difference changes (district heating cheaper ↔ dearer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from heatplan.core.scenario import Scenario
from heatplan.plan.economics.inputs import AlternativeInputs, StudyPeriod
from heatplan.plan.economics.socio import Drivers, compare_alternatives
from heatplan.plan.economics.study import study_period

DRIVER_CASES: tuple[str, ...] = ("trench", "production", "electricity", "heat_pump", "loss")
"""The drivers lowered and raised by ``economics.sensitivity_share`` (fields of Drivers)."""

CASES: tuple[str, ...] = (*(f"{d}_{s}" for d in DRIVER_CASES for s in ("low", "high")),
                          "takeup_low", "takeup_high", "all_in")
"""Every sensitivity case, as column suffixes ``npv_difference_<case>_mdkk``."""

TORNADO_PAIRS: tuple[tuple[str, str, str], ...] = (
    *((d, f"{d}_low", f"{d}_high") for d in DRIVER_CASES), ("takeup", "takeup_low",
                                                           "takeup_high"))
"""(driver, low case, high case) of the tornado charts."""


def case_column(case: str) -> str:
    """The district column of a case's present-value difference."""
    return f"npv_difference_{case}_mdkk"


@dataclass(frozen=True)
class CaseRun:
    """How to compute the alternatives' inputs for a changed scenario (the all-in case)."""

    inputs: Callable[[Scenario], AlternativeInputs]


def sensitivity_table(base: AlternativeInputs, study: StudyPeriod, scenario: Scenario,
                      all_in: CaseRun) -> pd.DataFrame:
    """One column per case of :data:`CASES`: the difference in million DKK per district."""
    share = float(scenario.value("economics.sensitivity_share"))
    out = pd.DataFrame(index=base.index)
    for driver in DRIVER_CASES:
        for side, factor in (("low", 1.0 - share), ("high", 1.0 + share)):
            result = compare_alternatives(base, study, scenario, Drivers(**{driver: factor}))
            out[case_column(f"{driver}_{side}")] = result["npv_difference_mdkk"]
    takeups = sorted(float(s) for s in scenario.value("economics.sensitivity_takeup"))
    for side, final in (("low", takeups[0]), ("high", takeups[-1])):
        result = compare_alternatives(base, study_period(scenario, final_share=final),
                                      scenario)
        out[case_column(f"takeup_{side}")] = result["npv_difference_mdkk"]
    all_in_scenario = scenario.with_values(pipes__cost_basis="all_in")
    result = compare_alternatives(all_in.inputs(all_in_scenario), study, all_in_scenario)
    out[case_column("all_in")] = result["npv_difference_mdkk"]
    return out


def flipping_cases(base_difference: pd.Series, cases: pd.DataFrame) -> pd.Series:
    """Per district, the cases (comma separated codes) under which the recommendation flips."""
    base_dh = base_difference <= 0
    flips = []
    for district, difference in base_difference.items():
        if pd.isna(difference):
            flips.append("")
            continue
        names = [c for c in CASES if pd.notna(cases.at[district, case_column(c)])
                 and (cases.at[district, case_column(c)] <= 0) != bool(base_dh[district])]
        flips.append(", ".join(names))
    return pd.Series(flips, index=base_difference.index, name="sensitivity_flips",
                     dtype=object)


def flip_summary(districts: pd.DataFrame) -> pd.DataFrame:
    """Long table of (case, district) pairs whose recommendation flips; empty when none."""
    rows = []
    for district, text in districts.get("sensitivity_flips", pd.Series(dtype=object)).items():
        for case in [c.strip() for c in str(text or "").split(",") if c.strip()]:
            rows.append({"case": case, "district_id": district,
                         "npv_difference_mdkk": districts.at[district, "npv_difference_mdkk"],
                         "case_difference_mdkk": districts.at[district, case_column(case)]})
    table = pd.DataFrame(rows, columns=["case", "district_id", "npv_difference_mdkk",
                                        "case_difference_mdkk"])
    order = {c: i for i, c in enumerate(CASES)}
    return table.sort_values(["case", "district_id"], key=lambda s: s.map(order)
                             if s.name == "case" else s, kind="stable").reset_index(drop=True)


def has_flips(districts: pd.DataFrame) -> bool:
    """True when any district changes recommendation under some case."""
    flips = districts.get("sensitivity_flips", pd.Series(dtype=object))
    return bool(flips.fillna("").astype(str).str.len().gt(0).any())

