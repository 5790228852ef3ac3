"""gSDE (Raffin et al. 2022) as Stable-Baselines3 1.5 has it, on Tianshou's SAC.

The equations, written out here independently of ``baselines.peer.gsde``:
with latent features z (the actor's last hidden layer), mean μ, σ = exp(log_std)
and a held exploration matrix W = σ ⊙ ε,

    x = μ + z·W,   action = tanh(x),
    log π = Σ_j log N(x_j; μ_j, sqrt(Σ_i z_i² σ_ij² + 1e-6)) − Σ_j log(1 − tanh(x_j)² + 1e-6).

The original's gSDE settings, SB3 1.5 defaults unless run_peer.py sets them:

| setting          | value | source                                                           |
|------------------|-------|------------------------------------------------------------------|
| use_sde          | True  | PeerLearning run_peer.py:180                                     |
| log_std_init     | -3    | PeerLearning run_peer.py:181                                     |
| sde_sample_freq  | -1    | SB3 1.5 sac/sac.py:95 (default: a new W only at rollout start)    |
| full_std         | True  | SB3 1.5 sac/policies.py:62 (default)                             |
| learn_features   | True  | SB3 1.5 sac/policies.py:97-99 (the SAC actor sets it)            |
| clip_mean        | 2.0   | SB3 1.5 sac/policies.py:65, :104-106 (Hardtanh on the mean)      |
| ε (var., tanh)   | 1e-6  | SB3 1.5 common/distributions.py:434, :535, :641                  |
| rollout length   | 8     | Experiments.md, every SAC run: --train_freq 8                    |
| redraw W (train) | every gradient step | SB3 1.5 sac/sac.py:203                             |
| redraw W (act)   | rollout start | SB3 1.5 common/off_policy_algorithm.py:566, :572         |
"""

from __future__ import annotations

import math

import gymnasium
import numpy as np
import pytest
import torch
from tianshou.data import Batch
from tianshou.utils.torch_utils import policy_within_training_step

from baselines.peer.config import PeerRunConfig
from baselines.peer.gsde import GSDEActor, GSDESACPolicy
from baselines.peer.learners import SACPeer
from baselines.peer.presets import paper_preset

ORIGINAL = {
    "use_sde": True,
    "log_std_init": -3.0,
    "sde_sample_freq": -1,
    "full_std": True,
    "learn_features": True,
    "train_every": 8,
}
OBS, ACT = 5, 3
OBS_SPACE = gymnasium.spaces.Box(-np.inf, np.inf, (OBS,), np.float32)
ACT_SPACE = gymnasium.spaces.Box(-1, 1, (ACT,), np.float32)


def _policy(full_std: bool) -> GSDESACPolicy:
    from tianshou.utils.net.common import Net

    torch.manual_seed(0)
    actor = GSDEActor(
        preprocess_net=Net(state_shape=(OBS,), hidden_sizes=(7, 6)),
        action_dim=ACT,
        log_std_init=-1.0,
        full_std=full_std,
    )
    with torch.no_grad():  # distinct σ per entry, so a transposed or summed-wrong σ shows
        actor.log_std.copy_(torch.linspace(-2.0, 0.5, actor.log_std.numel()).view_as(actor.log_std))
    actor.reset_noise()
    return GSDESACPolicy(actor=actor, action_space=ACT_SPACE)


def _closed_form(mean, latent, log_std, eps):
    """(action, log π) from the equations above, in float64 numpy."""
    mean, z = np.float64(mean), np.float64(latent)
    sigma = np.broadcast_to(np.exp(np.float64(log_std)), (z.shape[1], ACT))
    x = mean + z @ (sigma * np.float64(eps))
    var = (z**2) @ (sigma**2) + 1e-6
    gauss = -((x - mean) ** 2) / (2 * var) - 0.5 * np.log(2 * math.pi * var)
    correction = np.log(1 - np.tanh(x) ** 2 + 1e-6)
    return np.tanh(x), gauss.sum(1) - correction.sum(1)


