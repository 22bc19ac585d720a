"""Rank the municipality's own buildings (owner type 50) by the CO2 their renovation saves.

Heat saved per building (MWh/a):

* **proposals**: the sum of ``heat_saved_kwh_a`` of its label's improvement proposals, the
  profitable ones (``is_profitable``; where empty, simple payback ≤ lifetime) or all of them;
  capped at the building's heat demand. Proposals with no investment and no saving ("ghost"
  proposals of old EMO records) are ignored.
* **class step**, where there are no proposals (or no label): the step from the building's
  current specific primary energy ``E`` to the upper limit ``L_t`` of the target class
  (``renovation.target_class``) at its own heated area. A class limit bounds a label's whole
  primary energy; only its heat part counts (``h``: 1 for homes,
  ``buildings.non_residential_heat_share`` for other buildings, whose labels also count the
  building's operating electricity). Delivered heat is primary energy ÷ the supply's factor
  (DH 0.85, electricity 1.9, fuels 1.0 ÷ efficiency;
  :func:`heatplan.model.labels.primary_energy_per_heat`). ``E`` comes from a valid label's
  calculated heat (× the factor ÷ area ÷ ``h``), held inside its class's band; else the middle
  of the label class's band; without a label, the middle of
  ``renovation.class_without_label``'s band (the band of G is F's limit plus the E–F width).
  The step saves ``h × (E − L_t)`` of heat's ``h × E``: a share ``1 − L_t / E`` of the heat.

Each building follows its own heating path over the years: district heating from its
``dh_from_year`` (its expected connection year), else a heat pump from the year the CO2
trajectory expects one (:func:`heatplan.plan.trajectory.heat_pump_switch_year`) where it heats
with gas or oil today, else today's heating. CO2 saved in year ``y`` = heat saved × the t
CO2/MWh factor of the heating in use in ``y`` (a heat pump at the building's own SCOP; with or
without carbon capture per the scenario, :mod:`heatplan.model.emissions`); the energy saved is
priced at ``renovation.heat_price_dkk_per_kwh`` of that heating. Savings count from
``renovation.first_saving_year`` to ``general.horizon_end_year``.

Ranked by the net present cost per tonne (investment − the discounted energy savings, at the
calculation rate of ``economics.discount_rate``, ÷ the tonnes; cheapest first, a profitable
renovation below zero), then by tonnes (more first), then ``property_id``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from heatplan.core.errors import ScenarioError, require_columns
from heatplan.core.scenario import Scenario
from heatplan.core.schema import LABEL_CLASSES, MUNICIPAL_OWNER_TYPE
from heatplan.model.emissions import property_emissions
from heatplan.model.heat_pump import TYPICAL_SYSTEM
from heatplan.model.heating import HEATING_TYPES
from heatplan.model.labels import (
    LABEL_CLASS_DTYPE,
    LIMITED_CLASSES,
    class_limits,
    is_residential,
    primary_energy_per_heat,
)
from heatplan.plan.economics.present_value import scenario_discount_factors
from heatplan.plan.trajectory import heat_pump_switch_year

logger = logging.getLogger(__name__)

ProposalSet = Literal["profitable", "all"]
Lang = Literal["da", "en"]

RENEW_LABEL_TEXT = {"da": "Forny energimærket først", "en": "Renew the label first"}

_HEATING_EN = {
    "district_heating": "district heating",
    "natural_gas": "natural gas",
    "oil": "oil",
    "heat_pump": "heat pump",
    "electric": "electric heating",
    "solid_fuel": "solid fuel",
    "other": "other heating",
    "none": "no heating",
}
_HEATING_DA = {t: name.split(" (")[0] for t, name in HEATING_TYPES.items()}


def _number(value: float, lang: Lang) -> str:
    """Format a number for text: whole above 10, one decimal below, da/en separators.

    >>> _number(12345.6, "da"), _number(3.14, "da"), _number(12345.6, "en")
    ('12.346', '3,1', '12,346')
    """
    if value is None or not np.isfinite(value):
        return "–"
    text = f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:,.1f}"
    if lang == "da":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def _check_class(name: str, key: str) -> str:
    if name not in LABEL_CLASSES:
        msg = f"Scenario parameter {key} is {name!r}; use one of {', '.join(LABEL_CLASSES)}."
        raise ScenarioError(msg)
    return name


def _band(
    area: pd.Series, residential: pd.Series, classes: pd.Series, scenario: Scenario
) -> tuple[np.ndarray, np.ndarray]:
    """Return the lower and upper primary-energy bound (kWh/m²/a) of each building's class."""
    limits = class_limits(area, residential=residential, scenario=scenario).to_numpy()
    n = len(area)
    pos = classes.map({c: i for i, c in enumerate(LABEL_CLASSES)}).to_numpy(dtype=int)
    # upper limit per class position, with G = F + (F − E)
    f, e = limits[:, -1], limits[:, -2]
    upper_all = np.column_stack([limits, f + (f - e)])
    lower_all = np.column_stack([np.zeros(n), upper_all[:, :-1]])
    rows = np.arange(n)
    return lower_all[rows, pos], upper_all[rows, pos]


