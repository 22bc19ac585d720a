"""Energy-label scale limits, validity and the choice of one label per property."""

from __future__ import annotations

import pandas as pd
import pytest

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import load_scenario
from heatplan.model.labels import (
    class_limits,
    classify_primary_energy,
    label_evidence,
    primary_energy_per_heat,
    select_labels,
)

SCENARIO = load_scenario()

# domain.md §2.1 "Worked limits", kWh primary energy per m² per year, rounded to 0.1.
# e.g. residential C at 130 m²: 110 + 3200/130 = 110 + 24.615 = 134.6;
#      non-residential F at 5000 m²: 265 + 6500/5000 = 265 + 1.3 = 266.3.
DOMAIN_TABLE = {
    130: {"res": (134.6, 182.3, 230.0, 290.0), "non": (159.6, 207.3, 255.0, 315.0)},
    500: {"res": (116.4, 158.4, 200.4, 253.0), "non": (141.4, 183.4, 225.4, 278.0)},
    5000: {"res": (110.6, 150.8, 191.0, 241.3), "non": (135.6, 175.8, 216.0, 266.3)},
}


@pytest.mark.parametrize("area", [130, 500, 5000])
@pytest.mark.parametrize("scale", ["res", "non"])
def test_class_limits_match_the_domain_table(area, scale):
    limits = class_limits(float(area), residential=scale == "res", scenario=SCENARIO)
    got = limits.loc[0, ["C", "D", "E", "F"]].round(1).tolist()
    assert got == pytest.approx(list(DOMAIN_TABLE[area][scale]), abs=0.051)


def test_class_limits_per_building_keep_the_index():
    area = pd.Series([130.0, 5000.0], index=["a", "b"])
    limits = class_limits(area, residential=pd.Series([True, False], index=area.index),
                          scenario=SCENARIO)
    assert list(limits.index) == ["a", "b"]
    # A2020 has no area term: 27 residential, 33 non-residential
    assert limits["A2020"].tolist() == [27.0, 33.0]


def test_classify_primary_energy_boundaries():
    # residential 130 m²: C ≤ 134.6, D ≤ 182.3, F ≤ 290.0, above F is G
    area = [130.0] * 4
    values = [110 + 3200 / 130, 135.0, 290.0, 290.1]
    got = classify_primary_energy(values, area, residential=True, scenario=SCENARIO)
    assert got.astype(str).tolist() == ["C", "D", "F", "G"]


def test_missing_class_in_a_user_scale_is_a_clear_error():
    broken = SCENARIO.with_values(labels__limits__residential={"C": [110.0, 3200.0]})
    with pytest.raises(ScenarioError, match=r"labels\.limits\.residential lacks the classes"):
        class_limits(130.0, residential=True, scenario=broken)


def test_primary_energy_per_heat_by_supply():
    types = pd.Series(["district_heating", "natural_gas", "electric", "heat_pump"])
    got = primary_energy_per_heat(types, scenario=SCENARIO).tolist()
    # DH 0.85; gas 1.0 / 0.90 = 1.1111; panels 1.9; heat pump 1.9 / SCOP, the typical house's
    # in the base year 2024: catalogue 207.3 radiators 3.40 + 0.20 × 4/10 = 3.48 → 0.5460
    assert got == pytest.approx([0.85, 1.0 / 0.9, 1.9, 1.9 / 3.48])


LABELS = pd.DataFrame(
    {
        "label_id": ["L1", "L2", "L3", "L4", "L5"],
        "property_id": ["P1", "P1", "P2", "P3", "P3"],
        "label_class": ["E", "D", "F", "C", "C"],
        # reference date 2026-01-01; validity 10 years
        "valid_from": ["2012-05-01", "2019-03-01", "2014-06-30", "2020-01-01", "2020-01-01"],
        "valid_to": [None, None, None, "2025-06-30", None],
    }
)


def test_label_evidence_validity_and_age():
    ev = label_evidence(LABELS, scenario=SCENARIO)
    assert ev.loc["L1", "valid_to"] == pd.Timestamp("2022-05-01")  # valid_from + 10 years
    assert ev["label_is_valid"].to_dict() == {
        "L1": False, "L2": True, "L3": False,
        "L4": False,  # its own valid_to (2025-06-30) ended it early
        "L5": True,
    }
    # 2012-05-01 → 2026-01-01 is 4993 days = 13.67 years
    assert ev.loc["L1", "label_age_years"] == pytest.approx(4993 / 365.25)


def test_select_labels_prefers_valid_then_newest_then_id():
    chosen = select_labels(LABELS, scenario=SCENARIO)
    assert chosen["label_id"].to_dict() == {"P1": "L2", "P2": "L3", "P3": "L5"}
    assert chosen.loc["P2", "label_is_valid"] is False or not chosen.loc["P2", "label_is_valid"]
    # an exact tie (same dates, both valid) goes to the smaller label_id
    tie = LABELS.iloc[[4]].assign(label_id="L0")
    chosen = select_labels(pd.concat([LABELS, tie]), scenario=SCENARIO)
    assert chosen.loc["P3", "label_id"] == "L0"


def test_select_labels_without_labels_is_empty():
    assert select_labels(None, scenario=SCENARIO).empty
