"""``run_all --device``: passed to the methods that take it, refused before any job otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from benchmarks import run_all
from benchmarks.store import Job, ResultStore

TOYS = "tests.benchmarks.toy_methods"


def sweep(results: Path, entry: str, *extra: str) -> list[str]:
    return [
        "--add-method",
        f"mine={entry}@room",
        "--method",
        "mine",
        "--env",
        "peer_room_v0",
        "--seed",
        "0",
        "--results",
        str(results),
        "--workers",
        "1",
        "--no-plots",
        *extra,
    ]


def test_the_device_reaches_a_method_that_takes_one(tmp_path: Path) -> None:
    assert run_all.run(sweep(tmp_path, f"{TOYS}:device_aware", "--device", "cpu")) == 0
    record = ResultStore(tmp_path).load_result(Job("smoke", "peer_room_v0", "mine", 0))
    assert record["device"] == "cpu"


def test_a_gpu_sweep_without_a_gpu_stops_before_any_job(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SystemExit, match=r"--device 'cuda': this machine's torch sees no CUDA"):
        run_all.run(sweep(tmp_path, f"{TOYS}:device_aware", "--device", "cuda"))
    assert not (tmp_path / "runs").exists()


def test_a_method_without_a_device_keyword_is_named(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    with pytest.raises(SystemExit, match=r"method\(s\) \['mine'\] take no `device` keyword"):
        run_all.run(sweep(tmp_path, f"{TOYS}:counting", "--device", "cuda"))
    assert not (tmp_path / "runs").exists()


def test_a_gpu_sweep_runs_in_the_local_pool(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    with pytest.raises(SystemExit, match="--device cuda runs in the local process pool"):
        run_all.run(sweep(tmp_path, f"{TOYS}:device_aware", "--device", "cuda", "--ray", "auto"))


@pytest.mark.parametrize("study", ["room", "social"])
def test_every_study_row_takes_a_device(tmp_path: Path, monkeypatch, capsys, study: str) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    args = ["--study", study, "--device", "cuda", "--dry-run", "--results", str(tmp_path)]
    assert run_all.run([*args, "--leaderboard-dir", str(tmp_path / "board")]) == 0
    assert f"study {study!r}" in capsys.readouterr().out
