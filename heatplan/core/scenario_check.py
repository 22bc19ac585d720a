"""Checks of scenario values: type, plausible range, year series, and the rules between keys.

Each default parameter in ``heatplan/scenario/*.toml`` declares its value, unit and source, and
may declare ``range = [min, max]`` (inclusive) and ``type``. Without ``type``, the type is the
default's own TOML type:

=====================  =====================================================================
type                   accepted values
=====================  =====================================================================
true/false             ``true`` or ``false``
integer                a whole number (``2030``; ``2030.0`` is read as 2030)
number                 any number
text                   a string
date                   an ISO date, ``2026-01-01`` (quoted, or a TOML date)
year series            a table of numbers keyed by year, ``{ 2023 = 0.187, 2030 = 0.047 }``
number or year series  either of the two (read with ``Scenario.by_year``)
list of numbers        a non-empty list of numbers
list                   a list of the default's kind of items
table                  a table like the default: the same keys (or any whole-number keys,
                       where the default's keys are numbers such as phases or BBR codes),
                       each value like the default's values
=====================  =====================================================================

The range applies to the value, to every value of a year series, and to every number of a list
or table. :func:`check_value` checks one value against its default; :func:`check_rules` the
rules between keys (years in order, year series covering the plan's years, known classes).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heatplan.core.scenario import Parameter

KINDS: tuple[str, ...] = (
    "true/false", "integer", "number", "text", "date", "year series", "number or year series",
    "list of numbers", "list", "table",
)
"""The value types a scenario parameter can declare with ``type``."""

SERIES_YEARS = (1800, 2200)
"""Keys of a year series are years in this span (inclusive)."""

_SHOWN = 60
"""Longest value text quoted in a message."""


def is_number(value: object) -> bool:
    """True for an int or float that is not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def fmt(value: object) -> str:
    """A value as a message shows it (``2030``, ``0.035``, ``'abc'``, ``{2030 = 0.05}``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, Mapping):
        text = "{" + ", ".join(f"{k} = {fmt(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(fmt(v) for v in value) + "]"
    elif isinstance(value, str):
        text = repr(value)
    else:
        text = str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _is_year_key(key: object) -> bool:
    text = str(key).strip()
    return text.isdigit() and SERIES_YEARS[0] <= int(text) <= SERIES_YEARS[1]


def is_year_series(value: object) -> bool:
    """True for a non-empty table of numbers keyed by years."""
    return (isinstance(value, Mapping) and bool(value)
            and all(_is_year_key(k) for k in value) and all(is_number(v) for v in value.values()))


def infer_kind(value: object) -> str:
    """The type of a default value (see the module docstring)."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list):
        return "list of numbers" if value and all(is_number(v) for v in value) else "list"
    if isinstance(value, Mapping):
        return "year series" if is_year_series(value) else "table"
    return "text"