def _profitable(table: pd.DataFrame) -> pd.Series:
    flag = table["is_profitable"] if "is_profitable" in table.columns else None
    saving = pd.to_numeric(table.get("saving_dkk_a"), errors="coerce")
    lifetime = pd.to_numeric(table.get("lifetime_a"), errors="coerce")
    payback_ok = (table["investment_dkk"] / saving <= lifetime).fillna(False)
    if flag is None:
        return payback_ok
    if not pd.api.types.is_bool_dtype(flag):
        words = {"true": True, "1": True, "1.0": True, "false": False, "0": False, "0.0": False}
        flag = flag.astype("string").str.strip().str.lower().map(words)
    return flag.where(flag.notna(), payback_ok).astype(bool)


def _proposal_totals(
    proposals: pd.DataFrame | None, label_ids: pd.Series, proposal_set: ProposalSet
) -> tuple[pd.DataFrame, float | None]:
    """Sum the chosen proposals per label; also return the median DKK per kWh/a saved."""
    cols = ["n_proposals", "heat_saved_kwh_a", "investment_dkk", "saving_dkk_a"]
    if proposals is None or len(proposals) == 0:
        return pd.DataFrame(columns=cols, dtype=float), None
    table = proposals.copy()
    table["label_id"] = table["label_id"].astype(str)
    for col in ("investment_dkk", "heat_saved_kwh_a", "saving_dkk_a"):
        table[col] = pd.to_numeric(table.get(col), errors="coerce")
    ghost = (table["investment_dkk"].fillna(0) <= 0) & (table["heat_saved_kwh_a"].fillna(0) <= 0)
    if ghost.any():
        logger.info("%d proposals without investment or saving are ignored", int(ghost.sum()))
    table = table[~ghost]
    if proposal_set == "profitable":
        table = table[_profitable(table)]
    elif proposal_set != "all":
        msg = f"proposal_set is {proposal_set!r}; use 'profitable' or 'all'."
        raise ValueError(msg)
    per_kwh = table["investment_dkk"] / table["heat_saved_kwh_a"]
    per_kwh = per_kwh[np.isfinite(per_kwh) & (per_kwh > 0)]
    median = float(per_kwh.median()) if len(per_kwh) else None
    table = table[table["label_id"].isin(set(label_ids.dropna()))]
    groups = table.groupby("label_id", sort=True)
    totals = groups[["heat_saved_kwh_a", "investment_dkk", "saving_dkk_a"]].sum(min_count=1)
    totals.insert(0, "n_proposals", groups.size())
    return totals, median


