"""The residents' map page's parts as folium/branca elements.

The page is a branca figure (:class:`PageFigure`) holding a ``folium.Map``; the page's own
parts are elements in it: the search header and the map's region before the map, the answer
panel, the footer and the JSON data block after it (:class:`SearchHeader`,
:class:`AnswerPanel`, :class:`PageFooter`, :class:`DataBlock`, each a :class:`PagePart`
whose ``html`` goes into the page's body in this order); the map's view (:class:`FitView`) and the
script that starts the page's own code on folium's map (:class:`StartScript`), both children
of the map; and in the head the Content-Security-Policy (:class:`SecurityPolicy`), the title
(:class:`Title`) and inline Leaflet and the map's own script and style (:class:`InlineAsset`).
:func:`stable_ids` numbers the elements in order, so that the same plan always gives the same
bytes (folium names its elements with random ids).
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any

import folium
from folium import Element, Figure, MacroElement
from folium.template import Template


class PageFigure(Figure):
    """branca's figure with the page's language, and one script block at the end of the body.

    The body's script (folium's map, its layers and the start of the page's own code, in the
    order folium renders them) is rendered before the head, so that the :class:`SecurityPolicy`
    in the head can allow exactly it by its hash.
    """

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang|e }}">\n'
        "<head>{{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>{{ this.html.render(**kwargs) }}\n"
        "<script>{{ this.script_text }}</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, lang: str, title: str) -> None:
        super().__init__(title=title)
        self._name = "PageFigure"
        self.lang = lang
        self.script_text = ""
        # in place of branca's content-type meta, first in the head
        self.header.add_child(Element('<meta charset="utf-8">'), name="meta_http")

    def render(self, **kwargs: Any) -> str:
        """The whole page."""
        own = set(self.header._children)
        for child in list(self._children.values()):
            child.render(**kwargs)
        # The head keeps only the page's own elements and folium's links (default_js and
        # default_css), not what folium's map adds for a map that fills a page of its own: a
        # viewport that forbids zooming (WCAG 1.4.4), full-window styles and an inline
        # script. The page has its own viewport, and its style places the map.
        links = {
            name
            for child in self._children.values()
            if isinstance(child, folium.Map)
            for name, _ in (*child.default_js, *child.default_css)
        }
        for name in list(self.header._children):
            if name not in own and name not in links:
                del self.header._children[name]
        self.script_text = self.script.render(**kwargs)
        return self._template.render(this=self, kwargs=kwargs)

    def inline_scripts(self) -> list[str]:
        """The text of every inline script of the page (after :meth:`render` has run)."""
        head = [
            child.code
            for child in self.header._children.values()
            if isinstance(child, InlineAsset) and child.tag == "script"
        ]
        return [*head, self.script_text]


class InlineAsset(Element):
    """A script or style written into the page (``tag`` ``"script"`` or ``"style"``)."""

    _template = Template("<{{ this.tag }}>{{ this.code }}</{{ this.tag }}>")

    def __init__(self, tag: str, code: str) -> None:
        super().__init__()
        self._name = "InlineAsset"
        self.tag = tag
        self.code = code


class Title(Element):
    """The page's title element (the text escaped)."""

    _template = Template("<title>{{ this.text|e }}</title>")

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Title"
        self.text = text


class SecurityPolicy(Element):
    """The page's Content-Security-Policy as a meta element in the head.

    It lets the page run only its own scripts (the inline ones by hash; in folder form also the
    files beside it) and load nothing from elsewhere: styles inline (and beside it), images as
    data URIs and from the tile server when one is configured.
    """

    def __init__(self, tile_url: str | None, *, folder: bool) -> None:
        super().__init__()
        self._name = "SecurityPolicy"
        self.tile_url = tile_url
        self.folder = folder

    def render(self, **kwargs: Any) -> str:
        """The meta element; the page's scripts must be rendered already."""
        page = self.get_root()
        if not isinstance(page, PageFigure):
            msg = "SecurityPolicy must be in a PageFigure's head."
            raise TypeError(msg)
        hashes = " ".join(
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()
            + "'"
            for s in page.inline_scripts()
        )
        local = " 'self' file:" if self.folder else ""
        img = "data:"
        if self.tile_url is not None:
            img += " " + "/".join(self.tile_url.split("/")[:3])
        policy = (
            f"default-src 'none'; script-src {hashes}{local}; style-src 'unsafe-inline'{local}; "
            f"img-src {img}; connect-src 'none'; font-src 'none'; base-uri 'none'; "
            "form-action 'none'; frame-src 'none'; object-src 'none'"
        )
        escaped = html.escape(policy, quote=False)
        return f'<meta http-equiv="Content-Security-Policy" content="{escaped}">'


