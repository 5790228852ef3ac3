"""The batched ensemble is N stock Tianshou SAC peers, only batched, under every stepping."""

from __future__ import annotations

import copy
import dataclasses

import gymnasium
import numpy as np
import pytest
import torch
from tianshou.data import Batch
from tianshou.utils.torch_utils import policy_within_training_step, torch_train_mode

from baselines.peer.config import smoke
from baselines.peer.ensemble import EnsembleSAC, StackedGreedyActors
from baselines.peer.learners import SACPeer
from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining, greedy_policy

N, OBS, ACT, B = 3, 5, 2, 16


def _peers(use_sde: bool = False, device: str = "cpu") -> list[SACPeer]:
    obs_space = gymnasium.spaces.Box(-np.inf, np.inf, (OBS,), np.float32)
    act_space = gymnasium.spaces.Box(-1, 1, (ACT,), np.float32)
    peers = []
    rng = np.random.default_rng(0)
    for k in range(N):
        torch.manual_seed(k)  # different initial weights per peer
        peer = SACPeer(
            obs_space,
            act_space,
            hidden_sizes=(8, 16),
            buffer_size=64,
            batch_size=B,
            use_sde=use_sde,
            log_std_init=-1.0,
            device=device,
        )
        for _ in range(40):
            peer.store(
                rng.normal(size=OBS).astype(np.float32),
                rng.uniform(-1, 1, ACT).astype(np.float32),
                float(rng.normal()),
                bool(rng.random() < 0.2),
                bool(rng.random() < 0.1),
                rng.normal(size=OBS).astype(np.float32),
            )
        peers.append(peer)
    return peers


@pytest.mark.parametrize("use_sde", [False, True], ids=["gaussian", "gsde"])
def test_ensemble_losses_and_weights_equal_n_separate_stock_sac_updates(use_sde, device):
    stock_peers = _peers(use_sde, str(device))
    ensemble_peers = copy.deepcopy(stock_peers)
    ensemble = EnsembleSAC(ensemble_peers)
    rng = np.random.default_rng(1)

    for _ in range(3):  # several steps: Adam state and target networks must track too
        indices = [rng.integers(40, size=B) for _ in range(N)]
        torch.manual_seed(123)
        stock_stats = []
        for peer, idx in zip(stock_peers, indices):
            algo = peer.algorithm
            with policy_within_training_step(peer.policy), torch_train_mode(algo):
                peer.before_gradient_step()  # gSDE: a new exploration matrix per step
                batch = algo._preprocess_batch(peer.buffer[idx], peer.buffer, idx)
                stock_stats.append(algo._update_with_batch(batch))
        torch.manual_seed(123)
        stacked = Batch(
            **{
                key: np.stack(
                    [np.asarray(p.buffer[idx][key]) for p, idx in zip(ensemble_peers, indices)]
                )
                for key in ("obs", "act", "rew", "terminated", "obs_next")
            }
        )
        stats = ensemble._update_with_batch(stacked)
        for name in ("critic1_loss", "critic2_loss", "actor_loss", "alpha_loss"):
            expected = [getattr(s, name) for s in stock_stats]
            np.testing.assert_allclose(getattr(stats, name), expected, rtol=1e-5, atol=1e-6)

    ensemble.write_back()
    for stock, mine in zip(stock_peers, ensemble_peers):
        for a, b in zip(stock.algorithm.parameters(), mine.algorithm.parameters(), strict=True):
            torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("steps", [2])
def test_update_peers_samples_each_peer_from_its_own_buffer(steps):
    peers = _peers()
    ensemble = EnsembleSAC(peers)
    before = [p.policy.actor.mu.model[0].weight.detach().clone() for p in peers]
    stats = ensemble.update_peers(batch_size=B, gradient_steps=steps)
    assert stats.critic1_loss.shape == (N,)
    for peer, old in zip(peers, before):
        assert not torch.equal(peer.policy.actor.mu.model[0].weight, old)  # written back


