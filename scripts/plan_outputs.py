"""Write a fixed set of heatplan runs to a folder, or compare two such folders by value.

A check for restructurings that must not change results::

    python scripts/plan_outputs.py write /tmp/before      # on the old code
    python scripts/plan_outputs.py write /tmp/after       # on the new code
    python scripts/plan_outputs.py compare /tmp/before /tmp/after

``compare`` reads every GeoPackage layer (pyogrio), every XLSX sheet (openpyxl) and every CSV
and compares their values, column by column; other files (HTML, PNG, PDF) and each command's
printed output are compared byte for byte, except the timing lines. It exits 1 and lists each
difference when anything differs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyogrio

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("HEATPLAN_SHARED_DATA", ROOT.parent / "shared" / "data"))
SHARED = SHARED_DATA / "dawa-testdata"
"""The real Dragør extract (``HEATPLAN_SHARED_DATA`` points to ``shared/data`` elsewhere)."""

RUNS: dict[str, list[str]] = {
    "plan_da": ["plan"],
    "plan_en": ["plan", "--lang", "en"],
    "plan_heuristic": ["plan", "--method", "heuristic"],
    "rank": ["rank"],
    "validate": ["validate"],
    "sample": ["sample"],
}
"""Run name → heatplan arguments (each writes to its own folder under the target)."""


def _dragor_import(out: Path) -> list[str]:
    def one(pattern: str) -> str:
        return str(next(SHARED.glob(pattern)))

    return [
        "import", "bbr", "--bbr", one("OIS_GRBBR_CO50200T_*.ZIP"),
        "--units", one("OIS_GRBBR_CO50500T_*.ZIP"), "--storeys", one("OIS_GRBBR_CO50800T_*.ZIP"),
        "--tanks", one("OIS_GRBBR_CO51500T_*.ZIP"), "--footprints", str(SHARED / "bygninger.json"),
        "--addresses", str(SHARED / "Adresse.ndjson"),
        "--address-points", str(SHARED / "Adressepunkt.ndjson"),
        "--roads", str(SHARED / "VejmidtTest.json"), "--municipality", "0155",
        "--name", "dragor", "--out", str(out),
    ]


def _heatplan(args: list[str], log: Path) -> None:
    exe = Path(sys.executable).with_name("heatplan")
    result = subprocess.run([str(exe), *args], capture_output=True, text=True, check=False)
    # stderr holds the log (timings, order of parallel writers): only stdout is compared
    log.write_text(f"exit {result.returncode}\n{result.stdout}")


def write(target: Path) -> None:
    """Run every case of :data:`RUNS` (and the Dragør import when ../shared exists)."""
    target.mkdir(parents=True, exist_ok=False)
    for name, args in RUNS.items():
        out = target / name
        extra = [] if name == "validate" else ["--out", str(out)]
        out.mkdir()
        _heatplan([*args, *extra], out / "stdout.txt")
    # the yearly revision against the first plan
    out = target / "plan_revision"
    out.mkdir()
    _heatplan(["plan", "--previous", str(target / "plan_da" / "heatplan_plan.gpkg"),
               "--out", str(out)], out / "stdout.txt")
    if SHARED.is_dir():
        data = target / "dragor_data"
        _heatplan(_dragor_import(data), target / "dragor_import.txt")
        out = target / "dragor_plan"
        out.mkdir()
        _heatplan(["plan", "--data", str(data), "--out", str(out)], out / "stdout.txt")


_VOLATILE = re.compile(
    r"^Seconds:.*$|\d+(\.\d+)? s\b|\"\w+_s\": [\d.]+|(/[\w.-]+){2,}/?", re.M
)
"""Timings and folder paths, which differ between runs."""


def _text(path: Path) -> str:
    return _VOLATILE.sub("", path.read_text(encoding="utf-8", errors="replace"))


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    if path.suffix == ".gpkg":
        return {
            layer: pyogrio.read_dataframe(path, layer=layer, fid_as_index=True)
            for layer, _ in pyogrio.list_layers(path)
        }
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name=None, header=None)
    if path.suffix == ".csv":
        return {"csv": pd.read_csv(path, dtype=str, keep_default_na=False)}
    raise ValueError(path)


def _compare_tables(a: Path, b: Path) -> list[str]:
    left, right = _tables(a), _tables(b)
    problems = []
    if list(left) != list(right):
        problems.append(f"{b}: layers/sheets {list(left)} != {list(right)}")
    for name in left.keys() & right.keys():
        x, y = left[name], right[name]
        if list(x.columns) != list(y.columns):
            problems.append(f"{b} [{name}]: columns {list(x.columns)} != {list(y.columns)}")
            continue
        if x.shape != y.shape:
            problems.append(f"{b} [{name}]: shape {x.shape} != {y.shape}")
            continue
        for column in x.columns:
            xs, ys = x[column], y[column]
            if hasattr(xs, "geom_equals_exact"):
                same = xs.geom_equals_exact(ys, tolerance=0) | (xs.isna() & ys.isna())
                equal = bool(same.all())
            else:
                equal = xs.equals(ys)
            if not equal:
                problems.append(f"{b} [{name}]: column {column!r} differs")
    return problems


def compare(before: Path, after: Path) -> list[str]:
    """Every difference between two folders written by :func:`write`."""
    problems = []
    files_a = sorted(p.relative_to(before) for p in before.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(after) for p in after.rglob("*") if p.is_file())
    if files_a != files_b:
        problems.append(f"file lists differ: {set(files_a) ^ set(files_b)}")
    for rel in sorted(set(files_a) & set(files_b)):
        a, b = before / rel, after / rel
        if a.suffix in {".gpkg", ".xlsx", ".csv"}:
            problems += _compare_tables(a, b)
        elif a.suffix in {".txt", ".json"}:
            if _text(a) != _text(b):
                problems.append(f"{rel}: printed output differs")
        elif a.read_bytes() != b.read_bytes():
            problems.append(f"{rel}: bytes differ")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "write":
        write(Path(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        problems = compare(Path(argv[1]), Path(argv[2]))
        for line in problems:
            print(line)
        print(f"{len(problems)} differences")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
