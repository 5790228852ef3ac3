"""Running a sweep's jobs: a local process pool by default, Ray tasks with ``--ray``.

Both paths submit the same top-level function, :func:`execute_job`. It runs one
job wherever it is scheduled, logs it to TensorBoard (and to Weights & Biases
with ``--track``) in a scratch directory, and *returns* the seed record and the
log files to the driver, which alone writes them into the results directory:
on a multi-node Ray cluster a worker's disk is not the driver's. A crash comes
back as its traceback instead of stopping the sweep.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.methods import MethodSpec, config_of
from benchmarks.presets import PRESETS, env_family
from benchmarks.records import RecordError, check_seed_record, record_from_policies
from benchmarks.store import Job, ResultStore

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
# What a Ray job's shipped working directory leaves behind: results, environments, history.
RAY_EXCLUDES = ["results/", "runs/", ".venv/", "venv/", ".git/", "**/__pycache__/"]


@dataclass(frozen=True)
class Outcome:
    """What became of one job: ``done``, ``failed`` (a crash) or ``invalid`` (a bad record).

    ``record`` is the seed record of a finished job and ``logs`` its TensorBoard
    (and W&B) files, relative path -> bytes, for the driver to write.
    """

    job: Job
    status: str
    seconds: float
    error: str | None = None
    record: dict[str, Any] | None = None
    logs: dict[str, bytes] = field(default_factory=dict)
    node: str = ""


def _log_curve(writer: Any, record: dict[str, Any]) -> None:
    for (steps, mean), per_peer in zip(record["curve"], record["per_peer_curve"]):
        writer.add_scalar("eval/mean_return", mean, int(steps))
        for peer, value in enumerate(per_peer):
            writer.add_scalar(f"eval/peer_{peer}_return", value, int(steps))


def _run_method(
    job: Job,
    method: MethodSpec,
    logdir: Path,
    track: str | None,
    config: dict | None,
    device: str = "cpu",
) -> dict[str, Any]:
    """Train and evaluate one seed, logging into ``logdir``; returns its checked record."""
    run = method.load()
    budget = PRESETS[job.preset].budget(job.env_id)
    with ExitStack() as stack:
        if track is not None:
            import wandb

            wandb_run = wandb.init(
                project=os.environ.get("WANDB_PROJECT", "peerzoo"),
                name=job.label,
                group=f"{job.preset}/{job.env_id}/{job.method}",
                config={"job": job.label, "budget": vars(budget), "method_config": config},
                dir=str(logdir),
                mode=track,
                sync_tensorboard=True,
                settings=wandb.Settings(console="off", silent=True),
            )
            # Finish the run, then restore TensorBoard: the next job in this worker patches anew.
            stack.callback(wandb.tensorboard.unpatch)
            stack.callback(wandb_run.finish)
        from torch.utils.tensorboard import SummaryWriter

        writer = stack.enter_context(SummaryWriter(str(logdir / "sweep")))
        kwargs: dict[str, Any] = {}
        if method.accepts_logdir(run):
            kwargs["logdir"] = str(logdir / "train")
        if method.accepts_device(run):
            kwargs["device"] = device
        result = run(job.env_id, job.seed, budget, **kwargs)
        if isinstance(result, dict):
            record = check_seed_record(result)
            _log_curve(writer, record)
        else:
            record = record_from_policies(
                result, job.env_id, eval_episodes=budget.eval_episodes, logger=writer
            )
            record["train_experts_present"] = env_family(job.env_id) == "social"
    if not method.builtin:  # the reference solutions hash their own config
        from leaderboard.submission import config_hash

        record["config"] = config
        record["config_hash"] = config_hash(
            {"entry_point": method.entry_point, "config": config, "preset": job.preset}
        )
    return record


def with_seed_and_time(record: dict[str, Any], seed: int, seconds: float) -> dict[str, Any]:
    """``record`` with its job's seed, and ``seconds`` as its wall time if it has none.

    Why a method's own ``wall_time_s`` wins: a reference row resumed from its
    checkpoint reports the time of every run that led to the record, while the
    job's clock saw only the last one.
    """
    return {**record, "seed": seed, "wall_time_s": record.get("wall_time_s", seconds)}


def execute_job(
    job: Job, method: MethodSpec, track: str | None = None, device: str = "cpu"
) -> Outcome:
    """Run one job in this process; return its record and logs (or its traceback).

    ``track`` is a W&B mode (``"offline"``, ``"online"``) or None for TensorBoard only;
    ``device`` goes to methods that take one (:func:`check_device` has vetted it).
    """
    start = time.perf_counter()
    node = _node()
    with tempfile.TemporaryDirectory(prefix="peerzoo-job-") as scratch:
        logdir = Path(scratch)
        try:
            config = config_of(method.load())
            record = _run_method(job, method, logdir, track, config, device)
            seconds = time.perf_counter() - start
            record = with_seed_and_time(record, job.seed, seconds)
            return Outcome(job, "done", seconds, record=record, logs=_read_tree(logdir), node=node)
        except RecordError as err:
            text = f"{method.name} ({method.entry_point}) on {job.label}: {err}"
            return Outcome(job, "invalid", time.perf_counter() - start, text, node=node)
        except Exception:
            return Outcome(
                job, "failed", time.perf_counter() - start, traceback.format_exc(), node=node
            )


@dataclass(frozen=True)
class SeedBatch:
    """Seeds of one study row on one env, trained together in one process (``--batch-seeds``).

    The jobs share preset, env and row; they differ in seed only.
    """

    jobs: tuple[Job, ...]

    @property
    def label(self) -> str:
        first = self.jobs[0]
        seeds = ",".join(str(job.seed) for job in self.jobs)
        return f"{first.env_id}/{first.method}/seeds{seeds}"


def execute_seed_batch(batch: SeedBatch, device: str = "cpu") -> list[Outcome]:
    """Train a batch's seeds as one :class:`~baselines.peer.seed_batch.SeedBatchedTraining`.

    One outcome per seed, each with its TensorBoard curve and its share of the
    batch's time; a crash fails every seed of the batch with the same traceback.
    """
    from torch.utils.tensorboard import SummaryWriter

    from benchmarks.studies.rows import run_row_seed_batch

    start, node = time.perf_counter(), _node()
    first = batch.jobs[0]
    try:
        budget = PRESETS[first.preset].budget(first.env_id)
        seeds = [job.seed for job in batch.jobs]
        records = [
            check_seed_record(r)
            for r in run_row_seed_batch(first.method, first.env_id, seeds, budget, device)
        ]
    except Exception:
        seconds = time.perf_counter() - start
        text = traceback.format_exc()
        return [Outcome(job, "failed", seconds, text, node=node) for job in batch.jobs]
    share = (time.perf_counter() - start) / len(batch.jobs)
    outcomes = []
    for job, record in zip(batch.jobs, records, strict=True):
        with tempfile.TemporaryDirectory(prefix="peerzoo-job-") as scratch:
            with SummaryWriter(str(Path(scratch) / "sweep")) as writer:
                _log_curve(writer, record)
            logs = _read_tree(Path(scratch))
        record = with_seed_and_time(record, job.seed, share)
        outcomes.append(Outcome(job, "done", share, record=record, logs=logs, node=node))
    return outcomes


def execute_unit(
    unit: Job | SeedBatch, methods: dict[str, MethodSpec], track: str | None, device: str
) -> list[Outcome]:
    """A job's outcome, or a seed batch's outcomes (one per seed)."""
    if isinstance(unit, SeedBatch):
        return execute_seed_batch(unit, device)
    return [execute_job(unit, methods[unit.method], track, device)]


def _node() -> str:
    """The Ray node id inside a Ray task, else the host name."""
    ray = sys.modules.get("ray")
    if ray is not None and ray.is_initialized():
        return str(ray.get_runtime_context().get_node_id())
    return platform.node()


def _read_tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _one_thread_per_worker() -> None:
    """Pool initializer: a worker is one core, so torch/BLAS must not spread over all of them."""
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def run_local(
    jobs: Sequence[Job | SeedBatch],
    methods: dict[str, MethodSpec],
    workers: int,
    track: str | None = None,
    device: str = "cpu",
) -> Iterator[Outcome]:
    """Yield outcomes as jobs (or seed batches) finish in a process pool (spawned: safe
    with torch and CUDA). Closing the iterator early cancels the jobs that have not started.
    """
    if workers <= 1:
        for unit in jobs:
            yield from execute_unit(unit, methods, track, device)
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_one_thread_per_worker
    )
    try:
        futures = [pool.submit(execute_unit, unit, methods, track, device) for unit in jobs]
        for future in as_completed(futures):
            yield from future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def ray_runtime_env(working_dir: Path, results: Path) -> dict[str, Any]:
    """Ship ``working_dir`` (the code, user methods included) to every node, without
    results, virtual environments or git history; one thread per job."""
    excludes = list(RAY_EXCLUDES)
    # Results outside the working directory are not shipped anyway.
    with contextlib.suppress(ValueError):
        excludes.append(f"{Path(results).resolve().relative_to(working_dir.resolve())}/")
    return {
        "working_dir": str(working_dir),
        "excludes": excludes,
        "env_vars": dict.fromkeys(THREAD_VARIABLES, "1"),
    }


def run_ray(
    jobs: Sequence[Job],
    methods: dict[str, MethodSpec],
    address: str,
    results: Path,
    track: str | None = None,
) -> Iterator[Outcome]:
    """Yield outcomes as Ray tasks on the cluster at ``address`` finish (``auto`` finds it).

    Tasks are spread over the nodes; each returns its record to this driver.
    """
    import ray

    ray.init(
        address=address,
        runtime_env=ray_runtime_env(Path.cwd(), results),
        ignore_reinit_error=True,
        log_to_driver=False,
    )
    pending: list[Any] = []
    try:
        remote = ray.remote(num_cpus=1, max_retries=0, scheduling_strategy="SPREAD")(execute_job)
        pending = [remote.remote(job, methods[job.method], track) for job in jobs]
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            yield ray.get(ready[0])
    finally:
        for ref in pending:
            ray.cancel(ref, force=True)
        ray.shutdown()


def check_device(device: str, methods: dict[str, MethodSpec], ray: str | None) -> None:
    """Stop with one line, before any job starts, when the jobs cannot train on ``device``.

    ``cpu`` always works and needs no check (the driver then never imports torch).
    Another device needs a local pool (Ray hides GPUs from tasks that reserve
    none), methods that take a ``device`` keyword, and the device on this machine.
    """
    if device == "cpu":
        return
    if ray is not None:
        raise SystemExit(
            f"--device {device} runs in the local process pool; drop --ray (a Ray task sees "
            "no GPU unless it reserves one) or train on --device cpu"
        )
    without = sorted(name for name, spec in methods.items() if not spec.accepts_device(spec.load()))
    if without:
        raise SystemExit(
            f"--device {device}: method(s) {without} take no `device` keyword and train on "
            "the CPU only; leave them out (--method) or use --device cpu"
        )
    from baselines.device import checked_device

    try:
        checked_device(device)
    except ValueError as err:
        raise SystemExit(str(err)) from None


def wandb_mode() -> str:
    """The W&B mode for ``--track``: ``WANDB_MODE`` if set, else offline (nothing leaves
    the machine until ``wandb sync``); a clear error when wandb is not installed."""
    try:
        import wandb  # noqa: F401
    except ImportError:
        raise SystemExit("--track logs to Weights & Biases: pip install wandb") from None
    return os.environ.get("WANDB_MODE", "offline")


def store_outcomes(
    outcomes: Iterator[Outcome],
    store: ResultStore,
    report: Callable[[str], Any] = print,
    progress: Callable[[], Any] = lambda: None,
) -> list[Outcome]:
    """Write each finished job's record and logs as it arrives (the driver alone writes);
    return the failed jobs' outcomes after saving their tracebacks.

    A user method's malformed record is the same for every job, so the first one stops
    the run with one line and nothing is stored for it.
    """
    failed: list[Outcome] = []
    for outcome in outcomes:
        if outcome.status == "invalid":
            outcomes.close()  # type: ignore[attr-defined]
            raise SystemExit(f"{outcome.error}; nothing stored for it.")
        progress()
        where = f" on node {outcome.node[:8]}" if outcome.node else ""
        mark = {"done": "ok  ", "failed": "FAIL"}[outcome.status]
        report(f"{mark} {outcome.job.label} ({outcome.seconds:.1f}s{where})")
        if outcome.status == "failed":
            store.save_error(outcome.job, outcome.error or "")
            failed.append(outcome)
        else:
            assert outcome.record is not None
            store.save_logs(outcome.job, outcome.logs)
            store.save_result(outcome.job, outcome.record)
    return failed
