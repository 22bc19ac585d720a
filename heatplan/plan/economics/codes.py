"""The recommendation codes of districts and properties."""

from __future__ import annotations

DISTRICT_HEATING = "district_heating"
"""District heating is built (or offered) here."""
INDIVIDUAL = "individual_heat_pump"
"""Individual heat pumps: no district heating."""
EXISTING = "existing_dh"
"""An existing district-heating area."""
