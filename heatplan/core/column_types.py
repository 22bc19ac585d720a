"""The types of the column registry (:mod:`heatplan.core.columns`): a display name, a declared
column and the display names of an input-contract column."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """A display name in Danish and English."""

    da: str
    en: str

    def in_lang(self, lang: str) -> str:
        """The English name for ``"en"``, the Danish one otherwise."""
        return self.en if lang == "en" else self.da


@dataclass(frozen=True)
class PlanColumn:
    """A column a stage adds to a table it passes on (or an output derives from one)."""

    name: str
    dtype: str
    """Declared dtype; see :data:`DTYPE_MATCHES` for the actual dtypes it allows."""
    unit: str
    meaning: str
    tables: tuple[str, ...]
    label: Label | None = None
    """Header in the report (HTML and XLSX); the code name is shown when None."""
    ranking_label: Label | None = None
    """Header in the renovation ranking files, where it differs from ``label``."""

    @property
    def pattern(self) -> re.Pattern[str]:
        """The names this declaration covers: ``{pct}`` in the name stands for digits."""
        return re.compile(re.escape(self.name).replace(r"\{pct\}", r"\d+") + r"\Z")


@dataclass(frozen=True)
class ContractLabels:
    """Display names of an input-contract column (type, unit, meaning: core/schema.py)."""

    name: str
    label: Label | None = None
    ranking_label: Label | None = None
