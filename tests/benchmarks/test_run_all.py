"""The sweep runner: plan and filters, crash reports, atomic results, kill-and-resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks import run_all
from benchmarks.store import Job, ResultStore, write_json_atomic

REPO = Path(__file__).resolve().parents[2]
TOY = "toy=tests.benchmarks.toy_methods:counting"
CRASH = "crash=tests.benchmarks.toy_methods:crashing@room"


def sweep_args(results: Path, *extra: str, methods: tuple[str, ...] = ("toy",)) -> list[str]:
    """A sweep of the toy methods only (the built-in ones train real learners)."""
    only = [arg for name in methods for arg in ("--method", name)]
    return [
        "--add-method",
        TOY,
        *only,
        "--env",
        "peer_room_v0",
        "--env",
        "peer_hopper_v0",
        "--results",
        str(results),
        "--no-plots",
        *extra,
    ]


def stored(results: Path) -> dict[str, dict]:
    """Every stored result, without its wall time (the one field that may differ)."""
    out = {}
    for path in sorted((results / "runs").rglob("seed*.json")):
        if path.name.endswith(".error.json"):
            continue
        record = json.loads(path.read_text())
        record.pop("wall_time_s")
        out[str(path.relative_to(results))] = record
    return out


def test_plan_crosses_envs_methods_and_seeds_where_the_method_applies() -> None:
    args = run_all.parse_args(
        sweep_args(Path("unused"), "--add-method", CRASH, methods=("toy", "crash"))
    )
    envs, methods, seeds = run_all.select(args)
    jobs = run_all.plan("smoke", envs, {k: methods[k] for k in ("toy", "crash")}, seeds)
    labels = {job.label for job in jobs}
    assert labels == {
        "peer_room_v0/toy/seed0",
        "peer_room_v0/toy/seed1",
        "peer_room_v0/crash/seed0",
        "peer_room_v0/crash/seed1",
        "peer_hopper_v0/toy/seed0",
        "peer_hopper_v0/toy/seed1",
    }, "crash applies to the room family only"


def test_dry_run_prints_the_plan_and_runs_nothing(tmp_path: Path, capsys) -> None:
    assert run_all.run(sweep_args(tmp_path, "--seed", "3", "--dry-run")) == 0
    out = capsys.readouterr().out
    assert "todo  peer_room_v0/toy/seed3" in out and "2 jobs, 2 to run" in out
    assert not (tmp_path / "runs").exists()


def test_unknown_filters_name_the_valid_choices(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="registered"):
        run_all.run(["--env", "peer_hoppr_v0", "--results", str(tmp_path)])
    with pytest.raises(SystemExit, match="available"):
        run_all.run(["--method", "nope", "--results", str(tmp_path)])
    with pytest.raises(SystemExit, match="expected NAME=module:function"):
        run_all.run(["--add-method", "mine", "--results", str(tmp_path)])
    with pytest.raises(SystemExit, match="unknown families"):
        run_all.run(["--add-method", "mine=m:f@atari", "--results", str(tmp_path)])


def test_a_crashed_job_is_reported_and_the_others_finish(tmp_path: Path, capsys) -> None:
    code = run_all.run(
        sweep_args(tmp_path, "--add-method", CRASH, "--workers", "1", methods=("toy", "crash"))
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL peer_room_v0/crash/seed1" in out and "RuntimeError: toy crash" in out
    store = ResultStore(tmp_path)
    error = json.loads(store.error_path(Job("smoke", "peer_room_v0", "crash", 1)).read_text())
    assert "toy crash on peer_room_v0 seed 1" in error["traceback"]
    assert len(stored(tmp_path)) == 5
    assert "| peer_hopper_v0 | toy | 2 |" in out


def test_atomic_write_leaves_no_partial_file_when_serialisation_fails(tmp_path: Path) -> None:
    path = tmp_path / "a" / "seed0.json"
    write_json_atomic(path, {"ok": 1})
    with pytest.raises(ValueError):
        write_json_atomic(path, {"bad": float("nan")})
    assert json.loads(path.read_text()) == {"ok": 1}
    assert [p.name for p in path.parent.iterdir()] == ["seed0.json"]


def test_a_killed_sweep_resumes_and_matches_an_uninterrupted_one(tmp_path: Path) -> None:
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    seeds = ["--seed", "0", "--seed", "1", "--seed", "2", "--workers", "1"]
    command = [sys.executable, "benchmarks/run_all.py", *sweep_args(killed, *seeds)]
    env = {**os.environ, "TOY_SLEEP": "0.4"}
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while len(stored(killed) if (killed / "runs").exists() else {}) < 2:
        assert time.time() < deadline and process.poll() is None, "sweep did not start"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished_before = stored(killed)
    assert 2 <= len(finished_before) < 6, "killed mid-sweep"
    resumed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    assert f"6 jobs, {6 - len(finished_before)} to run" in resumed.stdout
    for label, record in finished_before.items():
        assert stored(killed)[label] == record, "finished results are kept, not redone"
    assert run_all.run(sweep_args(clean, *seeds)) == 0
    assert stored(killed) == stored(clean)


def test_a_sweep_writes_valid_submissions_and_ends_with_the_leaderboard(
    tmp_path: Path, capsys
) -> None:
    from leaderboard.known_ids import known_env_ids
    from leaderboard.validate import validate_file

    code = run_all.run(
        sweep_args(tmp_path, "--add-method", CRASH, "--workers", "1", methods=("toy", "crash"))
    )
    out = capsys.readouterr().out
    assert code == 1  # the crash is still reported
    submissions = tmp_path / "leaderboard" / "submissions"
    names = sorted(p.name for p in submissions.glob("*.json"))
    assert names == ["toy__peer_hopper_v0__smoke.json", "toy__peer_room_v0__smoke.json"], (
        "a group with a crashed seed gets no submission"
    )
    for path in submissions.glob("*.json"):
        report = validate_file(path, known_env_ids())
        assert report.ok, report.errors
        seeds = report.data["evaluations"][0]["seeds"]
        assert [s["seed"] for s in seeds] == [0, 1]
    assert out.rstrip().splitlines()[-1].strip(), "ends with the board"
    assert "# peerzoo leaderboard" in out and "| toy |" in out
    assert (tmp_path / "leaderboard" / "LEADERBOARD.md").exists()


def test_the_builtin_methods_cover_every_registered_env() -> None:
    """Peer methods on the peer tasks; social ones train on Goal Cycle (transfer is evaluated)."""
    import peerzoo
    from benchmarks.methods import METHODS

    jobs = run_all.plan("smoke", peerzoo.registry.registered_ids(), METHODS, [0])
    trained = {job.env_id for job in jobs}
    by_env: dict[str, set[str]] = {}
    for job in jobs:
        by_env.setdefault(job.env_id, set()).add(job.method)
    peer_methods = {"peer", "single", "single_nx", "shared_replay", "random_advice"}
    for env_id in ("peer_hopper_v0", "peer_ant_v0", "peer_room_v0", "peer_room_adversarial_v0"):
        assert peer_methods | {"early_advising"} == by_env[env_id]
    assert by_env["goal_cycle_v0"] == {
        "social_ppo_aux",
        "social_ppo_vanilla",
        "solo_ppo_aux",
        "mixed_ppo_aux",
        "bc",
    }
    assert "four_rooms_v0" not in trained and "maze_v0" not in trained
    for spec in METHODS.values():
        assert callable(spec.load()), spec.entry_point


def test_the_readme_states_the_smoke_sweeps_job_count() -> None:
    """The quick start's sweep is priced in jobs; a new env or method must update the README."""
    import peerzoo
    from benchmarks.methods import METHODS
    from benchmarks.presets import PRESETS

    seeds = PRESETS["smoke"].seeds
    jobs = run_all.plan("smoke", peerzoo.registry.registered_ids(), METHODS, seeds)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"local process pool ({len(jobs)} jobs," in readme


def test_a_seed_filtered_rerun_never_shrinks_a_submission(tmp_path: Path, capsys) -> None:
    submission = tmp_path / "leaderboard" / "submissions" / "toy__peer_room_v0__smoke.json"
    assert run_all.run(sweep_args(tmp_path, "--seed", "0", "--workers", "1")) == 0
    assert not submission.exists(), "seed 1 of the preset is missing: no entry yet"
    assert run_all.run(sweep_args(tmp_path, "--workers", "1")) == 0
    full = json.loads(submission.read_text())
    assert [s["seed"] for s in full["evaluations"][0]["seeds"]] == [0, 1]
    assert run_all.run(sweep_args(tmp_path, "--seed", "1", "--workers", "1")) == 0
    assert json.loads(submission.read_text())["evaluations"] == full["evaluations"]
    assert run_all.run(sweep_args(tmp_path, "--seed", "2", "--workers", "1")) == 0
    seeds = json.loads(submission.read_text())["evaluations"][0]["seeds"]
    assert [s["seed"] for s in seeds] == [0, 1, 2], "an extra finished seed joins the entry"
