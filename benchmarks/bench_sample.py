"""Benchmark ``heatplan sample``: wall time, peak memory and output size by scale.

Each scale runs in a fresh subprocess (so its peak RSS is its own) writing to a temporary
folder. Usage::

    .venv/bin/python benchmarks/bench_sample.py            # scales 1 and 50
    .venv/bin/python benchmarks/bench_sample.py 1 10 50
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = "import sys; from heatplan.cli import cli; cli(sys.argv[1:], prog_name='heatplan')"


def run(scale: int) -> dict[str, float]:
    """Generate the sample at ``scale`` in a subprocess; return seconds, peak MB and sizes."""
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", RUN, "-q", "sample", "--out", tmp, "--scale", str(scale)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        out = Path(tmp)
        return {
            "scale": scale,
            "seconds": seconds,
            "peak_rss_mb": max(peak_kb, before) / 1024.0,  # max over children so far
            "gpkg_mb": (out / "gis_data" / "sample.gpkg").stat().st_size / 1e6,
            "csv_mb": sum(p.stat().st_size for p in (out / "energy_labels").glob("*.csv")) / 1e6,
        }


def main(argv: list[str]) -> None:
    scales = [int(a) for a in argv] or [1, 50]
    print(f"{'scale':>6} {'seconds':>9} {'peak RSS MB':>12} {'gpkg MB':>9} {'csv MB':>8}")
    for scale in sorted(scales):  # ascending, so the running max RSS is this scale's peak
        r = run(scale)
        print(f"{r['scale']:>6} {r['seconds']:>9.1f} {r['peak_rss_mb']:>12.0f} "
              f"{r['gpkg_mb']:>9.1f} {r['csv_mb']:>8.1f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
