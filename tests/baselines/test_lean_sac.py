"""``LeanSAC.update`` and ``GSDESACPolicy.act``: Tianshou's paths bit for bit, minus bookkeeping."""

from __future__ import annotations

import copy
import dataclasses
import types

import gymnasium
import numpy as np
import pytest
import torch
from tianshou.algorithm import SAC
from tianshou.data import Batch, to_numpy
from tianshou.utils.torch_utils import policy_within_training_step, torch_train_mode

from baselines.peer.config import smoke
from baselines.peer.learners import LeanSAC, SACPeer
from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining

OBS, ACT, B = 5, 2, 32


def _filled_peer(use_sde: bool, n: int = 200, device: str = "cpu") -> SACPeer:
    """A peer with ``n`` random transitions (terminations, truncations, a wrapped-around ring)."""
    torch.manual_seed(0)
    peer = SACPeer(
        gymnasium.spaces.Box(-np.inf, np.inf, (OBS,), np.float32),
        gymnasium.spaces.Box(-2, 2, (ACT,), np.float32),
        hidden_sizes=(16, 24),
        buffer_size=n // 2,
        batch_size=B,
        use_sde=use_sde,
        log_std_init=-1.0,
        device=device,
    )
    rng = np.random.default_rng(1)
    for _ in range(n):
        peer.store(
            rng.normal(size=OBS).astype(np.float32),
            rng.uniform(-1, 1, ACT).astype(np.float32),
            float(rng.normal()),
            bool(rng.random() < 0.2),
            bool(rng.random() < 0.1),
            rng.normal(size=OBS).astype(np.float32),
        )
    with torch.no_grad():  # target critics ≠ critics, so the target's own weights matter
        for p in peer.algorithm.critic_old.parameters():
            p.add_(0.1)
    return peer


def _state(peer: SACPeer) -> list[torch.Tensor]:
    """Every number an update changes: all weights, log α, every optimizer's moments."""
    algo = peer.algorithm
    tensors = [*algo.parameters()]
    for optim in (algo.policy_optim, algo.critic_optim, algo.critic2_optim, algo.alpha._optim):
        torch_optim = getattr(optim, "_optim", optim)  # Tianshou's wrapper, or AutoAlpha's own
        for moments in torch_optim.state.values():
            tensors += [moments["exp_avg"], moments["exp_avg_sq"]]
    return tensors


@pytest.mark.parametrize("use_sde", [False, True], ids=["gaussian", "gsde"])
def test_lean_update_is_the_stock_update_bit_for_bit(monkeypatch, use_sde: bool, device) -> None:
    lean = _filled_peer(use_sde, device=str(device))
    stock = copy.deepcopy(lean)  # the buffer's sampling generator is copied too
    assert type(lean.algorithm) is LeanSAC
    stock_update = SAC.update.__get__(stock.algorithm)  # Tianshou's own update path
    called = []
    monkeypatch.setattr(
        LeanSAC, "_preprocess_batch", lambda *a: called.append(a) or SAC._preprocess_batch(*a)
    )
    for step in range(6):
        with (
            policy_within_training_step(lean.policy),
            policy_within_training_step(stock.policy),
            torch_train_mode(lean.algorithm),
            torch_train_mode(stock.algorithm),
        ):
            torch.manual_seed(step)  # the same gSDE matrix / Gaussian noise on both sides
            lean.before_gradient_step()
            mine = lean.algorithm.update(lean.buffer, B).get_loss_stats_dict()
            torch.manual_seed(step)
            stock.before_gradient_step()
            theirs = stock_update(stock.buffer, B).get_loss_stats_dict()
        assert mine == theirs
    assert len(called) == 6  # only the stock side went through the Batch path
    mine, theirs = _state(lean), _state(stock)
    # every weight (actor, critics, target critics, log α) and the Adam moments of 4 optimizers
    assert len(mine) > len([*lean.algorithm.parameters()]) + 2 * len([*lean.policy.parameters()])
    for a, b in zip(mine, theirs, strict=True):
        assert torch.equal(a, b)


def test_buffers_the_lean_update_cannot_read_directly_take_the_stock_path(monkeypatch) -> None:
    """Without stored next observations the fields are not plain arrays: Tianshou's path runs."""
    peer = _filled_peer(use_sde=True, n=60)
    peer.buffer.options["ignore_obs_next"] = True
    called = []
    monkeypatch.setattr(
        LeanSAC, "_preprocess_batch", lambda *a: called.append(a) or SAC._preprocess_batch(*a)
    )
    with policy_within_training_step(peer.policy), torch_train_mode(peer.algorithm):
        peer.algorithm.update(peer.buffer, B)
    assert len(called) == 1


def test_lean_update_needs_a_training_step_as_the_stock_one() -> None:
    peer = _filled_peer(use_sde=True, n=60)
    with pytest.raises(RuntimeError, match="training step"):
        peer.algorithm.update(peer.buffer, B)


def _tianshou_act(peer: SACPeer, obs: np.ndarray, explore: bool) -> np.ndarray:
    """The acting path before ``GSDESACPolicy.act``: Tianshou's policy forward."""
    with torch.no_grad(), policy_within_training_step(peer.policy, explore):
        act = peer.policy(Batch(obs=obs, info={})).act
    return peer.policy.map_action(to_numpy(act))


def test_a_peer_run_on_the_lean_paths_is_the_run_on_tianshous() -> None:
    """Three gSDE peers with advice, trust and episode ends: the same weights, returns, curve."""
    config = dataclasses.replace(
        smoke(paper_preset("peer_hopper_v0", "peer", n_peers=3)),
        epoch_length=16,
        hidden_sizes=(16, 16),
        batch_size=16,
        learning_starts=8,
        total_steps=48,
        eval_every=24,
        eval_episodes=2,
        task_kwargs={"max_episode_steps": 40},
    )
    runs = []
    for lean in (True, False):
        run = PeerTraining(config)
        if not lean:
            for peer in run.peers:
                peer.algorithm.update = SAC.update.__get__(peer.algorithm)
                peer.act = types.MethodType(_tianshou_act, peer)
        runs.append(run.train())
    lean_run, tianshou_run = runs
    assert all(p.updates > 0 for p in lean_run.peers)
    assert lean_run.runner.stats.episode_returns == tianshou_run.runner.stats.episode_returns
    assert lean_run.curve == tianshou_run.curve
    for a, b in zip(lean_run.peers, tianshou_run.peers, strict=True):
        for x, y in zip(a.algorithm.parameters(), b.algorithm.parameters(), strict=True):
            assert torch.equal(x, y)
