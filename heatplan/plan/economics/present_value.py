"""Present values the Danish way: the stepped calculation rate, annuities, reinvestment and scrap.

Energistyrelsen's *Vejledning i samfundsøkonomiske analyser på energiområdet* (2021) discounts
at the Finance Ministry's rate: 3.5 % a year for years 0–35, 2.5 % for years 36–70 and 1.5 %
after (fm.dk, 22 Jun 2023; scenario ``economics.discount_rate``, ``discount_rate_later``,
``discount_rate_step_years``). A flow in year ``t`` (0 = the first year of the study period) is
worth ``D(t)`` today with

    D(t) = Π_{k=1..t} 1 / (1 + r(k)),   r(k) the rate of the step year k lies in.

Investments are made at the start of their year; a unit whose lifetime ends inside the study
period is bought again at that year's price; at the end of the period (year ``N``) each unit
still in use is worth its price × remaining life / lifetime (linear scrap value), counted at
``D(N)`` as a negative cost.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario


def discount_factors(n_years: int, rate: float, later: Sequence[float] = (),
                     steps: Sequence[int] = ()) -> np.ndarray:
    """``D(0) … D(n_years)``: the present value of 1 DKK in each year.

    The rate of year ``k`` (the step from ``k − 1`` to ``k``) is ``rate`` while ``k ≤ steps[0]``,
    then ``later[0]`` while ``k ≤ steps[1]``, and so on.

    Examples
    --------
    >>> round(float(discount_factors(36, 0.035, [0.025], [35])[36]), 6)  # 1.035^-35 / 1.025
    0.29266
    """
    if len(later) != len(steps):
        msg = ("economics.discount_rate_later and economics.discount_rate_step_years need as "
               f"many values each; they have {len(later)} and {len(steps)}.")
        raise ScenarioError(msg)
    k = np.arange(1, n_years + 1)
    rates = np.full(n_years, float(rate))
    for step, later_rate in zip(steps, later, strict=True):
        rates[k > int(step)] = float(later_rate)
    return np.concatenate([[1.0], np.cumprod(1.0 / (1.0 + rates))])


def scenario_discount_factors(scenario: Scenario, n_years: int) -> np.ndarray:
    """:func:`discount_factors` with the scenario's calculation rates."""
    return discount_factors(n_years, float(scenario.value("economics.discount_rate")),
                            list(scenario.value("economics.discount_rate_later")),
                            list(scenario.value("economics.discount_rate_step_years")))


def annuity_factor(rate: float, years: float) -> float:
    """Return the share of an investment paid back each year (rate per year, years > 0).

    Examples
    --------
    >>> round(annuity_factor(0.0, 20), 3), round(annuity_factor(0.035, 15), 4)
    (0.05, 0.0868)
    """
    if years <= 0 or rate <= -1:
        msg = (f"A lifetime of {years} years at a rate of {rate} has no annuity; set lifetimes "
               "above 0 and rates above -1 in the scenario.")
        raise ScenarioError(msg)
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)


def asset_flows(units: np.ndarray, unit_cost: np.ndarray, lifetime: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Investment flows with reinvestment, and the scrap value at the end of the period.

    Parameters
    ----------
    units
        (rows × N) units bought in each year of the study period (fractions allowed).
    unit_cost
        (rows × N) or (N,) price of one unit in each year, DKK.
    lifetime
        Years a unit lasts.

    Returns
    -------
    flows, scrap
        ``flows`` (rows × N): money spent each year, first purchases and reinvestments;
        ``scrap`` (rows,): the value at year N of the units still in use (linear), DKK.

    Examples
    --------
    >>> f, s = asset_flows(np.array([[1.0, 0.0, 0.0, 0.0]]), np.array([100.0] * 4), 3)
    >>> f.tolist(), s.round(2).tolist()  # bought in 0, again in 3; in year 4, 2 of 3 are left
    ([[100.0, 0.0, 0.0, 100.0]], [66.67])
    """
    if lifetime < 1:
        msg = f"A lifetime of {lifetime} years cannot be; set lifetimes of at least 1 year."
        raise ScenarioError(msg)
    units = np.atleast_2d(np.asarray(units, dtype=float))
    rows, n = units.shape
    cost = np.broadcast_to(np.asarray(unit_cost, dtype=float), (rows, n))
    flows = np.zeros((rows, n))
    scrap = np.zeros(rows)
    for start in range(n):
        bought = units[:, start]
        if not bought.any():
            continue
        years = np.arange(start, n, lifetime)
        flows[:, years] += bought[:, None] * cost[:, years]
        last = years[-1]
        remaining = lifetime - (n - last)
        scrap += bought * cost[:, last] * max(remaining, 0) / lifetime
    return flows, scrap


def present_value(flows: np.ndarray, factors: np.ndarray, scrap: np.ndarray | None = None
                  ) -> np.ndarray:
    """Σ_t flows[t] × D(t), less the scrap value × D(N); one value per row.

    Examples
    --------
    >>> present_value(np.array([[100.0, 100.0]]), np.array([1.0, 0.5, 0.25]),
    ...               np.array([40.0])).tolist()
    [140.0]
    """
    flows = np.atleast_2d(np.asarray(flows, dtype=float))
    n = flows.shape[1]
    value = flows @ factors[:n]
    if scrap is not None:
        value = value - np.asarray(scrap, dtype=float) * factors[n]
    return value
