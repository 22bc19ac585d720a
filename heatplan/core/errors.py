"""Public exception classes of heatplan.

Every error a user can cause by their input or options is a :class:`HeatplanError`; the command
line turns it into a message and exit code 1, never a traceback.
"""

from __future__ import annotations


class HeatplanError(Exception):
    """Base class of every error heatplan raises on purpose."""


class InputDataError(HeatplanError, ValueError):
    """Input data that cannot be planned on; ``issues`` lists every problem found."""

    def __init__(self, message: str, issues: list | None = None) -> None:
        super().__init__(message)
        self.issues = list(issues or [])


class SchemaError(InputDataError):
    """A layer or table lacks a required column, or a column has the wrong type."""


class CRSError(InputDataError):
    """A layer has no coordinate reference system, or one that cannot be transformed."""


class ScenarioError(HeatplanError, ValueError):
    """A scenario file is malformed or sets an unknown or invalid parameter."""


class TopologyError(HeatplanError, ValueError):
    """The street graph cannot serve the plan (for example, no feed point is reachable)."""


class InfeasiblePlanError(HeatplanError):
    """The schedule's constraints cannot all be met; the message says what would be needed.

    ``diagnosis`` holds the details (``heatplan.plan.phasing.Diagnosis``) when known.
    """

    def __init__(self, message: str, diagnosis: object | None = None) -> None:
        super().__init__(message)
        self.diagnosis = diagnosis


class OutputExistsError(HeatplanError, FileExistsError):
    """An output already exists and ``overwrite`` was not given."""
