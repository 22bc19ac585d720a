"""Seconds to read and validate a dataset: the bundled sample (target ≤ 2 s) and scaled copies.

Usage::

    .venv/bin/python benchmarks/bench_load.py                      # the bundled sample
    .venv/bin/python benchmarks/bench_load.py --scale 50           # also 50 copies, if present
    .venv/bin/python benchmarks/bench_load.py --scale 50 --generate  # make them first

The scaled dataset is looked for in ``--scale-dir`` (default ``/tmp/heatplan-sample-x<N>``);
``--generate`` writes it there with ``heatplan sample --scale N``. Prints wall and CPU
seconds for reading and for validating, rows per second and the peak memory of the process.
The machine may be shared: CPU seconds are the steadier figure.
"""

from __future__ import annotations

import argparse
import logging
import resource
import time
from pathlib import Path

from heatplan.core.scenario import load_scenario
from heatplan.io.layers import default_data_dir, read_dataset
from heatplan.validate import validate_dataset


def measure(data_dir: Path, repeat: int) -> None:
    """Print the best of ``repeat`` runs of read + validate on ``data_dir``."""
    scenario = load_scenario()
    best: dict[str, float] = {}
    for _ in range(repeat):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        raw = read_dataset(data_dir)
        wall1, cpu1 = time.perf_counter(), time.process_time()
        result = validate_dataset(raw, scenario=scenario)
        wall2, cpu2 = time.perf_counter(), time.process_time()
        runs = {
            "read wall": wall1 - wall0, "read cpu": cpu1 - cpu0,
            "validate wall": wall2 - wall1, "validate cpu": cpu2 - cpu1,
            "total wall": wall2 - wall0, "total cpu": cpu2 - cpu0,
        }
        best = {k: min(v, best.get(k, v)) for k, v in runs.items()}
    counts = result.counts
    rows = int(counts["read"].sum())
    print(f"{data_dir}")
    print(f"  rows read {rows:,} (properties {counts.loc['properties', 'read']:,}), "
          f"rejected {int(counts['rejected'].sum()):,}, errors {len(result.errors)}")
    print(f"  read      {best['read wall']:6.2f} s wall  {best['read cpu']:6.2f} s cpu")
    print(f"  validate  {best['validate wall']:6.2f} s wall  {best['validate cpu']:6.2f} s cpu")
    print(f"  total     {best['total wall']:6.2f} s wall  {best['total cpu']:6.2f} s cpu  "
          f"({rows / best['total wall']:,.0f} rows/s, best of {repeat})")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of the process so far {peak_mb:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (the sample)")
    parser.add_argument("--scale", type=int, default=0, help="also time N copies of the sample")
    parser.add_argument("--scale-dir", type=Path, default=None)
    parser.add_argument("--generate", action="store_true", help="write the scaled data first")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    measure(args.data or default_data_dir(), args.repeat)
    if args.scale > 1:
        scale_dir = args.scale_dir or Path(f"/tmp/heatplan-sample-x{args.scale}")
        if args.generate and not (scale_dir / "gis_data").is_dir():
            from heatplan.sample import make_sample

            start = time.perf_counter()
            make_sample(scale_dir, scale=args.scale)
            print(f"generated --scale {args.scale} in {time.perf_counter() - start:.1f} s")
        if (scale_dir / "gis_data").is_dir():
            measure(scale_dir, 1)
        else:
            print(f"--scale {args.scale}: no data in {scale_dir}; create it with "
                  f"'heatplan sample --scale {args.scale} --out {scale_dir}' or --generate")


if __name__ == "__main__":
    main()
