"""The renovation ranking as CSV and XLSX, with the scenario's assumptions beside it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from heatplan.core.scenario import Scenario

CSV_NAME = "renovation_ranking.csv"
XLSX_NAME = "renovation_ranking.xlsx"
FIXED_DOCUMENT_DATE = datetime(2000, 1, 1)
"""Workbook creation date: fixed, so a rerun gives a byte-identical file."""

HEADERS = {
    "da": {
        "rank": "Placering",
        "property_id": "Bygnings-id",
        "address": "Adresse",
        "bbr_use_code": "Anvendelse (BBR)",
        "year_built": "Opført",
        "heated_area_m2": "Opvarmet areal m²",
        "heating_type": "Opvarmning",
        "dh_from_year": "Fjernvarme fra år",
        "heat_demand_mwh_a": "Varmebehov MWh/år",
        "demand_source": "Varmebehov fra",
        "label_id": "Energimærke nr.",
        "label_class": "Energimærke",
        "label_is_valid": "Mærket er gyldigt",
        "label_age_years": "Mærkets alder år",
        "renew_label_first": "Forny energimærket først",
        "saving_basis": "Besparelse fra",
        "proposal_set": "Forslag",
        "n_proposals": "Antal forslag",
        "target_class": "Målklasse",
        "assumed_class": "Antaget klasse",
        "heat_saved_mwh_a": "Sparet varme MWh/år",
        "investment_dkk": "Investering kr.",
        "saving_dkk_a": "Besparelse kr./år",
        "co2_saved_t_horizon": "CO2 sparet i alt t",
        "co2_saved_t_target": "CO2 sparet i målåret t",
        "cost_per_t_dkk": "Kr. pr. t CO2",
        "payback_years": "Tilbagebetalingstid år",
        "explanation": "Begrundelse",
    },
    "en": {
        "rank": "Rank",
        "property_id": "Building id",
        "address": "Address",
        "bbr_use_code": "Use (BBR)",
        "year_built": "Built",
        "heated_area_m2": "Heated area m²",
        "heating_type": "Heating",
        "dh_from_year": "District heating from",
        "heat_demand_mwh_a": "Heat demand MWh/yr",
        "demand_source": "Heat demand from",
        "label_id": "Label no.",
        "label_class": "Label",
        "label_is_valid": "Label valid",
        "label_age_years": "Label age years",
        "renew_label_first": "Renew the label first",
        "saving_basis": "Saving from",
        "proposal_set": "Proposals",
        "n_proposals": "Number of proposals",
        "target_class": "Target class",
        "assumed_class": "Assumed class",
        "heat_saved_mwh_a": "Heat saved MWh/yr",
        "investment_dkk": "Investment DKK",
        "saving_dkk_a": "Saving DKK/yr",
        "co2_saved_t_horizon": "CO2 saved total t",
        "co2_saved_t_target": "CO2 saved target year t",
        "cost_per_t_dkk": "DKK per t CO2",
        "payback_years": "Payback years",
        "explanation": "Why",
    },
}
VALUE_WORDS = {
    "da": {
        "proposals": "mærkets forslag",
        "class_step": "løft til målklassen",
        "label": "energimærke",
        "area": "areal og byggeår",
        "profitable": "rentable",
        "all": "alle",
    },
    "en": {
        "proposals": "the label's proposals",
        "class_step": "step to the target class",
        "label": "energy label",
        "area": "area and age",
        "profitable": "profitable",
        "all": "all",
    },
}
SHEETS = {
    "da": ("Renoveringsrangering", "Forudsætninger"),
    "en": ("Renovation ranking", "Assumptions"),
}


def _is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pd.NA (empty cells in the workbook)."""
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def ranking_paths(out_dir: Path) -> list[Path]:
    """The files :func:`write_ranking` writes into ``out_dir``."""
    return [Path(out_dir) / CSV_NAME, Path(out_dir) / XLSX_NAME]


def write_ranking(
    ranking: pd.DataFrame,
    scenario: Scenario,
    out_dir: Path,
    *,
    lang: str = "da",
    overwrite: bool = False,
) -> list[Path]:
    """Write the ranking as CSV (machine column names) and XLSX (headers in ``lang``).

    The workbook has a second sheet with the scenario's assumptions and their sources.
    Both files are written atomically; nothing is written if either exists and not
    ``overwrite``.
    """
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.utils.dataframe import dataframe_to_rows

    from heatplan.io.atomic import atomic_path, check_writable
    from heatplan.outputs.report import workbook_bytes

    paths = [out_dir / CSV_NAME, out_dir / XLSX_NAME]
    for path in paths:  # refuse before writing anything
        check_writable(path, overwrite=overwrite)
    table = ranking.reset_index()
    with atomic_path(paths[0], overwrite=overwrite) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8")
    target_year = scenario.value("general.target_year")
    headers = {
        k: v.replace("målåret", f"{target_year}").replace("target year", f"{target_year}")
        for k, v in HEADERS[lang].items()
    }
    sheet, assumptions_sheet = SHEETS[lang]
    from heatplan.model.heating import HEATING_TYPES

    human = table[["rank", *[c for c in table.columns if c != "rank"]]].copy()
    if lang == "da":
        human["heating_type"] = (
            human["heating_type"].map(HEATING_TYPES).fillna(human["heating_type"])
        )
    words = VALUE_WORDS[lang]
    for column in ("saving_basis", "demand_source", "proposal_set"):
        human[column] = human[column].map(words).fillna(human[column])
    human = human.rename(columns=headers)
    prefixes = ("renovation.", "emissions.", "labels.", "general.", "demand.")
    assumptions = pd.DataFrame(
        [
            {
                "key": p.key,
                "value": str(p.value),
                "unit": p.unit,
                "source": p.source,
                "is_assumption": p.is_assumption,
            }
            for p in scenario
            if p.key.startswith(prefixes)
        ]
    )
    wb = Workbook()
    for ws, frame in ((wb.active, human), (wb.create_sheet(), assumptions)):
        for row in dataframe_to_rows(frame, index=False, header=True):
            ws.append([None if _is_missing(v) else v for v in row])
    wb.active.title, wb.worksheets[1].title = sheet, assumptions_sheet
    ws = wb.worksheets[0]
    ws.freeze_panes = "C2"
    for col in ws.columns:
        width = max(len(str(c.value or "")) for c in col[:50])
        ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 80)
    wb.properties.created = wb.properties.modified = FIXED_DOCUMENT_DATE
    with atomic_path(paths[1], overwrite=overwrite) as tmp:
        tmp.write_bytes(workbook_bytes(wb))
    return paths
