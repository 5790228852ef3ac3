"""pytest-benchmark: the batched SAC update with compiled forwards (``torch.compile``) vs eager.

Small updates are bound by per-op overhead, and ``torch.compile`` (Inductor)
is the stock way to fuse ops. This benchmark compiles what an
:class:`~baselines.peer.ensemble.EnsembleSAC` update computes between its
optimizer steps (every stacked net's forward and the policy's sample with its
log-probability; no graph breaks) and times it in turns with an eager copy of
the same ensemble, on one thread, at the Hopper preset. The ratio (> 1 = the
compiled update is faster) is reported in ``extra_info``, never asserted; the
project's updates stay eager while it is below 1. Run:
``python -m pytest benchmarks/test_compiled_update.py --benchmark-only -s``.
"""

from __future__ import annotations

import copy
import statistics
import time
from collections.abc import Callable

import pytest
import torch

from baselines.peer.ensemble import EnsembleSAC
from benchmarks.test_update_throughput import BATCH, _calls_per_second, _trained_group

REPEATS = 4
SECONDS = 3.0


def compiled(ensemble: EnsembleSAC) -> EnsembleSAC:
    """``ensemble`` with every stacked forward and its policy sample compiled by Inductor."""
    for stacked in (
        ensemble.actor,
        ensemble.critic1,
        ensemble.critic2,
        ensemble.critic1_old,
        ensemble.critic2_old,
    ):
        stacked.actor = torch.compile(stacked.actor, dynamic=False)
        stacked.critic = torch.compile(stacked.critic, dynamic=False)
    ensemble._policy_sample = torch.compile(ensemble._policy_sample, dynamic=False)
    return ensemble


@pytest.mark.parametrize("n_peers", [4, 16])
def test_compiled_against_eager_batched_update(
    benchmark, n_peers: int, device: torch.device, sync: Callable[[], None]
) -> None:
    torch.set_num_threads(1)
    peers = _trained_group("peer_hopper_v0", n_peers, device).peers
    eager = EnsembleSAC(copy.deepcopy(peers))
    fused = compiled(EnsembleSAC(copy.deepcopy(peers)))
    start = time.perf_counter()
    for _ in range(3):  # the first calls compile
        fused.update_peers(BATCH, 1)
    sync()
    compile_seconds = time.perf_counter() - start

    def eager_update() -> None:
        eager.update_peers(BATCH, 1)

    def compiled_update() -> None:
        fused.update_peers(BATCH, 1)

    eager_rates, compiled_rates = [], []
    for _ in range(REPEATS):
        eager_rates.append(n_peers * _calls_per_second(eager_update, sync, SECONDS))
        compiled_rates.append(n_peers * _calls_per_second(compiled_update, sync, SECONDS))
    ratio = statistics.median(c / e for c, e in zip(compiled_rates, eager_rates))
    benchmark.group = "torch.compile, SAC, peer_hopper_v0 preset"
    benchmark.extra_info.update(
        label=f"compiled batched SAC update, {n_peers} members ({device})",
        ratio=ratio,
        ratio_of="the same ensemble's eager update, same thread, in turns (> 1 = faster)",
        device=str(device),
        eager_member_updates_per_s=eager_rates,
        compiled_member_updates_per_s=compiled_rates,
        compile_seconds=compile_seconds,
    )
    benchmark.pedantic(compiled_update, rounds=5, iterations=1)
    print(
        f"\n{n_peers} members on {device}: eager {statistics.median(eager_rates):.0f} "
        f"member-updates/s, compiled {statistics.median(compiled_rates):.0f}: {ratio:.2f}x "
        f"(compiling took {compile_seconds:.0f} s)"
    )
