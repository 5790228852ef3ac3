"""One world's step, shared by the single env and the batched worlds.

The single env (:class:`~peerzoo.social.envs.goal_cycle_v0.GoalCycleEnv`)
calls :func:`step_world` once per step; the vector form
(:mod:`peerzoo.social.vector`) calls :func:`step_worlds`, which runs
:func:`step_world` and the observation kernel over B worlds in one compiled
call. Both paths therefore apply exactly the same rules (the kernels of
:mod:`peerzoo.social.core.kernels`); a rule changed there changes both.

Per-step randomness (the shuffled move order, expert noise, respawn cells and
directions)
comes from a small counter-based generator (SplitMix64) whose 64-bit state
each world keeps in an array and draws from its ``np_random`` at reset, so a
world in the batch follows the same stream as a single env seeded the same.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from peerzoo.social.core import kernels

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
RESPAWN_TRIES = 100


@njit(cache=True)
def _next_u64(state: np.ndarray) -> np.uint64:
    s = state[0] + _GOLDEN
    state[0] = s
    z = (s ^ (s >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def uniform(state: np.ndarray) -> float:
    """A float in [0, 1) from the world's generator (53 random bits)."""
    return float(_next_u64(state) >> np.uint64(11)) * _TO_UNIT


@njit(cache=True)
def below(state: np.ndarray, n: int) -> int:
    """An int in [0, n) from the world's generator."""
    k = int(uniform(state) * n)
    return k if k < n else n - 1


@njit(cache=True)
def step_world(
    actions: np.ndarray,
    scripted_experts: bool,
    experts_know_order: bool,
    n_learners: int,
    expert_noise: float,
    n_actions: int,
    rng_state: np.ndarray,
    shuffle: bool,
    order: np.ndarray,
    pos: np.ndarray,
    dirs: np.ndarray,
    alive: np.ndarray,
    arrival: np.ndarray,
    grid: np.ndarray,
    goal_id: np.ndarray,
    last_goal: np.ndarray,
    last_before: np.ndarray,
    known_next: np.ndarray,
    ruled_out: np.ndarray,
    goal_dist: np.ndarray,
    n_goals: int,
    reward: float,
    penalty: float,
    initial_reward: bool,
    repeat_goal_penalty: bool,
    reset_on_mistake: bool,
    respawn: bool,
    ghost_mode: bool,
    spawn_cells: np.ndarray,
    rewards: np.ndarray,
    in_order: np.ndarray,
    mistakes: np.ndarray,
    mistaken: np.ndarray,
    prestige: np.ndarray,
    prestige_beta: float,
) -> None:
    """Advance one world by a step: experts choose, every agent moves, goals score.

    ``actions`` holds the learners' actions (and, without ``scripted_experts``,
    the experts' from a plugged-in policy); scripted experts' actions
    (:func:`kernels.cycle_actions`, or :func:`kernels.discovering_actions`
    without ``experts_know_order``) are written into it. Then expert noise, a
    shuffled move order (``shuffle=False``: the caller's ``order``, to replay a
    recorded one), the moves and scores (:func:`kernels.step_agents`), what
    discovering experts learn (:func:`kernels.learn_cycle`), respawning or
    retiring agents whose mistake restarted their cycle, and marlgrid's
    prestige (``prestige_beta < 0``: off). Observations are the caller's.
    """
    n = pos.shape[0]
    if n > n_learners:
        experts = np.arange(n_learners, n)
        if scripted_experts and experts_know_order:
            kernels.cycle_actions(experts, pos, dirs, last_goal, goal_dist, actions[n_learners:])
        elif scripted_experts:
            kernels.discovering_actions(
                experts,
                pos,
                dirs,
                last_goal,
                goal_dist,
                known_next,
                ruled_out,
                actions[n_learners:],
            )
    if expert_noise > 0.0:
        for k in range(n_learners, n):
            if uniform(rng_state) < expert_noise:
                actions[k] = below(rng_state, n_actions)
    if shuffle:
        for i in range(n):
            order[i] = i
        for i in range(n - 1, 0, -1):
            j = below(rng_state, i + 1)
            order[i], order[j] = order[j], order[i]
    last_before[:] = last_goal
    kernels.step_agents(
        order,
        actions,
        pos,
        dirs,
        alive,
        grid,
        goal_id,
        last_goal,
        n_goals,
        reward,
        penalty,
        initial_reward,
        reset_on_mistake,
        ghost_mode,
        rewards,
        in_order,
        mistakes,
        mistaken,
        repeat_goal_penalty,
        arrival,
    )
    if n > n_learners and not experts_know_order:
        kernels.learn_cycle(
            np.arange(n_learners, n),
            pos,
            goal_id,
            last_before,
            last_goal,
            mistaken,
            known_next,
            ruled_out,
        )
    if reset_on_mistake:
        for k in range(n):
            if not mistaken[k]:
                continue
            if respawn:
                for _ in range(RESPAWN_TRIES):
                    cell = below(rng_state, spawn_cells.shape[0])
                    r, c = spawn_cells[cell, 0], spawn_cells[cell, 1]
                    if ghost_mode or not kernels._occupied(pos, alive, k, r, c):
                        pos[k, 0] = r
                        pos[k, 1] = c
                        kernels.mark_arrival(arrival, k)
                        break
                dirs[k] = below(rng_state, 4)
            else:
                alive[k] = False
    if prestige_beta >= 0.0:
        update_prestige(prestige, rewards, alive, prestige_beta)


