"""Public exception classes of heatplan.

Every error a user can cause by their input or options is a :class:`HeatplanError`; the command
line turns it into a message and exit code 1, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable


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

    ``diagnosis`` holds the details (``heatplan.plan.schedule.diagnose.Diagnosis``) when known.
    """

    def __init__(self, message: str, diagnosis: object | None = None) -> None:
        super().__init__(message)
        self.diagnosis = diagnosis


class OutputExistsError(HeatplanError, FileExistsError):
    """An output already exists and ``overwrite`` was not given."""


class OutputFolderError(HeatplanError, OSError):
    """The output folder cannot be written to, or lies where a run would read it as input."""


class StageContractError(RuntimeError):
    """A stage got a table without a column an earlier stage adds: a bug, not bad input.

    Not a :class:`HeatplanError`, so the command line shows it as the programming error it is.
    """


def require_columns(table: object, columns: Iterable[str], *, table_name: str, stage: str
                    ) -> None:
    """Raise :class:`StageContractError` unless ``table`` has every one of ``columns``.

    ``stage`` names the stage that should have added them (``"model"``), for the message.
    """
    present = set(getattr(table, "columns", ()))
    missing = [c for c in columns if c not in present]
    if missing:
        msg = (f"{table_name} lacks column(s) {missing}, which the {stage} stage adds; run "
               f"the {stage} stage first (heatplan.pipeline shows the order).")
        raise StageContractError(msg)
