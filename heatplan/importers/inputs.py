"""What an import reads (:class:`ImportSources`) and how it fills gaps (:class:`ImportSettings`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ImportSources:
    """The register files of one import; only ``bbr`` is required."""

    bbr: Path
    units: Path | None = None
    storeys: Path | None = None
    tanks: Path | None = None
    footprints: Path | None = None
    addresses: Path | None = None
    address_points: Path | None = None
    roads: Path | None = None
    roads_layer: str | None = None
    districts: Path | None = None
    districts_layer: str | None = None
    district_map: Mapping[str, str] = field(default_factory=dict)
    dh_network: Path | None = None
    heat_sources: Path | None = None
    owner_map: Path | None = None
    plots: Path | None = None
    property_relations: Path | None = None
    municipality: str | None = None


@dataclass(frozen=True)
class ImportSettings:
    """How districts and the feed point are formed when no file gives them (metres)."""

    cluster_distance_m: float = 50.0
    """Buildings closer than this belong to one built-up cluster."""
    district_cell_m: float = 750.0
    """Square grid that splits large clusters into districts (aligned to the CRS origin)."""
    min_district_properties: int = 10
    """Smaller pieces are merged into the nearest larger district."""
    district_buffer_m: float = 25.0
    """District polygons are the properties buffered by this much, clipped to the grid cell."""
    street_margin_m: float = 250.0
    """Roads of other municipalities within this distance of a property are kept."""
