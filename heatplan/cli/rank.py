"""``heatplan rank``: rank the municipality's own buildings for energy renovation by CO2."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from heatplan.cli.options import handle_errors, out_option, overwrite_option, scenario_option

if TYPE_CHECKING:
    import pandas as pd

    from heatplan.config import Scenario

logger = logging.getLogger(__name__)

CSV_NAME = "renovation_ranking.csv"
XLSX_NAME = "renovation_ranking.xlsx"

HEADERS = {
    "da": {
        "rank": "Placering", "property_id": "Bygnings-id", "address": "Adresse",
        "bbr_use_code": "Anvendelse (BBR)", "year_built": "Opført", "heated_area_m2":
        "Opvarmet areal m²", "heating_type": "Opvarmning", "dh_from_year": "Fjernvarme fra år",
        "heat_demand_mwh_a": "Varmebehov MWh/år", "demand_source": "Varmebehov fra",
        "label_id": "Energimærke nr.", "label_class": "Energimærke",
        "label_is_valid": "Mærket er gyldigt", "label_age_years": "Mærkets alder år",
        "renew_label_first": "Forny energimærket først", "saving_basis": "Besparelse fra",
        "proposal_set": "Forslag", "n_proposals": "Antal forslag", "target_class": "Målklasse",
        "assumed_class": "Antaget klasse", "heat_saved_mwh_a": "Sparet varme MWh/år",
        "investment_dkk": "Investering kr.", "saving_dkk_a": "Besparelse kr./år",
        "co2_saved_t_horizon": "CO2 sparet i alt t", "co2_saved_t_target": "CO2 sparet i målåret t",
        "cost_per_t_dkk": "Kr. pr. t CO2", "payback_years": "Tilbagebetalingstid år",
        "explanation": "Begrundelse",
    },
    "en": {
        "rank": "Rank", "property_id": "Building id", "address": "Address",
        "bbr_use_code": "Use (BBR)", "year_built": "Built", "heated_area_m2": "Heated area m²",
        "heating_type": "Heating", "dh_from_year": "District heating from",
        "heat_demand_mwh_a": "Heat demand MWh/yr", "demand_source": "Heat demand from",
        "label_id": "Label no.", "label_class": "Label", "label_is_valid": "Label valid",
        "label_age_years": "Label age years", "renew_label_first": "Renew the label first",
        "saving_basis": "Saving from", "proposal_set": "Proposals",
        "n_proposals": "Number of proposals", "target_class": "Target class",
        "assumed_class": "Assumed class", "heat_saved_mwh_a": "Heat saved MWh/yr",
        "investment_dkk": "Investment DKK", "saving_dkk_a": "Saving DKK/yr",
        "co2_saved_t_horizon": "CO2 saved total t", "co2_saved_t_target": "CO2 saved target year t",
        "cost_per_t_dkk": "DKK per t CO2", "payback_years": "Payback years",
        "explanation": "Why",
    },
}
VALUE_WORDS = {
    "da": {"proposals": "mærkets forslag", "class_step": "løft til målklassen",
           "label": "energimærke", "area": "areal og byggeår", "profitable": "rentable",
           "all": "alle"},
    "en": {"proposals": "the label's proposals", "class_step": "step to the target class",
           "label": "energy label", "area": "area and age", "profitable": "profitable",
           "all": "all"},
}
SHEETS = {
    "da": ("Renoveringsrangering", "Forudsætninger"),
    "en": ("Renovation ranking", "Assumptions"),
}


def _load(data_dir: Path | None, scenario: Scenario) -> tuple:
    """Return (properties, labels, proposals) of the dataset, validated."""
    from heatplan.errors import InputDataError
    from heatplan.validate import load_dataset

    result = load_dataset(data_dir, scenario=scenario, strict=False)
    needed = {"properties", "labels", "proposals"}
    errors = [issue for issue in result.errors if issue.layer in needed]
    if errors:
        lines = "\n".join(f"  - {issue}" for issue in errors)
        msg = f"The input data has {len(errors)} error(s) that stop the ranking:\n{lines}"
        raise InputDataError(msg, errors)
    ds = result.dataset
    return ds.properties, ds.labels, ds.proposals


def _write(
    ranking: pd.DataFrame, scenario: Scenario, out_dir: Path, *, lang: str, overwrite: bool
) -> list[Path]:
    import pandas as pd

    from heatplan.io.atomic import atomic_path, check_writable

    paths = [out_dir / CSV_NAME, out_dir / XLSX_NAME]
    for path in paths:  # refuse before writing anything
        check_writable(path, overwrite=overwrite)
    table = ranking.reset_index()
    with atomic_path(paths[0], overwrite=overwrite) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8", float_format="%.6g")
    target_year = scenario.value("general.target_year")
    headers = {
        k: v.replace("målåret", f"{target_year}").replace("target year", f"{target_year}")
        for k, v in HEADERS[lang].items()
    }
    sheet, assumptions_sheet = SHEETS[lang]
    from heatplan.model.heating import HEATING_TYPES

    human = table[["rank", *[c for c in table.columns if c != "rank"]]].copy()
    if lang == "da":
        human["heating_type"] = human["heating_type"].map(HEATING_TYPES).fillna(
            human["heating_type"])
    words = VALUE_WORDS[lang]
    for column in ("saving_basis", "demand_source", "proposal_set"):
        human[column] = human[column].map(words).fillna(human[column])
    human = human.rename(columns=headers)
    prefixes = ("renovation.", "emissions.", "labels.", "general.", "demand.")
    assumptions = pd.DataFrame(
        [
            {"key": p.key, "value": str(p.value), "unit": p.unit, "source": p.source,
             "is_assumption": p.is_assumption}
            for p in scenario if p.key.startswith(prefixes)
        ]
    )
    with (
        atomic_path(paths[1], overwrite=overwrite) as tmp,
        pd.ExcelWriter(tmp, engine="openpyxl") as writer,
    ):
        human.to_excel(writer, sheet_name=sheet, index=False, float_format="%.2f")
        assumptions.to_excel(writer, sheet_name=assumptions_sheet, index=False)
        ws = writer.sheets[sheet]
        ws.freeze_panes = "C2"
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col[:50])
            ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 80)
    return paths


@click.command("rank")
@click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Dataset folder (gis_data/ and energy_labels/); the bundled sample if omitted.",
)
@scenario_option
@click.option("--top", "top", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many of the top-ranked buildings to print.")
@out_option
@click.option("--all-proposals", is_flag=True,
              help="Use all of a label's proposals, not only the profitable ones.")
@click.option("--ccs/--no-ccs", "ccs", default=None,
              help="Count Vestforbrænding's carbon capture (default: the scenario's "
                   "emissions.ccs_enabled, false).")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True,
              help="Language of the explanations and the spreadsheet.")
@overwrite_option
@handle_errors
def command(
    data_dir: Path | None, scenario_paths: tuple[Path, ...], top: int, out_dir: Path,
    all_proposals: bool, ccs: bool | None, lang: str, overwrite: bool,
) -> None:
    """Rank the municipality's own buildings (owner type 50) by the CO2 renovation saves.

    Prints the top of the ranking and writes renovation_ranking.csv and .xlsx to --out.
    """
    from heatplan.config import load_scenario
    from heatplan.io.atomic import check_writable
    from heatplan.plan.renovation import rank_renovations

    scenario = load_scenario(*scenario_paths)
    if ccs is not None:
        scenario = scenario.with_values(emissions__ccs_enabled=ccs)
    for name in (CSV_NAME, XLSX_NAME):  # fail fast, before the work
        check_writable(out_dir / name, overwrite=overwrite)
    properties, labels, proposals = _load(data_dir, scenario)
    ranking = rank_renovations(
        properties, labels, proposals, scenario=scenario,
        proposal_set="all" if all_proposals else "profitable", lang=lang,
    )
    paths = _write(ranking, scenario, out_dir, lang=lang, overwrite=overwrite)

    n = len(ranking)
    labelled = ranking["label_class"].notna()
    poor = ranking.loc[labelled, "label_class"].astype(str).isin(["D", "E", "F", "G"])
    share = 100.0 * poor.sum() / labelled.sum() if labelled.any() else float("nan")
    total = f"{ranking['co2_saved_t_horizon'].sum():,.0f}"
    renew = int(ranking["renew_label_first"].sum())
    first = scenario.value("renovation.first_saving_year")
    last = scenario.value("general.horizon_end_year")
    ccs_on = bool(scenario.value("emissions.ccs_enabled"))
    ccs_year = scenario.value("emissions.ccs_start_year")
    if lang == "da":
        ccs_text = f"med CO2-fangst fra {ccs_year}" if ccs_on else "uden CO2-fangst"
        click.echo(
            f"{n} kommunale bygninger; {labelled.sum()} med energimærke, heraf {share:.0f} % D "
            f"eller dårligere; {renew} skal have fornyet mærket. Samlet CO2-besparelse "
            f"{first}–{last}: {total.replace(',', '.')} t ({ccs_text})."
        )
    else:
        ccs_text = f"with carbon capture from {ccs_year}" if ccs_on else "without carbon capture"
        click.echo(
            f"{n} municipal buildings; {labelled.sum()} with a label, {share:.0f} % of them D "
            f"or worse; {renew} need a new label. Total CO2 saving {first}–{last}: {total} t "
            f"({ccs_text})."
        )
    for pid, row in ranking.head(top).iterrows():
        address = row["address"] if isinstance(row["address"], str) else pid
        click.echo(f"{row['rank']:>4}. {address}: {row['explanation']}")
    click.echo(("Skrevet: " if lang == "da" else "Written: ") + ", ".join(str(p) for p in paths))
