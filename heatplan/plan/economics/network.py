"""The routed network as the economics see it: segment costs, feeder sharing, sunk mains, works.

Feeder mains (``trenches.is_feeder``) are shared out among the districts whose heat flows
through them, in proportion to their expected heat demand (equally where none has any), so
every trench metre, krone and MWh lost is counted once. Mains built before the plan's first
year (:func:`sunk_segments`) are money already spent: the comparison leaves their cost out and
shows it apart as "already built" (Samfundsøkonomiske beregningsforudsætninger 2019 §2.2,
domain.md §5.6); their heat loss still counts, as it lies ahead.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable

import numpy as np
import pandas as pd

from heatplan.core.errors import StageContractError
from heatplan.core.scenario import Scenario
from heatplan.plan.economics.codes import DISTRICT_HEATING, EXISTING
from heatplan.plan.network.pipes import pipe_table

logger = logging.getLogger(__name__)


def trench_costs(trenches: pd.DataFrame, *, scenario: Scenario) -> pd.Series:
    """Cost of each trench segment in DKK: length × the price per metre of its ``dn``.

    The price follows ``pipes.cost_basis`` (:func:`heatplan.plan.network.pipes.pipe_table`);
    a table without ``dn`` (hand-made) keeps its ``cost_dkk``.
    """
    if "dn" in trenches.columns:
        per_m = pipe_table(scenario)["cost_dkk_per_m"]
        dn = pd.to_numeric(trenches["dn"], errors="coerce")
        return (trenches["length_m"].astype(float) * dn.map(per_m)).rename("cost_dkk")
    if "cost_dkk" in trenches.columns:
        return trenches["cost_dkk"].astype(float)
    msg = "The trenches have neither dn nor cost_dkk; routing (plan/network/routing.py) adds dn."
    raise StageContractError(msg)


def is_feeder(trenches: pd.DataFrame) -> pd.Series:
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
    """``{segment: the segment feeding it}`` from ``upstream_segment`` (empty without it)."""
    if "upstream_segment" not in trenches.columns:
        return {}
    up = trenches["upstream_segment"]
    known = up.notna() & up.isin(trenches.index)
    return dict(zip(trenches.index[known], up[known], strict=True))


def segment_depths(pieces: pd.Index, parent: dict) -> dict:
    """Number of pieces between each piece and its feed point (0 at a feed point).

    >>> segment_depths(pd.Index(["c", "b", "a"]), {"b": "a", "c": "b"})
    {'a': 0, 'b': 1, 'c': 2}
    """
    depth: dict = {}
    for seg in pieces:
        chain, node = [], seg
        while node is not None and node not in depth and node not in chain:
            chain.append(node)
            node = parent.get(node)
        base = depth.get(node, -1) if node is not None else -1
        for k, c in enumerate(reversed(chain)):
            depth[c] = base + 1 + k
    return depth


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


def share_by_district(trenches: pd.DataFrame, values: pd.DataFrame, weight: pd.Series
                      ) -> pd.DataFrame:
    """Sum per-segment ``values`` to districts: own segments whole, feeders shared by weight.

    Parameters
    ----------
    trenches
        Index ``segment_id``; ``district_id``, optional ``is_feeder``, ``upstream_segment``.
    values
        Index ``segment_id``: the quantities to share (metres, DKK, MWh/a …).
    weight
        Index ``district_id``: each district's share key (expected heat, MWh/a).

    Returns
    -------
    shares
        Index ``weight.index``, ``own_<column>`` and ``feeder_<column>`` per column of
        ``values``.
    """
    feeder = is_feeder(trenches)
    own = ~feeder
    out = pd.DataFrame(index=weight.index)
    users = segment_users(trenches)
    pairs = pd.DataFrame(
        [(seg, d) for seg in trenches.index[feeder] for d in sorted(users.get(seg, ()), key=str)
         if d in weight.index],
        columns=["segment_id", "district_id"])
    pairs["w"] = weight.reindex(pairs["district_id"]).to_numpy(dtype=float)
    total_w = pairs.groupby("segment_id")["w"].transform("sum")
    n_users = pairs.groupby("segment_id")["w"].transform("size")
    share = np.where(total_w > 0, pairs["w"] / total_w.where(total_w > 0, 1.0), 1.0 / n_users)
    for col in values.columns:
        v = values[col].astype(float)
        out[f"own_{col}"] = v[own].groupby(trenches.loc[own, "district_id"]).sum().reindex(
            out.index, fill_value=0.0)
        part = v.reindex(pairs["segment_id"]).to_numpy(dtype=float) * share
        out[f"feeder_{col}"] = pd.Series(part).groupby(pairs["district_id"].to_numpy()).sum(
            ).reindex(out.index, fill_value=0.0)
    return out


def sunk_segments(trenches: pd.DataFrame, done: Iterable) -> pd.Series:
    """True for segments already built before the plan's first year.

    ``done`` are the districts whose works ended before it (a revision's fixed districts, or
    districts with connected properties): their own segments and every segment upstream of
    them (the heat reached them through those).
    """
    done = set(done)
    own = trenches["district_id"].isin(done)
    up = _ancestors(trenches.index[own], segment_parent(trenches))
    return (own | trenches.index.isin(list(up))).rename("is_sunk")


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
        Index ``district_id``; ``recommendation``, ``fed_from``.
    trenches
        Index ``segment_id``; ``length_m``, ``district_id``, optional ``is_feeder``,
        ``upstream_segment``.

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
    built |= t["district_id"].isin(list(carries)) & is_feeder(t)
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
