"""What stands in each kind of neighbourhood: candidate buildings with their BBR attributes.

Each function returns candidate footprints along the given streets of one cell, with the BBR
use code, construction year, heated area and dwellings typical of the kind (parcelhus areas
1950–85, terraced housing, 1960s–70s apartment estates, industrial estates, a town centre,
hamlets with farms). Which candidates are built is decided by
:func:`heatplan.sample.buildings.select`. Areas m², lengths m.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from shapely.geometry import LineString

from heatplan.sample.buildings import MUNICIPAL_BUILDINGS, footprints_at, frames, frontage


def _normal_int(rng, mean, sd, lo, hi, n):
    return np.clip(np.round(rng.normal(mean, sd, n)), lo, hi).astype(int)


def _pick(rng, table: dict[str, float], n: int) -> np.ndarray:
    keys = list(table)
    p = np.asarray([table[k] for k in keys])
    return np.asarray(keys, dtype=object)[rng.choice(len(keys), n, p=p / p.sum())]


def _frame(slots: pd.DataFrame, geoms, role: str, **cols) -> pd.DataFrame:
    out = slots[["line", "side", "pos"]].copy()
    out["geometry"] = geoms
    out["role"] = role
    for k, v in cols.items():
        out[k] = v
    return out


def houses(kind: str, lines: Sequence[LineString], rng: np.random.Generator) -> pd.DataFrame:
    """Candidate houses (BBR 120/121/131/132) along ``lines`` for a residential kind."""
    n_lines = len(lines)
    if n_lines == 0:
        return pd.DataFrame()
    if kind == "terraced":
        return _terraced(lines, rng)
    spacing_range, area, years = {
        "villa": ((24.0, 30.0), (140.0, 20.0, 105.0, 190.0), (1966, 7, 1950, 1985)),
        "loose_villa": ((31.0, 40.0), (152.0, 22.0, 110.0, 200.0), (1963, 8, 1948, 1985)),
        "sparse_villa": ((46.0, 62.0), (162.0, 25.0, 115.0, 220.0), (1960, 10, 1938, 1985)),
        "hamlet": ((21.0, 32.0), (148.0, 30.0, 100.0, 230.0), (1958, 22, 1890, 2008)),
    }[kind]
    slots = frontage(lines, rng.uniform(*spacing_range, n_lines), rng)
    n = len(slots)
    heated = np.round(np.clip(rng.normal(area[0], area[1], n), area[2], area[3]), 0)
    storeys = np.where(rng.random(n) < 0.72, 1.0, 1.45)
    depth = rng.uniform(9.5, 12.0, n)
    width = heated / storeys / depth
    front = rng.uniform(8.5, 13.0, n)
    geoms = footprints_at(slots, front, width, depth)
    code = np.where(rng.random(n) < 0.96, "120", "121").astype(object)
    return _frame(
        slots, geoms, "house", bbr_use_code=code, heated_area_m2=heated,
        year_built=_normal_int(rng, *years, n), dwellings=1, gap=3.0,
    )


def _terraced(lines: Sequence[LineString], rng: np.random.Generator) -> pd.DataFrame:
    """Rows of terraced houses (131) and semi-detached pairs (132), one type per street."""
    n_lines = len(lines)
    pairs = rng.random(n_lines) < 0.25
    two_storey = rng.random(n_lines) < 0.4
    unit_w = np.where(two_storey, rng.uniform(6.8, 7.8, n_lines), rng.uniform(8.5, 10.0, n_lines))
    unit_d = np.where(two_storey, rng.uniform(8.0, 9.5, n_lines), rng.uniform(10.0, 12.0, n_lines))
    slots = frontage(lines, unit_w + 0.3, rng, margin=16.0)
    li = slots["line"].to_numpy()
    # units per row: 2 for pairs, 4–8 for rows; every (k+1)-th plot stays open
    k = np.where(pairs, 2, rng.integers(4, 9, n_lines))[li]
    rank = slots.groupby(["line", "side"]).cumcount().to_numpy()
    open_plot = (rank % (k + 1)) == k
    slots = slots[~open_plot].reset_index(drop=True)
    li = slots["line"].to_numpy()
    n = len(slots)
    storeys = np.where(two_storey[li], 1.6, 1.0)
    heated = np.round(np.clip(unit_w[li] * unit_d[li] * storeys * 0.95
                              * rng.uniform(0.97, 1.03, n), 78.0, 125.0), 0)
    front = np.repeat(rng.uniform(8.5, 11.0, n_lines), 1)[li]
    geoms = footprints_at(slots, front, unit_w[li], unit_d[li])
    code = np.where(pairs[li], "132", "131").astype(object)
    return _frame(
        slots, geoms, "house", bbr_use_code=code, heated_area_m2=heated,
        year_built=_normal_int(rng, 1971, 6, 1955, 1985, n), dwellings=1, gap=0.1,
    )


def _blocks(slots: pd.DataFrame, rng: np.random.Generator, perpendicular: np.ndarray):
    n = len(slots)
    storeys = rng.choice([2, 3, 4, 8, 12], n, p=[0.05, 0.35, 0.40, 0.12, 0.08]).astype(float)
    tower = storeys >= 8
    width = np.where(tower, rng.uniform(22.0, 30.0, n), rng.uniform(45.0, 85.0, n))
    depth = np.where(tower, rng.uniform(15.0, 19.0, n), rng.uniform(10.5, 13.0, n))
    front = np.where(perpendicular, rng.uniform(10.0, 16.0, n), rng.uniform(16.0, 28.0, n))
    geoms = footprints_at(slots, front, width, depth, rotate=perpendicular & ~tower)
    heated = np.round(width * depth * storeys * 0.88, 0)
    return geoms, heated, np.maximum(1, np.round(heated / 80.0)).astype(int)


def estate(kind: str, lines: Sequence[LineString], rng: np.random.Generator) -> pd.DataFrame:
    """Candidate buildings of an apartment estate, town centre or industrial estate."""
    n_lines = len(lines)
    if n_lines == 0:
        return pd.DataFrame()
    if kind == "industrial":
        slots = frontage(lines, rng.uniform(70.0, 115.0, n_lines), rng, margin=25.0)
        n = len(slots)
        width, depth = rng.uniform(30.0, 85.0, n), rng.uniform(22.0, 55.0, n)
        geoms = footprints_at(slots, rng.uniform(16.0, 30.0, n), width, depth)
        storeys = np.where(rng.random(n) < 0.7, 1.0, 1.6)
        code = _pick(rng, {"221": 0.25, "222": 0.35, "321": 0.15, "323": 0.2, "223": 0.05}, n)
        return _frame(
            slots, geoms, "industry", bbr_use_code=code,
            heated_area_m2=np.round(width * depth * storeys * 0.92, 0),
            year_built=_normal_int(rng, 1976, 12, 1958, 2012, n), dwellings=0, gap=8.0,
        )
    terraced_line = rng.random(n_lines) < (0.3 if kind == "apartments" else 0.0)
    rows = pd.DataFrame()
    if terraced_line.any():
        # low-rise social housing (almene rækkehuse) on some streets of the estates
        rows = _terraced([ln for ln, t in zip(lines, terraced_line, strict=True) if t], rng)
        rows["line"] = np.flatnonzero(terraced_line)[rows["line"].to_numpy()]
        rows["role"] = "social_row"
        rows["year_built"] = _normal_int(rng, 1969, 5, 1958, 1982, len(rows))
        lines = [ln if not t else LineString() for ln, t in zip(lines, terraced_line, strict=True)]
    perpendicular_line = rng.random(n_lines) < (0.45 if kind == "apartments" else 0.2)
    spacing = np.where(perpendicular_line, rng.uniform(36.0, 44.0, n_lines),
                       rng.uniform(90.0, 115.0, n_lines))
    slots = frontage(lines, spacing, rng, margin=22.0)
    n = len(slots)
    geoms, heated, dwellings = _blocks(slots, rng, perpendicular_line[slots["line"].to_numpy()])
    code = np.full(n, "140", dtype=object)
    years = _normal_int(rng, 1968, 6, 1955, 1985, n)
    if kind == "centre":
        commercial = rng.random(n) < 0.45
        code[commercial] = _pick(
            rng, {"322": 0.35, "321": 0.35, "324": 0.1, "331": 0.05, "433": 0.15},
            int(commercial.sum()),
        )
        dwellings = np.where(commercial, 0, dwellings)
        years = np.where(commercial, _normal_int(rng, 1980, 15, 1955, 2015, n), years)
    blocks = _frame(
        slots, geoms, "block", bbr_use_code=code, heated_area_m2=heated,
        year_built=years, dwellings=dwellings, gap=12.0,
    )
    return pd.concat([blocks, rows], ignore_index=True) if len(rows) else blocks


def farms(lines: Sequence[LineString], rng: np.random.Generator) -> pd.DataFrame:
    """Farmhouses (BBR 110) set well back from the country roads of a hamlet cell."""
    n_lines = len(lines)
    if n_lines == 0:
        return pd.DataFrame()
    slots = frontage(lines, rng.uniform(260.0, 420.0, n_lines), rng, margin=60.0)
    n = len(slots)
    width, depth = rng.uniform(17.0, 24.0, n), rng.uniform(9.0, 11.0, n)
    geoms = footprints_at(slots, rng.uniform(25.0, 55.0, n), width, depth)
    return _frame(
        slots, geoms, "farm", bbr_use_code="110",
        heated_area_m2=np.round(width * depth * 1.3, 0),
        year_built=_normal_int(rng, 1915, 25, 1850, 1975, n), dwellings=1, gap=10.0,
    )


def institutions(
    cells: pd.DataFrame, lines_of_cell: dict[int, list[int]], lines: Sequence[LineString],
    rng: np.random.Generator, tries: int = 16,
) -> pd.DataFrame:
    """Candidate municipal buildings: ``tries`` placements for each, one will be kept.

    ``cells`` has a ``kind`` column; ``lines_of_cell`` maps a cell row to the indices (into
    ``lines``) of the streets it may front. Each building gets a ``group`` number so only one of
    its candidate placements is kept. Buildings of one kind are spread over the eligible cells
    (a shuffled round robin).
    """
    kinds = cells["kind"].to_numpy()
    code, heated, storeys, year, home = [], [], [], [], []
    for spec in MUNICIPAL_BUILDINGS:
        eligible = [c for c in np.flatnonzero(np.isin(kinds, spec.kinds)) if lines_of_cell.get(c)]
        if not eligible:
            continue
        home.append(np.resize(rng.permutation(eligible), spec.count))
        code += [spec.code] * spec.count
        heated.append(np.round(rng.uniform(*spec.area_m2, spec.count), 0))
        storeys += [spec.storeys] * spec.count
        year.append(rng.integers(spec.years[0], spec.years[1] + 1, spec.count))
    home_a = np.concatenate(home)
    n = len(home_a)
    heated_a = np.concatenate(heated)
    fp = heated_a / np.asarray(storeys)
    width = np.sqrt(fp * rng.uniform(1.3, 2.4, n))
    depth = fp / width
    group = np.repeat(np.arange(n), tries)
    li = np.empty(n * tries, dtype=int)
    for b in range(n):
        cell_lines = np.asarray(lines_of_cell[int(home_a[b])])
        li[b * tries : (b + 1) * tries] = cell_lines[rng.integers(0, len(cell_lines), tries)]
    lengths = np.asarray([lines[i].length for i in li])
    pos = rng.uniform(0.15, 0.85, n * tries) * lengths
    p, t = frames(lines, li, pos)
    slots = pd.DataFrame({"line": li, "side": rng.choice([-1, 1], n * tries), "pos": pos,
                          "x": p[:, 0], "y": p[:, 1], "tx": t[:, 0], "ty": t[:, 1]})
    geoms = footprints_at(slots, rng.uniform(12.0, 22.0, n * tries), width[group], depth[group])
    frame = _frame(
        slots, geoms, "institution", bbr_use_code=np.asarray(code, dtype=object)[group],
        heated_area_m2=heated_a[group], year_built=np.concatenate(year)[group], dwellings=0,
        gap=8.0, group=group,
    )
    frame["cell"] = home_a[group]
    return frame
