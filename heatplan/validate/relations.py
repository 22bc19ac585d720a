"""Checks across layers: properties in districts, references between tables, label dates.

Properties must name a valid district or lie in one (then it is assigned by location); labels
must refer to a valid property and proposals to a valid label; labels get ``valid_to`` where
it is missing and ``is_expired``; a planned work must not end before it starts; the data's
``kommunekode`` should be the scenario's municipality.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from heatplan.core.dataset import data_municipality_codes
from heatplan.core.scenario import Scenario
from heatplan.validate.work import LayerWork, examples, plural, valid_mask


def check_districts(props: LayerWork, districts: LayerWork) -> None:
    """Unknown district ids; spatial join for properties without one; outside every district.

    Adds ``district_id_source`` (``input`` or ``location``) to the properties.
    """
    if props.fatal or not len(props.data):
        return
    given = props.data["district_id"]
    valid_ids = districts.data.loc[valid_mask(districts), "district_id"].dropna().unique()
    has_id = given.notna().to_numpy()
    if not districts.fatal:
        _reject_unknown_districts(props, districts, valid_ids)
    props.data["district_id_source"] = pd.Series(
        np.where(has_id, "input", pd.NA), index=given.index, dtype="string"
    )
    if districts.fatal or not len(valid_ids):
        return
    valid_districts = districts.data[valid_mask(districts)].sort_values("district_id")
    geoms = np.asarray(props.data.geometry.array, dtype=object)
    located = (props.reasons == "").to_numpy() & ~shapely.is_missing(geoms)
    located &= ~shapely.is_empty(geoms)
    _flag_astray(props, valid_districts, geoms, has_id & located)
    _assign_by_location(props, valid_districts, geoms, ~has_id & located)


def _reject_unknown_districts(
    props: LayerWork, districts: LayerWork, valid_ids: np.ndarray
) -> None:
    """Reject properties whose district_id names no valid district (saying if it was rejected)."""
    given = props.data["district_id"]
    all_ids = districts.data["district_id"].dropna().unique()
    has_id = given.notna().to_numpy()
    unknown = has_id & ~given.isin(valid_ids).fillna(False).to_numpy(bool)
    if not unknown.any():
        return
    shown = given.astype(str)
    was_rejected = unknown & given.isin(all_ids).fillna(False).to_numpy(bool)
    reason = pd.Series(np.where(was_rejected, "district_id '" + shown + "' was rejected",
                                "unknown district_id '" + shown + "'"), index=given.index)
    props.reject(unknown, reason)
    props.issue(
        "warning", f"district_id not among the valid districts: {examples(shown[unknown])};"
        " these properties were rejected.", "Use a district_id of the districts layer, or "
        "leave district_id empty to assign the district by location.", mask=unknown,
        column="district_id", values=shown,
    )


def _flag_astray(
    props: LayerWork, valid_districts: pd.DataFrame, geoms: np.ndarray, placed: np.ndarray
) -> None:
    """Warn about ``placed`` properties lying outside the district their district_id names."""
    if not placed.any():
        return
    shapes = pd.Series(np.asarray(valid_districts.geometry.array, dtype=object),
                       index=valid_districts["district_id"].astype(str).to_numpy())
    given = props.data["district_id"]
    named = shapes.reindex(given[placed].astype(str).to_numpy()).to_numpy()
    inside = shapely.intersects(shapely.point_on_surface(geoms[placed]), named)
    astray = np.zeros(len(placed), dtype=bool)
    astray[np.flatnonzero(placed)[~inside]] = True
    if astray.any():
        props.issue(
            "warning", "Properties lying outside the district their district_id names; "
            "they keep the district_id given.", "Check district_id, or leave it empty to "
            "assign the district by location.", mask=astray, column="district_id",
        )


def _assign_by_location(
    props: LayerWork, valid_districts: pd.DataFrame, geoms: np.ndarray, todo: np.ndarray
) -> None:
    """Give the ``todo`` properties the district they lie in (the first by id where several).

    Polygons are placed by a point inside them; properties outside every district are rejected.
    """
    if not todo.any():
        return
    index = props.data.index
    points = shapely.point_on_surface(geoms[todo])
    tree = shapely.STRtree(np.asarray(valid_districts.geometry.array, dtype=object))
    point_idx, district_idx = tree.query(points, predicate="intersects")
    hits = pd.DataFrame({"point": point_idx, "district": district_idx}).sort_values(
        ["point", "district"]
    )
    overlaps = hits["point"].duplicated(keep=False)
    first = hits.drop_duplicates("point")
    assigned = np.full(int(todo.sum()), None, dtype=object)
    assigned[first["point"].to_numpy()] = valid_districts["district_id"].to_numpy()[
        first["district"].to_numpy()
    ]
    rows = np.flatnonzero(todo)
    joined = props.data["district_id"].to_numpy(dtype=object, copy=True)
    joined[rows] = assigned
    props.data["district_id"] = pd.Series(joined, index=index, dtype="string")
    source = props.data["district_id_source"].to_numpy(dtype=object, copy=True)
    found = rows[pd.notna(assigned)]
    source[found] = "location"
    props.data["district_id_source"] = pd.Series(source, index=index, dtype="string")
    outside = np.zeros(len(props.data), dtype=bool)
    outside[rows[pd.isna(assigned)]] = True
    if len(found):
        props.issue(
            "info", f"{plural(len(found), 'property', 'properties')} without district_id: "
            "assigned the district they lie in (polygons by a point inside them).",
        )
    if overlaps.any():
        in_two = np.zeros(len(props.data), dtype=bool)
        in_two[rows[hits.loc[overlaps, "point"].unique()]] = True
        props.issue(
            "warning", "Properties lying in more than one district (the districts overlap) were "
            "assigned the first by district_id.", "Make the district polygons not overlap, or "
            "give these properties a district_id.", mask=in_two, column="district_id",
        )
    if outside.any():
        props.reject(outside, "outside every district")
        props.issue(
            "warning", "Properties outside every district were rejected.",
            "Extend the districts layer to cover them, or give them a district_id.",
            mask=outside, column="geometry",
        )


def check_reference(
    child: LayerWork, parent: LayerWork, column: str, parent_column: str, what: str
) -> None:
    """Reject child rows whose ``column`` is not a valid ``parent_column`` value."""
    if child.fatal or not len(child.data) or column not in child.data:
        return
    keys = child.data[column]
    parent_keys = parent.data[parent_column] if parent_column in parent.data else pd.Series()
    valid_keys = parent_keys[valid_mask(parent)].dropna().unique()
    unknown = (keys.notna() & ~keys.isin(valid_keys)).fillna(False).to_numpy(bool)
    if not unknown.any():
        return
    shown = keys.astype(str)
    was_rejected = unknown & keys.isin(parent_keys.dropna().unique()).fillna(False).to_numpy(bool)
    reason = pd.Series(
        np.where(was_rejected, f"{what} '" + shown + "' was rejected",
                 f"unknown {what} '" + shown + "'"),
        index=keys.index,
    )
    child.reject(unknown, reason)
    n_rejected = int((unknown & was_rejected).sum())
    detail = (
        f" ({n_rejected:,} of them refer to rejected {parent.layer.name})" if n_rejected else ""
    )
    child.issue(
        "warning", f"{column} not among the valid {parent.layer.name}: "
        f"{examples(shown[unknown])}{detail}; these rows were rejected.",
        f"Check {column} against {parent.layer.name}.{parent_column}, or correct the rejected "
        f"{parent.layer.name} rows.", mask=unknown, column=column, values=shown,
    )


def check_label_dates(labels: LayerWork, scenario: Scenario) -> None:
    """Reject reversed dates; fill ``valid_to`` (``labels.validity_years``); flag expired labels.

    A label is expired when its ``valid_to`` lies before the scenario's
    ``labels.reference_date``.
    """
    if labels.fatal or not len(labels.data):
        return
    years = int(scenario.value("labels.validity_years"))
    reference = pd.Timestamp(scenario.value("labels.reference_date"))
    start = labels.data["valid_from"]
    end = labels.data["valid_to"]
    reversed_ = (start.notna() & end.notna() & (end < start)).to_numpy(bool)
    if reversed_.any():
        labels.reject(reversed_, "valid_to before valid_from")
        labels.issue(
            "warning", "Labels valid_to before valid_from were rejected.",
            "Check the label's dates in the energy-label register.", mask=reversed_,
            column="valid_to",
        )
    filled = end.isna() & start.notna()
    if filled.any():
        labels.data["valid_to"] = end.where(~filled, start + pd.DateOffset(years=years))
        labels.issue(
            "info", f"{plural(int(filled.sum()), 'label')} without valid_to: set to "
            f"valid_from + {years} years.",
        )
    expired = (labels.data["valid_to"] < reference).fillna(False)
    labels.data["is_expired"] = expired.astype(bool)
    n_expired = int((expired & (labels.reasons == "")).sum())
    if n_expired:
        labels.issue(
            "info", f"{plural(n_expired, 'label')} expired before {reference.date()}; still "
            "used as evidence and flagged is_expired.",
        )


def check_work_years(works: LayerWork) -> None:
    """Reject planned works whose ``end_year`` lies before their ``year``."""
    if works.fatal or not len(works.data) or not {"year", "end_year"} <= set(works.data):
        return
    start = pd.to_numeric(works.data["year"], errors="coerce")
    end = pd.to_numeric(works.data["end_year"], errors="coerce")
    reversed_ = (start.notna() & end.notna() & (end < start)).to_numpy(bool)
    if not reversed_.any():
        return
    works.reject(reversed_, "end_year before year")
    works.issue(
        "warning", "Planned works whose end_year lies before their year were rejected.",
        "Give the first year of the work in year and the last in end_year (or leave end_year "
        "empty for a work done within one year).", mask=reversed_, column="end_year",
        values=end.astype("Int64").astype(str),
    )


def check_municipality(props: LayerWork, scenario: Scenario) -> None:
    """Warn when the properties' ``kommunekode`` is not the scenario's municipality.

    The plan takes the data's code when every valid property has the same one
    (:func:`heatplan.core.dataset.municipality_code`), else the scenario's.
    """
    if props.fatal or not len(props.data) or "general.municipality_code" not in scenario:
        return
    wanted = str(scenario.value("general.municipality_code") or "").strip()
    codes = data_municipality_codes(props.data[valid_mask(props)])
    if not wanted or not codes or wanted.zfill(4) in codes:
        return
    listed = ", ".join(codes[:5]) + (", …" if len(codes) > 5 else "")
    if len(codes) == 1:
        message = (
            f"kommunekode of the data is {codes[0]}, but the scenario's "
            f"general.municipality_code is {wanted}; the plan is for {codes[0]}, the data's."
        )
        fix = (f"Set general.municipality_code = \"{codes[0]}\" in a scenario file, or check "
               f"that the data is the municipality's.")
    else:
        message = (
            f"kommunekode of the data holds {len(codes)} municipalities ({listed}), none of "
            f"them the scenario's general.municipality_code {wanted}; the plan is labelled "
            f"{wanted}, the scenario's."
        )
        fix = ("Import one municipality's data, or set general.municipality_code in a "
               "scenario file to the municipality planned.")
    props.issue("warning", message, fix, column="kommunekode")
