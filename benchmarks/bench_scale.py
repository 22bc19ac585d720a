"""Time the whole plan at several sizes of the sample, stage by stage, and a batch's speed-up.

Usage: ``.venv/bin/python benchmarks/bench_scale.py [--scales 1 5 20] [--batch]``

For each scale, ``heatplan sample --scale N`` is generated once into a cache folder, and a
scenario with the yearly capacities × N (a larger place has a larger utility) is used. Each
scale runs in a fresh process, which prints: load and validate seconds, every planning stage's
seconds, writing seconds and output size, the schedule's quality (optimal / within X % of its
bound), and the process's peak resident memory. The last lines give each stage's ratio of the
largest to the smallest scale. ``--batch`` also runs ``heatplan batch`` over four variants of
the sample with 1 and with 2 workers and prints the speed-up.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "heatplan_bench_scale"

_ONE_SCALE = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
from heatplan.core.scenario import load_scenario
from heatplan.pipeline import build_plan, write_plan
from heatplan.validate import load_dataset

data, toml = Path(sys.argv[1]), Path(sys.argv[2])
scenario = load_scenario(toml)
t0 = time.perf_counter()
result = load_dataset(data, scenario=scenario)
t1 = time.perf_counter()
plan = build_plan(result.dataset, scenario=scenario, rejected=result.rejected)
t2 = time.perf_counter()
with tempfile.TemporaryDirectory() as out:
    paths = write_plan(plan, Path(out))
    sizes = {p.name: p.stat().st_size for p in paths}
t3 = time.perf_counter()
s = plan.summary
print(json.dumps({
    "properties": len(plan.properties), "load_s": t1 - t0,
    "stages_s": s["timings_s"], "write_s": t3 - t2, "total_s": t3 - t0,
    "output_mb": sum(sizes.values()) / 1e6, "resident_map_mb":
        sum(v for k, v in sizes.items() if k.endswith(".html") and "kort" in k) / 1e6,
    "quality": s.get("quality"), "gap_to_bound": s.get("gap_to_bound"),
    "used": s.get("used"), "milp_status": s.get("milp_status"),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def _dataset(scale: int) -> tuple[Path, Path]:
    """The sample at ``scale`` (generated once) and a scenario with capacities × scale."""
    toml = CACHE / f"scale{scale}.toml"
    CACHE.mkdir(parents=True, exist_ok=True)
    toml.write_text(f"[phasing.trench_capacity_km_a]\nvalue = {25 * scale}\n"
                    f"[phasing.connection_capacity_a]\nvalue = {2000 * scale}\n",
                    encoding="utf-8")
    if scale == 1:
        return REPO, toml
    data = CACHE / f"sample_s{scale}"
    if not (data / "gis_data" / "sample.gpkg").exists():
        exe = Path(sys.executable).with_name("heatplan")
        subprocess.run([str(exe), "-q", "sample", "--scale", str(scale), "--out", str(data)],
                       check=True)
    return data, toml


def _run_scale(scale: int) -> dict:
    data, toml = _dataset(scale)
    out = subprocess.run([sys.executable, "-c", _ONE_SCALE, str(data), str(toml)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _print(scale: int, r: dict) -> None:
    stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stages_s"].items())
    gap = ("" if r["gap_to_bound"] is None else f" ({100 * r['gap_to_bound']:.3f} % to bound)")
    print(f"scale {scale:>2}: {r['properties']:,} properties | load {r['load_s']:.1f} s | "
          f"{stages} | write {r['write_s']:.1f} s, {r['output_mb']:.1f} MB (residents' map "
          f"{r['resident_map_mb']:.1f} MB) | total {r['total_s']:.1f} s | schedule "
          f"{r['used']} {r['quality']}{gap} | peak {r['peak_mb']:,.0f} MB", flush=True)


def _batch_speedup() -> None:
    variants = CACHE / "variants.toml"
    variants.write_text('[grid]\n"uptake.final_share" = [0.6, 0.7, 0.8, 0.9]\n',
                        encoding="utf-8")
    exe = Path(sys.executable).with_name("heatplan")
    seconds = {}
    for workers in (1, 2):
        out = CACHE / f"batch_w{workers}"
        t0 = time.perf_counter()
        subprocess.run([str(exe), "-q", "batch", "--variants", str(variants), "--out",
                        str(out), "--workers", str(workers), "--no-resume"],
                       check=True, capture_output=True)
        seconds[workers] = time.perf_counter() - t0
    print(f"batch of 4 sample plans: 1 worker {seconds[1]:.1f} s, 2 workers {seconds[2]:.1f} s, "
          f"speed-up {seconds[1] / seconds[2]:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--batch", action="store_true")
    args = parser.parse_args()
    results = {}
    for scale in args.scales:
        results[scale] = _run_scale(scale)
        _print(scale, results[scale])
    low, high = min(results), max(results)
    if high > low:
        ratios = {k: results[high]["stages_s"][k] / max(v, 1e-3)
                  for k, v in results[low]["stages_s"].items()}
        ratios["write"] = results[high]["write_s"] / max(results[low]["write_s"], 1e-3)
        print(f"stage time ratio scale {high} / scale {low}: "
              + ", ".join(f"{k} {v:.1f}" for k, v in ratios.items()))
    if args.batch:
        _batch_speedup()


if __name__ == "__main__":
    main()