def _actor_weights(training: PeerTraining) -> list[list[torch.Tensor]]:
    return [[p.detach().clone() for p in peer.policy.actor.parameters()] for peer in training.peers]


@pytest.mark.parametrize("stepping", ["lockstep", "round_robin"])
def test_runner_with_the_ensemble_acts_advises_and_learns_with_each_peers_current_policy(
    stepping,
):
    """Every batched query answers what each peer's own policy (gSDE) answers, in both steppings."""
    config = dataclasses.replace(
        smoke(paper_preset("peer_hopper_v0", n_peers=3, ensemble=True)),
        stepping=stepping,
        epoch_length=16,
        hidden_sizes=(16, 16),
        batch_size=16,
        learning_starts=8,
    )
    training = PeerTraining(config)
    ensemble = training.ensemble
    assert ensemble is not None and ensemble.sde
    before = _actor_weights(training)
    queries = []
    batched_act = ensemble.act

    def checked_act(obs: np.ndarray, explore: bool) -> np.ndarray:
        actions = batched_act(obs, explore)
        for k, peer in enumerate(training.peers):
            own = peer.act(obs[k : k + 1], explore)[0]
            np.testing.assert_allclose(actions[k], own, rtol=1e-5, atol=1e-6)
        queries.append(explore)
        return actions

    ensemble.act = checked_act
    for _ in range(60):
        training.runner.run_round()

    counts = training.runner.stats.follow_counts
    assert len(queries) > 60  # act phases and advice phases both went through the ensemble
    assert counts.sum() - np.trace(counts) > 0  # advice was followed
    for old, peer in zip(before, training.peers):  # every peer learned
        assert any(not torch.equal(a, b) for a, b in zip(old, peer.policy.actor.parameters()))
    stock_updates = [peer.updates for peer in training.peers]
    if stepping == "lockstep":
        assert stock_updates == [0, 0, 0]  # all through the batched update
    else:
        assert min(stock_updates) > 0  # one peer at a time, each with its stock update


def test_an_ensemble_update_after_a_stock_update_is_refused():
    peers = _peers(use_sde=True)
    ensemble = EnsembleSAC(peers)
    peers[1].learn(1)
    ensemble.act(np.zeros((N, OBS), np.float32), explore=True)  # brings the actor in, only
    with pytest.raises(RuntimeError, match=r"Peers \[1\] took stock updates"):
        ensemble.update_peers(batch_size=B)


@pytest.mark.parametrize("use_sde", [False, True], ids=["gaussian", "gsde"])
def test_stacked_greedy_actions_are_each_peers_own_greedy_actions(use_sde):
    obs_space = gymnasium.spaces.Box(-np.inf, np.inf, (OBS,), np.float32)
    act_space = gymnasium.spaces.Box(
        np.array([-2.0, 0.0], np.float32), np.array([3.0, 1.0], np.float32)
    )
    peers = []
    for k in range(N):
        torch.manual_seed(k)
        peers.append(
            SACPeer(obs_space, act_space, hidden_sizes=(8, 16), use_sde=use_sde, log_std_init=-1.0)
        )
    obs = np.random.default_rng(0).normal(size=(N, 7, OBS)).astype(np.float32)

    stacked = StackedGreedyActors(peers)(obs)

    own = np.stack([peer.act(obs[k], explore=False) for k, peer in enumerate(peers)])
    assert stacked.shape == own.shape == (N, 7, ACT)
    np.testing.assert_allclose(stacked, own, rtol=1e-6, atol=1e-6)
    assert all(act_space.contains(a) for a in stacked.reshape(-1, ACT))  # in the env's box


def test_greedy_policy_acts_for_rows_in_any_order_as_each_peer_alone():
    peers = _peers()
    rows = np.array([2, 0, 1, 1, 0, 2])  # two rows per peer, interleaved
    obs = np.random.default_rng(1).normal(size=(len(rows), OBS)).astype(np.float32)

    actions = greedy_policy(peers)(obs, rows)

    for r, k in enumerate(rows):
        np.testing.assert_allclose(actions[r], peers[k].act(obs[r : r + 1], explore=False)[0], 1e-6)
