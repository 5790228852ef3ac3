"""Scripted experts never get stuck: 500 layouts of every registered social id, fully played.

Each seed draws a layout through the env's own ``reset``; the episode is then
played by the env's kernels in one compiled loop (the experts' moves do not
depend on the learner), so 2,500 episodes take seconds. Every expert, the
all-knowing and the discovering kind, must complete at least two full cycles
in the 250 steps (the discovering kind: at least one everywhere, two in the
paper's room) and never stand on one cell for more than a few steps.
"""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

import peerzoo
from peerzoo.social.core import kernels
from peerzoo.social.core.codes import WALL
from peerzoo.social.core.layouts import reachable_from
from peerzoo.social.envs import SOCIAL_ENV_IDS

SEEDS = range(500)
MAX_STILL = 2  # an about-turn: two turns, then the step


@njit(cache=True)
def play_experts(env_arrays, n_goals: int, steps: int, know_order: bool):
    """Run the experts alone for ``steps``; (goals in order, penalties, longest stand-still)."""
    grid, goal_id, dist, pos, dirs = env_arrays
    n = pos.shape[0]
    experts = np.arange(n)
    alive = np.ones(n, dtype=np.bool_)
    last_goal = np.full(n, -1, dtype=np.int64)
    last_before = np.empty(n, dtype=np.int64)
    arrival = np.arange(n).astype(np.int64)
    known_next = np.full((n, n_goals), -1, dtype=np.int64)
    ruled_out = np.zeros((n, n_goals, n_goals), dtype=np.bool_)
    actions = np.zeros(n, dtype=np.int64)
    rewards = np.zeros(n)
    in_order = np.zeros(n, dtype=np.int64)
    penalties = np.zeros(n, dtype=np.int64)
    mistaken = np.zeros(n, dtype=np.bool_)
    still = np.zeros(n, dtype=np.int64)
    longest = np.zeros(n, dtype=np.int64)
    for _ in range(steps):
        if know_order:
            kernels.cycle_actions(experts, pos, dirs, last_goal, dist, actions)
        else:
            kernels.discovering_actions(
                experts, pos, dirs, last_goal, dist, known_next, ruled_out, actions
            )
        before = pos.copy()
        last_before[:] = last_goal
        kernels.step_agents(
            experts, actions, pos, dirs, alive, grid, goal_id, last_goal, n_goals,
            1.0, -1.5, True, False, True, rewards, in_order, penalties, mistaken, True, arrival,
        )  # fmt: skip
        kernels.learn_cycle(
            experts, pos, goal_id, last_before, last_goal, mistaken, known_next, ruled_out
        )
        for k in range(n):
            if pos[k, 0] == before[k, 0] and pos[k, 1] == before[k, 1]:
                still[k] += 1
                longest[k] = max(longest[k], still[k])
            else:
                still[k] = 0
    return in_order, penalties, longest


def episodes(env_id: str, know_order: bool):
    env = peerzoo.make(env_id, api="parallel", obs_mode="symbolic", experts_know_order=know_order)
    experts = slice(env.n_learners, None)
    for seed in SEEDS:
        env.reset(seed=seed)
        arrays = (
            env.grid,
            env.goal_id,
            env.goal_dist,
            env.pos[experts].copy(),
            env.dirs[experts].copy(),
        )
        yield seed, env, play_experts(arrays, env.n_goals, env.max_cycles, know_order)


def every_route_crosses_a_goal(env) -> bool:
    """Whether some leg g → h of the layout has no route that avoids the other goals."""
    for g in range(env.n_goals):
        for h in range(env.n_goals):
            if g == h:
                continue
            walled = env.grid.copy()
            walled[(env.goal_id >= 0) & (env.goal_id != g) & (env.goal_id != h)] = WALL
            start = tuple(np.argwhere(env.goal_id == g)[0])
            if not reachable_from(walled, start)[env.goal_id == h].any():
                return True
    return False


@pytest.mark.parametrize("env_id", SOCIAL_ENV_IDS)
def test_all_knowing_experts_complete_two_cycles_and_never_stand_still(env_id) -> None:
    for seed, env, (in_order, penalties, longest) in episodes(env_id, know_order=True):
        cycles = in_order // env.n_goals
        assert cycles.min() >= 2, f"{env_id} seed {seed}: an expert completed {cycles} cycles"
        assert longest.max() <= MAX_STILL, f"{env_id} seed {seed}: stood still {longest} steps"
        if penalties.any():  # they cross a goal out of turn only when walls leave no other way
            assert every_route_crosses_a_goal(env), f"{env_id} seed {seed}: needless penalty"


@pytest.mark.parametrize("env_id", SOCIAL_ENV_IDS)
def test_discovering_experts_find_the_order_by_trial_and_error_and_never_stand_still(
    env_id,
) -> None:
    for seed, env, (in_order, penalties, longest) in episodes(env_id, know_order=False):
        n = env.n_goals
        assert (in_order // n).min() >= 1, f"{env_id} seed {seed}: no full cycle"
        assert longest.max() <= MAX_STILL, f"{env_id} seed {seed}: stood still {longest} steps"
        assert penalties.min() >= 1  # they did not know the order
        if penalties.max() > n * (n - 2):
            # Each goal's wrong successors are tried once at most, then never again; more
            # penalties only where walls force a crossing.
            assert every_route_crosses_a_goal(env), f"{env_id} seed {seed}: {penalties}"


def test_discovering_experts_cycle_twice_in_the_papers_room() -> None:
    for seed, env, (in_order, _, _) in episodes("goal_cycle_v0", know_order=False):
        assert (in_order // env.n_goals).min() >= 2, f"seed {seed}"
