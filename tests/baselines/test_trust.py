"""The trust mechanisms move as the paper's equations and the original's ``peer.py`` say."""

from __future__ import annotations

import numpy as np
import pytest

from baselines.peer.trust import (
    EVERY,
    PeerTrust,
    PeerTrustStrategy,
    RunningValues,
    SuggestionBuffer,
    TrustConfig,
    combine_mechanisms,
    normalise_by_max_abs,
    softmax,
    state_value,
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


def test_running_values_take_one_step_per_candidate_per_batch_towards_its_mean_target():
    """peer.py's _update_trust: per candidate, the mean target of its samples in the batch,
    then v += lr (mean − v) once; a candidate absent from the batch keeps its value."""
    values = RunningValues(3)  # paper: lr 0.001, init 200
    np.testing.assert_array_equal(values.values, [200.0, 200.0, 200.0])
    values.update(np.array([1, 1, 2]), np.array([0.0, 10.0, 50.0]))
    assert values.values[1] == pytest.approx(200 + 0.001 * (5.0 - 200))  # one step, mean 5
    assert values.values[2] == pytest.approx(200 + 0.001 * (50.0 - 200))
    assert values.values[0] == 200.0


def test_a_warm_up_sample_counts_for_every_candidate_as_the_originals_none_index():
    values = RunningValues(3, lr=1.0, init=0.0)
    values.update(np.array([EVERY, 1]), np.array([4.0, 10.0]))
    np.testing.assert_allclose(values.values, [4.0, 7.0, 4.0])


def test_suggestion_buffer_samples_without_replacement_once_it_holds_more_than_the_batch():
    buffer = SuggestionBuffer((1,), capacity=1000)
    rng = np.random.default_rng(0)
    for k in range(10):
        buffer.add(np.zeros(1), float(k), False, np.zeros(1), 0)
    assert buffer.sample(10, rng) is None  # random.sample only once len(buffer) > 10
    buffer.add(np.zeros(1), 10.0, False, np.zeros(1), 0)
    for _ in range(50):
        idx = buffer.sample(10, rng)
        assert len(idx) == len(set(idx.tolist())) == 10


class FakeCritic:
    """Q(s, a) = first state component, whatever a: lets a test choose V(s) exactly."""

    def act(self, obs: np.ndarray, explore: bool) -> np.ndarray:
        return np.zeros(len(obs), np.int64)

    def q(self, obs: np.ndarray, actions: np.ndarray) -> np.ndarray:
        return np.repeat(obs[:, :1].astype(np.float64), actions.shape[1], axis=1)


def test_state_value_is_the_peers_q_of_its_sampled_not_its_deterministic_action():
    """peer.py's value(): critique(obs, policy.predict(obs)) without deterministic=True."""

    class TwoActions:
        def act(self, obs: np.ndarray, explore: bool) -> np.ndarray:
            return np.full(len(obs), 1 if explore else 0)

        def q(self, obs: np.ndarray, actions: np.ndarray) -> np.ndarray:
            return np.where(actions == 1, 5.0, -5.0)

    np.testing.assert_array_equal(state_value(TwoActions(), np.zeros((3, 2))), [5.0, 5.0, 5.0])


def test_trust_values_rise_for_the_peer_whose_advice_paid_and_fall_for_the_other():
    config = TrustConfig(use_agent_values=False, advantage=False, lr=0.1, init=0.0)
    strategy = PeerTrustStrategy(2, 3, (1,), config, gamma=0.5)
    good, bad = 1, 2
    for _ in range(20):
        strategy.record(0, np.array([0.0]), 1.0, False, np.array([2.0]), good)  # target 2
        strategy.record(0, np.array([0.0]), -1.0, True, np.array([2.0]), bad)  # target -1
    strategy.learn(0, [FakeCritic(), FakeCritic()], n_updates=60, rng=np.random.default_rng(0))
    trust = strategy.trusts[0].trust.values
    # one step per batch towards the batch's mean target: 60 steps of lr 0.1 from 0
    assert trust[good] == pytest.approx(2.0 * (1 - 0.9**60), abs=1e-6)
    assert trust[bad] == pytest.approx(-1.0 * (1 - 0.9**60), abs=1e-6)
    assert trust[0] == 0.0  # never followed itself: untouched
    np.testing.assert_array_equal(strategy.trusts[1].trust.values, 0.0)  # trust is per peer


def test_the_advantage_subtracts_the_peers_own_value_of_the_state_it_left():
    config = TrustConfig(use_agent_values=False, advantage=True, lr=1.0, init=0.0)
    strategy = PeerTrustStrategy(1, 2, (1,), config, gamma=0.5)
    for _ in range(11):
        strategy.record(0, np.array([3.0]), 1.0, False, np.array([2.0]), 1)
    strategy.learn(0, [FakeCritic()], n_updates=1, rng=np.random.default_rng(0))
    assert strategy.trusts[0].trust.values[1] == pytest.approx(1.0 + 0.5 * 2.0 - 3.0)


def test_agent_values_are_group_wide_and_use_each_peers_own_critic():
    """⌊10/N⌋ samples from each peer's buffer, scored by *that* peer's critic."""

    class Scaled(FakeCritic):
        def __init__(self, scale: float) -> None:
            self.scale = scale

        def q(self, obs: np.ndarray, actions: np.ndarray) -> np.ndarray:
            return self.scale * super().q(obs, actions)

    config = TrustConfig(use_trust=False, use_critic=False, advantage=False, lr=1.0, init=0.0)
    strategy = PeerTrustStrategy(2, 2, (1,), config, gamma=1.0)
    for _ in range(6):  # ⌊10/2⌋ = 5 per peer: sampled once a buffer holds more than 5
        strategy.record(0, np.array([0.0]), 0.0, False, np.array([1.0]), 0)  # followed itself
        strategy.record(1, np.array([0.0]), 0.0, False, np.array([1.0]), 1)  # followed itself
    strategy.learn(0, [Scaled(3.0), Scaled(7.0)], n_updates=1, rng=np.random.default_rng(0))
    # lr 1 → each value jumps to its target; peer 1's samples are scored by peer 1's critic
    np.testing.assert_allclose(strategy.agent_values.values, [3.0, 7.0])
    assert strategy.trusts[0].agent_values is strategy.trusts[1].agent_values


def test_agent_values_wait_until_every_learners_buffer_holds_more_than_its_share():
    """The scripted adversary counts in N (⌊10/3⌋ = 3), as in the original's group."""
    config = TrustConfig(use_trust=False, use_critic=False, advantage=False, lr=1.0, init=0.0)
    strategy = PeerTrustStrategy(2, 3, (1,), config, gamma=1.0)
    for _ in range(10):
        strategy.record(0, np.array([0.0]), 1.0, False, np.array([0.0]), 2)
    for _ in range(3):
        strategy.record(1, np.array([0.0]), 1.0, False, np.array([0.0]), 2)
    rng = np.random.default_rng(0)
    strategy.learn(0, [FakeCritic(), FakeCritic()], n_updates=1, rng=rng)
    np.testing.assert_array_equal(strategy.agent_values.values, 0.0)  # peer 1 holds only 3
    strategy.record(1, np.array([0.0]), 1.0, False, np.array([0.0]), 2)
    strategy.learn(0, [FakeCritic(), FakeCritic()], n_updates=1, rng=rng)
    np.testing.assert_array_equal(strategy.agent_values.values, [0.0, 0.0, 1.0])


def test_a_choice_is_held_for_follow_steps_then_decided_again():
    config = TrustConfig(
        use_critic=False, use_agent_values=False, follow_steps=10, init=1.0, temperature=0.0
    )
    trust = PeerTrust(0, 3, config, None, (1,))
    trust.trust.values[:] = [0.0, 1.0, -1.0]  # peer 1 is clearly trusted
    decisions = 0
    mask = np.ones(3, bool)
    rng = np.random.default_rng(0)
    for _ in range(25):
        if trust.needs_decision:
            decisions += 1
            trust.decide(np.arange(3), None, rng)
        assert trust.follow(mask) == 1
    assert decisions == 3  # steps 0, 10, 20


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


def test_without_sampling_a_peer_follows_a_random_other_peer_or_the_best_epsilon_greedily():
    """peer.py's get_action: only_follow_peers (early advice), else ε-greedy argmax."""
    rng = np.random.default_rng(0)
    others = TrustConfig(sample_from_suggestions=False, only_follow_peers=True, follow_steps=1)
    trust = PeerTrust(1, 3, others, None, (1,))
    assert {trust.decide(np.arange(3), np.zeros(3), rng) for _ in range(200)} == {0, 2}
    greedy = TrustConfig(use_critic=False, use_agent_values=False, sample_from_suggestions=False)
    trust = PeerTrust(0, 3, greedy, None, (1,))
    trust.trust.values[:] = [0.0, 1.0, -1.0]
    picks = np.array([trust.decide(np.arange(3), None, rng) for _ in range(3000)])
    # ε = 0.2: the best (1) unless a uniform draw, which also lands on 1 a third of the time
    assert np.mean(picks == 1) == pytest.approx(0.8 + 0.2 / 3, abs=0.03)


def test_no_mechanism_and_sampling_is_uniform_random_advice_including_self():
    config = TrustConfig(use_critic=False, use_trust=False, use_agent_values=False)
    trust = PeerTrust(0, 4, config, None, (1,))
    rng = np.random.default_rng(0)
    picks = [trust.decide(np.arange(4), None, rng) for _ in range(4000)]
    np.testing.assert_allclose(np.bincount(picks) / 4000, 0.25, atol=0.03)


def test_temperature_decays_as_exp_of_minus_decay_times_epoch():
    config = TrustConfig(use_critic=False, use_agent_values=False, temperature_decay=1.0)
    trust = PeerTrust(0, 2, config, None, (1,))
    trust.trust.values[:] = [1.0, 0.0]
    rng = np.random.default_rng(2)
    early = [trust.decide(np.arange(2), None, rng, epoch=0) for _ in range(500)]
    late = [trust.decide(np.arange(2), None, rng, epoch=5) for _ in range(500)]
    assert 0 < np.mean(np.array(early) == 1) < 0.4  # T = 1: p(1) = 1/(e+1) ≈ 0.27
    assert set(late) == {0}  # T = e^-5: p(1) = e^-148
