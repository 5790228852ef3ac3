"""pytest-benchmark: member-updates per second against the machine's FLOP limit.

Peer learning's updates are small (the paper's SAC nets are [150, 200] at batch
256; its Room DQN [256, 256]), so on a CPU they are bound by per-call overhead,
not arithmetic. This benchmark measures both in one run, on one thread:

* the limit: a float32 matmul of the nets' largest layer at the batch
  ([256 × 150] · [150 × 200] for SAC) gives the thread's GFLOP/s, and the
  update's FLOPs, counted layer by layer (:func:`sac_update_flops`,
  :func:`dqn_update_flops`), turn it into member-updates/s;
* for SAC, N peers updated one after the other through Tianshou's own
  ``SAC.update`` and through :class:`~baselines.peer.learners.LeanSAC` (the
  same update bit for bit without the Batch bookkeeping, which the study runs
  take), and the batched ensemble update of the same N
  (:class:`baselines.peer.ensemble.EnsembleSAC`), for N = 4 (one study seed of
  the Hopper preset) and 16 (four seeds × four peers: what one batched update
  over seeds would compute);
* for Room's DQN, Tianshou's own ``DQN.update`` against
  :meth:`SB3DQN.update <baselines.peer.learners.SB3DQN.update>`, the same
  update bit for bit without the Batch bookkeeping.

Each figure is reported as a fraction of the limit in ``extra_info``, never
asserted (timings are not pass/fail). Run:
``python -m pytest benchmarks/test_update_throughput.py --benchmark-only -s``,
with ``--device cuda`` for a GPU. There one small matmul is bound by its launch,
not by arithmetic, so the same run also times the matmul batched over the
members (``torch.bmm``), the ceiling a batched update could reach, and reports
the batched update against both.
"""

from __future__ import annotations

import copy
import itertools
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest
import torch
from tianshou.algorithm import DQN, SAC
from tianshou.utils.torch_utils import policy_within_training_step, torch_train_mode

from baselines.peer.ensemble import EnsembleSAC
from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining

BATCH = 256
MEASURE_SECONDS = 2.0


def linear_flops(sizes: Sequence[int], batch: int) -> int:
    """FLOPs of one forward pass of an MLP with layer ``sizes`` (in, hidden..., out)."""
    return sum(2 * batch * a * b for a, b in itertools.pairwise(sizes))


def sac_update_flops(obs: int, act: int, hidden: Sequence[int], batch: int) -> int:
    """One SAC update: actor and twin critics, a backward pass costed as two forwards.

    Critic loss: the actor on the next states and both target critics (forward
    only), both critics forward and backward. Actor loss: the actor forward and
    backward, both critics forward and backward (gradients through the action).
    """
    actor = linear_flops([obs, *hidden, 2 * act], batch)
    critic = linear_flops([obs + act, *hidden, 1], batch)
    critic_loss = actor + 2 * critic + 2 * 3 * critic
    actor_loss = 3 * actor + 2 * 3 * critic
    return critic_loss + actor_loss


def dqn_update_flops(obs: int, n_actions: int, hidden: Sequence[int], batch: int) -> int:
    """One DQN update: the target net forward, the online net forward and backward."""
    return 4 * linear_flops([obs, *hidden, n_actions], batch)


def matmul(
    rows: int, inner: int, cols: int, device: torch.device, members: int = 1
) -> tuple[Callable[[], object], float]:
    """A float32 ``[rows × inner] · [inner × cols]`` matmul on ``device`` to time, and its GFLOP.

    With ``members`` > 1 it is one ``torch.bmm`` of that many such products, as a
    batched update computes its layers.
    """
    a = torch.randn(members, rows, inner, device=device)
    b = torch.randn(members, inner, cols, device=device)
    call = (lambda: torch.mm(a[0], b[0])) if members == 1 else (lambda: torch.bmm(a, b))
    return call, members * 2 * rows * inner * cols / 1e9


