"""Time the whole ``heatplan plan`` job on the bundled sample, stage by stage.

Usage: ``.venv/bin/python benchmarks/bench_plan.py [--repeat N] [--method milp|heuristic]``

Prints seconds for loading and validating, each planning stage, writing the outputs, and the
peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--method", choices=["milp", "heuristic"], default="milp")
    args = parser.parse_args()

    from heatplan.core.scenario import load_scenario
    from heatplan.pipeline import build_plan, write_plan
    from heatplan.validate import load_dataset

    scenario = load_scenario()
    for run in range(1, args.repeat + 1):
        t0 = time.perf_counter()
        result = load_dataset(scenario=scenario)
        t1 = time.perf_counter()
        plan = build_plan(result.dataset, scenario=scenario, rejected=result.rejected,
                          method=args.method)
        t2 = time.perf_counter()
        with tempfile.TemporaryDirectory() as out:
            paths = write_plan(plan, Path(out))
            size_mb = sum(p.stat().st_size for p in paths) / 1e6
        t3 = time.perf_counter()
        stages = ", ".join(f"{k} {v:.2f}" for k, v in plan.summary["timings_s"].items())
        print(
            f"run {run}: load+validate {t1 - t0:.2f} s | plan {t2 - t1:.2f} s ({stages}) | "
            f"write {len(paths)} files, {size_mb:.1f} MB, {t3 - t2:.2f} s | total {t3 - t0:.2f} s"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
