"""The columns of the district economics, heat loss and the household's bill.

Part of the column registry: :mod:`heatplan.core.columns` joins :data:`ECONOMICS_COLUMNS` into
its ``COLUMNS`` (one registry, split in two files to keep each short; the types are in
:mod:`heatplan.core.column_types`).
"""

from __future__ import annotations

from heatplan.core.column_types import Label, PlanColumn

_PARTS = {
    "investment": ("anlæg", "investment", "investments (mains, stations, connections against "
                   "the reference's units)"),
    "energy": ("energi", "energy", "heat production and pumping against the reference's "
               "electricity or gas"),
    "loss": ("varmetab", "heat loss", "production cost of the heat the network loses"),
    "om": ("drift", "O&M", "operation and maintenance"),
    "co2": ("CO2", "CO2", "CO2 (and the gas boiler's NOx) valued at the scenario's price"),
}

_CASES = {
    "trench_low": ("tracé −", "trench cost −", "trench cost lowered"),
    "trench_high": ("tracé +", "trench cost +", "trench cost raised"),
    "production_low": ("varmeproduktion −", "heat production −",
                       "heat production cost lowered"),
    "production_high": ("varmeproduktion +", "heat production +", "heat production cost raised"),
    "electricity_low": ("elpris −", "electricity −", "electricity price lowered"),
    "electricity_high": ("elpris +", "electricity +", "electricity price raised"),
    "heat_pump_low": ("varmepumpe −", "heat pump −", "heat-pump investment lowered"),
    "heat_pump_high": ("varmepumpe +", "heat pump +", "heat-pump investment raised"),
    "loss_low": ("varmetab −", "heat loss −", "heat loss lowered"),
    "loss_high": ("varmetab +", "heat loss +", "heat loss raised"),
    "takeup_low": ("tilslutning lav", "take-up low", "final take-up at the lowest sensitivity "
                   "share"),
    "takeup_high": ("tilslutning høj", "take-up high", "final take-up at the highest "
                    "sensitivity share"),
    "all_in": ("all-in tracépris", "all-in trench price", "the network priced all-in "
               "(pipes.cost_basis = all_in)"),
}
"""Sensitivity cases: Danish and English name, meaning (:mod:`heatplan.plan.economics.
sensitivity`; the ± cases by ``economics.sensitivity_share``)."""

_MONEY = ("properties", "districts")

