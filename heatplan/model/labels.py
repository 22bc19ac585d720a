"""Energy labels as evidence: the class scale, validity, age and which label speaks for a property.

The 2018 scale gives each class an upper limit in *primary* energy per m² heated area per year,
``constant + area_term / A`` (domain.md §2.1); the limits are scenario parameters
``labels.limits.residential`` and ``labels.limits.non_residential``. A label is valid for
``labels.validity_years`` from ``valid_from`` unless ``valid_to`` says otherwise, judged at
``labels.reference_date``. An expired label is still evidence, but it is flagged.

A label may state its calculated consumption in fuel units instead of delivered heat (optional
label columns ``fuel_consumption`` and ``fuel_unit``: ``m3`` of natural gas, ``l`` of heating
oil, or ``kWh`` / ``MWh`` of delivered heat). :func:`fuel_to_heat_kwh` converts it with the
calorific value (``emissions.fuel_kwh_per_unit.*``) and the boiler efficiency
(``emissions.efficiency.*``), and :func:`select_labels` uses it where
``calculated_heat_kwh_a`` is empty.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from heatplan.core.errors import InputDataError, ScenarioError
from heatplan.core.scenario import Scenario
from heatplan.core.schema import LABEL_CLASSES, RESIDENTIAL_USE_CODES
from heatplan.model.heat_pump import TYPICAL_SYSTEM, scop_by_year

logger = logging.getLogger(__name__)

LIMITED_CLASSES: tuple[str, ...] = LABEL_CLASSES[:-1]
"""Classes with an upper limit (A2020 … F); G is everything above F."""

LABEL_CLASS_DTYPE = pd.CategoricalDtype(list(LABEL_CLASSES), ordered=True)
"""Ordered categorical of the label classes, best first (``A2020 < … < G``)."""

_DAYS_PER_YEAR = 365.25

FUEL_UNITS: dict[str, str | None] = {
    "m3": "natural_gas", "m³": "natural_gas",
    "l": "oil", "liter": "oil", "litre": "oil",
    "kwh": None, "mwh": None,
}
"""Units of ``fuel_consumption`` (the first word of ``fuel_unit``, lower case, as a label
prints it: ``m³ Naturgas``, ``liter Fyringsolie``, ``MWh Fjernvarme``) and the fuel they
measure (None: delivered heat itself)."""


def class_limits(
    heated_area_m2: np.ndarray | pd.Series | float,
    *,
    residential: np.ndarray | pd.Series | bool,
    scenario: Scenario,
) -> pd.DataFrame:
    """Return the upper limit of every class A2020 … F at each heated area.

    Parameters
    ----------
    heated_area_m2
        Heated area A in m² (scalar or one value per building).
    residential
        True for the residential scale, False for non-residential (scalar or per building).
    scenario
        Supplies ``labels.limits.residential`` and ``labels.limits.non_residential``.

    Returns
    -------
    limits
        One row per area (index kept from a Series), one column per class, in kWh primary
        energy per m² per year.

    Examples
    --------
    >>> from heatplan.core.scenario import load_scenario
    >>> class_limits(130.0, residential=True, scenario=load_scenario())["C"].round(1).tolist()
    [134.6]
    """
    index = heated_area_m2.index if isinstance(heated_area_m2, pd.Series) else None
    area = np.atleast_1d(np.asarray(heated_area_m2, dtype=float))
    res = np.broadcast_to(np.atleast_1d(np.asarray(residential, dtype=bool)), area.shape)
    columns = {}
    for scale in ("residential", "non_residential"):
        table = scenario.value(f"labels.limits.{scale}")
        missing = [c for c in LIMITED_CLASSES if c not in table]
        if missing:
            msg = (
                f"Scenario parameter labels.limits.{scale} lacks the classes {missing}; give "
                "[constant, area_term] for each of A2020, A2015, A2010, B, C, D, E, F."
            )
            raise ScenarioError(msg)
        for cls in LIMITED_CLASSES:
            constant, area_term = (float(x) for x in table[cls])
            columns.setdefault(cls, []).append(constant + area_term / area)
    data = {cls: np.where(res, r, n) for cls, (r, n) in columns.items()}
    return pd.DataFrame(data, index=index)


def classify_primary_energy(
    primary_kwh_m2_a: np.ndarray | pd.Series,
    heated_area_m2: np.ndarray | pd.Series,
    *,
    residential: np.ndarray | pd.Series | bool,
    scenario: Scenario,
) -> pd.Series:
    """Return the label class of each specific primary energy (kWh/m²/a) at its heated area.

    A value equal to a class's upper limit belongs to that class (limits are "≤").
    """
    limits = class_limits(heated_area_m2, residential=residential, scenario=scenario)
    value = np.asarray(primary_kwh_m2_a, dtype=float)[:, None]
    # number of classes whose limit is exceeded = position on the scale (0 = A2020, 8 = G)
    position = (value > limits.to_numpy() + 1e-9).sum(axis=1)
    return pd.Series(
        pd.Categorical.from_codes(position, dtype=LABEL_CLASS_DTYPE), index=limits.index,
        name="label_class",
    )


def is_residential(bbr_use_code: pd.Series) -> pd.Series:
    """True where the BBR use code takes the residential label scale."""
    return bbr_use_code.astype(str).isin(RESIDENTIAL_USE_CODES).rename("is_residential")


def primary_energy_per_heat(heating_type: pd.Series, *, scenario: Scenario) -> pd.Series:
    """Return kWh primary energy per kWh delivered heat for each heating type (label rules).

    District heating 0.85; electric panels 1.9; heat pumps 1.9 ÷ SCOP; fuels 1.0 ÷ efficiency
    (``labels.limits.primary_energy_factor``, ``emissions.efficiency.*``, the typical house
    heat pump's SCOP in ``general.base_year``; domain.md §2.1). Types without heat (``none``)
    count as 1.0.
    """
    pef = scenario.value("labels.limits.primary_energy_factor")
    eff = scenario.section("emissions.efficiency")
    base = int(scenario.value("general.base_year"))
    scop = float(scop_by_year(TYPICAL_SYSTEM, [base], scenario=scenario)[0])
    per_type = {
        "district_heating": float(pef["district_heating"]),
        "electric": float(pef["electricity"]) / float(eff.get("electric", 1.0)),
        "heat_pump": float(pef["electricity"]) / scop,
        "natural_gas": float(pef["other"]) / float(eff["natural_gas"]),
        "oil": float(pef["other"]) / float(eff["oil"]),
        "solid_fuel": float(pef["other"]) / float(eff["solid_fuel"]),
        "other": float(pef["other"]) / float(eff["other"]),
        "none": 1.0,
    }
    return heating_type.map(per_type).fillna(1.0).astype(float).rename("primary_per_heat")


def _add_years(dates: pd.Series, years: int) -> pd.Series:
    """Return ``dates`` plus whole calendar years, vectorised (29 February → 28 February)."""
    day = dates.dt.day.where(~((dates.dt.month == 2) & (dates.dt.day == 29)), 28)
    parts = pd.DataFrame({"year": dates.dt.year + years, "month": dates.dt.month, "day": day})
    return pd.to_datetime(parts, errors="coerce")


def label_evidence(labels: pd.DataFrame, *, scenario: Scenario) -> pd.DataFrame:
    """Return every label with its end date, validity and age at ``labels.reference_date``.

    Parameters
    ----------
    labels
        Table with the columns of ``schema.LABELS``; ``label_id`` as index or column.
    scenario
        Supplies ``labels.validity_years`` and ``labels.reference_date``.

    Returns
    -------
    evidence
        Indexed by ``label_id``: the input columns plus ``valid_to`` (filled with
        ``valid_from`` + validity years where empty), ``label_is_valid`` (valid_from ≤ reference
        date < valid_to) and ``label_age_years`` (years since ``valid_from``).
    """
    table = labels.reset_index() if "label_id" not in labels.columns else labels.copy()
    table = table.set_index("label_id")
    if "label_id" in table.columns:
        table = table.drop(columns="label_id")
    validity = int(scenario.value("labels.validity_years"))
    reference = pd.Timestamp(scenario.value("labels.reference_date"))
    valid_from = pd.to_datetime(table["valid_from"], errors="coerce")
    if "valid_to" in table.columns:
        valid_to = pd.to_datetime(table["valid_to"], errors="coerce")
    else:
        valid_to = pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]")
    valid_to = valid_to.fillna(_add_years(valid_from, validity))
    table["valid_from"] = valid_from
    table["valid_to"] = valid_to
    table["label_class"] = table["label_class"].astype(str).astype(LABEL_CLASS_DTYPE)
    table["label_is_valid"] = (valid_from <= reference) & (reference < valid_to)
    table["label_age_years"] = (reference - valid_from).dt.days / _DAYS_PER_YEAR
    return table


def fuel_to_heat_kwh(amount: pd.Series, unit: pd.Series, *, scenario: Scenario) -> pd.Series:
    """Delivered heat (kWh/a) of a label's consumption given in fuel units.

    ``m3`` of natural gas × ``emissions.fuel_kwh_per_unit.natural_gas`` × the gas boiler's
    efficiency; ``l`` of heating oil likewise with the oil values; ``kWh`` and ``MWh`` are heat
    already. Rows without an amount give NaN.

    Raises
    ------
    InputDataError
        If a unit is not one of :data:`FUEL_UNITS` (naming the labels and the fix).

    Examples
    --------
    >>> from heatplan.core.scenario import load_scenario
    >>> fuel_to_heat_kwh(pd.Series([1859.0, 1500.0, 12.5]),
    ...                  pd.Series(["m³ Naturgas", "liter Fyringsolie", "MWh Fjernvarme"]),
    ...                  scenario=load_scenario()).round(0).tolist()
    [18404.0, 12120.0, 12500.0]
    """
    key = unit.astype("string").str.strip().str.lower().str.split().str[0]
    fuel = key.map(FUEL_UNITS)
    given = pd.to_numeric(amount, errors="coerce").notna()
    unknown = given & ~key.isin(list(FUEL_UNITS))
    if unknown.any():
        ids = list(unit.index[unknown.to_numpy()][:5])
        values = sorted(set(unit[unknown].astype(str)))[:5]
        msg = (f"energy_labels/labels.csv, layer labels, column fuel_unit: labels {ids} have "
               f"unknown units {values}; start the unit with m3 or m³ (natural gas), l or "
               "liter (heating oil), kWh or MWh (delivered heat).")
        raise InputDataError(msg)
    per_unit = pd.Series(1.0, index=unit.index)
    for name in ("natural_gas", "oil"):
        rows = (fuel == name).to_numpy()
        per_unit[rows] = (float(scenario.value(f"emissions.fuel_kwh_per_unit.{name}"))
                          * float(scenario.value(f"emissions.efficiency.{name}")))
    per_unit[(key == "mwh").to_numpy()] = 1000.0
    return (pd.to_numeric(amount, errors="coerce") * per_unit).where(given)


def select_labels(labels: pd.DataFrame | None, *, scenario: Scenario) -> pd.DataFrame:
    """Return the one label that speaks for each property.

    A valid label beats an expired one; among equals the newest ``valid_from`` wins, then the
    smallest ``label_id`` (deterministic).

    Returns
    -------
    chosen
        Indexed by ``property_id``: ``label_id``, ``label_class``, ``label_is_valid``,
        ``label_age_years``, ``label_heated_area_m2``, ``calculated_heat_kwh_a``,
        ``heat_supply``, ``valid_from``, ``valid_to``. A label's ``calculated_heat_kwh_a`` is
        filled from ``fuel_consumption`` in ``fuel_unit`` where empty
        (:func:`fuel_to_heat_kwh`).
    """
    columns = [
        "label_id", "label_class", "label_is_valid", "label_age_years", "label_heated_area_m2",
        "calculated_heat_kwh_a", "heat_supply", "valid_from", "valid_to",
    ]
    if labels is None or len(labels) == 0:
        empty = pd.DataFrame(columns=columns, index=pd.Index([], name="property_id", dtype=str))
        empty["label_class"] = empty["label_class"].astype(LABEL_CLASS_DTYPE)
        return empty
    ev = label_evidence(labels, scenario=scenario).reset_index()
    for optional in ("heated_area_m2", "calculated_heat_kwh_a", "heat_supply"):
        if optional not in ev.columns:
            ev[optional] = np.nan
    if "fuel_consumption" in ev.columns and "fuel_unit" in ev.columns:
        from_fuel = fuel_to_heat_kwh(ev["fuel_consumption"].set_axis(ev["label_id"]),
                                     ev["fuel_unit"].set_axis(ev["label_id"]), scenario=scenario)
        heat = pd.to_numeric(ev["calculated_heat_kwh_a"], errors="coerce")
        ev["calculated_heat_kwh_a"] = heat.fillna(pd.Series(from_fuel.to_numpy(), ev.index))
    ev["property_id"] = ev["property_id"].astype(str)
    ev = ev.sort_values(
        ["property_id", "label_is_valid", "valid_from", "label_id"],
        ascending=[True, False, False, True], kind="mergesort",
    )
    chosen = ev.drop_duplicates("property_id", keep="first").set_index("property_id")
    chosen = chosen.rename(columns={"heated_area_m2": "label_heated_area_m2"})
    logger.debug(
        "%d labels for %d properties: %d valid, %d expired chosen",
        len(ev), len(chosen), int(chosen["label_is_valid"].sum()),
        int((~chosen["label_is_valid"]).sum()),
    )
    return chosen[columns]