def _explain(row: dict, *, lang: Lang, first: int, last: int, target_year: int,
             ccs_year: int | None) -> str:
    """One line saying why the building ranks where it does."""
    da = lang == "da"
    heat = _HEATING_DA if da else _HEATING_EN
    current = heat.get(row["heating_type"], row["heating_type"])
    tonnes = _number(row["co2_saved_t_horizon"], lang)
    mwh = _number(row["heat_saved_mwh_a"], lang)
    label = row["label_class"]
    if row["saving_basis"] == "proposals":
        kind = ("rentable " if row["proposal_set"] == "profitable" else "") if da else (
            "profitable " if row["proposal_set"] == "profitable" else "")
        n = int(row["n_proposals"])
        basis = (f"med {n} {kind}forslag på energimærke {label}" if da
                 else f"with {n} {kind}proposal{'s' if n != 1 else ''} of label {label}")
    elif row["heat_saved_mwh_a"] <= 0:
        basis = (f"(allerede mærke {row['target_class']} eller bedre)" if da
                 else f"(already label {row['target_class']} or better)")
    elif pd.isna(label):
        basis = (f"ved et løft til mærke {row['target_class']} (intet energimærke; antaget "
                 f"{row['assumed_class']})" if da else
                 f"by a step to label {row['target_class']} (no label; assumed "
                 f"{row['assumed_class']})")
    else:
        basis = (f"ved et løft fra mærke {label} til {row['target_class']}" if da
                 else f"by a step from label {label} to {row['target_class']}")
    switch = row["dh_from_year"]
    if row["heating_type"] == "district_heating" or (pd.notna(switch) and switch <= first):
        supply = ("fjernvarme hele perioden, lav CO2 pr. sparet MWh" if da
                  else "district heating throughout, low CO2 per MWh saved")
        on_dh_from = first
    elif pd.notna(switch) and switch <= last:
        supply = (f"{current} til {int(switch) - 1}, fjernvarme fra {int(switch)} sænker "
                  "værdien af besparelsen" if da else
                  f"{current} until {int(switch) - 1}, district heating from {int(switch)} "
                  "lowers the value of the saving")
        on_dh_from = int(switch)
    else:
        supply = _heat_pump_path(current, row.get("hp_from_year"), first, last, da)
        on_dh_from = None
    if ccs_year is not None and on_dh_from is not None and ccs_year <= last:
        supply += (f"; CO2-fangst fra {ccs_year}" if da else f"; carbon capture from {ccs_year}")
    net = _number(row["net_cost_per_t_dkk"], lang)
    text = (
        f"{tonnes} t CO2 sparet {first}–{last} ({_number(row['co2_saved_t_target'], lang)} t i "
        f"{target_year}): {mwh} MWh/år mindre varme {basis}; {supply}; nettonutidsomkostning "
        f"{net} kr./t (investering minus tilbagediskonteret energibesparelse)"
        if da else
        f"{tonnes} t CO2 saved {first}–{last} ({_number(row['co2_saved_t_target'], lang)} t in "
        f"{target_year}): {mwh} MWh/yr less heat {basis}; {supply}; net present cost DKK "
        f"{net}/t (investment less discounted energy savings)"
    )
    if row["heat_saved_mwh_a"] <= 0:
        kind = "rentable " if row["proposal_set"] == "profitable" else ""
        kind_en = "profitable " if row["proposal_set"] == "profitable" else ""
        text = (
            f"Ingen besparelse at regne med: mærke {row['target_class']} eller bedre er nået, "
            f"og der er ingen {kind}forslag" if da else
            f"No saving to count: label {row['target_class']} or better is reached and there "
            f"are no {kind_en}proposals"
        )
    if row["renew_label_first"]:
        text = f"{RENEW_LABEL_TEXT[lang]}: " + text
    return text


def _heat_pump_path(current: str, hp_year: object, first: int, last: int, da: bool) -> str:
    """Today's heating throughout, or until the expected switch to a heat pump."""
    if hp_year is None or pd.isna(hp_year) or int(hp_year) > last:
        return f"{current} hele perioden" if da else f"{current} throughout"
    year = max(int(hp_year), first)
    return (f"{current} til {year - 1}, varmepumpe fra {year} (forventet skift) sænker værdien "
            "af besparelsen" if da else
            f"{current} until {year - 1}, a heat pump from {year} (expected switch) lowers the "
            "value of the saving")