class RawHtml(Element):
    """Text that goes into the page as it is (never read as a template)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawHtml"
        self.text = text


class PagePart(MacroElement):
    """A part of the page's body: the output of its ``html`` macro goes into the body as it is.

    (branca's ``MacroElement`` puts the output into an ``Element``, which reads it as a Jinja
    template again: a ``{{`` in an address or a scenario text would be run, or fail.)
    """

    def render(self, **kwargs: Any) -> None:
        """Add the part to the page's body."""
        macro = self._template.module.__dict__["html"]
        self.get_root().html.add_child(RawHtml(str(macro(self, kwargs))), name=self.get_name())


class SearchHeader(PagePart):
    """The page's header (sample banner, title, address search); opens the page's main area and
    the map's region, which folium's map element fills (:class:`AnswerPanel` closes them)."""

    _template = Template(
        """{% macro html(this, kwargs) %}<div class="hp-app">
<header class="hp-header">
{% if this.banner %}<p class="hp-banner" role="note">{{ this.banner|e }}</p>
{% endif %}<h1 class="hp-title">{{ this.title|e }}</h1>
<div class="hp-search" role="search">
<label class="hp-label" for="hp-q">{{ this.label|e }}</label>
<div class="hp-combo">
<input id="hp-q" class="hp-input" type="search" role="combobox" aria-autocomplete="list" \
aria-expanded="false" aria-controls="hp-results" autocomplete="off" autocapitalize="off" \
spellcheck="false" enterkeyhint="search" placeholder="{{ this.placeholder|e }}">
<ul id="hp-results" class="hp-results" role="listbox" aria-label="{{ this.label|e }}" \
hidden></ul>
</div>
<div id="hp-noresult" class="hp-noresult" hidden></div>
<p id="hp-status" class="hp-sr" role="status" aria-live="polite"></p>
</div>
</header>
<main class="hp-main">
<div class="hp-map" role="region" aria-label="{{ this.map_label|e }}">{% endmacro %}"""
    )

    def __init__(
        self, title: str, label: str, placeholder: str, map_label: str, banner: str | None
    ) -> None:
        super().__init__()
        self._name = "SearchHeader"
        self.title = title
        self.label = label
        self.placeholder = placeholder
        self.map_label = map_label
        self.banner = banner


class AnswerPanel(PagePart):
    """Closes the map's region; the panel that shows an address's answer; closes the main
    area."""

    _template = Template(
        """{% macro html(this, kwargs) %}</div>
<section id="hp-answer" class="hp-answer" aria-labelledby="hp-answer-title" hidden>
<button type="button" class="hp-close" aria-label="{{ this.close_label|e }}">\u00d7</button>
<div class="hp-answer-body"></div>
</section>
</main>{% endmacro %}"""
    )

    def __init__(self, close_label: str) -> None:
        super().__init__()
        self._name = "AnswerPanel"
        self.close_label = close_label


class PageFooter(PagePart):
    """The footer (the plan's date and heatplan's version); closes the page's frame."""

    _template = Template(
        """{% macro html(this, kwargs) %}<footer class="hp-footer">{{ this.text|e }}</footer>
</div>{% endmacro %}"""
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "PageFooter"
        self.text = text


class DataBlock(PagePart):
    """The map's data as a JSON block (``json``: already safe inside a script element)."""

    _template = Template(
        """{% macro html(this, kwargs) %}<script type="application/json" \
id="{{ this.element_id }}">{{ this.json }}</script>{% endmacro %}"""
    )

    def __init__(self, element_id: str, json: str) -> None:
        super().__init__()
        self._name = "DataBlock"
        self.element_id = element_id
        self.json = json


class FitView(folium.FitBounds):
    """folium's ``FitBounds`` done at once: a zoom animation from folium's first view would
    end after a shared link (``#adresse=…``) has zoomed to its address, and undo it."""

    def __init__(self, bounds: list[list[float]], padding: tuple[int, int]) -> None:
        super().__init__(bounds, padding=padding)
        self.options["animate"] = False


class StartScript(MacroElement):
    """Starts the page's own code (``HeatplanResidentMap.start``) on the folium map it is a
    child of, its tile layer (or none) and the data block ``data_id``."""

    _template = Template(
        """{% macro script(this, kwargs) %}
            HeatplanResidentMap.start({{ this._parent.get_name() }}, \
{{ this.tiles.get_name() if this.tiles else "null" }}, \
JSON.parse(document.getElementById({{ this.data_id|tojson }}).textContent));
{% endmacro %}"""
    )

    def __init__(self, data_id: str, tiles: folium.TileLayer | None) -> None:
        super().__init__()
        self._name = "StartScript"
        self.data_id = data_id
        self.tiles = tiles


def stable_ids(root: Element) -> None:
    """Number every element under ``root`` in order (breadth first), in place of folium's
    random ids, so that the same plan gives a byte-identical page."""
    counter = 0
    queue = [root]
    while queue:
        element = queue.pop(0)
        element._id = f"{counter:08x}"
        counter += 1
        children = list(element._children.values())
        if isinstance(element, Figure):
            children = [element.header, element.html, element.script, *children]
        queue.extend(children)
