"""pytest-benchmark: seeds per hour of a seed batch against its seeds run one after another.

:class:`~baselines.peer.seed_batch.SeedBatchedTraining` trains S seeds of the
Hopper preset in one process and batches their gradient steps together. On one
thread, the alternative is one process per seed: the same seeds trained one
after another. Both train the same steps from the same state, interleaved in
repeats so that load on the machine hits both alike; the ratio (time of the
seeds alone / time of the batch) is the gain in seeds per hour per core,
reported in ``extra_info``, never asserted. Both times are also split into the
gradient updates and the rest (acting, advice, trust, the env): how many times
as fast the batch's updates run per member, and what the batch's per-seed rest
costs against the same work alone. Run:
``python -m pytest benchmarks/test_seed_batch_speed.py --benchmark-only -s``.

With ``--device cuda`` the batch trains on the GPU, and it also batches 16
seeds, since there a batched update's cost hardly grows with its members; the
seeds alone stay one process per seed on one CPU thread, what the batch
replaces. Seeds 0-3 stand for every seed alone: a batch of S seeds is set
against S times their median seconds per seed.

A second benchmark times what a seed batch can shorten at all: the share of a
seed's time alone spent in its gradient updates. A batch shares the updates;
acting, advice, trust and the env stay per seed. If the updates cost nothing,
seeds per hour would grow at most 1 / (1 - share); a batch of 4 reaches 4 times
the seeds per hour only if its updates run ``4 u / (u - 3 a)`` times as fast
per member as the seed's own (u the update time, a the rest), and not at all
when ``u <= 3 a``. Room's preset is timed too: its DQN peers have no seed batch,
so there the share is the most one could gain. The seed runs on one CPU thread
whatever ``--device``. Run:
``python -m pytest benchmarks/test_seed_batch_speed.py -k share --benchmark-only -s``.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable

import pytest
import torch

from baselines.peer.ensemble import EnsembleSAC
from baselines.peer.learners import Peer
from baselines.peer.presets import paper_preset
from baselines.peer.seed_batch import SeedBatchedTraining
from baselines.peer.train import PeerTraining

SEEDS = 4  # the seeds trained alone; on a CPU also the size of the batch
GPU_BATCHES = (4, 16)
# Round robin trains one peer's epoch after another, and the group's agent values
# wait until every peer's suggestion buffer holds samples: with epochs of
# EPOCH_STEPS, a warm-up of two epochs per peer puts every seed in the steady
# state of a long run (every peer acts in turn, trust and agent values learn).
EPOCH_STEPS = 64
WARM_STEPS = 2 * EPOCH_STEPS
MEASURED_STEPS = 96  # per repeat: 12 update ticks of 8 gradient steps
REPEATS = 3
AIM = 4  # seeds per hour of a batch of AIM seeds over one process per seed
# where a seed alone spends its gradient steps: each peer's own updates under
# round robin, the ensemble's batched update of its peers under lockstep
UPDATE_ENTRY = {"round_robin": (Peer, "learn"), "lockstep": (EnsembleSAC, "update_peers")}


def _configs(
    stepping: str, seeds: int, device: torch.device, env_id: str = "peer_hopper_v0"
) -> list:
    config = paper_preset(env_id, "peer")
    config = dataclasses.replace(
        config,
        stepping=stepping,
        ensemble=stepping == "lockstep",
        learning_starts=8,
        epoch_length=EPOCH_STEPS,
        total_steps=10**9,
        eval_every=10**9,
        device=str(device),
    )
    return [dataclasses.replace(config, seed=s) for s in range(seeds)]


def _clock_calls(
    monkeypatch: pytest.MonkeyPatch, owner: type, name: str, sync: Callable[[], None]
) -> list[float]:
    """Wrap ``owner.name`` so that the returned one-item list sums the seconds spent in it."""
    original = getattr(owner, name)
    seconds = [0.0]

    def clocked(self: object, *args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            sync()
            seconds[0] += time.perf_counter() - start

    monkeypatch.setattr(owner, name, clocked)
    return seconds


def _seconds(train: object, until: int, sync: Callable[[], None]) -> float:
    start = time.perf_counter()
    train.train(until=until)
    sync()
    return time.perf_counter() - start


@pytest.mark.parametrize("stepping", ["round_robin", "lockstep"])
def test_seed_batch_seeds_per_hour_against_one_run_per_seed(
    benchmark,
    stepping: str,
    device: torch.device,
    sync: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    torch.set_num_threads(1)
    # Where both spend their time: the seeds alone in their own updates, the batch in its
    # batched ones; what is left is acting, advice, trust and the env. On a GPU the clock
    # waits for each batched update's kernels, which the next round could otherwise
    # overlap, so the batch's time there includes that wait.
    alone_updating = _clock_calls(monkeypatch, *UPDATE_ENTRY[stepping], lambda: None)
    batch_updating = _clock_calls(monkeypatch, SeedBatchedTraining, "_update_group", sync)
    alone = [PeerTraining(c) for c in _configs(stepping, SEEDS, torch.device("cpu"))]
    sizes = GPU_BATCHES if device.type == "cuda" else (SEEDS,)
    batches = {size: SeedBatchedTraining(_configs(stepping, size, device)) for size in sizes}
    for run in [*alone, *batches.values()]:
        run.train(until=WARM_STEPS)

    alone_s: list[float] = []
    alone_update_s: list[float] = []
    batch_s: dict[int, list[float]] = {size: [] for size in sizes}
    batch_update_s: dict[int, list[float]] = {size: [] for size in sizes}
    until = WARM_STEPS
    for _ in range(REPEATS):
        until += MEASURED_STEPS
        alone_updating[0] = 0.0
        alone_s.append(sum(_seconds(run, until, sync) for run in alone))
        alone_update_s.append(alone_updating[0])
        for size, batch in batches.items():
            batch_updating[0] = 0.0
            batch_s[size].append(_seconds(batch, until, sync))
            batch_update_s[size].append(batch_updating[0])
    assert min(alone_update_s) > 0 and min(min(s) for s in batch_update_s.values()) > 0
    # seeds per hour of a batch of S over one process per seed: S seeds alone / the batch
    ratios = {
        size: statistics.median(a * size / SEEDS / b for a, b in zip(alone_s, batch_s[size]))
        for size in sizes
    }
    # The batch against S seeds alone, part by part: how many times as fast its updates
    # run per member, and how many times the per-seed rest costs (1 = as alone).
    update_speedup, rest_cost = {}, {}
    for size in sizes:
        scale = size / SEEDS
        update_speedup[size] = statistics.median(
            a * scale / b for a, b in zip(alone_update_s, batch_update_s[size])
        )
        rest_cost[size] = statistics.median(
            (t - u) / ((ta - ua) * scale)
            for t, u, ta, ua in zip(batch_s[size], batch_update_s[size], alone_s, alone_update_s)
        )
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
        alone_update_seconds=alone_update_s,
        batch_update_seconds={str(size): s for size, s in batch_update_s.items()},
        update_speedup={str(size): r for size, r in update_speedup.items()},
        rest_cost={str(size): r for size, r in rest_cost.items()},
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
        + f"\n  alone: {statistics.median(alone_update_s):.2f} s of it in updates; "
        + "; ".join(
            f"a batch of {size}: {statistics.median(batch_update_s[size]):.2f} s in updates, "
            f"{update_speedup[size]:.2f}x as fast per member, the rest at "
            f"{rest_cost[size]:.2f}x its cost alone"
            for size in sizes
        )
    )


@pytest.mark.parametrize(
    ("env_id", "stepping"),
    [
        ("peer_hopper_v0", "round_robin"),
        ("peer_hopper_v0", "lockstep"),
        ("peer_room_v0", "round_robin"),  # Room's DQN peers: no seed batch, the ceiling alone
    ],
)
def test_update_share_of_a_seed_alone_bounds_its_seeds_per_hour(
    benchmark, env_id: str, stepping: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    torch.set_num_threads(1)
    owner, name = UPDATE_ENTRY[stepping]
    in_updates = _clock_calls(monkeypatch, owner, name, lambda: None)
    alone = [PeerTraining(c) for c in _configs(stepping, SEEDS, torch.device("cpu"), env_id)]
    for run in alone:
        run.train(until=WARM_STEPS)
    assert all((run.runner.stats.env_steps >= EPOCH_STEPS).all() for run in alone)
    totals: list[float] = []
    updates: list[float] = []
    until = WARM_STEPS
    for _ in range(REPEATS):
        until += MEASURED_STEPS
        for run in alone:
            in_updates[0] = 0.0
            totals.append(_seconds(run, until, lambda: None))
            updates.append(in_updates[0])
    assert min(updates) > 0, f"{owner.__name__}.{name} never ran: the share would be made up"
    share = statistics.median(u / t for u, t in zip(updates, totals))
    rest = 1 - share  # a: acting, advice, trust and the env, per seed
    ceiling = 1 / rest
    needed = AIM * share / (share - (AIM - 1) * rest) if share > (AIM - 1) * rest else None
    benchmark.group = f"seeds per hour, {env_id} preset"
    benchmark.extra_info.update(
        label=f"update share of a seed alone, {env_id} preset, {stepping}",
        ratio=ceiling,
        ratio_of="one process per seed, if a batch's updates cost nothing (seeds/hour)",
        update_share=share,
        seconds=totals,
        update_seconds=updates,
        update_speedup_for_aim=needed,
        target=f"≥ {AIM} (aim)",
    )
    until += 8
    benchmark.pedantic(lambda: alone[0].train(until=until), rounds=1, iterations=1)
    print(
        f"\n{env_id}, {stepping}: a seed alone spends {share:.1%} of its time in "
        f"{owner.__name__}.{name}; "
        f"free updates would give at most {ceiling:.2f}x the seeds per hour; "
        + (
            f"{AIM}x takes a batch of {AIM} whose updates run {needed:.1f}x as fast per member"
            if needed is not None
            else f"no batch of {AIM} reaches {AIM}x by its updates alone"
        )
    )
