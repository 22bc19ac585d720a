"""The digging schedule: trench pieces grouped into work packages by street, stretch and quarter.

The rollout gives each trench piece to dig a ``construction_year`` (upstream pieces first within
a district). :func:`schedule_works` groups the pieces a crew digs together into **work
packages**, one per street, district and year (the street's service pipes are dug with its
mains, so a street is opened once), and gives each package a quarter:

1. Pieces of the same street, district and year that touch along the network (a piece and the
   piece feeding it) form a run; runs of the same street are joined into one package unless
   that would make the package both feed and be fed by another package (a street left and
   entered again).
2. A package longer than ``works.max_package_m`` is cut into stretches of about equal length,
   in digging order (every piece after the piece feeding it).
3. Each district's packages of a year are spread over the year's quarters in proportion to the
   quarters' working weeks (``works.working_weeks_per_quarter``), in feed order (those that
   more work waits for first); then feeds come first: a package feeding one that lies in an
   earlier quarter (another district hanging on it, say, or a piece the rollout spread into a
   later year than the pieces below it) is dug in that quarter, and flagged
   ``is_moved_earlier``.
4. Per quarter, the crews needed are the crew-weeks of its packages (metres ÷
   ``works.productivity_m_per_crew_week``) over its working weeks, against the crews
   available (``works.crews_available``, or the yearly trench capacity
   ``phasing.trench_capacity_km_a`` over one crew's yearly output).

Pieces already built (``is_sunk``) or not dug by the plan (``is_built`` false) get no package.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from heatplan.core.errors import StageContractError, require_columns
from heatplan.core.scenario import Scenario
from heatplan.plan.economics.network import segment_depths

logger = logging.getLogger(__name__)

TRENCH_COLUMNS: tuple[str, ...] = ("length_m", "district_id", "construction_year")
"""Trench columns the digging schedule needs (``upstream_segment``, ``street_name``, ``dn``,
``phase``, ``is_built`` and ``is_sunk`` are used when present)."""

PACKAGE_COLUMNS: tuple[str, ...] = (
    "district_id", "street_name", "stretch", "n_stretches", "phase", "construction_year",
    "quarter", "rollout_year", "length_m", "n_segments", "dn_min", "dn_max", "n_service_pipes",
    "service_m", "n_connecting", "crew_weeks", "feed_package_id", "is_moved_earlier",
    "earliest_year", "latest_year",
)
"""Columns of :attr:`WorkSchedule.packages`, in order (geometry last where the trenches have
one)."""

CREW_COLUMNS: tuple[str, ...] = (
    "year", "quarter", "n_packages", "length_m", "crew_weeks", "working_weeks",
    "crews_needed", "crews_available", "is_over_capacity",
)
"""Columns of :attr:`WorkSchedule.crews`."""


@dataclass(frozen=True)
class WorkSchedule:
    """The digging schedule of a plan."""

    packages: pd.DataFrame
    """Index ``package_id`` (``D12-003``): one row per work package
    (:data:`PACKAGE_COLUMNS`); a GeoDataFrame of MultiLineStrings where the trenches have
    geometry."""
    segment_package: pd.Series
    """``package_id`` of every trench piece (index ``segment_id``); empty for pieces not dug."""
    crews: pd.DataFrame
    """One row per year and quarter with digging (:data:`CREW_COLUMNS`)."""


@dataclass(frozen=True)
class _Settings:
    productivity: float
    weeks: tuple[float, float, float, float]
    max_m: float
    crews: float

    @classmethod
    def of(cls, scenario: Scenario) -> _Settings:
        weeks = [float(w) for w in scenario.value("works.working_weeks_per_quarter")]
        if len(weeks) != 4 or sum(weeks) <= 0:
            from heatplan.core.errors import ScenarioError

            msg = ("works.working_weeks_per_quarter must list the working weeks of the four "
                   f"quarters, at least one above 0; it is {weeks}. Fix the scenario.")
            raise ScenarioError(msg)
        return cls(float(scenario.value("works.productivity_m_per_crew_week")),
                   (weeks[0], weeks[1], weeks[2], weeks[3]),
                   float(scenario.value("works.max_package_m")),
                   float(scenario.value("works.crews_available")))


def schedule_works(
    trenches: pd.DataFrame,
    service_pipes: pd.DataFrame,
    properties: pd.DataFrame,
    districts: pd.DataFrame,
    *,
    scenario: Scenario,
) -> WorkSchedule:
    """Group the trench pieces to dig into work packages by street and stretch, with quarters.

    Parameters
    ----------
    trenches
        The rollout's trenches (index ``segment_id``; :data:`TRENCH_COLUMNS`, lengths in m).
    service_pipes
        Index ``property_id``; ``segment_id`` (the piece tapped) and ``length_m``.
    properties
        Index ``property_id``; ``connection_year`` (a property expected to connect).
    districts
        Index ``district_id``; ``start_year`` and ``end_year`` of the works.
    scenario
        Supplies ``works.*`` and ``phasing.trench_capacity_km_a``.

    Returns
    -------
    WorkSchedule
        Every piece dug appears in exactly one package; no package lies in a quarter before
        the package feeding it.
    """
    require_columns(trenches, TRENCH_COLUMNS, table_name="trenches", stage="rollout")
    settings = _Settings.of(scenario)
    todo = _pieces_to_dig(trenches)
    if todo.empty:
        return _empty(trenches)
    parent = _parents(todo)
    groups = _street_groups(todo, parent)
    segment_package, stretch = _stretches(todo, parent, groups, settings.max_m)
    graph = _package_graph(segment_package, parent)
    packages = _package_table(todo, segment_package, stretch, graph, service_pipes, properties,
                              settings)
    packages = _quarters(packages, graph, settings)
    packages = _move_windows(packages, graph, districts)
    crews = _crews(packages, settings, scenario)
    packages = _with_geometry(packages, todo, segment_package)
    logger.info("Digging schedule: %d work packages over %d quarters, %.1f km",
                len(packages), len(crews), packages["length_m"].sum() / 1000)
    by_segment = segment_package.reindex(trenches.index.astype(str)).astype("string")
    by_segment.index = trenches.index
    return WorkSchedule(packages, by_segment.rename("package_id"), crews)


def _pieces_to_dig(trenches: pd.DataFrame) -> pd.DataFrame:
    """The pieces the plan digs from its first year on (built, not sunk, with a year)."""
    keep = trenches["construction_year"].notna()
    if "is_built" in trenches.columns:
        keep &= trenches["is_built"].astype(bool)
    if "is_sunk" in trenches.columns:
        keep &= ~trenches["is_sunk"].astype(bool)
    todo = trenches[keep].copy()
    todo.index = todo.index.astype(str)
    todo["construction_year"] = todo["construction_year"].astype(int)
    names = todo["street_name"] if "street_name" in todo.columns else pd.Series("", todo.index)
    todo["street_name"] = names.astype("string").fillna("").astype(str)
    return todo


def _parents(todo: pd.DataFrame) -> dict[str, str]:
    """``{piece: the piece feeding it}`` among the pieces to dig."""
    if "upstream_segment" not in todo.columns:
        return {}
    up = todo["upstream_segment"].astype("string")
    known = up.notna() & up.isin(todo.index)
    return dict(zip(todo.index[known], up[known].astype(str), strict=True))


def _street_groups(todo: pd.DataFrame, parent: dict[str, str]) -> dict[str, int]:
    """Group of every piece: its street's runs in a district and year, joined where allowed.

    One cohesive algorithm: runs are the connected pieces of one street, district and year;
    the runs of one street are then joined one by one unless another run lies on a path
    between them (the joined package would feed and be fed by it).
    """
    key = list(zip(todo["district_id"].astype(str), todo["street_name"],
                   todo["construction_year"], strict=True))
    key_of = dict(zip(todo.index, key, strict=True))
    run = {seg: seg for seg in todo.index}

    def find(seg: str) -> str:
        while run[seg] != seg:
            run[seg] = run[run[seg]]
            seg = run[seg]
        return seg

    for seg, up in sorted(parent.items()):
        if key_of[seg] == key_of[up]:
            a, b = find(seg), find(up)
            if a != b:
                run[max(a, b)] = min(a, b)
    roots = {seg: find(seg) for seg in todo.index}
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(set(roots.values())))
    graph.add_edges_from(sorted({(roots[up], roots[seg]) for seg, up in parent.items()
                                 if roots[up] != roots[seg]}))
    depth = segment_depths(todo.index, parent)
    first_depth = pd.Series(depth).groupby(pd.Series(roots)).min()
    by_key: dict[tuple, list[str]] = {}
    for root in sorted(graph.nodes, key=lambda r: (first_depth[r], r)):
        by_key.setdefault(key_of[root], []).append(root)
    merged = {r: r for r in graph.nodes}
    for runs in by_key.values():
        head = runs[0]
        for other in runs[1:]:
            if _joinable(graph, head, other):
                nx.contracted_nodes(graph, head, other, self_loops=False, copy=False)
                merged[other] = head
    ids = {r: i for i, r in enumerate(sorted(set(merged.values())))}
    return {seg: ids[merged[roots[seg]]] for seg in todo.index}


def _joinable(graph: nx.DiGraph, a: str, b: str) -> bool:
    """True when no path leads from ``a`` to ``b`` (or back) through another node."""
    direct = [(u, v) for u, v in ((a, b), (b, a)) if graph.has_edge(u, v)]
    graph.remove_edges_from(direct)
    try:
        return not (nx.has_path(graph, a, b) or nx.has_path(graph, b, a))
    finally:
        graph.add_edges_from(direct)


def _stretches(todo: pd.DataFrame, parent: dict[str, str], groups: dict[str, int],
               max_m: float) -> tuple[pd.Series, dict[str, tuple[int, int]]]:
    """Cut each group into stretches of at most ``max_m`` metres, in digging order.

    Returns the package id of every piece (``{district}-{number}``) and each package's
    stretch number and count.
    """
    depth = segment_depths(todo.index, parent)
    children: dict[str, list[str]] = {}
    for seg, up in parent.items():
        if groups[seg] == groups[up]:
            children.setdefault(up, []).append(seg)
    members = pd.Series(groups).groupby(pd.Series(groups)).groups
    length = todo["length_m"].astype(float)
    label: dict[str, str] = {}
    info: dict[str, tuple[int, int]] = {}
    for group, segs in members.items():
        inside = set(segs)
        roots = sorted((s for s in segs if parent.get(s) not in inside),
                       key=lambda s: (depth[s], s))
        order = _preorder(roots, children)
        metres = length.loc[order].to_numpy()
        n = max(1, math.ceil(metres.sum() / max_m - 1e-9))
        mid = (np.cumsum(metres) - metres / 2) / max(metres.sum(), 1e-9)
        cut = np.minimum((mid * n).astype(int), n - 1)
        used = sorted(set(cut.tolist()))  # a piece longer than a stretch leaves one empty
        for seg, k in zip(order, cut, strict=True):
            label[seg] = f"{group:07d}/{used.index(int(k)):04d}"
        for k in range(len(used)):
            info[f"{group:07d}/{k:04d}"] = (k + 1, len(used))
    return _number_packages(todo, label, info, depth)


def _preorder(roots: list[str], children: dict[str, list[str]]) -> list[str]:
    """Depth-first order from ``roots``: each piece before the pieces it feeds."""
    order: list[str] = []
    stack = list(reversed(roots))
    while stack:
        seg = stack.pop()
        order.append(seg)
        stack.extend(sorted(children.get(seg, []), reverse=True))
    return order


def _number_packages(todo: pd.DataFrame, label: dict[str, str], info: dict[str, tuple],
                     depth: dict[str, int]) -> tuple[pd.Series, dict[str, tuple[int, int]]]:
    """Package ids ``D12-003``, numbered within each district by the rollout's year, then by
    the depth of the package's first piece."""
    frame = pd.DataFrame({"label": pd.Series(label), "depth": pd.Series(depth)})
    frame["district"] = todo["district_id"].astype(str)
    frame["year"] = todo["construction_year"]
    first = frame.groupby("label").agg(district=("district", "first"), year=("year", "first"),
                                       depth=("depth", "min"))
    first = first.assign(key=first.index).sort_values(["district", "year", "depth", "key"])
    first["number"] = first.groupby("district").cumcount() + 1
    ids = {lab: f"{r.district}-{r.number:03d}" for lab, r in first.iterrows()}
    stretch = {ids[lab]: info[lab] for lab in first.index}
    return frame["label"].map(ids).rename("package_id"), stretch