def rank_renovations(
    properties: pd.DataFrame,
    chosen_labels: pd.DataFrame,
    proposals: pd.DataFrame | None,
    *,
    scenario: Scenario,
    dh_from_year: pd.Series | None = None,
    proposal_set: ProposalSet = "profitable",
    lang: Lang = "da",
) -> pd.DataFrame:
    """Rank the municipality's own buildings by the CO2 their renovation saves over the horizon.

    Parameters
    ----------
    properties
        The model stage's properties (:func:`heatplan.model.stage.model_dataset`), indexed by
        ``property_id``; buildings with ``owner_type`` "50" are ranked.
    chosen_labels
        The label that speaks for each property (the model stage's ``chosen_labels``).
    proposals
        Columns of ``schema.PROPOSALS``; None when there are none.
    scenario
        Supplies ``renovation.*``, ``emissions.*``, ``labels.*``, ``general.*``.
    dh_from_year
        Optional, indexed by ``property_id``: the year a building gets district heating.
    proposal_set
        ``"profitable"`` (default) or ``"all"`` of a label's proposals.
    lang
        Language of ``explanation``: ``"da"`` (default) or ``"en"``.

    Returns
    -------
    ranking
        Indexed by ``property_id``, sorted by ``rank`` (1 = lowest net present cost per tonne).
        Money in DKK, heat in MWh/a, CO2 in t; ``co2_saved_t_horizon`` sums
        ``first_saving_year`` to ``horizon_end_year``, ``co2_saved_t_target`` is the saving in
        ``general.target_year``; ``dh_from_year`` and ``hp_from_year`` give the heating path.
    """
    own = _own_buildings(properties)
    settings = _Settings.of(scenario, lang)
    chosen = chosen_labels.reindex(own.index)
    totals, median_cost = _proposal_totals(proposals, chosen["label_id"], proposal_set)
    by_label = totals.reindex(chosen["label_id"].astype(str).where(chosen["label_id"].notna()))
    by_label.index = own.index
    n_prop, has_prop, step_mwh, saved_mwh = _heat_saved(own, chosen, by_label, settings,
                                                        scenario)
    investment, saving_dkk = _money(own, by_label, has_prop, step_mwh, saved_mwh,
                                    median_cost, scenario)
    path = _heating_path(own, dh_from_year, scenario)
    co2 = _co2_saved(own, saved_mwh, path, settings, scenario)
    values = _per_tonne(investment, saving_dkk, co2, _discounted_savings(
        own, saved_mwh, path, settings, scenario), settings)
    out = pd.DataFrame(
        {
            **_building_columns(own, chosen, path, settings, scenario),
            "saving_basis": np.where(has_prop, "proposals", "class_step"),
            "proposal_set": proposal_set,
            "n_proposals": n_prop,
            "target_class": settings.target,
            "assumed_class": np.where(chosen["label_class"].isna(), settings.assumed, ""),
            "heat_saved_mwh_a": saved_mwh,
            "investment_dkk": investment.fillna(0.0),
            "saving_dkk_a": saving_dkk,
            **values,
        },
        index=own.index,
    )
    out = _ranked(out, settings, scenario, lang)
    logger.info(
        "Ranked %d municipal buildings: %d from proposals, %d from a class step; %.0f t CO2 "
        "over %d–%d", len(out), int(has_prop.sum()), int((~has_prop).sum()),
        float(out["co2_saved_t_horizon"].sum()), settings.first, settings.last,
    )
    return out


def _per_tonne(investment: pd.Series, saving_dkk: pd.Series, co2: pd.DataFrame,
               savings_pv: pd.Series, settings: _Settings) -> dict[str, pd.Series]:
    """Tonnes over the horizon and in the target year, cost and net present cost per tonne,
    simple payback."""
    total = co2.sum(axis=1)
    target = (co2[settings.target_year] if settings.target_year in co2.columns
              else pd.Series(0.0, co2.index))
    npc = investment.fillna(0.0) - savings_pv
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "co2_saved_t_horizon": total,
            "co2_saved_t_target": target,
            "cost_per_t_dkk": (investment / total).where(total > 0),
            "net_present_cost_dkk": npc,
            "net_cost_per_t_dkk": (npc / total).where(total > 0),
            "payback_years": (investment / saving_dkk).where(saving_dkk > 0),
        }


