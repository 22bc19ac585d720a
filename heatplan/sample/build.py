"""Generate the synthetic Ballerup-like sample municipality as tables.

:func:`generate` runs the stages: town skeleton, districts, streets, buildings, heating,
existing network, energy labels; :func:`tile` repeats the municipality side by side for
``--scale``. Everything is drawn from one seeded :class:`numpy.random.Generator`, so the same
seed gives the same sample.
"""

from __future__ import annotations

import logging
import math
import uuid
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan import PROJECT_CRS
from heatplan.core.schema import DISTRICTS, LABELS, PROPERTIES, PROPOSALS
from heatplan.sample import attributes, neighbourhoods
from heatplan.sample.buildings import MUNICIPAL_HOUSES, RESIDENTIAL_KINDS, select
from heatplan.sample.districts import assign_districts
from heatplan.sample.labels import make_labels
from heatplan.sample.layout import Skeleton, make_skeleton, nearest_town
from heatplan.sample.names import main_road_names, street_names
from heatplan.sample.network import existing_network
from heatplan.sample.streets import local_streets, node_network
from heatplan.sample.works import planned_works

logger = logging.getLogger(__name__)

DEFAULT_SEED = 2750
"""Seed of the bundled sample (Ballerup's postcode)."""

ID_NAMESPACE = uuid.UUID("6f1c3c0e-5b0a-4c1e-9d43-2750b0a11e5a")
"""Namespace of the sample's uuid5 property ids."""

MUNICIPALITY_NAME = "Syntetisk Ballerup-lignende kommune"

TILE_STEP_M = (11_000.0, 8_000.0)
"""Offset between neighbouring copies of the municipality for ``scale`` > 1, metres."""


@dataclass(frozen=True)
class SampleData:
    """The generated layers and tables, columns as in :mod:`heatplan.core.schema`."""

    properties: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    dh_network: gpd.GeoDataFrame
    heat_sources: gpd.GeoDataFrame
    labels: pd.DataFrame
    proposals: pd.DataFrame
    municipality: gpd.GeoDataFrame
    """The synthetic municipal boundary (``name``); not part of the input contract."""
    planned_works: gpd.GeoDataFrame = field(default_factory=gpd.GeoDataFrame)
    """Other works in the streets (the optional ``planned_works`` layer; empty for none)."""


def _streets(
    skeleton: Skeleton, cells: gpd.GeoDataFrame, rng: np.random.Generator
) -> gpd.GeoDataFrame:
    """All street pieces (main and local) with class, name and cell, before noding."""
    main = shapely.union_all(skeleton.roads.geometry.to_numpy())
    geoms, classes, cell_of = [], [], []
    for i, (cell, kind) in enumerate(zip(cells.geometry, cells["kind"], strict=True)):
        for g, rc in local_streets(cell, kind, main, rng):
            geoms.append(shapely.set_precision(g, 0.01))
            classes.append(rc)
            cell_of.append(i)
    roads = skeleton.roads
    n_art = int(roads["artery"].max()) + 1
    art_names = main_road_names(n_art)
    local_names = street_names(len(geoms) + len(roads), rng)
    main_names = [art_names[a] if a >= 0 else local_names[len(geoms) + i]
                  for i, a in enumerate(roads["artery"])]
    pieces = gpd.GeoDataFrame(
        {
            "road_class": [*roads["road_class"], *classes],
            "name": [*main_names, *local_names[: len(geoms)]],
            "cell": [-1] * len(roads) + cell_of,
        },
        geometry=[*roads.geometry, *geoms],
        crs=PROJECT_CRS,
    )
    pieces["piece"] = np.arange(len(pieces))
    return pieces