def _package_graph(segment_package: pd.Series, parent: dict[str, str]) -> nx.DiGraph:
    """Edges from each package to the packages it feeds; raises if a cycle slipped in."""
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(segment_package.unique()))
    for seg, up in parent.items():
        a, b = segment_package[up], segment_package[seg]
        if a != b:
            graph.add_edge(a, b)
    if not nx.is_directed_acyclic_graph(graph):
        cycle = nx.find_cycle(graph)
        msg = f"work packages feed each other in a circle: {cycle}; the grouping is wrong"
        raise StageContractError(msg)
    return graph


def _package_table(todo: pd.DataFrame, segment_package: pd.Series, stretch: dict,
                   graph: nx.DiGraph, service_pipes: pd.DataFrame, properties: pd.DataFrame,
                   settings: _Settings) -> pd.DataFrame:
    """One row per package: street, district, phase, year, metres, DN range, connections."""
    t = todo.assign(package_id=segment_package.reindex(todo.index))
    dn = t["dn"] if "dn" in t.columns else pd.Series(pd.NA, index=t.index)
    phase = t["phase"] if "phase" in t.columns else pd.Series(pd.NA, index=t.index)
    grouped = t.assign(dn=pd.to_numeric(dn, errors="coerce"), phase=phase).groupby("package_id")
    out = pd.DataFrame({
        "district_id": grouped["district_id"].first().astype(str),
        "street_name": grouped["street_name"].first(),
        "phase": grouped["phase"].first().astype("Int64"),
        "construction_year": grouped["construction_year"].first().astype("Int64"),
        "rollout_year": grouped["construction_year"].first().astype("Int64"),
        "length_m": grouped["length_m"].sum().astype(float),
        "n_segments": grouped.size().astype("int64"),
        "dn_min": grouped["dn"].min().astype("Int64"),
        "dn_max": grouped["dn"].max().astype("Int64"),
    })
    out.index.name = "package_id"
    out["stretch"] = pd.Series({p: s[0] for p, s in stretch.items()}).reindex(out.index)
    out["n_stretches"] = pd.Series({p: s[1] for p, s in stretch.items()}).reindex(out.index)
    out = out.join(_service(segment_package, service_pipes, properties, out.index))
    out["crew_weeks"] = out["length_m"] / settings.productivity
    feeds = {p: sorted(graph.predecessors(p)) for p in out.index}
    out["feed_package_id"] = pd.Series({p: ", ".join(f) for p, f in feeds.items()},
                                       dtype="string").reindex(out.index)
    return out


