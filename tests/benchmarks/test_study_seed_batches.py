"""``run_all.py --study NAME --batch-seeds S``: MuJoCo peer rows train their seeds in batches."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import pytest

from benchmarks import run_all
from benchmarks.execution import SeedBatch
from benchmarks.store import Job
from benchmarks.studies import STUDIES, Study
from benchmarks.studies.cli import seed_batches

HOPPER_STUDY = Study(
    name="hopper_batch_test",
    title="batched seeds",
    measures="the seed-batch path",
    envs=("peer_hopper_v0",),
    rows=("peer",),
    seeds=(0, 1),
    budget="smoke",
    fewer_seeds_reason="a test",
)


def _args(**changes: object) -> argparse.Namespace:
    return argparse.Namespace(**{"batch_seeds": 2, "ray": None, "track": False, **changes})


def test_each_mujoco_peer_row_batches_its_seeds_and_every_other_job_stays_a_job():
    jobs = [
        *(Job("short", "peer_hopper_v0", "peer", s) for s in range(5)),
        *(Job("short", "peer_hopper_v0", "single", s) for s in range(2)),
        *(Job("short", "peer_room_v0", "peer", s) for s in range(2)),  # DQN: not batched
        Job("short", "goal_cycle_v0", "fast_social_ppo_aux", 0),  # social: not batched
    ]
    units = seed_batches(jobs, _args(batch_seeds=2))
    batches = [[job.seed for job in u.jobs] for u in units if isinstance(u, SeedBatch)]
    assert batches == [[0, 1], [2, 3], [0, 1]]
    single = [u for u in units if isinstance(u, Job)]
    assert [(j.env_id, j.method, j.seed) for j in single] == [
        ("peer_room_v0", "peer", 0),
        ("peer_room_v0", "peer", 1),
        ("goal_cycle_v0", "fast_social_ppo_aux", 0),
        ("peer_hopper_v0", "peer", 4),  # a lone seed stays a job
    ]
    assert seed_batches(jobs, _args(batch_seeds=None)) == jobs


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"batch_seeds": 0}, "batch size ≥ 1"),
        ({"ray": "auto"}, "without --track or --ray"),
        ({"track": True}, "without --track or --ray"),
    ],
)
def test_what_cannot_batch_is_refused_before_any_job_starts(changes, message):
    with pytest.raises(SystemExit, match=message):
        seed_batches([Job("short", "peer_hopper_v0", "peer", 0)], _args(**changes))


def test_batch_seeds_needs_a_study():
    with pytest.raises(SystemExit, match="--batch-seeds needs --study NAME"):
        run_all.run(["--batch-seeds", "2"])


def test_a_batched_study_writes_one_record_per_seed_naming_its_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from benchmarks.studies import rows
    from leaderboard.known_ids import known_env_ids
    from leaderboard.validate import validate_file

    monkeypatch.setitem(STUDIES, HOPPER_STUDY.name, HOPPER_STUDY)
    full_size = rows.row_config

    def small(*args: object) -> object:  # the smoke row with tiny nets and short episodes
        config = full_size(*args)
        kwargs = {**config.task_kwargs, "max_episode_steps": 40}
        return dataclasses.replace(
            config, n_peers=2, hidden_sizes=(16, 16), batch_size=16, task_kwargs=kwargs
        )

    monkeypatch.setattr(rows, "row_config", small)
    args = [
        "--study",
        HOPPER_STUDY.name,
        "--results",
        str(tmp_path / "results"),
        "--leaderboard-dir",
        str(tmp_path / "board"),
        "--docs-dir",
        str(tmp_path / "docs"),
        "--workers",
        "1",
        "--batch-seeds",
        "2",
    ]
    assert run_all.run(args) == 0
    out = capsys.readouterr().out
    assert "2 job(s) (1 seed batch(es)) to run" in out
    assert out.count("ok   ") == 2
    folder = tmp_path / "board" / "records" / "smoke" / "peer_hopper_v0" / "peer"
    records = {s: json.loads((folder / f"seed{s}.json").read_text()) for s in (0, 1)}
    assert records[0]["seed_batch"] == records[1]["seed_batch"] == [0, 1]
    assert [r["seed"] for r in records.values()] == [0, 1]
    assert records[0]["n_peers"] == 2
    assert records[0]["final_returns"] != records[1]["final_returns"]  # two seeds, not one
    assert not any((tmp_path / "results" / "checkpoints").rglob("*.pt")), "checkpoints go"
    submission = tmp_path / "board" / "submissions" / "peer__peer_hopper_v0__smoke.json"
    report = validate_file(submission, known_env_ids())
    assert report.ok, report.errors


def test_the_estimate_prices_each_seed_batch_as_a_batch():
    from benchmarks.methods import MethodSpec
    from benchmarks.studies.estimate import estimate, format_estimate
    from benchmarks.studies.rows import RowTiming

    jobs = [Job("short", "peer_hopper_v0", "peer", s) for s in range(5)]
    jobs.append(Job("short", "peer_room_v0", "peer", 0))
    asked = []

    def timer(method: MethodSpec, env_id: str, budget: object, seeds: int) -> RowTiming:
        asked.append((env_id, seeds))
        return RowTiming(0.01 * seeds, 1.0, 0.0, 1000, 4 * seeds, seeds)

    methods = {"peer": MethodSpec("peer", "baselines.peer.cli:run_peer", ("mujoco", "room"))}
    costs = estimate(seed_batches(jobs, _args(batch_seeds=2)), methods, timer, progress=print)

    assert sorted(asked) == [("peer_hopper_v0", 1), ("peer_hopper_v0", 2), ("peer_room_v0", 1)]
    by_kind = {(c.env_id, c.seeds_per_job): c.jobs for c in costs}
    assert by_kind == {("peer_hopper_v0", 2): 2, ("peer_hopper_v0", 1): 1, ("peer_room_v0", 1): 1}
    table = format_estimate("hopper", costs, workers=2)
    assert "| peer_hopper_v0 | peer | 2 | 2 |" in table and "whole batch's" in table


def test_a_timed_seed_batch_covers_all_its_seeds(monkeypatch: pytest.MonkeyPatch):
    from benchmarks.presets import PRESETS
    from benchmarks.studies import rows

    full_size = rows.row_config

    def small(*args: object) -> object:
        config = full_size(*args)
        return dataclasses.replace(config, n_peers=2, hidden_sizes=(16, 16), batch_size=16)

    monkeypatch.setattr(rows, "row_config", small)
    budget = PRESETS["smoke"].budget("peer_hopper_v0")
    timing = rows.time_row("peer", "peer_hopper_v0", budget, probe_steps=8, seeds=2)
    assert timing.seeds == 2 and timing.n_evaluated_peers == 4
    assert timing.seconds_per_step > 0 and timing.seconds_per_eval_episode > 0
