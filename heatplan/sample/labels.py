"""Energy labels (energimærker) and improvement proposals of the synthetic sample, EMO-style.

Every municipal building has a label (about 60 % D or worse, some expired); a realistic share of
private homes, most apartment blocks and half the businesses have one too. Each label's
calculated heat is consistent with its class at its heated area on the 2018 scale
(domain.md §2.1): the label's primary energy per m² lies inside the class band, and delivered
heat = primary energy × area × conversion, where the conversion undoes the primary-energy
factor and the heating efficiency (gas boiler 0.90, oil boiler 0.80 [domain.md §3.1, 3P];
district heating factor 0.85; electricity factor 1.9 with heat-pump SCOP 3.3 [domain.md §2.1,
§3.1]). Proposals (2–6 per label) carry Danish descriptions, investment (DKK), annual saving
(DKK/year), heat saved (kWh/year), lifetime (years) and profitability (simple payback within
the lifetime, domain.md §2.2).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from heatplan.core.schema import LABEL_CLASSES, RESIDENTIAL_USE_CODES
from heatplan.model.heating import classify_heating

# 2018 scale upper limits: (constant kWh/m², kWh per area) for residential and other buildings
_LIMITS_RESIDENTIAL = {
    "A2020": (27.0, 0.0), "A2015": (30.0, 1000.0), "A2010": (52.5, 1650.0),
    "B": (70.0, 2200.0), "C": (110.0, 3200.0), "D": (150.0, 4200.0), "E": (190.0, 5200.0),
    "F": (240.0, 6500.0),
}
_LIMITS_OTHER = {
    "A2020": (33.0, 0.0), "A2015": (41.0, 1000.0), "A2010": (71.3, 1650.0),
    "B": (95.0, 2200.0), "C": (135.0, 3200.0), "D": (175.0, 4200.0), "E": (215.0, 5200.0),
    "F": (265.0, 6500.0),
}

HEAT_PER_PRIMARY = {
    "natural_gas": 0.90, "oil": 0.80, "district_heating": 1.0 / 0.85,
    "heat_pump": 3.3 / 1.9, "electric": 1.0 / 1.9, "solid_fuel": 0.70, "other": 0.80,
    "none": 1.0,
}
"""Delivered heat per kWh of label primary energy by heating type (see module docstring)."""

HEAT_PRICE_DKK_KWH = {
    "natural_gas": 1.05, "oil": 1.45, "district_heating": 0.75, "heat_pump": 0.70,
    "electric": 2.30, "solid_fuel": 0.60, "other": 1.0, "none": 1.0,
}
"""Price of one kWh of delivered heat by heating type, DKK (assumption: typical 2024–25
consumer prices incl. taxes divided by efficiency; used only for the synthetic proposals)."""

HEAT_SUPPLY_TEXT = {
    "natural_gas": "Naturgas", "oil": "Fyringsolie", "district_heating": "Fjernvarme",
    "heat_pump": "Varmepumpe", "electric": "El", "solid_fuel": "Træ", "other": "Andet",
    "none": "Ingen",
}

# class probabilities (A2010, B, C, D, E, F, G) by group
_CLASS_P = {
    "house_old": (0.00, 0.01, 0.10, 0.32, 0.31, 0.17, 0.09),
    "house_60s": (0.00, 0.03, 0.20, 0.40, 0.24, 0.10, 0.03),
    "house_new": (0.02, 0.08, 0.45, 0.33, 0.10, 0.02, 0.00),
    # heat pumps: the el factor 1.9 over SCOP 3.3 puts a house heated with 70–150 kWh/m² in
    # A2010 or B
    "heat_pump": (0.45, 0.45, 0.10, 0.00, 0.00, 0.00, 0.00),
    "electric": (0.00, 0.00, 0.00, 0.05, 0.20, 0.40, 0.35),
    "block": (0.00, 0.15, 0.50, 0.28, 0.06, 0.01, 0.00),
    "business": (0.02, 0.10, 0.35, 0.33, 0.14, 0.05, 0.01),
}
_CLASSES7 = ("A2010", "B", "C", "D", "E", "F", "G")

MUNICIPAL_D_OR_WORSE = 0.60
"""Share of municipal labels in class D or worse (Ballerup's climate plan: 60 %)."""

# description, basis, cost per unit (DKK), saving share range, lifetime (years), who
_MEASURES = (
    ("Efterisolering af loft til 300 mm mineraluld", "roof", 300.0, (0.05, 0.12), 40, "all"),
    ("Udskiftning af vinduer til 3-lags energiruder", "window", 6500.0, (0.06, 0.12), 30, "all"),
    ("Hulmursisolering af ydervægge med granulat", "wall", 160.0, (0.07, 0.14), 40, "all"),
    ("Udvendig efterisolering af ydervægge (facaderenovering)", "wall", 1700.0, (0.10, 0.20),
     40, "all"),
    ("Isolering af varmerør og ventiler i uopvarmede rum", "pipe", 1.0, (0.015, 0.04), 30,
     "all"),
    ("Ventilationsanlæg med varmegenvinding", "area", 700.0, (0.08, 0.18), 20, "other"),
    ("Efterisolering af terrændæk/krybekælder", "roof", 420.0, (0.03, 0.07), 40, "all"),
    ("Tætning af vinduer og yderdøre", "area", 45.0, (0.02, 0.04), 10, "all"),
    ("Efterisolering af fladt tag ved tagrenovering", "roof", 950.0, (0.05, 0.11), 40, "other"),
    ("Ny cirkulationspumpe og indregulering af varmeanlæg", "pipe", 1.4, (0.02, 0.05), 15,
     "all"),
    ("Udskiftning af yderdøre til isolerede døre", "door", 1.0, (0.01, 0.03), 30, "house"),
)


def class_limits(
    label_class: np.ndarray, area: np.ndarray, residential: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper primary-energy limits (kWh/m² per year) of each label's class.

    The lower limit is the next better class's upper limit (60 % of A2020's limit for A2020);
    class G, which has no upper limit, is given a band up to 35 % above F's limit.
    """
    lo = np.zeros(len(area))
    hi = np.zeros(len(area))
    for i, c in enumerate(label_class):
        table = _LIMITS_RESIDENTIAL if residential[i] else _LIMITS_OTHER
        k = LABEL_CLASSES.index(c)
        if c == "G":
            a, b = table["F"]
            lo[i] = a + b / area[i]
            hi[i] = 1.35 * lo[i]
            continue
        a, b = table[c]
        hi[i] = a + b / area[i]
        if k == 0:
            lo[i] = 0.6 * hi[i]
        else:
            a, b = table[LABEL_CLASSES[k - 1]]
            lo[i] = a + b / area[i]
    return lo, hi


def _class_quota(rng, n: int, p: np.ndarray, bad_share: float) -> np.ndarray:
    """Classes for ``n`` labels with exactly round(bad_share × n) in D or worse."""
    n_bad = round(bad_share * n)
    good_p, bad_p = p[:3] / p[:3].sum(), p[3:] / p[3:].sum()
    classes = np.concatenate([
        np.asarray(_CLASSES7[:3], dtype=object)[rng.choice(3, n - n_bad, p=good_p)],
        np.asarray(_CLASSES7[3:], dtype=object)[rng.choice(4, n_bad, p=bad_p)],
    ])
    return rng.permutation(classes)


def make_labels(
    props: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the labels and proposals tables for ``props`` (indexed by ``property_id``).

    ``props`` needs ``bbr_use_code``, ``year_built``, ``heated_area_m2``, ``owner_type``,
    ``heating_installation``, ``heating_fuel`` and ``role``.
    """
    heating = classify_heating(props["heating_installation"], props["heating_fuel"]).to_numpy()
    code = props["bbr_use_code"].to_numpy()
    role = props["role"].to_numpy()
    municipal = (props["owner_type"] == "50").to_numpy()
    house = np.isin(code, ["110", "120", "121", "131", "132"])
    n = len(props)
    u = rng.random(n)
    labelled = municipal | (house & (u < 0.36)) | ((code == "140") & (u < 0.85)) | (
        np.isin(role, ["industry", "block"]) & (code != "140") & (u < 0.5)
    )
    idx = np.flatnonzero(labelled)
    year = props["year_built"].to_numpy()[idx]
    group = np.where(
        code[idx] == "140", "block",
        np.where(house[idx], np.where(year < 1960, "house_old",
                                      np.where(year < 1979, "house_60s", "house_new")),
                 "business"))
    hp = heating[idx] == "heat_pump"
    el = heating[idx] == "electric"
    group = np.where(hp, "heat_pump", np.where(el, "electric", group))
    classes = np.empty(len(idx), dtype=object)
    for g in np.unique(group):
        sel = (group == g) & ~municipal[idx]
        p = np.asarray(_CLASS_P[g])
        classes[sel] = np.asarray(_CLASSES7, dtype=object)[rng.choice(7, sel.sum(), p=p / p.sum())]
    mun = municipal[idx]
    quota = _class_quota(rng, int(mun.sum()), np.asarray(_CLASS_P["business"]),
                         MUNICIPAL_D_OR_WORSE)
    # the best classes go to heat-pump-heated buildings first (el factor over SCOP), the rest
    # at random
    best_first = np.asarray(sorted(quota, key=LABEL_CLASSES.index), dtype=object)
    key = np.where(hp[mun], -1.0, rng.random(int(mun.sum())))
    mun_classes = np.empty(int(mun.sum()), dtype=object)
    mun_classes[np.argsort(key, kind="stable")] = best_first
    classes[mun] = mun_classes

    area = props["heated_area_m2"].to_numpy()[idx].astype(float)
    label_area = np.where(rng.random(len(idx)) < 0.85, area,
                          np.round(area * rng.uniform(0.92, 1.06, len(idx)), 0))
    residential = np.isin(code[idx], sorted(RESIDENTIAL_USE_CODES))
    lo, hi = class_limits(classes, label_area, residential)
    primary = lo + (hi - lo) * rng.uniform(0.1, 0.9, len(idx))
    conv = np.asarray([HEAT_PER_PRIMARY[h] for h in heating[idx]])
    heat = np.round(primary * label_area * conv, -1)

    # valid_from: municipal labels are renewed more often; EMO serial numbers grow with time
    start = np.where(mun, dt.date(2014, 6, 1).toordinal(), dt.date(2011, 3, 1).toordinal())
    end = dt.date(2025, 10, 31).toordinal()
    ordinal = rng.integers(start, end + 1)
    valid_from = np.asarray([dt.date.fromordinal(int(o)) for o in ordinal])
    valid_to = np.asarray([d.replace(year=d.year + 10) if not (d.month == 2 and d.day == 29)
                           else d.replace(year=d.year + 10, day=28) for d in valid_from])
    serial = np.sort(rng.choice(90_000_000, len(idx), replace=False)) + 310_000_000
    order = np.argsort(ordinal, kind="stable")
    label_id = np.empty(len(idx), dtype=object)
    label_id[order] = [str(s) for s in serial]

    labels = pd.DataFrame({
        "label_id": label_id,
        "property_id": props.index.to_numpy()[idx],
        "label_class": classes,
        "valid_from": [d.isoformat() for d in valid_from],
        "valid_to": [d.isoformat() for d in valid_to],
        "heated_area_m2": label_area,
        "heat_supply": [HEAT_SUPPLY_TEXT[h] for h in heating[idx]],
        "calculated_heat_kwh_a": heat,
    })
    proposals = _proposals(labels, heating[idx], house[idx], rng)
    labels = labels.sort_values("label_id", kind="stable").reset_index(drop=True)
    return labels, proposals


def _proposals(labels: pd.DataFrame, heating: np.ndarray, house: np.ndarray,
               rng: np.random.Generator) -> pd.DataFrame:
    """2–6 proposals per label (more for worse classes), vectorised over labels × measures."""
    n, m = len(labels), len(_MEASURES)
    rank = pd.Series({c: i for i, c in enumerate(LABEL_CLASSES)})
    worse = rank[labels["label_class"]].to_numpy() - rank["C"]
    n_prop = np.clip(3 + worse + rng.integers(-1, 2, n), 2, 6)
    who = np.asarray([w for *_, w in _MEASURES])
    eligible = (who == "all")[None, :] | np.where(house[:, None], who == "house", who == "other")
    keys = np.where(eligible, rng.random((n, m)), np.inf)
    order = np.argsort(keys, axis=1)
    chosen = np.zeros((n, m), bool)
    np.put_along_axis(chosen, order, np.arange(m)[None, :] < n_prop[:, None], axis=1)
    chosen &= eligible
    li, mi = np.nonzero(chosen)  # row-major: labels in order, measures in catalogue order
    area = labels["heated_area_m2"].to_numpy()[li]
    h = house[li]
    storeys = np.where(h, 1.2, 2.0)
    basis_by = {
        "roof": area / storeys, "window": 0.16 * area, "wall": 1.1 * area / storeys,
        "area": area, "pipe": 4000.0 + 12.0 * area, "door": np.where(h, 9000.0, 0.0),
    }
    base = np.asarray([x[1] for x in _MEASURES])[mi]
    basis = np.select([base == b for b in basis_by], list(basis_by.values()))
    unit_cost = np.asarray([x[2] for x in _MEASURES])[mi]
    s_lo = np.asarray([x[3][0] for x in _MEASURES])[mi]
    s_hi = np.asarray([x[3][1] for x in _MEASURES])[mi]
    life = np.asarray([x[4] for x in _MEASURES], dtype=float)[mi]
    k = len(li)
    invest = np.maximum(np.round(basis * unit_cost * rng.uniform(0.8, 1.25, k), -2), 500.0)
    heat = labels["calculated_heat_kwh_a"].to_numpy()[li]
    saved = np.round(heat * rng.uniform(s_lo, s_hi), -1)
    price = np.asarray([HEAT_PRICE_DKK_KWH[x] for x in heating])[li]
    saving = np.round(saved * price, -1)
    profitable = (saving > 0) & (invest <= saving * life)
    number = pd.Series(li).groupby(li).cumcount().to_numpy() + 1
    return pd.DataFrame({
        "label_id": labels["label_id"].to_numpy()[li],
        "proposal_id": number.astype(str),
        "description": np.asarray([x[0] for x in _MEASURES], dtype=object)[mi],
        "investment_dkk": invest,
        "saving_dkk_a": saving,
        "heat_saved_kwh_a": saved,
        "lifetime_a": life,
        "is_profitable": profitable,
    }).sort_values(["label_id", "proposal_id"], kind="stable").reset_index(drop=True)