def _service(segment_package: pd.Series, service_pipes: pd.DataFrame, properties: pd.DataFrame,
             index: pd.Index) -> pd.DataFrame:
    """Service pipes dug with each package, their metres, and the properties connecting."""
    out = pd.DataFrame({"n_service_pipes": 0, "service_m": 0.0, "n_connecting": 0}, index=index)
    if service_pipes is None or "segment_id" not in service_pipes.columns:
        return out
    pipes = service_pipes.assign(
        package_id=service_pipes["segment_id"].astype("string").map(segment_package))
    pipes = pipes[pipes["package_id"].notna()]
    if "connection_year" in properties.columns:
        year = properties["connection_year"].reindex(pipes.index)
        pipes = pipes.assign(connecting=year.notna().to_numpy())
    else:
        pipes = pipes.assign(connecting=False)
    grouped = pipes.groupby("package_id")
    out["n_service_pipes"] = grouped.size().reindex(index, fill_value=0).astype("int64")
    out["service_m"] = grouped["length_m"].sum().reindex(index, fill_value=0.0).astype(float)
    out["n_connecting"] = grouped["connecting"].sum().reindex(index, fill_value=0).astype("int64")
    return out


def _quarters(packages: pd.DataFrame, graph: nx.DiGraph, settings: _Settings) -> pd.DataFrame:
    """Spread each district's year over its quarters, then dig every feed no later than the
    packages it feeds."""
    out = packages.copy()
    share = np.cumsum(settings.weeks) / sum(settings.weeks)
    order = {p: i for i, p in enumerate(_feed_order(out, graph))}
    out["_order"] = out.index.map(order)
    out = out.sort_values("_order")
    quarter = pd.Series(0, index=out.index)
    for _, part in out.groupby(["district_id", "construction_year"], sort=False):
        weeks = part["crew_weeks"].to_numpy()
        mid = (np.cumsum(weeks) - weeks / 2) / max(weeks.sum(), 1e-9)
        quarter[part.index] = np.searchsorted(share, mid, side="right") + 1
    year = out["construction_year"].astype(int).to_dict()
    when = {p: (year[p], min(int(quarter[p]), 4)) for p in out.index}
    moved = dict.fromkeys(out.index, False)
    for p in reversed(out.index):  # every package it feeds is final before its own feeds
        for feed in graph.predecessors(p):
            if when[feed] > when[p]:
                when[feed] = when[p]
                moved[feed] = True
    out["construction_year"] = pd.array([when[p][0] for p in out.index], dtype="Int64")
    out["quarter"] = pd.array([when[p][1] for p in out.index], dtype="Int64")
    out["is_moved_earlier"] = pd.Series(moved).reindex(out.index).astype(bool)
    if out["is_moved_earlier"].any():
        logger.info("%d work packages dug earlier than spread, to come before the packages "
                    "they feed", int(out["is_moved_earlier"].sum()))
    return out.sort_values(["construction_year", "quarter", "_order"]).drop(columns="_order")