@dataclass(frozen=True)
class _Settings:
    """The scenario's ranking settings, checked (and the language)."""

    target: str
    assumed: str
    first: int
    last: int
    target_year: int

    @property
    def years(self) -> list[int]:
        """The years savings count in."""
        return list(range(self.first, self.last + 1))

    @classmethod
    def of(cls, scenario: Scenario, lang: str) -> _Settings:
        if lang not in ("da", "en"):
            msg = f"lang is {lang!r}; use 'da' or 'en'."
            raise ValueError(msg)
        target = _check_class(str(scenario.value("renovation.target_class")),
                              "renovation.target_class")
        assumed = _check_class(str(scenario.value("renovation.class_without_label")),
                               "renovation.class_without_label")
        first = int(scenario.value("renovation.first_saving_year"))
        last = int(scenario.value("general.horizon_end_year"))
        if last < first:
            msg = (f"general.horizon_end_year ({last}) is before renovation.first_saving_year "
                   f"({first}); set a first saving year within the horizon.")
            raise ScenarioError(msg)
        return cls(target, assumed, first, last, int(scenario.value("general.target_year")))


def _own_buildings(properties: pd.DataFrame) -> pd.DataFrame:
    """The municipality's own buildings (owner type 50), in ``property_id`` order."""
    require_columns(properties, ("heating_type", "heat_demand_mwh_a", "demand_source"),
                    table_name="properties", stage="model")
    own = properties[properties["owner_type"].astype(str).str.strip() == MUNICIPAL_OWNER_TYPE]
    own = own.rename_axis("property_id")
    own = own.set_axis(own.index.astype(str))
    return own.sort_index(kind="mergesort")


def _class_step_share(own: pd.DataFrame, chosen: pd.DataFrame, settings: _Settings,
                      scenario: Scenario) -> np.ndarray:
    """Share of heat saved by the step to the target class: 1 − L_target / E_current.

    ``E_current`` is the label's whole primary energy: a valid label's calculated heat ÷ the
    heat share ``h`` (1 for homes, ``buildings.non_residential_heat_share`` otherwise), held in
    the class's band; the step's saving counts for heat in proportion ``h``.
    """
    area = own["heated_area_m2"].astype(float)
    residential = is_residential(own["bbr_use_code"])
    label_class = chosen["label_class"].astype(LABEL_CLASS_DTYPE)
    classes = label_class.astype(object).where(label_class.notna(), settings.assumed).astype(str)
    lower, upper = _band(area, residential, classes, scenario)
    per_heat = primary_energy_per_heat(own["heating_type"], scenario=scenario)
    calc = pd.to_numeric(chosen["calculated_heat_kwh_a"], errors="coerce")
    label_area = pd.to_numeric(chosen["label_heated_area_m2"], errors="coerce").fillna(area)
    heat_share = np.where(residential, 1.0,
                          float(scenario.value("buildings.non_residential_heat_share")))
    from_calc = (calc * per_heat / label_area / heat_share).where(
        chosen["label_is_valid"].eq(True))
    current = np.where(
        from_calc.notna(), np.clip(from_calc.to_numpy(dtype=float), lower, upper),
        (lower + upper) / 2,
    )
    target_limit = class_limits(area, residential=residential, scenario=scenario)[
        settings.target]
    return np.clip(1.0 - target_limit.to_numpy() / current, 0.0, 1.0)


def _heat_saved(own: pd.DataFrame, chosen: pd.DataFrame, by_label: pd.DataFrame,
                settings: _Settings, scenario: Scenario
                ) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Proposals per building, whether they save heat, the class step's and the saving, MWh/a."""
    n_prop = by_label["n_proposals"].fillna(0).astype(int)
    # proposals that save no heat (lighting, say) leave the heat saving to the class step
    has_prop = (n_prop > 0) & (by_label["heat_saved_kwh_a"].fillna(0.0) > 0)
    heat_demand = own["heat_demand_mwh_a"].astype(float)
    step_mwh = heat_demand * _class_step_share(own, chosen, settings, scenario)

    prop_mwh = (by_label["heat_saved_kwh_a"].astype(float) / 1000.0).clip(upper=heat_demand)
    capped = has_prop & (by_label["heat_saved_kwh_a"] / 1000.0 > heat_demand + 1e-9)
    if capped.any():
        logger.info("%d buildings' proposals save more than their demand; capped", capped.sum())
    saved_mwh = prop_mwh.where(has_prop, step_mwh).fillna(0.0)

    return n_prop, has_prop, step_mwh, saved_mwh


