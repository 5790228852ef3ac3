"""In the paper's adversarial setting, trust singles out the adversary and the learners still learn.

The setting is the original's ``--agent-count 3 --mix-agents DQN DQN
Adversarial`` row (``room_adversarial/peer``: advantage on, all three
mechanisms, round robin), cut to CI size: a 3×3 room (20-step episodes) and
2000 env steps per peer in ten epochs. Two things scale with the budget, as
``smoke`` scales the rest: the nets (64, 64), and the trust learning rate,
0.01 instead of 0.001, so that trust and agent values leave their optimistic
start (200) within 2000 updates rather than the paper's 10⁶.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from baselines.peer.config import smoke
from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining

STEPS = 2000
ROOM = {"size": 3}
SEEDS = (0, 1, 2)
ADVERSARY = 2  # the scripted adversary's row follows the two learners'


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def adversarial_run(request) -> PeerTraining:
    config = paper_preset("peer_room_adversarial_v0", seed=request.param, task_kwargs=ROOM)
    config = smoke(config, total_steps=STEPS)
    config = dataclasses.replace(
        config, eval_every=STEPS, trust=dataclasses.replace(config.trust, lr=0.01)
    )
    return PeerTraining(config).train()


def test_the_setting_is_two_learners_and_one_scripted_adversary(adversarial_run):
    assert adversarial_run.env.scripted_names == ["adversary"]
    assert len(adversarial_run.peers) == 2 and adversarial_run.config.trust.advantage


def test_each_learner_follows_the_adversary_least(adversarial_run):
    counts = adversarial_run.runner.stats.follow_counts  # [learner, candidate]
    for learner in range(2):
        assert np.argmin(counts[learner]) == ADVERSARY, counts


def test_each_learners_trust_value_of_the_adversary_ends_lowest(adversarial_run):
    for learner, trust in enumerate(adversarial_run.strategy.trusts):
        values = trust.trust.values
        assert np.argmin(values) == ADVERSARY, (learner, values)


def test_the_adversarys_agent_value_ends_lowest(adversarial_run):
    values = adversarial_run.strategy.agent_values.values
    assert np.argmin(values) == ADVERSARY, values


def test_both_learners_reach_the_goal_in_every_evaluation_episode(adversarial_run):
    for learner, peer in enumerate(adversarial_run.peers):
        returns = adversarial_run.evaluate_peer(peer, episodes=10)
        # 1.0 for a step on the goal, −0.001 elsewhere: a positive return reached it
        assert min(returns) > 0.5, (learner, returns)
