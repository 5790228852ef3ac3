"""The peer runner stores each peer's own transitions, with the right ``obs_next``."""

from __future__ import annotations

import numpy as np

import peerzoo
from baselines.peer.runner import PeerRunner
from baselines.peer.trust import EVERY, PeerTrustStrategy, TrustConfig
from peerzoo.tasks.room import MOVES

SIZE = 5


class RecordingPeer:
    """A learner that acts at random (seeded) and records what the runner stores."""

    def __init__(self, seed: int, constant: int | None = None) -> None:
        self.rng = np.random.default_rng(seed)
        self.constant = constant
        self.stored: list[tuple] = []
        self.asked_for_advice = 0
        self.learned_at: list[int] = []

    def act(self, obs: np.ndarray, explore: bool) -> np.ndarray:
        self.asked_for_advice += 1
        if self.constant is not None:
            return np.full(len(obs), self.constant)
        return self.rng.integers(4, size=len(obs))

    def begin_step(self) -> None:
        pass

    def q(self, obs: np.ndarray, actions: np.ndarray) -> np.ndarray:
        return np.zeros(actions.shape[:2])

    def store(self, obs, act, rew, terminated, truncated, obs_next) -> None:
        self.stored.append((obs, int(act), rew, terminated, truncated, obs_next))

    def learn(self, gradient_steps: int) -> dict[str, float]:
        self.learned_at.append(len(self.stored) + 1)  # env steps so far (no episode ends)
        return {}


def _room_runner(n_peers: int = 3, max_steps: int = 7) -> tuple[PeerRunner, list[RecordingPeer]]:
    env = peerzoo.make(
        "peer_room_v0",
        api="parallel",
        n_peers=n_peers,
        advice="always",
        autoreset=True,
        size=SIZE,
        max_steps=max_steps,
    )
    peers = [RecordingPeer(seed=i) for i in range(n_peers)]
    runner = PeerRunner(env, peers, _random_advice(n_peers), learning_starts=0)
    return runner, peers


def _random_advice(n_peers: int) -> PeerTrustStrategy:
    """The random-advice comparison: no mechanism on, uniform over all candidates."""
    config = TrustConfig(use_critic=False, use_trust=False, use_agent_values=False, follow_steps=3)
    return PeerTrustStrategy(n_peers, n_peers, (4,), config)


def _expected_next(obs: np.ndarray, action: int) -> np.ndarray:
    """Room dynamics: the agent moves one cell (clipped at the walls); the goal stays."""
    cells = np.rint(obs * (SIZE - 1)).astype(int)
    cells[:2] = np.clip(cells[:2] + MOVES[action], 0, SIZE - 1)
    return (cells / (SIZE - 1)).astype(np.float32)


def test_obs_next_is_the_acting_peers_own_next_state_including_across_autoresets():
    """Every stored obs_next is what the peer's own task copy reached by executing ``act``.

    Checked against Room's dynamics, so it holds whichever peer's recommendation
    was executed, and at episode ends (where the next ACT turn already shows the
    reset state and ``final_observation`` must be used instead).
    """
    runner, peers = _room_runner()
    for _ in range(40):
        runner.run_round()
    for peer in peers:
        assert len(peer.stored) >= 35  # one per round but the last, still pending
        episode_ends = 0
        for k, (obs, act, _rew, terminated, truncated, obs_next) in enumerate(peer.stored):
            np.testing.assert_array_equal(obs_next, _expected_next(obs, act))
            assert not terminated  # Room never terminates; the time limit truncates
            if truncated:
                episode_ends += 1
                # the next transition starts the new episode in the room's centre
                assert k + 1 == len(peer.stored) or np.all(peer.stored[k + 1][0][:2] == 0.5)
            elif k + 1 < len(peer.stored):
                np.testing.assert_array_equal(obs_next, peer.stored[k + 1][0])
        assert episode_ends == len(peer.stored) // 7


def test_transitions_never_enter_another_peers_buffer():
    """Each peer's stored states chain through its own task copy only (goal never changes
    within an episode, and each copy's goal is its own)."""
    runner, peers = _room_runner(max_steps=1000)
    goals = [np.array(runner.env.core.tasks[i]._goal) for i in range(3)]
    assert len({tuple(g) for g in goals}) > 1  # the copies differ, so a mix-up would show
    for _ in range(20):
        runner.run_round()
    for i, peer in enumerate(peers):
        for obs, *_rest, obs_next in peer.stored:
            np.testing.assert_array_equal(np.rint(obs[2:] * (SIZE - 1)), goals[i])
            np.testing.assert_array_equal(np.rint(obs_next[2:] * (SIZE - 1)), goals[i])