def _feed_order(packages: pd.DataFrame, graph: nx.DiGraph) -> list[str]:
    """The packages in feed order, those that more work waits for first.

    Among the packages whose feeds are placed, the one with the most crew-weeks downstream in
    other districts or years comes first (their works can then start early in the year),
    then the one with the most downstream in its own district and year, then by id.
    """
    weeks = packages["crew_weeks"].to_dict()
    bucket = dict(zip(packages.index, zip(packages["district_id"],
                                          packages["construction_year"], strict=True),
                      strict=True))
    key = {}
    for p in packages.index:
        down = nx.descendants(graph, p)
        other = sum(weeks[d] for d in down if bucket[d] != bucket[p])
        own = sum(weeks[d] for d in down if bucket[d] == bucket[p])
        key[p] = (-round(other, 6), -round(own, 6), p)
    return list(nx.lexicographical_topological_sort(graph, key=key.__getitem__))


def _move_windows(packages: pd.DataFrame, graph: nx.DiGraph, districts: pd.DataFrame
                  ) -> pd.DataFrame:
    """``earliest_year`` and ``latest_year`` a package could move to: after its feeds, before
    the packages it feeds, within its district's construction years."""
    out = packages.copy()
    year = out["construction_year"].astype(int)
    start = _district_years(districts, "start_year", out)
    end = _district_years(districts, "end_year", out)
    earliest, latest = [], []
    for p in out.index:
        feeds = [int(year[f]) for f in graph.predecessors(p)]
        fed = [int(year[c]) for c in graph.successors(p)]
        own = int(year[p])
        lo = max([start.get(p, own), *feeds]) if feeds or p in start else own
        hi = min([end.get(p, own), *fed]) if fed or p in end else own
        earliest.append(min(lo, own))
        latest.append(max(hi, own))
    out["earliest_year"] = pd.array(earliest, dtype="Int64")
    out["latest_year"] = pd.array(latest, dtype="Int64")
    return out