@njit(cache=True)
def update_prestige(
    prestige: np.ndarray, rewards: np.ndarray, alive: np.ndarray, beta: float
) -> None:
    """marlgrid's prestige (``GridAgentInterface.reward`` then ``on_step``), every step.

    A reward r ≥ 0 adds to it, a penalty resets it to 0, then it decays:
    p ← β·(p + r), or 0 after a penalty; agents out of the world keep theirs.
    """
    for k in range(prestige.shape[0]):
        if alive[k]:
            prestige[k] = 0.0 if rewards[k] < 0.0 else beta * (prestige[k] + rewards[k])


@njit(cache=True)
def step_worlds(
    active: np.ndarray,
    actions: np.ndarray,
    scripted_experts: bool,
    experts_know_order: bool,
    n_learners: int,
    expert_noise: float,
    n_actions: int,
    rng_state: np.ndarray,
    order: np.ndarray,
    pos: np.ndarray,
    dirs: np.ndarray,
    alive: np.ndarray,
    arrival: np.ndarray,
    grid: np.ndarray,
    goal_id: np.ndarray,
    last_goal: np.ndarray,
    last_before: np.ndarray,
    known_next: np.ndarray,
    ruled_out: np.ndarray,
    goal_dist: np.ndarray,
    n_goals: int,
    reward: float,
    penalty: float,
    initial_reward: bool,
    repeat_goal_penalty: bool,
    reset_on_mistake: bool,
    respawn: bool,
    ghost_mode: bool,
    spawn_cells: np.ndarray,
    n_spawn: np.ndarray,
    rewards: np.ndarray,
    in_order: np.ndarray,
    mistakes: np.ndarray,
    mistaken: np.ndarray,
    prestige: np.ndarray,
    prestige_beta: float,
    t: np.ndarray,
    colours: np.ndarray,
    rays: np.ndarray,
    agent_at: np.ndarray,
    flood_fill: bool,
    want_codes: bool,
    codes_out: np.ndarray,
    want_rgb: bool,
    sprites: np.ndarray,
    rgb_out: np.ndarray,
    sees_expert: np.ndarray,
    steps_in_view: np.ndarray,
) -> None:
    """:func:`step_world` then the learners' views, for every world ``b`` with ``active[b]``.

    Arrays carry a leading world axis; ``codes_out[b]`` / ``rgb_out[b]`` receive
    the learners' observations, as the single env's ``step`` returns them.
    """
    viewers = np.arange(n_learners)
    no_mask = np.zeros((1, 1, 1), dtype=np.bool_)
    has_experts = pos.shape[1] > n_learners
    for b in range(active.shape[0]):
        if not active[b]:
            continue
        step_world(
            actions[b],
            scripted_experts,
            experts_know_order,
            n_learners,
            expert_noise,
            n_actions,
            rng_state[b],
            True,
            order[b],
            pos[b],
            dirs[b],
            alive[b],
            arrival[b],
            grid[b],
            goal_id[b],
            last_goal[b],
            last_before[b],
            known_next[b],
            ruled_out[b],
            goal_dist[b],
            n_goals,
            reward,
            penalty,
            initial_reward,
            repeat_goal_penalty,
            reset_on_mistake,
            respawn,
            ghost_mode,
            spawn_cells[b, : n_spawn[b]],
            rewards[b],
            in_order[b],
            mistakes[b],
            mistaken[b],
            prestige[b],
            prestige_beta,
        )
        t[b] += 1
        kernels.egocentric_views(
            viewers,
            pos[b],
            dirs[b],
            alive[b],
            colours,
            grid[b],
            rays,
            agent_at[b],
            want_codes,
            codes_out[b],
            want_rgb,
            sprites,
            rgb_out[b],
            False,
            no_mask,
            n_learners,
            sees_expert[b],
            flood_fill,
            arrival[b],
        )
        if has_experts:
            for v in range(n_learners):
                steps_in_view[b, v] += sees_expert[b, v]
