"""The scenario: every assumption heatplan plans with, each with its unit and source.

The defaults ship as TOML files in ``heatplan/scenario/`` (one file per concern; their sections
must not overlap). Each parameter there is a table::

    [emissions.natural_gas_kg_per_kwh]
    value = 0.204
    unit = "kg CO2 per kWh fuel"
    source = "hbemo.dk HB2016 §9.3.1 'Brændværdier og CO2 emissionsfaktorer'"

A source that starts with ``assumption`` marks a figure that could not be sourced; it is meant to
be overridden. A user's scenario file overrides any part, either with a full table or with a bare
value (``natural_gas_kg_per_kwh = 0.19``); the source then names the user's file.
Year series are tables keyed by year (``value = { 2023 = 0.187, 2030 = 0.047 }``) and are
interpolated linearly between the given years and held constant beyond them.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from heatplan.core.errors import ScenarioError

DEFAULT_SCENARIO_DIR = "scenario"


@dataclass(frozen=True)
class Parameter:
    """One scenario parameter: its value, unit and source."""

    key: str
    value: Any
    unit: str = ""
    source: str = ""
    note: str = ""

    @property
    def is_assumption(self) -> bool:
        """True when the figure is not sourced but assumed."""
        return self.source.lower().startswith("assumption")


@dataclass(frozen=True)
class Scenario:
    """All parameters, keyed by dotted name (``"emissions.natural_gas_kg_per_kwh"``)."""

    parameters: Mapping[str, Parameter]
    files: tuple[str, ...] = field(default=())

    def __contains__(self, key: str) -> bool:
        return key in self.parameters

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self.parameters[k] for k in sorted(self.parameters))

    def parameter(self, key: str) -> Parameter:
        """Return the parameter ``key``; raise :class:`ScenarioError` naming close matches."""
        try:
            return self.parameters[key]
        except KeyError:
            close = difflib.get_close_matches(key, list(self.parameters), n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            msg = f"The scenario has no parameter {key!r}.{hint}"
            raise ScenarioError(msg) from None

    def value(self, key: str) -> Any:
        """Return the value of parameter ``key``."""
        return self.parameter(key).value

    def section(self, prefix: str) -> dict[str, Any]:
        """Return ``{name: value}`` for every parameter directly below ``prefix``."""
        start = prefix.rstrip(".") + "."
        return {
            key[len(start) :]: p.value
            for key, p in sorted(self.parameters.items())
            if key.startswith(start) and "." not in key[len(start) :]
        }

    def by_year(self, key: str, years: Iterable[int]) -> np.ndarray:
        """Interpolate the year series ``key`` at ``years`` (linear, constant beyond the ends)."""
        series = self.value(key)
        if not isinstance(series, Mapping):
            return np.full(len(list(years)), float(series))
        known = sorted((int(y), float(v)) for y, v in series.items())
        xs = np.array([y for y, _ in known], dtype=float)
        ys = np.array([v for _, v in known], dtype=float)
        return np.interp(np.asarray(list(years), dtype=float), xs, ys)

    def with_values(self, **values: Any) -> Scenario:
        """Return a copy with some values replaced; keys use ``__`` for dots.

        ``scenario.with_values(emissions__ccs_enabled=True)``
        """
        params = dict(self.parameters)
        for name, new in values.items():
            key = name.replace("__", ".")
            old = self.parameter(key)
            params[key] = Parameter(key, new, old.unit, "set in code", old.note)
        return Scenario(params, self.files)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, item in table.items():
        key = f"{prefix}{name}"
        if isinstance(item, Mapping) and "value" not in item:
            yield from _flatten(item, key + ".")
        else:
            yield key, item


def _read_toml(path: Path | str, text: str | None = None) -> dict[str, Any]:
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
        return tomllib.loads(text)
    except FileNotFoundError:
        msg = f"Scenario file {path} does not exist. Give the path of a TOML file."
        raise ScenarioError(msg) from None
    except tomllib.TOMLDecodeError as err:
        msg = f"Scenario file {path} is not valid TOML: {err}."
        raise ScenarioError(msg) from err


def _defaults() -> dict[str, Parameter]:
    folder = files("heatplan").joinpath(DEFAULT_SCENARIO_DIR)
    params: dict[str, Parameter] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        name = f"heatplan/{DEFAULT_SCENARIO_DIR}/{entry.name}"
        for key, item in _flatten(_read_toml(name, entry.read_text(encoding="utf-8"))):
            if not isinstance(item, Mapping) or "source" not in item:
                msg = f"{name}: parameter {key} needs a table with value, unit and source."
                raise ScenarioError(msg)
            if key in params:
                msg = f"{name}: parameter {key} is defined twice in the default scenario."
                raise ScenarioError(msg)
            params[key] = Parameter(
                key, item["value"], item.get("unit", ""), item["source"], item.get("note", "")
            )
    return params


def load_scenario(*paths: Path | str) -> Scenario:
    """Return the default scenario overridden by each TOML file in ``paths``, in order.

    Raises
    ------
    ScenarioError
        If a file is missing, not TOML, or sets a parameter the scenario does not have.
    """
    params = _defaults()
    for path in paths:
        for key, item in _flatten(_read_toml(path)):
            if key not in params:
                close = difflib.get_close_matches(key, list(params), n=3)
                hint = f" Did you mean {', '.join(close)}?" if close else ""
                msg = f"Scenario file {path} sets unknown parameter {key!r}.{hint}"
                raise ScenarioError(msg)
            old = params[key]
            if isinstance(item, Mapping) and "value" in item:
                value = item["value"]
                source = item.get("source", f"user scenario {path}")
            else:
                value, source = item, f"user scenario {path}"
            params[key] = Parameter(key, value, old.unit, source, old.note)
    scenario = Scenario(params, tuple(str(p) for p in paths))
    _check_years(scenario)
    return scenario


def _check_years(scenario: Scenario) -> None:
    """Refuse a base year, target year and horizon that are out of order."""
    base, target, end = (
        int(scenario.value(f"general.{name}"))
        for name in ("base_year", "target_year", "horizon_end_year")
    )
    if not base <= target <= end:
        files = ", ".join(scenario.files) or "the default scenario"
        msg = (
            f"{files}: general.base_year ({base}) ≤ general.target_year ({target}) ≤ "
            f"general.horizon_end_year ({end}) must hold. Change the years so that they do."
        )
        raise ScenarioError(msg)
