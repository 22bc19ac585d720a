"""The scenario: every assumption heatplan plans with, each with its unit and source.

The defaults ship as TOML files in ``heatplan/scenario/`` (one file per concern; their sections
must not overlap). Each parameter there is a table::

    [emissions.natural_gas_kg_per_kwh]
    value = 0.204
    unit = "kg CO2 per kWh fuel"
    source = "hbemo.dk HB2016 §9.3.1 'Brændværdier og CO2 emissionsfaktorer'"
    range = [0.0, 1.0]

``range = [min, max]`` (inclusive) bounds the plausible values and ``type`` overrides the type
read from the default (see :mod:`heatplan.core.scenario_check`); a value of the wrong type or
outside its range is refused with an error naming the key, the value, the range and the file.
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
from dataclasses import dataclass, field, replace
from importlib.abc import Traversable
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario_check import (
    check_declaration,
    check_rules,
    check_value,
    fmt,
    infer_kind,
    parse_range,
)

DEFAULT_SCENARIO_DIR = "scenario"
PARAMETER_FIELDS = frozenset({"value", "unit", "source", "note", "range", "type"})
"""The fields of a parameter's table in a scenario file."""


@dataclass(frozen=True)
class Parameter:
    """One scenario parameter: its value, unit and source."""

    key: str
    value: Any
    unit: str = ""
    source: str = ""
    note: str = ""
    kind: str = ""
    """Its type (``"number"``, ``"year series"``, …; see :mod:`heatplan.core.scenario_check`)."""
    range: tuple[float, float] | None = None
    """Plausible values, inclusive; a value outside is refused when a scenario is loaded."""

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
            params[key] = replace(old, value=new, source="set in code")
        return Scenario(params, self.files)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, item in table.items():
        key = f"{prefix}{name}"
        if isinstance(item, Mapping) and "value" not in item:
            yield from _flatten(item, key + ".")
        else:
            yield key, item


def _user_items(
    table: Mapping[str, Any], params: Mapping[str, Parameter], prefix: str = ""
) -> Iterator[tuple[str, Any]]:
    """Like :func:`_flatten`, but a known parameter's table is its value, not a section."""
    for name, item in table.items():
        key = f"{prefix}{name}"
        if key in params or not isinstance(item, Mapping):
            yield key, item
        else:
            yield from _user_items(item, params, key + ".")


def _read_toml(path: Path | str, text: str | None = None) -> dict[str, Any]:
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
        return tomllib.loads(text)
    except FileNotFoundError:
        msg = f"Scenario file {path} does not exist. Give the path of a TOML file."
        raise ScenarioError(msg) from None
    except IsADirectoryError:
        msg = f"Scenario file {path} is a folder. Give the path of a TOML file."
        raise ScenarioError(msg) from None
    except UnicodeDecodeError as err:
        msg = (f"Scenario file {path} is not UTF-8 text ({err.reason} at byte {err.start}). "
               "Save it as UTF-8 in your editor.")
        raise ScenarioError(msg) from None
    except OSError as err:
        msg = f"Scenario file {path} cannot be read ({err.strerror or err})."
        raise ScenarioError(msg) from None
    except tomllib.TOMLDecodeError as err:
        msg = f"Scenario file {path} is not valid TOML: {err}."
        raise ScenarioError(msg) from err


def _raise_problems(where: str, problems: list[str]) -> None:
    """Raise one :class:`ScenarioError` listing every problem found in ``where``."""
    if not problems:
        return
    if len(problems) == 1:
        msg = f"{where}: {problems[0]}"
    else:
        msg = f"{where} has {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)
    raise ScenarioError(msg)


