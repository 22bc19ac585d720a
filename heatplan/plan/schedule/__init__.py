"""The year-by-year schedule of the district works: a fast heuristic and an exact MILP.

Each district with works (district heating, or an individual district that carries feeder mains
for others) is a *work item* with a trench length, a number of properties to convert, costs and
a construction time of ``d = clip(ceil(km / phasing.district_trench_km_a), 1,
phasing.max_construction_years)`` years. A schedule gives every item a phase and a
construction start and end year, so that

* the works lie inside the phase's window (``phasing.phase_windows``) and end by
  ``phasing.end_year``; a politically fixed ``planned_phase`` is kept;
* feed precedence holds: the district named in ``fed_from`` ends its works no later than the
  district it feeds;
* per year, trench km (each item's km spread evenly over its construction years), expected
  house connections (the take-up ramp after the works end) and, optionally, spending stay
  within ``phasing.trench_capacity_km_a``, ``phasing.connection_capacity_a`` and
  ``phasing.budget_capacity_dkk_a``.

The objective is the largest cumulative CO2 avoided from the first year to
``general.horizon_end_year``: a district whose works end in year ``e`` avoids, in each year
``t ≥ e``, its properties' CO2 difference (today's heating minus district heating, factors of
year ``t``) times the take-up share reached ``t − e`` years after the works.

MILP (HiGHS via ``scipy.optimize.milp``): one binary per feasible (item, phase, start year)
option; each item takes exactly one option; capacities are rows per year; precedence is the
cumulative constraint ``Σ_{e≤t} x[parent] ≥ Σ_{e≤t} x[child]`` for every year ``t``.
Heuristic: greedy list scheduling by CO2 per trench km of an item and everything it feeds, then
moves to earlier years while they improve the objective. The heuristic's objective is never
above the MILP's (the MILP is exact).
"""

from typing import Literal

ScheduleMethod = Literal["milp", "heuristic"]
"""``"milp"``: exact (the heuristic also runs, for the gap); ``"heuristic"``: fast."""
