"""Collection, mixed training and behaviour cloning on a stand-in with the gridworld interface."""

from __future__ import annotations

import numpy as np
import pytest
from tianshou.utils.net.discrete import dist_fn_categorical_from_logits

from baselines.social.bc import train_bc
from baselines.social.config import BCConfig, NetworkConfig, PPOConfig, RunConfig
from baselines.social.networks import SocialNet
from baselines.social.ppo import train_ppo
from baselines.social.rollout import StreamCollector
from benchmarks.methods import check_seed_record
from tests.baselines_social.fake_social_env import FakeSocialEnv


def _collector(solo_fraction: float = 0.0, n_learners: int = 1, seed: int = 0) -> StreamCollector:
    net = SocialNet((21, 21, 3), 3, NetworkConfig())
    return StreamCollector(
        lambda solo: FakeSocialEnv(n_learners, n_experts=0 if solo else 2, max_cycles=10),
        3,
        net,
        dist_fn_categorical_from_logits,
        seed,
        solo_fraction=solo_fraction,
    )


def test_streams_are_env_copies_times_learners_and_memory_resets_at_episode_starts():
    collector = _collector(n_learners=2)
    rollout = collector.collect(25)
    assert rollout.n_streams == 6 and rollout.length == 25
    assert rollout.episode_start[:, [0, 10, 20]].all()  # max_cycles=10
    assert not rollout.episode_start[:, 1:10].any()
    assert np.all(rollout.h0[rollout.episode_start] == 0)
    assert np.any(rollout.h0[:, 5] != 0)
    assert rollout.truncated[:, [9, 19]].all()
    # bootstrapping: inside an episode v_next is the next step's value
    np.testing.assert_allclose(rollout.v_next[:, :8], rollout.v_s[:, 1:9])
    assert collector.env_steps == 3 * 25


@pytest.mark.parametrize("fraction", [0.0, 0.5, 1.0])
def test_mixed_training_runs_the_given_fraction_of_episodes_without_experts(fraction):
    collector = _collector(solo_fraction=fraction, seed=1)
    collector.collect(400)  # 3 copies × 40 episodes
    solo = np.mean(collector.finished_solo)
    assert len(collector.finished_solo) == 120
    assert solo == pytest.approx(fraction, abs=0.12)


def test_behaviour_cloning_matches_the_expert_on_a_short_budget():
    record = train_bc(
        BCConfig(
            steps=1_200,
            n_envs=2,
            rollout_len=32,
            lr=1e-3,
            epochs=2,
            minibatch_seqs=4,
            eval_every=600,
            progress=False,
        ),
        make_env=lambda solo: FakeSocialEnv(max_cycles=20),
        evaluate=False,
    )
    matches = [m for _, m in record["action_match_curve"]]
    assert matches[0] < 0.6  # an untrained net does not match by chance
    assert matches[-1] >= 0.9


def _tiny_run(**overrides) -> dict:
    config = RunConfig(
        steps=128,
        n_envs=2,
        rollout_len=32,
        eval_every=64,
        eval_episodes=1,
        progress=False,
        ppo=PPOConfig(minibatch_seqs=2, epochs=2),
        **overrides,
    )
    return train_ppo(
        config, make_env=lambda solo: FakeSocialEnv(n_experts=0 if solo else 2), evaluate=False
    )


def test_training_runs_end_to_end_and_the_same_seed_gives_the_same_record():
    a, b = _tiny_run(seed=5), _tiny_run(seed=5)
    assert [s for s, _ in a["curve"]] == [0, 64, 128]
    assert a["curve"] == b["curve"] and a["per_peer_curve"] == b["per_peer_curve"]
    assert a["config_hash"] == b["config_hash"]
    assert check_seed_record(a) is a  # what the benchmark sweep accepts


def test_solo_and_vanilla_runs_train_too():
    assert _tiny_run(n_experts=0)["config"]["n_experts"] == 0
    vanilla = _tiny_run(network=NetworkConfig(aux_head=False))
    assert vanilla["config"]["network"]["aux_head"] is False