def _default_parameter(key: str, item: Any) -> tuple[Parameter | None, list[str]]:
    """One default parameter from its TOML table, and the problems of its declaration."""
    if not isinstance(item, Mapping) or "source" not in item or "value" not in item:
        return None, [f"parameter {key} needs a table with value, unit and source."]
    extra = sorted(set(item) - PARAMETER_FIELDS)
    if extra:
        return None, [f"parameter {key} has unknown field(s) {', '.join(extra)}; the fields "
                      f"are {', '.join(sorted(PARAMETER_FIELDS))}."]
    bounds = parse_range(item.get("range"), key)
    if isinstance(bounds, str):
        return None, [bounds]
    kind = str(item.get("type") or infer_kind(item["value"]))
    param = Parameter(key, item["value"], item.get("unit", ""), item["source"],
                      item.get("note", ""), kind, bounds)
    problems = check_declaration(param)
    if not problems and kind == "date":
        param = replace(param, value=check_value(param, param.value)[0])
    return param, problems


def _defaults(folder: Traversable | Path | None = None) -> dict[str, Parameter]:
    """The default parameters of every ``*.toml`` in ``folder`` (``heatplan/scenario``)."""
    folder = folder if folder is not None else files("heatplan").joinpath(DEFAULT_SCENARIO_DIR)
    params: dict[str, Parameter] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        name = f"heatplan/{DEFAULT_SCENARIO_DIR}/{entry.name}"
        problems = []
        for key, item in _flatten(_read_toml(name, entry.read_text(encoding="utf-8"))):
            param, own = _default_parameter(key, item)
            if key in params:
                own.append(f"parameter {key} is defined twice in the default scenario.")
            problems += own
            if param is not None:
                params[key] = param
        _raise_problems(name, problems)
    return params


def _user_parameter(old: Parameter, item: Any, path: Path | str) -> tuple[Parameter, list[str]]:
    """``old`` with the value ``item`` a user's file gives it, and the problems found."""
    key = old.key
    source, note, problems = f"user scenario {path}", old.note, []
    takes_table = isinstance(old.value, Mapping) or old.kind == "number or year series"
    is_table_form = isinstance(item, Mapping) and (
        "value" in item or not takes_table or (bool(item) and set(item) <= PARAMETER_FIELDS))
    if is_table_form:
        extra = sorted(set(item) - PARAMETER_FIELDS)
        if "value" not in item:
            fields = ", ".join(map(str, item)) or "nothing"
            problems.append(f"{key} is a table without value (it has {fields}); write "
                            f"value = … in [{key}], or {key.rsplit('.', 1)[1]} = … in "
                            f"[{key.rsplit('.', 1)[0]}].")
        elif extra:
            problems.append(f"{key} has unknown field(s) {', '.join(extra)}; a scenario file "
                            "may give value, source and note.")
        declared = {"unit": old.unit, "type": old.kind,
                    "range": list(old.range) if old.range else None}
        for name, own in declared.items():
            if name in item and item[name] != own:
                problems.append(f"{key}: {name} is heatplan's declaration ({fmt(own)}) and "
                                f"cannot be changed in a scenario file; remove the {name} line.")
        value = item.get("value", old.value)
        source, note = str(item.get("source", source)), str(item.get("note", note))
    else:
        value = item
    value, own = check_value(old, value)
    return replace(old, value=value, source=source, note=note), problems + own


def load_scenario(*paths: Path | str) -> Scenario:
    """Return the default scenario overridden by each TOML file in ``paths``, in order.

    Every value is checked against its default's type and its declared range (see
    :mod:`heatplan.core.scenario_check`), then the rules between keys are checked.

    Raises
    ------
    ScenarioError
        If a file is missing, not TOML, sets a parameter the scenario does not have, or sets a
        value of the wrong type or outside its range, or the years do not fit together. The
        message lists every problem of a file, each with the key, value, range and file.
    """
    params = _defaults()
    for path in paths:
        problems = []
        for key, item in _user_items(_read_toml(path), params):
            if key not in params:
                close = difflib.get_close_matches(key, list(params), n=3)
                hint = f" Did you mean {', '.join(close)}?" if close else ""
                problems.append(f"unknown parameter {key!r}.{hint}")
                continue
            params[key], own = _user_parameter(params[key], item, path)
            problems += own
        _raise_problems(f"Scenario file {path}", problems)
    files_text = ", ".join(str(p) for p in paths) or "the default scenario"
    _raise_problems(files_text, check_rules(params))
    return Scenario(params, tuple(str(p) for p in paths))
