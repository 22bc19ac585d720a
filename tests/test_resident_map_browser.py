"""The residents' map in a real browser: search, popups, escaping, phone width, offline file.

Runs headless Chromium (Debian's ``chromium``) through Playwright. Requests to the internet are
served from local copies (Leaflet from the ``xstatic-leaflet`` package) or aborted (map tiles).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from heatplan.outputs.resident_map.assets import leaflet_dir
from heatplan.outputs.resident_map.page import write_resident_map

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        "no Chromium found (apt-get install chromium); the browser tests need it",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
LEAFLET_DIR = leaflet_dir()
if LEAFLET_DIR is None:
    pytest.skip(
        "no local copy of Leaflet to serve instead of its CDN "
        "(pip install xstatic-leaflet, or apt-get install libjs-leaflet)",
        allow_module_level=True,
    )

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
        "da": write_resident_map(make_plan(synthetic=True), folder / "da.html"),
        "en": write_resident_map(make_plan(), folder / "en.html", lang="en"),
        "offline": write_resident_map(make_plan(), folder / "offline.html", offline=True),
    }


class Page:
    """A page opened on a map file, with its JavaScript errors and outside requests recorded."""

    def __init__(self, browser, path: Path, *, width: int = 1280, height: int = 800):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on(
            "console",
            lambda msg: (
                self.errors.append(msg.text)
                if msg.type == "error" and "Failed to load resource" not in msg.text
                else None
            ),
        )
        self.page.on("dialog", lambda dialog: self.errors.append(f"dialog: {dialog.message}"))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.heatplanReady === true", timeout=10_000)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file:") or url.startswith("data:"):
            route.continue_()
            return
        self.outside.append(url)
        name = url.rsplit("/", 1)[-1]
        if "/leaflet@" in url and (LEAFLET_DIR / name).is_file():
            types = {"js": "application/javascript", "css": "text/css"}
            route.fulfill(path=str(LEAFLET_DIR / name), content_type=types[name.rsplit(".", 1)[-1]])
        elif "/leaflet@" in url and (LEAFLET_DIR / "images" / name).is_file():
            route.fulfill(path=str(LEAFLET_DIR / "images" / name), content_type="image/png")
        else:
            route.abort()

    def search(self, text: str) -> list[str]:
        box = self.page.locator(".hp-search-input")
        box.fill(text)
        self.page.wait_for_function(
            "q => document.querySelector('.hp-results').getAttribute('data-query') === q", arg=text
        )
        return self.page.locator(".hp-result").all_inner_texts()

    def choose(self, index: int = 0) -> str:
        label = self.page.locator(".hp-result").nth(index).inner_text()
        self.page.locator(".hp-result").nth(index).click()
        # a closed popup fades out for 0.2 s: wait until only the new one is left
        self.page.wait_for_function(
            """label => {
                const popups = document.querySelectorAll('.leaflet-popup-content');
                return popups.length === 1 && popups[0].innerText.startsWith(label);
            }""",
            arg=label,
        )
        # the map may still be auto-panning the popup into view (0.25 s): wait until it rests
        self.page.evaluate(
            """() => new Promise(resolve => {
                let last = null;
                const tick = () => {
                    const r = document.querySelector('.leaflet-popup').getBoundingClientRect();
                    const now = `${r.x},${r.y}`;
                    if (now === last) { resolve(); } else { last = now; setTimeout(tick, 100); }
                };
                tick();
            })"""
        )
        return self.page.locator(".leaflet-popup-content").inner_text()

    def close(self) -> None:
        self.context.close()


def _page(browser, path: Path, **kwargs):
    page = Page(browser, path, **kwargs)
    yield page
    page.close()


@pytest.fixture(scope="module")
def da_page(browser, maps):
    yield from _page(browser, maps["da"])


@pytest.fixture(scope="module")
def en_page(browser, maps):
    yield from _page(browser, maps["en"])


@pytest.fixture(scope="module")
def offline_page(browser, maps):
    yield from _page(browser, maps["offline"])


@pytest.fixture(scope="module")
def phone_page(browser, maps):
    yield from _page(browser, maps["da"], width=390, height=844)


def test_search_tolerates_danish_spellings_and_opens_the_popup(da_page):
    page = da_page
    for query in ("Måløv Byvej 12", "maaloev byvej 12", "MALOV  BYVEJ 12", "Maaløv Byvej 12"):
        assert page.search(query)[0] == "Måløv Byvej 12, 2760", query
    assert page.search("malov byvej 2")[0] == "Måløv Byvej 2, 2760"
    assert page.search("sondergards alle")[0] == "Søndergårds Allé 7, 2750"
    assert page.search("Strandvejen 999") == []
    assert page.page.locator(".hp-noresult").inner_text() == "Ingen adresse fundet"

    page.search("maaloev byvej 12")
    text = page.choose()
    for expected in (
        "Måløv Byvej 12, 2760",
        "Energidistrikt\tMåløv Nord",
        "Plan\tFjernvarme",
        "Fase\t1",
        "Forventet tilbud\t2025",
        "Anlægsarbejde\t2026–2027",
        "Forventet tilslutning\t2027",
        "Tilmeld dig fjernvarme hos Vestforbrænding.",
        "Skriv til tilslutning@vestfor.dk",
    ):
        assert expected in text, expected
    link = page.page.locator(".hp-links a").first
    assert link.get_attribute("href") == "https://vestfor.dk/privat/fjernvarme/fjernvarmeprocessen"
    assert page.page.evaluate("heatplanMap.map.getZoom()") >= 17
    assert page.errors == []


def test_heat_pump_popup_and_sample_banner(da_page):
    page = da_page
    assert "EKSEMPELDATA" in page.page.locator(".hp-banner").inner_text()
    page.search("ballerup byvej 5")
    text = page.choose()
    assert "Individuel opvarmning (fx varmepumpe)" in text
    assert "Overvej en individuel varmepumpe" in text
    assert "Råd om varmepumper: SparEnergi.dk (Energistyrelsen)" in text
    assert "Fase" not in text
    # an address in a layer that starts hidden still opens its popup
    page.search("Søndergårds Allé 7")
    assert "Ingen ændring planlagt" in page.choose()
    assert page.errors == []


def test_hostile_address_shows_as_text_and_runs_nothing(da_page):
    page = da_page
    results = page.search("ondvej")
    assert results == [EVIL + ", 2740"]
    text = page.choose()
    assert EVIL in text
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    assert page.page.locator(".leaflet-popup-content script").count() == 0
    assert page.errors == []


def test_english_map(en_page):
    page = en_page
    assert page.page.locator(".hp-banner").count() == 0
    page.search("maloev byvej 12")
    page.page.keyboard.press("ArrowDown")
    page.page.keyboard.press("Enter")  # the keyboard chooses the highlighted result
    page.page.wait_for_function(
        "() => document.querySelectorAll('.leaflet-popup-content').length === 1"
    )
    text = page.page.locator(".leaflet-popup-content").inner_text()
    assert text.startswith("Måløv Byvej 12, 2760")
    assert "Expected offer\t2025" in text
    assert "Construction\t2026–2027" in text
    assert "Sign up for district heating with Vestforbrænding." in text
    assert page.page.evaluate("document.documentElement.lang") == "en"
    assert page.errors == []


def test_usable_at_phone_width(phone_page, tmp_path):
    page = phone_page
    search = page.page.locator(".hp-search").bounding_box()
    layers = page.page.locator(".leaflet-control-layers").bounding_box()
    assert search["x"] >= 0
    assert search["x"] + search["width"] <= layers["x"]  # no overlap with the layer button
    assert page.page.locator(".hp-legend-body").is_hidden()  # legend starts folded on phones
    font = page.page.evaluate(
        "getComputedStyle(document.querySelector('.hp-search-input')).fontSize"
    )
    assert font == "16px"  # no zoom-on-focus on phones
    page.search("maaloev byvej 12")
    page.choose()
    popup = page.page.locator(".leaflet-popup").bounding_box()
    assert popup["x"] >= 0
    assert popup["x"] + popup["width"] <= 390
    search = page.page.locator(".hp-search").bounding_box()
    assert popup["y"] >= search["y"] + search["height"]  # not hidden under the search box
    page.page.screenshot(path=str(tmp_path / "phone.png"))
    assert (tmp_path / "phone.png").stat().st_size > 10_000
    assert page.errors == []


def test_offline_file_needs_no_network(offline_page):
    page = offline_page
    assert page.outside == []
    assert page.page.evaluate("typeof L.version") == "string"
    page.search("centrumgaden")
    assert "Området har allerede fjernvarme" in page.choose()
    assert page.errors == []


def test_online_file_loads_only_leaflet_and_tiles(da_page):
    page = da_page
    hosts = {url.split("/")[2] for url in page.outside}
    assert hosts <= {"cdn.jsdelivr.net", "tile.openstreetmap.org"}
    assert "cdn.jsdelivr.net" in hosts
