"""The layers of the project: envs at the bottom, baselines above them, benchmarks on top.

``peerzoo`` (the wheel) imports none of the repo-level folders nor torch/tianshou;
``baselines`` imports ``peerzoo`` and ``leaderboard`` (the submission format) but
never ``benchmarks``, which sits above it and calls into it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_top_levels(package: str) -> dict[str, set[str]]:
    """Each module file of ``package`` mapped to the top-level packages it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("peerzoo", {"baselines", "benchmarks", "leaderboard", "torch", "tianshou"}),
        ("baselines", {"benchmarks"}),
    ],
)
def test_a_layer_never_imports_the_layers_above_it(package: str, forbidden: set[str]) -> None:
    offending = {
        module: sorted(names & forbidden)
        for module, names in imported_top_levels(package).items()
        if names & forbidden
    }
    assert not offending, f"{package} must not import {sorted(forbidden)}: {offending}"
