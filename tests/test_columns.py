"""The column registry: every column the stages add is declared once, for its tables, with the
dtype it really has in a plan of the bundled sample; docs/columns.md is generated from it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from heatplan.core.columns import (
    COLUMNS,
    CONTRACT_LABELS,
    CONTRACT_LAYERS,
    DTYPE_MATCHES,
    PLAN_TABLES,
    TABLES,
    column_label,
    columns_markdown,
    declared_dtype,
    dtype_matches,
    find_column,
)
from heatplan.core.schema import GIS_LAYERS, LABEL_TABLES

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "gis_data" / "sample.gpkg"
ID_COLUMNS = {layer.id_column for layer in GIS_LAYERS + LABEL_TABLES if layer.id_column}
"""Ids of the input layers (``property_id``, ``district_id`` …): tables are indexed by them."""


@pytest.fixture(scope="module")
def plan_tables() -> dict[str, pd.DataFrame]:
    """The plan tables of the bundled sample (heuristic schedule), ``district_feed`` included."""
    if not SAMPLE.exists():
        pytest.skip("the bundled sample gis_data/sample.gpkg is absent")
    import heatplan.plan.network.routing as routing
    from heatplan.core.scenario import load_scenario
    from heatplan.io.layers import read_dataset
    from heatplan.pipeline import build_plan
    from heatplan.validate import validate_dataset

    routed = []
    route_trenches = routing.route_trenches

    def keep_routing(*args, **kwargs):
        routed.append(route_trenches(*args, **kwargs))
        return routed[-1]

    scenario = load_scenario()
    result = validate_dataset(read_dataset(), scenario=scenario)
    with pytest.MonkeyPatch.context() as patch:  # build_plan imports it when it runs
        patch.setattr(routing, "route_trenches", keep_routing)
        plan = build_plan(result.dataset, scenario=scenario, method="heuristic")
    tables = {name: getattr(plan, name, None) for name in PLAN_TABLES}
    tables["district_feed"] = routed[0].district_feed
    if tables["changes"] is None:  # as a revision lists them: one district moved a phase
        from heatplan.plan.revision import compare_plans

        before = plan.districts.copy()
        moved = before.index[before["phase"].notna()][0]
        before.loc[moved, "phase"] += 1
        tables["changes"] = compare_plans(plan.properties, before, plan.properties, plan.districts)
    return tables


def _contract_columns(table: str) -> set[str]:
    return {c.name for layer in CONTRACT_LAYERS.get(table, ()) for c in layer.columns}


def _stage_columns(table: pd.DataFrame) -> list[str]:
    geometry = table.geometry.name if hasattr(table, "geometry") else None
    return [str(c) for c in table.columns if c != geometry]


@pytest.mark.parametrize("name", PLAN_TABLES)
def test_every_column_a_stage_adds_is_declared_for_its_table(plan_tables, name):
    table = plan_tables[name]
    contract = _contract_columns(name)
    undeclared = [
        c for c in _stage_columns(table) if c not in contract and declared_dtype(c, name) is None
    ]
    assert not undeclared, f"{name}: declare {undeclared} in heatplan/core/columns.py"
    index = table.index.name  # None: a plain row number
    assert index is None or index in ID_COLUMNS or declared_dtype(index, name), (name, index)


@pytest.mark.parametrize("name", PLAN_TABLES)
def test_declared_dtypes_are_the_real_ones(plan_tables, name):
    table = plan_tables[name]
    series = {c: table[c] for c in _stage_columns(table)}
    if table.index.name is not None and table.index.name not in ID_COLUMNS:
        series[table.index.name] = table.index.to_series()
    wrong = {
        c: (declared_dtype(c, name), str(s.dtype))
        for c, s in series.items()
        if declared_dtype(c, name) is not None
        and not dtype_matches(declared_dtype(c, name), s.dtype)  # type: ignore[arg-type]
    }
    assert not wrong, f"{name}: declared vs actual dtype {wrong}"


def test_the_registry_declares_each_column_once_and_apart_from_the_contract():
    names = [c.name for c in COLUMNS] + [c.name for c in CONTRACT_LABELS]
    assert len(names) == len(set(names)), "a column is declared twice"
    contract_names = {c.name for layer in GIS_LAYERS + LABEL_TABLES for c in layer.columns}
    assert {c.name for c in CONTRACT_LABELS} <= contract_names
    for column in COLUMNS:
        assert column.tables and set(column.tables) <= set(TABLES), column.name
        assert column.dtype in DTYPE_MATCHES, column.name
        assert column.meaning, column.name
        for table in column.tables:  # a contract column of the table is declared in schema.py
            assert column.name not in _contract_columns(table), (column.name, table)


def test_labels_are_the_report_and_ranking_headers():
    assert column_label("cost_dkk") == "Anlægsomkostning (kr.)"
    assert column_label("cost_dkk", "en") == "Investment (DKK)"
    assert column_label("explanation") == "Forklaring"
    assert column_label("explanation", ranking=True) == "Begrundelse"
    assert column_label("address", "en", ranking=True) == "Address"  # the report's header
    assert column_label("dh_from_year") == "dh_from_year"  # no report header
    assert column_label("co2_takeup_60_t") == "co2_takeup_60_t"
    assert find_column("co2_takeup_60_t") is find_column("co2_takeup_{pct}_t")
    assert find_column("co2_takeup_t") is None


def test_columns_doc_is_up_to_date():
    doc = (REPO / "docs" / "columns.md").read_text(encoding="utf-8")
    assert doc == columns_markdown(), (
        "docs/columns.md is out of date: run "
        ".venv/bin/python -m heatplan.core.columns docs/columns.md"
    )
