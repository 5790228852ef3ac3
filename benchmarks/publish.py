"""After a sweep: turn each (env, method)'s seed records into a submission and score them.

Submissions go through ``leaderboard.submission`` (the one writer of the
format, docs/design.md), so what the sweep writes is exactly what the leaderboard
validates; the board is then built with ``leaderboard.build`` and its Markdown
is what the sweep prints last.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.methods import MethodSpec
from benchmarks.presets import Preset


def submission_name(method: str, env_id: str, preset: str) -> str:
    """``METHOD__ENV__PRESET.json``: one file per entry, a name the leaderboard accepts."""
    return f"{method}__{env_id}__{preset}.json"


def write_submissions(
    grouped: dict[tuple[str, str], list[dict[str, Any]]],
    methods: dict[str, MethodSpec],
    preset: Preset,
    submissions_dir: Path,
) -> list[Path]:
    """One submission per (env, method) in which every seed of the preset has finished.

    A group that lacks one of the preset's seeds (a crash, a ``--seed`` filter)
    is left out rather than written as a smaller entry that would replace the
    full one; finished seeds beyond the preset's are included.
    """
    from leaderboard.submission import from_seed_records, write_submission

    written = []
    for (env_id, method), records in sorted(grouped.items()):
        if not set(preset.seeds) <= {record["seed"] for record in records}:
            continue
        spec = methods[method]
        submission = from_seed_records(
            method_name=method,
            method_description=spec.description or spec.entry_point,
            train_env_id=env_id,
            preset_name=preset.name,
            env_steps_per_peer=preset.budget(env_id).steps_per_peer,
            n_peers=int(records[0]["n_peers"]),
            seed_records=records,
            train_experts_present=bool(records[0].get("train_experts_present", False)),
        )
        path = submissions_dir / submission_name(method, env_id, preset.name)
        written.append(write_submission(path, submission))
    return written


def build_leaderboard(leaderboard_dir: Path, reps: int = 2000) -> str:
    """Score ``leaderboard_dir/submissions`` and return the rendered ``LEADERBOARD.md``."""
    from leaderboard.build import build

    leaderboard_dir.mkdir(parents=True, exist_ok=True)  # a sweep may not have written any entry
    result = build(leaderboard_dir, reps=reps)
    for name, errors in result.rejected:
        print(f"leaderboard rejected {name}: {errors[0]}")
    return result.markdown_path.read_text(encoding="utf-8")
