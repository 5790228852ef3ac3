"""The trust mechanisms move as the paper's equations say (no networks involved)."""

from __future__ import annotations

import numpy as np
import pytest

from baselines.peer.trust import (
    PeerTrust,
    PeerTrustStrategy,
    RunningValues,
    TrustConfig,
    combine_mechanisms,
    normalise_by_max_abs,
    softmax,
    td_targets,
)


def test_each_mechanism_is_normalised_by_its_max_abs_and_then_summed():
    critic = np.array([2.0, -4.0, 1.0])
    trust = np.array([200.0, 100.0, 50.0])
    np.testing.assert_allclose(normalise_by_max_abs(critic), [0.5, -1.0, 0.25])
    np.testing.assert_allclose(combine_mechanisms(critic, trust, None), [1.5, -0.5, 0.5])
    np.testing.assert_array_equal(normalise_by_max_abs(np.zeros(3)), np.zeros(3))
    with pytest.raises(ValueError, match="At least one trust mechanism"):
        combine_mechanisms(None, None)


def test_softmax_temperature_sharpens_the_choice():
    scores = np.array([1.0, 0.0])
    np.testing.assert_allclose(softmax(scores, 1.0), [np.e / (np.e + 1), 1 / (np.e + 1)])
    assert softmax(scores, 0.1)[0] > 0.9999
    np.testing.assert_array_equal(softmax(scores, 0.0), [1.0, 0.0])


def test_target_is_reward_plus_discounted_next_value_minus_value_with_advantage():
    r, v_next, v = np.array([1.0, 1.0]), np.array([10.0, 10.0]), np.array([4.0, 4.0])
    terminated = np.array([False, True])
    np.testing.assert_allclose(td_targets(r, v_next, terminated, 0.9), [10.0, 1.0])
    np.testing.assert_allclose(td_targets(r, v_next, terminated, 0.9, v), [6.0, -3.0])


def test_running_values_start_at_200_and_move_by_lr_times_the_error():
    values = RunningValues(3)  # paper: lr 0.001, init 200
    np.testing.assert_array_equal(values.values, [200.0, 200.0, 200.0])
    values.update(np.array([1, 1]), np.array([0.0, 0.0]))
    # two sequential steps of v += 0.001 (0 - v)
    assert values.values[1] == pytest.approx(200 * 0.999**2)
    assert values.values[0] == values.values[2] == 200.0


class FakeCritic:
    """V(s) = first state component; lets a test choose the values exactly."""

    def value(self, obs: np.ndarray) -> np.ndarray:
        return obs[:, 0].astype(np.float64)


def test_trust_values_rise_for_the_peer_whose_advice_paid_and_fall_for_the_other():
    config = TrustConfig(use_agent_values=False, lr=0.1, init=0.0, batch_size=10)
    strategy = PeerTrustStrategy(2, 3, (1,), config, gamma=0.5)
    good, bad = 1, 2
    for _ in range(20):
        strategy.record(0, np.array([0.0]), 1.0, False, np.array([2.0]), good)  # target 2
        strategy.record(0, np.array([0.0]), -1.0, True, np.array([2.0]), bad)  # target -1
    strategy.learn(0, [FakeCritic(), FakeCritic()], n_updates=30, rng=np.random.default_rng(0))
    trust = strategy.trusts[0].trust.values
    assert trust[good] == pytest.approx(2.0, abs=0.1)
    assert trust[bad] == pytest.approx(-1.0, abs=0.1)
    assert trust[0] == 0.0  # never followed itself: untouched
    np.testing.assert_array_equal(strategy.trusts[1].trust.values, 0.0)  # trust is per peer


def test_agent_values_are_group_wide_and_use_each_peers_own_critic():
    """⌊10/N⌋ samples from each peer's buffer, scored by *that* peer's critic."""

    class Scaled(FakeCritic):
        def __init__(self, scale: float) -> None:
            self.scale = scale

        def value(self, obs: np.ndarray) -> np.ndarray:
            return self.scale * super().value(obs)

    config = TrustConfig(use_trust=False, lr=1.0, init=0.0)
    strategy = PeerTrustStrategy(2, 2, (1,), config, gamma=1.0)
    strategy.record(0, np.array([0.0]), 0.0, False, np.array([1.0]), 0)  # peer 0 followed itself
    strategy.record(1, np.array([0.0]), 0.0, False, np.array([1.0]), 1)  # peer 1 followed itself
    strategy.learn(0, [Scaled(3.0), Scaled(7.0)], n_updates=1, rng=np.random.default_rng(0))
    # lr 1 → each value jumps to its target; peer 1's sample is scored by peer 1's critic
    np.testing.assert_allclose(strategy.agent_values.values, [3.0, 7.0])
    assert strategy.trusts[0].agent_values is strategy.trusts[1].agent_values


def test_a_choice_is_held_for_follow_steps_then_decided_again():
    config = TrustConfig(use_critic=False, use_agent_values=False, follow_steps=10, init=1.0)
    trust = PeerTrust(0, 3, config, None, (1,))
    trust.trust.values[:] = [0.0, 1.0, -1.0]  # peer 1 is clearly trusted
    trust.temperature = 0.0
    strategy_like = []
    mask = np.ones(3, bool)
    rng = np.random.default_rng(0)
    for _ in range(25):
        if trust.needs_decision:
            strategy_like.append("decide")
            trust.decide(np.arange(3), None, rng)
        assert trust.follow(mask) == 1
    assert strategy_like.count("decide") == 3  # steps 0, 10, 20


def test_candidates_include_the_peer_itself_and_only_advisors_who_answered():
    trust = PeerTrust(2, 4, TrustConfig(), None, (1,))
    np.testing.assert_array_equal(trust.candidates(np.array([1, 0, 0, 1])), [0, 2, 3])


def test_softmax_choice_follows_the_scores_in_frequency():
    config = TrustConfig(use_critic=False, use_agent_values=False, follow_steps=1)
    trust = PeerTrust(0, 2, config, None, (1,))
    trust.trust.values[:] = [1.0, 0.0]  # normalised: [1, 0] → p = e/(e+1) ≈ 0.73
    rng = np.random.default_rng(1)
    picks = [trust.decide(np.arange(2), None, rng) for _ in range(4000)]
    assert np.mean(np.array(picks) == 0) == pytest.approx(np.e / (np.e + 1), abs=0.03)
