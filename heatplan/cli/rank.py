"""``heatplan rank``: rank the municipality's own buildings for energy renovation by CO2."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from heatplan.cli.options import (
    data_option,
    gpkg_option,
    handle_errors,
    io_engine_option,
    layer_path_options,
    out_option,
    overwrite_option,
    scenario_option,
    with_sample_option,
)

if TYPE_CHECKING:
    import pandas as pd

    from heatplan.core.dataset import Dataset
    from heatplan.core.scenario import Scenario

logger = logging.getLogger(__name__)


def _load(data_dir: Path | None, scenario: Scenario, *, gpkg: str | None, engine: str,
          layer_paths: dict[str, str]) -> Dataset:
    """Return the dataset, validated; errors in the layers the ranking reads stop it."""
    from heatplan.core.errors import InputDataError
    from heatplan.validate import load_dataset

    result = load_dataset(data_dir, layer_paths=layer_paths, scenario=scenario, strict=False,
                          gpkg=gpkg, engine=engine)
    needed = {"properties", "labels", "proposals", "metered"}
    errors = [issue for issue in result.errors if issue.layer in needed]
    if errors:
        lines = "\n".join(f"  - {issue}" for issue in errors)
        msg = f"The input data has {len(errors)} error(s) that stop the ranking:\n{lines}"
        raise InputDataError(msg, errors)
    return result.dataset


@click.command("rank")
@data_option
@gpkg_option
@io_engine_option
@layer_path_options
@with_sample_option
@scenario_option
@click.option("--top", "top", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many of the top-ranked buildings to print.")
@out_option
@click.option(
    "--plan", "plan_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="A plan GeoPackage from `heatplan plan`: each building's district-heating connection "
    "year lowers the CO2 value of its savings from then on. Without it, today's heating is "
    "assumed for the whole period.",
)
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
    data_dir: Path | None, gpkg: str | None, io_engine: str, scenario_paths: tuple[Path, ...],
    top: int, out_dir: Path, plan_path: Path | None, all_proposals: bool, ccs: bool | None,
    lang: str, overwrite: bool, with_sample: bool, **layers: str | None,
) -> None:
    """Rank the municipality's own buildings (owner type 50) by the CO2 renovation saves.

    Prints the top of the ranking and writes renovation_ranking.csv and .xlsx to --out, as one
    set (with renovation_ranking_manifest.json).
    """
    import pandas as pd

    from heatplan.cli.options import check_sample_mixing, input_folder
    from heatplan.core.scenario import load_scenario
    from heatplan.io.staging import prepare_output_dir, staged_outputs
    from heatplan.model.stage import model_dataset
    from heatplan.outputs.ranking import CSV_NAME, XLSX_NAME, write_ranking
    from heatplan.plan.renovation import rank_renovations

    layer_paths = {name: path for name, path in layers.items() if path}
    check_sample_mixing(data_dir, layer_paths, with_sample)
    names = (CSV_NAME, XLSX_NAME)
    prepare_output_dir(out_dir, data_dir=input_folder(data_dir, layer_paths), names=names,
                       overwrite=overwrite)  # fail fast, before the work
    scenario = load_scenario(*scenario_paths)
    if ccs is not None:
        scenario = scenario.with_values(emissions__ccs_enabled=ccs)
    dataset = _load(data_dir, scenario, gpkg=gpkg, engine=io_engine, layer_paths=layer_paths)
    model = model_dataset(dataset, scenario=scenario)
    dh_from_year = None
    if plan_path is not None:
        from heatplan.io.previous import read_previous_plan

        planned = read_previous_plan(plan_path, engine=io_engine)["properties"]
        dh_from_year = pd.to_numeric(planned["connection_year"], errors="coerce").dropna()
        dh_from_year = dh_from_year.astype(int)
    else:
        click.echo(
            "Note: no --plan given, so no building gets district heating: gas and oil heating "
            "is counted until the expected switch to a heat pump, the rest as it is today; give "
            "the plan's GeoPackage to count district-heating connections.",
            err=True,
        )
    ranking = rank_renovations(
        model.properties, model.chosen_labels, dataset.proposals, scenario=scenario,
        dh_from_year=dh_from_year,
        proposal_set="all" if all_proposals else "profitable", lang=lang,
    )
    with staged_outputs(out_dir, set_name="renovation_ranking", names=names,
                        overwrite=overwrite) as stage:
        staged = write_ranking(ranking, scenario, stage, lang=lang)
    paths = [out_dir / path.name for path in staged]

    click.echo(_overview(ranking, scenario, lang))
    for pid, row in ranking.head(top).iterrows():
        address = row["address"] if isinstance(row["address"], str) else pid
        click.echo(f"{row['rank']:>4}. {address}: {row['explanation']}")
    click.echo(("Skrevet: " if lang == "da" else "Written: ") + ", ".join(str(p) for p in paths))


def _overview(ranking: pd.DataFrame, scenario: Scenario, lang: str) -> str:
    """One line on the ranked buildings: labels, renewals and the total CO2 saving."""
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
        return (
            f"{n} kommunale bygninger; {labelled.sum()} med energimærke"
            + (f", heraf {share:.0f} % D eller dårligere" if labelled.any() else "")
            + f"; {renew} skal have fornyet mærket. Samlet CO2-besparelse "
            f"{first}–{last}: {total.replace(',', '.')} t ({ccs_text})."
        )
    else:
        ccs_text = f"with carbon capture from {ccs_year}" if ccs_on else "without carbon capture"
        return (
            f"{n} municipal buildings; {labelled.sum()} with a label"
            + (f", {share:.0f} % of them D or worse" if labelled.any() else "")
            + f"; {renew} need a new label. Total CO2 saving {first}–{last}: {total} t "
            f"({ccs_text})."
        )
