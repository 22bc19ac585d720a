"""Pipe sizing and cost: simultaneity, the DN table, cost per trench metre and service pipe.

Each trench segment carries the peak load of the consumers downstream of it times a
simultaneity factor g(n) that falls with the number n of consumers (Winter et al. 2001, an
assumption: the Danish F&U values were not retrieved, domain.md §5.4). The smallest standard
twin pre-insulated pipe whose capacity at the design temperature difference and maximum
velocity covers that load is chosen. Costs per trench metre by DN and per metre of service pipe
come from the scenario (``[pipes.*]`` in ``heatplan/scenario/network.toml``).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario

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


def pipe_table(scenario: Scenario) -> pd.DataFrame:
    """Return the standard pipes: index ``dn``; ``inner_diameter_mm``, ``max_velocity_m_s``,
    ``capacity_kw`` (at the design ΔT) and ``cost_dkk_per_m`` (per trench metre).

    Raises
    ------
    ScenarioError
        If the ``pipes.*`` lists differ in length or are not increasing.
    """
    p = scenario.section("pipes")
    cols = {
        "inner_diameter_mm": p["inner_diameter_mm"],
        "max_velocity_m_s": p["max_velocity_m_s"],
        "cost_dkk_per_m": p["trench_cost_dkk_per_m"],
    }
    dn = np.asarray(p["dn"], dtype=int)
    for name, values in cols.items():
        if len(values) != len(dn):
            key = "trench_cost_dkk_per_m" if name == "cost_dkk_per_m" else name
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
    return table


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
