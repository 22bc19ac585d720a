"""The heat production cost of each district: the cost of the source that feeds it.

``economics.heat_production_cost_dkk_per_mwh`` is the cost of every source;
``economics.heat_production_cost_by_source_dkk_per_mwh`` overrides it per feed (a heat
source's ``source_id`` or ``existing_network``), each a number or a year series, DKK per MWh at
the plant. A district takes the cost of the root of its ``district_feed.fed_from`` chain
(district → district → … → a source or ``existing_network``).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario
from heatplan.core.scenario_check import fmt, is_number, is_year_series

logger = logging.getLogger(__name__)

DEFAULT_KEY = "economics.heat_production_cost_dkk_per_mwh"
BY_SOURCE_KEY = "economics.heat_production_cost_by_source_dkk_per_mwh"


def feed_roots(fed_from: pd.Series) -> pd.Series:
    """The feed at the root of each district's ``fed_from`` chain (index ``district_id``).

    A label that is not a district id (a ``source_id`` or ``existing_network``) is a root;
    an empty feed or a cycle gives NA (the default cost applies).
    """
    parent = {str(d): (None if pd.isna(f) or str(f) == "" else str(f))
              for d, f in fed_from.items()}
    roots = {}
    for district in parent:
        seen, label = {district}, parent[district]
        while label is not None and label in parent:
            if label in seen:  # a cycle: no source at its root
                label = None
                break
            seen.add(label)
            label = parent[label]
        roots[district] = label
    return pd.Series(roots, dtype=object).reindex(fed_from.index.astype(str)).set_axis(
        fed_from.index).astype("string")


def source_costs(scenario: Scenario) -> dict[str, object]:
    """The scenario's costs per feed, checked: each a number or a year series."""
    table = scenario.value(BY_SOURCE_KEY) or {}
    bad = [k for k, v in table.items() if not (is_number(v) or is_year_series(v))]
    if bad:
        msg = (f"Scenario parameter {BY_SOURCE_KEY}: the entry for {', '.join(map(str, bad))} "
               f"({', '.join(fmt(table[k]) for k in bad)}) is not a number or a year series "
               "of DKK per MWh; write e.g. S1 = 250 or S1 = { 2025 = 300, 2035 = 220 }.")
        raise ScenarioError(msg)
    return dict(table)


def check_sources(scenario: Scenario, roots: pd.Series) -> list[str]:
    """Keys of the cost table that feed no district (a typo or an unused source): warned."""
    known = set(roots.dropna().astype(str))
    unused = sorted(str(k) for k in source_costs(scenario) if str(k) not in known)
    if unused:
        logger.warning(
            "%s names %s, which feed(s) no district of the routed network (feeds in use: %s); "
            "check the ids against the heat_sources layer's source_id or existing_network.",
            BY_SOURCE_KEY, ", ".join(unused), ", ".join(sorted(known)) or "none")
    return unused


def production_cost_by_year(scenario: Scenario, roots: pd.Series, years: list[int]
                            ) -> np.ndarray:
    """(districts × years) heat production cost, DKK per MWh at the plant."""
    table = source_costs(scenario)
    default = scenario.by_year(DEFAULT_KEY, years)
    out = np.tile(default, (len(roots), 1))
    for label, cost in table.items():
        rows = roots.astype(object).eq(str(label)).fillna(False).to_numpy(dtype=bool)
        if rows.any():
            out[rows] = scenario.with_values(**{DEFAULT_KEY.replace(".", "__"): cost}
                                             ).by_year(DEFAULT_KEY, years)
    return out
