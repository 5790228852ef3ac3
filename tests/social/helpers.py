"""Building hand-made worlds for rule tests: walls, goals and agents exactly where we say."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from peerzoo.social.core import kernels
from peerzoo.social.core.codes import GOAL, WALL
from peerzoo.social.core.layouts import walled_room
from peerzoo.social.envs.goal_cycle_v0 import GoalCycleEnv

EAST, SOUTH, WEST, NORTH = 0, 1, 2, 3
LEFT, RIGHT, FORWARD = 0, 1, 2


def open_env(**kwargs) -> GoalCycleEnv:
    """A reset env on an open 13×13 room (no clutter), symbolic, no experts unless asked."""
    kw = {"n_experts": 0, "obs_mode": "symbolic", "clutter_density": 0.0, **kwargs}
    env = GoalCycleEnv(**kw)
    env.reset(seed=0)
    return env


def set_world(
    env: GoalCycleEnv,
    *,
    goals: Iterable[tuple[int, int]] = (),
    walls: Iterable[tuple[int, int]] = (),
    agents: Iterable[tuple[int, int, int]] = (),
) -> None:
    """Overwrite the layout: goals get cycle ids 0, 1, … in order; agents are (row, col, dir)."""
    env.grid[:] = walled_room(env.grid_size)
    env.goal_id[:] = -1
    for r, c in walls:
        env.grid[r, c] = WALL
    for i, (r, c) in enumerate(goals):
        env.grid[r, c] = GOAL
        env.goal_id[r, c] = i
    for k, (r, c, d) in enumerate(agents):
        env.pos[k] = (r, c)
        env.dirs[k] = d
    env.arrival[:] = np.arange(len(env.arrival))  # placed in agent order, as at reset
    env.last_goal[:] = -1
    env.goal_dist = np.zeros((env.n_goals, env.grid_size, env.grid_size), dtype=np.int64)
    kernels.goal_distances(env.grid, env.goal_id, env.n_goals, env.goal_dist)


def view(env: GoalCycleEnv, agent: str = "learner_0") -> np.ndarray:
    """The agent's current symbolic 7×7×3 view (without stepping)."""
    k = env.agent_name_mapping[agent]
    return env._observe(np.array([k], dtype=np.int64))[0]
