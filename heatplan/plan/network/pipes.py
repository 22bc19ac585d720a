"""Pipe sizing and cost: simultaneity, the DN table, cost per trench metre, service lines and
exchanger stations.

Each trench segment carries the peak load of the consumers downstream of it times a
simultaneity factor g(n) that falls with the number n of consumers (Winter et al. 2001, an
assumption: the Danish F&U values were not retrieved, domain.md §5.4). The smallest standard
twin pre-insulated pipe whose capacity at the design temperature difference and maximum
velocity covers that load is chosen.

Costs (``pipes.cost_basis``):

* ``catalogue`` (default): a pipe costs the price per trench metre of the capacity band its
  capacity falls in (Energistyrelsen, Technology Data for Energy Transport, by area type:
  ``pipes.trench_cost_eur_per_m``, ``pipes.capacity_bands_kw``); a service line costs the
  catalogue's price per unit of the band of the property's peak load
  (``pipes.service_line_cost_eur``); an exchanger station costs per MW of peak
  (``pipes.exchanger_station_eur_per_mw``, higher below 1 MW). EUR are converted to DKK by
  :mod:`heatplan.plan.catalogue`.
* ``all_in``: a pipe costs ``pipes.all_in_trench_cost_dkk_per_m`` by DN, a service pipe
  ``pipes.service_cost_dkk_per_m`` per metre, and stations nothing apart (the calibration
  profile ``profiles/all_in_utility.toml``).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario
from heatplan.plan.catalogue import area_value, band_value, dkk_per_catalogue_eur

COST_BASES: tuple[str, ...] = ("catalogue", "all_in")
"""What ``pipes.cost_basis`` may say."""

logger = logging.getLogger(__name__)


def simultaneity_factor(n_consumers: np.ndarray | float, *, scenario: Scenario) -> np.ndarray:
    """Return g(n) = a + b / (1 + (n / c)^d) for ``n`` consumers (1 for one consumer or none).

    Examples
    --------
    >>> from heatplan.core.scenario import load_scenario
    >>> simultaneity_factor([1, 10, 100, 1000], scenario=load_scenario()).round(3).tolist()
    [1.0, 0.974, 0.588, 0.453]
    """
    n = np.asarray(n_consumers, dtype=float)
    p = scenario.section("pipes")
    g = p["simultaneity_a"] + p["simultaneity_b"] / (
        1 + (n / p["simultaneity_c"]) ** p["simultaneity_d"]
    )
    return np.where(n <= 1, 1.0, np.minimum(g, 1.0))


def cost_basis(scenario: Scenario) -> str:
    """The scenario's ``pipes.cost_basis``, checked."""
    basis = str(scenario.value("pipes.cost_basis"))
    if basis not in COST_BASES:
        msg = f"Scenario parameter pipes.cost_basis is {basis!r}; use catalogue or all_in."
        raise ScenarioError(msg)
    return basis


def pipe_table(scenario: Scenario) -> pd.DataFrame:
    """Return the standard pipes: index ``dn``; ``inner_diameter_mm``, ``max_velocity_m_s``,
    ``capacity_kw`` (at the design ΔT) and ``cost_dkk_per_m`` (per trench metre, DKK at
    ``economics.price_year``: the catalogue price of the capacity band of the pipe's capacity,
    or the all-in price by DN, as ``pipes.cost_basis`` says).

    Raises
    ------
    ScenarioError
        If the ``pipes.*`` lists differ in length or are not increasing.
    """
    p = scenario.section("pipes")
    cols = {
        "inner_diameter_mm": p["inner_diameter_mm"],
        "max_velocity_m_s": p["max_velocity_m_s"],
        "all_in_cost_dkk_per_m": p["all_in_trench_cost_dkk_per_m"],
    }
    dn = np.asarray(p["dn"], dtype=int)
    for name, values in cols.items():
        if len(values) != len(dn):
            key = "all_in_trench_cost_dkk_per_m" if name.startswith("all_in") else name
            msg = (f"Scenario pipes.{key} has {len(values)} values but pipes.dn has {len(dn)}; "
                   "give one value per DN.")
            raise ScenarioError(msg)
    table = pd.DataFrame(cols, index=pd.Index(dn, name="dn")).astype(float)
    area_m2 = np.pi * (table["inner_diameter_mm"] / 1000) ** 2 / 4
    table["capacity_kw"] = (
        p["water_density_kg_m3"] * p["water_heat_capacity_kj_kg_k"] * p["design_delta_t_k"]
        * table["max_velocity_m_s"] * area_m2
    )
    if not (np.all(np.diff(dn) > 0) and np.all(np.diff(table["capacity_kw"]) > 0)):
        msg = "Scenario pipes.dn and the pipe capacities must increase from one DN to the next."
        raise ScenarioError(msg)
    if cost_basis(scenario) == "all_in":
        table["cost_dkk_per_m"] = table.pop("all_in_cost_dkk_per_m")
    else:
        table = table.drop(columns="all_in_cost_dkk_per_m")
        table["cost_dkk_per_m"] = trench_cost_dkk_per_m(table["capacity_kw"].to_numpy(),
                                                        scenario=scenario)
    return table


