"""District economics and the recommendation: district heating or individual heat pumps.

Per energy district: the properties to convert, their heated area and heat demand, trench metres
(the district's own mains plus its share of the feeder mains), cost (mains, service pipes,
substations), linear heat density, CO2 avoided, cost per tonne, and a screening comparison of
the yearly cost of heat with individual heat pumps.

Feeder mains (``trenches.is_feeder``) are shared out among the districts whose heat flows
through them, in proportion to their expected heat demand, so every trench metre is counted
once (``sum(trench_m + feeder_trench_m)`` equals the routed trench length).

Recommendation (``recommend_districts``): ``district_heating`` when the linear heat density of
the heat expected to be sold reaches ``economics.min_linear_heat_density_mwh_m_a`` (domain.md
§5.3) *and* district heating costs no more per MWh than individual heat pumps; otherwise
``individual_heat_pump``. A status fixed in the input is respected:

* ``existing_dh`` stays ``existing_dh`` (its properties still on gas or oil are offered a
  connection to the existing mains); ``individual`` stays ``individual_heat_pump``;
* ``undecided`` gets the economic recommendation;
* ``candidate_dh`` stays district heating by default even where the economics point to heat
  pumps — the council's decision is kept and the district is flagged (``is_flagged``) with the
  reason, so the planner sees it. ``economics.switch_candidate_below_threshold = true`` switches
  such districts to heat pumps instead.

``economic_recommendation`` always holds the economics' own answer; ``recommendation`` is what
the plan does.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable

import numpy as np
import pandas as pd

from heatplan.core.errors import ScenarioError, SchemaError, require_columns
from heatplan.core.scenario import Scenario

logger = logging.getLogger(__name__)

DISTRICT_HEATING = "district_heating"
INDIVIDUAL = "individual_heat_pump"
EXISTING = "existing_dh"



def _num(x: float, decimals: int, lang: str) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    text = f"{x:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def annuity_factor(rate: float, years: float) -> float:
    """Return the share of an investment paid back each year (rate per year, years > 0).

    Examples
    --------
    >>> round(annuity_factor(0.0, 20), 3), round(annuity_factor(0.035, 15), 4)
    (0.05, 0.0868)
    """
    if years <= 0 or rate <= -1:
        msg = (f"A lifetime of {years} years at a discount rate of {rate} has no annuity; set "
               "economics.*_lifetime_years > 0 and economics.discount_rate > -1.")
        raise ScenarioError(msg)
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)


def trench_costs(trenches: pd.DataFrame, *, scenario: Scenario) -> pd.Series:
    """Cost of each trench segment in DKK: its ``cost_dkk``, else length × the scenario's
    ``economics.trench_cost_dkk_per_m``."""
    cost = (trenches["cost_dkk"].astype(float) if "cost_dkk" in trenches.columns
            else pd.Series(np.nan, index=trenches.index))
    per_m = float(scenario.value("economics.trench_cost_dkk_per_m"))
    return cost.fillna(trenches["length_m"].astype(float) * per_m)


def _is_feeder(trenches: pd.DataFrame) -> pd.Series:
    """True for segments that also carry heat to other districts (False when not known)."""
    if "is_feeder" not in trenches.columns:
        return pd.Series(False, index=trenches.index)
    return trenches["is_feeder"].fillna(False).astype(bool)


def _ancestors(start: Iterable, parent: dict) -> set:
    seen: set = set()
    queue = deque(start)
    while queue:
        seg = queue.popleft()
        up = parent.get(seg)
        if up is not None and up not in seen:
            seen.add(up)
            queue.append(up)
    return seen


def segment_parent(trenches: pd.DataFrame) -> dict:
    if "upstream_segment" not in trenches.columns:
        return {}
    up = trenches["upstream_segment"]
    known = up.notna() & up.isin(trenches.index)
    return dict(zip(trenches.index[known], up[known], strict=True))


def segment_users(trenches: pd.DataFrame) -> dict[object, set]:
    """Return, per segment, the districts whose heat flows through it (its own included).

    Uses ``upstream_segment``: a segment serves every district that has a segment downstream of
    it. Without that column each segment serves its own ``district_id`` only.
    """
    parent = segment_parent(trenches)
    users: dict[object, set] = {seg: {d} for seg, d in trenches["district_id"].items()
                                if pd.notna(d)}
    for district_id, segs in trenches.groupby("district_id", sort=True).groups.items():
        for seg in _ancestors(segs, parent):
            users.setdefault(seg, set()).add(district_id)
    return users


def district_economics(
    properties: pd.DataFrame,
    districts: pd.DataFrame,
    trenches: pd.DataFrame,
    service_pipes: pd.DataFrame,
    district_feed: pd.DataFrame | None,
    *,
    scenario: Scenario,
    factors: pd.DataFrame,
    base_year: int | None = None,
) -> pd.DataFrame:
    """Return the economics of every district.

    Parameters
    ----------
    properties
        Index ``property_id``; ``district_id``, ``is_to_convert`` (bool), ``heating_type``,
        ``heat_demand_mwh_a`` (MWh/a), ``heated_area_m2``.
    districts
        Index ``district_id``; ``name``, ``status`` and optionally ``planned_phase``.
    trenches
        Index ``segment_id``; ``length_m``, ``district_id``, ``is_feeder`` and optionally
        ``cost_dkk`` (else ``economics.trench_cost_dkk_per_m``) and ``upstream_segment``.
    service_pipes
        Index ``property_id``; ``length_m`` and optionally ``cost_dkk``.
    district_feed
        Index ``district_id``; ``fed_from`` (optional table).
    scenario
        Supplies ``economics.*``, ``uptake.final_share``, ``emissions.heat_pump_scop_new``.
    factors
        t CO2 per MWh delivered heat, index ``heating_type``, columns years (as
        ``model.emissions.heat_emission_factors``); must hold ``base_year``.
    base_year
        Year whose factors define "today"; ``general.base_year`` when None.

    Returns
    -------
    economics
        Index ``district_id``: ``name``, ``status``, ``planned_phase``, ``fed_from``,
        ``n_to_convert``, ``n_expected`` (× final take-up), ``heated_area_m2``,
        ``heat_demand_mwh_a`` (of the properties to convert), ``trench_m`` (own mains),
        ``feeder_trench_m`` (share of feeder mains), ``mains_cost_dkk``, ``service_cost_dkk``,
        ``connection_cost_dkk`` (substations), ``cost_dkk``, ``linear_heat_density_mwh_m_a``
        (all properties to convert), ``expected_linear_heat_density_mwh_m_a`` (expected take-up),
        ``co2_today_t_a``, ``co2_avoided_t_a`` (expected take-up, base-year factors),
        ``cost_per_t_dkk``, ``dh_cost_dkk_per_mwh``, ``hp_cost_dkk_per_mwh``.
    """
    econ_cfg = scenario.section("economics")
    final_share = float(scenario.value("uptake.final_share"))
    if base_year is None:
        base_year = int(scenario.value("general.base_year"))
    _check_inputs(properties, districts, trenches, factors, base_year)
    conv = properties[properties["is_to_convert"].astype(bool)]
    econ = _district_base(conv, districts, district_feed, final_share)
    _add_mains(econ, trenches, scenario=scenario, final_share=final_share)
    _add_connections(econ, conv, service_pipes, econ_cfg)
    metres = econ["trench_m"] + econ["feeder_trench_m"]
    with np.errstate(divide="ignore", invalid="ignore"):
        econ["linear_heat_density_mwh_m_a"] = (econ["heat_demand_mwh_a"] / metres).where(
            metres > 0)
        econ["expected_linear_heat_density_mwh_m_a"] = (
            econ["heat_demand_mwh_a"] * final_share / metres).where(metres > 0)
    _add_co2(econ, conv, factors[base_year], econ_cfg, final_share)
    _add_cost_of_heat(econ, conv, scenario, econ_cfg, final_share)
    logger.info(
        "District economics for %d districts: %d properties to convert, %.1f km own mains, "
        "%.1f km feeder mains", len(econ), int(econ["n_to_convert"].sum()),
        econ["trench_m"].sum() / 1000, econ["feeder_trench_m"].sum() / 1000,
    )
    return econ


def _check_inputs(properties: pd.DataFrame, districts: pd.DataFrame, trenches: pd.DataFrame,
                  factors: pd.DataFrame, base_year: int) -> None:
    """The columns earlier stages add, the base year's factors and known district ids."""
    require_columns(properties, ("district_id", "is_to_convert", "heating_type",
                                 "heat_demand_mwh_a", "heated_area_m2"),
                    table_name="properties", stage="model")
    require_columns(districts, ("status",), table_name="districts", stage="validate")
    require_columns(trenches, ("length_m", "district_id"), table_name="trenches",
                    stage="routing")
    if base_year not in factors.columns:
        msg = f"The CO2 factor table has no column for the base year {base_year}."
        raise SchemaError(msg)

    unknown = sorted(set(properties["district_id"].dropna().astype(str)) - set(districts.index))
    if unknown:
        msg = (
            f"properties.district_id holds {len(unknown)} district id(s) not in the districts "
            f"layer: {unknown[:5]}; fix the ids or add the districts."
        )
        raise SchemaError(msg)


