"""The recommendation per district and its reason, from the socio-economic comparison.

``economic_recommendation`` is ``district_heating`` where district heating's present value is no
higher than the reference's (``npv_difference_mdkk`` ≤ 0, :mod:`heatplan.plan.economics.socio`)
and a network was routed; else ``individual_heat_pump``. The linear-heat-density screen
(domain.md §5.3) stays as a flag (``passes_density``, ``density_class``). A status fixed in the
input is respected:

* ``existing_dh`` stays ``existing_dh`` (its properties still on gas or oil are offered a
  connection to the existing mains); ``individual`` stays ``individual_heat_pump``;
* ``undecided`` gets the economic recommendation;
* ``candidate_dh`` stays district heating by default even where the economics point to heat
  pumps — the council's decision is kept and the district is flagged (``is_flagged``) with the
  reason. ``economics.switch_candidate_below_threshold = true`` switches such districts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd

from heatplan.core.columns_economics import CASE_LABELS
from heatplan.core.scenario import Scenario
from heatplan.plan.economics.codes import DISTRICT_HEATING, EXISTING, INDIVIDUAL
from heatplan.plan.economics.socio import DRIVER_PARTS, reference_of

logger = logging.getLogger(__name__)

_PART_NAMES = {
    "da": {"investment": "anlæg", "energy": "energi", "loss": "varmetab", "om": "drift",
           "co2": "CO2"},
    "en": {"investment": "investment", "energy": "energy", "loss": "heat loss", "om": "O&M",
           "co2": "CO2"},
}


def _num(x: float | None, decimals: int, lang: str, *, sign: bool = False) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    text = f"{x:+,.{decimals}f}" if sign else f"{x:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def density_class(density: pd.Series, limits: Iterable[float], *, lang: str = "da"
                  ) -> pd.Series:
    """Return the density class name (critical / sufficient / good / very good)."""
    names = {"da": ["kritisk", "tilstrækkelig", "god", "meget god"],
             "en": ["critical", "sufficient", "good", "very good"]}[lang]
    edges = [-np.inf, *sorted(float(x) for x in limits), np.inf]
    cls = pd.cut(density, edges, labels=names[: len(edges) - 1], right=False)
    return cls.astype(object).where(density.notna(), None)


def main_drivers(row: pd.Series, lang: str, n: int = 3) -> str:
    """The largest parts of the difference (million DKK, signed), largest first."""
    parts = [(p, row.get(f"pv_difference_{p}_mdkk", np.nan)) for p in DRIVER_PARTS]
    parts = [(p, v) for p, v in parts if pd.notna(v)]
    parts.sort(key=lambda pv: -abs(pv[1]))
    return ", ".join(f"{_PART_NAMES[lang][p]} {_num(v, 1, lang, sign=True)}"
                     for p, v in parts[:n])


def recommend_districts(economics: pd.DataFrame, *, scenario: Scenario, lang: str = "da"
                        ) -> pd.DataFrame:
    """Return the economics with the recommendation and its reason added.

    Returns
    -------
    districts
        A copy with ``density_class``, ``passes_density`` and ``is_cheaper_than_heat_pumps``
        (bool), ``main_drivers`` (text), ``economic_recommendation``, ``recommendation``
        (``district_heating``, ``individual_heat_pump``, ``existing_dh``), ``is_flagged`` (a
        council candidate area the economics do not support, whether kept or switched) and
        ``reason`` (text, in ``lang``).
    """
    if lang not in ("da", "en"):
        msg = f"lang must be 'da' or 'en', not {lang!r}."
        raise ValueError(msg)
    out = economics.copy()  # never mutate the input
    threshold = float(scenario.value("economics.min_linear_heat_density_mwh_m_a"))
    use_takeup = bool(scenario.value("economics.density_uses_takeup"))
    switch = bool(scenario.value("economics.switch_candidate_below_threshold"))
    density = out["expected_linear_heat_density_mwh_m_a" if use_takeup
                  else "linear_heat_density_mwh_m_a"]
    out["density_class"] = density_class(density, scenario.value(
        "economics.density_classes_mwh_m_a"), lang=lang)
    out["passes_density"] = density.ge(threshold).fillna(False).astype(bool)
    out["is_cheaper_than_heat_pumps"] = (out["npv_dh_mdkk"].le(out["npv_hp_mdkk"])
                                         .fillna(False).astype(bool))
    out["main_drivers"] = [main_drivers(row, lang) if pd.notna(row["npv_difference_mdkk"])
                           else "" for _, row in out.iterrows()]
    has_props = out["n_to_convert"] > 0
    econ_dh = out["npv_difference_mdkk"].le(0).fillna(False).astype(bool) & has_props
    status = out["status"].astype(str)
    out["economic_recommendation"] = np.select(
        [status.eq("existing_dh"), ~has_props, econ_dh],
        [EXISTING, None, DISTRICT_HEATING], default=INDIVIDUAL,
    )
    rec = out["economic_recommendation"].copy()
    rec[status.eq("existing_dh")] = EXISTING
    rec[status.eq("individual")] = INDIVIDUAL
    if not switch:
        rec[status.eq("candidate_dh") & has_props] = DISTRICT_HEATING
    out["recommendation"] = rec
    out["is_flagged"] = (status.eq("candidate_dh") & has_props & ~econ_dh).to_numpy()
    years = int(scenario.value("economics.study_period_years"))
    reference = reference_of(scenario)
    out["reason"] = [
        _reason(row, d, threshold, switch, lang, years=years, reference=reference)
        for (_, row), d in zip(out.iterrows(), density, strict=True)
    ]
    counts = out["recommendation"].value_counts().to_dict()
    logger.info("District recommendations: %s; %d flagged", counts, int(out["is_flagged"].sum()))
    return out


def _comparison_text(row: pd.Series, density: float, threshold: float, lang: str, *,
                     years: int, reference: str) -> str:
    """The samfundsøkonomi in one sentence, then loss and the density screen."""
    da = lang == "da"
    dh, diff = row["npv_dh_mdkk"], row["npv_difference_mdkk"]
    ref = row["npv_hp_mdkk"] if reference == "heat_pump" else row["npv_gas_mdkk"]
    ref_name = ({"heat_pump": "individuelle varmepumper", "gas": "individuelle gaskedler"}
                if da else {"heat_pump": "individual heat pumps",
                            "gas": "individual gas boilers"})[reference]
    cheaper = diff <= 0
    dens, cls = _num(density, 2, lang), row["density_class"] or "–"
    loss = _num(100 * row.get("heat_loss_share", np.nan), 1, lang)
    thr = _num(threshold, 2, lang)
    below = f", under screeningstærsklen {thr}" if da else f", below the screening threshold {thr}"
    screen = "" if row["passes_density"] else below
    if da:
        verdict = "billigere" if cheaper else "dyrere"
        text = (f"samfundsøkonomisk nutidsværdi over {years} år: fjernvarme "
                f"{_num(dh, 1, lang)} mio. kr. mod {_num(ref, 1, lang)} mio. kr. for "
                f"{ref_name}, så fjernvarme er {_num(abs(diff), 1, lang)} mio. kr. {verdict} "
                f"(største forskelle: {row['main_drivers']}); varmetab {loss} % af varmen; "
                f"lineær varmetæthed {dens} MWh/m/år ({cls}{screen})")
    else:
        verdict = "cheaper" if cheaper else "dearer"
        text = (f"socio-economic present value over {years} years: district heating "
                f"{_num(dh, 1, lang)} million DKK against {_num(ref, 1, lang)} million DKK for "
                f"{ref_name}, so district heating is {_num(abs(diff), 1, lang)} million DKK "
                f"{verdict} (largest differences: {row['main_drivers']}); heat loss {loss} % "
                f"of the heat; linear heat density {dens} MWh/m/a ({cls}{screen})")
    flips = ", ".join(CASE_LABELS[c].in_lang(lang) if c in CASE_LABELS else c
                      for c in str(row.get("sensitivity_flips", "") or "").split(", ") if c)
    if flips:
        text += (f"; skifter ved følsomhed: {flips}" if da else f"; changes under: {flips}")
    return text


def _reason(row: pd.Series, density: float, threshold: float, switch: bool, lang: str, *,
            years: int, reference: str) -> str:
    """Why the district gets its recommendation, in words."""
    da = lang == "da"
    n = int(row["n_to_convert"])
    status = row["status"]
    if status == "existing_dh":
        return (f"Eksisterende fjernvarmeområde; {n} ejendomme med gas eller olie tilbydes "
                f"tilslutning til det eksisterende net." if da else
                f"Existing district-heating area; {n} properties on gas or oil are offered a "
                f"connection to the existing mains.")
    if n == 0:
        return ("Ingen ejendomme med gas- eller oliefyr at konvertere." if da else
                "No properties with gas or oil heating to convert.")
    if pd.isna(row["npv_difference_mdkk"]):
        if status == "individual":
            return (f"Individuel varmeforsyning (fastlagt i varmeplanen); {n} ejendomme med gas "
                    f"eller olie rådes til at skifte til en individuel varmepumpe." if da else
                    f"Individual heating (fixed in the heat plan); {n} properties on gas or oil "
                    f"are advised to change to an individual heat pump.")
        why = ("der er ikke beregnet et ledningsnet for området, så fjernvarme kan ikke "
               "vurderes" if da else
               "no trench network was routed for the district, so district heating cannot be "
               "assessed")
    else:
        why = _comparison_text(row, density, threshold, lang, years=years, reference=reference)
    econ_dh = row["economic_recommendation"] == DISTRICT_HEATING
    if status == "individual":
        return (f"Individuel varmeforsyning (fastlagt i varmeplanen); til sammenligning: {why}."
                if da else
                f"Individual heating (fixed in the heat plan); for comparison: {why}.")
    if econ_dh:
        return f"Fjernvarme: {why}." if da else f"District heating: {why}."
    if status == "candidate_dh" and not switch:
        return (f"Fjernvarme (politisk besluttet kandidatområde) – men samfundsøkonomien peger "
                f"på individuelle varmepumper: {why}. Området beholdes i planen og er markeret "
                f"til vurdering." if da else
                f"District heating (candidate area decided by the council) – but the "
                f"socio-economic comparison points to individual heat pumps: {why}. The "
                f"district stays in the plan and is flagged for review.")
    if status == "candidate_dh":
        return (f"Individuel varmeforsyning (varmepumpe) – skiftet fra kandidatområde for "
                f"fjernvarme, da samfundsøkonomien peger på varmepumper: {why}." if da else
                f"Individual heat pumps – switched from a district-heating candidate area, as "
                f"the socio-economic comparison points to heat pumps: {why}.")
    return (f"Individuel varmeforsyning (varmepumpe): {why}." if da else
            f"Individual heat pumps: {why}.")