ECONOMICS_COLUMNS: tuple[PlanColumn, ...] = (
    # ---- properties (model, plan): the heat pump and the household's money
    PlanColumn("heat_pump_system", "string", "", "the heat pump the building would have: "
               "`house_radiators`, `house_floor_heating` or `large_radiators`",
               ("properties", "renovation"), Label("Varmepumpetype", "Heat-pump type")),
    PlanColumn("connection_fee_dkk", "float64", "DKK", "one-off connection fee incl. VAT, where "
               "district heating is offered", ("properties",),
               Label("Tilslutningsbidrag (kr.)", "Connection fee (DKK)")),
    PlanColumn("bill_dh_dkk_a", "float64", "DKK/year", "typical yearly cost of district "
               "heating incl. taxes, VAT and the connection fee annualised (districts: median "
               "of the properties to convert)", _MONEY,
               Label("Fjernvarme (kr./år)", "District heating (DKK/a)")),
    PlanColumn("bill_heat_pump_dkk_a", "float64", "DKK/year", "typical yearly cost of an own "
               "heat pump incl. the unit annualised, electricity with the heat-pump tax rate, "
               "service and VAT (districts: median)", _MONEY,
               Label("Varmepumpe (kr./år)", "Heat pump (DKK/a)")),
    PlanColumn("bill_gas_dkk_a", "float64", "DKK/year", "typical yearly cost of keeping gas "
               "incl. taxes, service and VAT; empty without gas (districts: median)", _MONEY,
               Label("Gas (kr./år)", "Gas (DKK/a)")),
    # ---- districts: investment apart, heat flows
    PlanColumn("sunk_cost_dkk", "float64", "DKK", "mains built before the plan's first year "
               "(already built: not counted in the comparison)", ("districts",),
               Label("Allerede anlagt (kr.)", "Already built (DKK)")),
    PlanColumn("station_cost_dkk", "float64", "DKK", "heat exchanger station capacity for the "
               "district's peak", ("districts",)),
    PlanColumn("heat_sold_mwh_a", "float64", "MWh/year", "heat sold at the expected take-up",
               ("districts",), Label("Solgt varme (MWh/år)", "Heat sold (MWh/a)")),
    PlanColumn("heat_loss_mwh_a", "float64", "MWh/year", "heat lost in the pipes (districts: "
               "mains and service pipes at the expected take-up)",
               ("districts", "trenches", "service_pipes"),
               Label("Varmetab (MWh/år)", "Heat loss (MWh/a)")),
    PlanColumn("heat_produced_mwh_a", "float64", "MWh/year", "heat to produce: (sold + lost) ÷ "
               "(1 − station loss)", ("districts",),
               Label("Produceret varme (MWh/år)", "Heat produced (MWh/a)")),
    PlanColumn("production_source", "string", "", "feed at the root of the district's "
               "`fed_from` chain (a `source_id` or `existing_network`) whose heat production "
               "cost the comparison uses (economics.heat_production_cost_by_source_dkk_per_mwh, "
               "else the default); empty when no network was routed", ("districts",),
               Label("Varmekilde", "Heat source")),
    PlanColumn("heat_loss_share", "float64", "share 0–1", "heat lost in the pipes ÷ heat fed "
               "into them", ("districts",), Label("Varmetab, andel", "Heat loss, share")),
    # ---- districts: the socio-economic comparison
    PlanColumn("npv_dh_mdkk", "float64", "million DKK", "socio-economic present value of "
               "district heating over the study period", ("districts",),
               Label("Nutidsværdi fjernvarme (mio. kr.)", "PV district heating (M DKK)")),
    PlanColumn("npv_hp_mdkk", "float64", "million DKK", "socio-economic present value of "
               "individual heat pumps", ("districts",),
               Label("Nutidsværdi varmepumper (mio. kr.)", "PV heat pumps (M DKK)")),
    PlanColumn("npv_gas_mdkk", "float64", "million DKK", "socio-economic present value of new "
               "individual gas boilers", ("districts",),
               Label("Nutidsværdi gas (mio. kr.)", "PV gas (M DKK)")),
    PlanColumn("npv_difference_mdkk", "float64", "million DKK", "district heating minus the "
               "reference (below 0: district heating is cheaper for society)",
               ("districts", "report_sensitivity"),
               Label("Forskel fjernvarme − reference (mio. kr.)",
                     "Difference DH − reference (M DKK)")),
    *(PlanColumn(f"pv_difference_{p}_mdkk", "float64", "million DKK", f"part of the "
                 f"difference: {meaning}", ("districts",),
                 Label(f"Forskel, {da} (mio. kr.)", f"Difference, {en} (M DKK)"))
      for p, (da, en, meaning) in _PARTS.items()),
    PlanColumn("main_drivers", "string", "", "the largest parts of the difference, million DKK",
               ("districts",), Label("Største forskelle", "Main drivers")),
    PlanColumn("co2_dh_t_a", "float64", "t CO2/year", "CO2 of district heating (heat produced "
               "and pumping), average over the study period", ("districts",),
               Label("CO2 fjernvarme (t/år)", "CO2 district heating (t/a)")),
    PlanColumn("co2_hp_t_a", "float64", "t CO2/year", "CO2 of individual heat pumps, average "
               "over the study period", ("districts",),
               Label("CO2 varmepumper (t/år)", "CO2 heat pumps (t/a)")),
    PlanColumn("co2_gas_t_a", "float64", "t CO2/year", "CO2 of individual gas boilers, average "
               "over the study period", ("districts",),
               Label("CO2 gas (t/år)", "CO2 gas (t/a)")),
    # ---- districts: the utility's budget
    PlanColumn("utility_investment_dkk", "float64", "DKK", "the utility's investment (mains, "
               "stations, service lines, substations)", ("districts",),
               Label("Selskabets investering (kr.)", "Utility investment (DKK)")),
    PlanColumn("utility_revenue_dkk_a", "float64", "DKK/year", "tariff and connection-fee "
               "income excl. VAT in a year at the expected take-up", ("districts",),
               Label("Selskabets indtægter (kr./år)", "Utility revenue (DKK/a)")),
    PlanColumn("utility_cost_dkk_a", "float64", "DKK/year", "heat, pumping, O&M and the "
               "investment's annuity", ("districts",),
               Label("Selskabets omkostninger (kr./år)", "Utility cost (DKK/a)")),
    PlanColumn("utility_balance_dkk_a", "float64", "DKK/year", "revenue minus cost",
               ("districts",), Label("Selskabets balance (kr./år)", "Utility balance (DKK/a)")),
    # ---- districts: sensitivity
    *(PlanColumn(f"npv_difference_{case}_mdkk", "float64", "million DKK", f"the difference with "
                 f"{meaning}", ("districts",), Label(f"Forskel, {da}", f"Difference, {en}"))
      for case, (da, en, meaning) in _CASES.items()),
    PlanColumn("sensitivity_flips", "string", "", "the sensitivity cases under which the "
               "economic recommendation changes, comma separated", ("districts",),
               Label("Skifter ved", "Changes under")),
    # ---- trenches
    PlanColumn("is_sunk", "bool", "", "built before the plan's first year (already built)",
               ("trenches",)),
    # ---- renovation ranking
    PlanColumn("hp_from_year", "Int64", "year", "year the building is expected to have a heat "
               "pump (the CO2 trajectory's switch)", ("renovation",),
               ranking_label=Label("Varmepumpe fra år", "Heat pump from")),
    PlanColumn("net_present_cost_dkk", "float64", "DKK", "investment minus the discounted "
               "energy savings along the building's heating path", ("renovation",),
               Label("Nettonutidsomkostning (kr.)", "Net present cost (DKK)"),
               Label("Nettonutidsomkostning kr.", "Net present cost DKK")),
    PlanColumn("net_cost_per_t_dkk", "float64", "DKK/t CO2", "net present cost per tonne of "
               "CO2 saved (the ranking key)", ("renovation",),
               Label("Nettoomkostning pr. t CO2 (kr.)", "Net cost per t CO2 (DKK)"),
               Label("Nettoomkostning kr. pr. t CO2", "Net cost DKK per t CO2")),
    # ---- the report's economics tables
    PlanColumn("case", "string", "", "the sensitivity case", ("report_sensitivity",),
               Label("Følsomhed", "Sensitivity case")),
    PlanColumn("case_difference_mdkk", "float64", "million DKK", "the difference in the case",
               ("report_sensitivity",), Label("Forskel i tilfældet (mio. kr.)",
                                              "Difference in the case (M DKK)")),
    PlanColumn("parameter", "string", "", "the scenario key", ("report_assumptions",),
               Label("Parameter", "Parameter")),
    PlanColumn("value", "string", "", "its value", ("report_assumptions",),
               Label("Værdi", "Value")),
    PlanColumn("unit", "string", "", "its unit", ("report_assumptions",), Label("Enhed", "Unit")),
    PlanColumn("source", "string", "", "its source (an assumption where it says so)",
               ("report_assumptions",), Label("Kilde", "Source")),
    PlanColumn("topic", "string", "", "what the line is about", ("report_method",),
               Label("Emne", "Topic")),
)
"""The economics' columns, joined into :data:`heatplan.core.columns.COLUMNS`."""

CASE_LABELS: dict[str, Label] = {case: Label(da, en) for case, (da, en, _) in _CASES.items()}
"""Readable names of the sensitivity cases."""