def numbers_in(value: object, where: str = "") -> Iterator[tuple[str, float]]:
    """Every number inside ``value`` with where it is (``""``, ``"2030"``, ``"1[0]"``)."""
    if is_number(value):
        yield where, value  # type: ignore[misc]
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from numbers_in(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from numbers_in(v, f"{where}[{i}]")


def check_declaration(param: Parameter) -> list[str]:
    """Problems of a default parameter's own declaration: its type, range and value."""
    problems = []
    if param.kind not in KINDS:
        problems.append(f"{param.key}: type {param.kind!r} is not one of {', '.join(KINDS)}.")
        return problems
    if param.range is not None:
        low, high = param.range
        if param.kind in ("true/false", "text", "date") or not (low <= high):
            problems.append(f"{param.key}: range {fmt(list(param.range))} must be [min, max] "
                            f"with min ≤ max, for a {param.kind} parameter of numbers.")
            return problems
    _, own = check_value(param, param.value)
    return problems + own


def parse_range(raw: object, key: str) -> tuple[float, float] | str | None:
    """``[min, max]`` as a tuple; ``None`` when not given; a problem text when malformed."""
    if raw is None:
        return None
    if (isinstance(raw, list) and len(raw) == 2 and all(is_number(v) for v in raw)):
        return (raw[0], raw[1])
    return f"{key}: range = {fmt(raw)} must be two numbers, [min, max]."


def check_value(param: Parameter, value: Any) -> tuple[Any, list[str]]:
    """Check ``value`` for the parameter ``param`` (its default gives type and shape).

    Returns
    -------
    value, problems
        The value, normalised (a whole float as an int, a TOML date as ISO text), and the
        problems found; each names the key, the value and what is expected.
    """
    value, problems = _check_kind(param.key, param.kind, param.value, value, param.unit)
    if problems or param.range is None:
        return value, problems
    low, high = param.range
    unit = f" {param.unit}" if param.unit else ""
    series = is_year_series(value)
    for where, number in numbers_in(value):
        if not low <= number <= high:
            if not where:
                name = f"{param.key} = {fmt(number)}"
            elif series:
                name = f"{param.key} = {fmt(number)} for {where}"
            else:
                name = f"{param.key}{'' if where.startswith('[') else '.'}{where} = {fmt(number)}"
            problems.append(
                f"{name} is outside its range {fmt(low)} to {fmt(high)} "
                f"({unit.strip() or 'no unit'}). Give a value from {fmt(low)} to {fmt(high)}."
            )
    return value, problems


def _expected(kind: str, unit: str) -> str:
    examples = {
        "true/false": "true or false", "integer": "a whole number", "number": "a number",
        "text": "text in quotes", "date": 'an ISO date such as "2026-01-01"',
        "year series": "a table of numbers by year, such as { 2024 = 0.1, 2030 = 0.05 }",
        "number or year series": "a number or a table of numbers by year",
        "list of numbers": "a list of numbers such as [0.6, 0.8]", "list": "a list",
        "table": "a table",
    }
    return examples[kind] + (f" ({unit})" if unit and kind in ("integer", "number") else "")


def _check_kind(key: str, kind: str, default: Any, value: Any, unit: str = ""
                ) -> tuple[Any, list[str]]:
    """Check the type of ``value`` against ``kind`` (and the default's shape)."""
    wrong = [f"{key} = {fmt(value)} is not {_expected(kind, unit)}."]
    if kind == "true/false":
        return value, [] if isinstance(value, bool) else wrong
    if kind == "integer":
        if isinstance(value, float) and value.is_integer():
            return int(value), []
        return value, [] if isinstance(value, int) and not isinstance(value, bool) else wrong
    if kind == "number":
        return value, [] if is_number(value) else wrong
    if kind == "text":
        return value, [] if isinstance(value, str) else wrong
    if kind == "date":
        return _check_date(value, wrong)
    if kind == "year series":
        return value, _check_series(key, value)
    if kind == "number or year series":
        if is_number(value):
            return value, []
        return value, _check_series(key, value) if isinstance(value, Mapping) else wrong
    if kind in ("list of numbers", "list"):
        return value, _check_list(key, kind, default, value, wrong)
    return _check_table(key, default, value, wrong)


def _check_date(value: Any, wrong: list[str]) -> tuple[Any, list[str]]:
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), []
    if isinstance(value, dt.date):
        return value.isoformat(), []
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat(), []
        except ValueError:
            return value, wrong
    return value, wrong


def _check_series(key: str, value: Any) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{key} = {fmt(value)} is not {_expected('year series', '')}."]
    if not value:
        return [f"{key} is an empty year series. Give at least one year and value, such as "
                "{ 2024 = 0.1 }."]
    bad_years = [k for k in value if not _is_year_key(k)]
    bad_values = {k: v for k, v in value.items() if not is_number(v)}
    problems = []
    if bad_years:
        verb = "is" if len(bad_years) == 1 else "are"
        problems.append(f"{key}: {', '.join(map(fmt, bad_years))} {verb} not a year "
                        f"({SERIES_YEARS[0]}–{SERIES_YEARS[1]}); a year series is keyed by "
                        "years.")
    if bad_values:
        problems.append(f"{key}: the value for {', '.join(map(str, bad_values))} "
                        f"({', '.join(map(fmt, bad_values.values()))}) is not a number.")
    return problems


def _check_list(key: str, kind: str, default: Any, value: Any, wrong: list[str]) -> list[str]:
    if not isinstance(value, list):
        return wrong
    if kind == "list of numbers":
        if not value:
            return [f"{key} is an empty list; give at least one number."]
        bad = [v for v in value if not is_number(v)]
        return ([f"{key}: {', '.join(map(fmt, bad))} in {fmt(value)} is not a number."]
                if bad else [])
    types = {type(v) for v in default}
    bad = [v for v in value if types and type(v) not in types]
    if bad:
        return [f"{key}: {', '.join(map(fmt, bad))} in {fmt(value)} is not "
                f"{' or '.join(infer_kind(t()) for t in types)} like the default {fmt(default)}."]
    return []


