"""The residents' map's data: addresses, answers, money, districts, pipes and base map.

Only the columns in :data:`PUBLIC_PROPERTY_COLUMNS` (and the household estimates in
:data:`MONEY_COLUMNS`, when the plan has them) are read from the properties; properties in any
of the plan's rejected tables are left out. The data is split in *chunks*: one per district
with its addresses, and one per cell of streets and one of pipes. A single-file map carries
every chunk in the page; a folder map carries the index (texts, answers, districts, street
names) in the page and loads the chunks as the view or a search needs them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from heatplan.core.errors import SchemaError
from heatplan.outputs.resident_map.answers import answer_profiles
from heatplan.outputs.resident_map.basemap import (
    district_layer,
    extent_lonlat,
    line_legend,
    pipe_cells,
    street_cells,
)
from heatplan.outputs.resident_map.encode import Origin, bbox, deltas, origin_of, point_lonlat
from heatplan.outputs.style import (
    RESIDENT_MAP_CONNECTED_COLOUR,
    RESIDENT_MAP_HEAT_PUMP_COLOUR,
    RESIDENT_MAP_OTHER_COLOUR,
    RESIDENT_MAP_UNSCHEDULED_COLOUR,
    phase_colour,
)
from heatplan.plan.result import Plan

logger = logging.getLogger(__name__)

PUBLIC_PROPERTY_COLUMNS: tuple[str, ...] = (
    "address",
    "postcode",
    "district_id",
    "recommendation",
    "connection_status",
    "phase",
    "offer_year",
    "construction_start_year",
    "construction_end_year",
)
"""The only property columns the residents' map reads (``connection_status`` only to tell
``connected``; a sign-up or refusal is never published)."""

MONEY_COLUMNS: dict[str, str] = {
    "connection_fee_dkk": "mf",
    "bill_dh_dkk_a": "md",
    "bill_heat_pump_dkk_a": "mh",
    "bill_gas_dkk_a": "mg",
}
"""The household estimates the map shows when the plan has them (one-off connection fee, and
the yearly bill with district heating, an own heat pump, gas; DKK incl. taxes and VAT), and
their keys in the page's data. Rounded to :data:`MONEY_STEP_DKK`."""

MONEY_STEP_DKK = 100
"""Money is published rounded to this many DKK (an estimate, not a price)."""

_HOUSE_NUMBER = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+\s*[A-Za-zÆØÅæøå]?)$")
_NUMBER = re.compile(r"(\d+)")


@dataclass
class MapData:
    """The page's data: the index (always in the page) and the chunks."""

    index: dict[str, Any]
    chunks: list[dict[str, Any]] = field(default_factory=list)
    n_addresses: int = 0


def map_data(plan: Plan, *, first_year: int) -> MapData:
    """Gather the page's data from ``plan``; ``first_year`` is the plan's first year.

    Raises
    ------
    SchemaError
        If ``properties`` lacks ``address`` or ``recommendation``, or has unknown
        recommendation values.
    CRSError
        If a layer has no CRS.
    """
    public = public_properties(plan)
    lonlat = point_lonlat(public.geometry, "properties")
    origin = origin_of(lonlat, extent_lonlat(plan.districts)) or Origin(55.0, 12.0)
    profiles, profile_of = answer_profiles(public, plan.districts, first_year)
    classes, class_of = _marker_classes(profiles, plan.districts)
    for profile, cls in zip(profiles, class_of, strict=True):
        profile["c"] = cls
    street, number, postcode = _split_addresses(public)
    street_names = sorted(set(street), key=_natural_key)
    postcodes = sorted(set(postcode))
    frame = pd.DataFrame(
        {
            "s": pd.Series(street).map({n: i for i, n in enumerate(street_names)}).to_numpy(),
            "n": number,
            "pc": pd.Series(postcode).map({n: i for i, n in enumerate(postcodes)}).to_numpy(),
            "p": profile_of,
            "chunk": [profiles[p]["d"] for p in profile_of],
        }
    )
    ints = origin.to_ints(lonlat) if len(lonlat) else np.empty((0, 2), dtype=np.int64)
    frame["lat"], frame["lon"] = ints[:, 0], ints[:, 1]
    for column, key in MONEY_COLUMNS.items():
        if column in public.columns:
            money = pd.to_numeric(public[column], errors="coerce").to_numpy(dtype=float)
            frame[key] = np.round(money / MONEY_STEP_DKK)
    chunks, where = _address_chunks(frame, len(street_names))
    names, cells = street_cells(plan.streets, origin)
    chunks += [{"kind": "streets", **cell} for cell in cells]
    pipes = pipe_cells(plan.trenches, plan.dh_network, origin)
    chunks += [{"kind": "lines", **cell} for cell in pipes]
    districts = district_layer(plan.districts, origin)
    index = {
        "origin": [origin.lat, origin.lon],
        "bounds": bbox(origin, np.vstack([lonlat, extent_lonlat(plan.districts)])),
        "profiles": profiles,
        "classes": classes,
        "phaseSpans": _phase_spans(plan.districts, public, first_year),
        "districts": districts["items"],
        "streetNames": street_names,
        "postcodes": postcodes,
        "where": where,
        "baseNames": names,
        "lineGroups": line_legend(pipes),
        "money": sorted(key for column, key in MONEY_COLUMNS.items() if column in public),
        "example": _example_address(street_names, frame, number, postcodes),
    }
    logger.info(
        "Residents' map data: %s addresses in %s chunks, %s answers, %s street cells",
        f"{len(frame):,}",
        sum(c["kind"] == "points" for c in chunks),
        len(profiles),
        len(cells),
    )
    return MapData(index, chunks, len(frame))


