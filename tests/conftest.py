"""Shared test fixtures: a tiny toy municipality built in code.

The toy dataset (EPSG:25832, near Ballerup) is small enough to check by hand:

- ``districts``: ``D1`` (candidate_dh, planned phase 1) and ``D2`` (existing_dh), two
  200 m × 200 m squares side by side (x 708,000–708,200 and 708,200–708,400).
- ``properties``: six, ``P1``–``P6``. ``P2`` and ``P4`` are footprints (polygons) without a
  ``district_id`` (assigned by location: P2 → D1, P4 → D2); the rest are address points with
  their ``district_id``. To convert (individual gas or oil): P1, P2, P5 (D1) and P6 (D2).
  Municipal (owner type 50): P4 (school, 421) and P5 (day care, 441).
- ``streets``: three lines, 400 m + 150 m + 150 m; ``dh_network``: one 150 m main in D2;
  ``heat_sources``: ``S1`` at the east end of the main street.
- ``labels``: ``L1`` (P4, D), ``L2`` (P5, E, no valid_to: expires 2025-03-01), ``L3`` (P1, C).
- ``proposals``: four, two of them for ``L1``.

Use it like this::

    def test_something(toy_tables, write_toy_dataset, tmp_path):
        toy_tables["properties"].loc[0, "heated_area_m2"] = 0   # break something
        data_dir = write_toy_dataset(toy_tables, tmp_path, fmt="shp")

Functions: ``make_toy_tables()``, ``write_dataset(tables, folder, fmt=...)`` and
``make_raw_dataset(tables)`` (the tables as read, without files: fast validation tests).
Fixtures: ``toy_tables`` (a fresh dict of tables per test; change it freely),
``write_toy_dataset`` (``write_dataset`` below), ``toy_data_dir`` (the toy written as a
GeoPackage folder) and ``toy_dataset`` (it loaded and validated: a
:class:`heatplan.core.dataset.Dataset`). ``SAMPLE_DIR`` is the repository's bundled sample.
"""

from __future__ import annotations

import io
import shutil
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

CRS = "EPSG:25832"
X0, Y0 = 708_000.0, 6_180_000.0
REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def make_toy_tables() -> dict[str, pd.DataFrame]:
    """Return the toy dataset's tables, as a user would write them (codes as text)."""
    districts = gpd.GeoDataFrame(
        {
            "district_id": ["D1", "D2"],
            "name": ["Skovlunde Nord", "Ballerup Centrum"],
            "status": ["candidate_dh", "existing_dh"],
            "planned_phase": pd.array([1, pd.NA], dtype="Int64"),
        },
        geometry=[box(X0, Y0, X0 + 200, Y0 + 200), box(X0 + 200, Y0, X0 + 400, Y0 + 200)],
        crs=CRS,
    )
    properties = gpd.GeoDataFrame(
        {
            "property_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
            "address": ["Egevej 1", "Egevej 3", "Torvet 2", "Skolevej 10", "Egevej 20",
                        "Torvet 8"],
            "postcode": ["2740 Skovlunde"] * 2 + ["2750 Ballerup"] * 2 + ["2740 Skovlunde",
                                                                          "2750 Ballerup"],
            "bbr_use_code": ["120", "131", "140", "421", "441", "120"],
            "year_built": [1965, 1972, 1968, 1962, 1970, 1958],
            "heated_area_m2": [140.0, 110.5, 2400.0, 5200.0, 650.0, 160.0],
            "heating_installation": ["2", "2", "1", "1", "2", "8"],
            "heating_fuel": ["7", "3", None, None, "7", "7"],
            "owner_type": ["10", "10", "20", "50", "50", "10"],
            "dwellings": [1, 1, 30, 0, 0, 1],
            "district_id": ["D1", None, "D2", None, "D1", "D2"],
            "connection_status": [None, None, "connected", "connected", None, "signed_up"],
        },
        geometry=[
            Point(X0 + 50, Y0 + 50),
            box(X0 + 100, Y0 + 120, X0 + 115, Y0 + 132),
            Point(X0 + 250, Y0 + 150),
            box(X0 + 300, Y0 + 20, X0 + 360, Y0 + 60),
            Point(X0 + 150, Y0 + 40),
            Point(X0 + 380, Y0 + 180),
        ],
        crs=CRS,
    )
    streets = gpd.GeoDataFrame(
        {"road_class": ["collector", "local", "local"], "name": ["Egevej", "Torvet", "Skolevej"]},
        geometry=[
            LineString([(X0, Y0 + 100), (X0 + 400, Y0 + 100)]),
            LineString([(X0 + 250, Y0 + 100), (X0 + 250, Y0 + 250)]),
            LineString([(X0 + 330, Y0 + 100), (X0 + 330, Y0 - 50)]),
        ],
        crs=CRS,
    )
    dh_network = gpd.GeoDataFrame(
        {"dn_mm": [100]},
        geometry=[LineString([(X0 + 250, Y0 + 100), (X0 + 400, Y0 + 100)])],
        crs=CRS,
    )
    heat_sources = gpd.GeoDataFrame(
        {"source_id": ["S1"], "name": ["Transmission Ballerup Øst"], "capacity_mw": [10.0]},
        geometry=[Point(X0 + 400, Y0 + 100)],
        crs=CRS,
    )
    labels = pd.DataFrame(
        {
            "label_id": ["L1", "L2", "L3"],
            "property_id": ["P4", "P5", "P1"],
            "label_class": ["D", "E", "C"],
            "valid_from": ["2019-05-01", "2015-03-01", "2021-01-01"],
            "valid_to": ["2029-05-01", None, "2031-01-01"],
            "heated_area_m2": [5200.0, 650.0, 140.0],
            "heat_supply": ["Fjernvarme", "Naturgas", "Naturgas"],
            "calculated_heat_kwh_a": [650_000.0, 110_000.0, 18_000.0],
        }
    )
    proposals = pd.DataFrame(
        {
            "label_id": ["L1", "L1", "L2", "L3"],
            "proposal_id": ["1", "2", "1", "1"],
            "description": ["Efterisolering af loft", "Udskiftning af vinduer",
                            "Efterisolering af hulmur", "Ny termostatventiler"],
            "investment_dkk": [400_000.0, 1_200_000.0, 90_000.0, 6_000.0],
            "saving_dkk_a": [30_000.0, 45_000.0, 9_000.0, 900.0],
            "heat_saved_kwh_a": [60_000.0, 90_000.0, 12_000.0, 1_200.0],
            "lifetime_a": [40.0, 30.0, 40.0, 20.0],
            "is_profitable": [True, False, True, True],
        }
    )
    return {
        "properties": properties, "districts": districts, "streets": streets,
        "dh_network": dh_network, "heat_sources": heat_sources, "labels": labels,
        "proposals": proposals,
    }