@pytest.mark.parametrize("full_std", [True, False])
def test_sampled_action_and_log_prob_match_the_closed_form(full_std):
    policy = _policy(full_std)
    obs = np.random.default_rng(0).normal(size=(6, OBS)).astype(np.float32)
    with torch.no_grad(), policy_within_training_step(policy):
        result = policy(Batch(obs=obs, info={}))
        (mean, latent), _ = policy.actor(obs)
    action, log_prob = _closed_form(
        mean.numpy(),
        latent.numpy(),
        policy.actor.log_std.detach().numpy(),
        policy.actor.exploration_eps.numpy(),
    )
    np.testing.assert_allclose(result.act.numpy(), action, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(result.log_prob.numpy()[:, 0], log_prob, rtol=1e-4, atol=1e-4)


def test_mean_is_clipped_to_two_and_evaluation_acts_with_the_mean():
    policy = _policy(full_std=True)
    with torch.no_grad():
        policy.actor.mu.bias.fill_(50.0)
    obs = np.ones((2, OBS), np.float32)
    (mean, _), _ = policy.actor(obs)
    assert torch.all(mean == 2.0)  # SB3 SAC Actor: Hardtanh(-2, 2) on the mean
    with torch.no_grad():
        evaluated = policy(Batch(obs=obs, info={})).act  # outside a training step
    torch.testing.assert_close(evaluated, torch.tanh(mean))


@pytest.mark.parametrize("explore", [True, False])
def test_act_is_forwards_action_to_the_bit(explore):
    """The acting shortcut skips the distribution, not a step of the action's arithmetic."""
    policy = _policy(full_std=True)
    obs = np.random.default_rng(1).normal(size=(5, OBS)).astype(np.float32)
    with torch.no_grad(), policy_within_training_step(policy, explore):
        expected = policy(Batch(obs=obs, info={})).act
        got = policy.act(obs)
    assert torch.equal(got, expected)
    assert explore == (not torch.equal(got, torch.tanh(policy.actor(obs)[0][0])))


@pytest.mark.parametrize("learn_features", [True, False])
def test_log_std_gets_its_gradient_through_the_held_matrix_and_features_only_if_learned(
    learn_features,
):
    policy = _policy(full_std=True)
    policy.actor.learn_features = learn_features
    obs = np.random.default_rng(1).normal(size=(4, OBS)).astype(np.float32)
    with policy_within_training_step(policy):
        result = policy(Batch(obs=obs, info={}))
    (result.act.sum() + result.log_prob.sum()).backward()
    assert policy.actor.log_std.grad is not None and policy.actor.log_std.grad.abs().sum() > 0
    # With μ's weight zeroed, only the noise and the variance can reach the features.
    policy.zero_grad()
    with torch.no_grad():
        policy.actor.mu.weight.zero_()
    with policy_within_training_step(policy):
        result = policy(Batch(obs=obs, info={}))
    (result.act.sum() + result.log_prob.sum()).backward()
    first_layer = next(policy.actor.preprocess.parameters())
    reached = first_layer.grad is not None and first_layer.grad.abs().sum() > 0
    assert reached == learn_features


def _peer(**kwargs) -> SACPeer:
    torch.manual_seed(0)
    return SACPeer(
        OBS_SPACE, ACT_SPACE, hidden_sizes=(8, 8), buffer_size=64, batch_size=8, **kwargs
    )


def _own_steps(peer: SACPeer, n: int, obs: np.ndarray) -> list[np.ndarray]:
    """n own env steps as the runner takes them: begin_step, then the sampled action."""
    actions = []
    for _ in range(n):
        peer.begin_step()
        actions.append(peer.act(obs, explore=True)[0])
    return actions


def _changes(actions: list[np.ndarray]) -> list[int]:
    return [t for t in range(1, len(actions)) if not np.array_equal(actions[t], actions[t - 1])]


def test_noise_is_held_within_a_rollout_and_redrawn_at_each_rollout_start():
    peer = _peer(train_freq=4, sde_sample_freq=-1)
    obs = np.ones((1, OBS), np.float32)
    actions = _own_steps(peer, 12, obs)
    assert _changes(actions) == [4, 8]  # same state, same noise, until a rollout starts
    assert not np.array_equal(actions[0], peer.act(obs, explore=False)[0])  # noise is there


def test_noise_is_redrawn_every_sde_sample_freq_steps_within_a_rollout():
    peer = _peer(train_freq=8, sde_sample_freq=2)
    actions = _own_steps(peer, 12, np.ones((1, OBS), np.float32))
    assert _changes(actions) == [2, 4, 6, 8, 10]


def test_advice_queries_between_own_steps_do_not_redraw_the_noise():
    peer = _peer(train_freq=8)
    obs = np.ones((1, OBS), np.float32)
    peer.begin_step()
    first = peer.act(obs, explore=True)
    for _ in range(5):  # answering other peers, as an advisor does
        peer.act(np.zeros((3, OBS), np.float32), explore=True)
    np.testing.assert_array_equal(peer.act(obs, explore=True), first)


def test_sac_update_runs_end_to_end_and_redraws_the_noise_per_gradient_step():
    peer = _peer(train_freq=8)
    rng = np.random.default_rng(0)
    for _ in range(32):
        peer.store(
            rng.normal(size=OBS).astype(np.float32),
            rng.uniform(-1, 1, ACT).astype(np.float32),
            float(rng.normal()),
            bool(rng.random() < 0.1),
            False,
            rng.normal(size=OBS).astype(np.float32),
        )
    actor = peer.policy.actor
    log_std, eps = actor.log_std.detach().clone(), actor.exploration_eps.clone()
    draws = []
    original_reset = actor.reset_noise

    def counting_reset() -> None:
        draws.append(1)
        original_reset()

    actor.reset_noise = counting_reset
    stats = peer.learn(3)
    assert len(draws) == 3  # one new W per gradient step, as SB3's SAC.train
    assert all(np.isfinite(v) for v in stats.values())
    assert not torch.equal(actor.log_std.detach(), log_std)  # log σ is trained
    assert not torch.equal(actor.exploration_eps, eps)


def test_sac_uses_gsde_with_the_original_settings_by_default():
    config = paper_preset("peer_hopper_v0")
    for name, value in ORIGINAL.items():
        assert getattr(config, name) == value, name
    assert PeerRunConfig().use_sde is True
    peer = SACPeer(OBS_SPACE, ACT_SPACE, hidden_sizes=(8, 8), buffer_size=8)
    assert isinstance(peer.policy, GSDESACPolicy)
    torch.testing.assert_close(peer.policy.actor.log_std, torch.full((8, ACT), -3.0))
