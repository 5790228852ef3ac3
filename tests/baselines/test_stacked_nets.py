"""Stacked nets compute what each peer's own module computes, and refuse what they cannot."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest
import torch
from tianshou.utils.net.common import Net
from tianshou.utils.net.continuous import ContinuousCritic
from torch import nn

from baselines.peer.learners import SACPeer
from baselines.peer.stacked_nets import Stacked

N, OBS, ACT, B = 3, 5, 2, 7


def _peers(use_sde: bool) -> list[SACPeer]:
    obs_space = gymnasium.spaces.Box(-np.inf, np.inf, (OBS,), np.float32)
    act_space = gymnasium.spaces.Box(-1, 1, (ACT,), np.float32)
    peers = []
    for k in range(N):
        torch.manual_seed(k)  # different weights per peer
        peers.append(
            SACPeer(obs_space, act_space, hidden_sizes=(8, 16), buffer_size=8, use_sde=use_sde)
        )
    return peers


def _rows() -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    obs = torch.randn(N, B, OBS, generator=generator)
    return obs, torch.rand(N, B, ACT, generator=generator) * 2 - 1


@pytest.mark.parametrize("use_sde", [False, True], ids=["gaussian", "gsde"])
def test_stacked_actor_outputs_are_each_peers_own(use_sde):
    peers = _peers(use_sde)
    stacked = Stacked([p.policy.actor for p in peers])
    obs, _ = _rows()
    first, second = stacked.actor(stacked.as_dict(detach=True), obs)
    for k, peer in enumerate(peers):
        (own_first, own_second), _ = peer.policy.actor(obs[k])
        torch.testing.assert_close(first[k], own_first, rtol=1e-6, atol=1e-6)
        torch.testing.assert_close(second[k], own_second, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("which", ["critic", "critic2", "critic_old", "critic2_old"])
def test_stacked_critic_values_are_each_peers_own(which):
    peers = _peers(use_sde=True)
    modules = [getattr(p.algorithm, which) for p in peers]  # the targets are Tianshou-wrapped
    stacked = Stacked(modules)
    obs, act = _rows()
    q = stacked.critic(stacked.as_dict(detach=True), obs, act)
    assert q.shape == (N, B)
    for k, module in enumerate(modules):
        torch.testing.assert_close(q[k], module(obs[k], act[k]).flatten(), rtol=1e-6, atol=1e-6)


def test_gradients_reach_every_members_own_slice():
    peers = _peers(use_sde=False)
    stacked = Stacked([p.algorithm.critic for p in peers])
    obs, act = _rows()
    stacked.critic(stacked.as_dict(), obs, act)[1].sum().backward()
    for grad in (p.grad for p in stacked.params):
        assert grad[1].abs().sum() > 0
        assert grad[0].abs().sum() == 0 and grad[2].abs().sum() == 0


def test_write_back_and_read_in_copy_each_members_slice():
    peers = _peers(use_sde=True)
    actors = [p.policy.actor for p in peers]
    stacked = Stacked(actors)
    with torch.no_grad():
        for i, p in enumerate(stacked.params):
            p.copy_(torch.arange(p.numel(), dtype=p.dtype).reshape(p.shape) + i)
    stacked.write_back(actors)
    for k, actor in enumerate(actors):
        own = dict(actor.named_parameters())
        for name, p in zip(stacked.names, stacked.params):
            assert torch.equal(own[name], p[k].detach())
    with torch.no_grad():
        actors[0].mu.weight.fill_(7.0)
    stacked.read_in(0, actors[0])
    assert torch.equal(stacked.as_dict()["mu.weight"][0], torch.full((ACT, 16), 7.0))
    assert not torch.equal(stacked.as_dict()["mu.weight"][1], torch.full((ACT, 16), 7.0))


def test_actors_of_two_kinds_are_refused():
    gaussian, gsde = _peers(use_sde=False)[0], _peers(use_sde=True)[0]
    with pytest.raises(ValueError, match="one kind"):
        Stacked([gaussian.policy.actor, gsde.policy.actor])


def _critic(**net_kwargs) -> ContinuousCritic:
    net = Net(state_shape=(OBS,), action_shape=(ACT,), hidden_sizes=(8,), concat=True, **net_kwargs)
    return ContinuousCritic(preprocess_net=net)


@pytest.mark.parametrize(
    ("module", "match"),
    [
        (_critic(activation=nn.Tanh), "Linear\\+ReLU"),
        (_critic(norm_layer=nn.LayerNorm), "Linear\\+ReLU"),
        (nn.Linear(OBS, 1), "no forward for Linear"),
    ],
    ids=["tanh", "layer-norm", "foreign-module"],
)
def test_architectures_it_cannot_compute_are_refused(module, match):
    with pytest.raises(ValueError, match=match):
        Stacked([module, module])