def _district_base(conv: pd.DataFrame, districts: pd.DataFrame,
                   district_feed: pd.DataFrame | None, final_share: float) -> pd.DataFrame:
    """Index ``district_id``: name, status, phase, feed and the properties to convert."""
    by = conv.groupby("district_id", sort=True)
    econ = pd.DataFrame(index=districts.index.copy())
    econ.index.name = "district_id"
    econ["name"] = districts["name"] if "name" in districts.columns else econ.index.astype(str)
    econ["status"] = districts["status"].astype(str)
    econ["planned_phase"] = (
        pd.to_numeric(districts["planned_phase"], errors="coerce").astype("Int64")
        if "planned_phase" in districts.columns else pd.Series(pd.NA, index=econ.index,
                                                              dtype="Int64")
    )
    fed = pd.Series(pd.NA, index=econ.index, dtype=object)
    if district_feed is not None and "fed_from" in district_feed.columns:
        fed = district_feed["fed_from"].reindex(econ.index).astype(object)
    econ["fed_from"] = fed
    econ["n_to_convert"] = by.size().reindex(econ.index, fill_value=0).astype(int)
    econ["n_expected"] = econ["n_to_convert"] * final_share
    econ["heated_area_m2"] = by["heated_area_m2"].sum().reindex(econ.index, fill_value=0.0)
    econ["heat_demand_mwh_a"] = conv["heat_demand_mwh_a"].astype(float).groupby(
        conv["district_id"]).sum().reindex(econ.index, fill_value=0.0)
    return econ


