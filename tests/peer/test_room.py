"""Room's dynamics and its scripted expert and adversary, against the original's ``Room-v21``.

The expected values below are worked out by hand from the original code
(kramerlab/PeerLearning: ``env/hallway.py``, ``env/room.py``,
``predefined_agents/room_peer.py``): action a moves along axis a // 2, forwards
when a % 2 == 0; a step on the goal pays exactly 1.0, any other −0.001.
"""

from __future__ import annotations

import numpy as np
import pytest

from peerzoo.tasks import RoomAdversary, RoomEnv, RoomExpert

# A 5×5 room, start (2, 2), goal placed at (4, 3): action, position after it, reward.
# (env/hallway.py: d = a // 2, direction = a % 2, clipped at the walls; reward 1.0 on the goal.)
REPLAY = [
    (0, (3, 2), -0.001),
    (0, (4, 2), -0.001),
    (0, (4, 2), -0.001),  # into the wall: stays
    (2, (4, 3), 1.0),  # on the goal
    (1, (3, 3), -0.001),
    (0, (4, 3), 1.0),
    (3, (4, 2), -0.001),
    (2, (4, 3), 1.0),
    (2, (4, 4), -0.001),
    (2, (4, 4), -0.001),  # into the wall
    (1, (3, 4), -0.001),
    (1, (2, 4), -0.001),
    (1, (1, 4), -0.001),
    (1, (0, 4), -0.001),
    (1, (0, 4), -0.001),  # into the wall
    (3, (0, 3), -0.001),
    (3, (0, 2), -0.001),
    (3, (0, 1), -0.001),
    (3, (0, 0), -0.001),
    (3, (0, 0), -0.001),  # into the wall
]


def cells(obs: np.ndarray, size: int) -> tuple[tuple[int, int], tuple[int, int]]:
    scaled = np.rint(obs * (size - 1)).astype(int)
    return (scaled[0], scaled[1]), (scaled[2], scaled[3])


def test_a_fixed_action_sequence_moves_and_pays_as_the_original() -> None:
    env = RoomEnv(size=5)
    obs, _ = env.reset(seed=0)
    assert cells(obs, 5)[0] == (2, 2)
    env._goal[:] = (4, 3)
    for action, position, reward in REPLAY:
        obs, r, terminated, truncated, info = env.step(action)
        assert cells(obs, 5) == (position, (4, 3))
        assert r == reward  # exactly: 1.0 replaces the step cost, it is not added to it
        assert not terminated and not truncated
        assert info["on_goal"] == (position == (4, 3))


def test_observation_is_position_then_goal_over_size_minus_one() -> None:
    env = RoomEnv()
    obs, _ = env.reset(seed=0)
    env._goal[:] = (20, 5)
    obs, *_ = env.step(0)
    np.testing.assert_allclose(obs, np.array([11, 10, 20, 5], np.float32) / 20)
    assert obs.dtype == np.float32 and env.observation_space.contains(obs)


@pytest.mark.parametrize("size, start", [(21, 10), (27, 13), (6, 3), (5, 2)])
def test_agent_starts_in_cell_size_floor_half(size: int, start: int) -> None:
    obs, _ = RoomEnv(size=size).reset(seed=0)
    assert cells(obs, size)[0] == (start, start)


def original_goal(seed: int, size: int) -> tuple[int, int]:
    """env/room.py's reset: integers(0, size − 1) per axis, then one random axis on a wall."""
    rng = np.random.default_rng(seed)
    goal = rng.integers(0, size - 1, size=2)
    axis = rng.choice(2)
    goal[axis] = rng.choice([0, size - 1])
    return int(goal[0]), int(goal[1])


def test_goal_is_drawn_as_the_original_draws_it() -> None:
    env = RoomEnv()
    goals = []
    for seed in range(1500):
        obs, _ = env.reset(seed=seed)
        goal = cells(obs, 21)[1]
        assert goal == original_goal(seed, 21)
        goals.append(goal)
    assert all(min(g) == 0 or max(g) == 20 for g in goals)
    assert (20, 20) not in goals, "both coordinates reach size − 1 only through the wall axis"
    assert {(0, 20), (20, 0), (0, 0)} <= set(goals)


@pytest.mark.parametrize("size, steps", [(21, 100), (27, 150)])
def test_episode_lasts_the_papers_number_of_steps(size: int, steps: int) -> None:
    env = RoomEnv(size=size)
    env.reset(seed=0)
    for t in range(1, steps + 1):
        *_, terminated, truncated, _ = env.step(2)
        assert not terminated and truncated == (t == steps)


def test_expert_picks_a_random_axis_that_still_differs_and_pushes_into_its_wall_on_goal() -> None:
    expert, rng = RoomExpert(), np.random.default_rng(0)
    towards = np.array([10, 10, 20, 5]) / 20  # needs x + 1 (action 0) or y − 1 (action 3)
    picks = [expert.recommend(towards, rng) for _ in range(2000)]
    assert set(picks) == {0, 3}
    assert np.mean(np.array(picks) == 0) == pytest.approx(0.5, abs=0.05)
    assert expert.recommend(np.array([20, 7, 20, 5]) / 20, rng) == 3  # one axis left: y − 1
    # on the goal: the axis with the largest |goal − 0.5| (x on ties), 2·axis + 1 − goal[axis]
    assert expert.recommend(np.array([20, 5, 20, 5]) / 20, rng) == 0
    assert expert.recommend(np.array([5, 0, 5, 0]) / 20, rng) == 3
    assert expert.recommend(np.array([0, 20, 0, 20]) / 20, rng) == 1


def test_expert_reaches_the_goal_along_a_shortest_path_and_stays() -> None:
    env, expert, rng = RoomEnv(), RoomExpert(), np.random.default_rng(0)
    for seed in range(50):
        obs, _ = env.reset(seed=seed)
        agent, goal = cells(obs, 21)
        distance = abs(agent[0] - goal[0]) + abs(agent[1] - goal[1])
        total = 0.0
        for t in range(100):
            obs, reward, *_ = env.step(expert.recommend(obs, rng))
            total += reward
            if t >= distance - 1:
                assert cells(obs, 21)[0] == goal
        assert total == pytest.approx((100 - distance + 1) * 1.0 - 0.001 * (distance - 1))


def test_adversary_heads_for_the_mirrored_goal_rounding_half_to_even() -> None:
    env, adversary, rng = RoomEnv(), RoomAdversary(), np.random.default_rng(0)
    for seed in range(30):
        obs, _ = env.reset(seed=seed)
        mirrored = tuple(int(v) for v in (1 - np.round(obs[2:])) * 20)
        for _ in range(40):
            obs, *_ = env.step(adversary.recommend(obs, rng))
        assert cells(obs, 21)[0] == mirrored
        assert cells(obs, 21)[0] != cells(obs, 21)[1]
    # goal x = 10 → 0.5 rounds to 0 → the adversary heads for x = 20
    assert adversary.recommend(np.array([10, 10, 10, 0]) / 20, rng) in (0, 2)


def test_rgb_array_shows_agent_and_goal() -> None:
    env = RoomEnv(render_mode="rgb_array")
    env.reset(seed=0)
    frame = env.render()
    assert frame.shape == (168, 168, 3) and frame.dtype == np.uint8
    colours = {tuple(c) for c in frame.reshape(-1, 3)}
    assert (40, 170, 70) in colours and (40, 90, 220) in colours
