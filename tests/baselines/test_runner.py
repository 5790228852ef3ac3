"""The peer runner stores each peer's own transitions, with the right ``obs_next``."""

from __future__ import annotations

import numpy as np

import peerzoo
from baselines.peer.comparisons import RandomAdvice
from baselines.peer.runner import PeerRunner
from peerzoo.tasks.room import MOVES

SIZE = 5


class RecordingPeer:
    """A learner that acts at random (seeded) and records what the runner stores."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.stored: list[tuple] = []
        self.asked_for_advice = 0

    def act(self, obs: np.ndarray, explore: bool) -> np.ndarray:
        self.asked_for_advice += 1
        return self.rng.integers(4, size=len(obs))

    def begin_step(self) -> None:
        pass

    def q(self, obs: np.ndarray, actions: np.ndarray) -> np.ndarray:
        return np.zeros(actions.shape[:2])

    def value(self, obs: np.ndarray) -> np.ndarray:
        return np.zeros(len(obs))

    def store(self, obs, act, rew, terminated, truncated, obs_next) -> None:
        self.stored.append((obs, int(act), rew, terminated, truncated, obs_next))

    def learn(self, gradient_steps: int) -> dict[str, float]:
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
    runner = PeerRunner(env, peers, RandomAdvice(n_peers, follow_steps=3), learning_starts=10**9)
    return runner, peers


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
