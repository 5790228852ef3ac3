"""The preset table of docs/benchmarks.md states the budgets that benchmarks/presets.py runs.

The table is written by hand; this keeps it from drifting when a budget
changes (it once kept Room's old `paper` budget after the preset moved on).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.presets import PRESETS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
FAMILY_NAMES = {"mujoco": "MuJoCo", "room": "Room", "social": "social"}


def _steps(n: int) -> str:
    """How the table writes a step count: 1M, 50k, or digits with a comma."""
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 10_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return f"{n:,}"


def _seeds(seeds: tuple[int, ...]) -> str:
    return ", ".join(map(str, seeds)) if len(seeds) <= 2 else f"{seeds[0]}–{seeds[-1]}"


def _row(preset: str) -> list[str]:
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| `{preset}` |"):
            return [cell.strip() for cell in line.strip("|").split("|")]
    raise AssertionError(f"docs/benchmarks.md has no row for the {preset!r} preset")


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_the_docs_preset_table_states_each_familys_budget_and_the_seeds(preset: str) -> None:
    _, budget, seeds, _ = _row(preset)
    expected = ", ".join(
        f"{FAMILY_NAMES[family]} {_steps(b.steps_per_peer)}"
        for family, b in PRESETS[preset].budgets.items()
    )
    assert budget.startswith(expected), (budget, expected)
    assert seeds == _seeds(PRESETS[preset].seeds)
