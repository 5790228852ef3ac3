"""Recurrent PPO: the paper's network, 16-step sequence training, the auxiliary L1 loss."""

from __future__ import annotations

import dataclasses

import gymnasium as gym
import numpy as np
import pytest
import torch
from tianshou.algorithm import PPO
from tianshou.algorithm.algorithm_base import Algorithm
from tianshou.utils.torch_utils import policy_within_training_step

from baselines.social.config import NetworkConfig, PPOConfig, RunConfig
from baselines.social.networks import SocialNet
from baselines.social.recurrent_ppo import RecurrentPPO, build_recurrent_ppo
from baselines.social.rollout import StreamCollector
from baselines.social.rollout_data import Rollout, gae
from tests.baselines_social.fake_social_env import FakeSocialEnv

SHAPE = (21, 21, 3)


def _learner(aux: bool = True, lr: float = 1e-4, refresh: int = 2) -> RecurrentPPO:
    ppo = PPOConfig(lr=lr, state_refresh_interval=refresh)
    return build_recurrent_ppo(SHAPE, 3, gym.spaces.Discrete(3), NetworkConfig(aux_head=aux), ppo)


def _rollout(algo: RecurrentPPO, seed: int = 0, length: int = 32, n_envs: int = 2) -> Rollout:
    collector = StreamCollector(
        lambda solo: FakeSocialEnv(n_experts=0 if solo else 2, max_cycles=20),
        n_envs,
        algo.net,
        algo.policy.dist_fn,
        seed,
    )
    return collector.collect(length)


def _update(algo: RecurrentPPO, rollout: Rollout, batch_size: int = 64, repeat: int = 1):
    with policy_within_training_step(algo.policy):
        return algo.update(rollout.to_buffer(), batch_size=batch_size, repeat=repeat)


def test_network_follows_the_papers_appendix():
    net = SocialNet(SHAPE, 3)
    convs = [m for m in net.encoder if isinstance(m, torch.nn.Conv2d)]
    assert [c.out_channels for c in convs] == [32, 64, 64]
    assert [c.kernel_size for c in convs] == [(3, 3)] * 3
    assert [c.stride for c in convs] == [(3, 3), (1, 1), (1, 1)]
    assert net.fc[0].out_features == 192 and isinstance(net.fc[1], torch.nn.Tanh)
    assert net.lstm.hidden_size == 192
    assert [m.out_features for m in net.policy_head if isinstance(m, torch.nn.Linear)] == [
        64,
        64,
        3,
    ]
    assert [m.out_features for m in net.value_head if isinstance(m, torch.nn.Linear)] == [64, 64, 1]
    core, _ = net.step(np.zeros((5, *SHAPE), np.uint8), net.initial_state(5))
    prediction = net.predict_next_obs(core, torch.zeros(5))
    assert prediction.shape == (5, *SHAPE)
    assert prediction.min() >= 0 and prediction.max() <= 1  # the range obs are scaled to


def test_it_is_a_tianshou_ppo_whose_update_trains_on_sequences():
    algo = _learner()
    assert isinstance(algo, PPO)
    rollout = _rollout(algo, length=32, n_envs=2)  # 2 streams × 2 sequences of 16
    stats = _update(algo, rollout, batch_size=16, repeat=3)  # one sequence per minibatch
    assert stats.gradient_steps == 3 * 4
    assert np.isfinite(stats.loss.mean) and stats.aux_loss.mean > 0