def public_properties(plan: Plan) -> gpd.GeoDataFrame:
    """The whitelisted columns of the properties the map shows: with an address and a
    location, and in none of the plan's rejected tables."""
    properties = plan.properties
    for column in ("address", "recommendation"):
        if column not in properties.columns:
            msg = (
                f"plan.properties has no column {column!r}; the residents' map needs it "
                "(see docs/architecture.md, table 'properties')."
            )
            raise SchemaError(msg)
    wanted = [*PUBLIC_PROPERTY_COLUMNS, *MONEY_COLUMNS]
    public = gpd.GeoDataFrame(
        properties[[c for c in wanted if c in properties.columns]],
        geometry=properties.geometry,
        crs=properties.crs,
    )
    address = public["address"].astype("string").str.strip()
    keep = address.notna() & (address != "") & public.geometry.notna()
    keep &= ~public.geometry.is_empty
    rejected = rejected_property_ids(plan)
    keep &= ~public.index.astype(str).isin(rejected)
    dropped = int((~keep).sum())
    if dropped:
        logger.info(
            "Residents' map: %s properties without address or location, or rejected, left out",
            dropped,
        )
    return public[keep.to_numpy()]


def rejected_property_ids(plan: Plan) -> set[str]:
    """Ids of properties in any of the plan's rejected tables (index or ``property_id``)."""
    ids: set[str] = set()
    for table in (plan.rejected or {}).values():
        if table is None or not len(table):
            continue
        if table.index.name == "property_id":
            ids.update(str(v) for v in table.index)
        elif "property_id" in table.columns:
            ids.update(str(v) for v in table["property_id"].dropna())
    return ids


def _split_addresses(public: gpd.GeoDataFrame) -> tuple[list[str], list[str], list[str]]:
    """Street name, house number (with its letter) and postcode text of each address.

    An address that does not end in a house number is kept whole as the street name. The
    postcode is left out when the address already contains it.
    """
    address = public["address"].astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    postcode = (
        public["postcode"].astype("string").str.strip().fillna("")
        if "postcode" in public.columns
        else pd.Series("", index=public.index)
    )
    streets, numbers, codes = [], [], []
    for text, code in zip(address, postcode, strict=True):
        if code and code in text:
            code = ""
        match = _HOUSE_NUMBER.match(text)
        if match:
            streets.append(match["street"].strip().rstrip(","))
            numbers.append(match["number"].replace(" ", ""))
        else:
            streets.append(text)
            numbers.append("")
        codes.append(code)
    return streets, numbers, codes


def _address_chunks(
    frame: pd.DataFrame, n_streets: int
) -> tuple[list[dict[str, Any]], list[list[int]]]:
    """One chunk of addresses per district (and one for addresses in none), each sorted by
    street and house number, and for each street the chunks holding it."""
    chunks = []
    where: list[set[int]] = [set() for _ in range(n_streets)]
    order_key = [_natural_key(n) for n in frame["n"]]
    frame = frame.assign(_num=pd.Series(order_key, index=frame.index, dtype=object))
    for _, part in frame.groupby("chunk", sort=True):
        part = part.sort_values(["s", "_num", "pc"], kind="stable")
        position = len(chunks)
        for s in set(part["s"].tolist()):
            where[s].add(position)
        chunk: dict[str, Any] = {
            "kind": "points",
            "bbox": [
                int(part["lat"].min()),
                int(part["lon"].min()),
                int(part["lat"].max()),
                int(part["lon"].max()),
            ],
            "lat": deltas(part["lat"].to_numpy()),
            "lon": deltas(part["lon"].to_numpy()),
            "s": part["s"].astype(int).tolist(),
            "n": [int(n) if n.isdigit() else n for n in part["n"]],
            "p": part["p"].astype(int).tolist(),
        }
        if len(set(part["pc"])) > 1 or len(part) == 0:
            chunk["pc"] = part["pc"].astype(int).tolist()
        else:
            chunk["pc1"] = int(part["pc"].iloc[0])
        for key in MONEY_COLUMNS.values():
            if key in part.columns and part[key].notna().any():  # all empty: left out
                chunk[key] = [None if np.isnan(v) else int(v) for v in part[key]]
        chunks.append(chunk)
    return chunks, [sorted(w) for w in where]


