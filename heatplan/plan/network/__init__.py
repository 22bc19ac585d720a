"""The district-heating network: street graph, trench routing (Steiner trees) and pipe sizing.

Modules: :mod:`~heatplan.plan.network.graph` (the :class:`StreetGraph` type),
:mod:`~heatplan.plan.network.cleaning` (street-layer cleaning),
:mod:`~heatplan.plan.network.feeds` (existing mains and heat sources),
:mod:`~heatplan.plan.network.build` (:func:`build_street_graph`),
:mod:`~heatplan.plan.network.splitting` (edges split at points),
:mod:`~heatplan.plan.network.connections` (service connections),
:mod:`~heatplan.plan.network.steiner` and :mod:`~heatplan.plan.network.steiner_exact` (Steiner
trees), :mod:`~heatplan.plan.network.routing` (the trench tree and its loads) and
:mod:`~heatplan.plan.network.pipes` (pipe sizing and cost).
"""
