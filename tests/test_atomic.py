"""Atomic writing: a failure half-way leaves the previous file untouched."""

from __future__ import annotations

import pytest

from heatplan.core.errors import OutputExistsError
from heatplan.io.atomic import atomic_path


def test_failure_half_way_keeps_the_previous_file(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("previous plan")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half of the new pl")
        raise RuntimeError("killed")
    assert target.read_text() == "previous plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_existing_file_is_not_replaced_without_overwrite(tmp_path):
    target = tmp_path / "plan.gpkg"
    target.write_text("old")
    with pytest.raises(OutputExistsError, match="--overwrite"), atomic_path(
        target, overwrite=False
    ):
        pass
    assert target.read_text() == "old"