def interleaved_rates(
    calls: dict[str, Callable[[], object]], sync: Callable[[], None], repeats: int = 3
) -> dict[str, float]:
    """Calls per second of each of ``calls``, medians of ``repeats`` interleaved rounds.

    Why: on a shared machine the load changes from second to second; timing the
    limit and the updates in turns makes a change hit every figure alike.
    ``sync`` waits for the device, so that a GPU's queued kernels are counted.
    """
    rates: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            rates[name].append(_calls_per_second(call, sync, MEASURE_SECONDS / 2))
    return {name: statistics.median(r) for name, r in rates.items()}


def _calls_per_second(
    call: Callable[[], object], sync: Callable[[], None], seconds: float
) -> float:
    for _ in range(3):  # warm-up: a GPU's first calls allocate and pick kernels
        call()
    sync()
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        call()
        calls += 1
    sync()
    return calls / (time.perf_counter() - start)


def _trained_group(env_id: str, n_peers: int, device: torch.device) -> PeerTraining:
    config = paper_preset(
        env_id,
        "peer",
        n_peers=n_peers,
        device=str(device),
        stepping="lockstep",  # every peer's buffer fills at once
        # random actions until the buffers hold a batch: no advice, no forward, no update,
        # so that 16 peers on a GPU fill in seconds (the weights do not change an update's cost)
        learning_starts=2 * BATCH,
        total_steps=10**9,
        eval_every=10**9,
    )
    training = PeerTraining(config)
    while training.runner.stats.env_steps.min() < 2 * BATCH:  # buffers hold a batch
        training.runner.run_round()
    return training


def _spaces(training: PeerTraining) -> tuple[int, Any]:
    """A peer's observation size and action space in ``training``'s task."""
    env = training.runner.env
    agent = env.possible_agents[0]
    return int(env.observation_space(agent)["observation"].shape[0]), env.action_space(agent)


def _peer_updates(peers: Sequence[Any]) -> Callable[[], None]:
    """One update of every peer through its own ``learn`` (the lean update), one after the other."""

    def lean() -> None:
        for peer in peers:
            peer.learn(1)

    return lean


def _tianshou_updates(peers: Sequence[Any], update: Callable[..., Any]) -> Callable[[], None]:
    """One update of every peer through Tianshou's own ``update`` (of DQN or SAC)."""

    def stock() -> None:
        for peer in peers:
            with policy_within_training_step(peer.policy), torch_train_mode(peer.algorithm):
                update(peer.algorithm, peer.buffer, peer.batch_size)

    return stock


