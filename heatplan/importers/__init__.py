"""Turn Danish register extracts into a heatplan dataset folder (the input contract).

:func:`import_registers` reads BBR (Bygning, and optionally Enhed, Etage and Tekniske anlæg),
GeoDanmark footprints and road centrelines, DAR addresses and a heat-plan layer, and returns
the contract layers plus every current BBR building that was not kept, with its reason;
:func:`write_dataset` writes them as a dataset folder. docs/importing.md explains the rules.

Modules: ``inputs`` (the files and settings), ``properties`` (BBR buildings, with ``heating``
and ``owners``), ``streets``, ``districts`` (districts and the feed point), ``assemble`` (the
whole import) and ``write`` (the dataset folder).
"""

from __future__ import annotations

from heatplan.importers.assemble import ImportResult, import_registers
from heatplan.importers.districts import derive_heat_source, form_districts
from heatplan.importers.inputs import ImportSettings, ImportSources
from heatplan.importers.properties import build_properties, contract_use_code
from heatplan.importers.streets import select_streets
from heatplan.importers.write import check_outputs, output_paths, write_dataset

__all__ = [
    "ImportResult",
    "ImportSettings",
    "ImportSources",
    "build_properties",
    "check_outputs",
    "contract_use_code",
    "derive_heat_source",
    "form_districts",
    "import_registers",
    "output_paths",
    "select_streets",
    "write_dataset",
]
