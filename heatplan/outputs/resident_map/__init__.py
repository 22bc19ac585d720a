"""The residents' map: one HTML file answering "when do I get district heating, what do I do now?".

Every planned property is a small circle on a canvas layer, coloured by phase (district heating)
or by individual heating; energy districts are outlined; the existing network and the planned
mains are layers. An address search runs in the page over the map's own data (no geocoder), and
a popup tells the resident the district, the plan, the phase, the expected offer and construction
years and what to do now, with the utility's contact details from the scenario
(``heatplan/scenario/residents.toml``).

Privacy: only the whitelisted columns in :data:`.data.PUBLIC_PROPERTY_COLUMNS` reach the page,
never owner type, consumption, demand, CO2, BBR codes or ids. Every string travels as JSON inside
a script block (``<``, ``>``, ``&`` escaped) and is put on the page as text, never as HTML.

Modules: :mod:`.page` (the folium page and the file; :func:`.page.write_resident_map`),
:mod:`.data` (the page's data: points, districts, lines, legend), :mod:`.texts` (the page's
texts and the utility's contacts) and :mod:`.assets` (the page's own script and style in
``static/``, and Leaflet for offline pages).
"""
