"""Phase maps for print: an overview and one sheet per phase, A3 landscape, PNG and PDF.

Each sheet has the map (districts coloured by phase, individual-heating areas hatched, the
existing network, new trenches by phase with line width by DN, heat sources, properties as
points), a legend, a scale bar, a north arrow, a title, a source note and, for the sample,
"Syntetiske eksempeldata". Drawing uses collections (one artist per kind of feature), so a
municipality with thousands of properties draws in well under a second per sheet.

Modules: :mod:`.layers` (the plan's phases and the layers a sheet draws), :mod:`.artists`
(geometries to matplotlib artists), :mod:`.drawing` (the map itself), :mod:`.furniture` (scale
bar, north arrow), :mod:`.legend`, :mod:`.sheet` (the layout of one sheet) and :mod:`.files`
(the PDF and PNG files).
"""