def _district_years(districts: pd.DataFrame, column: str, packages: pd.DataFrame
                    ) -> dict[str, int]:
    """``{package: its district's column}`` where the district has that year."""
    if districts is None or column not in districts.columns:
        return {}
    years = packages["district_id"].map(districts[column].dropna().astype(int))
    return {p: int(y) for p, y in years.items() if pd.notna(y)}


def _crews(packages: pd.DataFrame, settings: _Settings, scenario: Scenario) -> pd.DataFrame:
    """Crews needed per year and quarter against the crews available."""
    grouped = packages.groupby(["construction_year", "quarter"], sort=True)
    out = pd.DataFrame({
        "n_packages": grouped.size().astype("int64"),
        "length_m": grouped["length_m"].sum().astype(float),
        "crew_weeks": grouped["crew_weeks"].sum().astype(float),
    }).reset_index().rename(columns={"construction_year": "year"})
    out["year"] = out["year"].astype("int64")
    out["quarter"] = out["quarter"].astype("Int64")
    out["working_weeks"] = [settings.weeks[int(q) - 1] for q in out["quarter"]]
    out["crews_needed"] = out["crew_weeks"] / out["working_weeks"].where(
        out["working_weeks"] > 0)
    out["crews_available"] = crews_available(scenario, out["year"].tolist())
    out["is_over_capacity"] = (out["crews_needed"].fillna(np.inf)
                               > out["crews_available"] + 1e-9).astype(bool)
    return out[list(CREW_COLUMNS)]


