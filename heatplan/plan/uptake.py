"""Take-up of district heating after the works in a district end, and each property's years.

No connection obligation can be imposed in Denmark (domain.md §5.5), so not every property in a
district-heating district connects. The take-up ramp (scenario ``uptake.*``) gives the cumulative
share of a district's properties to convert that are connected ``k`` years after its works end
(``k = 0`` is the end year itself): ``first_year_share`` at ``k = 0``, rising linearly to
``final_share`` after ``ramp_years`` more years.

Everything here is deterministic: districts get expected (fractional) connections per year, and
each property gets an expected connection year by a fixed order within its district (already
connected and signed-up properties first, then the municipality's own buildings, then larger
heat demand first, then ``property_id``); the properties past the final share get no connection
year (offered, not expected to connect).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd

from heatplan.core.scenario import Scenario

logger = logging.getLogger(__name__)

MUNICIPAL_OWNER_TYPE = "50"


def takeup_curve(
    n_years: int,
    *,
    first_year_share: float,
    final_share: float,
    ramp_years: int,
) -> np.ndarray:
    """Return the cumulative connected share ``k = 0 .. n_years-1`` years after the works end.

    Parameters
    ----------
    n_years
        Length of the curve (years).
    first_year_share
        Share connected in the year the works end (0–1).
    final_share
        Share connected in the long run (0–1, at least ``first_year_share``).
    ramp_years
        Years after the first in which the share rises linearly to ``final_share``.

    Examples
    --------
    >>> takeup_curve(6, first_year_share=0.5, final_share=0.8, ramp_years=3).round(2).tolist()
    [0.5, 0.6, 0.7, 0.8, 0.8, 0.8]
    """
    if not 0.0 <= first_year_share <= final_share <= 1.0:
        msg = (
            f"Take-up shares must satisfy 0 ≤ uptake.first_year_share ({first_year_share}) ≤ "
            f"uptake.final_share ({final_share}) ≤ 1; fix the scenario."
        )
        from heatplan.core.errors import ScenarioError

        raise ScenarioError(msg)
    k = np.arange(max(int(n_years), 0), dtype=float)
    if ramp_years <= 0:
        return np.where(k >= 0, final_share, 0.0)
    return np.minimum(first_year_share + (final_share - first_year_share) * k / ramp_years,
                      final_share)


def scenario_curve(scenario: Scenario, n_years: int, *, final_share: float | None = None
                   ) -> np.ndarray:
    """Return :func:`takeup_curve` with the scenario's ``uptake.*`` values.

    ``final_share`` replaces ``uptake.final_share`` and scales the first-year share by the same
    factor (for the 60/80/100 % sensitivity).
    """
    first = float(scenario.value("uptake.first_year_share"))
    final = float(scenario.value("uptake.final_share"))
    if final_share is not None:
        first = first * float(final_share) / final if final > 0 else float(final_share)
        final = float(final_share)
    return takeup_curve(n_years, first_year_share=first, final_share=final,
                        ramp_years=int(scenario.value("uptake.ramp_years")))


def expected_connections(
    n_to_convert: pd.Series,
    end_year: pd.Series,
    years: Iterable[int],
    curve: np.ndarray,
) -> pd.DataFrame:
    """Return expected new connections per district and year (fractional, deterministic).

    Parameters
    ----------
    n_to_convert
        Properties to convert per district (index ``district_id``).
    end_year
        Year the works in each district end (nullable; districts without a year connect nothing).
    years
        The years wanted.
    curve
        Cumulative take-up shares (:func:`takeup_curve`), long enough for ``years``.

    Returns
    -------
    connections
        Index ``district_id``, one column per year: expected new connections in that year.
        Where works ended before the first year, the take-up due by then is booked in the
        first year.
    """
    years = [int(y) for y in years]
    n = n_to_convert.astype(float)
    end = pd.to_numeric(end_year.reindex(n.index), errors="coerce").to_numpy(dtype=float)
    cum = np.concatenate([[0.0], np.asarray(curve, dtype=float)])
    out = np.zeros((len(n), len(years)))
    for j, year in enumerate(years):
        k = year - end  # years since the works ended (NaN where unscheduled)
        valid = ~np.isnan(k) & (k >= 0)
        inside = valid & (k <= len(curve) - 1)  # beyond the curve's end nothing new connects
        ki = np.where(inside, k, 0).astype(int)
        out[:, j] = n.to_numpy() * np.where(inside, cum[ki + 1] - cum[ki], 0.0)
    if years:
        # works that ended before the first year: the take-up due by then, which has not
        # happened (n counts properties not yet connected), is booked in the first year
        before = years[0] - end
        due = ~np.isnan(before) & (before > 0)
        bi = np.where(due, np.minimum(before, len(curve)), 0).astype(int)
        out[:, 0] += n.to_numpy() * np.where(due, cum[bi], 0.0)
    return pd.DataFrame(out, index=n.index, columns=pd.Index(years, name="year"))


def _connection_order(properties: pd.DataFrame) -> pd.DataFrame:
    status = properties.get("connection_status", pd.Series("", index=properties.index))
    status = status.astype("string").fillna("")
    owner = properties.get("owner_type", pd.Series("", index=properties.index))
    owner = owner.astype("string").fillna("")
    rank = np.select(
        [status.eq("connected"), status.eq("signed_up"), owner.eq(MUNICIPAL_OWNER_TYPE)],
        [0, 1, 2], default=3,
    )
    demand = properties.get("heat_demand_mwh_a", pd.Series(0.0, index=properties.index))
    return pd.DataFrame(
        {"rank": rank, "neg_demand": -demand.astype(float).to_numpy(),
         "pid": properties.index.astype(str)},
        index=properties.index,
    ).sort_values(["rank", "neg_demand", "pid"], kind="mergesort")


def property_connection_years(
    properties: pd.DataFrame,
    end_year: pd.Series,
    curve: np.ndarray,
    *,
    min_year: int | None = None,
) -> pd.Series:
    """Return each property's deterministic expected connection year.

    Parameters
    ----------
    properties
        Index ``property_id``; ``district_id`` and, optionally, ``connection_status``,
        ``owner_type``, ``heat_demand_mwh_a``, ``connection_year`` (kept for ``connected`` rows).
        Only the properties that are offered district heating.
    end_year
        Year the works end, per district (index ``district_id``).
    curve
        Cumulative take-up shares (:func:`takeup_curve`).
    min_year
        No property that is not yet ``connected`` gets a year before this one (a yearly
        revision: the past cannot be planned).

    Returns
    -------
    connection_year
        ``Int64`` Series indexed like ``properties``; empty for the properties not expected to
        connect (beyond the final share, or ``declined``).

    Notes
    -----
    Within each district the first ``round(n × curve[0])`` (half up) properties in
    connection order get the end year, the next ``round(n × curve[1]) - round(n × curve[0])``
    the year after, and so on, so the counts follow the expected values to within rounding.
    ``signed_up`` properties connect in the end year (or the first year allowed by the
    curve); ``declined`` never.
    """
    result = pd.Series(pd.NA, index=properties.index, dtype="Int64", name="connection_year")
    if properties.empty:
        return result
    status = properties.get("connection_status", pd.Series("", index=properties.index))
    status = status.astype("string").fillna("")
    declined = status.eq("declined")
    ends = pd.to_numeric(end_year, errors="coerce")
    cum = np.asarray(curve, dtype=float)
    for district_id, group in properties[~declined].groupby("district_id", sort=True):
        end = ends.get(district_id, np.nan)
        if pd.isna(end):
            continue
        ordered = _connection_order(group).index
        n = len(properties[properties["district_id"] == district_id])  # declined count in n
        counts = np.floor(n * cum + 0.5 + 1e-9).astype(int)  # half up, not to even
        counts = np.maximum.accumulate(np.minimum(counts, len(ordered)))
        years = np.full(len(ordered), -1, dtype=int)
        start = 0
        for k, stop in enumerate(counts):
            years[start:stop] = int(end) + k
            start = max(start, stop)
        values = pd.Series(years, index=ordered)
        # signed-up properties connect no later than the first year of the ramp they can
        signed = status.reindex(ordered).eq("signed_up").to_numpy()
        values[signed & (values.to_numpy() < 0)] = int(end)
        result.loc[ordered] = values.where(values >= 0, pd.NA).astype("Int64")
    if min_year is not None:
        early = result.notna() & (result < int(min_year)) & ~status.eq("connected")
        result[early] = int(min_year)
    if "connection_year" in properties.columns:
        kept = pd.to_numeric(properties["connection_year"], errors="coerce")
        fixed = status.eq("connected") & kept.notna()
        result[fixed] = kept[fixed].astype("Int64")
    logger.info(
        "Expected connection years for %d of %d offered properties", int(result.notna().sum()),
        len(result),
    )
    return result


def property_years(
    properties: pd.DataFrame,
    schedule: pd.DataFrame,
    *,
    scenario: Scenario,
    curve: np.ndarray | None = None,
    min_year: int | None = None,
) -> pd.DataFrame:
    """Return the plan years of the properties offered district heating.

    Parameters
    ----------
    properties
        Offered properties, index ``property_id``; ``district_id`` (and the optional columns of
        :func:`property_connection_years`).
    schedule
        Index ``district_id``; ``phase``, ``start_year``, ``end_year``.
    scenario
        Supplies ``phasing.offer_lead_years`` and ``uptake.*``.
    curve
        Cumulative take-up shares; the scenario's when None.
    min_year
        Earliest connection year of a property not yet connected (yearly revision).

    Returns
    -------
    years
        Index ``property_id``: ``phase``, ``offer_year`` (``start_year`` minus the offer lead),
        ``construction_start_year``, ``construction_end_year``, ``connection_year`` (all Int64).
    """
    if curve is None:
        curve = scenario_curve(scenario, 60)
    lead = int(scenario.value("phasing.offer_lead_years"))
    district = properties["district_id"]
    start = pd.to_numeric(district.map(schedule["start_year"]), errors="coerce")
    out = pd.DataFrame(index=properties.index)
    out["phase"] = pd.to_numeric(district.map(schedule["phase"]), errors="coerce").astype("Int64")
    offer = start - lead
    if min_year is not None:
        # mains laid before the plan period: the rest of the district is offered at once
        end = pd.to_numeric(district.map(schedule["end_year"]), errors="coerce")
        status = properties.get("connection_status", pd.Series("", index=properties.index))
        waiting = ~status.astype("string").fillna("").isin(["connected", "signed_up"])
        offer = offer.where(~(start.isna() & (end < min_year) & waiting), float(min_year))
    out["offer_year"] = offer.astype("Int64")
    out["construction_start_year"] = start.astype("Int64")
    out["construction_end_year"] = pd.to_numeric(
        district.map(schedule["end_year"]), errors="coerce").astype("Int64")
    out["connection_year"] = property_connection_years(
        properties, schedule["end_year"], curve, min_year=min_year
    )
    return out
