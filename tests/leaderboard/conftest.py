"""Fixtures: submissions built in tmp dirs with the real helper, and a tmp leaderboard folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from leaderboard.budgets import env_budget
from leaderboard.submission import Evaluation, SeedResult, build_submission

KNOWN_IDS = {
    "peer_room_v0",
    "peer_room_adversarial_v0",
    "peer_hopper_v0",
    "goal_cycle_v0",
    "maze_v0",
}
VERSIONS = {
    "peerzoo": "0.1.0",
    "pettingzoo": "1.27.0",
    "gymnasium": "1.4.0",
    "mujoco": "4.0.0",
    "tianshou": "2.0.1",
    "torch": "2.13.0",
    "numpy": "2.4.6",
    "python": "3.11.9",
}
# Measured random returns of the fixtures' envs (maze_v0 has none).
RANDOM = {
    "peer_room_v0": 0.0,
    "peer_room_adversarial_v0": 0.0,
    "peer_hopper_v0": 0.0,
    "goal_cycle_v0": 0.0,
}
CONSTANTS = {"envs": {env: {"random": {"value": v, "source": "test"}} for env, v in RANDOM.items()}}


def make_submission(
    name: str = "peer SAC",
    env_id: str = "peer_room_v0",
    preset: str = "short",
    n_seeds: int | None = None,
    level: float = 10.0,
    n_peers: int = 2,
    evals: tuple[tuple[str, bool], ...] | None = None,
    spread: float = 1.0,
) -> dict[str, Any]:
    """A valid submission on the preset's budget whose seed s ends at ``level + spread * s``.

    Curves rise linearly to that value over the preset's evaluation points; the
    seeds are the preset's (or the first ``n_seeds`` integers).
    """
    budget = env_budget(preset, env_id) or env_budget("short", env_id)
    assert budget is not None
    seed_ids = range(len(budget.seeds) if n_seeds is None else n_seeds)
    steps = budget.curve_steps()
    seeds = [
        SeedResult(
            seed=s,
            final_returns=[level + spread * s] * budget.eval_episodes,
            per_peer_curve=[
                (step, [(level + spread * s) * (k + 1) / len(steps)] * n_peers)
                for k, step in enumerate(steps)
            ],
        )
        for s in seed_ids
    ]
    evaluations = [Evaluation(e, x, seeds) for e, x in (evals or ((env_id, False),))]
    return build_submission(
        method_name=name,
        method_description="a test method",
        train_env_id=env_id,
        preset_name=preset,
        env_steps_per_peer=budget.steps_per_peer,
        n_peers=n_peers,
        evaluations=evaluations,
        hardware="test machine",
        wall_time_s=1.0,
        config={"name": name},
        versions=VERSIONS,
    )


@pytest.fixture
def submission() -> Callable[..., dict[str, Any]]:
    return make_submission


@pytest.fixture
def board(tmp_path: Path) -> Path:
    """A leaderboard folder inside ``tmp_path/outer`` (so writes outside it can be detected)."""
    root = tmp_path / "outer" / "leaderboard"
    (root / "submissions").mkdir(parents=True)
    (root / "constants").mkdir()
    (root / "constants" / "normalisation.json").write_text(json.dumps(CONSTANTS))
    return root


def put(board: Path, file_name: str, content: Any) -> Path:
    """Write ``content`` (a dict as JSON, or raw text) into the board's submissions folder."""
    path = board / "submissions" / file_name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path
