"""Overview picture of the synthetic sample (the README picture).

``python scripts/sample_overview.py [PNG]`` redraws ``docs/img/sample_overview.png``.

Districts are coloured by planning status, streets drawn by road class, building footprints in
dark grey, existing district-heating mains in red and the feed points as stars.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio

STATUS_COLOURS = {
    "existing_dh": "#f4a3a3",
    "candidate_dh": "#ffd27f",
    "individual": "#b7dfa5",
    "undecided": "#d0d0d0",
}
STATUS_LABELS = {
    "existing_dh": "eksisterende fjernvarme",
    "candidate_dh": "kandidat til fjernvarme",
    "individual": "individuel forsyning",
    "undecided": "ikke afgjort",
}
ROAD_STYLE = {"arterial": (1.6, "#404040"), "collector": (0.9, "#606060"),
              "local": (0.4, "#808080"), "path": (0.3, "#5f9e5f"), "track": (0.4, "#b59b6b")}


def _scale_bar(ax) -> None:
    """A 1 km (or 100 m when zoomed in) scale bar in the lower right corner."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = 1000.0 if x1 - x0 > 3000.0 else 100.0
    x = x1 - 0.04 * (x1 - x0) - length
    y = y0 + 0.05 * (y1 - y0)
    ax.plot([x, x + length], [y, y], color="black", linewidth=3, solid_capstyle="butt")
    ax.annotate(f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m",
                (x + length / 2, y + 0.015 * (y1 - y0)), ha="center", fontsize=7)


def render_overview(
    gpkg: Path | str,
    png: Path | str,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    dpi: int = 110,
    size_in: tuple[float, float] = (11.0, 8.0),
) -> Path:
    """Draw ``gpkg`` (the sample's layers) into ``png``; ``bbox`` zooms (EPSG:25832 metres)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    def read(layer: str) -> gpd.GeoDataFrame:
        return pyogrio.read_dataframe(gpkg, layer=layer, bbox=bbox)

    districts, streets = read("districts"), read("streets")
    props, mains, sources = read("properties"), read("dh_network"), read("heat_sources")
    fig, ax = plt.subplots(figsize=size_in)
    layers = pyogrio.list_layers(gpkg)[:, 0]
    if "municipality" in layers:
        muni = read("municipality")
        muni.plot(ax=ax, color="#eef3e6", edgecolor="none")
    else:
        muni = None
    for status, colour in STATUS_COLOURS.items():
        sel = districts[districts["status"] == status]
        if len(sel):
            sel.plot(ax=ax, color=colour, edgecolor="#8a6d3b", linewidth=0.6, alpha=0.8)
    for _, row in districts.iterrows():
        c = row.geometry.representative_point()
        ax.annotate(f"{row['district_id']}", (c.x, c.y), fontsize=6 if bbox is None else 9,
                    ha="center", color="#5a3d00")
    for cls, (lw, colour) in ROAD_STYLE.items():
        sel = streets[streets["road_class"] == cls]
        if len(sel):
            sel.plot(ax=ax, linewidth=lw if bbox is None else 2 * lw, color=colour)
    props.plot(ax=ax, color="#333333", linewidth=0)
    if muni is not None and len(muni):
        muni.boundary.plot(ax=ax, color="black", linewidth=1.2)
    if len(mains):
        mains.plot(ax=ax, color="#d62728", linewidth=mains["dn_mm"].clip(50, 400) / 120.0)
    if len(sources):
        sources.plot(ax=ax, color="#d62728", marker="*", markersize=180, edgecolor="black",
                     zorder=5)
    if bbox is not None:
        ax.set_xlim(bbox[0], bbox[2])
        ax.set_ylim(bbox[1], bbox[3])
    ax.set_aspect("equal")
    _scale_bar(ax)
    ax.ticklabel_format(style="plain", useOffset=False)
    ax.tick_params(labelsize=7)
    handles = [Patch(color=c, label=STATUS_LABELS[s]) for s, c in STATUS_COLOURS.items()
               if (districts["status"] == s).any()]
    handles += [Patch(color="#eef3e6", label="åbent land")]
    handles += [Line2D([], [], color="#d62728", lw=2, label="eksisterende fjernvarmeledning"),
                Line2D([], [], color="#d62728", marker="*", lw=0, markersize=12,
                       label="tilslutningspunkt")]
    ax.legend(handles=handles, loc="lower left", fontsize=7, framealpha=0.9)
    ax.set_title("Syntetisk eksempelkommune (Ballerup-lignende) — SYNTETISKE DATA", fontsize=10)
    ax.set_xlabel("EPSG:25832 Ø (m)", fontsize=7)
    ax.set_ylabel("EPSG:25832 N (m)", fontsize=7)
    fig.tight_layout()
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return png


if __name__ == "__main__":
    import sys

    root = Path(__file__).resolve().parents[1]
    target = sys.argv[1] if len(sys.argv) > 1 else root / "docs/img/sample_overview.png"
    out = render_overview(root / "gis_data" / "sample.gpkg", target)
    print(f"Wrote {out}")
