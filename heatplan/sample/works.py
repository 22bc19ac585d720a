"""Other works in the sample's streets: the optional ``planned_works`` layer.

A dozen works on named streets of the candidate districts (repaving done in recent years,
water, sewer and fibre works planned in the coming years, a road renewal, a repaving planned
after the district-heating works), each drawn as the street's centreline (MultiLineString), so
that the digging schedule of the bundled sample meets conflicts to coordinate. Drawn with a
random generator of its own, after everything else, so the other layers are the same with or
without it.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatplan import PROJECT_CRS
from heatplan.core.schema import PLANNED_WORKS

STREAM = 16
"""Second part of the generator's seed (``[seed, STREAM]``): the works' own random stream."""

ROAD_OWNER = "Vejmyndigheden (kommunen)"
WATER_OWNER = "Vand- og spildevandsselskabet"
FIBRE_OWNER = "Teleselskab"

# work type, year, end year, description template (the street's name fills {street}), owner
WORKS: tuple[tuple[str, int, int | None, str, str], ...] = (
    ("repaving", 2022, None, "Nyt slidlag på {street}", ROAD_OWNER),
    ("repaving", 2023, None, "Ny asfalt og fortove på {street}", ROAD_OWNER),
    ("repaving", 2021, None, "Nyt slidlag på {street}", ROAD_OWNER),
    ("water", 2025, None, "Udskiftning af vandledning i {street}", WATER_OWNER),
    ("sewer", 2026, 2027, "Separatkloakering af {street}", WATER_OWNER),
    ("sewer", 2027, None, "Renovering af kloak i {street}", WATER_OWNER),
    ("water", 2028, None, "Ny hovedvandledning i {street}", WATER_OWNER),
    ("fibre", 2025, None, "Fiber til husstandene på {street}", FIBRE_OWNER),
    ("road_renewal", 2026, 2027, "Ombygning af {street} (trafiksikkerhed, bump og "
     "cykelbaner)", ROAD_OWNER),
    ("repaving", 2029, None, "Nyt slidlag på {street} efter gravearbejderne", ROAD_OWNER),
    ("sewer", 2015, None, "Klimatilpasning af {street} (udført)", WATER_OWNER),
    ("power", 2024, None, "Nye elkabler i {street}", "Elnetselskabet"),
)


def _named_streets(streets: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Named local and collector streets of the candidate districts: one row per street and
    district, with the street's pieces in that district merged into one line."""
    candidates = districts[districts["status"] == "candidate_dh"].sort_values("district_id")
    roads = streets[streets["road_class"].isin(["local", "collector"]) & streets["name"].notna()]
    mid = shapely.line_interpolate_point(roads.geometry.to_numpy(), 0.5, normalized=True)
    tree = shapely.STRtree(candidates.geometry.to_numpy())
    piece, district = tree.query(mid, predicate="within")
    rows = pd.DataFrame({
        "district_id": candidates["district_id"].to_numpy()[district],
        "name": roads["name"].to_numpy()[piece],
        "geometry": roads.geometry.to_numpy()[piece],
    })
    merged = rows.groupby(["district_id", "name"], sort=True)["geometry"].agg(
        lambda g: shapely.line_merge(shapely.union_all(list(g))))
    out = merged.reset_index()
    out["length_m"] = shapely.length(out["geometry"].to_numpy())
    return out[out["length_m"] >= 150].reset_index(drop=True)


def planned_works(streets: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, seed: int
                  ) -> gpd.GeoDataFrame:
    """Return the sample's ``planned_works`` layer (columns as the contract, EPSG:25832).

    Each work of :data:`WORKS` takes a different named street of a candidate district, drawn
    with ``numpy.random.default_rng([seed, STREAM])``.
    """
    rng = np.random.default_rng([seed, STREAM])
    named = _named_streets(streets, districts)
    chosen = rng.choice(len(named), size=len(WORKS), replace=False)
    rows, geoms = [], []
    for k, (i, work) in enumerate(zip(chosen, WORKS, strict=True)):
        kind, year, end, description, owner = work
        street = named.iloc[int(i)]
        geoms.append(shapely.multilinestrings(shapely.get_parts(street["geometry"])))
        rows.append({
            "work_id": f"VA-{year}-{k + 1:03d}", "work_type": kind, "year": year,
            "end_year": end, "description": description.format(street=street["name"]),
            "owner": owner,
        })
    table = pd.DataFrame(rows)
    table["year"] = table["year"].astype("int64")
    table["end_year"] = pd.array(table["end_year"].tolist(), dtype="Int64")
    columns = [c.name for c in PLANNED_WORKS.columns]
    return gpd.GeoDataFrame(table[columns], geometry=geoms, crs=PROJECT_CRS)
