"""The residents' map: "when do I get district heating, what will it cost me, what do I do now?"

Every address gets an answer from the plan's accounting (planned with its years, mains built,
connected, may connect, heat pump with the reasons, no change with the reason), with the
household estimates when the plan has them; an address search runs in the page over the map's
own data (no geocoder), and the background is drawn from the plan's own streets and districts.
The page loads nothing from elsewhere unless a tile layer is configured
(``heatplan/scenario/residents.toml``); large places get a folder form whose data loads when
needed. See ``docs/resident-map.md``.

Privacy: only the whitelisted columns in :data:`.data.PUBLIC_PROPERTY_COLUMNS` and
:data:`.data.MONEY_COLUMNS` reach the page, never owners, consumption, demand, CO2, BBR codes,
ids, a household's sign-up, or a rejected property. Every string travels as JSON inside a
script block (``<``, ``>``, ``&`` escaped) and is put on the page as text, never as HTML.

Modules: :mod:`.page` (the folium map, the page and the files;
:func:`.page.write_resident_map`), :mod:`.elements` (the page's parts as folium/branca
elements), :mod:`.data` (addresses, money, chunks), :mod:`.answers` (the answer of every
address), :mod:`.basemap` (districts, pipes, streets), :mod:`.encode` (compact coordinates),
:mod:`.texts` (texts and contacts) and :mod:`.assets` (the page's own script and style in
``static/``, and Leaflet).
"""
