"""pytest-benchmark: one vectorised evaluation of many peers (and seeds) against one per peer.

:func:`peerzoo.evaluate` steps every episode of every peer as one vector of
envs. The reference peers then act through
:func:`baselines.peer.train.greedy_policy`: SAC peers of one kind in one
batched forward over all rows (:class:`~baselines.peer.ensemble.StackedGreedyActors`),
where before each peer answered for its own rows. A seed batch goes one step
further and evaluates all its seeds in one call. Two ratios, interleaved in
repeats so that load on the machine hits both sides alike, in ``extra_info``,
never asserted:

* one evaluation of the Hopper preset's 4 peers: a forward per peer and step
  against one stacked forward;
* 4 seeds of 4 peers: four evaluations, one per seed, against one joint
  evaluation (what a seed batch runs).

Episodes are capped at 200 steps (untrained peers that keep their balance
would play 1,000): the per-step mix of simulator and forward passes is the
same, the benchmark shorter. Run:
``python -m pytest benchmarks/test_evaluation_speed.py --benchmark-only -s``.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable

import torch

import peerzoo
from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining, greedy_policy

PEERS, SEEDS, EPISODES, REPEATS = 4, 4, 10, 3
EPISODE_STEPS = 200


def _evaluation(policy: Callable, n_peers: int, task_kwargs: dict) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        peerzoo.evaluate(
            policy,
            "peer_hopper_v0",
            episodes=EPISODES,
            seed=peerzoo.EVAL_SEED,
            n_peers=n_peers,
            env_kwargs=task_kwargs,
        )
        return time.perf_counter() - start

    return run


def test_stacked_evaluation_against_one_forward_per_peer(benchmark) -> None:
    torch.set_num_threads(1)
    config = paper_preset("peer_hopper_v0", "peer")
    task = {**config.task_kwargs, "max_episode_steps": EPISODE_STEPS}
    runs = [PeerTraining(dataclasses.replace(config, seed=s)) for s in range(SEEDS)]
    one_seed = runs[0].peers
    all_seeds = [peer for run in runs for peer in run.peers]

    per_peer, stacked, separate, joint = [], [], [], []
    for _ in range(REPEATS):
        per_peer.append(_evaluation(greedy_policy(one_seed, stack=False), PEERS, task)())
        stacked.append(_evaluation(greedy_policy(one_seed), PEERS, task)())
        separate.append(sum(_evaluation(greedy_policy(run.peers), PEERS, task)() for run in runs))
        joint.append(_evaluation(greedy_policy(all_seeds), PEERS * SEEDS, task)())
    stacked_ratio = statistics.median(a / b for a, b in zip(per_peer, stacked))
    joint_ratio = statistics.median(a / b for a, b in zip(separate, joint))
    benchmark.group = "evaluation, peer_hopper_v0 preset"
    benchmark.extra_info.update(
        label=f"one evaluation of {PEERS} Hopper peers, stacked forward",
        ratio=stacked_ratio,
        ratio_of="one forward per peer and step (> 1 = faster)",
        per_peer_seconds=per_peer,
        stacked_seconds=stacked,
        seeds_separate_seconds=separate,
        seeds_joint_seconds=joint,
        joint_ratio=joint_ratio,
        target="report",
    )
    benchmark.pedantic(_evaluation(greedy_policy(one_seed), PEERS, task), rounds=1, iterations=1)
    print(
        f"\n{PEERS} peers × {EPISODES} episodes ≤ {EPISODE_STEPS} steps: one forward per peer "
        f"{statistics.median(per_peer):.2f} s, stacked {statistics.median(stacked):.2f} s "
        f"({stacked_ratio:.2f}×); {SEEDS} seeds one by one {statistics.median(separate):.2f} s, "
        f"jointly {statistics.median(joint):.2f} s ({joint_ratio:.2f}×)"
    )
