"""The package's shape: data flows one way, modules and functions stay small.

Stages in order (docs/architecture.md): core → io → (importers | validate) → model → plan →
outputs → pipeline → batch → cli. A module may import its own package and earlier stages only. The
synthetic sample is a generator beside the flow: it writes a dataset with io and uses the
model's meaning of the BBR heating codes, and no stage imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "heatplan"

STAGE_RANK = {
    "core": 0, "io": 1, "importers": 2, "validate": 2, "model": 3, "sample": 4, "plan": 5,
    "outputs": 6, "pipeline": 7, "batch": 8, "cli": 9,
}
"""Rank of each top-level part of ``heatplan``; ``heatplan/__init__.py`` is part of core."""

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
COHESIVE = "One cohesive algorithm:"
"""A longer function says so in its docstring, with this sentence."""


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _part(module: str) -> str:
    """``heatplan.plan.network.graph`` → ``plan``; ``heatplan`` itself → ``core``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "core"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("heatplan")]
        elif (isinstance(node, ast.ImportFrom) and node.module and node.level == 0
              and node.module.startswith("heatplan")):
            found.append((node.lineno, node.module))
    return found


def test_stage_ranks_cover_every_part_of_the_package():
    parts = {_part(_module_name(p)) for p in _modules()}
    assert parts <= set(STAGE_RANK), f"add {parts - set(STAGE_RANK)} to STAGE_RANK"


def test_no_module_imports_a_later_stage_or_a_sibling_stage():
    wrong = []
    for path in _modules():
        own = _part(_module_name(path))
        for line, target in _imports(path):
            other = _part(target)
            if other == own or target == "heatplan":
                continue
            if STAGE_RANK[other] >= STAGE_RANK[own]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert wrong == []


def test_the_import_checker_sees_a_backward_import(tmp_path):
    # the check above must be able to fail: an io module importing the sample is caught
    module = tmp_path / "layers.py"
    module.write_text("from heatplan.sample import is_synthetic\n", encoding="utf-8")
    (line, target), = _imports(module)
    assert (line, _part(target)) == (1, "sample")
    assert STAGE_RANK[_part(target)] >= STAGE_RANK["io"]


def test_no_module_is_over_the_size_limit():
    long = {str(p.relative_to(PACKAGE.parent)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            n = node.end_lineno - node.lineno + 1
            doc = ast.get_docstring(node) or ""
            if n > MAX_FUNCTION_LINES and COHESIVE not in " ".join(doc.split()):
                out.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} "
                           f"{node.name} ({n} lines)")
    return out


def test_long_functions_say_why():
    long = [f for p in _modules() for f in _long_functions(p)]
    assert long == [], f"split them, or say '{COHESIVE} …' in the docstring"
