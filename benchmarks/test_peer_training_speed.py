"""pytest-benchmark: a 4-peer SAC group's training throughput against one peer.

The measured figures are in docs/performance.md.

Run: ``python -m pytest benchmarks/test_peer_training_speed.py --benchmark-only -s``.
Both sides use the same runner, nets ([150, 200]), batch (256) and update ratio
(8 env steps, then 8 gradient steps per peer), on ``peer_hopper_v0``:

* group: 4 peers, lockstep, ``advice="always"`` with the full trust machinery,
  phase queries as one batched forward and the 4 updates as one batched
  ensemble update (:class:`baselines.peer.ensemble.EnsembleSAC`);
* single: 1 peer, no advice, stock Tianshou SAC update.

The figure is env-steps/s summed over peers, group / single (target ≥ 1.0; the
original implementation manages about 0.6). Reported in ``extra_info``, never
asserted: timings are not pass/fail.

A second benchmark times the paper's own rows as they run: the Hopper
peer-learning row (4 peers, one at a time in epochs, advice and trust every
step) against the Hopper single-agent row, once every peer is past its random
warm-up. Only the epochs are shortened (64 steps instead of 10 000), so that
every peer's buffers fill within seconds and the timing sees the steady state
(agent values sample every learner's buffer) rather than the first epoch.

Another prices the lean update and acting that every run takes
(:class:`~baselines.peer.learners.LeanSAC`, ``GSDESACPolicy.act``) against
Tianshou's own ``SAC.update`` and policy forward, on the same Hopper row.

A last case prices gSDE: a SAC training step with gSDE against one without
(target ≤ 1.10).
"""

from __future__ import annotations

import statistics
import time
import types
from typing import Any

import numpy as np
import pytest
import torch
from tianshou.algorithm import SAC
from tianshou.data import Batch, to_numpy
from tianshou.utils.torch_utils import policy_within_training_step

from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining

ROUNDS = 64  # 8 update cycles of 8 gradient steps
REPEATS = 3
GSDE_CYCLES = 60  # a ≤ 10% difference needs many interleaved samples on a shared machine


def _training(n_peers: int, ensemble: bool, use_sde: bool = True) -> PeerTraining:
    config = paper_preset(
        "peer_hopper_v0",
        n_peers=n_peers,
        stepping="lockstep",
        learning_starts=0,
        ensemble=ensemble,
        use_sde=use_sde,
        total_steps=10**9,
        eval_every=10**9,
    )
    training = PeerTraining(config)
    for _ in range(2 * config.train_every):  # fill buffers, warm caches
        training.runner.run_round()
    return training