def _band_prices(scenario: Scenario, limits_key: str, prices_key: str, extra: int) -> tuple:
    limits = list(scenario.value(limits_key))
    prices = list(area_value(scenario, prices_key))
    if len(prices) != len(limits) + extra or np.any(np.diff(limits) <= 0):
        msg = (f"Scenario {prices_key} needs {len(limits) + extra} prices for the "
               f"{len(limits)} increasing limits of {limits_key}; it has {len(prices)}.")
        raise ScenarioError(msg)
    return limits, prices


def trench_cost_dkk_per_m(capacity_kw: np.ndarray, *, scenario: Scenario) -> np.ndarray:
    """Catalogue price per trench metre (DKK) of pipes of the given capacity (kW).

    The band is that of the capacity (``pipes.capacity_bands_kw``, upper limits; above the last
    band its price), at the scenario's area type.
    """
    limits, prices = _band_prices(scenario, "pipes.capacity_bands_kw",
                                  "pipes.trench_cost_eur_per_m", 0)
    return band_value(capacity_kw, limits, prices) * dkk_per_catalogue_eur(scenario)


def service_line_cost_dkk(peak_kw: np.ndarray, length_m: np.ndarray | None = None, *,
                          scenario: Scenario) -> np.ndarray:
    """Cost of each property's service line, DKK.

    ``catalogue``: the price per unit of the band of the property's peak load (15 m average
    length); ``all_in``: ``length_m`` × ``pipes.service_cost_dkk_per_m``.
    """
    peak = np.asarray(peak_kw, dtype=float)
    if cost_basis(scenario) == "all_in":
        length = np.zeros_like(peak) if length_m is None else np.asarray(length_m, float)
        return np.nan_to_num(length) * float(scenario.value("pipes.service_cost_dkk_per_m"))
    limits, prices = _band_prices(scenario, "pipes.service_line_bands_kw",
                                  "pipes.service_line_cost_eur", 1)
    return band_value(np.nan_to_num(peak), limits, prices) * dkk_per_catalogue_eur(scenario)


def station_cost_dkk(peak_kw: np.ndarray | float, *, scenario: Scenario) -> np.ndarray:
    """Cost of exchanger-station capacity for a peak (kW), DKK; nothing with ``all_in``.

    Below 1 MW at ``pipes.small_exchanger_station_eur_per_mw``, from 1 MW at
    ``pipes.exchanger_station_eur_per_mw`` (catalogue sheet 113_13 rows 37 and 29).
    """
    mw = np.asarray(peak_kw, dtype=float) / 1000.0
    if cost_basis(scenario) == "all_in":
        return np.zeros_like(mw)
    rate = np.where(mw < 1.0, float(scenario.value("pipes.small_exchanger_station_eur_per_mw")),
                    float(scenario.value("pipes.exchanger_station_eur_per_mw")))
    return mw * rate * dkk_per_catalogue_eur(scenario)


def size_pipes(peak_kw: np.ndarray, *, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Return the DN of the smallest pipe that carries ``peak_kw`` and its cost per metre.

    Loads above the largest pipe's capacity get the largest pipe (and a warning).
    """
    table = pipe_table(scenario)
    cap = table["capacity_kw"].to_numpy()
    i = np.searchsorted(cap, np.asarray(peak_kw, dtype=float), side="left")
    over = i >= len(cap)
    if over.any():
        logger.warning("%d trench segments carry more than the largest pipe's %.0f kW; they get "
                       "DN%d", int(over.sum()), cap[-1], table.index[-1])
    i = np.minimum(i, len(cap) - 1)
    return table.index.to_numpy()[i], table["cost_dkk_per_m"].to_numpy()[i]