def _check_table(key: str, default: Any, value: Any, wrong: list[str]) -> tuple[Any, list[str]]:
    if not isinstance(value, Mapping):
        return value, wrong
    if not default:  # an open table (empty by default): any keys, its user checks the entries
        return value, []
    if not value:
        return value, [f"{key} is an empty table; give at least one entry like the default "
                       f"{fmt(default)}."]
    problems = []
    numeric_keys = all(str(k).strip().isdigit() for k in default)
    if numeric_keys:
        odd = [k for k in value if not str(k).strip().isdigit()]
        if odd:
            problems.append(f"{key}: the key(s) {', '.join(map(fmt, odd))} must be whole "
                            f"numbers, as in the default {fmt(default)}.")
    else:
        missing = [k for k in default if k not in value]
        unknown = [k for k in value if k not in default]
        if missing:
            problems.append(f"{key} lacks {', '.join(map(str, missing))}; give every one of "
                            f"{', '.join(map(str, default))}.")
        for k in unknown:
            close = difflib.get_close_matches(str(k), [str(d) for d in default], n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            problems.append(f"{key} has no entry {k!r} (it has {', '.join(map(str, default))})."
                            f"{hint}")
    kinds = {infer_kind(v) for v in default.values()}
    if len(kinds) == 1:
        inner = kinds.pop()
        inner = "number" if inner == "integer" else inner  # 120.5 kWh/m² is fine in a table
        sample = next(iter(default.values()))
        lengths = {len(v) for v in default.values() if isinstance(v, list)}
        size = next(iter(lengths)) if len(lengths) == 1 else None
        checked = {}
        for k, v in value.items():
            v, own = _check_kind(f"{key}.{k}", inner, sample, v)
            if not own and size is not None and isinstance(v, list) and len(v) != size:
                own = [f"{key}.{k} = {fmt(v)} must have {size} numbers, as in the default "
                       f"{fmt(sample)}."]
            problems += own
            checked[k] = v
        value = checked
    return value, problems


def check_rules(params: Mapping[str, Parameter]) -> list[str]:
    """Problems with the rules between keys; each names the keys and their values."""
    value = {k: p.value for k, p in params.items()}
    problems = []
    years = ("general.base_year", "general.target_year", "general.horizon_end_year")
    if all(k in value for k in years):
        base, target, end = (value[k] for k in years)
        if not base <= target <= end:
            problems.append(
                f"general.base_year ({base}) ≤ general.target_year ({target}) ≤ "
                f"general.horizon_end_year ({end}) must hold. Change the years so that they do.")
    phasing = ("phasing.first_year", "phasing.end_year")
    if all(k in value for k in phasing):
        first, last = (value[k] for k in phasing)
        if not first <= last:
            problems.append(
                f"phasing.first_year ({first}) ≤ phasing.end_year ({last}) must hold. Change "
                "the years so that they do.")
    problems += _window_rules(value)
    problems += _series_rules(params)
    problems += _class_rules(value)
    return problems


def _window_rules(value: Mapping[str, Any]) -> list[str]:
    windows = value.get("phasing.phase_windows")
    if not isinstance(windows, Mapping):
        return []
    problems = []
    for phase, window in windows.items():
        if not str(phase).strip().isdigit() or int(phase) < 1:
            problems.append(f"phasing.phase_windows: phase {phase!r} must be a number from 1.")
        if (isinstance(window, list) and len(window) == 2 and all(map(is_number, window))
                and window[0] > window[1]):
            problems.append(f"phasing.phase_windows: the window of phase {phase}, "
                            f"{fmt(window)}, ends before it starts; write [first, last].")
    return problems


def _series_rules(params: Mapping[str, Parameter]) -> list[str]:
    """Year series must reach back to the plan's first year and on to its target year."""
    value = {k: p.value for k, p in params.items()}
    if not all(k in value for k in ("general.base_year", "general.target_year")):
        return []
    first = min(value["general.base_year"], value.get("phasing.first_year",
                                                      value["general.base_year"]))
    target = value["general.target_year"]
    problems = []
    for key, param in sorted(params.items()):
        if param.kind not in ("year series", "number or year series"):
            continue
        if not is_year_series(param.value):
            continue
        years = sorted(int(k) for k in param.value)
        if years[0] > first or years[-1] < target:
            problems.append(
                f"{key} covers {years[0]}–{years[-1]}, but the plan's years run from {first} "
                f"(general.base_year / phasing.first_year) to at least {target} "
                f"(general.target_year). Give values for {first} or earlier and for {target} or "
                "later; beyond the last year its value is held.")
    return problems


def _class_rules(value: Mapping[str, Any]) -> list[str]:
    from heatplan.core.schema import LABEL_CLASSES

    problems = []
    for key in ("renovation.target_class", "renovation.class_without_label"):
        if key in value and value[key] not in LABEL_CLASSES:
            problems.append(f"{key} = {fmt(value[key])} is not an energy-label class; use one "
                            f"of {', '.join(LABEL_CLASSES)}.")
    use_class = value.get("demand.use_class")
    classes = {k.rsplit(".", 1)[1] for k in value if k.startswith("demand.specific_heat.")}
    if isinstance(use_class, Mapping) and classes:
        unknown = sorted({str(v) for v in use_class.values()} - classes)
        if unknown:
            problems.append(f"demand.use_class names use class(es) {', '.join(unknown)} that "
                            f"have no demand.specific_heat table (there are "
                            f"{', '.join(sorted(classes))}).")
    return problems
