"""District economics the Danish way and the district-heating / heat-pump recommendation.

* :mod:`~heatplan.plan.economics.present_value` — the stepped calculation rate, annuities,
  reinvestment and scrap value;
* :mod:`~heatplan.plan.economics.network` — segment costs, feeder sharing, sunk mains, works;
* :mod:`~heatplan.plan.economics.inputs` and :mod:`~heatplan.plan.economics.study` — what the
  comparison is computed from;
* :mod:`~heatplan.plan.economics.production` — each district's heat production cost, from
  the source at the root of its feed;
* :mod:`~heatplan.plan.economics.socio` — the socio-economic comparison (samfundsøkonomi);
* :mod:`~heatplan.plan.economics.utility` — the utility's budget (selskabsøkonomi);
* :mod:`~heatplan.plan.economics.household` — the household's bill (brugerøkonomi);
* :mod:`~heatplan.plan.economics.sensitivity` — the sensitivity cases;
* :mod:`~heatplan.plan.economics.recommend` — the recommendation and its reason;
* :mod:`~heatplan.plan.economics.district` — :func:`district_economics`, all of it per district.
"""

from heatplan.plan.economics.codes import DISTRICT_HEATING, EXISTING, INDIVIDUAL
from heatplan.plan.economics.district import district_economics, total_loss_share
from heatplan.plan.economics.household import BILL_COLUMNS, household_bills
from heatplan.plan.economics.network import (
    district_works,
    segment_depths,
    segment_parent,
    segment_users,
    sunk_segments,
    transit_note,
    trench_costs,
)
from heatplan.plan.economics.present_value import annuity_factor
from heatplan.plan.economics.recommend import density_class, recommend_districts

__all__ = [
    "BILL_COLUMNS", "DISTRICT_HEATING", "EXISTING", "INDIVIDUAL", "annuity_factor",
    "density_class", "district_economics", "district_works", "household_bills",
    "recommend_districts", "segment_depths", "segment_parent", "segment_users", "sunk_segments",
    "total_loss_share", "transit_note", "trench_costs",
]
