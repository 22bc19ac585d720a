"""When each district's gas network can be closed, and what the households left on gas do.

Every property heated by natural gas today takes one of three routes (``gas_route``):

``district_heating``
    offered district heating and expected to connect; it leaves gas in its
    ``connection_year``;
``left_on_gas``
    offered district heating but not expected to connect (take-up is voluntary in Denmark,
    domain.md §5.5): at the closure it must connect late or install a heat pump;
``heat_pump``
    in an individual-heating area: to an individual heat pump by
    ``uptake.remaining_to_heat_pump_year`` (the rollout's own assumption for the remaining gas).

A district's gas network can close ``gas.closure_notice_years`` after its last planned exit
from gas (the last expected connection, or the heat-pump year); the gas distributor gives
notice in that last year (``notice_year``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from heatplan.core.errors import require_columns
from heatplan.core.scenario import Scenario

logger = logging.getLogger(__name__)

GAS_TYPE = "natural_gas"
"""The heating type served by the gas network (the model stage's ``heating_type``)."""

GAS_ROUTES: tuple[str, ...] = ("district_heating", "left_on_gas", "heat_pump")
"""Where a gas-heated property goes, in this order."""

DISTRICT_COLUMNS: tuple[str, ...] = (
    "recommendation", "phase", "n_gas_today", "n_gas_to_dh", "n_gas_to_heat_pump",
    "n_left_on_gas", "last_exit_year", "notice_year", "closure_year", "closure_basis",
    "gas_advice",
)
"""Columns of :attr:`GasClosure.districts`, in order."""

PROPERTY_COLUMNS: tuple[str, ...] = (
    "district_id", "gas_route", "exit_year", "closure_year", "gas_advice",
)
"""Columns of :attr:`GasClosure.properties`, in order."""

WORDS: dict[str, dict[str, str]] = {
    "district_left": {
        "da": "{n} ejendomme på gas forventes ikke at tilslutte sig fjernvarme. Tilbyd "
              "tilslutning igen inden {notice}; ellers individuel varmepumpe inden gassen "
              "lukkes i {closure}.",
        "en": "{n} gas-heated properties are not expected to connect to district heating. "
              "Offer the connection again before {notice}; otherwise an individual heat pump "
              "before the gas closes in {closure}.",
    },
    "district_all": {
        "da": "Alle ejendomme på gas forventes at forlade gassen inden {notice}; gassen kan "
              "lukkes i {closure}.",
        "en": "Every gas-heated property is expected to leave gas by {notice}; the gas can "
              "close in {closure}.",
    },
    "district_heat_pump": {
        "da": "Individuel varmeforsyning: {n} ejendomme på gas skal have varmepumpe inden "
              "{notice}; gassen kan lukkes i {closure}.",
        "en": "Individual heating: {n} gas-heated properties need a heat pump by {notice}; "
              "the gas can close in {closure}.",
    },
    "district_unscheduled": {
        "da": "Fjernvarmen er ikke planlagt her endnu; lukning af gassen kan ikke dateres.",
        "en": "District heating is not scheduled here yet; the gas closure cannot be dated.",
    },
    "property_district_heating": {
        "da": "Forventes tilsluttet fjernvarme i {exit}.",
        "en": "Expected to connect to district heating in {exit}.",
    },
    "property_left_on_gas": {
        "da": "Tilbudt fjernvarme, men forventes ikke at tilslutte sig: tilslut inden {closure} "
              "eller installer en varmepumpe; gassen lukkes i {closure}.",
        "en": "Offered district heating but not expected to connect: connect before "
              "{closure} or install a heat pump; the gas closes in {closure}.",
    },
    "property_heat_pump": {
        "da": "Individuel varmepumpe inden {exit}; gassen lukkes i {closure}.",
        "en": "An individual heat pump by {exit}; the gas closes in {closure}.",
    },
    "property_unscheduled": {
        "da": "Fjernvarmen er ikke planlagt her endnu.",
        "en": "District heating is not scheduled here yet.",
    },
}
"""The advice in Danish and English."""


@dataclass(frozen=True)
class GasClosure:
    """The gas closure of a plan, for the gas distributor."""

    districts: pd.DataFrame
    """Index ``district_id``: every district with gas-heated properties
    (:data:`DISTRICT_COLUMNS`)."""
    properties: pd.DataFrame
    """Index ``property_id``: every gas-heated property (:data:`PROPERTY_COLUMNS`)."""


def plan_gas_closure(
    properties: pd.DataFrame,
    districts: pd.DataFrame,
    *,
    scenario: Scenario,
    lang: str = "da",
) -> GasClosure:
    """Return each district's gas-closure year and each gas-heated property's route.

    Parameters
    ----------
    properties
        The rollout's properties (index ``property_id``): ``district_id``, ``heating_type``,
        ``recommendation``, ``connection_year``.
    districts
        The rollout's districts (index ``district_id``): ``recommendation``, ``phase``.
    scenario
        Supplies ``gas.closure_notice_years`` and ``uptake.remaining_to_heat_pump_year``.
    lang
        ``"da"`` or ``"en"`` for the advice.

    Examples
    --------
    Two houses on gas offered district heating, one expected to connect in 2027, with a
    notice of two years: the gas can close in 2029.

    >>> from heatplan.core.scenario import load_scenario
    >>> props = pd.DataFrame({"district_id": ["A", "A"], "heating_type": "natural_gas",
    ...     "recommendation": "district_heating",
    ...     "connection_year": pd.array([2027, None], dtype="Int64")}, index=["p1", "p2"])
    >>> dists = pd.DataFrame({"recommendation": ["district_heating"], "phase": [1]},
    ...     index=pd.Index(["A"], name="district_id"))
    >>> gas = plan_gas_closure(props, dists, scenario=load_scenario())
    >>> gas.districts[["n_left_on_gas", "closure_year"]].to_dict("records")
    [{'n_left_on_gas': 1, 'closure_year': 2029}]
    """
    require_columns(properties, ("district_id", "heating_type", "recommendation",
                                 "connection_year"), table_name="properties", stage="rollout")
    notice = int(scenario.value("gas.closure_notice_years"))
    hp_year = int(scenario.value("uptake.remaining_to_heat_pump_year"))
    gas = properties[properties["heating_type"].astype("string").eq(GAS_TYPE).fillna(False)]
    route, exit_year = _routes(gas, hp_year)
    per_district = _districts(gas, route, exit_year, districts, notice, lang)
    per_property = _properties(gas, route, exit_year, per_district, lang)
    logger.info("Gas closure: %d districts with gas, %d properties left on gas",
                len(per_district), int(route.eq("left_on_gas").sum()))
    return GasClosure(per_district, per_property)


def _routes(gas: pd.DataFrame, hp_year: int) -> tuple[pd.Series, pd.Series]:
    """Each gas property's route and the year it leaves gas (empty when left on gas)."""
    offered = gas["recommendation"].astype("string").eq("district_heating").fillna(False)
    connects = gas["connection_year"].notna()
    route = pd.Series("heat_pump", index=gas.index, dtype="string")
    route[offered & connects] = "district_heating"
    route[offered & ~connects] = "left_on_gas"
    exit_year = pd.Series(pd.NA, index=gas.index, dtype="Int64")
    exit_year[offered & connects] = gas.loc[offered & connects, "connection_year"].astype("Int64")
    exit_year[route.eq("heat_pump")] = hp_year
    return route, exit_year


def _districts(gas: pd.DataFrame, route: pd.Series, exit_year: pd.Series,
               districts: pd.DataFrame, notice: int, lang: str) -> pd.DataFrame:
    """One row per district with gas: counts by route, last exit, notice and closure years."""
    ids = sorted(gas["district_id"].dropna().astype(str).unique())
    index = pd.Index(ids, name="district_id", dtype="string")
    by = gas["district_id"].astype(str)
    out = pd.DataFrame(index=index)
    rec = districts["recommendation"] if "recommendation" in districts.columns else None
    out["recommendation"] = (rec.reindex(index).astype("string") if rec is not None
                             else pd.Series(pd.NA, index=index, dtype="string"))
    phase = districts["phase"] if "phase" in districts.columns else None
    out["phase"] = (phase.reindex(index).astype("Int64") if phase is not None
                    else pd.Series(pd.NA, index=index, dtype="Int64"))
    counts = pd.crosstab(by, route).reindex(index=index, columns=list(GAS_ROUTES), fill_value=0)
    out["n_gas_today"] = counts.sum(axis=1).astype("int64")
    out["n_gas_to_dh"] = counts["district_heating"].astype("int64")
    out["n_gas_to_heat_pump"] = counts["heat_pump"].astype("int64")
    out["n_left_on_gas"] = counts["left_on_gas"].astype("int64")
    last = exit_year.groupby(by).max().reindex(index)
    out["last_exit_year"] = last.astype("Int64")
    out["notice_year"] = out["last_exit_year"]
    out["closure_year"] = (out["last_exit_year"] + notice).astype("Int64")
    hp_only = out["n_gas_to_heat_pump"].eq(out["n_gas_today"])
    out["closure_basis"] = pd.Series(
        ["not_scheduled" if pd.isna(y) else "heat_pump_year" if h else "last_dh_connection"
         for y, h in zip(out["last_exit_year"], hp_only, strict=True)],
        index=index, dtype="string")
    out["gas_advice"] = pd.Series([_district_advice(r, lang) for _, r in out.iterrows()],
                                  index=index, dtype="string")
    return out[list(DISTRICT_COLUMNS)]


def _district_advice(row: pd.Series, lang: str) -> str:
    if row["closure_basis"] == "not_scheduled":
        return _word("district_unscheduled", lang)
    fields = {"notice": int(row["notice_year"]), "closure": int(row["closure_year"])}
    if row["closure_basis"] == "heat_pump_year":
        return _word("district_heat_pump", lang).format(n=int(row["n_gas_today"]), **fields)
    if row["n_left_on_gas"] > 0:
        return _word("district_left", lang).format(n=int(row["n_left_on_gas"]), **fields)
    return _word("district_all", lang).format(**fields)


def _properties(gas: pd.DataFrame, route: pd.Series, exit_year: pd.Series,
                per_district: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per gas-heated property: route, exit year, its district's closure, advice."""
    out = pd.DataFrame(index=gas.index.rename("property_id"))
    out["district_id"] = gas["district_id"].astype("string")
    out["gas_route"] = route
    out["exit_year"] = exit_year
    out["closure_year"] = out["district_id"].map(per_district["closure_year"]).astype("Int64")
    advice = []
    for r, e, c in zip(route, exit_year, out["closure_year"], strict=True):
        if pd.isna(c):
            advice.append(_word("property_unscheduled", lang))
        else:
            advice.append(_word(f"property_{r}", lang).format(
                exit="–" if pd.isna(e) else int(e), closure=int(c)))
    out["gas_advice"] = pd.Series(advice, index=out.index, dtype="string")
    return out[list(PROPERTY_COLUMNS)]


def _word(key: str, lang: str) -> str:
    entry = WORDS[key]
    return entry.get(lang, entry["da"])
