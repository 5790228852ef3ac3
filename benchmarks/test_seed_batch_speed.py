"""pytest-benchmark: seeds per hour of a seed batch against its seeds run one after another.

:class:`~baselines.peer.seed_batch.SeedBatchedTraining` trains S seeds of the
Hopper preset in one process and batches their gradient steps together. On one
thread, the alternative is one process per seed: the same seeds trained one
after another. Both train the same steps from the same state, interleaved in
repeats so that load on the machine hits both alike; the ratio (time of the
seeds alone / time of the batch) is the gain in seeds per hour per core,
reported in ``extra_info``, never asserted. Run:
``python -m pytest benchmarks/test_seed_batch_speed.py --benchmark-only -s``.
"""

from __future__ import annotations

import dataclasses
import statistics
import time

import pytest
import torch

from baselines.peer.presets import paper_preset
from baselines.peer.seed_batch import SeedBatchedTraining
from baselines.peer.train import PeerTraining

SEEDS = 4
WARM_STEPS = 40  # past learning_starts: the update path is hot
MEASURED_STEPS = 96  # per repeat: 12 update ticks of 8 gradient steps
REPEATS = 3


def _configs(stepping: str) -> list:
    config = paper_preset("peer_hopper_v0", "peer")
    config = dataclasses.replace(
        config,
        stepping=stepping,
        ensemble=stepping == "lockstep",
        learning_starts=8,
        total_steps=10**9,
        eval_every=10**9,
    )
    return [dataclasses.replace(config, seed=s) for s in range(SEEDS)]


def _seconds(train: object, until: int) -> float:
    start = time.perf_counter()
    train.train(until=until)
    return time.perf_counter() - start


@pytest.mark.parametrize("stepping", ["round_robin", "lockstep"])
def test_seed_batch_seeds_per_hour_against_one_run_per_seed(benchmark, stepping: str) -> None:
    torch.set_num_threads(1)
    configs = _configs(stepping)
    alone = [PeerTraining(c) for c in configs]
    batch = SeedBatchedTraining(configs)
    for run in alone:
        run.train(until=WARM_STEPS)
    batch.train(until=WARM_STEPS)

    alone_s, batch_s = [], []
    until = WARM_STEPS
    for _ in range(REPEATS):
        until += MEASURED_STEPS
        alone_s.append(sum(_seconds(run, until) for run in alone))
        batch_s.append(_seconds(batch, until))
    ratio = statistics.median(a / b for a, b in zip(alone_s, batch_s))
    benchmark.group = "seeds per hour, peer_hopper_v0 preset"
    benchmark.extra_info.update(
        label=f"seed batch of {SEEDS} seeds, peer_hopper_v0 preset, {stepping}",
        ratio=ratio,
        ratio_of=f"the {SEEDS} seeds one after another, same thread (seeds/hour; > 1 = faster)",
        alone_seconds=alone_s,
        batch_seconds=batch_s,
        target="≥ 4 (aim)",
    )
    until += 8
    benchmark.pedantic(lambda: batch.train(until=until), rounds=1, iterations=1)
    print(
        f"\n{stepping}: {SEEDS} seeds alone {statistics.median(alone_s):.2f} s, batched "
        f"{statistics.median(batch_s):.2f} s per {MEASURED_STEPS} steps per peer: {ratio:.2f}x"
    )