def _money(own: pd.DataFrame, by_label: pd.DataFrame, has_prop: pd.Series,
           step_mwh: pd.Series, saved_mwh: pd.Series, median_cost: float | None,
           scenario: Scenario) -> tuple[pd.Series, pd.Series]:
    """Investment (DKK) and yearly saving (DKK/a): the proposals', else the class step's."""
    cost_per_kwh = median_cost if median_cost is not None else float(
        scenario.value("renovation.class_step_cost_dkk_per_kwh_a"))
    prices = scenario.value("renovation.heat_price_dkk_per_kwh")
    price = own["heating_type"].map({k: float(v) for k, v in prices.items()}).fillna(0.0)
    investment = by_label["investment_dkk"].astype(float).where(
        has_prop, step_mwh * 1000.0 * cost_per_kwh)
    saving_dkk = by_label["saving_dkk_a"].astype(float).where(has_prop)
    saving_dkk = saving_dkk.fillna(saved_mwh * 1000.0 * price)
    return investment, saving_dkk


def _heating_path(own: pd.DataFrame, dh_from_year: pd.Series | None, scenario: Scenario
                  ) -> pd.DataFrame:
    """Each building's ``dh_from_year`` and ``hp_from_year`` (float, NaN where none).

    A building on individual gas or oil (``is_to_convert``) without district heating gets a
    heat pump in :func:`heat_pump_switch_year`; district heating wins where both apply.
    """
    dh = pd.Series(np.nan, index=own.index)
    if dh_from_year is not None:
        given = pd.to_numeric(dh_from_year, errors="coerce").astype(float)
        given.index = given.index.astype(str)
        dh = given[~given.index.duplicated(keep="first")].reindex(own.index)
    convertible = (own["is_to_convert"].astype(bool) if "is_to_convert" in own.columns
                   else pd.Series(False, index=own.index))
    hp = pd.Series(float(heat_pump_switch_year(scenario)), index=own.index).where(
        convertible & dh.isna())
    return pd.DataFrame({"dh_from_year": dh, "hp_from_year": hp})


def _saving_table(own: pd.DataFrame, saved_mwh: pd.Series) -> pd.DataFrame:
    """The buildings as :func:`property_emissions` reads them, with the heat saved as demand."""
    system = (own["heat_pump_system"] if "heat_pump_system" in own.columns
              else pd.Series(TYPICAL_SYSTEM, index=own.index))
    return pd.DataFrame({"heating_type": own["heating_type"], "heat_demand_mwh_a": saved_mwh,
                         "heat_pump_system": system})


def _co2_saved(own: pd.DataFrame, saved_mwh: pd.Series, path: pd.DataFrame,
               settings: _Settings, scenario: Scenario) -> pd.DataFrame:
    """t CO2 saved per building and year along its heating path."""
    return property_emissions(_saving_table(own, saved_mwh), scenario=scenario,
                              years=settings.years, dh_from_year=path["dh_from_year"],
                              hp_from_year=path["hp_from_year"])


def _discounted_savings(own: pd.DataFrame, saved_mwh: pd.Series, path: pd.DataFrame,
                        settings: _Settings, scenario: Scenario) -> pd.Series:
    """Present value (DKK, at the first saving year) of the energy saved along the path.

    Each year's heat saved × ``renovation.heat_price_dkk_per_kwh`` of the heating in use.
    """
    prices = {k: float(v) for k, v in scenario.value("renovation.heat_price_dkk_per_kwh").items()}
    years = np.asarray(settings.years, dtype=float)
    today = own["heating_type"].map(prices).fillna(0.0).to_numpy()[:, None]
    price = np.broadcast_to(today, (len(own), len(years))).copy()
    hp = path["hp_from_year"].to_numpy(dtype=float)[:, None]
    dh = path["dh_from_year"].to_numpy(dtype=float)[:, None]
    price = np.where(years[None, :] >= hp, prices.get("heat_pump", 0.0), price)
    price = np.where(years[None, :] >= dh, prices.get("district_heating", 0.0), price)
    factors = scenario_discount_factors(scenario, len(years))[: len(years)]
    value = (saved_mwh.to_numpy(dtype=float)[:, None] * 1000.0 * price) @ factors
    return pd.Series(value, index=own.index)