def test_unrolling_sequences_from_stored_states_reproduces_collection_log_probs():
    algo = _learner()
    r = _rollout(algo, length=32, n_envs=2)
    assert r.episode_start[:, 20].all()  # an episode boundary inside the second sequence
    seqs = r.obs.reshape(4, 16, *SHAPE)
    h0 = torch.as_tensor(r.h0[:, ::16].reshape(4, -1))
    c0 = torch.as_tensor(r.c0[:, ::16].reshape(4, -1))
    with torch.no_grad():
        core, _ = algo.net.unroll(seqs, (h0, c0), r.episode_start.reshape(4, 16))
        logp = algo.policy.dist_fn(algo.net.logits(core)).log_prob(
            torch.as_tensor(r.act.reshape(4, 16))
        )
        value = algo.net.value(core)
    np.testing.assert_allclose(logp.numpy().reshape(2, 32), r.logp, atol=1e-5)
    np.testing.assert_allclose(value.numpy().reshape(2, 32), r.v_s, atol=1e-5)


def test_refreshing_states_with_unchanged_weights_changes_nothing():
    algo = _learner()
    r = _rollout(algo, length=32)
    algo._rollout = dataclasses.replace(
        r, **{k: getattr(r, k).copy() for k in ("h0", "c0", "v_s", "v_next")}
    )
    algo.refresh_states()
    for key in ("h0", "c0", "v_s", "v_next"):
        np.testing.assert_allclose(getattr(algo._rollout, key), getattr(r, key), atol=1e-5)


def test_aux_loss_decreases_on_a_fixed_batch():
    torch.manual_seed(0)
    algo = _learner(lr=1e-3)
    rollout = _rollout(algo, length=32)
    losses = [_update(algo, rollout, batch_size=64).aux_loss.mean for _ in range(25)]
    assert losses[-1] < 0.5 * losses[0], losses


def test_vanilla_learner_has_no_prediction_head_and_no_aux_loss():
    algo = _learner(aux=False)
    assert algo.net.aux_head is None and not algo.uses_aux_loss
    stats = _update(algo, _rollout(algo, length=16))
    assert stats.aux_loss.mean == 0.0


def test_same_seed_gives_the_same_numbers():
    def run() -> tuple[list[float], torch.Tensor]:
        torch.manual_seed(3)
        algo = _learner(lr=1e-3)
        losses = []
        for _ in range(2):
            stats = _update(algo, _rollout(algo, seed=3, length=16), batch_size=16, repeat=2)
            losses.append(stats.loss.mean)
        return losses, torch.cat([p.flatten() for p in algo.parameters()])

    (losses_a, params_a), (losses_b, params_b) = run(), run()
    assert losses_a == losses_b
    assert torch.equal(params_a, params_b)


def test_gae_agrees_with_tianshou_compute_episodic_return():
    rng = np.random.default_rng(1)
    n, length = 3, 16
    done = rng.random((n, length)) < 0.15
    terminated = done & (rng.random((n, length)) < 0.5)
    truncated = done & ~terminated
    z = np.zeros((n, length, 4), np.float32)
    r = Rollout(
        obs=np.zeros((n, length, 2, 2, 1)),
        act=np.zeros((n, length), int),
        rew=rng.normal(size=(n, length)),
        terminated=terminated,
        truncated=truncated,
        obs_next=np.zeros((n, length, 2, 2, 1)),
        h0=z,
        c0=z,
        episode_start=np.zeros((n, length), bool),
        v_s=rng.normal(size=(n, length)),
        v_next=rng.normal(size=(n, length)),
        logp=np.zeros((n, length)),
    )
    returns, adv = gae(r.rew, r.v_s, r.v_next, terminated, truncated, 0.99, 0.95)
    buffer = r.to_buffer()
    batch, indices = buffer.sample(0)
    ts_returns, ts_adv = Algorithm.compute_episodic_return(
        batch, buffer, indices, batch.policy.v_next, batch.policy.v_s, gamma=0.99, gae_lambda=0.95
    )
    np.testing.assert_allclose(ts_adv, adv.reshape(-1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ts_returns, returns.reshape(-1), rtol=1e-5, atol=1e-6)


def test_rollout_length_must_hold_whole_sequences():
    with pytest.raises(ValueError, match="multiple of seq_len"):
        RunConfig(rollout_len=100)