def _seconds(training: PeerTraining, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        training.runner.run_round()
    return time.perf_counter() - start


def _steps_per_second(training: PeerTraining) -> float:
    runner = training.runner
    before = int(runner.stats.env_steps.sum())
    start = time.perf_counter()
    for _ in range(ROUNDS):
        runner.run_round()
    return (int(runner.stats.env_steps.sum()) - before) / (time.perf_counter() - start)


@pytest.mark.parametrize("ensemble", [True, False], ids=["batched-ensemble", "stock-updates"])
def test_four_peer_sac_group_throughput_vs_single_peer(benchmark, ensemble: bool) -> None:
    torch.set_num_threads(1)
    group, single = _training(4, ensemble), _training(1, False)
    ratios = []
    for _ in range(REPEATS):  # interleaved, so machine load hits both sides alike
        g, s = _steps_per_second(group), _steps_per_second(single)
        ratios.append(g / s)
    ratio = statistics.median(ratios)
    benchmark.group = "peer SAC training, peer_hopper_v0"
    how = "batched ensemble" if ensemble else "N stock updates"
    benchmark.extra_info.update(
        label=f"peer SAC training, peer_hopper_v0, 4 peers ({how})",
        ratio=ratio,
        ratio_of="1-peer run's env-steps/s (summed over peers; > 1 = faster)",
        target="≥ 1.0" if ensemble else "report",
    )
    benchmark.pedantic(group.runner.run_round, rounds=ROUNDS // 4, iterations=1)
    print(f"\nensemble={ensemble}: 4-peer / 1-peer env-steps/s = {ratio:.2f} (ratios {ratios})")


PRESET_STEPS = 256  # env steps per measurement


def _preset_training(method: str) -> PeerTraining:
    config = paper_preset(
        "peer_hopper_v0", method, total_steps=10**9, eval_every=10**9, epoch_length=64
    )
    training = PeerTraining(config)
    while training.runner.stats.env_steps.min() < 2 * config.learning_starts:
        training.runner.run_round()
    return training


def _preset_steps_per_second(training: PeerTraining) -> float:
    runner = training.runner
    before = int(runner.stats.env_steps.sum())
    start = time.perf_counter()
    while int(runner.stats.env_steps.sum()) - before < PRESET_STEPS:
        runner.run_round()
    return (int(runner.stats.env_steps.sum()) - before) / (time.perf_counter() - start)


def _interleaved_rates(
    first: PeerTraining, second: PeerTraining
) -> tuple[float, float, float, list[tuple[float, float]]]:
    """Env-steps/s of both, ``REPEATS`` times in turns: median ratio, both medians, the pairs.

    Why in turns: a change of the machine's load then hits both sides alike.
    """
    pairs = [
        (_preset_steps_per_second(first), _preset_steps_per_second(second)) for _ in range(REPEATS)
    ]
    ratio = statistics.median(a / b for a, b in pairs)
    medians = statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)
    return ratio, *medians, pairs


def test_hopper_peer_learning_row_throughput_vs_the_single_agent_row(benchmark) -> None:
    torch.set_num_threads(1)
    peer, single = _preset_training("peer"), _preset_training("single")
    ratio, peer_rate, single_rate, pairs = _interleaved_rates(peer, single)
    benchmark.group = "peer SAC training, peer_hopper_v0 paper rows"
    benchmark.extra_info.update(
        label="hopper/peer row (4 peers, round robin) vs hopper/single row",
        ratio=ratio,
        ratio_of="single-agent row's env-steps/s (> 1 = faster)",
        peer_steps_per_s=peer_rate,
        single_steps_per_s=single_rate,
        target="report",
    )
    benchmark.pedantic(peer.runner.run_round, rounds=PRESET_STEPS // 8, iterations=1)
    print(f"\nhopper/peer vs hopper/single env-steps/s = {ratio:.2f} ({pairs})")


def _on_tianshous_paths(training: PeerTraining) -> PeerTraining:
    """``training`` with its peers updating and acting through Tianshou's own code paths."""

    @torch.no_grad()
    def tianshou_act(peer: Any, obs: np.ndarray, explore: bool) -> np.ndarray:
        with policy_within_training_step(peer.policy, explore):
            act = peer.policy(Batch(obs=obs, info={})).act
        return peer.policy.map_action(to_numpy(act))

    for peer in training.peers:
        peer.algorithm.update = SAC.update.__get__(peer.algorithm)
        peer.act = types.MethodType(tianshou_act, peer)
    return training


def test_hopper_peer_row_lean_paths_vs_tianshous(benchmark) -> None:
    """The row as studies run it (LeanSAC.update, GSDESACPolicy.act) against Tianshou's paths.

    Both compute the same numbers (``tests/baselines/test_lean_sac.py``); the
    ratio is what skipping the Batch bookkeeping buys a whole run.
    """
    torch.set_num_threads(1)
    lean, tianshou = _preset_training("peer"), _on_tianshous_paths(_preset_training("peer"))
    ratio, lean_rate, tianshou_rate, pairs = _interleaved_rates(lean, tianshou)
    benchmark.group = "peer SAC training, peer_hopper_v0 paper rows"
    benchmark.extra_info.update(
        label="hopper/peer row: lean update and acting vs Tianshou's SAC.update and forward",
        ratio=ratio,
        ratio_of="the same row on Tianshou's paths, env-steps/s (> 1 = faster)",
        lean_steps_per_s=lean_rate,
        tianshou_steps_per_s=tianshou_rate,
        target="report",
    )
    benchmark.pedantic(lean.runner.run_round, rounds=PRESET_STEPS // 8, iterations=1)
    print(f"\nhopper/peer lean vs Tianshou's paths env-steps/s = {ratio:.3f} ({pairs})")


def test_gsde_cost_per_sac_training_step(benchmark) -> None:
    """One Hopper SAC peer's training steps (act + store + 8 updates per 8 steps), gSDE on / off.

    The ratio is the median over alternating update cycles of seconds with gSDE over
    seconds without (target ≤ 1.10: gSDE may cost at most 10% of a training step).
    """
    torch.set_num_threads(1)
    with_sde, without = _training(1, False, use_sde=True), _training(1, False, use_sde=False)
    cycle = with_sde.config.train_every  # one update cycle: 8 env steps, then 8 gradient steps
    ratios = []
    for _ in range(GSDE_CYCLES):  # alternating cycles, so load spikes hit both sides alike
        on, off = _seconds(with_sde, cycle), _seconds(without, cycle)
        ratios.append(on / off)
    ratio = statistics.median(ratios)
    benchmark.group = "peer SAC training, peer_hopper_v0"
    benchmark.extra_info.update(
        label="gSDE cost, SAC training step, peer_hopper_v0, 1 peer",
        ratio=ratio,
        ratio_of="time per training step without gSDE (< 1.10 = within 10%)",
        target="≤ 1.10",
    )
    benchmark.pedantic(with_sde.runner.run_round, rounds=ROUNDS // 4, iterations=1)
    quartiles = statistics.quantiles(ratios, n=4)
    print(f"\ngSDE / no gSDE time per SAC training step = {ratio:.3f} (IQR {quartiles})")
