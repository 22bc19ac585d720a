"""One summary of a batch: key figures by run (CSV), every district by run (GeoPackage), and an
HTML page with the spread of cost and CO2 across runs and how often each district gets DH."""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from heatplan.batch.run import TaskRecord
from heatplan.io.atomic import atomic_path
from heatplan.outputs.texts import lookup

FIGURES_NAME = "batch_figures.csv"
DISTRICTS_NAME = "batch_districts.gpkg"
HTML_NAME = "batch_summary.html"

TEXTS = {
    "title": {"da": "heatplan – kørsel af mange planer", "en": "heatplan – batch of plans"},
    "runs": {"da": "{done} af {total} kørsler færdige, {failed} fejlede.",
             "en": "{done} of {total} runs finished, {failed} failed."},
    "failed": {"da": "Fejlede kørsler", "en": "Failed runs"},
    "figures": {"da": "Nøgletal på tværs af kørsler", "en": "Key figures across runs"},
    "dh_share": {"da": "Andel af kørsler, hvor distriktet anbefales fjernvarme",
                 "en": "Share of runs in which the district is recommended district heating"},
    "spread": {"da": "Fordeling over kørsler", "en": "Spread across runs"},
    "district": {"da": "Distrikt", "en": "District"},
    "share": {"da": "Andel", "en": "Share"},
    "n_runs": {"da": "Kørsler", "en": "Runs"},
    "figure": {"da": "Nøgletal", "en": "Figure"},
    "min": {"da": "Mindst", "en": "Min"},
    "median": {"da": "Median", "en": "Median"},
    "max": {"da": "Størst", "en": "Max"},
    "cost_mdkk": {"da": "Anlægsomkostning (mio. kr.)", "en": "Investment (million DKK)"},
    "co2_target_year_t": {"da": "CO2 i målåret (t)", "en": "CO2 in the target year (t)"},
    "trench_km": {"da": "Nyt tracé (km)", "en": "New trench (km)"},
    "districts_dh": {"da": "Distrikter med fjernvarme", "en": "Districts with district heating"},
    "properties_individual": {"da": "Ejendomme til individuel varmepumpe",
                              "en": "Properties to individual heat pumps"},
}

_FIGURES = ("cost_mdkk", "co2_target_year_t", "trench_km", "districts_dh",
            "properties_individual")


def _t(key: str, lang: str) -> str:
    return lookup(TEXTS, key, lang)


def write_summary(records: list[TaskRecord], out_dir: Path | str, *, lang: str = "da"
                  ) -> list[Path]:
    """Write the batch's CSV, GeoPackage (when any run succeeded) and HTML into ``out_dir``."""
    out_dir = Path(out_dir)
    done = [r for r in records if r.figures is not None]
    figures = pd.DataFrame([_flat(r.figures) for r in done])
    paths = [out_dir / FIGURES_NAME]
    with atomic_path(paths[0]) as tmp:
        figures.to_csv(tmp, index=False)
    districts = _districts(out_dir, done)
    if districts is not None:
        paths.append(out_dir / DISTRICTS_NAME)
        with atomic_path(paths[-1]) as tmp:
            pyogrio.write_dataframe(districts, tmp, layer="districts_by_run")
    paths.append(out_dir / HTML_NAME)
    with atomic_path(paths[-1]) as tmp:
        tmp.write_text(_page(records, figures, districts, lang), encoding="utf-8")
    return paths


def _flat(figures: dict) -> dict:
    """The figures with the scenario values as ``value:<key>`` columns."""
    out = {k: v for k, v in figures.items() if k != "values"}
    out.update({f"value:{k}": v for k, v in (figures.get("values") or {}).items()})
    return out


def _districts(out_dir: Path, done: list[TaskRecord]) -> gpd.GeoDataFrame | None:
    frames = [pyogrio.read_dataframe(out_dir / "runs" / r.task_id / "districts.gpkg")
              for r in done if (out_dir / "runs" / r.task_id / "districts.gpkg").exists()]
    if not frames:
        return None
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)


def dh_share(districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per district: runs, and the share of runs recommending district heating."""
    is_dh = districts["recommendation"].eq("district_heating")
    grouped = is_dh.groupby(districts["district_id"])
    return pd.DataFrame({"n_runs": grouped.size(), "share": grouped.mean()})


def _page(records: list[TaskRecord], figures: pd.DataFrame,
          districts: gpd.GeoDataFrame | None, lang: str) -> str:
    esc = html.escape
    failed = [r for r in records if r.error is not None]
    parts = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
             f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
             f"<title>{esc(_t('title', lang))}</title></head><body>",
             f"<h1>{esc(_t('title', lang))}</h1>",
             "<p>" + esc(_t("runs", lang).format(done=len(figures), total=len(records),
                                                 failed=len(failed))) + "</p>"]
    if len(figures):
        rows = []
        for key in _FIGURES:
            if key in figures and figures[key].notna().any():
                col = pd.to_numeric(figures[key], errors="coerce")
                rows.append(f"<tr><td>{esc(_t(key, lang))}</td><td>{col.min():,.1f}</td>"
                            f"<td>{col.median():,.1f}</td><td>{col.max():,.1f}</td></tr>")
        head = "".join(f"<th>{esc(_t(k, lang))}</th>" for k in ("figure", "min", "median", "max"))
        parts.append(f"<h2>{esc(_t('figures', lang))}</h2><table><tr>{head}</tr>"
                     + "".join(rows) + "</table>")
        parts.append(f"<h2>{esc(_t('spread', lang))}</h2>{_histograms(figures, lang)}")
    if districts is not None:
        share = dh_share(districts)
        rows = "".join(f"<tr><td>{esc(str(d))}</td><td>{int(r.n_runs)}</td>"
                       f"<td>{r.share:.0%}</td></tr>" for d, r in share.iterrows())
        head = "".join(f"<th>{esc(_t(k, lang))}</th>" for k in ("district", "n_runs", "share"))
        parts.append(f"<h2>{esc(_t('dh_share', lang))}</h2><table><tr>{head}</tr>{rows}"
                     "</table>")
    if failed:
        items = "".join(f"<li><b>{esc(r.task_id)}</b>: {esc((r.error or '').strip()[-500:])}"
                        "</li>" for r in failed)
        parts.append(f"<h2>{esc(_t('failed', lang))}</h2><ul>{items}</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _histograms(figures: pd.DataFrame, lang: str) -> str:
    """Histograms of cost and CO2 across runs as an inline PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = [k for k in ("cost_mdkk", "co2_target_year_t")
            if k in figures and figures[k].notna().any()]
    if not keys:
        return ""
    fig, axes = plt.subplots(1, len(keys), figsize=(5 * len(keys), 3.2), squeeze=False)
    for ax, key in zip(axes[0], keys, strict=True):
        ax.hist(pd.to_numeric(figures[key], errors="coerce").dropna(), bins=20,
                color="#4d4d4d")
        ax.set_xlabel(_t(key, lang))
        ax.set_ylabel(_t("n_runs", lang))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img alt='{html.escape(_t('spread', lang))}' src='data:image/png;base64,{data}'>"


def read_figures(out_dir: Path | str) -> pd.DataFrame:
    """The figures of every finished run of a batch folder (from ``runs/*/figures.json``)."""
    rows = [_flat(json.loads(p.read_text(encoding="utf-8")))
            for p in sorted(Path(out_dir).glob("runs/*/figures.json"))]
    return pd.DataFrame(rows)