def _building_columns(own: pd.DataFrame, chosen: pd.DataFrame, path: pd.DataFrame,
                      settings: _Settings, scenario: Scenario) -> dict[str, object]:
    """The ranking's columns that describe the building and its label."""
    validity = float(scenario.value("labels.validity_years"))
    age = pd.to_numeric(chosen["label_age_years"], errors="coerce")
    return {
        "address": own.get("address"),
        "bbr_use_code": own["bbr_use_code"].astype(str),
        "year_built": own["year_built"],
        "heated_area_m2": own["heated_area_m2"].astype(float),
        "heating_type": own["heating_type"],
        "heat_pump_system": (own["heat_pump_system"] if "heat_pump_system" in own.columns
                             else pd.Series(TYPICAL_SYSTEM, index=own.index)),
        "dh_from_year": path["dh_from_year"].round().astype("Int64"),
        "hp_from_year": path["hp_from_year"].round().astype("Int64"),
        "heat_demand_mwh_a": own["heat_demand_mwh_a"].astype(float),
        "demand_source": own["demand_source"],
        "label_id": chosen["label_id"],
        "label_class": chosen["label_class"].astype(LABEL_CLASS_DTYPE),
        "label_is_valid": chosen["label_is_valid"].astype("boolean"),
        "label_age_years": age,
        "renew_label_first": (
            chosen["label_id"].notna()
            & ((age > validity).fillna(False) | chosen["label_is_valid"].eq(False))
        ).astype(bool),
    }


def _ranked(out: pd.DataFrame, settings: _Settings, scenario: Scenario, lang: Lang
            ) -> pd.DataFrame:
    """Sort by net present cost per tonne (cheapest first; none last), tonnes (more first), id;
    add ``rank`` and ``explanation``."""
    order = out.assign(
        _c=out["net_cost_per_t_dkk"].astype(float).fillna(np.inf).round(6),
        _t=-out["co2_saved_t_horizon"].round(9),
        _id=out.index,
    ).sort_values(["_c", "_t", "_id"], kind="mergesort").index
    out = out.loc[order]
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    ccs_year = (int(scenario.value("emissions.ccs_start_year"))
                if bool(scenario.value("emissions.ccs_enabled")) else None)
    out["explanation"] = [
        _explain(row, lang=lang, first=settings.first, last=settings.last,
                 target_year=settings.target_year, ccs_year=ccs_year)
        for row in out.to_dict("records")
    ]
    return out


def renovation_co2_by_year(
    ranking: pd.DataFrame, *, scenario: Scenario, years: list[int] | range | None = None
) -> pd.DataFrame:
    """Return the CO2 each ranked building's renovation saves in each year, t.

    Parameters
    ----------
    ranking
        The result of :func:`rank_renovations` (``heating_type``, ``heat_saved_mwh_a``,
        ``dh_from_year``).
    scenario
        The scenario the ranking was made with.
    years
        Years wanted; ``renovation.first_saving_year`` … ``general.horizon_end_year`` if None.

    Returns
    -------
    co2
        Index ``property_id`` (ranking order), one column per year, t CO2 saved; summing the
        default years gives ``co2_saved_t_horizon``.
    """
    if years is None:
        years = range(int(scenario.value("renovation.first_saving_year")),
                      int(scenario.value("general.horizon_end_year")) + 1)
    table = pd.DataFrame({
        "heating_type": ranking["heating_type"],
        "heat_demand_mwh_a": ranking["heat_saved_mwh_a"].astype(float),
    })
    if "heat_pump_system" in ranking.columns:
        table["heat_pump_system"] = ranking["heat_pump_system"]
    hp = ranking["hp_from_year"].astype("Float64") if "hp_from_year" in ranking.columns else None
    return property_emissions(table, scenario=scenario, years=years,
                              dh_from_year=ranking["dh_from_year"].astype("Float64"),
                              hp_from_year=hp)


__all__ = ["LIMITED_CLASSES", "RENEW_LABEL_TEXT", "rank_renovations", "renovation_co2_by_year"]