def _marker_classes(
    profiles: list[dict[str, Any]], districts: pd.DataFrame | None
) -> tuple[list[dict[str, Any]], list[int]]:
    """The marker classes present (shape, colour, whether shown at start) and each profile's."""
    spec = {
        "may_connect": ("may_connect", "ring", RESIDENT_MAP_CONNECTED_COLOUR, True),
        "connected": ("connected", "square", RESIDENT_MAP_CONNECTED_COLOUR, True),
        "individual": ("individual", "diamond", RESIDENT_MAP_HEAT_PUMP_COLOUR, True),
        "none": ("none", "dot", RESIDENT_MAP_OTHER_COLOUR, False),
    }
    keys = []
    for profile in profiles:
        if profile["kind"] in ("planned", "built"):
            phase = profile["ph"]
            keys.append(("dh", phase) if phase is not None else ("dh_open", None))
        else:
            keys.append((profile["kind"], None))
    order = ["dh", "dh_open", "may_connect", "connected", "individual", "none"]
    present = sorted(set(keys), key=lambda k: (order.index(k[0]), k[1] or 0))
    classes = []
    for key, phase in present:
        if key == "dh":
            classes.append(
                {"key": f"dh-{phase}", "label": "dh", "ph": phase, "shape": "circle",
                 "color": phase_colour(phase), "show": True}
            )
        elif key == "dh_open":
            classes.append(
                {"key": "dh-open", "label": "dh_open", "ph": None, "shape": "circle",
                 "color": RESIDENT_MAP_UNSCHEDULED_COLOUR, "show": True}
            )
        else:
            label, shape, color, show = spec[key]
            classes.append(
                {"key": key, "label": label, "ph": None, "shape": shape, "color": color,
                 "show": show}
            )
    position = {k: i for i, k in enumerate(present)}
    return classes, [position[k] for k in keys]


def _phase_spans(
    districts: gpd.GeoDataFrame | None, public: gpd.GeoDataFrame, first_year: int
) -> dict[str, list[int]]:
    """First and last construction year of each phase (districts' years, else properties'),
    from ``first_year`` on: works done before the plan do not widen a phase's span."""
    if districts is not None and len(districts) and {"phase", "end_year"} <= set(districts):
        frame, start, end = districts, "start_year", "end_year"
    elif {"phase", "construction_end_year"} <= set(public.columns):
        frame, start, end = public, "construction_start_year", "construction_end_year"
    else:
        return {}
    phase = pd.to_numeric(frame["phase"], errors="coerce")
    years = pd.concat(
        [pd.to_numeric(frame[c], errors="coerce") for c in (start, end) if c in frame.columns]
    )
    table = pd.DataFrame({"phase": pd.concat([phase] * (len(years) // max(len(phase), 1))),
                          "year": years}).dropna()
    table = table[table["year"] >= first_year]
    return {
        str(int(p)): [int(part["year"].min()), int(part["year"].max())]
        for p, part in table.groupby("phase")
    }


def _example_address(
    street_names: list[str], frame: pd.DataFrame, number: list[str], postcodes: list[str]
) -> str:
    """One of the map's own addresses, for the search box's hint: the middle one of the most
    common street."""
    if not len(frame):
        return ""
    street = int(frame["s"].value_counts().sort_index(kind="stable").idxmax())
    rows = frame.index[frame["s"] == street]
    numbers = sorted((number[i] for i in rows), key=_natural_key)
    return f"{street_names[street]} {numbers[len(numbers) // 2]}".strip()


def _natural_key(text: str) -> tuple[Any, ...]:
    """Sort key that orders numbers inside text by value (``2`` before ``12``)."""
    parts = _NUMBER.split(str(text).lower())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
