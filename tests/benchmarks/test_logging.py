"""Every sweep job gets a TensorBoard run directory; --track adds an offline W&B run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from benchmarks import run_all

TOY = "toy=tests.benchmarks.toy_methods:counting@room"


def args(results: Path, *extra: str) -> list[str]:
    return [
        "--add-method",
        TOY,
        "--method",
        "toy",
        "--env",
        "peer_room_v0",
        "--results",
        str(results),
        "--no-plots",
        *extra,
    ]


def scalars(run_dir: Path, tag: str) -> list[tuple[int, float]]:
    events = EventAccumulator(str(run_dir))
    events.Reload()
    return [(e.step, e.value) for e in events.Scalars(tag)]


def test_each_job_has_its_own_tensorboard_run_with_the_evaluation_curve(tmp_path: Path) -> None:
    assert run_all.run(args(tmp_path, "--workers", "1")) == 0
    for seed in (0, 1):
        record = json.loads((tmp_path / f"runs/smoke/peer_room_v0/toy/seed{seed}.json").read_text())
        run_dir = tmp_path / f"logs/smoke/peer_room_v0/toy/seed{seed}/sweep"
        logged = scalars(run_dir, "eval/mean_return")
        assert [step for step, _ in logged] == [point[0] for point in record["curve"]]
        assert [value for _, value in logged] == pytest.approx([p[1] for p in record["curve"]])
        assert scalars(run_dir, "eval/peer_1_return"), "per-peer curves too"


def test_track_logs_each_job_to_an_offline_wandb_run(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("WANDB_MODE", raising=False)  # offline is the default
    monkeypatch.setenv("WANDB_SILENT", "true")
    assert run_all.run(args(tmp_path, "--track", "--workers", "1")) == 0
    for seed in (0, 1):  # two runs in one process: each job patches TensorBoard anew
        job_dir = tmp_path / f"logs/smoke/peer_room_v0/toy/seed{seed}"
        runs = list((job_dir / "wandb").glob("offline-run-*"))
        assert len(runs) == 1, sorted(p.name for p in job_dir.rglob("*"))
        (data,) = runs[0].glob("run-*.wandb")
        assert data.stat().st_size > 0
        assert scalars(job_dir / "sweep", "eval/mean_return"), "TensorBoard as well"
