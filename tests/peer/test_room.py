"""Room's dynamics and its scripted expert and adversary, against their definitions."""

from __future__ import annotations

import numpy as np
import pytest

from peerzoo.tasks import RoomAdversary, RoomEnv, RoomExpert
from peerzoo.tasks.room import DOWN, LEFT, RIGHT, UP

RNG = np.random.default_rng(0)


def cells(obs: np.ndarray, size: int) -> tuple[tuple[int, int], tuple[int, int]]:
    scaled = np.rint(obs * (size - 1)).astype(int)
    return (scaled[0], scaled[1]), (scaled[2], scaled[3])


@pytest.mark.parametrize("size", [21, 27])
def test_agent_starts_in_the_centre_and_the_goal_lies_on_the_border(size: int) -> None:
    env = RoomEnv(size=size)
    goals = set()
    for seed in range(1500):
        obs, _ = env.reset(seed=seed)
        agent, goal = cells(obs, size)
        assert agent == ((size - 1) // 2, (size - 1) // 2)
        assert min(goal) == 0 or max(goal) == size - 1
        goals.add(goal)
    border = {
        (x, y) for x in range(size) for y in range(size) if min(x, y) == 0 or max(x, y) == size - 1
    }
    assert goals == border, "the goal is drawn from the whole border"
    assert obs.dtype == np.float32 and env.observation_space.contains(obs)


def test_moves_walls_and_rewards() -> None:
    env = RoomEnv()
    env.reset(seed=0)
    env._goal[:] = (20, 10)
    obs, reward, terminated, truncated, info = env.step(UP)
    assert cells(obs, 21)[0] == (10, 11) and reward == pytest.approx(-0.001)
    assert (terminated, truncated, info["on_goal"]) == (False, False, False)
    assert cells(env.step(DOWN)[0], 21)[0] == (10, 10)
    assert cells(env.step(LEFT)[0], 21)[0] == (9, 10)
    for _ in range(10):
        env.step(RIGHT)
    _, reward, *_ = env.step(RIGHT)  # reaches (20, 10)
    assert reward == pytest.approx(1 - 0.001)
    obs, reward, terminated, _, info = env.step(RIGHT)  # pushes into the wall: stays on the goal
    assert cells(obs, 21)[0] == (20, 10) and info["on_goal"] and not terminated
    assert reward == pytest.approx(1 - 0.001)


@pytest.mark.parametrize("size, steps", [(21, 100), (27, 150)])
def test_episode_lasts_the_papers_number_of_steps(size: int, steps: int) -> None:
    env = RoomEnv(size=size)
    env.reset(seed=0)
    for t in range(1, steps + 1):
        *_, terminated, truncated, _ = env.step(UP)
        assert not terminated and truncated == (t == steps)


def test_expert_reaches_the_goal_along_a_shortest_path_and_stays() -> None:
    env, expert = RoomEnv(), RoomExpert()
    for seed in range(50):
        obs, _ = env.reset(seed=seed)
        agent, goal = cells(obs, 21)
        distance = abs(agent[0] - goal[0]) + abs(agent[1] - goal[1])
        total = 0.0
        for t in range(100):
            obs, reward, *_ = env.step(expert.recommend(obs, RNG))
            total += reward
            if t >= distance - 1:
                assert cells(obs, 21)[0] == goal
        assert total == pytest.approx((100 - distance + 1) * 1.0 - 0.1)


def test_adversary_heads_for_the_mirrored_goal() -> None:
    env, adversary = RoomEnv(), RoomAdversary()
    for seed in range(30):
        obs, _ = env.reset(seed=seed)
        mirrored = tuple(int(v) for v in (1 - np.round(obs[2:])) * 20)
        for _ in range(40):
            obs, *_ = env.step(adversary.recommend(obs, RNG))
        assert cells(obs, 21)[0] == mirrored
        assert cells(obs, 21)[0] != cells(obs, 21)[1]


def test_rgb_array_shows_agent_and_goal() -> None:
    env = RoomEnv(render_mode="rgb_array")
    env.reset(seed=0)
    frame = env.render()
    assert frame.shape == (168, 168, 3) and frame.dtype == np.uint8
    colours = {tuple(c) for c in frame.reshape(-1, 3)}
    assert (40, 170, 70) in colours and (40, 90, 220) in colours
