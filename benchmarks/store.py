"""Durable results: one JSON file per (preset, env, method, seed), written atomically.

The driver of a sweep writes everything here (records, error reports, each job's
TensorBoard run directory under ``logs/``), wherever the job ran.

A result appears under its final name only once complete (temp file in the
same directory, fsync, ``os.replace``), so a sweep killed at any instant leaves
finished results whole and unfinished ones absent; resuming skips the former.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaderboard.submission import write_text_atomic


@dataclass(frozen=True)
class Job:
    """One training run of the sweep."""

    preset: str
    env_id: str
    method: str
    seed: int

    @property
    def label(self) -> str:
        return f"{self.env_id}/{self.method}/seed{self.seed}"


def write_json_atomic(path: Path, payload: Any) -> None:
    """Write ``payload`` as JSON so that ``path`` is either absent or complete.

    Serialising first means a payload that is not JSON (NaN, a stray object)
    fails before anything is written.
    """
    write_text_atomic(path, json.dumps(payload, indent=1, allow_nan=False))


class ResultStore:
    """Where a sweep's per-seed results and error reports live.

    ``records`` moves the finished records (nothing else) out of ``root``: a study
    keeps them beside its submissions, in a directory that is committed, so that
    its pages can be rebuilt, and its remaining seeds added, on any machine.
    Error reports, logs and checkpoints are run outputs and stay under ``root``.
    """

    def __init__(self, root: Path, records: Path | None = None) -> None:
        self.root = Path(root)
        self.records = Path(records) if records is not None else self.root / "runs"

    def result_path(self, job: Job) -> Path:
        return self.records / job.preset / job.env_id / job.method / f"seed{job.seed}.json"

    def error_path(self, job: Job) -> Path:
        relative = Path(job.preset, job.env_id, job.method, f"seed{job.seed}.error.json")
        return self.root / "runs" / relative

    def is_done(self, job: Job) -> bool:
        return self.result_path(job).exists()

    def log_dir(self, job: Job) -> Path:
        """The job's TensorBoard (and W&B) run directory: ``tensorboard --logdir RESULTS/logs``."""
        return self.root / "logs" / job.preset / job.env_id / job.method / f"seed{job.seed}"

    def save_logs(self, job: Job, files: dict[str, bytes]) -> None:
        """Replace the job's run directory with ``files`` (relative path -> bytes)."""
        root = self.log_dir(job)
        shutil.rmtree(root, ignore_errors=True)
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    def save_result(self, job: Job, result: dict[str, Any]) -> None:
        write_json_atomic(self.result_path(job), result)
        self.error_path(job).unlink(missing_ok=True)

    def save_error(self, job: Job, traceback_text: str) -> None:
        write_json_atomic(self.error_path(job), {"job": job.label, "traceback": traceback_text})

    def load_result(self, job: Job) -> dict[str, Any]:
        return json.loads(self.result_path(job).read_text())
