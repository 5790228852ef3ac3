"""Running a sweep's jobs: a local process pool by default, Ray tasks with ``--ray``.

Both paths submit the same top-level function, :func:`execute_job`, which
skips finished work, stores each result atomically, and turns a crash into an
error report with its traceback instead of stopping the sweep.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from benchmarks.methods import MethodSpec, check_seed_record
from benchmarks.presets import PRESETS
from benchmarks.store import Job, ResultStore


@dataclass(frozen=True)
class Outcome:
    """What became of one job: ``done``, ``skipped`` (already finished) or ``failed``."""

    job: Job
    status: str
    seconds: float
    error: str | None = None


def execute_job(job: Job, root: str, method: MethodSpec) -> Outcome:
    """Run one job in this process and store its result (or its traceback)."""
    store = ResultStore(Path(root))
    if store.is_done(job):
        return Outcome(job, "skipped", 0.0)
    start = time.perf_counter()
    try:
        run = method.load()
        record = check_seed_record(
            run(job.env_id, job.seed, PRESETS[job.preset].budget(job.env_id))
        )
        seconds = time.perf_counter() - start
        store.save_result(job, {**record, "seed": job.seed, "wall_time_s": seconds})
        return Outcome(job, "done", seconds)
    except Exception:
        text = traceback.format_exc()
        store.save_error(job, text)
        return Outcome(job, "failed", time.perf_counter() - start, text)


def _one_thread_per_worker() -> None:
    """Pool initializer: a worker is one core, so torch/BLAS must not spread over all of them."""
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def run_local(
    jobs: Sequence[Job], root: Path, methods: dict[str, MethodSpec], workers: int
) -> Iterator[Outcome]:
    """Yield outcomes as jobs finish in a process pool (spawned: safe with torch)."""
    if workers <= 1:
        for job in jobs:
            yield execute_job(job, str(root), methods[job.method])
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_one_thread_per_worker
    ) as pool:
        futures = [pool.submit(execute_job, job, str(root), methods[job.method]) for job in jobs]
        for future in as_completed(futures):
            yield future.result()


def run_ray(
    jobs: Sequence[Job], root: Path, methods: dict[str, MethodSpec], address: str
) -> Iterator[Outcome]:
    """Yield outcomes as Ray tasks on the cluster at ``address`` finish (``auto`` finds it)."""
    import ray

    ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
    try:
        remote = ray.remote(num_cpus=1, max_retries=0)(execute_job)
        pending = [remote.remote(job, str(root), methods[job.method]) for job in jobs]
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            yield ray.get(ready[0])
    finally:
        ray.shutdown()
