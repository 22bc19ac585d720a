"""heatplan: plan a district-heating rollout and rank municipal buildings for renovation."""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("heatplan")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

logging.getLogger(__name__).addHandler(logging.NullHandler())

PROJECT_CRS = "EPSG:25832"
"""Every computation happens in ETRS89 / UTM zone 32N (metres), the Danish standard."""

__all__ = ["PROJECT_CRS", "__version__"]
