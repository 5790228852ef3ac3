"""pytest-benchmark: a 4-peer SAC group's training throughput against one peer.

The measured figures are in docs/performance.md.

Run: ``python -m pytest benchmarks/test_peer_training_speed.py --benchmark-only -s``.
Both sides use the same runner, nets ([150, 200]), batch (256) and update ratio
(8 env steps, then 8 gradient steps per peer), on ``peer_hopper_v0``:

* group: 4 peers, lockstep, ``advice="always"`` with the full trust machinery,
  phase queries as one vmapped forward and the 4 updates as one vmapped
  ensemble update (:class:`baselines.peer.ensemble.EnsembleSAC`);
* single: 1 peer, no advice, stock Tianshou SAC update.

The figure is env-steps/s summed over peers, group / single (target ≥ 1.0; the
original implementation manages about 0.6). Reported in ``extra_info``, never
asserted: timings are not pass/fail.
"""

from __future__ import annotations

import statistics
import time

import pytest
import torch

from baselines.peer.config import mujoco_preset
from baselines.peer.train import PeerTraining

ROUNDS = 64  # 8 update cycles of 8 gradient steps
REPEATS = 3


def _training(n_peers: int, ensemble: bool) -> PeerTraining:
    config = mujoco_preset(
        n_peers=n_peers,
        stepping="lockstep",
        learning_starts=0,
        ensemble=ensemble,
        total_steps=10**9,
        eval_every=10**9,
    )
    training = PeerTraining(config)
    for _ in range(2 * config.train_every):  # fill buffers, warm caches
        training.runner.run_round()
    return training


def _steps_per_second(training: PeerTraining) -> float:
    runner = training.runner
    before = int(runner.stats.env_steps.sum())
    start = time.perf_counter()
    for _ in range(ROUNDS):
        runner.run_round()
    return (int(runner.stats.env_steps.sum()) - before) / (time.perf_counter() - start)


@pytest.mark.parametrize("ensemble", [True, False], ids=["vmapped-ensemble", "stock-updates"])
def test_four_peer_sac_group_throughput_vs_single_peer(benchmark, ensemble: bool) -> None:
    torch.set_num_threads(1)
    group, single = _training(4, ensemble), _training(1, False)
    ratios = []
    for _ in range(REPEATS):  # interleaved, so machine load hits both sides alike
        g, s = _steps_per_second(group), _steps_per_second(single)
        ratios.append(g / s)
    ratio = statistics.median(ratios)
    benchmark.group = "peer SAC training, peer_hopper_v0"
    how = "vmapped ensemble" if ensemble else "N stock updates"
    benchmark.extra_info.update(
        label=f"peer SAC training, peer_hopper_v0, 4 peers ({how})",
        ratio=ratio,
        ratio_of="1-peer run's env-steps/s (summed over peers; > 1 = faster)",
        target="≥ 1.0" if ensemble else "report",
    )
    benchmark.pedantic(group.runner.run_round, rounds=ROUNDS // 4, iterations=1)
    print(f"\nensemble={ensemble}: 4-peer / 1-peer env-steps/s = {ratio:.2f} (ratios {ratios})")
