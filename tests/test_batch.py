"""``heatplan batch``: tasks, a run on a 2-worker Dask cluster, failures, resume, summary."""

from __future__ import annotations

import json

import pandas as pd
import pyogrio
import pytest
from conftest import make_toy_tables, write_dataset

from heatplan.batch.run import run_batch, run_task
from heatplan.batch.summary import DISTRICTS_NAME, FIGURES_NAME, HTML_NAME, write_summary
from heatplan.batch.tasks import make_tasks, read_variants
from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import load_scenario

pytest.importorskip("distributed", reason="dask.distributed is not installed")


def test_a_grid_gives_every_combination_and_samples_repeat_with_their_seed(tmp_path):
    scenario = load_scenario()
    spec = tmp_path / "variants.toml"
    spec.write_text('[grid]\n"uptake.final_share" = [0.6, 0.8]\n'
                    '"economics.discount_rate" = [0.03, 0.04, 0.05]\n', encoding="utf-8")
    variants = read_variants(spec, scenario)
    assert len(variants) == 6
    assert variants[0] == ("final_share=0.6_discount_rate=0.03",
                           {"uptake.final_share": 0.6, "economics.discount_rate": 0.03})
    spec.write_text('[samples]\nn = 3\nseed = 7\n"uptake.final_share" = [0.5, 1.0]\n',
                    encoding="utf-8")
    first, again = read_variants(spec, scenario), read_variants(spec, scenario)
    assert first == again and [v for v, _ in first] == ["s001", "s002", "s003"]
    base = float(scenario.value("uptake.final_share"))
    shares = [values["uptake.final_share"] for _, values in first]
    assert all(0.5 * base <= s <= 1.0 * base for s in shares) and len(set(shares)) == 3


def test_a_variant_naming_an_unknown_key_is_refused(tmp_path):
    spec = tmp_path / "variants.toml"
    spec.write_text('[grid]\n"uptake.final_shaer" = [0.6]\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"'uptake.final_shaer' is not a scenario key"):
        read_variants(spec, load_scenario())


@pytest.fixture(scope="module")
def three_towns(tmp_path_factory):
    """Three toy towns (heated areas × 1, 1.5, 2) and one whose properties lack a column."""
    root = tmp_path_factory.mktemp("towns")
    folders = []
    for name, factor in (("town_a", 1.0), ("town_b", 1.5), ("town_c", 2.0)):
        tables = make_toy_tables()
        tables["properties"]["heated_area_m2"] *= factor
        folders.append(write_dataset(tables, root / name))
    broken = make_toy_tables()
    broken["properties"] = broken["properties"].drop(columns="heated_area_m2")
    folders.append(write_dataset(broken, root / "town_broken"))
    return folders


@pytest.mark.slow
def test_batch_on_two_workers_matches_serial_runs_records_failures_and_resumes(
        three_towns, tmp_path):
    tasks = make_tasks(three_towns, [("base", {})], method="heuristic")
    out = tmp_path / "batch"
    records = run_batch(tasks, out, workers=2)
    by_id = {r.task_id: r for r in records}
    assert sorted(by_id) == ["town_a__base", "town_b__base", "town_broken__base",
                             "town_c__base"]
    # one broken dataset fails, the three others finish
    broken = by_id["town_broken__base"]
    assert broken.figures is None and "heated_area_m2" in broken.error
    assert "heated_area_m2" in (out / "runs" / "town_broken__base" / "error.txt").read_text()
    for task in tasks[:3]:
        serial, _ = run_task(task)  # the same task in this process
        parallel = by_id[task.task_id].figures
        assert json.loads(json.dumps(serial, default=str)) == parallel
    # the towns differ (more heated area, more heat to convert), so the comparison has teeth
    cost = [by_id[t.task_id].figures["cost_mdkk"] for t in tasks[:3]]
    assert len(set(cost)) == 3
    # a rerun skips what is done and tries the failed task again
    again = run_batch(tasks, out, workers=1)
    assert [r.skipped for r in again] == [True, True, True, False]
    assert again[3].error is not None
    paths = write_summary(again, out, lang="en")
    assert [p.name for p in paths] == [FIGURES_NAME, DISTRICTS_NAME, HTML_NAME]
    figures = pd.read_csv(out / FIGURES_NAME)
    assert sorted(figures["task_id"]) == ["town_a__base", "town_b__base", "town_c__base"]
    districts = pyogrio.read_dataframe(out / DISTRICTS_NAME)
    assert set(districts["task_id"]) == set(figures["task_id"])
    page = (out / HTML_NAME).read_text(encoding="utf-8")
    assert "3 of 4 runs finished, 1 failed." in page and "town_broken__base" in page
