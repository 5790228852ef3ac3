"""``--device``: checked before anything is built, out of the config hash, honoured everywhere.

No GPU is needed: :mod:`tests.device_audit` makes every tensor created without
a device land on ``meta``, so a peer group trained inside it fails wherever
the code would have left a tensor on the CPU beside a GPU model.
"""

from __future__ import annotations

import dataclasses

import pytest
import torch

from baselines.device import checked_device
from baselines.peer.cli import shared_config_hash
from baselines.peer.config import PeerRunConfig, smoke
from baselines.peer.train import PeerTraining
from tests.device_audit import unplaced_tensors_on_meta


def test_cpu_is_always_a_device() -> None:
    assert checked_device("cpu") == torch.device("cpu")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("cuda", r"--device 'cuda': this machine's torch sees no CUDA device"),
        ("cuda:1", r"sees no CUDA device .*; use --device cpu"),
        ("gpu", r"--device 'gpu' is not a torch device"),
        ("mps", r"--device 'mps': the reference solutions train on cpu or cuda"),
    ],
)
def test_a_device_this_machine_lacks_is_one_line(monkeypatch, name: str, message: str) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match=message):
        checked_device(name)


def test_a_cuda_index_beyond_the_machine_is_named(monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert checked_device("cuda:0") == torch.device("cuda:0")
    with pytest.raises(ValueError, match=r"this machine has 1 CUDA device\(s\)"):
        checked_device("cuda:1")


def test_a_gpu_run_without_a_gpu_stops_before_anything_is_built(monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    built = []
    monkeypatch.setattr(PeerTraining, "_make_peer", lambda *a: built.append(a))
    with pytest.raises(ValueError, match="no CUDA device"):
        PeerTraining(smoke(PeerRunConfig(env_id="peer_room_v0", device="cuda")))
    assert built == []


def test_the_device_is_not_part_of_the_config_hash() -> None:
    config = PeerRunConfig(env_id="peer_room_v0")
    assert shared_config_hash(config) == shared_config_hash(
        dataclasses.replace(config, device="cuda:0")
    )
    assert shared_config_hash(config) == shared_config_hash(dataclasses.replace(config, seed=3))
    assert shared_config_hash(config) != shared_config_hash(dataclasses.replace(config, lr=1e-3))


@pytest.mark.parametrize(
    ("env_id", "overrides"),
    [
        ("peer_room_v0", {}),  # DQN peers, round robin, trust
        ("peer_hopper_v0", {"stepping": "lockstep", "ensemble": True}),  # gSDE, batched
        ("peer_hopper_v0", {"use_sde": False}),  # Tianshou's Gaussian actor, stock updates
    ],
    ids=["room-dqn", "hopper-gsde-ensemble", "hopper-gaussian"],
)
def test_a_peer_group_places_every_tensor_on_its_device(env_id: str, overrides: dict) -> None:
    config = smoke(PeerRunConfig(env_id=env_id, n_peers=2, **overrides), total_steps=400)
    config = dataclasses.replace(config, learning_starts=50, eval_episodes=1)
    training = PeerTraining(config)
    before = [next(peer.policy.parameters()).clone() for peer in training.peers]
    with unplaced_tensors_on_meta():
        training.train()
    assert [steps for steps, _ in training.curve] == [100, 200, 300, 400]
    assert training.runner.stats.follow_counts.sum() > 0  # advice was asked and taken
    after = [next(peer.policy.parameters()) for peer in training.peers]
    assert all(not torch.equal(a, b) for a, b in zip(before, after))  # every peer learned


def test_the_audit_catches_a_tensor_made_without_a_device() -> None:
    layer = torch.nn.Linear(3, 2)
    with unplaced_tensors_on_meta(), pytest.raises((RuntimeError, NotImplementedError)):
        layer(torch.ones(4, 3)).sum().item()


@pytest.mark.parametrize("stepping", ["round_robin", "lockstep"])
def test_a_seed_batch_places_every_tensor_on_its_device(stepping: str) -> None:
    from baselines.peer.seed_batch import SeedBatchedTraining

    config = smoke(
        PeerRunConfig(env_id="peer_hopper_v0", n_peers=2, stepping=stepping, ensemble=True),
        total_steps=100,
    )
    config = dataclasses.replace(
        config,
        learning_starts=20,
        eval_episodes=1,
        hidden_sizes=(16, 16),
        batch_size=16,
        task_kwargs={**config.task_kwargs, "max_episode_steps": 40},
    )
    batch = SeedBatchedTraining([dataclasses.replace(config, seed=s) for s in (0, 1)])
    before = [next(p.policy.parameters()).clone() for run in batch.runs for p in run.peers]
    with unplaced_tensors_on_meta():
        batch.train()
    after = [next(p.policy.parameters()) for run in batch.runs for p in run.peers]
    assert all(not torch.equal(a, b) for a, b in zip(before, after))  # every peer of every seed
