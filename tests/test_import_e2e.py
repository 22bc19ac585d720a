"""End to end: import Dragør (0155) from the real extracts, then validate (and plan) it.

The expected number of kept buildings is computed here from the raw XML text with regular
expressions, independently of the importer.
"""

from __future__ import annotations

import json
import re
import traceback
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

from heatplan.cli import cli

DAWA = Path(__file__).resolve().parents[2] / "shared" / "data" / "dawa-testdata"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not DAWA.is_dir(), reason=f"real register extracts not found at {DAWA} (../shared absent)"
    ),
]


def _args(out: Path, *extra: str) -> list[str]:
    def one(pattern: str) -> str:
        return str(next(DAWA.glob(pattern)))

    return [
        "import", "bbr",
        "--bbr", one("OIS_GRBBR_CO50200T_*.ZIP"), "--units", one("OIS_GRBBR_CO50500T_*.ZIP"),
        "--storeys", one("OIS_GRBBR_CO50800T_*.ZIP"), "--tanks", one("OIS_GRBBR_CO51500T_*.ZIP"),
        "--footprints", str(DAWA / "bygninger.json"), "--addresses", str(DAWA / "Adresse.ndjson"),
        "--address-points", str(DAWA / "Adressepunkt.ndjson"),
        "--roads", str(DAWA / "VejmidtTest.json"), "--municipality", "0155",
        "--name", "dragor", "--out", str(out), *extra,
    ]


def _expected_kept() -> int:
    """Current, built (6), heated (byg056 not empty; 9 only with an area) Dragør buildings."""
    path = next(DAWA.glob("OIS_GRBBR_CO50200T_*.ZIP"))
    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0]).decode("iso-8859-1")
    field = re.compile(r"<([^<>/\s]+)>([^<]*)</\1>")
    n = 0
    for chunk in text.split("<CO50200t>")[1:]:
        r = dict(field.findall(chunk))
        if ("registreringTil" in r or "virkningTil" in r or r["kommunekode"] != "0155"
                or r["status"] != "6"):
            continue
        heating = r.get("byg056Varmeinstallation")
        area = sum(float(r.get(k) or 0) for k in ("byg039BygningensSamledeBoligAreal",
                                                   "byg040BygningensSamledeErhvervsAreal"))
        area = area or float(r.get("byg038SamletBygningsareal") or 0)
        n += heating is not None and not (heating == "9" and area == 0)
    return n


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("dragor")
    result = CliRunner().invoke(cli, _args(out, "--json"))
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


def test_import_writes_a_dataset_folder_with_counts(imported):
    out, printed = imported
    counts = printed["counts"]
    assert counts["kept"] == _expected_kept() == 194
    assert counts["bbr_current_buildings"] == counts["kept"] + sum(counts["rejected"].values())
    report = json.loads((out / "import_report.json").read_text(encoding="utf-8"))
    assert report["counts"] == counts
    gpkg = out / "gis_data" / "dragor.gpkg"
    assert sorted(pyogrio.list_layers(gpkg)[:, 0]) == [
        "districts", "heat_sources", "properties", "streets",
    ]
    rejected = gpd.read_file(out / "import_rejected.gpkg", layer="rejected")
    assert len(rejected) == sum(counts["rejected"].values())
    assert rejected["reason"].value_counts().to_dict() == counts["rejected"]


