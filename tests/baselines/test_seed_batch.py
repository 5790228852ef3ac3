"""A seed trained in a seed batch follows the same seed trained alone, under both steppings."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from baselines.peer.config import PeerRunConfig, smoke
from baselines.peer.presets import paper_preset
from baselines.peer.seed_batch import SeedBatchedTraining
from baselines.peer.train import PeerTraining

ROUNDS_STEPS = 48  # env steps per peer: past learning_starts, several update ticks and epochs


def _config(stepping: str, seed: int, **changes: object) -> PeerRunConfig:
    config = smoke(paper_preset("peer_hopper_v0", "peer", seed=seed, n_peers=3))
    fields = dict(
        stepping=stepping,
        ensemble=stepping == "lockstep",
        epoch_length=16,
        hidden_sizes=(16, 16),
        batch_size=16,
        learning_starts=8,
        total_steps=ROUNDS_STEPS,
        eval_every=24,
        eval_episodes=2,
        task_kwargs={**config.task_kwargs, "max_episode_steps": 40},  # episodes end in training
    )
    return dataclasses.replace(config, **{**fields, **changes})


def _weights(run: PeerTraining) -> list[torch.Tensor]:
    return [p.detach().clone() for peer in run.peers for p in peer.algorithm.parameters()]


@pytest.mark.parametrize("stepping", ["round_robin", "lockstep"])
def test_a_batched_seed_trains_as_the_same_seed_alone(stepping, device):
    on = str(device)  # --device cuda: the GPU path, the same code
    alone = PeerTraining(_config(stepping, seed=1, device=on)).train()
    batch = SeedBatchedTraining(
        [_config(stepping, seed=0, device=on), _config(stepping, seed=1, device=on)]
    ).train()
    batched = batch.runs[1]

    assert batched.steps_done == alone.steps_done == ROUNDS_STEPS
    assert all(peer.updates > 0 for peer in batched.peers)  # every peer took batched steps
    np.testing.assert_array_equal(
        batched.runner.stats.follow_counts, alone.runner.stats.follow_counts
    )
    for mine, theirs in zip(batched.peers, alone.peers):  # the same transitions were stored
        stored = len(theirs.buffer)
        assert len(mine.buffer) == stored
        np.testing.assert_allclose(  # atol: on a GPU one bmm and N mms round apart (5e-7 seen)
            mine.buffer.obs[:stored], theirs.buffer.obs[:stored], rtol=1e-5, atol=1e-6
        )
    for a, b in zip(_weights(batched), _weights(alone), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.array(batched.curve), np.array(alone.curve), rtol=1e-4, atol=1e-3)
    assert len(batched.trust_curve) == len(alone.trust_curve) == 2
    # the other seed trained too, on its own data
    other = batch.runs[0].peers[0].buffer
    assert not np.array_equal(other.obs[:8], batched.peers[0].buffer.obs[:8])


def test_a_saved_batch_continues_as_the_uninterrupted_batch(tmp_path, device):
    configs = [_config("round_robin", seed=s, device=str(device)) for s in (0, 1)]
    whole = SeedBatchedTraining(configs).train()
    first_half = SeedBatchedTraining(configs).train(until=24)
    first_half.save(tmp_path / "batch.pt")
    resumed = SeedBatchedTraining.load(tmp_path / "batch.pt").train()
    for mine, theirs in zip(resumed.runs, whole.runs):
        assert mine.curve == theirs.curve
        for a, b in zip(_weights(mine), _weights(theirs), strict=True):
            torch.testing.assert_close(a, b, rtol=0, atol=0)


@pytest.mark.parametrize(
    ("configs", "message"),
    [
        ([], "at least one"),
        ([_config("round_robin", 0), _config("round_robin", 0)], "distinct seeds"),
        ([_config("round_robin", 0), _config("round_robin", 1, lr=1e-3)], "differ in lr"),
        ([_config("lockstep", 0, ensemble=False)], "set ensemble=True"),
        (
            [dataclasses.replace(_config("round_robin", 0), method="shared_replay")],
            "share one buffer",
        ),
    ],
)
def test_what_a_seed_batch_cannot_run_as_the_seeds_alone_is_refused(configs, message):
    with pytest.raises(ValueError, match=message):
        SeedBatchedTraining(configs)


def test_a_single_agent_batches_under_either_stepping():
    configs = [_config("lockstep", s, ensemble=False, method="single") for s in (0, 1)]
    batch = SeedBatchedTraining(configs)
    assert [len(group.members) for group in batch.groups] == [2]  # the one learner of each seed


def test_room_dqn_peers_are_refused_with_the_reason():
    configs = [smoke(paper_preset("peer_room_v0", "peer", seed=s)) for s in (0, 1)]
    with pytest.raises(ValueError, match=r"batches SAC updates.*DQNPeer"):
        SeedBatchedTraining(configs)
