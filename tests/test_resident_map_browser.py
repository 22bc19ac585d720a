"""The residents' map in a real browser: answers, search, keyboard, shared links, no requests,
accessibility (axe-core), phone width, folder form.

Runs headless Chromium (Debian's ``chromium``) through Playwright. Every request that is not a
local file is recorded and aborted: the default map must make none. axe-core comes from the
``axe-playwright-python`` package (its ``axe.min.js``, injected from disk).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from heatplan.outputs.resident_map.page import write_resident_map

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        "no Chromium found (apt-get install chromium); the browser tests need it",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
axe_package = pytest.importorskip(
    "axe_playwright_python", reason="needs axe-playwright-python (pip install -e '.[test]')"
)
AXE_JS = Path(axe_package.__file__).parent / "axe.min.js"

from test_resident_map import EVIL, make_plan  # noqa: E402  (after the skips above)

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def maps(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("maps")
    return {
        "da": write_resident_map(make_plan(synthetic=True), folder / "da.html", layout="file"),
        "en": write_resident_map(make_plan(), folder / "en.html", lang="en", layout="file"),
        "folder": write_resident_map(make_plan(), folder / "kort.html", layout="folder"),
    }


class Page:
    """A page opened on a map file; JavaScript errors and every outside request recorded."""

    def __init__(self, browser, path: Path, *, width: int = 1280, height: int = 800,
                 fragment: str = "", phone: bool = False):
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on(
            "console",
            lambda msg: self.errors.append(msg.text) if msg.type == "error" else None,
        )
        self.page.on("dialog", lambda dialog: self.errors.append(f"dialog: {dialog.message}"))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri() + fragment)
        # (selectors, not wait_for_function: the page's security policy forbids eval)
        self.page.wait_for_selector("html[data-hp-ready]", state="attached", timeout=15_000)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def search(self, text: str) -> list[str]:
        self.page.fill("#hp-q", text)
        self.page.wait_for_selector(f'#hp-results[data-query="{text}"]', state="attached")
        return self.page.locator(".hp-result").all_inner_texts()

    def choose(self, index: int = 0) -> str:
        self.page.locator(".hp-result").nth(index).click()
        return self.answer()

    def answer(self) -> str:
        self.page.wait_for_selector("#hp-answer:not([hidden])")
        return self.page.locator("#hp-answer .hp-answer-body").inner_text()

    def axe(self) -> list[str]:
        """Serious and critical axe-core violations of the page as it is now."""
        self.page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "axe.run(document, {resultTypes: ['violations']})"
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["html"][:120] for n in v["nodes"][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser, maps):
    pages = []

    def opener(name: str = "da", **kwargs) -> Page:
        page = Page(browser, maps[name], **kwargs)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.close()


def test_an_answer_for_every_kind_of_address(open_page):
    page = open_page()
    cases = {
        "maaloev byvej 12": [
            "Du kan få fjernvarme – forventet 2027",
            "Område: Måløv Nord",
            "inden for fase 1 (2026–2027)",
            "2025: Du får et tilbud fra Vestforbrænding.",
            "2026–2027: Der graves fjernvarmeledninger ned i området.",
            "Fjernvarme, om året\tca. 14.300 kr.",
            "Tilslutning til fjernvarme, én gang\tca. 15.000 kr.",
            "Blive på gas, om året\tca. 19.000 kr.",
        ],
        "Måløv Byv. 12 A": [
            "Du kan også få fjernvarme",
            "Fjernvarmen kommer til området 2026–2027 (fase 1).",
            "ikke opvarmet med gas eller olie",
        ],
        "hasselvej 4": [
            "Fjernvarmen er lagt ned i dit område – du kan få den nu",
            "Ledningerne blev lagt i 2023. Du kan tilmelde dig nu.",
            "2024: Du får et tilbud fra Vestforbrænding.",
        ],
        "centrumgaden 1, 2750": ["Ejendommen har allerede fjernvarme"],
        "ballerup byvej 5": [
            "Der kommer ikke fjernvarme – en varmepumpe anbefales",
            "Kommunens varmeplan har udpeget området til individuel opvarmning.",
            "Husene ligger for spredt",
            "en varmepumpe er billigere end fjernvarme her",
            "Råd om varmepumper: SparEnergi.dk (Energistyrelsen)",
            "Egen varmepumpe, om året\tca. 12.500 kr.",
        ],
        "sondergards alle 7": [
            "Planen ændrer ikke opvarmningen her",
            "ikke opvarmet med gas eller olie, og området får ikke fjernvarme",
        ],
        "kaervej 3": ["Varmeplanen har endnu ikke besluttet"],
        "udkanten 1 smorum": ["Adressen ligger uden for de områder, planen omfatter."],
    }
    for query, expected in cases.items():
        page.search(query)
        text = page.choose()
        for line in expected:
            assert line in text, (query, line, text)
    # money of a heat-pump area: only the columns the plan filled
    page.search("ballerup byvej 5")
    assert "Fjernvarme, om året" not in page.choose()
    page.page.locator(".hp-assumptions summary").click()
    assert "kilde: test tariff sheet 2025" in page.page.locator(".hp-assumptions").inner_text()
    assert page.errors == []
    assert page.outside == []


def test_search_normalises_and_deduplicates(open_page):
    page = open_page()
    for query in ("Måløv Byvej 12", "maaloev byvej 12", "MALOV  BYVEJ 12", "måløv byv. 12",
                  "Måløv Byvej 12, 2760", "byvej 12 måløv"):
        assert page.search(query)[0] == "Måløv Byvej 12, 2760 Måløv", query
    assert page.search("maloev byvej 12a")[0] == "Måløv Byvej 12A, 2760 Måløv"
    assert page.search("Måløv Byvej 12 a")[0] == "Måløv Byvej 12A, 2760 Måløv"
    # two buildings, one address: one result, both answers
    assert page.search("centrumgaden 9") == ["Centrumgaden 9, 2750 Ballerup"]
    assert "Der er" not in page.choose()  # same answer twice is said once
    assert page.errors == []


def test_no_result_suggests_and_names_whom_to_contact(open_page):
    page = open_page()
    assert page.search("Måløv Byvej 13") == []
    box = page.page.locator("#hp-noresult")
    text = box.inner_text()
    assert "Ingen adresse passer til »Måløv Byvej 13«." in text
    assert "Måløv Byvej 12, 2760 Måløv" in text  # the nearest house numbers
    assert "Kontakt Ballerup Kommune / Vestforbrænding." in text
    page.page.get_by_role("button", name="Måløv Byvej 12, 2760 Måløv").click()
    assert "forventet 2027" in page.answer()
    assert page.search("Centrumgaten") == []
    assert page.page.get_by_role("button", name="Centrumgaden").count() == 1
    assert page.errors == []


def test_keyboard_path_and_shared_link(open_page, maps):
    page = open_page()
    page.page.keyboard.press("Tab")
    assert page.page.evaluate("document.activeElement.id") == "hp-q"
    page.page.keyboard.type("maaloev byvej")
    page.page.wait_for_selector(".hp-result")
    assert page.page.get_attribute("#hp-q", "aria-expanded") == "true"
    page.page.keyboard.press("ArrowDown")
    page.page.keyboard.press("ArrowDown")
    active = page.page.get_attribute("#hp-q", "aria-activedescendant")
    assert page.page.locator(f"#{active}").inner_text() == "Måløv Byvej 12, 2760 Måløv"
    page.page.keyboard.press("Enter")
    page.answer()
    assert page.page.evaluate("document.activeElement.id") == "hp-answer-title"
    fragment = "#adresse=" + quote("Måløv Byvej 12, 2760 Måløv")
    assert page.page.evaluate("location.hash") == fragment
    link = page.page.input_value("#hp-share-link")
    assert link.endswith(fragment)
    page.page.keyboard.press("Escape")
    assert page.page.locator("#hp-answer").is_hidden()
    assert page.page.evaluate("document.activeElement.id") == "hp-q"
    # the shared link opens the same answer
    shared = open_page(fragment=fragment)
    text = shared.answer()
    assert text.startswith("Måløv Byvej 12, 2760 Måløv")
    assert "forventet 2027" in text
    assert shared.page.evaluate("heatplanMap.map.getZoom()") >= 17
    assert page.errors == [] and shared.errors == []


def test_hostile_address_shows_as_text_and_runs_nothing(open_page):
    page = open_page()
    assert page.search("ondvej") == [EVIL + ", 2740 Skovlunde"]
    assert EVIL in page.choose()
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    assert page.page.locator("#hp-answer script").count() == 0
    assert page.errors == []


def test_no_serious_accessibility_violations(open_page):
    page = open_page()
    assert page.axe() == []
    page.search("maaloev byvej 12")
    page.choose()
    assert page.axe() == []
    page.search("Måløv Byvej 13")
    assert page.axe() == []
    phone = open_page(width=390, height=844, phone=True)
    assert phone.axe() == []
    assert page.errors == [] and phone.errors == []


def test_usable_at_phone_width(open_page, tmp_path):
    page = open_page(width=390, height=844, phone=True)
    assert page.page.locator(".hp-legend-body").is_hidden()  # the legend starts folded
    font = page.page.evaluate("getComputedStyle(document.getElementById('hp-q')).fontSize")
    assert font == "16px"  # no zoom-on-focus on phones
    scale = page.page.locator(".leaflet-control-scale-line").all_inner_texts()
    assert len(scale) == 1 and scale[0].endswith(("m", "km")), scale
    page.search("maaloev byvej 12")
    targets = [".leaflet-control-zoom-in", ".leaflet-control-zoom-out", ".hp-legend-toggle",
               ".hp-result"]
    for selector in targets:
        box = page.page.locator(selector).first.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (selector, box)
    page.choose()
    panel = page.page.locator("#hp-answer").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
    for selector in (".hp-close", ".hp-links a", ".hp-share .hp-button"):
        box = page.page.locator(selector).first.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (selector, box)
    page.page.locator(".hp-legend-toggle").click()
    box = page.page.locator(".hp-switch").first.bounding_box()
    assert box["height"] >= 44
    page.page.screenshot(path=str(tmp_path / "phone.png"))
    assert (tmp_path / "phone.png").stat().st_size > 10_000
    assert page.errors == []


def test_english_map(open_page):
    page = open_page("en")
    assert page.page.locator(".hp-banner").count() == 0
    page.search("maloev byvej 12")
    text = page.choose()
    for line in ("You can get district heating – expected 2027", "Area: Måløv Nord",
                 "2025: you get an offer from Vestforbrænding.",
                 "District heating, per year\tabout DKK 14,300"):
        assert line in text, line
    assert page.page.evaluate("location.hash").startswith("#address=")
    assert page.errors == []


def test_folder_form_loads_what_it_needs_and_nothing_from_outside(open_page):
    page = open_page("folder")
    page.search("ballerup byvej 5")
    assert "en varmepumpe anbefales" in page.choose()
    loaded = page.page.evaluate("heatplanMap.chunkState.filter(s => s === 'done').length")
    total = page.page.evaluate("heatplanMap.data.chunkFiles.length")
    assert 1 <= loaded <= total
    shared = open_page("folder", fragment="#adresse=" + quote("Kærvej 3, 2740 Skovlunde"))
    assert "Varmeplanen har endnu ikke besluttet" in shared.answer()
    assert page.outside == [] and shared.outside == []
    assert page.errors == [] and shared.errors == []
