"""Results reach the benchmark sweep and the leaderboard in their formats."""

from __future__ import annotations

import json

from baselines.social.benchmark import RUNNERS
from baselines.social.results import seed_record
from benchmarks.methods import METHODS, SOCIAL_TRAIN_IDS, check_seed_record
from leaderboard.known_ids import known_env_ids
from leaderboard.submission import from_seed_records, write_submission
from leaderboard.validate import validate_file


def _record(seed: int) -> dict:
    evaluations = [
        {"eval_env_id": env, "experts_present": x, "returns": [1.0 + seed], "mean_return": 1.0}
        for env in ("goal_cycle_v0", "four_rooms_v0")
        for x in (True, False)
    ]
    return seed_record(
        curve=[[0, 0.0], [256, 0.5], [512, 1.0]],
        per_peer_curve=[[0.0], [0.5], [1.0]],
        final_returns=[1.0],
        n_peers=1,
        evaluations=evaluations,
        wall_time_s=1.5,
        config={"lr": 1e-4},
        config_hash="abcdef0123456789",
        seed=seed,
        train_experts_present=True,
    )


def test_seed_records_become_a_submission_the_leaderboard_accepts(tmp_path):
    records = [check_seed_record(_record(0)), check_seed_record(_record(1))]
    sub = from_seed_records(
        method_name="social_ppo_aux",
        method_description="d",
        train_env_id="goal_cycle_v0",
        preset_name="smoke",
        env_steps_per_peer=512,
        n_peers=1,
        seed_records=records,
        train_experts_present=True,
    )
    keys = [(e["eval_env_id"], e["experts_present"]) for e in sub["evaluations"]]
    assert keys[0] == ("goal_cycle_v0", True)  # the curve-bearing training evaluation first
    assert set(keys) == {(env, x) for env in ("goal_cycle_v0", "four_rooms_v0") for x in (1, 0)}
    transfer = next(e for e in sub["evaluations"] if e["eval_env_id"] == "four_rooms_v0")
    assert [s["final_returns"] for s in transfer["seeds"]] == [[1.0], [2.0]]
    assert {"torch", "tianshou", "numpy", "python"} <= set(sub["versions"])
    path = write_submission(tmp_path / "social_ppo_aux__goal_cycle_v0__smoke.json", sub)
    assert json.loads(path.read_text()) == sub
    report = validate_file(path, known_env_ids())
    assert report.ok, report.errors


def test_every_social_method_is_a_builtin_method_of_the_sweep():
    for name, runner in RUNNERS.items():
        spec = METHODS[name]
        assert spec.families == ("social",) and spec.env_ids == SOCIAL_TRAIN_IDS
        assert spec.load() is runner
