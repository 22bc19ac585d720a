"""A small hand-made plan for the output tests: five districts, two phases, a dozen properties.

Every number is set here by hand; the yearly table and the CO2 trajectory are summed from the
property and trench rows so that the outputs can be checked against them.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiPolygon, Point, box

from heatplan.core.scenario import load_scenario
from heatplan.plan.result import Plan

CRS = "EPSG:25832"
X0, Y0 = 706_000.0, 6_179_000.0

# district_id: name, status, recommendation, phase, start, end, box (x, y offsets in m)
DISTRICTS = {
    "D0": ("Ballerup Bymidte", "existing_dh", "existing_dh", None, None, None, (0, 0)),
    "D1": ("Skovlunde Nord", "candidate_dh", "district_heating", 1, 2025, 2026, (1000, 0)),
    "D2": ("Egebjerg", "candidate_dh", "district_heating", 1, 2026, 2027, (2000, 0)),
    "D3": ("Måløv Øst & Kirkebakken", "candidate_dh", "district_heating", 2, 2028, 2029, (3000, 0)),
    "D4": ("Lundebjerg Vest", "candidate_dh", "individual_heat_pump", None, None, None, (4000, 0)),
}

# property_id: district, recommendation, heat MWh/a, CO2 before t/a, connection year, heating
PROPERTIES = [
    ("P01", "D1", "district_heating", 18.0, 3.7, 2026, "natural_gas"),
    ("P02", "D1", "district_heating", 22.0, 4.5, 2026, "natural_gas"),
    ("P03", "D1", "district_heating", 15.5, 4.2, 2027, "oil"),
    ("P04", "D2", "district_heating", 19.0, 3.9, 2027, "natural_gas"),
    ("P05", "D2", "district_heating", 140.0, 28.6, 2027, "natural_gas"),
    ("P06", "D2", "district_heating", 17.5, 3.6, 2028, "natural_gas"),
    ("P07", "D3", "district_heating", 16.0, 3.3, 2029, "natural_gas"),
    ("P08", "D3", "district_heating", 21.0, 5.7, 2029, "oil"),
    ("P09", "D3", "district_heating", 310.0, 63.2, 2030, "natural_gas"),
    ("P10", "D4", "individual_heat_pump", 20.0, 4.1, None, "natural_gas"),
    ("P11", "D4", "individual_heat_pump", 23.0, 6.2, None, "oil"),
    ("P12", "D0", "existing_dh", 45.0, 4.0, None, "district_heating"),
]

DN_BY_SEGMENT = {"S1": 150, "S2": 80, "S3": 65, "S4": 125, "S5": 50, "S6": 100, "S7": 40, "S8": 50}


def _district_box(dx: float, dy: float):
    return box(X0 + dx, Y0 + dy, X0 + dx + 900, Y0 + dy + 900)


def make_plan(*, synthetic: bool = True, with_changes: bool = False) -> Plan:
    """Return the hand-made plan."""
    scenario = load_scenario()
    rows = []
    for did, (name, status, rec, phase, start, end, (dx, dy)) in DISTRICTS.items():
        rows.append(
            {
                "district_id": did,
                "name": name,
                "status": status,
                "planned_phase": pd.NA,
                "recommendation": rec,
                "phase": phase,
                "start_year": start,
                "end_year": end,
                "geometry": _district_box(dx, dy),
            }
        )
    districts = gpd.GeoDataFrame(rows, crs=CRS).set_index("district_id")
    for col in ["planned_phase", "phase", "start_year", "end_year"]:
        districts[col] = pd.array(districts[col].tolist(), dtype="Int64")

    props = []
    for i, (pid, did, rec, heat, co2, conn, heating) in enumerate(PROPERTIES):
        dx, dy = DISTRICTS[did][6]
        x = X0 + dx + 100 + (i % 3) * 250
        y = Y0 + dy + 200 + (i % 2) * 300
        geom = box(x, y, x + 12, y + 10)
        if pid == "P05":  # a property with two buildings
            geom = MultiPolygon([geom, box(x + 20, y, x + 40, y + 15)])
        phase = DISTRICTS[did][3]
        start, end = DISTRICTS[did][4], DISTRICTS[did][5]
        after = (
            0.1 * co2
            if rec == "district_heating"
            else (0.25 * co2 if rec != "existing_dh" else co2)
        )
        props.append(
            {
                "property_id": pid,
                "address": f"Testvej {i + 1}, 2750 Ballerup",
                "postcode": "2750",
                "bbr_use_code": "140" if heat > 100 else "120",
                "year_built": 1960 + i,
                "heated_area_m2": heat * 7.0,
                "heating_installation": "1" if heating == "district_heating" else "2",
                "heating_fuel": ""
                if heating == "district_heating"
                else ("7" if heating == "natural_gas" else "3"),
                "owner_type": "50" if pid in {"P05", "P09"} else "10",
                "dwellings": 1,
                "district_id": did,
                "heating_type": heating,
                "is_to_convert": heating in {"natural_gas", "oil"},
                "heat_demand_mwh_a": heat,
                "demand_source": "label" if i % 2 else "area",
                "peak_load_kw": heat / 2.5,
                "co2_t_a": co2,
                "co2_after_t_a": round(after, 3),
                "recommendation": rec,
                "phase": phase,
                "offer_year": None if start is None else start - 1,
                "construction_start_year": start,
                "construction_end_year": end,
                "connection_year": conn,
                "geometry": geom,
            }
        )
    properties = gpd.GeoDataFrame(props, crs=CRS).set_index("property_id")
    for col in [
        "phase",
        "offer_year",
        "construction_start_year",
        "construction_end_year",
        "connection_year",
        "year_built",
        "dwellings",
    ]:
        properties[col] = pd.array(properties[col].tolist(), dtype="Int64")

    # trenches: a main along y = Y0 - 50 and branches into D1..D3
    segs = {
        "S1": ("D1", [(X0 + 900, Y0 - 50), (X0 + 1500, Y0 - 50)], None, 2025),
        "S2": ("D1", [(X0 + 1500, Y0 - 50), (X0 + 1500, Y0 + 600)], "S1", 2025),
        "S3": ("D1", [(X0 + 1500, Y0 + 600), (X0 + 1200, Y0 + 600)], "S2", 2026),
        "S4": ("D2", [(X0 + 1500, Y0 - 50), (X0 + 2500, Y0 - 50)], "S1", 2026),
        "S5": ("D2", [(X0 + 2500, Y0 - 50), (X0 + 2500, Y0 + 500)], "S4", 2027),
        "S6": ("D3", [(X0 + 2500, Y0 - 50), (X0 + 3500, Y0 - 50)], "S4", 2028),
        "S7": ("D3", [(X0 + 3500, Y0 - 50), (X0 + 3500, Y0 + 700)], "S6", 2029),
        # routed for D4's economics, not built: D4 gets individual heat pumps
        "S8": ("D4", [(X0 + 3500, Y0 - 50), (X0 + 4500, Y0 - 50)], "S6", None),
    }
    trows = []
    for sid, (did, coords, up, year) in segs.items():
        line = LineString(coords)
        dn = DN_BY_SEGMENT[sid]
        trows.append(
            {
                "segment_id": sid,
                "district_id": did,
                "length_m": line.length,
                "dn": dn,
                "peak_kw": dn * 20.0,
                "upstream_segment": up,
                "cost_dkk": line.length * (4000 + 40 * dn),
                "is_built": year is not None,
                "construction_year": year,
                "phase": DISTRICTS[did][3],
                "geometry": line,
            }
        )
    trenches = gpd.GeoDataFrame(trows, crs=CRS).set_index("segment_id")
    trenches["construction_year"] = pd.array(trenches["construction_year"].tolist(), dtype="Int64")
    trenches["phase"] = pd.array(trenches["phase"].tolist(), dtype="Int64")

    dh = properties[properties["recommendation"] == "district_heating"]
    centroids = dh.geometry.centroid
    service = gpd.GeoDataFrame(
        {
            "geometry": [LineString([(c.x, c.y), (c.x, c.y - 30)]) for c in centroids],
        },
        index=dh.index,
        crs=CRS,
    )
    service["length_m"] = service.length
    service["cost_dkk"] = service["length_m"] * 3500.0

    # district economics, summed from the rows above
    econ = properties[properties["is_to_convert"]].groupby("district_id")
    districts["n_to_convert"] = econ.size().reindex(districts.index).fillna(0).astype("int64")
    districts["heated_area_m2"] = econ["heated_area_m2"].sum().reindex(districts.index).fillna(0.0)
    districts["heat_demand_mwh_a"] = (
        econ["heat_demand_mwh_a"].sum().reindex(districts.index).fillna(0.0)
    )
    districts["trench_m"] = (
        trenches.groupby("district_id")["length_m"].sum().reindex(districts.index).fillna(0.0)
    )
    districts["feeder_trench_m"] = [0.0, 600.0, 1000.0, 1000.0, 0.0]
    districts["cost_dkk"] = trenches.groupby("district_id")["cost_dkk"].sum().reindex(
        districts.index
    ).fillna(0.0) + service.join(properties["district_id"]).groupby("district_id")[
        "cost_dkk"
    ].sum().reindex(districts.index).fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        districts["linear_heat_density_mwh_m_a"] = np.where(
            districts["trench_m"] > 0,
            districts["heat_demand_mwh_a"] / districts["trench_m"],
            np.nan,
        )
    co2_gain = (
        (properties["co2_t_a"] - properties["co2_after_t_a"])
        .groupby(properties["district_id"])
        .sum()
    )
    districts["co2_avoided_t_a"] = co2_gain.reindex(districts.index).fillna(0.0)
    districts["cost_per_t_dkk"] = np.where(
        districts["co2_avoided_t_a"] > 0,
        districts["cost_dkk"] / districts["co2_avoided_t_a"] / 20,
        np.nan,
    )
    districts["reason"] = [
        "already district heating",
        "linear heat density above threshold",
        "linear heat density above threshold",
        "linear heat density above threshold",
        "linear heat density 0.12 MWh/m/a below threshold 0.3",
    ]
    districts["fed_from"] = ["", "existing_network", "D1", "D2", ""]

    dh_network = gpd.GeoDataFrame(
        {"dn_mm": [200, 150]},
        geometry=[
            LineString([(X0 + 100, Y0 + 450), (X0 + 800, Y0 + 450)]),
            LineString([(X0 + 800, Y0 + 450), (X0 + 900, Y0 - 50)]),
        ],
        crs=CRS,
    )
    heat_sources = gpd.GeoDataFrame(
        {"source_id": ["HS1"], "name": ["Transmission Vestforbrænding"], "capacity_mw": [40.0]},
        geometry=[Point(X0 + 100, Y0 + 450)],
        crs=CRS,
    ).set_index("source_id")

    renovation = pd.DataFrame(
        {
            "property_id": ["P09", "P05", "P12"],
            "rank": [1, 2, 3],
            "name": ["Kirkebakkeskolen", "Egebjerg Børnehus", "Rådhuset"],
            "label_class": ["E", "D", "C"],
            "co2_reduction_t": [120.5, 34.25, 8.0],
            "investment_dkk": [2_400_000.0, 850_000.0, 400_000.0],
            "cost_per_t_dkk": [19_917.0, 24_817.5, 50_000.0],
            "payback_years": [14.2, 17.9, 31.0],
            "reason": ["largest heat demand, gas until 2030", "gas until 2027", "already DH"],
        }
    ).set_index("property_id")

    conn = properties.dropna(subset=["connection_year"])
    years_index = pd.RangeIndex(2025, 2031, name="year")
    years = pd.DataFrame(index=years_index)
    years["connections"] = (
        conn.groupby("connection_year").size().reindex(years_index).fillna(0).astype("int64")
    )
    years["trench_km"] = (
        (trenches.groupby("construction_year")["length_m"].sum() / 1000)
        .reindex(years_index)
        .fillna(0.0)
    )
    years["cost_dkk"] = (
        trenches.groupby("construction_year")["cost_dkk"].sum().reindex(years_index).fillna(0.0)
    )
    avoided = (conn["co2_t_a"] - conn["co2_after_t_a"]).groupby(conn["connection_year"]).sum()
    avoided_cum = avoided.reindex(years_index).fillna(0.0).cumsum()

    # the CO2 trajectory, named as plan/trajectory.py names it
    traj_index = pd.RangeIndex(2024, 2046, name="year")
    base = float(properties["co2_t_a"].sum())
    cum = avoided_cum.reindex(traj_index).ffill().fillna(0.0)
    co2 = pd.DataFrame(index=traj_index)
    co2["baseline_co2_t"] = base
    co2["target_co2_t"] = base * 0.15
    co2["co2_without_ccs_t"] = base - cum
    co2["co2_with_ccs_t"] = np.where(traj_index >= 2030, (base - cum) * 0.6, base - cum)
    co2["co2_t"] = co2["co2_without_ccs_t"]
    co2["co2_no_plan_t"] = base
    co2["reduction_share"] = 1 - co2["co2_t"] / base
    years["co2_t"] = co2["co2_t"].reindex(years_index)
    years["co2_avoided_t"] = (co2["co2_no_plan_t"] - co2["co2_t"]).reindex(years_index)

    rejected = {
        "properties": gpd.GeoDataFrame(
            {
                "property_id": ["X1", "X2"],
                "heated_area_m2": [0.0, 120.0],
                "reason": ["heated_area_m2 must be > 0", "heating_installation code 'Q' unknown"],
            },
            geometry=[box(X0 + 1300, Y0 + 800, X0 + 1310, Y0 + 810), None],
            crs=CRS,
        ),
        "labels": pd.DataFrame(
            {
                "label_id": ["L77"],
                "property_id": ["P99"],
                "reason": ["property_id P99 not in properties"],
            }
        ),
    }
    changes = None
    if with_changes:
        changes = pd.DataFrame(  # the columns of plan.revision.compare_plans
            {
                "kind": ["district", "district"],
                "id": ["D2", "D3"],
                "field": ["start_year", "phase"],
                "old": ["2025", "1"],
                "new": ["2026", "2"],
                "description": ["Startår flyttet fra 2025 til 2026", "Fase 1 → 2"],
            }
        )
    summary = {
        "n_properties_to_convert": int(properties["is_to_convert"].sum()),
        "used": "milp",
        "gap": 0.004,
        "run_time_s": 1.5,
    }
    return Plan(
        properties=properties,
        districts=districts,
        trenches=trenches,
        service_pipes=service,
        dh_network=dh_network,
        heat_sources=heat_sources,
        renovation=renovation,
        years=years,
        co2_trajectory=co2,
        rejected=rejected,
        changes=changes,
        summary=summary,
        scenario=scenario,
        is_synthetic=synthetic,
        municipality_code=str(scenario.value("general.municipality_code")),
    )
