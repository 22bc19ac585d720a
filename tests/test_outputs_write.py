"""write_outputs: all files, no overwrite without asking, killed runs keep the previous plan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from plan_fixture import make_plan
from shapely.geometry import Point, box

from heatplan.core.errors import OutputExistsError
from heatplan.outputs.write import output_paths, write_outputs
from heatplan.plan.result import Plan

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan")
    calls: list[int] = []
    paths = write_outputs(make_plan(), out, progress=calls.append)
    return out, paths, calls


def test_every_output_is_written(first_run):
    out, paths, calls = first_run
    assert [p.name for p in paths] == [
        "heatplan_plan.gpkg",
        "heatplan_phase_maps.pdf",
        "heatplan_phase_map_overview.png",
        "heatplan_report.html",
        "heatplan_report.xlsx",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert all(p.stat().st_size > 1000 for p in paths)
    assert len(calls) == len(paths)


def test_one_existing_target_stops_before_anything_is_written(tmp_path):
    plan = make_plan()
    last = output_paths(plan, tmp_path)[-1]
    last.write_text("previous report")
    with pytest.raises(OutputExistsError, match="--overwrite"):
        write_outputs(plan, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [last.name]
    assert last.read_text() == "previous report"


def test_a_plan_with_only_the_contract_columns_is_written(tmp_path):
    """Optional columns and tables may be missing: the outputs show what the plan holds."""
    crs = "EPSG:25832"
    districts = gpd.GeoDataFrame(
        {"name": ["Skovlunde"], "status": ["candidate_dh"]},
        geometry=[box(708_000, 6_180_000, 708_200, 6_180_200)],
        crs=crs,
        index=pd.Index(["D1"], name="district_id"),
    )
    properties = gpd.GeoDataFrame(
        {"address": ["Testvej 1"], "district_id": ["D1"]},
        geometry=[Point(708_050, 6_180_050)],
        crs=crs,
        index=pd.Index(["P1"], name="property_id"),
    )
    lines = gpd.GeoDataFrame({"length_m": []}, geometry=[], crs=crs)
    plan = Plan(
        properties=properties,
        districts=districts,
        trenches=lines,
        service_pipes=lines,
        dh_network=lines,
        heat_sources=gpd.GeoDataFrame(geometry=[], crs=crs),
        renovation=pd.DataFrame(),
        years=pd.DataFrame(),
        co2_trajectory=pd.DataFrame(),
    )
    paths = write_outputs(plan, tmp_path, lang="en")
    assert len(paths) == 5
    layers = dict(pyogrio.list_layers(paths[0]).tolist())
    assert layers["varmeplansomraader"] == "MultiPolygon"  # empty, but typed
    assert pyogrio.read_info(paths[0], layer="properties")["features"] == 1
    assert "renovation_ranking" not in layers  # a table without columns is left out
    html = paths[-2].read_text(encoding="utf-8")
    assert "Coordination report" in html and "Skovlunde" in html


def test_unknown_language_is_refused(tmp_path):
    with pytest.raises(ValueError, match="da, en"):
        write_outputs(make_plan(), tmp_path, lang="de")


@pytest.mark.slow
def test_rerun_with_overwrite_is_byte_identical(first_run, tmp_path):
    out, paths, _ = first_run
    before = {p.name: p.read_bytes() for p in paths}
    again = write_outputs(make_plan(), out, overwrite=True)
    assert {p.name: p.read_bytes() for p in again} == before


@pytest.mark.slow
def test_killed_run_leaves_each_file_old_or_complete(tmp_path):
    """Kill a run while it writes; every output is then the previous file or a complete one."""
    old_dir, new_dir, work = tmp_path / "old", tmp_path / "new", tmp_path / "work"
    write_outputs(make_plan(), old_dir)
    write_outputs(make_plan(synthetic=False), new_dir)  # what the killed run would write
    write_outputs(make_plan(), work)
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(TESTS)!r})
        from plan_fixture import make_plan
        from heatplan.outputs.write import write_outputs
        plan = make_plan(synthetic=False)
        print("ready", flush=True)
        write_outputs(plan, {str(work)!r}, overwrite=True)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 60
        # wait until the run has started writing: a temporary file appears beside the outputs
        while time.monotonic() < deadline and not any(
            p.name.startswith(".") for p in work.iterdir()
        ):
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    states = {}
    for path in output_paths(make_plan(), work):
        data = path.read_bytes()
        old = (old_dir / path.name).read_bytes()
        new = (new_dir / path.name).read_bytes()
        assert data in (old, new), f"{path.name} is neither the previous nor a complete file"
        states[path.name] = "old" if data == old else "new"
    assert "old" in states.values()  # killed before the end


def test_background_job_runs_in_another_process_and_returns_its_result():
    import os

    from heatplan.outputs.write import _background

    with _background(lambda: [Path(str(os.getpid()))], enabled=True) as result:
        parent = os.getpid()
    (child,) = result()
    assert int(child.name) != parent


def test_background_job_error_is_raised_after_the_block():
    from heatplan.core.errors import OutputExistsError
    from heatplan.outputs.write import _background

    def fails():
        raise OutputExistsError("maps/heatplan_phase_maps.pdf already exists.")

    done = []
    with pytest.raises(OutputExistsError, match="already exists"), _background(
        fails, enabled=True
    ):
        done.append("the rest was written")
    assert done == ["the rest was written"]