def _add_mains(econ: pd.DataFrame, t: pd.DataFrame, *, scenario: Scenario,
               final_share: float) -> None:
    """``trench_m`` (own mains), ``feeder_trench_m`` and ``mains_cost_dkk`` (own + feeder share).

    A feeder segment's length and cost are shared among the districts it serves by their
    expected heat; equally where none has any.
    """
    cost = trench_costs(t, scenario=scenario)
    is_feeder = _is_feeder(t)
    own = ~is_feeder
    econ["trench_m"] = t.loc[own, "length_m"].groupby(t.loc[own, "district_id"]).sum().reindex(
        econ.index, fill_value=0.0).astype(float)
    own_cost = cost[own].groupby(t.loc[own, "district_id"]).sum().reindex(econ.index,
                                                                         fill_value=0.0)
    weight = (econ["heat_demand_mwh_a"] * final_share).astype(float)
    users = segment_users(t)
    pairs = pd.DataFrame(
        [(seg, d) for seg in t.index[is_feeder] for d in sorted(users.get(seg, ()), key=str)
         if d in econ.index],
        columns=["segment_id", "district_id"])
    pairs["w"] = weight.reindex(pairs["district_id"]).to_numpy(dtype=float)
    total_w = pairs.groupby("segment_id")["w"].transform("sum")
    n_users = pairs.groupby("segment_id")["w"].transform("size")
    share = np.where(total_w > 0, pairs["w"] / total_w.where(total_w > 0, 1.0), 1.0 / n_users)
    seg_len = t["length_m"].astype(float).reindex(pairs["segment_id"]).to_numpy()
    seg_cost = cost.reindex(pairs["segment_id"]).to_numpy(dtype=float)
    feeder_m = pd.Series(seg_len * share).groupby(pairs["district_id"].to_numpy()).sum(
        ).reindex(econ.index, fill_value=0.0)
    feeder_cost = pd.Series(seg_cost * share).groupby(pairs["district_id"].to_numpy()).sum(
        ).reindex(econ.index, fill_value=0.0)
    econ["feeder_trench_m"] = feeder_m
    econ["mains_cost_dkk"] = own_cost + feeder_cost


