"""What goes where on the board: the grouping both renderers share.

``LEADERBOARD.md`` mirrors the site, so the sections, their order and the order
of rows inside them are decided once, here.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.presets import PRESETS, env_family
from leaderboard.scoring import EntryScore

FAMILY_ORDER = {"mujoco": 0, "room": 1, "social": 2}
PRESET_ORDER = {name: i for i, name in enumerate(PRESETS)}


@dataclass
class Table:
    """The entries of one (env, preset), ranked ones first by rank."""

    env_id: str
    preset: str
    entries: list[EntryScore]


@dataclass
class EnvSection:
    env_id: str
    tables: list[Table]


def _row_order(e: EntryScore) -> tuple:
    return (e.rank is None, e.rank or 0, -(e.iqm or 0.0), e.method_name, e.file_name)


def env_sections(entries: list[EntryScore], smoke: bool) -> list[EnvSection]:
    """One section per env (peer tasks, then social), one table per preset inside."""
    chosen = [e for e in entries if e.is_smoke == smoke]
    sections = []
    envs = sorted(
        {e.train_env_id for e in chosen},
        key=lambda env: (FAMILY_ORDER.get(env_family(env), 9), env),
    )
    for env_id in envs:
        here = [e for e in chosen if e.train_env_id == env_id]
        presets = sorted({e.preset_name for e in here}, key=lambda p: PRESET_ORDER.get(p, 99))
        tables = [
            Table(env_id, p, sorted((e for e in here if e.preset_name == p), key=_row_order))
            for p in presets
        ]
        sections.append(EnvSection(env_id, tables))
    return sections


def methods(entries: list[EntryScore]) -> dict[str, list[EntryScore]]:
    """Method name -> its entries (every env and preset it ran), in a stable order."""
    by_method: dict[str, list[EntryScore]] = {}
    for entry in sorted(
        entries, key=lambda e: (e.method_name, PRESET_ORDER.get(e.preset_name, 99), e.train_env_id)
    ):
        by_method.setdefault(entry.method_name, []).append(entry)
    return dict(sorted(by_method.items()))


def unranked_lines(entries: list[EntryScore]) -> list[tuple[str, list[str]]]:
    """(reason, method names) for the unranked entries of a table, one line per reason."""
    lines: dict[str, list[str]] = {}
    for entry in entries:
        if not entry.ranked:
            lines.setdefault(entry.unranked_reason or "", []).append(entry.method_name)
    return list(lines.items())


def ci_text(point: float | None, ci: tuple[float, float] | None, digits: int = 2) -> str:
    """``0.93 [0.81, 1.02]`` or ``–``."""
    if point is None or ci is None:
        return "–"
    return f"{point:.{digits}f} [{ci[0]:.{digits}f}, {ci[1]:.{digits}f}]"


def optional(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def rank_text(entry: EntryScore) -> str:
    """``2`` or ``2=`` when statistically tied with another entry, ``–`` when unranked."""
    if entry.rank is None:
        return "–"
    return f"{entry.rank}=" if entry.tied_with else str(entry.rank)


def tied_text(entry: EntryScore) -> str:
    return ", ".join(f"#{r}" for r in entry.tied_with) or "–"
