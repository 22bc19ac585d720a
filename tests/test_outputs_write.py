"""write_outputs: all files as one set, no overwrite without asking, killed runs: one set."""

from __future__ import annotations

import hashlib
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

from heatplan.core.errors import OutputExistsError, OutputFolderError
from heatplan.io import staging
from heatplan.io.staging import read_manifest, recover
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
        "heatplan_gravetidsplan.xlsx",
        "heatplan_gravetidsplan_gantt.pdf",
        "heatplan_gravetidsplan_gantt.png",
        "heatplan_gravetidsplan_kort.pdf",
        "heatplan_gravetidsplan_kort.png",
        "heatplan_report.html",
        "heatplan_report.xlsx",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [p.name for p in paths] + ["heatplan_manifest.json"])
    assert all(p.stat().st_size > 1000 for p in paths)
    assert len(calls) == len(paths)
    # the manifest names the complete set, with each file's size and SHA-256
    manifest = read_manifest(out)
    assert [f["name"] for f in manifest["files"]] == sorted(p.name for p in paths)
    for entry in manifest["files"]:
        data = (out / entry["name"]).read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    # the staging folder beside the output folder is gone
    assert not any(p.name.startswith(f".{out.name}.") for p in out.parent.iterdir())


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
    assert len(paths) == 10
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
    manifest = (out / "heatplan_manifest.json").read_bytes()
    again = write_outputs(make_plan(), out, overwrite=True)
    assert {p.name: p.read_bytes() for p in again} == before
    assert (out / "heatplan_manifest.json").read_bytes() == manifest


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory):
    """The previous plan's files and those of the plan a killed run writes, by file name."""
    root = tmp_path_factory.mktemp("sets")
    write_outputs(make_plan(), root / "old")
    write_outputs(make_plan(synthetic=False), root / "new")
    return ({p.name: p.read_bytes() for p in (root / "old").iterdir()},
            {p.name: p.read_bytes() for p in (root / "new").iterdir()})


def _set_state(folder, old, new) -> str:
    """``"old"`` or ``"new"`` when ``folder`` holds exactly that complete set; else fail."""
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert set(files) == set(old), sorted(files)
    state = "old" if files == old else "new" if files == new else "mixed"
    assert state != "mixed", {n: n in old and files[n] == old[n] for n in files}
    return state


def _recover_when_free(folder):
    """What the next run does first; waits while the killed run's map process still writes."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return recover(folder)
        except OutputFolderError as err:
            assert "Another heatplan run" in str(err)
            assert time.monotonic() < deadline, "the killed run's helper never ended"
            time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("delay_s", [0.0, 0.4, 0.9])
def test_killed_run_leaves_the_previous_set_or_the_new_one(delay_s, old_and_new, tmp_path):
    """Kill a run at some moment while it writes: the folder then holds one complete set."""
    old, new = old_and_new
    work = tmp_path / "work"
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
    stage = tmp_path / ".work.heatplan.staging"
    try:
        assert proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not stage.exists():  # it has started writing
            time.sleep(0.005)
        time.sleep(delay_s)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    # on a fast machine the last delay may come after the end: then the new set is there
    assert proc.returncode in (-signal.SIGKILL, 0) and (proc.returncode or delay_s > 0.5)
    # until the next run, every file is the previous one or a complete new one
    for path in work.iterdir():
        assert path.read_bytes() in (old.get(path.name), new.get(path.name)), path.name
    # the next run finishes or discards what was left, and can then write its own set
    _recover_when_free(work)
    assert _set_state(work, old, new) in ("old", "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]  # no staging folder
    assert not [p for p in work.iterdir() if p.name.startswith(".")]  # no temporary file
    write_outputs(make_plan(synthetic=False), work, overwrite=True)
    assert _set_state(work, old, new) == "new"


def test_a_run_killed_while_moving_in_is_finished_by_the_next_run(old_and_new, tmp_path,
                                                                  monkeypatch):
    old, new = old_and_new
    work = tmp_path / "work"
    write_outputs(make_plan(), work)
    moved: list[str] = []
    real_move = staging._move

    def killed_after_two(source, target, stage):
        if len(moved) == 2:
            raise SystemExit("killed")  # not an Exception: nothing is cleaned up
        moved.append(source.name)
        real_move(source, target, stage)

    monkeypatch.setattr(staging, "_move", killed_after_two)
    with pytest.raises(SystemExit):
        write_outputs(make_plan(synthetic=False), work, overwrite=True)
    monkeypatch.undo()
    files = {p.name: p.read_bytes() for p in work.iterdir()}
    assert sorted(n for n in files if files[n] == new[n] != old[n]) == sorted(moved)  # two in
    assert "heatplan_manifest.json" not in files  # so the folder does not claim a full set
    done = recover(work)
    assert done == [f"finished moving the outputs of an interrupted run into {work}"]
    assert _set_state(work, old, new) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_a_failed_run_leaves_the_previous_set_and_nothing_else(old_and_new, tmp_path,
                                                               monkeypatch):
    old, new = old_and_new
    work = tmp_path / "work"
    write_outputs(make_plan(), work)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("heatplan.outputs.write.write_report_xlsx", broken)
    with pytest.raises(OSError, match="No space left"):
        write_outputs(make_plan(synthetic=False), work, overwrite=True, parallel=False)
    assert _set_state(work, old, new) == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_leftovers_of_a_killed_run_are_removed_and_do_not_block(old_and_new, tmp_path):
    old, new = old_and_new
    work = tmp_path / "work"
    write_outputs(make_plan(), work)
    stage = tmp_path / ".work.heatplan.staging"  # as a run killed while writing leaves it
    stage.mkdir()
    (stage / ".lock").write_text("999999999\n")  # no such process
    (stage / "heatplan_report.html").write_text("half a rep")
    (stage / ".heatplan_plan.x1y2.gpkg").write_bytes(b"SQLite format 3")
    write_outputs(make_plan(synthetic=False), work, overwrite=True)
    assert _set_state(work, old, new) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_another_run_writing_the_same_folder_is_refused(tmp_path):
    work = tmp_path / "work"
    stage = tmp_path / ".work.heatplan.staging"
    stage.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (stage / ".lock").write_text(f"{sleeper.pid}\n")
        with pytest.raises(OutputFolderError, match=(
                rf"Another heatplan run \(process {sleeper.pid}\) is writing to {work}")):
            write_outputs(make_plan(), work)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert not work.exists()


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
