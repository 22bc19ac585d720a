"""Energy districts and the feed point of an import: from the user's files, else derived.

- energy districts from a heat-plan layer, or formed from building clusters split by a grid;
- feed point: given, or derived at the street node nearest the largest existing DH cluster.

Distances are metres (EPSG:25832), areas m².
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from heatplan import PROJECT_CRS
from heatplan.importers.inputs import ImportSettings, ImportSources
from heatplan.importers.properties import UNKNOWN_ADDRESS
from heatplan.importers.tally import code_counts
from heatplan.io import geodanmark, plandata

logger = logging.getLogger(__name__)


def _clusters(geoms: np.ndarray, distance_m: float) -> np.ndarray:
    """Label geometries so that any two closer than ``distance_m`` share a label."""
    pairs = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=distance_m)
    graph = sparse.coo_matrix(
        (np.ones(pairs.shape[1]), (pairs[0], pairs[1])), shape=(len(geoms), len(geoms))
    )
    return csgraph.connected_components(graph, directed=False)[1]


def assign_districts(
    sources: ImportSources, properties: gpd.GeoDataFrame, settings: ImportSettings,
    counts: dict[str, Any], notes: list[str],
) -> gpd.GeoDataFrame:
    """The energy districts: the heat-plan layer when given, else formed from the properties.

    Sets ``properties["district_id"]`` in place (missing for a property outside every
    district of a heat-plan layer).
    """
    if sources.districts is not None:
        districts = plandata.read_districts(
            sources.districts, layer=sources.districts_layer, column_map=sources.district_map,
            municipality=counts["municipality"],
        )
        counts["districts_source"] = str(sources.districts)
        joined = gpd.sjoin(
            properties[["geometry"]].set_geometry(properties.representative_point()),
            districts[["geometry"]], how="left", predicate="within",
        )
        first = joined[~joined.index.duplicated(keep="first")]["district_id"]
        properties["district_id"] = first.reindex(properties.index).astype(object)
        counts["properties_outside_districts"] = int(properties["district_id"].isna().sum())
    else:
        districts, district_of = form_districts(properties, settings)
        properties["district_id"] = district_of.reindex(properties.index).to_numpy()
        counts["districts_source"] = "formed (building clusters split by a grid)"
        notes.append(
            f"No heat-plan layer given: {len(districts)} districts were formed from building "
            f"clusters ({settings.cluster_distance_m:g} m) split by a "
            f"{settings.district_cell_m:g} m grid. Replace them with the municipality's "
            f"energy districts (--districts) when they exist."
        )
    counts["districts"] = len(districts)
    counts["district_status"] = code_counts(districts["status"])
    return districts


def form_districts(
    properties: gpd.GeoDataFrame, settings: ImportSettings
) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """Form energy districts from the properties when no heat-plan layer exists.

    Properties closer than ``cluster_distance_m`` form one built-up cluster; each cluster is
    split by a square grid of ``district_cell_m``; pieces with fewer than
    ``min_district_properties`` properties join the nearest larger piece. A district's polygon
    is its properties buffered by ``district_buffer_m``, clipped to its grid cells, so districts
    never overlap. Its status is ``existing_dh`` when most of its heated area has district
    heating (byg056 1), else ``undecided`` (heatplan recommends). Its name is the most common
    street of its addresses.

    Returns
    -------
    districts, district_of
        The districts (index ``district_id``, ``A01``, ``A02``, … from north-west to
        south-east) and each property's district id.
    """
    geoms = properties.geometry.to_numpy()
    reps = shapely.point_on_surface(geoms)
    cell = settings.district_cell_m
    cx = np.floor(shapely.get_x(reps) / cell).astype(np.int64)
    cy = np.floor(shapely.get_y(reps) / cell).astype(np.int64)
    keys = pd.DataFrame({"cluster": _clusters(geoms, settings.cluster_distance_m),
                         "cx": cx, "cy": cy})
    piece = keys.groupby(["cluster", "cx", "cy"], sort=True).ngroup().to_numpy()
    target = _merge_small_pieces(piece, reps, settings.min_district_properties)
    table = _district_table(properties, piece, target, cx, cy, settings)
    table = table.sort_values(["y", "x"], ascending=[False, True], kind="stable")
    width = max(2, len(str(len(table))))
    table["district_id"] = [f"A{i + 1:0{width}d}" for i in range(len(table))]
    table["name"] = table["name"].fillna(table["district_id"])
    id_of_key = dict(zip(table["key"], table["district_id"], strict=True))
    districts = gpd.GeoDataFrame(
        table[["district_id", "name", "status", "n_properties", "dh_area_share"]],
        geometry=table["geometry"].to_numpy(), crs=PROJECT_CRS,
    ).set_index("district_id")
    districts["planned_phase"] = pd.array([pd.NA] * len(districts), dtype="Int64")
    districts["origin"] = "formed from building clusters and a grid (no heat-plan layer)"
    district_of = pd.Series(target[piece], index=properties.index).map(id_of_key)
    return districts, district_of.rename("district_id")


def _merge_small_pieces(piece: np.ndarray, reps: np.ndarray, min_properties: int) -> np.ndarray:
    """The piece that each grid piece of a cluster joins to form a district.

    A piece with ``min_properties`` properties or more is its own; a smaller one joins the
    nearest of those (by mean position), or the largest piece when none is that big.
    """
    n_pieces = int(piece.max()) + 1
    sizes = np.bincount(piece, minlength=n_pieces)
    px = np.bincount(piece, weights=shapely.get_x(reps), minlength=n_pieces) / sizes
    py = np.bincount(piece, weights=shapely.get_y(reps), minlength=n_pieces) / sizes
    big = np.flatnonzero(sizes >= min_properties)
    if len(big) == 0:
        big = np.array([int(np.argmax(sizes))])
    nearest = np.argmin(np.hypot(px[:, None] - px[big], py[:, None] - py[big]), axis=1)
    target = big[nearest]
    target[big] = big
    return target


def _district_table(
    properties: gpd.GeoDataFrame, piece: np.ndarray, target: np.ndarray, cx: np.ndarray,
    cy: np.ndarray, settings: ImportSettings,
) -> pd.DataFrame:
    """One row per district (``key``: its piece): name, status, polygon and centroid x, y."""
    geoms = properties.geometry.to_numpy()
    cell = settings.district_cell_m
    buffer_m = min(settings.district_buffer_m, settings.cluster_distance_m / 2)
    sizes = np.bincount(piece, minlength=len(target))
    order = np.argsort(piece, kind="stable")
    members_of = np.split(order, np.cumsum(sizes)[:-1])  # positions of each piece's properties
    buffers = shapely.buffer(geoms, buffer_m, quad_segs=4)
    area = properties["heated_area_m2"].to_numpy(dtype=float)
    dh_area = np.where(properties["heating_installation"].to_numpy() == "1", area, 0.0)
    street = (properties["address"].astype("string")
              .str.replace(r"\s+\S*\d\S*$", "", regex=True).to_numpy())
    rows = []
    for k in np.unique(target):
        positions = np.concatenate([members_of[p] for p in np.flatnonzero(target == k)])
        pieces = []
        for p in np.flatnonzero(target == k):
            gx, gy = cx[members_of[p][0]], cy[members_of[p][0]]
            box = shapely.box(gx * cell, gy * cell, (gx + 1) * cell, (gy + 1) * cell)
            pieces.append(shapely.intersection(shapely.union_all(buffers[members_of[p]]), box))
        polygon = shapely.union_all(pieces)
        dh_share = dh_area[positions].sum() / max(area[positions].sum(), 1e-9)
        rows.append({
            "key": int(k), "name": _district_name(street[positions]),
            "n_properties": len(positions), "dh_area_share": round(float(dh_share), 3),
            "status": "existing_dh" if dh_share > 0.5 else "undecided",
            "geometry": polygon, "y": shapely.get_y(shapely.centroid(polygon)),
            "x": shapely.get_x(shapely.centroid(polygon)),
        })
    return pd.DataFrame(rows)


def _district_name(streets: np.ndarray) -> str | None:
    """The most common street of a district (``"Vej m.fl."`` when it has more than one).

    Examples
    --------
    >>> _district_name(np.array(["Byvej", "Engvej", "Engvej", "Adresse ukendt"], dtype=object))
    'Engvej m.fl.'
    """
    names = pd.Series(streets).dropna()
    names = names[~names.isin([UNKNOWN_ADDRESS, ""])]
    top = names.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    return (f"{top.index[0]} m.fl." if len(top) > 1 else top.index[0]) if len(top) else None


def feed_points(
    sources: ImportSources, properties: gpd.GeoDataFrame, streets: gpd.GeoDataFrame,
    settings: ImportSettings, counts: dict[str, Any], notes: list[str],
) -> gpd.GeoDataFrame:
    """The heat sources: the user's point layer when given, else one derived from BBR.

    Returns
    -------
    heat_sources
        Indexed by ``source_id`` (``S1``, ``S2``, … when the layer has none): ``name``,
        ``is_derived``; Points.
    """
    if sources.heat_sources is not None:
        heat_sources = geodanmark.read_layer(sources.heat_sources)
        heat_sources = heat_sources[heat_sources.geom_type == "Point"]
        if "source_id" not in heat_sources:
            heat_sources["source_id"] = [f"S{i + 1}" for i in range(len(heat_sources))]
        if "name" not in heat_sources:
            heat_sources["name"] = heat_sources["source_id"]
        heat_sources = heat_sources.set_index("source_id")
        heat_sources["is_derived"] = False
    else:
        heat_sources = derive_heat_source(properties, streets, settings, notes)
    counts["heat_sources"] = len(heat_sources)
    counts["heat_source_derived"] = bool(heat_sources["is_derived"].any())
    return heat_sources


def derive_heat_source(
    properties: gpd.GeoDataFrame, streets: gpd.GeoDataFrame, settings: ImportSettings,
    notes: list[str],
) -> gpd.GeoDataFrame:
    """A feed point where the register shows existing district heating.

    The properties with district heating (byg056 1) are clustered (``cluster_distance_m``);
    the feed point is the street node (segment end) nearest the centre of the cluster with the
    largest heated area. Without any district heating it is the street node nearest the
    area-weighted centre of all properties. Flagged ``is_derived``.
    """
    dh = properties[properties["heating_installation"] == "1"]
    if len(dh):
        cluster_of = _clusters(dh.geometry.to_numpy(), settings.cluster_distance_m)
        area = pd.Series(dh["heated_area_m2"].to_numpy()).groupby(cluster_of).sum()
        best = int(area.sort_values(ascending=False, kind="stable").index[0])
        chosen = dh[cluster_of == best]
        centre = shapely.centroid(shapely.union_all(chosen.geometry.to_numpy()))
        how = (f"derived: street node nearest the largest existing district-heating cluster in "
               f"BBR ({len(chosen)} buildings with byg056 1, {chosen['heated_area_m2'].sum():,.0f}"
               f" m²)")
        name = "Eksisterende fjernvarme (afledt tilslutningspunkt)"
    else:
        w = properties["heated_area_m2"].to_numpy()
        reps = shapely.point_on_surface(properties.geometry.to_numpy())
        centre = shapely.Point(np.average(shapely.get_x(reps), weights=w),
                               np.average(shapely.get_y(reps), weights=w))
        how = ("derived: no district heating in BBR; street node nearest the area-weighted "
               "centre of the properties")
        name = "Antaget tilslutningspunkt (afledt)"
    nodes = shapely.get_parts(shapely.boundary(streets.geometry.to_numpy()))
    node = nodes[int(np.argmin(shapely.distance(nodes, centre)))] if len(nodes) else centre
    notes.append(f"No --heat-sources given: one feed point {how}. Check it with the utility.")
    logger.warning("%s", notes[-1])
    sources = gpd.GeoDataFrame(
        {"source_id": ["derived_feed_1"], "name": [name], "capacity_mw": [np.nan],
         "is_derived": [True], "derivation": [how]},
        geometry=[node], crs=PROJECT_CRS,
    )
    return sources.set_index("source_id")
