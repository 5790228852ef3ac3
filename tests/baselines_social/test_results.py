"""Results reach the benchmark sweep and the leaderboard in their formats."""

from __future__ import annotations

import json

from baselines.social.benchmark import RUNNERS, register_social_methods
from baselines.social.results import build_submission, seed_record, write_submission


def _record(seed: int) -> dict:
    evaluations = [
        {"eval_env_id": env, "experts_present": x, "returns": [1.0 + seed], "mean_return": 1.0}
        for env in ("goal_cycle_v0", "four_rooms_v0")
        for x in (True, False)
    ]
    return seed_record(
        curve=[[0, 0.0], [500, 1.0]],
        per_peer_curve=[[0.0], [1.0]],
        final_returns=[1.0],
        n_peers=1,
        evaluations=evaluations,
        wall_time_s=1.5,
        config={"lr": 1e-4},
        config_hash="abc",
        seed=seed,
    )


def test_a_submission_pools_seeds_per_eval_env_and_expert_presence(tmp_path):
    sub = build_submission(
        method="social_ppo_aux",
        description="d",
        train_env_id="goal_cycle_v0",
        preset={"name": "smoke", "steps_per_peer": 500},
        seed_records=[_record(0), _record(1)],
    )
    assert {(e["eval_env_id"], e["experts_present"]) for e in sub["evaluations"]} == {
        (env, x) for env in ("goal_cycle_v0", "four_rooms_v0") for x in (True, False)
    }
    assert all(e["returns"] == [1.0, 2.0] for e in sub["evaluations"])
    assert [s["seed"] for s in sub["seeds"]] == [0, 1]
    assert {"torch", "tianshou", "numpy", "python"} <= set(sub["seeds"][0]["versions"])
    path = write_submission(tmp_path / "s.json", sub)
    assert json.loads(path.read_text()) == sub


def test_every_social_method_is_registered_with_the_sweep(monkeypatch):
    from benchmarks import methods

    monkeypatch.setattr(methods, "METHODS", {})  # leave the real registry as it was
    register_social_methods()
    for name in RUNNERS:
        assert methods.METHODS[name].families == ("social",)
        assert callable(methods.METHODS[name].load())
