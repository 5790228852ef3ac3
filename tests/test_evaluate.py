"""peerzoo.evaluate: the one evaluation protocol, batched over every peer and episode."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import peerzoo

ROOM = {"size": 7, "max_steps": 12}


def by_peer(observations: np.ndarray, peers: np.ndarray) -> np.ndarray:
    """A deterministic policy that differs between peers and depends on the state: peer 0
    heads for the goal (Room's action a moves along axis a // 2, forwards when a is even),
    the others wander."""
    x, y, goal_x, goal_y = observations.T
    toward = np.where(goal_x > x, 0, np.where(goal_x < x, 1, np.where(goal_y > y, 2, 3)))
    wander = ((observations.sum(axis=1) * 10).astype(np.int64) + peers) % 4
    return np.where(peers == 0, toward, wander)


def one_episode_at_a_time(env_id: str, peer: int, episodes: int, seed: int) -> list[float]:
    """The protocol spelled out: a fresh single-peer copy, advice off, reset with seed + e."""
    returns = []
    for episode in range(episodes):
        env = peerzoo.make(env_id, api="parallel", n_peers=1, advice=None, **ROOM)
        obs, _ = env.reset(seed=seed + episode)
        total = 0.0
        while env.agents:
            state = np.asarray(obs["peer_0"]["observation"])[None]
            action = by_peer(state, np.array([peer]))[0]
            obs, rewards, _, _, _ = env.step({"peer_0": action})
            total += rewards["peer_0"]
        returns.append(total)
    return returns


def test_batched_returns_equal_each_peers_episodes_run_one_at_a_time() -> None:
    returns = peerzoo.evaluate(
        by_peer, "peer_room_v0", episodes=3, seed=peerzoo.EVAL_SEED, n_peers=3, env_kwargs=ROOM
    )
    assert returns.shape == (3, 3)
    for peer in range(3):
        expected = one_episode_at_a_time("peer_room_v0", peer, 3, peerzoo.EVAL_SEED)
        assert returns[peer].tolist() == pytest.approx(expected)
    assert len({tuple(row) for row in returns}) > 1, "the peers' policies differ"


def test_every_peer_faces_the_same_episodes_and_the_seed_picks_them() -> None:
    def same_for_all(observations: np.ndarray, peers: np.ndarray) -> np.ndarray:
        return by_peer(observations, np.zeros_like(peers))

    a = peerzoo.evaluate(same_for_all, "peer_room_v0", episodes=4, seed=5, env_kwargs=ROOM)
    assert a.shape == (2, 4), "Room's default is two peers"
    assert (a[0] == a[1]).all()
    again = peerzoo.evaluate(same_for_all, "peer_room_v0", episodes=4, seed=5, env_kwargs=ROOM)
    assert (a == again).all()
    shifted = peerzoo.evaluate(same_for_all, "peer_room_v0", episodes=3, seed=6, env_kwargs=ROOM)
    assert (shifted[0] == a[0, 1:]).all(), "episode e runs on seed + e"


class CountingPolicy:
    """Records every call; stands in for a recurrent policy that keeps memory per row."""

    def __init__(self) -> None:
        self.resets: list[int] = []
        self.batches: list[tuple[int, tuple[int, ...]]] = []

    def reset(self, batch_size: int) -> None:
        self.resets.append(batch_size)

    def __call__(self, observations: np.ndarray, peers: np.ndarray) -> np.ndarray:
        self.batches.append((len(observations), tuple(peers)))
        return np.zeros(len(observations), np.int64)


def test_one_policy_call_per_step_covers_every_copy_in_a_fixed_row_order() -> None:
    policy = CountingPolicy()
    peerzoo.evaluate(policy, "peer_room_v0", episodes=2, seed=0, n_peers=3, env_kwargs=ROOM)
    assert policy.resets == [6]
    assert len(policy.batches) == 12, "Room never terminates: every episode runs max_steps"
    assert set(policy.batches) == {(6, (0, 0, 1, 1, 2, 2))}


def test_a_social_world_evaluates_its_learners_side_by_side() -> None:
    policy = CountingPolicy()
    returns = peerzoo.evaluate(
        policy, "goal_cycle_v0", episodes=2, seed=0, n_peers=2, env_kwargs={"max_cycles": 7}
    )
    assert returns.shape == (2, 2)
    assert policy.resets == [4] and len(policy.batches) == 7
    assert set(policy.batches) == {(4, (0, 1, 0, 1))}, "episode by episode, learners inside"


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="episodes must be a positive int, got 0"):
        peerzoo.evaluate(by_peer, "peer_room_v0", episodes=0, seed=0)
    with pytest.raises(ValueError, match="returned 1 actions for a batch of 4"):
        peerzoo.evaluate(lambda o, p: [0], "peer_room_v0", episodes=2, seed=0, env_kwargs=ROOM)
    with pytest.raises(peerzoo.UnknownEnvError, match="peer_room_v0"):
        peerzoo.evaluate(by_peer, "peer_rom_v0", episodes=1, seed=0)
    with pytest.raises(ValueError, match="out of bounds; expected an integer in Discrete"):
        peerzoo.evaluate(
            lambda o, p: np.full(len(o), 9), "peer_room_v0", episodes=1, seed=0, env_kwargs=ROOM
        )


def test_evaluation_needs_neither_torch_nor_tianshou() -> None:
    code = (
        "import sys, numpy as np, peerzoo\n"
        "peerzoo.evaluate(lambda o, p: np.zeros(len(o), int), 'peer_room_v0', episodes=1, "
        "seed=0, env_kwargs={'size': 7})\n"
        "assert 'torch' not in sys.modules and 'tianshou' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