def _add_connections(econ: pd.DataFrame, conv: pd.DataFrame, service_pipes: pd.DataFrame,
                     econ_cfg: dict) -> None:
    """Service pipes and substations for the expected connections, and ``cost_dkk`` (DKK)."""
    sp = service_pipes.reindex(conv.index)
    sp_cost = (sp["cost_dkk"].astype(float) if "cost_dkk" in sp.columns
               else pd.Series(np.nan, index=sp.index))
    sp_len = sp["length_m"].astype(float) if "length_m" in sp.columns else sp_cost * np.nan
    sp_cost = sp_cost.fillna(sp_len * float(econ_cfg["service_pipe_dkk_per_m"]))
    mean_sp = sp_cost.groupby(conv["district_id"]).mean().reindex(econ.index)
    mean_sp = mean_sp.fillna(float(sp_cost.mean()) if sp_cost.notna().any() else 0.0)
    has_network = (econ["trench_m"] + econ["feeder_trench_m"] > 0) | econ["status"].eq(
        "existing_dh")
    econ["service_cost_dkk"] = (mean_sp * econ["n_expected"]).where(has_network, 0.0)
    econ["connection_cost_dkk"] = float(econ_cfg["house_connection_dkk"]) * econ["n_expected"]
    econ["cost_dkk"] = econ["mains_cost_dkk"] + econ["service_cost_dkk"] + econ[
        "connection_cost_dkk"]


def _add_co2(econ: pd.DataFrame, conv: pd.DataFrame, f_base: pd.Series, econ_cfg: dict,
             final_share: float) -> None:
    """``co2_today_t_a``, ``co2_avoided_t_a`` (expected take-up) and ``cost_per_t_dkk``."""
    f_today = conv["heating_type"].map(f_base).fillna(f_base.get("other", 0.0)).astype(float)
    demand = conv["heat_demand_mwh_a"].astype(float)
    f_dh = float(f_base["district_heating"])
    econ["co2_today_t_a"] = (demand * f_today).groupby(conv["district_id"]).sum().reindex(
        econ.index, fill_value=0.0)
    econ["co2_avoided_t_a"] = ((demand * (f_today - f_dh)).groupby(conv["district_id"]).sum()
                               .reindex(econ.index, fill_value=0.0) * final_share)
    years = float(econ_cfg["evaluation_years"])
    with np.errstate(divide="ignore", invalid="ignore"):
        econ["cost_per_t_dkk"] = (econ["cost_dkk"] / (econ["co2_avoided_t_a"] * years)).where(
            econ["co2_avoided_t_a"] > 0)


def _add_cost_of_heat(econ: pd.DataFrame, conv: pd.DataFrame, scenario: Scenario,
                      econ_cfg: dict, final_share: float) -> None:
    """Yearly cost of heat, DKK per MWh sold: district heating against individual heat pumps."""
    rate = float(econ_cfg["discount_rate"])
    a_dh = annuity_factor(rate, float(econ_cfg["dh_lifetime_years"]))
    a_hp = annuity_factor(rate, float(econ_cfg["heat_pump_lifetime_years"]))
    sold = econ["heat_demand_mwh_a"] * final_share
    scop = float(scenario.value("emissions.heat_pump_scop_new"))
    dh_year = (econ["cost_dkk"] * a_dh + sold * float(econ_cfg["dh_energy_price_dkk_per_mwh"])
               + econ["n_expected"] * float(econ_cfg["dh_fixed_dkk_a"]))
    # a heat pump is sized to the building: the house price covers the standard house's
    # demand, larger buildings (schools, blocks) need proportionally larger machines
    demand = conv["heat_demand_mwh_a"].astype(float)
    size = np.maximum(1.0, demand / float(econ_cfg["heat_pump_reference_demand_mwh_a"]))
    hp_units = (size.groupby(conv["district_id"]).sum().reindex(econ.index, fill_value=0.0)
                * final_share)
    hp_year = (hp_units * float(econ_cfg["heat_pump_investment_dkk"]) * a_hp
               + econ["n_expected"] * float(econ_cfg["heat_pump_maintenance_dkk_a"])
               + sold / scop * 1000.0 * float(econ_cfg["electricity_price_dkk_per_kwh"]))
    metres = econ["trench_m"] + econ["feeder_trench_m"]
    routed = (metres > 0) | econ["status"].eq("existing_dh")
    with np.errstate(divide="ignore", invalid="ignore"):
        econ["dh_cost_dkk_per_mwh"] = (dh_year / sold).where((sold > 0) & routed)
        econ["hp_cost_dkk_per_mwh"] = (hp_year / sold).where(sold > 0)


def density_class(density: pd.Series, limits: Iterable[float], *, lang: str = "da"
                  ) -> pd.Series:
    """Return the density class name (critical / sufficient / good / very good)."""
    names = {"da": ["kritisk", "tilstrækkelig", "god", "meget god"],
             "en": ["critical", "sufficient", "good", "very good"]}[lang]
    edges = [-np.inf, *sorted(float(x) for x in limits), np.inf]
    cls = pd.cut(density, edges, labels=names[: len(edges) - 1], right=False)
    return cls.astype(object).where(density.notna(), None)