def crews_available(scenario: Scenario, years: list[int]) -> np.ndarray:
    """Crews digging at once in each of ``years``: ``works.crews_available`` when above 0,
    else the yearly trench capacity (km) over one crew's yearly output."""
    given = float(scenario.value("works.crews_available"))
    if given > 0:
        return np.full(len(years), given)
    settings = _Settings.of(scenario)
    km = scenario.by_year("phasing.trench_capacity_km_a", years)
    return km * 1000.0 / (settings.productivity * sum(settings.weeks))


def _with_geometry(packages: pd.DataFrame, todo: pd.DataFrame, segment_package: pd.Series
                   ) -> pd.DataFrame:
    """The packages in :data:`PACKAGE_COLUMNS` order, with MultiLineStrings where the
    trenches have geometry."""
    out = packages[list(PACKAGE_COLUMNS)]
    if not isinstance(todo, gpd.GeoDataFrame):
        return out
    lines = pd.Series(todo.geometry.to_numpy(), index=todo.index).groupby(
        segment_package.reindex(todo.index))
    merged = lines.agg(lambda g: shapely.multilinestrings(
        shapely.get_parts(shapely.line_merge(shapely.union_all(list(g))))))
    return gpd.GeoDataFrame(out, geometry=merged.reindex(out.index).to_numpy(), crs=todo.crs)


def _empty(trenches: pd.DataFrame) -> WorkSchedule:
    """The schedule of a plan that digs nothing."""
    packages = pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "float64"))
                             for c in PACKAGE_COLUMNS})
    packages.index = pd.Index([], name="package_id", dtype="string")
    if isinstance(trenches, gpd.GeoDataFrame):
        packages = gpd.GeoDataFrame(packages, geometry=gpd.GeoSeries([], crs=trenches.crs))
    crews = pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "float64")) for c in CREW_COLUMNS})
    return WorkSchedule(packages, pd.Series(pd.NA, index=trenches.index, dtype="string",
                                            name="package_id"), crews)


_DTYPES = {
    "district_id": "string", "street_name": "string", "feed_package_id": "string",
    "stretch": "int64", "n_stretches": "int64", "n_segments": "int64",
    "n_service_pipes": "int64", "n_connecting": "int64", "n_packages": "int64",
    "year": "int64", "phase": "Int64", "construction_year": "Int64", "quarter": "Int64",
    "dn_min": "Int64", "dn_max": "Int64", "earliest_year": "Int64", "latest_year": "Int64",
    "rollout_year": "Int64",
    "is_moved_earlier": "bool", "is_over_capacity": "bool",
}
"""Dtypes of the empty tables' columns (``float64`` for the rest)."""
