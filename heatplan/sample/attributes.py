"""Heating, ownership and connection status of the synthetic sample's properties.

The heating mix is drawn so that exactly :data:`TO_CONVERT` properties in the candidate
districts have individual gas or oil heating (the rollout's target, as classified by
:mod:`heatplan.model.heating`); candidate districts also hold heat pumps, electric heating, wood
stoves and a few properties already on district heating. Existing district-heating districts are
all on district heating; the individual districts are mostly oil and gas with some heat pumps.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from heatplan.core.errors import HeatplanError

logger = logging.getLogger(__name__)

TO_CONVERT = 7300
"""Properties with individual gas or oil heating in the candidate districts (Ballerup's figure)."""

CONVERT_SHARE = {"terraced": 0.90, "villa": 0.87, "loose_villa": 0.82, "sparse_villa": 0.76}
"""Share of a candidate district's private properties heated by gas or oil, by kind (assumption)."""

# (byg056, byg057, weight): individual gas and oil (Ballerup is mostly natural gas)
_CONVERT_MIX = (("2", "7", 0.80), ("8", "7", 0.03), ("6", "7", 0.02), ("2", "3", 0.13),
                ("6", "3", 0.02))
_OTHER_MIX = (("5", "1", 0.55), ("7", "1", 0.18), ("1", None, 0.14), ("3", "4", 0.09),
              ("2", "4", 0.04))
_INDIVIDUAL_MIX = (("2", "3", 0.42), ("2", "7", 0.33), ("5", "1", 0.15), ("3", "4", 0.05),
                   ("7", "1", 0.05))
_MUNICIPAL_CANDIDATE_MIX = (("2", "7", 0.80), ("2", "3", 0.04), ("5", "1", 0.10),
                            ("1", None, 0.06))

N_CONNECTED = 6
N_SIGNED_UP = 12
"""Properties of the phase-1 district already connected / signed up (for the yearly revision)."""


def _draw(rng: np.random.Generator, mix, n: int) -> tuple[np.ndarray, np.ndarray]:
    w = np.asarray([m[2] for m in mix])
    k = rng.choice(len(mix), n, p=w / w.sum())
    inst = np.asarray([m[0] for m in mix], dtype=object)[k]
    fuel = np.asarray([m[1] for m in mix], dtype=object)[k]
    return inst, fuel


def _largest_remainder(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` summing to ``total``, each at most ``caps``."""
    share = total * weights / weights.sum()
    k = np.minimum(np.floor(share).astype(int), caps)
    while k.sum() < total:
        room = caps - k
        if not (room > 0).any():
            break
        frac = np.where(room > 0, share - k, -np.inf)
        k[int(np.argmax(frac))] += 1
    return k


def assign_owner(props: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Ejerforholdskode by building role and use (codes as strings)."""
    n = len(props)
    owner = np.full(n, "10", dtype=object)
    code = props["bbr_use_code"].to_numpy()
    role = props["role"].to_numpy()
    block = code == "140"
    owner[block] = rng.choice(["20", "41", "30", "40"], block.sum(), p=[0.9, 0.05, 0.04, 0.01])
    business = np.isin(role, ["industry"]) | (
        (role == "block") & (code != "140")
    )
    owner[business] = rng.choice(["30", "10", "40"], business.sum(), p=[0.86, 0.08, 0.06])
    terr = code == "131"
    owner[terr] = rng.choice(["10", "41"], terr.sum(), p=[0.8, 0.2])
    owner[role == "social_row"] = "20"
    owner[role == "institution"] = "50"
    return pd.Series(owner, index=props.index, name="owner_type")


def _thin(members: np.ndarray, group: np.ndarray, n_drop: int,
          rng: np.random.Generator) -> np.ndarray:
    """Order ``members`` so that the last ``n_drop`` are the ones to leave out.

    Whole street sides are left out first (a street with houses on one side only, along a
    green), then single plots, so the thinning does not look moth-eaten.
    """
    groups, inverse, sizes = np.unique(group, return_inverse=True, return_counts=True)
    dropped = np.zeros(len(members), bool)
    left = n_drop
    for g in rng.permutation(len(groups)):
        if 0 < sizes[g] <= left:
            dropped[inverse == g] = True
            left -= sizes[g]
    rest = np.flatnonzero(~dropped)
    extra = rng.choice(rest, left, replace=False) if left > 0 else np.zeros(0, int)
    dropped[extra] = True
    keep_idx = rng.permutation(np.flatnonzero(~dropped))
    return np.concatenate([members[keep_idx], members[dropped]])


def assign_heating(
    props: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Return ``heating_installation``/``heating_fuel`` per property and a keep mask.

    ``props`` needs ``status``, ``kind``, ``district_id`` and ``owner_type``. Candidate
    districts' private properties are thinned (the mask) when there are more plots than the
    conversion target needs, so that exactly :data:`TO_CONVERT` properties are left to convert.
    """
    n = len(props)
    inst = np.full(n, "1", dtype=object)
    fuel = np.full(n, None, dtype=object)
    status = props["status"].to_numpy()
    municipal = (props["owner_type"] == "50").to_numpy()
    keep = np.ones(n, bool)

    ind = status == "individual"
    inst[ind], fuel[ind] = _draw(rng, _INDIVIDUAL_MIX, int(ind.sum()))

    cand = status == "candidate_dh"
    mc = cand & municipal
    inst[mc], fuel[mc] = _draw(rng, _MUNICIPAL_CANDIDATE_MIX, int(mc.sum()))
    m_conv = int(np.isin(fuel[mc], ["7", "3"]).sum())
    target = TO_CONVERT - m_conv

    private = np.flatnonzero(cand & ~municipal)
    districts = props["district_id"].to_numpy()[private]
    kinds = props["kind"].to_numpy()[private]
    ids, first, counts = np.unique(districts, return_index=True, return_counts=True)
    share = np.asarray([CONVERT_SHARE.get(k, 0.85) for k in kinds[first]])
    expected = float((share * counts).sum())
    if expected >= target:
        # thin each district to the size that gives the target
        keep_n = np.minimum(np.ceil(counts * target / expected).astype(int) + 1, counts)
        convert_n = _largest_remainder(target, share * keep_n, keep_n)
    elif len(private) >= target:
        # a layout with few plots (another seed): keep every plot, more gas and oil per district
        keep_n = counts
        convert_n = _largest_remainder(target, share * counts, counts)
        logger.warning("Few candidate plots for this seed: %.0f %% of the private properties in "
                       "candidate districts heat with gas or oil", 100.0 * target / len(private))
    else:
        msg = (f"The sample layout of this seed has too few candidate plots: {len(private)} "
               f"private properties, {target} to convert needed. Choose another --seed.")
        raise HeatplanError(msg)
    street_side = (props["line"].astype(str) + "/" + props["side"].astype(str)).to_numpy()
    for d, kn, cn in zip(ids, keep_n, convert_n, strict=True):
        members = private[districts == d]
        chosen = _thin(members, street_side[members], len(members) - kn, rng)
        keep[chosen[kn:]] = False
        conv, other = chosen[:cn], chosen[cn:kn]
        inst[conv], fuel[conv] = _draw(rng, _CONVERT_MIX, len(conv))
        inst[other], fuel[other] = _draw(rng, _OTHER_MIX, len(other))
    logger.debug("Candidate districts: %d private plots, %d kept, %d to convert + %d municipal",
                 len(private), int(keep[private].sum()), target, m_conv)
    out = pd.DataFrame({"heating_installation": inst, "heating_fuel": fuel}, index=props.index)
    return out, keep


def assign_connection_status(
    props: pd.DataFrame, phase1_district: str, rng: np.random.Generator
) -> pd.Series:
    """A few ``connected`` and ``signed_up`` properties to convert in the phase-1 district."""
    status = pd.Series(None, index=props.index, dtype=object, name="connection_status")
    gas_oil = props["heating_fuel"].isin(["7", "3"]) & props["heating_installation"].isin(
        ["2", "6", "8"]
    )
    pool = np.flatnonzero((props["district_id"] == phase1_district).to_numpy() & gas_oil)
    chosen = rng.choice(pool, N_CONNECTED + N_SIGNED_UP, replace=False)
    status.iloc[chosen[:N_CONNECTED]] = "connected"
    status.iloc[chosen[N_CONNECTED:]] = "signed_up"
    return status