def test_written_layers_are_2d_epsg25832_and_consistent(imported):
    out, printed = imported
    gpkg = out / "gis_data" / "dragor.gpkg"
    properties = gpd.read_file(gpkg, layer="properties")
    districts = gpd.read_file(gpkg, layer="districts")
    streets = gpd.read_file(gpkg, layer="streets")
    sources = gpd.read_file(gpkg, layer="heat_sources")
    for layer in (properties, districts, streets, sources):
        assert layer.crs.to_epsg() == 25832
        assert not layer.has_z.any()
        lowered = [c.lower() for c in layer.columns]
        assert len(lowered) == len(set(lowered))
    assert properties["property_id"].is_unique
    assert set(properties["district_id"]) <= set(districts["district_id"])
    union = shapely.union_all(districts.geometry.to_numpy())
    assert districts.area.sum() == pytest.approx(union.area)  # districts do not overlap
    inside = properties.representative_point().within(
        districts.set_index("district_id").geometry.loc[properties["district_id"]],
        align=False,
    )
    assert inside.all()
    # the derived feed point is a street node and is flagged
    assert bool(sources["is_derived"].iloc[0])
    nodes = shapely.get_parts(shapely.boundary(streets.geometry.to_numpy()))
    assert np.min(shapely.distance(nodes, sources.geometry.iloc[0])) == 0
    assert printed["counts"]["streets"] == len(streets)


def test_validate_accepts_the_import(imported, tmp_path):
    out, printed = imported
    from heatplan.core.scenario import load_scenario
    from heatplan.validate import load_dataset

    result = load_dataset(out, scenario=load_scenario())
    assert len(result.dataset.properties) == printed["counts"]["kept"]
    assert len(result.dataset.districts) == printed["counts"]["districts"]
    cli_result = CliRunner().invoke(
        cli, ["validate", str(out), "--rejected", str(tmp_path / "rejected.gpkg")]
    )
    assert cli_result.exit_code == 0, cli_result.output


def test_plan_runs_on_the_import(imported, tmp_path):
    out, _ = imported
    result = CliRunner().invoke(cli, ["plan", "--data", str(out), "--out", str(tmp_path / "p")])
    if isinstance(result.exception, ImportError):
        pytest.skip(f"the planning pipeline is not complete yet ({result.exception})")
    if isinstance(result.exception, IndexError) and "_snap_endpoints" in "".join(
        traceback.format_tb(result.exc_info[2])
    ):
        pytest.xfail(
            "street-graph cleaning fails on real Vejmidte lines when no dangling end is left "
            "to extend (heatplan/plan/network/cleaning.py _snap_endpoints: np.r_[True, ...] on an "
            "empty e_pos)"
        )
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    assert any((tmp_path / "p").iterdir())


def test_existing_output_is_not_overwritten(imported):
    out, _ = imported
    before = (out / "gis_data" / "dragor.gpkg").stat().st_mtime_ns
    result = CliRunner().invoke(cli, _args(out))
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert (out / "gis_data" / "dragor.gpkg").stat().st_mtime_ns == before


def test_heat_plan_layer_gives_the_districts(imported, tmp_path):
    out, _ = imported
    properties = gpd.read_file(out / "gis_data" / "dragor.gpkg", layer="properties")
    xmin, ymin, xmax, ymax = properties.total_bounds
    middle = float(np.median(properties.representative_point().x))
    plan = gpd.GeoDataFrame(
        {"planid": ["7", "8"], "vaerdi1207": ["Fjernvarme", "Individuel varmeforsyning"],
         "delnavn": ["Dragør Vest", "Dragør Øst"], "konvstartaar": [2027, None],
         "komnr": [155, 155]},
        geometry=[shapely.box(xmin - 10, ymin - 10, middle, ymax + 10),
                  shapely.box(middle, ymin - 10, xmax + 10, ymax + 10)],
        crs="EPSG:25832",
    )
    plan.to_file(tmp_path / "varmeplan.gpkg")
    result = CliRunner().invoke(cli, _args(
        tmp_path / "out", "--districts", str(tmp_path / "varmeplan.gpkg"), "--json",
    ))
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)["counts"]
    assert counts["district_status"] == {"candidate_dh": 1, "individual": 1}
    written = gpd.read_file(tmp_path / "out" / "gis_data" / "dragor.gpkg", layer="properties")
    west = written.representative_point().x < middle
    assert set(written.loc[west, "district_id"]) == {"7"}
    assert set(written.loc[~west, "district_id"]) == {"8"}
