"""Complete a building's heating from BBR's companions: units (code 99) and oil tanks.

- heating 99 (*blandet*) takes the installation and fuel heating the largest unit area
  (BBR Enhed, linked through BBR Etage in the file extract);
- central heating (byg056 2 or 6) with no fuel but an active oil tank (Tekniske anlæg 1110)
  becomes oil (byg057 3), flagged ``is_fuel_inferred``.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from heatplan.importers.inputs import ImportSources
from heatplan.io import bbr

logger = logging.getLogger(__name__)

CENTRAL_HEATING_CODES = frozenset({"2", "6"})
"""byg056 codes whose fuel an oil tank can tell (own boiler, two firing units)."""


def resolve_mixed_heating(
    frame: pd.DataFrame, sources: ImportSources, municipality: str | None,
    counts: dict[str, Any],
) -> None:
    """Replace heating 99 by the heating of the building's largest unit area, in place."""
    mixed = frame["heating_installation"] == "99"
    counts["heating_99"] = int(mixed.sum())
    counts["heating_99_resolved"] = 0
    if sources.units is None or not mixed.any():
        return
    units = bbr.read_units(sources.units, municipality=municipality)
    storeys = (bbr.read_storeys(sources.storeys, municipality=municipality)
               if sources.storeys is not None else None)
    if storeys is None and units["bygning"].isna().all():
        logger.warning(
            "The units in %s name no building (OIS extract); give --storeys (BBR Etage) to "
            "link them, heating 99 stays unresolved", sources.units,
        )
        return
    heating = bbr.unit_heating(units, storeys)
    hit = mixed & frame.index.isin(heating.index)
    ids = frame.index[hit]
    frame.loc[ids, "heating_installation"] = heating.loc[ids, "installation"].to_numpy()
    frame.loc[ids, "heating_fuel"] = heating.loc[ids, "fuel"].to_numpy()
    frame.loc[ids, "heating_note"] = "resolved from units (byg056 99)"
    counts["heating_99_resolved"] = len(ids)


def link_tanks(tanks: pd.DataFrame, buildings: pd.DataFrame) -> pd.Index:
    """Return the ids of buildings with an active oil tank.

    A tank names its building (``bygning``) in few records; otherwise it is linked to the
    built building (status 6) with the largest heated area at the same house number, else on
    the same plot (``grund``).
    """
    ids = set(tanks["bygning"].dropna()) & set(buildings.index)
    rest = tanks[~tanks["bygning"].isin(ids)]
    built = buildings[buildings["status"] == "6"]
    ranked = built.sort_values("heated_area_m2", ascending=False, kind="stable")
    for key in ("husnummer", "grund"):
        main = ranked.dropna(subset=[key]).drop_duplicates(key)
        main = pd.Series(main.index, index=main[key].to_numpy())
        hits = rest[key].map(main)
        ids |= set(hits.dropna())
        rest = rest[hits.isna()]
    return pd.Index(sorted(ids))


def infer_oil(
    frame: pd.DataFrame, sources: ImportSources, municipality: str | None,
    counts: dict[str, Any],
) -> None:
    """Set ``has_oil_tank`` and, for central heating without a fuel, fuel oil, in place."""
    frame["has_oil_tank"] = False
    if sources.tanks is None:
        return
    tanks = bbr.active_oil_tanks(
        bbr.read_technical_installations(sources.tanks, municipality=municipality)
    )
    with_tank = link_tanks(tanks, frame)
    frame.loc[frame.index.isin(with_tank), "has_oil_tank"] = True
    infer = (frame["has_oil_tank"] & frame["heating_installation"].isin(CENTRAL_HEATING_CODES)
             & frame["heating_fuel"].isna())
    frame.loc[infer, "heating_fuel"] = "3"
    frame.loc[infer, "is_fuel_inferred"] = True
    frame.loc[infer, "heating_note"] = (frame.loc[infer, "heating_note"] + "; fuel oil from an "
                                        "active oil tank (Tekniske anlæg 1110)").str.lstrip("; ")
    fuel = frame["heating_fuel"]
    conflict = frame["has_oil_tank"] & fuel.notna() & (fuel != "3")
    counts["active_oil_tanks"] = len(tanks)
    counts["buildings_with_active_oil_tank"] = int(frame["has_oil_tank"].sum())
    counts["fuel_inferred_oil"] = int(infer.sum())
    counts["oil_tank_but_other_fuel"] = int(conflict.sum())