def test_advice_turns_query_policies_and_store_nothing():
    runner, peers = _room_runner()
    runner.run_round()
    # 3 peers: 2 advice phases, each peer advises once per phase, plus its own ACT query.
    assert [p.asked_for_advice for p in peers] == [3, 3, 3]
    assert all(p.stored == [] for p in peers)  # the first transitions wait for obs_next


def test_stock_turn_order_would_pair_an_act_with_another_peers_state():
    """Why the runner routes turns itself.

    Tianshou's ``PettingZooEnv`` stores, as obs_next of an agent's transition,
    the observation of that agent's next turn. After peer_0's ACT the next turn
    of peer_0 is an ADVISE turn showing the *subject's* state, so the stock path
    would store another task copy's state as peer_0's next state.
    """
    env = peerzoo.make("peer_room_v0", n_peers=3, advice="always", size=SIZE)  # AEC form
    env.reset(seed=3)
    own_next = None
    for agent in env.agent_iter(3 * 3 + 1):  # two advice cycles and the act cycle
        obs, *_ = env.last()
        if env.agent_selection == "peer_0" and obs["role"] == peerzoo.ACT:
            env.step(0)
            own_next = np.array(env.unwrapped.core._obs[0])
            continue
        if own_next is not None and agent == "peer_0":
            assert obs["role"] == peerzoo.ADVISE  # the stock path's "obs_next"
            assert int(obs["subject"]) != 0
            assert not np.array_equal(obs["observation"], own_next)
            return
        env.step(0 if obs["role"] == peerzoo.IDLE else 1)
    raise AssertionError("peer_0's next turn was never reached")


def test_the_first_learning_starts_steps_act_uniformly_at_random_and_follow_nobody():
    """Stable-Baselines3's warm-up: ``action_space.sample()`` below ``learning_starts``;
    the first update comes after the first ``train_freq`` window past it."""
    env = peerzoo.make("peer_room_v0", api="parallel", n_peers=2, size=SIZE, max_steps=1000)
    peers = [RecordingPeer(seed=i, constant=0) for i in range(2)]
    strategy = _random_advice(2)
    runner = PeerRunner(env, peers, strategy, learning_starts=16, train_every=8)
    for _ in range(41):
        runner.run_round()
    for i, peer in enumerate(peers):
        actions = [act for _obs, act, *_ in peer.stored]
        assert len(set(actions[:16])) > 1  # uniform over the four moves
        assert set(actions[16:]) == {0}  # every peer recommends 0 afterwards
        assert peer.learned_at == [24, 32, 40]  # after 8-step windows past step 16
        followed = strategy.trusts[i].suggestions.followed[:40]
        assert (followed[:16] == EVERY).all() and (followed[16:] != EVERY).all()
    assert runner.stats.follow_counts.sum() == 2 * (41 - 16)


def test_epochs_past_max_peer_epochs_are_solo_and_leave_the_suggestion_buffer_alone():
    env = peerzoo.make(
        "peer_room_v0", api="parallel", n_peers=2, size=SIZE, stepping="round_robin:5"
    )
    peers = [RecordingPeer(seed=i) for i in range(2)]
    config = TrustConfig(
        use_critic=False,
        use_trust=False,
        use_agent_values=False,
        sample_from_suggestions=False,
        only_follow_peers=True,
        follow_steps=1,
    )
    strategy = PeerTrustStrategy(2, 2, (4,), config)
    runner = PeerRunner(env, peers, strategy, learning_starts=0, epoch_length=5, max_peer_epochs=2)
    for _ in range(40):  # 4 epochs of 5 steps for each peer, one peer at a time
        runner.run_round()
    np.testing.assert_array_equal(runner.stats.env_steps, [20, 20])
    # early advice: the other peer for two epochs (10 steps), then solo
    np.testing.assert_array_equal(runner.stats.follow_counts, [[10, 10], [10, 10]])
    assert [t.suggestions.size for t in strategy.trusts] == [10, 10]
