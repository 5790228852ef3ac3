"""The helper the runner and solutions call: valid output, atomic writes, no heavy imports."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from leaderboard.submission import config_hash, write_submission
from leaderboard.validate import validate_file
from tests.leaderboard.conftest import KNOWN_IDS, make_submission

REPO = Path(__file__).resolve().parents[2]


def test_written_file_validates_and_no_temp_file_is_left(tmp_path):
    path = write_submission(tmp_path / "sub" / "a.json", make_submission())
    assert validate_file(path, KNOWN_IDS).ok
    assert [p.name for p in path.parent.iterdir()] == ["a.json"]


def test_the_mean_curve_is_derived_from_the_per_peer_returns():
    seed = make_submission(n_peers=3)["evaluations"][0]["seeds"][1]
    for (steps, mean), row in zip(seed["curve"], seed["per_peer_curve"]):
        assert mean == sum(row) / 3 and steps % 1000 == 0


def test_an_invalid_submission_is_refused_with_every_problem_and_nothing_is_written(tmp_path):
    data = make_submission()
    data["preset"]["name"] = "huge"
    data["hardware"] = ""
    with pytest.raises(ValueError) as err:
        write_submission(tmp_path / "a.json", data)
    assert "$.preset.name" in str(err.value) and "$.hardware" in str(err.value)
    assert not list(tmp_path.iterdir())


def test_nan_is_refused(tmp_path):
    data = make_submission()
    data["evaluations"][0]["seeds"][0]["final_returns"][0] = math.nan
    with pytest.raises(ValueError, match="finite"):
        write_submission(tmp_path / "a.json", data)


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    path = write_submission(tmp_path / "a.json", make_submission(name="first"))
    with pytest.raises(ValueError):
        write_submission(path, {"schema_version": 1})
    assert json.loads(path.read_text())["method"]["name"] == "first"


def test_equal_configs_hash_equal_regardless_of_key_order():
    assert config_hash({"a": 1, "b": [2]}) == config_hash({"b": [2], "a": 1})
    assert config_hash({"a": 1}) != config_hash({"a": 2})


def test_the_helper_imports_neither_torch_nor_tianshou():
    code = (
        "import sys, leaderboard.submission as s; s.write_submission; "
        "heavy = ('torch', 'tianshou', 'matplotlib', 'rliable'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


def benchmark_record(seed: int) -> dict:
    """A seed record as ``benchmarks.methods`` and ``baselines.social.results`` produce it."""
    return {
        "seed": seed,
        "curve": [[0, 0.5], [256, 1.0], [512, 1.5]],  # the smoke preset's social budget
        "per_peer_curve": [[0.0, 1.0], [0.5, 1.5], [1.0, 2.0]],
        "final_returns": [1.5],
        "n_peers": 2,
        "evaluations": [
            {"eval_env_id": "goal_cycle_v0", "experts_present": True, "returns": [9.0]},
            {"eval_env_id": "maze_v0", "experts_present": False, "returns": [1.0]},
        ],
        "wall_time_s": 2.0,
        "versions": {
            "peerzoo": "0.1.0",
            "pettingzoo": "1.27.0",
            "gymnasium": "1.4.0",
            "mujoco": "4.0.0",
            "tianshou": "absent",
            "torch": "2.13.0",
            "numpy": "2.4.6",
            "python": "3.11.9",
        },
        "hardware": "x86_64, 2 cores",
        "config_hash": "abcdef0123456789",
    }


def test_benchmark_seed_records_convert_to_a_valid_submission(tmp_path):
    from leaderboard.submission import from_seed_records

    sub = from_seed_records(
        method_name="solo PPO",
        method_description="recurrent PPO, no experts",
        train_env_id="goal_cycle_v0",
        preset_name="smoke",
        env_steps_per_peer=512,
        n_peers=2,
        seed_records=[benchmark_record(0), benchmark_record(1)],
        train_experts_present=True,
    )
    path = write_submission(tmp_path / "solo.json", sub)
    assert validate_file(path, KNOWN_IDS).ok
    keys = [(e["eval_env_id"], e["experts_present"]) for e in sub["evaluations"]]
    assert keys == [("goal_cycle_v0", True), ("maze_v0", False)]  # the curve-bearing one first
    assert "curve" in sub["evaluations"][0]["seeds"][0]
    assert "curve" not in sub["evaluations"][1]["seeds"][0]
    assert sub["wall_time_s"] == 4.0 and sub["config_hash"] == "abcdef0123456789"


def test_seeds_with_different_configs_are_refused():
    from leaderboard.submission import from_seed_records

    other = {**benchmark_record(1), "config_hash": "ffffffff"}
    with pytest.raises(ValueError, match="different configs"):
        from_seed_records(
            method_name="m",
            method_description="d",
            train_env_id="goal_cycle_v0",
            preset_name="smoke",
            env_steps_per_peer=512,
            n_peers=2,
            seed_records=[benchmark_record(0), other],
        )
