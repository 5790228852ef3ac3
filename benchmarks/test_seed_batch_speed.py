"""pytest-benchmark: seeds per hour of a seed batch against its seeds run one after another.

:class:`~baselines.peer.seed_batch.SeedBatchedTraining` trains S seeds of the
Hopper preset in one process and batches their gradient steps together. On one
thread, the alternative is one process per seed: the same seeds trained one
after another. Both train the same steps from the same state, interleaved in
repeats so that load on the machine hits both alike; the ratio (time of the
seeds alone / time of the batch) is the gain in seeds per hour per core,
reported in ``extra_info``, never asserted. Run:
``python -m pytest benchmarks/test_seed_batch_speed.py --benchmark-only -s``.

With ``--device cuda`` the batch trains on the GPU, and it also batches 16
seeds, since there a batched update's cost hardly grows with its members; the
seeds alone stay one process per seed on one CPU thread, what the batch
replaces. Seeds 0-3 stand for every seed alone: a batch of S seeds is set
against S times their median seconds per seed.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable

import pytest
import torch

from baselines.peer.presets import paper_preset
from baselines.peer.seed_batch import SeedBatchedTraining
from baselines.peer.train import PeerTraining

SEEDS = 4  # the seeds trained alone; on a CPU also the size of the batch
GPU_BATCHES = (4, 16)
WARM_STEPS = 40  # past learning_starts: the update path is hot
MEASURED_STEPS = 96  # per repeat: 12 update ticks of 8 gradient steps
REPEATS = 3


def _configs(stepping: str, seeds: int, device: torch.device) -> list:
    config = paper_preset("peer_hopper_v0", "peer")
    config = dataclasses.replace(
        config,
        stepping=stepping,
        ensemble=stepping == "lockstep",
        learning_starts=8,
        total_steps=10**9,
        eval_every=10**9,
        device=str(device),
    )
    return [dataclasses.replace(config, seed=s) for s in range(seeds)]


def _seconds(train: object, until: int, sync: Callable[[], None]) -> float:
    start = time.perf_counter()
    train.train(until=until)
    sync()
    return time.perf_counter() - start


@pytest.mark.parametrize("stepping", ["round_robin", "lockstep"])
def test_seed_batch_seeds_per_hour_against_one_run_per_seed(
    benchmark, stepping: str, device: torch.device, sync: Callable[[], None]
) -> None:
    torch.set_num_threads(1)
    alone = [PeerTraining(c) for c in _configs(stepping, SEEDS, torch.device("cpu"))]
    sizes = GPU_BATCHES if device.type == "cuda" else (SEEDS,)
    batches = {size: SeedBatchedTraining(_configs(stepping, size, device)) for size in sizes}
    for run in [*alone, *batches.values()]:
        run.train(until=WARM_STEPS)

    alone_s: list[float] = []
    batch_s: dict[int, list[float]] = {size: [] for size in sizes}
    until = WARM_STEPS
    for _ in range(REPEATS):
        until += MEASURED_STEPS
        alone_s.append(sum(_seconds(run, until, sync) for run in alone))
        for size, batch in batches.items():
            batch_s[size].append(_seconds(batch, until, sync))
    # seeds per hour of a batch of S over one process per seed: S seeds alone / the batch
    ratios = {
        size: statistics.median(a * size / SEEDS / b for a, b in zip(alone_s, batch_s[size]))
        for size in sizes
    }
    largest = max(sizes)
    benchmark.group = "seeds per hour, peer_hopper_v0 preset"
    benchmark.extra_info.update(
        label=f"seed batch of {largest} seeds on {device}, peer_hopper_v0 preset, {stepping}",
        ratio=ratios[largest],
        ratio_of="one process per seed on one CPU thread (seeds/hour; > 1 = faster)",
        device=str(device),
        alone_seconds=alone_s,
        alone_seeds=SEEDS,
        batch_seconds={str(size): s for size, s in batch_s.items()},
        ratios={str(size): r for size, r in ratios.items()},
        target="≥ 4 (aim)",
    )
    until += 8
    benchmark.pedantic(lambda: batches[largest].train(until=until), rounds=1, iterations=1)
    print(
        f"\n{stepping}: {SEEDS} seeds alone {statistics.median(alone_s):.2f} s per "
        f"{MEASURED_STEPS} steps per peer; "
        + "; ".join(
            f"a batch of {size} on {device} {statistics.median(batch_s[size]):.2f} s: "
            f"{ratios[size]:.2f}x"
            for size in sizes
        )
    )