def write_dataset(
    tables: dict[str, pd.DataFrame], data_dir: Path, *, fmt: str = "gpkg"
) -> Path:
    """Write ``tables`` as a dataset folder and return it.

    ``fmt="gpkg"`` writes one ``gis_data/toy.gpkg`` with a layer per GIS table; ``"shp"``,
    ``"geojson"`` or ``"fgb"`` one file per layer (``gis_data/properties.shp`` ...). A
    Shapefile holds one geometry type, so mixed point/polygon properties are written there as
    points inside the polygons. Label tables
    go to ``energy_labels/<name>.csv`` (UTF-8, commas). A table set to ``None`` is left out.
    """
    gis_dir = data_dir / "gis_data"
    labels_dir = data_dir / "energy_labels"
    gis_dir.mkdir(parents=True, exist_ok=True)
    labels_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if table is None:
            continue
        if isinstance(table, gpd.GeoDataFrame):
            if fmt == "gpkg":
                table.to_file(gis_dir / "toy.gpkg", layer=name, driver="GPKG", engine="pyogrio")
            else:
                driver = {"shp": "ESRI Shapefile", "geojson": "GeoJSON", "fgb": "FlatGeobuf"}[fmt]
                if fmt == "shp" and table.geom_type.nunique() > 1:
                    # a Shapefile holds one geometry type: footprints become points inside them
                    table = table.set_geometry(table.representative_point())
                with warnings.catch_warnings():  # Shapefile field names are cut to 10 chars
                    warnings.simplefilter("ignore", UserWarning)
                    warnings.simplefilter("ignore", RuntimeWarning)
                    table.to_file(gis_dir / f"{name}.{fmt}", driver=driver, engine="pyogrio")
        else:
            table.to_csv(labels_dir / f"{name}.csv", index=False)
    return data_dir


def make_raw_dataset(tables: dict[str, pd.DataFrame | None]):
    """Return ``tables`` as :func:`heatplan.io.layers.read_dataset` would, without any file.

    GIS tables are taken as they are (named as layers of ``gis_data/toy.gpkg``); label tables
    become text, as a CSV file is read. Much faster than writing and reading files.
    """
    from heatplan.core.dataset import LayerSource
    from heatplan.io.layers import dataset_as_read

    raw: dict[str, pd.DataFrame | None] = {}
    sources = {}
    for name, table in tables.items():
        if table is None:
            raw[name] = None
            continue
        if isinstance(table, gpd.GeoDataFrame):
            raw[name] = table.copy()
            sources[name] = LayerSource(Path("gis_data/toy.gpkg"), name)
        else:
            text = table.to_csv(index=False)
            raw[name] = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                                    na_values=[""])
            sources[name] = LayerSource(Path(f"energy_labels/{name}.csv"))
    return dataset_as_read(raw, sources)


@pytest.fixture
def toy_tables() -> dict[str, pd.DataFrame]:
    """A fresh copy of the toy tables, to change in a test."""
    return make_toy_tables()


@pytest.fixture
def write_toy_dataset():
    """The function :func:`write_dataset` (``write_toy_dataset(tables, folder, fmt=...)``)."""
    return write_dataset


@pytest.fixture(scope="session")
def _toy_data_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(make_toy_tables(), tmp_path_factory.mktemp("toy_template"))


@pytest.fixture
def toy_data_dir(_toy_data_template: Path, tmp_path: Path) -> Path:
    """The toy dataset written as a folder with ``gis_data/toy.gpkg`` and label CSVs.

    A fresh copy per test: change its files freely.
    """
    return Path(shutil.copytree(_toy_data_template, tmp_path / "toy"))


@pytest.fixture
def toy_dataset(toy_data_dir: Path):
    """The toy dataset loaded and validated (a :class:`heatplan.core.dataset.Dataset`)."""
    from heatplan.core.scenario import load_scenario
    from heatplan.validate import load_dataset

    return load_dataset(toy_data_dir, scenario=load_scenario()).dataset
