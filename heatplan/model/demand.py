"""Heat demand (MWh/a) and design peak load (kW) per property.

Rules (scenario keys in ``demand.*``, defaults in ``heatplan/scenario/demand.toml``):

* A property with **metered** heat (``metered_heat_kwh_a`` of ``metered_year``, from the
  properties layer or the metered table, the table winning) takes that figure normalised to a
  normal year (:func:`normalise_metered`); ``demand_source`` is ``"metered"`` and
  ``demand_year`` the metered year. Measured consumption is the best evidence, before labels.
* A property with a **valid** energy label that states ``calculated_heat_kwh_a`` takes that
  figure, scaled by ``heated_area_m2 / label heated area`` when the label gives its area: the
  label's *specific* demand (kWh/m²) is the evidence, and BBR's area is the current one (an
  extension after labelling is then counted). ``demand_source`` is ``"label"``, ``demand_year``
  the year the label is valid from.
* Otherwise heated area × specific demand of its use class (``demand.use_class``) and
  construction period (``demand.specific_heat.<class>``); ``demand_source`` is ``"area"``.
* An expired label is reported (``label_id``, ``label_is_valid`` False) but its calculated heat is
  used only when ``demand.use_expired_labels`` is true.
* Peak load kW = demand MWh/a × 1000 ÷ ``demand.full_load_hours``.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario
from heatplan.model.labels import LABEL_CLASS_DTYPE

logger = logging.getLogger(__name__)

DEMAND_COLUMNS: tuple[str, ...] = (
    "heat_demand_mwh_a", "demand_source", "demand_year", "peak_load_kw", "label_id",
    "label_class", "label_is_valid",
)
METERED_COLUMNS: tuple[str, ...] = ("metered_heat_kwh_a", "metered_year")


def _indexed(properties: pd.DataFrame) -> pd.DataFrame:
    if "property_id" in properties.columns:
        return properties.set_index("property_id", drop=False).rename_axis("property_id")
    return properties.rename_axis("property_id")


def specific_heat_demand(
    bbr_use_code: pd.Series, year_built: pd.Series, *, scenario: Scenario
) -> pd.Series:
    """Return the specific heat demand (kWh per m² heated area per year) of each building.

    Raises
    ------
    ScenarioError
        If a use code has no use class, or a use class has no ``demand.specific_heat`` table.
    """
    mapping = {str(k): str(v) for k, v in scenario.value("demand.use_class").items()}
    # work on a RangeIndex: attribute look-ups on a Series with a large string index are slow
    codes = pd.Series(bbr_use_code.to_numpy(), dtype=object).astype(str).str.strip()
    use_class = codes.map(mapping)
    unknown = sorted(codes[use_class.isna()].unique())
    if unknown:
        ids = list(bbr_use_code.index[use_class.isna().to_numpy()][:5])
        msg = (
            f"Scenario parameter demand.use_class has no use class for BBR use codes {unknown} "
            f"(properties {ids}…). Add them to demand.use_class in a scenario file."
        )
        raise ScenarioError(msg)
    tables = scenario.section("demand.specific_heat")
    year = pd.to_numeric(pd.Series(year_built.to_numpy()), errors="coerce").fillna(0).to_numpy()
    result = np.full(len(codes), np.nan)
    classes = use_class.to_numpy()
    for name in np.unique(classes):
        if name not in tables:
            msg = (
                f"demand.use_class maps codes to {name!r}, but the scenario has no "
                f"demand.specific_heat.{name}. Add it, or map the codes to an existing class."
            )
            raise ScenarioError(msg)
        steps = sorted((int(y), float(v)) for y, v in tables[name].items())
        starts = np.array([y for y, _ in steps])
        values = np.array([v for _, v in steps])
        rows = classes == name
        pos = np.searchsorted(starts, year[rows], side="right") - 1
        result[rows] = values[np.clip(pos, 0, None)]
    return pd.Series(result, index=bbr_use_code.index, name="specific_heat_kwh_m2_a")


def metered_heat(properties: pd.DataFrame, metered: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each property's metered heat (kWh/a) and its year, indexed like ``properties``.

    A row of the ``metered`` table (indexed by or holding ``property_id``) replaces the
    properties' own ``metered_heat_kwh_a`` and ``metered_year``; NaN and NA where not metered.
    """
    props = _indexed(properties)
    out = pd.DataFrame(
        {
            "metered_heat_kwh_a": pd.to_numeric(
                props.get("metered_heat_kwh_a", pd.Series(np.nan, index=props.index)),
                errors="coerce").astype(float),
            "metered_year": pd.to_numeric(
                props.get("metered_year", pd.Series(pd.NA, index=props.index)),
                errors="coerce").astype("Int64"),
        },
        index=props.index,
    )
    if metered is not None and len(metered):
        table = _indexed(metered)
        table.index = table.index.astype(str)
        keys = props.index.astype(str)
        given = keys.isin(table.index)
        rows = table.reindex(keys[given])
        out.loc[given, "metered_heat_kwh_a"] = pd.to_numeric(
            rows["metered_heat_kwh_a"], errors="coerce").to_numpy(float)
        out.loc[given, "metered_year"] = pd.to_numeric(
            rows["metered_year"], errors="coerce").astype("Int64").to_numpy()
    return out


