"""Benchmark the residents' map: size of the first load and time to interactive, by scale.

Usage::

    .venv/bin/python benchmarks/bench_resident_map.py [--scales 1 5 20] [--runs 3] [--out DIR]

The plan is the bundled sample's (``heatplan.pipeline.build_plan``, heuristic schedule). Scale
N repeats the whole place N times side by side (properties, districts, streets, pipes, each copy
with its own district ids and town names), as a municipality N times the sample's size. For
each scale the map is written as the product chooses (``layout="auto"``: one file up to
``residents.folder_above_addresses`` addresses, else a folder), and the benchmark prints:

- the first load: the bytes the browser reads before the map is ready (the page, and in folder
  form its scripts, styles and the data files the first view asks for);
- time to interactive in headless Chromium: from navigation start to the map drawn and the
  search ready (``window.heatplanReady`` plus one frame), median of ``--runs``, without and
  with 4× CPU throttling;
- the first search (in the page, including building the search index or loading chunks).

Targets (issue "The residents' map, as a resident on a phone needs it"): first load ≤ 1.5 MB
at every scale; interactive ≤ 1.5 s, and ≤ 3 s at 4× CPU throttling, on the sample.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

from heatplan.core.scenario import load_scenario
from heatplan.outputs.resident_map.page import folder_path, write_resident_map
from heatplan.plan.result import Plan

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
COPY_DX_M = 13_000.0
COPY_DY_M = 10_000.0
COPIES_PER_ROW = 5


def sample_plan() -> Plan:
    """The bundled sample's plan (heuristic schedule)."""
    from heatplan.io.layers import read_dataset
    from heatplan.pipeline import build_plan
    from heatplan.validate import validate_dataset

    scenario = load_scenario()
    result = validate_dataset(read_dataset(), scenario=scenario)
    return build_plan(
        result.dataset, scenario=scenario, rejected=result.rejected, method="heuristic"
    )


def _shifted(frame: gpd.GeoDataFrame, k: int) -> gpd.GeoDataFrame:
    """A copy of ``frame`` moved to the ``k``-th place of the grid of copies."""
    out = frame.copy()
    if len(out):
        dx = COPY_DX_M * (k % COPIES_PER_ROW)
        dy = COPY_DY_M * (k // COPIES_PER_ROW)
        out = out.set_geometry(out.geometry.translate(xoff=dx, yoff=dy))
    return out


def scaled(plan: Plan, factor: int) -> Plan:
    """The plan repeated ``factor`` times side by side (ids and town names made unique)."""
    if factor <= 1:
        return plan
    props, dists, streets, trenches, network = [], [], [], [], []
    for k in range(factor):
        tag = "" if k == 0 else f"-{k}"
        p = _shifted(plan.properties, k)
        p.index = p.index.astype(str) + tag
        p["district_id"] = p["district_id"].astype("string") + tag
        if k:
            p["postcode"] = p["postcode"].astype("string") + f" {k}"
        props.append(p)
        d = _shifted(plan.districts, k)
        d.index = d.index.astype(str) + tag
        d.index.name = "district_id"
        dists.append(d)
        streets.append(_shifted(plan.streets, k))
        trenches.append(_shifted(plan.trenches, k))
        network.append(_shifted(plan.dh_network, k))

    def joined(parts: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(pd.concat(parts), geometry=parts[0].geometry.name,
                                crs=parts[0].crs)

    return dataclasses.replace(
        plan, properties=joined(props), districts=joined(dists), streets=joined(streets),
        trenches=joined(trenches), dh_network=joined(network),
    )


def browser_timings(path: Path, query: str, runs: int, throttle: float) -> dict[str, float]:
    """Median over ``runs``: seconds to interactive, first search, bytes read before ready."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            read: list[int] = []
            page.on("requestfinished", lambda r, read=read: read.append(_size(r.url)))
            page.route("**/*", lambda route: (
                route.continue_() if route.request.url.startswith(("file:", "data:"))
                else route.abort()))
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
            page.goto(path.resolve().as_uri(), wait_until="commit")
            page.wait_for_selector("html[data-hp-ready]", state="attached", timeout=60_000)
            ready = page.evaluate(
                "new Promise(r => requestAnimationFrame(() => r(performance.now())))"
            )
            first_load = sum(read)
            found = page.evaluate(
                """q => new Promise(resolve => { const h = window.heatplanMap;
                    const t = performance.now();
                    h.findAsync(q, hits => resolve({ms: performance.now() - t,
                        label: hits.length ? hits[0].label : null})); })""",
                query,
            )
            if not found["label"] or not found["label"].startswith(query):
                print(f"  problem: first hit for {query!r} is {found['label']!r}")
            rows.append((ready / 1000, found["ms"] / 1000, first_load))
            context.close()
        browser.close()
    return {
        "ready_s": statistics.median(r[0] for r in rows),
        "search_s": statistics.median(r[1] for r in rows),
        "first_load_b": statistics.median(r[2] for r in rows),
    }


def _size(url: str) -> int:
    """Size in bytes of a local file URL (0 for anything else)."""
    if not url.startswith("file://"):
        return 0
    from urllib.parse import unquote, urlparse

    path = Path(unquote(urlparse(url).path))
    return path.stat().st_size if path.is_file() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "hp_bench_map")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    t0 = time.perf_counter()
    base = sample_plan()
    print(f"sample plan made in {time.perf_counter() - t0:.1f} s")
    args.out.mkdir(parents=True, exist_ok=True)
    browser = not args.no_browser and Path(CHROMIUM).exists()
    for scale in args.scales:
        plan = scaled(base, scale)
        path = args.out / f"fjernvarme_kort_x{scale}.html"
        t0 = time.perf_counter()
        write_resident_map(plan, path, overwrite=True)
        build = time.perf_counter() - t0
        folder = folder_path(path)
        total = path.stat().st_size + (
            sum(f.stat().st_size for f in folder.iterdir()) if folder.exists() else 0
        )
        form = f"folder ({len(list(folder.iterdir()))} files)" if folder.exists() else "one file"
        query = str(plan.properties["address"].iloc[len(plan.properties) // 2])
        print(
            f"scale {scale}: {len(plan.properties):,} properties; {form}; page "
            f"{path.stat().st_size / 1e6:.2f} MB, all files {total / 1e6:.2f} MB; written in "
            f"{build:.1f} s"
        )
        if not browser:
            continue
        for throttle in (1, 4):
            t = browser_timings(path, query, args.runs, throttle)
            print(
                f"  Chromium {throttle}x CPU, median of {args.runs}: first load "
                f"{t['first_load_b'] / 1e6:.2f} MB (target <= 1.5 MB); interactive "
                f"{t['ready_s']:.2f} s (target <= {1.5 if throttle == 1 else 3:.1f} s); "
                f"first search {t['search_s'] * 1000:.0f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
