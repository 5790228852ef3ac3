"""What a study will cost on this machine, from a timed short run of each job kind.

A job kind is one (env, row): its seeds cost the same. The short run
(:func:`benchmarks.studies.rows.time_row`) gives seconds per env step per peer
with learning on, and seconds per evaluation episode, both in CPU seconds of
one thread (what a sweep worker's core spends, whatever else the machine
runs); a job is then
``build + steps × per_step + evaluations × peers × episodes × per_episode``.
Wall time at W workers is the makespan of the longest-first schedule of the
jobs on W workers (each worker one core, as the sweep runs them).

With ``--batch-seeds S`` a job is a seed batch (:func:`benchmarks.studies.cli.seed_batches`
forms them as the run would), and each batch size is timed as a batch: what
batching saves shows in the estimate rather than being assumed.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.execution import SeedBatch
from benchmarks.methods import MethodSpec
from benchmarks.presets import PRESETS, Budget
from benchmarks.store import Job
from benchmarks.studies.rows import RowTiming, row_names, time_row


@dataclass(frozen=True)
class KindCost:
    """One job kind's estimate."""

    env_id: str
    method: str
    jobs: int
    job_seconds: float
    timing: RowTiming

    @property
    def seeds_per_job(self) -> int:
        return self.timing.seeds

    @property
    def core_hours(self) -> float:
        return self.jobs * self.job_seconds / 3600


def job_seconds(timing: RowTiming, budget: Budget) -> float:
    """One job's wall seconds on one core, from a timed short run."""
    evaluations = math.ceil(timing.steps_per_peer / budget.eval_every)
    return (
        timing.build_seconds
        + timing.steps_per_peer * timing.seconds_per_step
        + evaluations
        * timing.n_evaluated_peers
        * budget.eval_episodes
        * timing.seconds_per_eval_episode
    )


def makespan(durations: Sequence[float], workers: int) -> float:
    """Wall time of running ``durations`` on ``workers`` workers, longest job first."""
    loads = [0.0] * max(1, workers)
    for duration in sorted(durations, reverse=True):
        heapq.heapreplace(loads, loads[0] + duration)
    return max(loads)


def time_method(
    method: MethodSpec, env_id: str, budget: Budget, seeds: int = 1, probe_steps: int = 200
) -> RowTiming:
    """Time a short run of a preset row (of a batch of ``seeds``), or of any other method
    by linear scale-up."""
    if method.name in row_names():
        return time_row(method.name, env_id, budget, probe_steps, seeds=seeds)
    if seeds > 1:
        raise ValueError(f"Only preset rows run as seed batches, not {method.name!r}.")
    steps = min(probe_steps, budget.steps_per_peer)
    start = time.process_time()
    method.load()(env_id, 0, Budget(steps, steps, 1))
    per_step = (time.process_time() - start) / steps
    return RowTiming(per_step, 0.0, 0.0, budget.steps_per_peer, 1)


def estimate(
    units: Sequence[Job | SeedBatch],
    methods: dict[str, MethodSpec],
    timer: Callable[[MethodSpec, str, Budget, int], RowTiming] = time_method,
    progress: Callable[[str], None] = print,
) -> list[KindCost]:
    """Time one short run per job kind of ``units`` and scale it to the kind's jobs.

    A kind is (preset, env, method, seeds per job): a seed batch of S seeds is
    timed as one, apart from single seeds of the same row.
    """
    kinds: dict[tuple[str, str, str, int], int] = {}
    for unit in units:
        job, seeds = (unit.jobs[0], len(unit.jobs)) if isinstance(unit, SeedBatch) else (unit, 1)
        key = (job.preset, job.env_id, job.method, seeds)
        kinds[key] = kinds.get(key, 0) + 1
    costs = []
    for (preset, env_id, method, seeds), count in kinds.items():
        batch = f" (a batch of {seeds} seeds)" if seeds > 1 else ""
        progress(f"timing a short run of {env_id}/{method}{batch} ...")
        budget = PRESETS[preset].budget(env_id)
        timing = timer(methods[method], env_id, budget, seeds)
        costs.append(KindCost(env_id, method, count, job_seconds(timing, budget), timing))
    return costs


def format_estimate(name: str, costs: Sequence[KindCost], workers: int) -> str:
    """The estimate as a Markdown table plus totals (core-hours; wall hours at ``workers``)."""
    lines = [
        f"Estimated cost of study {name!r} on this machine:",
        "",
        "| env | method | jobs | seeds per job | s per 1k steps/peer | s per eval episode "
        "| h per job | core-hours |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for cost in costs:
        lines.append(
            f"| {cost.env_id} | {cost.method} | {cost.jobs} | {cost.seeds_per_job} | "
            f"{1000 * cost.timing.seconds_per_step:.1f} | "
            f"{cost.timing.seconds_per_eval_episode:.2f} | {cost.job_seconds / 3600:.2f} | "
            f"{cost.core_hours:.2f} |"
        )
    durations = [cost.job_seconds for cost in costs for _ in range(cost.jobs)]
    total = sum(durations) / 3600
    wall = makespan(durations, workers) / 3600
    if any(cost.seeds_per_job > 1 for cost in costs):
        lines += ["", "A seed batch's times are the whole batch's: its seeds train in one job."]
    lines += [
        "",
        f"total: {total:.1f} core-hours; {wall:.1f} wall hours at {workers} worker(s) "
        "(one core each, from CPU time: the machine's other load is not counted)",
    ]
    return "\n".join(lines)
