"""DAR addresses: bitemporal Adresse and Adressepunkt → address text per house number.

Expected values come from reading the ndjson lines here with ``json``.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pandas as pd
import pytest

from heatplan.core.errors import InputDataError
from heatplan.io import dar

DAWA = Path(__file__).resolve().parents[2] / "shared" / "data" / "dawa-testdata"

needs_dawa = pytest.mark.skipif(
    not DAWA.is_dir(), reason=f"DAR test data not found at {DAWA} (../shared is absent)"
)


def _lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (DAWA / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def addresses():
    return dar.read_addresses(DAWA / "Adresse.ndjson", DAWA / "Adressepunkt.ndjson")


@needs_dawa
def test_one_row_per_current_house_number(addresses):
    rows = _lines("Adresse.ndjson")
    current = [r for r in rows if r["registreringtil"] is None and r["virkningtil"] is None]
    in_use = [r for r in current if r["status"] in ("2", "3")]
    assert len(rows) == 2902
    assert len(current) == 2820
    assert len(addresses) == len({r["husnummer_id"] for r in in_use})
    units = collections.Counter(r["husnummer_id"] for r in in_use)
    assert addresses["n_units"].to_dict() == dict(units)


@needs_dawa
def test_history_rows_never_give_the_address(addresses):
    rows = _lines("Adresse.ndjson")
    by_id = collections.defaultdict(list)
    for r in rows:
        by_id[r["id"]].append(r)
    changed = [v for v in by_id.values() if len({r["adressebetegnelse"] for r in v}) > 1]
    assert len(changed) == 37
    for versions in changed:
        now = [r for r in versions if r["registreringtil"] is None and r["virkningtil"] is None]
        if len(now) != 1 or now[0]["status"] not in ("2", "3"):
            continue
        house = now[0]["husnummer_id"]
        siblings = [r["adressebetegnelse"] for r in rows if r["husnummer_id"] == house
                    and r["registreringtil"] is None and r["virkningtil"] is None
                    and r["status"] in ("2", "3")]
        street = sorted(siblings)[0].split(",")[0].strip()
        assert addresses.loc[house, "address"] == street
    # a renamed address: Mosede Strandvej 73 became Skovvej 6 (the current row wins)
    renamed = by_id["0a3f50ab-10fe-32b8-e044-0003ba298018"]
    house = next(r["husnummer_id"] for r in renamed if r["virkningtil"] is None)
    assert addresses.loc[house, ["address", "postcode"]].tolist() == ["Skovvej 6", "2670 Greve"]


@needs_dawa
def test_access_points_are_current_2d_points(addresses):
    points = _lines("Adressepunkt.ndjson")
    current = {r["id"]: r["position"] for r in points
               if r["registreringtil"] is None and r["virkningtil"] is None}
    expected = sum(h in current for h in addresses.index)
    assert int(addresses.geometry.notna().sum()) == expected
    house = next(h for h in addresses.index if h in current)
    x, y = current[house].removeprefix("POINT (").removesuffix(")").split()
    point = addresses.loc[house, "geometry"]
    assert (point.x, point.y) == (float(x), float(y))
    assert not addresses.has_z.any()


def test_address_text_splits_into_street_and_postcode():
    text = pd.Series([
        "Ridehusgade 49, 2. th, 5000 Odense C",
        "Højemarksvej 11, 1., Bolbro, 5200 Odense V",
        "Skovvej 6, 2670 Greve",
    ])
    assert dar.split_address_text(text).to_dict("list") == {
        "address": ["Ridehusgade 49", "Højemarksvej 11", "Skovvej 6"],
        "postcode": ["5000 Odense C", "5200 Odense V", "2670 Greve"],
    }


def test_missing_or_broken_dar_file_names_the_file(tmp_path):
    with pytest.raises(InputDataError, match="nosuch"):
        dar.read_addresses(tmp_path / "nosuch.ndjson")
    broken = tmp_path / "Adresse.ndjson"
    broken.write_text('{"id": "a"\n', encoding="utf-8")
    with pytest.raises(InputDataError, match=r"Adresse\.ndjson"):
        dar.read_addresses(broken)