def recommend_districts(
    economics: pd.DataFrame,
    *,
    scenario: Scenario,
    lang: str = "da",
) -> pd.DataFrame:
    """Return the economics with the recommendation and its reason added.

    Parameters
    ----------
    economics
        Output of :func:`district_economics`.
    scenario
        Supplies ``economics.min_linear_heat_density_mwh_m_a``,
        ``economics.density_classes_mwh_m_a``, ``economics.density_uses_takeup`` and
        ``economics.switch_candidate_below_threshold``.
    lang
        ``"da"`` (default) or ``"en"`` for ``reason``.

    Returns
    -------
    districts
        A copy with ``density_class``, ``passes_density`` and ``is_cheaper_than_heat_pumps``
        (bool), ``economic_recommendation``, ``recommendation`` (``district_heating``,
        ``individual_heat_pump``, ``existing_dh``), ``is_flagged`` (a council candidate area
        the economics do not support, whether kept or switched) and ``reason`` (text).
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
    out["is_cheaper_than_heat_pumps"] = (out["dh_cost_dkk_per_mwh"]
                                         .le(out["hp_cost_dkk_per_mwh"]).fillna(False)
                                         .astype(bool))
    has_props = out["n_to_convert"] > 0
    econ_dh = out["passes_density"] & out["is_cheaper_than_heat_pumps"] & has_props
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
    out["reason"] = [
        _reason(row, d, threshold, switch, lang)
        for (_, row), d in zip(out.iterrows(), density, strict=True)
    ]
    counts = out["recommendation"].value_counts().to_dict()
    logger.info("District recommendations: %s; %d flagged", counts, int(out["is_flagged"].sum()))
    return out


def _reason(row: pd.Series, density: float, threshold: float, switch: bool, lang: str
            ) -> str:
    da = lang == "da"
    n = int(row["n_to_convert"])
    dens = _num(density, 2, lang)
    thr = _num(threshold, 2, lang)
    dh = _num(row["dh_cost_dkk_per_mwh"], 0, lang)
    hp = _num(row["hp_cost_dkk_per_mwh"], 0, lang)
    cls = row["density_class"] or "–"
    status = row["status"]
    if da:
        cost_txt = (f"fjernvarme koster ca. {dh} kr./MWh (inkl. annuitet af anlægget) mod "
                    f"{hp} kr./MWh for individuelle varmepumper")
        dens_txt = f"lineær varmetæthed {dens} MWh/m/år ({cls}; tærskel {thr})"
    else:
        cost_txt = (f"district heating costs about {dh} DKK/MWh (investment annuity included) "
                    f"against {hp} DKK/MWh for individual heat pumps")
        dens_txt = f"linear heat density {dens} MWh/m/a ({cls}; threshold {thr})"
    if status == "existing_dh":
        return (f"Eksisterende fjernvarmeområde; {n} ejendomme med gas eller olie tilbydes "
                f"tilslutning til det eksisterende net." if da else
                f"Existing district-heating area; {n} properties on gas or oil are offered a "
                f"connection to the existing mains.")
    if n == 0:
        return ("Ingen ejendomme med gas- eller oliefyr at konvertere." if da else
                "No properties with gas or oil heating to convert.")
    if density is None or not np.isfinite(density):
        why = ("der er ikke beregnet et ledningsnet for området, så fjernvarme kan ikke "
               "vurderes" if da else
               "no trench network was routed for the district, so district heating cannot be "
               "assessed")
    elif not row["passes_density"]:
        why = (f"{dens_txt} er under tærsklen, og {cost_txt}" if da else
               f"{dens_txt} is below the threshold, and {cost_txt}")
    elif not row["is_cheaper_than_heat_pumps"]:
        why = (f"{dens_txt} er over tærsklen, men {cost_txt}" if da else
               f"{dens_txt} passes the threshold, but {cost_txt}")
    else:
        why = f"{dens_txt}, og {cost_txt}" if da else f"{dens_txt}, and {cost_txt}"
    econ_dh = row["economic_recommendation"] == DISTRICT_HEATING
    if status == "individual" and (density is None or not np.isfinite(density)):
        return (f"Individuel varmeforsyning (fastlagt i varmeplanen); {n} ejendomme med gas "
                f"eller olie rådes til at skifte til en individuel varmepumpe." if da else
                f"Individual heating (fixed in the heat plan); {n} properties on gas or oil are "
                f"advised to change to an individual heat pump.")
    if status == "individual":
        return (f"Individuel varmeforsyning (fastlagt i varmeplanen); til sammenligning: {why}."
                if da else
                f"Individual heating (fixed in the heat plan); for comparison: {why}.")
    if econ_dh:
        return f"Fjernvarme: {why}." if da else f"District heating: {why}."
    if status == "candidate_dh" and not switch:
        return (f"Fjernvarme (politisk besluttet kandidatområde) – men økonomien peger på "
                f"individuelle varmepumper: {why}. Området beholdes i planen og er markeret til "
                f"vurdering." if da else
                f"District heating (candidate area decided by the council) – but the economics "
                f"point to individual heat pumps: {why}. The district stays in the plan and is "
                f"flagged for review.")
    if status == "candidate_dh":
        return (f"Individuel varmeforsyning (varmepumpe) – skiftet fra kandidatområde for "
                f"fjernvarme, da økonomien peger på varmepumper: {why}." if da else
                f"Individual heat pumps – switched from a district-heating candidate area, as "
                f"the economics point to heat pumps: {why}.")
    return (f"Individuel varmeforsyning (varmepumpe): {why}." if da else
            f"Individual heat pumps: {why}.")


def district_works(
    districts: pd.DataFrame,
    trenches: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.Series]:
    """Return the works to build per district, and which trench segments are built.

    A segment is built when its district gets district heating, or when it lies upstream of a
    built segment (feeder mains through a district that keeps individual heating are still
    laid, and that district carries them). Without ``upstream_segment``, the feeder mains of a
    district that ``fed_from`` names as the feed of a district-heating district are built.

    Parameters
    ----------
    districts
        Output of :func:`recommend_districts` (``recommendation``, ``fed_from``).
    trenches
        Index ``segment_id``; ``length_m``, ``district_id``, optional ``cost_dkk``,
        ``is_feeder``, ``upstream_segment``.

    Returns
    -------
    works, is_built
        ``works``: index ``district_id``; ``works_trench_m`` (metres dug), ``is_transit``
        (individual district carrying feeder mains for others), ``carries_for`` (district ids,
        comma separated). ``is_built``: bool per segment.
    """
    rec = districts["recommendation"]
    dh = set(rec.index[rec.isin([DISTRICT_HEATING, EXISTING])])
    t = trenches
    built = t["district_id"].isin(dh)
    parent = segment_parent(t)
    if parent:
        up = _ancestors(t.index[built], parent)
        built |= t.index.isin(list(up))
    # fed_from chain: a district that feeds a DH district builds its feeder mains
    fed = districts["fed_from"].dropna() if "fed_from" in districts.columns else pd.Series()
    carries: dict[object, set] = {}
    for child in sorted(dh, key=str):
        seen = set()
        node = fed.get(child)
        while node in districts.index and node not in seen:
            seen.add(node)
            if node not in dh:
                carries.setdefault(node, set()).add(child)
            node = fed.get(node)
    built |= t["district_id"].isin(list(carries)) & _is_feeder(t)
    # segments upstream of built ones in individual districts: who do they carry for?
    users = segment_users(t)
    for seg in t.index[built & ~t["district_id"].isin(dh)]:
        owner = t.at[seg, "district_id"]
        served = {d for d in users.get(seg, set()) if d in dh}
        if served:
            carries.setdefault(owner, set()).update(served)
    works = pd.DataFrame(index=districts.index.copy())
    works["works_trench_m"] = t.loc[built, "length_m"].groupby(
        t.loc[built, "district_id"]).sum().reindex(works.index, fill_value=0.0).astype(float)
    works["is_transit"] = [d not in dh and d in carries and works.at[d, "works_trench_m"] > 0
                           for d in works.index]
    works["carries_for"] = [", ".join(sorted(map(str, carries.get(d, ())))) if t_ else ""
                            for d, t_ in works["is_transit"].items()]
    logger.info("%d of %d trench segments are built (%.1f km); %d districts only carry feeder "
                "mains", int(built.sum()), len(t), t.loc[built, "length_m"].sum() / 1000,
                int(works["is_transit"].sum()))
    return works, built.rename("is_built")


def transit_note(carries_for: str, lang: str = "da") -> str:
    """Return the note that a district carries feeder mains for others."""
    if lang == "da":
        return f" Fødeledningen til {carries_for} anlægges gennem området."
    return f" The feeder main to {carries_for} is laid through the district."
