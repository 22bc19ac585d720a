"""Many plans at once: dataset folders × scenario variants as independent tasks on Dask.

:mod:`~heatplan.batch.tasks` builds the tasks, :mod:`~heatplan.batch.run` runs them on a
``dask.distributed`` cluster (a ``LocalCluster`` sized to the machine, or an existing scheduler)
and records each task's result or failure, and :mod:`~heatplan.batch.summary` writes one summary
of all runs. ``heatplan batch`` is the command.
"""
