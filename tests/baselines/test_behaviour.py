"""Peer DQN learns Room, and peer learning's trust singles out the expert and the adversary.

CI budgets: a 5×5 room (24-step episodes) and 4000 env steps per peer, about
15 s per run on one core.
"""

from __future__ import annotations

import numpy as np
import pytest

from baselines.peer.config import room_preset, smoke
from baselines.peer.train import PeerTraining
from baselines.peer.trust import TrustConfig

STEPS = 4000
ROOM = {"size": 5}


@pytest.fixture(scope="module")
def room_run() -> PeerTraining:
    """ε-greedy on: the original's peers act greedily, which in 4000 steps leaves an
    occasional evaluation episode short of the goal; this run checks that DQN learns."""
    config = room_preset(task_kwargs=ROOM, epsilon_greedy=True)
    return PeerTraining(smoke(config, total_steps=STEPS)).train()


@pytest.fixture(scope="module")
def adversarial_run() -> PeerTraining:
    """The advantage option on: with 24-step episodes r + γV(s′) is nearly the same for
    every advisor (V dominates), and only the advantage separates them in CI time."""
    config = room_preset(
        "peer_room_adversarial_v0", task_kwargs=ROOM, trust=TrustConfig(advantage=True)
    )
    return PeerTraining(smoke(config, total_steps=STEPS)).train()


def test_dqn_peers_reach_the_goal_in_every_evaluation_episode(room_run):
    for peer in room_run.peers:
        returns = room_run.evaluate_peer(peer, episodes=10)
        # reaching the goal pays +1 per step spent on it; ≥ 10 means reached and stayed
        assert min(returns) >= 10, returns


def test_expert_ends_with_the_highest_agent_value_and_adversary_the_lowest(adversarial_run):
    n = adversarial_run.config.n_peers
    expert, adversary = n, n + 1  # scripted rows follow the learners
    assert adversarial_run.env.scripted_names == ["expert", "adversary"]
    values = adversarial_run.strategy.agent_values.values
    assert np.argmax(values) == expert, values
    assert np.argmin(values) == adversary, values


def test_adversary_is_the_peer_followed_least(adversarial_run):
    counts = adversarial_run.runner.stats.follow_counts.sum(axis=0)  # summed over followers
    assert np.argmin(counts) == adversarial_run.config.n_peers + 1, counts
