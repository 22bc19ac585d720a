"""The residents' map's assets: its own script and style, and Leaflet.

The map's own ``resident_map.js`` and ``resident_map.css`` are package data in ``static/``.
Leaflet comes from an installed copy (the Python package ``xstatic-leaflet`` or Debian's
``libjs-leaflet``), with its images as data URIs, inlined into the page or shipped beside it:
the map never loads it from a CDN.
"""

from __future__ import annotations

import base64
import logging
import re
from importlib.resources import files
from pathlib import Path

from heatplan.core.errors import HeatplanError

logger = logging.getLogger(__name__)

STATIC_DIR = "static"
"""Folder of the map's own script and style, inside this package."""
_PACKAGE = "heatplan.outputs.resident_map"
DEBIAN_LEAFLET_DIR = Path("/usr/share/javascript/leaflet")
"""Where Debian's ``libjs-leaflet`` package puts Leaflet."""


def _has_closing_tag(text: str) -> bool:
    """Whether ``text`` would end the ``<script>`` or ``<style>`` element it is inlined into."""
    return "</script" in text.lower() or "</style" in text.lower()


def static_asset(name: str) -> str:
    """The text of the map's own asset ``name`` (``resident_map.js`` or ``resident_map.css``)."""
    text = files(_PACKAGE).joinpath(STATIC_DIR, name).read_text(encoding="utf-8")
    if _has_closing_tag(text):
        folder = _PACKAGE.replace(".", "/")
        msg = f"{folder}/{STATIC_DIR}/{name} must not contain a closing script or style tag."
        raise HeatplanError(msg)
    return text


def leaflet_dir() -> Path | None:
    """The folder of an installed copy of Leaflet (``leaflet.js``, ``leaflet.css``, ``images/``).

    Looks for the Python package ``xstatic-leaflet`` (Leaflet 1.9.3, the version folium links),
    then Debian's ``libjs-leaflet``; ``None`` when neither is installed.
    """
    try:
        from xstatic.pkg import leaflet
    except ImportError:
        candidates = [DEBIAN_LEAFLET_DIR]
    else:
        candidates = [Path(leaflet.BASE_DIR), DEBIAN_LEAFLET_DIR]
    for folder in candidates:
        if (folder / "leaflet.js").is_file() and (folder / "leaflet.css").is_file():
            return folder
    return None


def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS (images inlined as data URIs) from an installed copy.

    Raises
    ------
    HeatplanError
        If no installed copy of Leaflet is found, or it cannot be inlined.
    """
    base = leaflet_dir()
    if base is None:
        msg = (
            "The residents' map ships Leaflet inside the page (it loads nothing from the "
            "internet), from an installed copy, and none was found. Install the Python package "
            "xstatic-leaflet (pip install xstatic-leaflet) or Debian's libjs-leaflet."
        )
        raise HeatplanError(msg)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = base / match.group(1)
        if not image.is_file():
            return match.group(0)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)
    for name, text in (("leaflet.js", js), ("leaflet.css", css)):
        if _has_closing_tag(text):
            msg = f"{base / name} contains a closing script or style tag and cannot be inlined."
            raise HeatplanError(msg)
    version = re.search(r'version\s*=\s*"([0-9.]+)"', js)
    logger.info("Inlining Leaflet %s from %s", version.group(1) if version else "?", base)
    return js, css
