"""examples/: each runs in a sweep with --add-method, from a clone, without PYTHONPATH."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks import run_all

REPO = Path(__file__).resolve().parents[1]


def example(name: str):
    spec = importlib.util.spec_from_file_location(
        f"example_{name}", REPO / "examples" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


peer_dqn = example("peer_dqn")
TINY = dataclasses.replace(
    peer_dqn.CONFIG, hidden_sizes=(16,), batch_size=32, gradient_steps=1, buffer_size=2_000
)


def tiny_peer_dqn(env_id: str, seed: int, budget):
    """The peer DQN example with a tiny network and one update per 8 steps."""
    return peer_dqn.train(env_id, seed, budget, config=TINY)


tiny_peer_dqn.config = TINY


def test_random_advice_runs_from_its_file_path_without_pythonpath(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    command = [
        sys.executable,
        "benchmarks/run_all.py",
        "--add-method",
        "mine=examples/random_advice.py:run@room",
        "--method",
        "mine",
        "--env",
        "peer_room_v0",
        "--results",
        str(tmp_path),
        "--workers",
        "1",
        "--no-plots",
    ]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    submission = json.loads(
        (tmp_path / "leaderboard" / "submissions" / "mine__peer_room_v0__smoke.json").read_text()
    )
    assert submission["method"]["description"] == (
        "Random actions; at each act turn, follow a uniformly random adviser (self included)."
    )
    seeds = submission["evaluations"][0]["seeds"]
    assert [s["seed"] for s in seeds] == [0, 1]
    assert len(seeds[0]["final_returns"]) == 2, "the smoke preset's two Room episodes"


def test_peer_dqn_trains_in_a_sweep_and_its_config_is_recorded(tmp_path: Path) -> None:
    args = [
        "--add-method",
        "tiny=tests.test_examples:tiny_peer_dqn@room",
        "--method",
        "tiny",
        "--env",
        "peer_room_v0",
        "--seed",
        "0",
        "--results",
        str(tmp_path),
        "--workers",
        "1",
        "--no-plots",
    ]
    assert run_all.run(args) == 0
    record = json.loads((tmp_path / "runs/smoke/peer_room_v0/tiny/seed0.json").read_text())
    assert [point[0] for point in record["curve"]] == [500, 1000]
    assert record["n_peers"] == 2 and len(record["per_peer_curve"][0]) == 2
    assert record["config"]["hidden_sizes"] == [16]
    assert record["config"]["lr"] == 5e-4, "the paper's Room learning rate"


def test_peer_dqn_uses_only_peerzoo_numpy_and_torch() -> None:
    source = (REPO / "examples" / "peer_dqn.py").read_text()
    imported = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imported == {"dataclasses", "numpy", "torch", "peerzoo"}