def normalise_metered(heat_kwh_a: pd.Series, year: pd.Series, *, scenario: Scenario
                      ) -> pd.Series:
    """Metered heat of a year normalised to a normal year (kWh/a).

    normalised = metered × (share × normal ÷ year's degree days + (1 − share)), with share
    ``demand.space_heating_share`` (hot water does not follow the weather), the normal year's
    ``demand.normal_degree_days`` and the year's ``demand.degree_days``. A year without degree
    days is taken as metered (a warning names it).
    """
    table = {int(y): float(v) for y, v in scenario.value("demand.degree_days").items()}
    normal = float(scenario.value("demand.normal_degree_days"))
    share = float(scenario.value("demand.space_heating_share"))
    years = pd.to_numeric(year, errors="coerce").astype("Int64")
    degree_days = years.map(table).astype(float)
    missing = years.notna() & degree_days.isna()
    if missing.any():
        logger.warning(
            "Metered heat of %d properties is from years without degree days in "
            "demand.degree_days (%s); it is used as metered, not normalised to a normal year. "
            "Add the years' degree days in a scenario file.",
            int(missing.sum()), ", ".join(str(y) for y in sorted(years[missing].unique())),
        )
    factor = (share * normal / degree_days + (1.0 - share)).fillna(1.0)
    return heat_kwh_a.astype(float) * factor


def _label_demand(props: pd.DataFrame, chosen_labels: pd.DataFrame, eligible: pd.Series, *,
                  scenario: Scenario) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Each property's chosen label, its heat scaled to the BBR area (MWh/a), and whether it is
    used (an ``eligible`` property's valid label with heat; expired ones per the scenario)."""
    area = props["heated_area_m2"].astype(float)
    chosen = chosen_labels[chosen_labels.index.isin(props.index.astype(str))]
    joined = chosen.reindex(props.index.astype(str))
    joined.index = props.index
    label_heat = pd.to_numeric(joined["calculated_heat_kwh_a"], errors="coerce")
    label_area = pd.to_numeric(joined["label_heated_area_m2"], errors="coerce")
    scale = (area / label_area).where(label_area > 0, 1.0)
    usable = label_heat.notna() & (label_heat > 0) & joined["label_id"].notna() & eligible
    if not bool(scenario.value("demand.use_expired_labels")):
        usable &= joined["label_is_valid"].fillna(False).astype(bool)
    far = usable & ((scale < 0.8) | (scale > 1.25))
    if far.any():
        logger.info(
            "%d labels computed on an area more than 25 %% off the BBR heated area; their heat "
            "was scaled to the BBR area", int(far.sum()),
        )
    return joined, label_heat * scale / 1000.0, usable


def estimate_heat_demand(
    properties: pd.DataFrame, chosen_labels: pd.DataFrame, *, scenario: Scenario,
    metered: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Estimate each property's delivered heat demand and design peak load.

    Parameters
    ----------
    properties
        Columns of ``schema.PROPERTIES`` (at least ``bbr_use_code``, ``year_built``,
        ``heated_area_m2``), indexed by or holding ``property_id``.
    chosen_labels
        The label that speaks for each property: :func:`heatplan.model.labels.select_labels`
        (empty without labels).
    scenario
        Supplies ``demand.*`` and ``labels.*``.
    metered
        The metered table (``property_id``, ``metered_heat_kwh_a``, ``metered_year``), which
        replaces the properties' own metered columns where it has a row (:func:`metered_heat`).

    Returns
    -------
    demand
        Indexed by ``property_id``: ``heat_demand_mwh_a`` (MWh/a), ``demand_source``
        (``"metered"``, ``"label"`` or ``"area"``), ``demand_year`` (the metered year or the
        label's first valid year; NA for area), ``peak_load_kw`` (kW), ``label_id``, ``label_class``
        (ordered categorical; empty without a label), ``label_is_valid`` (nullable boolean;
        empty without a label).
    """
    props = _indexed(properties)
    area = props["heated_area_m2"].astype(float)
    specific = specific_heat_demand(props["bbr_use_code"], props["year_built"], scenario=scenario)
    area_mwh = area * specific / 1000.0

    measured = metered_heat(props, metered)
    is_metered = (measured["metered_heat_kwh_a"].gt(0) & measured["metered_year"].notna()
                  ).fillna(False).astype(bool)
    joined, label_mwh, usable = _label_demand(props, chosen_labels, ~is_metered,
                                              scenario=scenario)
    metered_mwh = normalise_metered(measured["metered_heat_kwh_a"], measured["metered_year"],
                                    scenario=scenario) / 1000.0
    demand = label_mwh.where(usable, area_mwh).where(~is_metered, metered_mwh)
    year = pd.to_datetime(joined["valid_from"], errors="coerce").dt.year.astype("Int64")
    year = year.where(usable).where(~is_metered, measured["metered_year"])
    hours = float(scenario.value("demand.full_load_hours"))
    out = pd.DataFrame(
        {
            "heat_demand_mwh_a": demand.astype(float),
            "demand_source": np.select([is_metered, usable], ["metered", "label"], "area"),
            "demand_year": year.astype("Int64"),
            "peak_load_kw": demand.astype(float) * 1000.0 / hours,
            "label_id": joined["label_id"].astype(object).where(joined["label_id"].notna(), None),
            "label_class": joined["label_class"].astype(LABEL_CLASS_DTYPE),
            "label_is_valid": joined["label_is_valid"].astype("boolean"),
        },
        index=props.index,
    )
    by_area = ~usable & ~is_metered
    logger.info(
        "Heat demand of %d properties: %d metered, %d from a valid label, %d from area (%d of "
        "these have an expired label), total %.0f MWh/a",
        len(out), int(is_metered.sum()), int(usable.sum()), int(by_area.sum()),
        int((by_area & (out["label_is_valid"] == False)).sum()),  # noqa: E712
        float(out["heat_demand_mwh_a"].sum()),
    )
    return out
