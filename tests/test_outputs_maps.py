"""Phase maps: one overview plus one sheet per phase, A3 landscape, 200 dpi, deterministic."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from PIL import Image
from plan_fixture import make_plan

from heatplan.core.errors import OutputExistsError
from heatplan.outputs.phase_maps.files import PDF_NAME, phase_map_paths, write_phase_maps
from heatplan.outputs.phase_maps.furniture import _nice_length
from heatplan.outputs.phase_maps.layers import plan_phases
from heatplan.outputs.phase_maps.sheet import draw_sheet
from heatplan.outputs.style import dn_width


def pdf_page_count(data: bytes) -> int:
    try:
        import pypdf
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?!s)", data))
    import io

    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("maps")
    return write_phase_maps(make_plan(), out, phase_pngs=True)


def test_phases_come_from_the_districts():
    phases = plan_phases(make_plan())
    assert [(p.phase, p.district_ids, p.start_year, p.end_year) for p in phases] == [
        (1, ("D1", "D2"), 2025, 2027),
        (2, ("D3",), 2028, 2029),
    ]


def test_pdf_has_overview_plus_one_page_per_phase(written):
    pdf = written[0]
    assert pdf.name == PDF_NAME
    data = pdf.read_bytes()
    assert pdf_page_count(data) == 1 + 2
    # A3 landscape media box: 1190.5 × 842 pt
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert float(box.group(1)) == pytest.approx(1190.9, abs=1.5)
    assert float(box.group(2)) == pytest.approx(841.7, abs=1.5)
    assert b"CreationDate" not in data


def test_pngs_are_a3_at_200_dpi(written):
    pngs = written[1:]
    assert [p.name for p in pngs] == [
        "heatplan_phase_map_overview.png",
        "heatplan_phase_map_phase1.png",
        "heatplan_phase_map_phase2.png",
    ]
    for png in pngs:
        with Image.open(png) as image:
            assert image.size == (3308, 2338)  # 420 × 297 mm at 200 dpi
            assert image.info["dpi"][0] == pytest.approx(200, abs=0.1)
            assert "Software" not in image.info


@pytest.mark.slow
def test_rerun_is_byte_identical(written, tmp_path):
    again = write_phase_maps(make_plan(), tmp_path, phase_pngs=True)
    for a, b in zip(written, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def _texts(fig) -> list[str]:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
    for legend in fig.legends:
        out += [t.get_text() for t in legend.get_texts()]
    return out


def test_overview_has_title_legend_synthetic_note_and_labels():
    texts = _texts(draw_sheet(make_plan()))
    joined = "\n".join(texts)
    assert "Faseplan – oversigt" in texts
    assert "SYNTETISKE EKSEMPELDATA" in texts
    assert "Fase 1 (2025–2027)" in texts and "Fase 2 (2028–2029)" in texts
    assert "Individuel varmeforsyning (varmepumpe)" in texts
    assert "Eksisterende fjernvarmenet" in texts
    assert "DN 100" in texts
    assert "Skovlunde Nord\n2025–2026" in texts
    assert "N" in texts  # north arrow
    assert "km" in texts  # scale bar unit
    assert "Kilde:" in joined


def test_phase_sheet_labels_its_districts_with_years():
    plan = make_plan()
    phase2 = plan_phases(plan)[1]
    texts = _texts(draw_sheet(plan, focus=phase2))
    assert "Fase 2: 2028–2029" in texts
    assert "Måløv Øst & Kirkebakken\n2028–2029" in texts
    assert not any(t.startswith("Skovlunde Nord") for t in texts)


def test_real_plan_has_no_synthetic_label_and_english_works():
    texts = _texts(draw_sheet(make_plan(synthetic=False), lang="en"))
    assert "Phase plan – overview" in texts
    assert not any("ynthetic" in t or "yntetisk" in t for t in texts)


def test_scale_bar_and_line_width_helpers():
    assert _nice_length(10_500) == 2000
    assert _nice_length(2_400) == 200
    assert dn_width([25, 100, 1000]).tolist() == pytest.approx([0.8 + 25 / 75, 0.8 + 100 / 75, 6])


def test_existing_maps_are_not_overwritten(written):
    before = written[0].read_bytes()
    with pytest.raises(OutputExistsError):
        write_phase_maps(make_plan(), written[0].parent)
    assert written[0].read_bytes() == before
    assert phase_map_paths(make_plan(), written[0].parent, phase_pngs=True) == written
    assert phase_map_paths(make_plan(), written[0].parent) == written[:2]


def test_district_built_before_the_plan_period_is_labelled():
    plan = make_plan()
    plan.districts.loc["D1", ["phase", "start_year"]] = pd.NA
    texts = _texts(draw_sheet(plan))
    assert "Skovlunde Nord\nudbygget 2026" in texts
    assert "Fjernvarme udbygget før planperioden" in texts


def test_district_finished_before_the_plan_keeps_no_phase_on_the_map():
    plan = make_plan()
    plan.districts.loc["D1", "start_year"] = pd.NA  # phase 1 decided, works already done
    assert [p.district_ids for p in plan_phases(plan)] == [("D2",), ("D3",)]
    assert "Skovlunde Nord\nudbygget 2026" in _texts(draw_sheet(plan))
