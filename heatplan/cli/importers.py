"""``heatplan import``: turn register extracts (BBR, GeoDanmark, DAR, Plandata) into a dataset."""

from __future__ import annotations

import json
from pathlib import Path

import click

from heatplan.cli.options import handle_errors, overwrite_option

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group(name="import")
def command() -> None:
    """Import Danish register extracts into a dataset folder that 'heatplan plan' reads."""


@command.command(name="bbr")
@click.option("--bbr", "bbr_path", type=_file, required=True,
              help="BBR Bygning: OIS file extract (.zip/.xml), Datafordeler REST or GraphQL JSON.")
@click.option("--units", type=_file, help="BBR Enhed (units), to resolve heating code 99.")
@click.option("--storeys", type=_file,
              help="BBR Etage (storeys); links OIS units, which name no building, to buildings.")
@click.option("--tanks", type=_file,
              help="BBR Tekniske anlæg; active oil tanks (1110) tell the fuel of central heating.")
@click.option("--footprints", type=_file,
              help="GeoDanmark building footprints with BBRUUID (GeoJSON, GeoPackage, ...).")
@click.option("--addresses", type=_file, help="DAR Adresse (ndjson/JSON) for the address text.")
@click.option("--address-points", type=_file, help="DAR Adressepunkt (ndjson/JSON).")
@click.option("--roads", type=_file, required=True,
              help="Road centrelines: GeoDanmark Vejmidte or a GeoFA road layer.")
@click.option("--roads-layer", help="Layer name inside a multi-layer road file.")
@click.option("--districts", type=_file,
              help="Energy districts: a Plandata heat-plan layer or any polygon layer. "
                   "Without it, districts are formed from building clusters.")
@click.option("--districts-layer", help="Layer name inside a multi-layer district file.")
@click.option("--district-map", multiple=True, metavar="FIELD=COLUMN",
              help="Map a district field to a column, e.g. name=type; may be repeated. Fields: "
                   "district_id, name, status, planned_phase, conversion_start_year, "
                   "conversion_end_year, supplier, municipality.")
@click.option("--dh-network", type=_file, help="Existing district-heating mains (lines).")
@click.option("--heat-sources", type=_file,
              help="Feed points (points). Without it one is derived from existing district "
                   "heating in BBR and flagged.")
@click.option("--owner-map", type=_file,
              help="CSV with property_id (BBR building id) or bfe, and owner_type "
                   "(ejerforholdskode). Missing owners default to 10 (private), with a warning.")
@click.option("--plots", type=_file,
              help="BBR Grund (plots); with --property-relations gives each building's owner "
                   "type from the register.")
@click.option("--property-relations", type=_file,
              help="BBR Ejendomsrelation: owner type (ejendommensEjerforholdskode) and BFE.")
@click.option("--municipality", help="Four-digit kommunekode to import, e.g. 0151.")
@click.option("--name", default="imported", show_default=True,
              help="Name of the GeoPackage written to OUT/gis_data/.")
@click.option("--district-cell", type=click.FloatRange(min=50), default=750.0,
              show_default=True, help="Grid size (m) splitting formed districts.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Dataset folder to write (gis_data/, import report).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON on stdout.")
@overwrite_option
@handle_errors
def bbr_command(
    bbr_path: Path, units: Path | None, storeys: Path | None, tanks: Path | None,
    footprints: Path | None, addresses: Path | None, address_points: Path | None,
    roads: Path, roads_layer: str | None, districts: Path | None, districts_layer: str | None,
    district_map: tuple[str, ...], dh_network: Path | None, heat_sources: Path | None,
    owner_map: Path | None, plots: Path | None, property_relations: Path | None,
    municipality: str | None, name: str, district_cell: float,
    out_dir: Path, as_json: bool, overwrite: bool,
) -> None:
    """Import BBR buildings with footprints, addresses, roads and districts into OUT.

    Keeps current, built (status 6), heated buildings; every other current building is written
    with its reason to OUT/import_rejected.gpkg, and the counts to OUT/import_report.json.
    """
    from heatplan.importers import (
        ImportSettings,
        ImportSources,
        check_outputs,
        import_registers,
        write_dataset,
    )
    from heatplan.io.plandata import parse_column_map

    check_outputs(out_dir, name=name, overwrite=overwrite)

    sources = ImportSources(
        bbr=bbr_path, units=units, storeys=storeys, tanks=tanks, footprints=footprints,
        addresses=addresses, address_points=address_points, roads=roads,
        roads_layer=roads_layer, districts=districts, districts_layer=districts_layer,
        district_map=parse_column_map(district_map), dh_network=dh_network,
        heat_sources=heat_sources, owner_map=owner_map, plots=plots,
        property_relations=property_relations, municipality=municipality,
    )
    result = import_registers(sources, settings=ImportSettings(district_cell_m=district_cell))
    paths = write_dataset(result, out_dir, name=name, overwrite=overwrite)
    counts = result.counts
    if as_json:
        click.echo(json.dumps({"counts": counts, "notes": result.notes}, ensure_ascii=False,
                              indent=2, sort_keys=True))
        return
    rejected = ", ".join(f"{k} {v:,}" for k, v in counts["rejected"].items()) or "none"
    lines = [
        f"BBR records read: {counts['bbr_records_read']:,} "
        f"(history rows {counts['bbr_history_rows']:,})",
        f"Current buildings: {counts['bbr_current_buildings']:,}; kept {counts['kept']:,}; "
        f"rejected {sum(counts['rejected'].values()):,} ({rejected})",
        "Heating installation (byg056) of kept: "
        + ", ".join(f"{k}: {v:,}" for k, v in counts["heating_installation"].items()),
        f"Footprints joined: {counts.get('footprints_joined', 0):,}; "
        f"addresses joined: {counts.get('kept_with_dar_address', 0):,}",
        f"Districts: {counts['districts']:,} ({counts['districts_source']}); "
        f"streets: {counts['streets']:,} ({counts['streets_km']:,} km); "
        f"heat sources: {counts['heat_sources']}"
        + (" (derived)" if counts["heat_source_derived"] else ""),
        f"Wrote {paths['dataset']}",
    ]
    for line in lines:
        click.echo(line)
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