def _candidates(
    cells: gpd.GeoDataFrame, pieces: gpd.GeoDataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Candidate buildings of every cell, in priority order (institutions first)."""
    lines = list(pieces.geometry)
    local_of_cell: dict[int, list[int]] = {}
    front_of_cell: dict[int, list[int]] = {}
    is_street = ~pieces["road_class"].isin(["path", "track"]).to_numpy()
    for i, c in enumerate(pieces["cell"]):
        if c >= 0 and is_street[i]:  # nobody lives along a path or a field road
            local_of_cell.setdefault(int(c), []).append(i)
            front_of_cell.setdefault(int(c), []).append(i)
    main_idx = np.flatnonzero(pieces["cell"].to_numpy() < 0)
    touching = shapely.STRtree(pieces.geometry.to_numpy()[main_idx]).query(
        cells.geometry.to_numpy(), predicate="intersects"
    )
    for c, m in zip(*touching, strict=True):
        front_of_cell.setdefault(int(c), []).append(int(main_idx[m]))
    frames = [neighbourhoods.institutions(cells, front_of_cell, lines, rng)]
    big, small = [], []
    for c, kind in enumerate(cells["kind"]):
        idx = local_of_cell.get(c, [])
        sub = [lines[i] for i in idx]
        if kind in ("apartments", "centre", "industrial"):
            f = neighbourhoods.estate(kind, sub, rng)
            target = big
        elif kind == "hamlet":
            f = neighbourhoods.houses(kind, sub, rng)
            mains = [i for i in front_of_cell.get(c, []) if pieces["cell"].iloc[i] < 0]
            farms = neighbourhoods.farms([lines[i] for i in mains], rng)
            if len(farms):
                farms["line"] = np.asarray(mains)[farms["line"].to_numpy()]
                farms["cell"] = c
                big.append(farms)
            target = small
        elif kind in RESIDENTIAL_KINDS:
            f = neighbourhoods.houses(kind, sub, rng)
            target = small
        else:
            continue
        if len(f):
            f["line"] = np.asarray(idx)[f["line"].to_numpy()]
            f["cell"] = c
            target.append(f)
    big_df = pd.concat(big, ignore_index=True)
    small_df = pd.concat(small, ignore_index=True)
    big_df = big_df.iloc[rng.permutation(len(big_df))]
    small_df = small_df.iloc[rng.permutation(len(small_df))]
    out = pd.concat([frames[0], big_df, small_df], ignore_index=True)
    out["group"] = out["group"].fillna(-1).astype(int)
    return out


def _addresses(props: pd.DataFrame, pieces: gpd.GeoDataFrame) -> pd.Series:
    """House numbers along each street: odd on the left, even on the right, rising."""
    order = props.sort_values(["line", "side", "pos"], kind="stable")
    rank = order.groupby(["line", "side"]).cumcount().to_numpy()
    side = order["side"].to_numpy()
    number = np.where(side > 0, 2 * rank + 1, 2 * rank + 2)
    names = pieces["name"].to_numpy()[order["line"].to_numpy()]
    text = pd.Series([f"{n} {k}" for n, k in zip(names, number, strict=True)], index=order.index)
    return text.reindex(props.index)


def generate(seed: int = DEFAULT_SEED) -> SampleData:
    """Generate one synthetic municipality from ``seed``."""
    rng = np.random.default_rng(seed)
    skeleton = make_skeleton(rng)
    cells = assign_districts(skeleton, rng)
    pieces = _streets(skeleton, cells, rng)
    streets = node_network(pieces[["road_class", "name", "piece", "geometry"]])
    kept_pieces = np.zeros(len(pieces), bool)
    kept_pieces[streets["piece"].unique()] = True

    cand = _candidates(cells, pieces, rng)
    cand = cand[kept_pieces[cand["line"].to_numpy()]].reset_index(drop=True)
    mask = select(
        cand["geometry"].to_numpy(), cand["cell"].to_numpy(), cells.geometry.to_numpy(),
        streets.geometry.to_numpy(), group=cand["group"].to_numpy(),
        gap=cand["gap"].to_numpy(dtype=float),
    )
    props = cand[mask].reset_index(drop=True)
    logger.debug("%d of %d candidate buildings placed", len(props), len(cand))
    for col in ("kind", "status", "district_id", "planned_phase"):
        props[col] = cells[col].to_numpy()[props["cell"].to_numpy()]

    props["owner_type"] = attributes.assign_owner(props, rng)
    # ordinary houses owned by the municipality
    for code, n in MUNICIPAL_HOUSES.items():
        pool = np.flatnonzero((props["bbr_use_code"] == code).to_numpy()
                              & props["status"].isin(["candidate_dh"]).to_numpy())
        props.loc[props.index[rng.choice(pool, n, replace=False)], "owner_type"] = "50"
    heating, keep = attributes.assign_heating(props, rng)
    props = pd.concat([props, heating], axis=1)[keep].reset_index(drop=True)

    tile_ids = [str(uuid.uuid5(ID_NAMESPACE, f"{seed}/0/{i}")) for i in range(len(props))]
    props.index = pd.Index(tile_ids, name="property_id")
    props["address"] = _addresses(props, pieces)
    xy = shapely.get_coordinates(shapely.centroid(props["geometry"].to_numpy()))
    props["postcode"] = nearest_town(xy[:, 0], xy[:, 1])
    phase1 = cells.loc[cells["planned_phase"] == 1, "district_id"].iloc[0]
    props["connection_status"] = attributes.assign_connection_status(props, phase1, rng)

    labels, proposals = make_labels(props, rng)

    existing = cells[cells["status"] == "existing_dh"]
    existing_area = shapely.union_all(existing.geometry.to_numpy())
    in_existing = gpd.GeoDataFrame(props[props["status"] == "existing_dh"], geometry="geometry",
                                   crs=PROJECT_CRS)
    dh_network, heat_sources = existing_network(streets, existing_area, in_existing)

    flat = props.reset_index()
    # the contract's columns the sample makes (optional ones it has no data for stay out)
    columns = [c.name for c in PROPERTIES.columns if c.required or c.name in flat.columns]
    properties = gpd.GeoDataFrame(flat[[*columns, "geometry"]], geometry="geometry",
                                  crs=PROJECT_CRS)
    properties["year_built"] = properties["year_built"].astype("int64")
    properties["dwellings"] = properties["dwellings"].astype("int64")
    properties["heated_area_m2"] = properties["heated_area_m2"].astype(float)
    districts = gpd.GeoDataFrame(
        cells.loc[cells["district_id"] != "", [c.name for c in DISTRICTS.columns] + ["geometry"]],
        geometry="geometry", crs=PROJECT_CRS,
    ).reset_index(drop=True)
    data = SampleData(
        properties=properties.sort_values("property_id").reset_index(drop=True),
        districts=districts,
        streets=streets[["road_class", "name", "geometry"]].reset_index(drop=True),
        dh_network=dh_network,
        heat_sources=heat_sources,
        labels=labels[[c.name for c in LABELS.columns]],
        proposals=proposals[[c.name for c in PROPOSALS.columns]],
        municipality=gpd.GeoDataFrame(
            {"name": [MUNICIPALITY_NAME]}, geometry=[skeleton.boundary], crs=PROJECT_CRS
        ),
        planned_works=planned_works(streets, districts, seed),
    )
    logger.info(
        "Sample: %d properties, %d districts, %.0f km streets, %d labels, %d proposals",
        len(data.properties), len(data.districts), data.streets.length.sum() / 1e3,
        len(data.labels), len(data.proposals),
    )
    return data


def _shift(frame: gpd.GeoDataFrame, dx: float, dy: float) -> gpd.GeoDataFrame:
    out = frame.copy()
    out.geometry = shapely.transform(frame.geometry.to_numpy(), lambda c: c + np.array([dx, dy]))
    return out


def tile(data: SampleData, scale: int) -> SampleData:
    """Return ``scale`` copies of the municipality side by side, with unique ids.

    Copy ``t`` (0-based) is shifted by :data:`TILE_STEP_M` on a near-square grid; copy 0 keeps
    the original ids, the others get new uuid5 property ids, ``T{t+1:03d}-`` district and
    source ids, and label ids offset by ``t`` × 10⁹. Exactly ``scale`` × 7,300 properties are
    then to convert.
    """
    if scale < 1:
        msg = f"scale must be a positive integer, got {scale}"
        raise ValueError(msg)
    if scale == 1:
        return data
    cols = math.ceil(math.sqrt(scale))
    parts: dict[str, list] = {k: [] for k in SampleData.__dataclass_fields__}
    for t in range(scale):
        dx, dy = (t % cols) * TILE_STEP_M[0], (t // cols) * TILE_STEP_M[1]
        if t == 0:
            for k in parts:
                parts[k].append(getattr(data, k))
            continue
        tag = f"T{t + 1:03d}-"
        pid = {p: str(uuid.uuid5(ID_NAMESPACE, f"{p}/{t}"))
               for p in data.properties["property_id"]}
        props = _shift(data.properties, dx, dy)
        props["property_id"] = props["property_id"].map(pid)
        props["district_id"] = tag + props["district_id"]
        districts = _shift(data.districts, dx, dy)
        districts["district_id"] = tag + districts["district_id"]
        districts["name"] = districts["name"] + f" ({t + 1})"
        sources = _shift(data.heat_sources, dx, dy)
        sources["source_id"] = tag + sources["source_id"]
        labels = data.labels.copy()
        labels["label_id"] = (labels["label_id"].astype("int64") + t * 10**9).astype(str)
        labels["property_id"] = labels["property_id"].map(pid)
        proposals = data.proposals.copy()
        proposals["label_id"] = (proposals["label_id"].astype("int64") + t * 10**9).astype(str)
        muni = _shift(data.municipality, dx, dy)
        muni["name"] = muni["name"] + f" ({t + 1})"
        works = data.planned_works
        if len(works):
            works = _shift(works, dx, dy)
            works["work_id"] = tag + works["work_id"]
        for k, v in (("properties", props), ("districts", districts),
                     ("streets", _shift(data.streets, dx, dy)),
                     ("dh_network", _shift(data.dh_network, dx, dy)),
                     ("heat_sources", sources), ("labels", labels), ("proposals", proposals),
                     ("municipality", muni), ("planned_works", works)):
            parts[k].append(v)
    merged = {k: pd.concat(v, ignore_index=True) for k, v in parts.items()}
    for k in ("properties", "districts", "streets", "dh_network", "heat_sources",
              "municipality", "planned_works"):
        if "geometry" in merged[k].columns:
            merged[k] = gpd.GeoDataFrame(merged[k], geometry="geometry", crs=PROJECT_CRS)
    merged["properties"] = merged["properties"].sort_values("property_id").reset_index(drop=True)
    merged["labels"] = merged["labels"].sort_values("label_id").reset_index(drop=True)
    return SampleData(**merged)