@pytest.mark.parametrize("n_peers", [4, 16])
def test_sac_member_updates_against_the_flop_limit(
    benchmark, n_peers: int, device: torch.device, sync: Callable[[], None]
) -> None:
    torch.set_num_threads(1)
    training = _trained_group("peer_hopper_v0", n_peers, device)
    peers = training.peers
    obs, action_space = _spaces(training)
    act = int(action_space.shape[0])
    flops = sac_update_flops(obs, act, training.config.hidden_sizes, BATCH)
    hidden = training.config.hidden_sizes
    mm, gflop = matmul(BATCH, hidden[0], hidden[1], device)
    bmm, batched_gflop = matmul(BATCH, hidden[0], hidden[1], device, members=n_peers)

    stock = _tianshou_updates(peers, SAC.update)
    lean = _peer_updates(peers)  # SACPeer.learn: LeanSAC.update, the same maths bit for bit
    ensemble = EnsembleSAC(copy.deepcopy(peers))  # its own copies: timed in turns with stock
    rates = interleaved_rates(
        {
            "limit": mm,
            "batched limit": bmm,
            "stock": stock,
            "lean": lean,
            "ensemble": lambda: ensemble.update_peers(BATCH, 1),
        },
        sync,
    )
    limit = rates["limit"] * gflop * 1e9 / flops
    batched_limit = rates["batched limit"] * batched_gflop * 1e9 / flops
    stock_rate, lean_rate = n_peers * rates["stock"], n_peers * rates["lean"]
    batched_rate = n_peers * rates["ensemble"]
    benchmark.group = "member-updates/s, SAC, peer_hopper_v0 preset"
    benchmark.extra_info.update(
        label=f"SAC member-updates/s, peer_hopper_v0 preset, {n_peers} members (batched, {device})",
        ratio=batched_rate / limit,
        ratio_of="FLOP limit (matmul of the same shapes, same run; one by one in extra_info)",
        update_gflop=flops / 1e9,
        device=str(device),
        limit_updates_per_s=limit,
        batched_limit_updates_per_s=batched_limit,
        stock_updates_per_s=stock_rate,
        lean_updates_per_s=lean_rate,
        batched_updates_per_s=batched_rate,
        stock_fraction_of_limit=stock_rate / limit,
        lean_fraction_of_limit=lean_rate / limit,
        batched_fraction_of_limit=batched_rate / limit,
        batched_fraction_of_batched_limit=batched_rate / batched_limit,
        target="batched ≥ 0.40 of the limit",
    )
    benchmark.pedantic(lambda: ensemble.update_peers(BATCH, 1), rounds=5, iterations=1)
    print(
        f"\nSAC, {n_peers} members on {device}: {flops / 1e9:.3f} GFLOP per update; limit "
        f"{limit:.0f} updates/s ({batched_limit:.0f} from a bmm over the members); Tianshou's "
        f"SAC.update {stock_rate:.0f} ({stock_rate / limit:.1%}), LeanSAC.update {lean_rate:.0f} "
        f"({lean_rate / limit:.1%}), batched {batched_rate:.0f} ({batched_rate / limit:.1%}; "
        f"{batched_rate / batched_limit:.1%} of the bmm limit)"
    )


def test_dqn_member_updates_against_the_flop_limit(
    benchmark, device: torch.device, sync: Callable[[], None]
) -> None:
    torch.set_num_threads(1)
    training = _trained_group("peer_room_v0", 2, device)
    peers = training.peers
    obs, action_space = _spaces(training)
    n_actions = int(action_space.n)
    hidden = training.config.hidden_sizes
    flops = dqn_update_flops(obs, n_actions, hidden, BATCH)
    mm, gflop = matmul(BATCH, hidden[0], hidden[1], device)

    stock = _tianshou_updates(peers, DQN.update)
    lean = _peer_updates(peers)  # DQNPeer.learn: SB3DQN.update, the same maths bit for bit
    rates = interleaved_rates({"limit": mm, "stock": stock, "lean": lean}, sync)
    limit = rates["limit"] * gflop * 1e9 / flops
    stock_rate, lean_rate = len(peers) * rates["stock"], len(peers) * rates["lean"]
    benchmark.group = "member-updates/s, DQN, peer_room_v0 preset"
    benchmark.extra_info.update(
        label=(
            f"DQN member-updates/s, peer_room_v0 preset, {len(peers)} members "
            f"(SB3DQN.update, {device})"
        ),
        ratio=lean_rate / limit,
        ratio_of="FLOP limit (matmul of the same shapes, same run; Tianshou's path in extra_info)",
        device=str(device),
        update_gflop=flops / 1e9,
        limit_updates_per_s=limit,
        stock_updates_per_s=stock_rate,
        lean_updates_per_s=lean_rate,
        stock_fraction_of_limit=stock_rate / limit,
        lean_fraction_of_limit=lean_rate / limit,
        target="≥ 0.40 of the limit",
    )
    benchmark.pedantic(lean, rounds=5, iterations=1)
    print(
        f"\nDQN, {len(peers)} members on {device}: {flops / 1e9:.4f} GFLOP per update; limit "
        f"{limit:.0f} updates/s; Tianshou's DQN.update {stock_rate:.0f} "
        f"({stock_rate / limit:.1%}), SB3DQN.update {lean_rate:.0f} ({lean_rate / limit:.1%})"
    )
