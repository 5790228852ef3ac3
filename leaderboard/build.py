"""The build: read every submission, score the valid ones, render LEADERBOARD.md and the site.

Writes ``LEADERBOARD.md`` and ``site/`` (the results page, its plots, copies of
the entries and the marl-eval export ``site/marl_eval.json``).

A bad file never stops the build: it is listed as rejected with its first
problem. Only files directly inside the submissions folder, with plain safe
names and not symlinks, are read; outputs go to fixed names under the
leaderboard folder, so no submitted content decides where anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from leaderboard.across_tasks import PresetAggregate, aggregate_presets
from leaderboard.constants import CONSTANTS_PATH, LEADERBOARD_DIR, load_random_returns
from leaderboard.known_ids import known_env_ids
from leaderboard.marl_eval import write_marl_eval
from leaderboard.render_md import render_markdown
from leaderboard.render_site import render_site
from leaderboard.scoring import EntryScore, score_board, summarise_entry
from leaderboard.validate import validate_file

SAFE_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}\.json$")


@dataclass
class BuildResult:
    entries: list[EntryScore]
    rejected: list[tuple[str, list[str]]]
    aggregates: list[PresetAggregate]
    markdown_path: Path
    index_path: Path


def file_name_problem(path: Path) -> str | None:
    """Why a file in the submissions folder may not be read, or ``None``."""
    if not SAFE_FILE_NAME.match(path.name):
        return "file name must match [A-Za-z0-9][A-Za-z0-9._-]*.json (no path components)"
    if path.is_symlink():
        return "symlinks are not read (they could point outside the submissions folder)"
    if not path.is_file():
        return "not a regular file"
    return None


def score_submissions(
    submissions_dir: Path,
    constants_path: Path = CONSTANTS_PATH,
    known_ids: set[str] | None = None,
    reps: int = 2000,
) -> tuple[list[EntryScore], list[tuple[str, list[str]]], list[PresetAggregate]]:
    """Validate and score every file of ``submissions_dir``; nothing is written."""
    known = known_env_ids() if known_ids is None else known_ids
    entries: list[EntryScore] = []
    rejected: list[tuple[str, list[str]]] = []
    seen: dict[tuple[str, str, str], str] = {}
    candidates = sorted(submissions_dir.iterdir()) if submissions_dir.is_dir() else []
    for path in candidates:
        if path.name.startswith(".") or path.name in ("README.md", ".gitkeep"):
            continue
        problem = file_name_problem(path)
        if problem:
            rejected.append((path.name, [problem]))
            continue
        report = validate_file(path, known)
        if not report.ok:
            rejected.append((path.name, report.errors))
            continue
        data = report.data
        assert data is not None
        key = (data["method"]["name"], data["train_env_id"], data["preset"]["name"])
        if key in seen:
            rejected.append(
                (path.name, [f"duplicate of {seen[key]}: same method, train env and preset"])
            )
            continue
        seen[key] = path.name
        entries.append(summarise_entry(path.name, data))
    score_board(entries, load_random_returns(constants_path), reps=reps)
    return entries, rejected, aggregate_presets(entries, reps=reps)


def build(
    leaderboard_dir: Path = LEADERBOARD_DIR,
    constants_path: Path = CONSTANTS_PATH,
    known_ids: set[str] | None = None,
    reps: int = 2000,
) -> BuildResult:
    """Score ``leaderboard_dir/submissions/*`` into ``LEADERBOARD.md`` and ``site/``."""
    submissions_dir = leaderboard_dir / "submissions"
    entries, rejected, aggregates = score_submissions(
        submissions_dir, constants_path, known_ids, reps
    )
    markdown_path = leaderboard_dir / "LEADERBOARD.md"
    markdown_path.write_text(render_markdown(entries, rejected, aggregates), encoding="utf-8")
    site_dir = leaderboard_dir / "site"
    index = render_site(entries, rejected, aggregates, submissions_dir, site_dir)
    write_marl_eval(entries, site_dir / "marl_eval.json")
    return BuildResult(entries, rejected, aggregates, markdown_path, index)
