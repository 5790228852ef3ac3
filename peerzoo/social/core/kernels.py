"""The jitted inner loops: moving agents, scoring goals, egocentric views, BFS, experts.

Everything the env does per step for all agents at once lives here, on plain
arrays, so one step is a few compiled calls rather than a Python loop over
agents and cells (multigrid's lesson). ``cache=True`` keeps compilation out of
every process after the first.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from peerzoo.social.core.codes import (
    AGENT,
    EMPTY,
    FORWARD,
    GOAL,
    GOAL_COLOUR,
    LEFT,
    RIGHT,
    UNSEEN,
    VIEW_COL,
    VIEW_ROW,
    VIEW_SIZE,
    WALL,
    WALL_COLOUR,
)

UNREACHABLE = 1 << 30

# Sprite ids of the observation renderer: 0 unseen, 1 empty, 2 wall, 3 goal,
# then 4 + 4 * agent + direction relative to the viewer.
SPRITE_UNSEEN, SPRITE_EMPTY, SPRITE_WALL, SPRITE_GOAL, SPRITE_AGENT0 = 0, 1, 2, 3, 4

_DR = np.array([0, 1, 0, -1], dtype=np.int64)
_DC = np.array([1, 0, -1, 0], dtype=np.int64)


@njit(cache=True)
def _occupied(pos: np.ndarray, alive: np.ndarray, k: int, r: int, c: int) -> bool:
    for j in range(pos.shape[0]):
        if j != k and alive[j] and pos[j, 0] == r and pos[j, 1] == c:
            return True
    return False


@njit(cache=True)
def step_agents(
    order: np.ndarray,
    actions: np.ndarray,
    pos: np.ndarray,
    dirs: np.ndarray,
    alive: np.ndarray,
    grid: np.ndarray,
    goal_id: np.ndarray,
    last_goal: np.ndarray,
    n_goals: int,
    reward: float,
    penalty: float,
    initial_reward: bool,
    reset_on_mistake: bool,
    ghost_mode: bool,
    rewards: np.ndarray,
    in_order: np.ndarray,
    mistakes: np.ndarray,
    mistaken: np.ndarray,
) -> None:
    """Apply every agent's action in ``order`` and score the goals entered.

    A goal pays when an agent *enters* it: the first one of an agent's cycle
    pays ``reward`` (0 without ``initial_reward``), the successor of the last
    goal pays ``reward``, the last goal again pays 0, any other pays
    ``penalty``. A mistake leaves the agent's place in the cycle unchanged
    unless ``reset_on_mistake``, which restarts its cycle.
    """
    rewards[:] = 0.0
    mistaken[:] = False
    h, w = grid.shape
    for k in order:
        if not alive[k]:
            continue
        a = actions[k]
        if a == LEFT:
            dirs[k] = (dirs[k] + 3) % 4
        elif a == RIGHT:
            dirs[k] = (dirs[k] + 1) % 4
        elif a == FORWARD:
            r = pos[k, 0] + _DR[dirs[k]]
            c = pos[k, 1] + _DC[dirs[k]]
            if r < 0 or c < 0 or r >= h or c >= w or grid[r, c] == WALL:
                continue
            if not ghost_mode and _occupied(pos, alive, k, r, c):
                continue
            pos[k, 0] = r
            pos[k, 1] = c
            g = goal_id[r, c]
            if g < 0:
                continue
            last = last_goal[k]
            if last < 0:
                if initial_reward:
                    rewards[k] += reward
                last_goal[k] = g
                in_order[k] += 1
            elif g == (last + 1) % n_goals:
                rewards[k] += reward
                last_goal[k] = g
                in_order[k] += 1
            elif g != last:
                rewards[k] += penalty
                mistakes[k] += 1
                mistaken[k] = True
                if reset_on_mistake:
                    last_goal[k] = -1


@njit(cache=True)
def _fill_agent_map(pos: np.ndarray, alive: np.ndarray, agent_at: np.ndarray) -> None:
    agent_at[:] = -1
    for k in range(pos.shape[0]):
        if alive[k]:
            agent_at[pos[k, 0], pos[k, 1]] = k


@njit(cache=True)
def egocentric_views(
    viewers: np.ndarray,
    pos: np.ndarray,
    dirs: np.ndarray,
    alive: np.ndarray,
    colours: np.ndarray,
    grid: np.ndarray,
    rays: np.ndarray,
    agent_at: np.ndarray,
    want_codes: bool,
    codes_out: np.ndarray,
    want_rgb: bool,
    sprites: np.ndarray,
    rgb_out: np.ndarray,
    want_world_mask: bool,
    world_mask: np.ndarray,
    first_expert: int,
    sees_expert: np.ndarray,
) -> None:
    """Every viewer's 7×7 view at once: symbolic codes and/or 3-pixel-tile RGB.

    ``sees_expert[v]`` is set when an agent with index ≥ ``first_expert`` is in sight.

    Cells off the grid read as walls (they also block sight); cells out of
    sight read as ``UNSEEN`` (black in RGB). Other agents show with their
    direction relative to the viewer, so "facing the same way" is always "up".
    """
    _fill_agent_map(pos, alive, agent_at)
    h, w = grid.shape
    n_cells = VIEW_SIZE * VIEW_SIZE
    types = np.empty(n_cells, dtype=np.int64)
    who = np.empty(n_cells, dtype=np.int64)
    wr = np.empty(n_cells, dtype=np.int64)
    wc = np.empty(n_cells, dtype=np.int64)
    tile = sprites.shape[1]
    for v in range(viewers.shape[0]):
        k = viewers[v]
        d = dirs[k]
        rd = (d + 1) % 4
        for vr in range(VIEW_SIZE):
            fwd = VIEW_ROW - vr
            for vc in range(VIEW_SIZE):
                rt = vc - VIEW_COL
                i = vr * VIEW_SIZE + vc
                r = pos[k, 0] + fwd * _DR[d] + rt * _DR[rd]
                c = pos[k, 1] + fwd * _DC[d] + rt * _DC[rd]
                wr[i] = r
                wc[i] = c
                if r < 0 or c < 0 or r >= h or c >= w:
                    types[i] = WALL
                    who[i] = -1
                else:
                    types[i] = grid[r, c]
                    who[i] = agent_at[r, c]
        who[VIEW_ROW * VIEW_SIZE + VIEW_COL] = k
        if want_world_mask:
            world_mask[v, :, :] = False
        sees_expert[v] = False
        for i in range(n_cells):
            visible = True
            for g in range(rays.shape[1]):
                if rays[i, g, 0] < 0:
                    break
                blocked = True
                for m in range(4):
                    j = rays[i, g, m]
                    if j < 0:
                        break
                    if types[j] != WALL:
                        blocked = False
                        break
                if blocked:
                    visible = False
                    break
            vr = i // VIEW_SIZE
            vc = i % VIEW_SIZE
            t = UNSEEN
            col = 0
            state = 0
            sprite = SPRITE_UNSEEN
            if visible:
                if want_world_mask and 0 <= wr[i] < h and 0 <= wc[i] < w:
                    world_mask[v, wr[i], wc[i]] = True
                j = who[i]
                if j >= 0:
                    if j >= first_expert and j != k:
                        sees_expert[v] = True
                    t = AGENT
                    col = colours[j]
                    state = (dirs[j] - d + 3) % 4
                    sprite = 4 + 4 * j + state
                elif types[i] == WALL:
                    t = WALL
                    col = WALL_COLOUR
                    sprite = SPRITE_WALL
                elif types[i] == GOAL:
                    t = GOAL
                    col = GOAL_COLOUR
                    sprite = SPRITE_GOAL
                else:
                    t = EMPTY
                    sprite = SPRITE_EMPTY
            if want_codes:
                codes_out[v, vr, vc, 0] = t
                codes_out[v, vr, vc, 1] = col
                codes_out[v, vr, vc, 2] = state
            if want_rgb:
                for y in range(tile):
                    for x in range(tile):
                        for ch in range(3):
                            rgb_out[v, vr * tile + y, vc * tile + x, ch] = sprites[sprite, y, x, ch]


@njit(cache=True)
def world_codes(
    pos: np.ndarray,
    dirs: np.ndarray,
    alive: np.ndarray,
    colours: np.ndarray,
    grid: np.ndarray,
    out: np.ndarray,
) -> None:
    """The whole grid as (type, colour, state) codes, agents with absolute direction."""
    h, w = grid.shape
    for r in range(h):
        for c in range(w):
            t = grid[r, c]
            out[r, c, 0] = t
            out[r, c, 1] = WALL_COLOUR if t == WALL else (GOAL_COLOUR if t == GOAL else 0)
            out[r, c, 2] = 0
    for k in range(pos.shape[0]):
        if alive[k]:
            out[pos[k, 0], pos[k, 1], 0] = AGENT
            out[pos[k, 0], pos[k, 1], 1] = colours[k]
            out[pos[k, 0], pos[k, 1], 2] = dirs[k]


@njit(cache=True)
def goal_distances(grid: np.ndarray, goal_id: np.ndarray, n_goals: int, out: np.ndarray) -> None:
    """BFS step distances to each goal, other goals counting as obstacles.

    An optimal cycle-follower never steps on a goal out of turn, so the paths
    go around them; ``UNREACHABLE`` where no such path exists.
    """
    h, w = grid.shape
    queue = np.empty((h * w, 2), dtype=np.int64)
    for g in range(n_goals):
        out[g, :, :] = UNREACHABLE
        head = 0
        tail = 0
        for r in range(h):
            for c in range(w):
                if goal_id[r, c] == g:
                    out[g, r, c] = 0
                    queue[tail, 0] = r
                    queue[tail, 1] = c
                    tail += 1
        while head < tail:
            r = queue[head, 0]
            c = queue[head, 1]
            head += 1
            for d in range(4):
                nr = r + _DR[d]
                nc = c + _DC[d]
                if nr < 0 or nc < 0 or nr >= h or nc >= w:
                    continue
                if grid[nr, nc] == WALL or out[g, nr, nc] != UNREACHABLE:
                    continue
                if goal_id[nr, nc] >= 0 and goal_id[nr, nc] != g:
                    continue
                out[g, nr, nc] = out[g, r, c] + 1
                queue[tail, 0] = nr
                queue[tail, 1] = nc
                tail += 1


@njit(cache=True)
def cycle_actions(
    agents: np.ndarray,
    pos: np.ndarray,
    dirs: np.ndarray,
    last_goal: np.ndarray,
    dist: np.ndarray,
    out: np.ndarray,
) -> None:
    """The optimal cycle-follower's action for each of ``agents`` (written to ``out``).

    Target: the successor of the agent's last goal, or the nearest goal when
    its cycle has not started. Step forward when that gets closer, otherwise
    turn toward the closest neighbour (right if it is to the right, else left).
    """
    n_goals = dist.shape[0]
    h = dist.shape[1]
    w = dist.shape[2]
    for i in range(agents.shape[0]):
        k = agents[i]
        r = pos[k, 0]
        c = pos[k, 1]
        if last_goal[k] >= 0:
            target = (last_goal[k] + 1) % n_goals
        else:
            target = 0
            for g in range(1, n_goals):
                if dist[g, r, c] < dist[target, r, c]:
                    target = g
        best = UNREACHABLE
        best_dir = -1
        d0 = dirs[k]
        # Scan forward, right, left, behind so ties prefer the cheapest action.
        for turn in (0, 1, 3, 2):
            d = (d0 + turn) % 4
            nr = r + _DR[d]
            nc = c + _DC[d]
            if nr < 0 or nc < 0 or nr >= h or nc >= w:
                continue
            if dist[target, nr, nc] < best:
                best = dist[target, nr, nc]
                best_dir = turn
        if best_dir == 0:
            out[i] = FORWARD
        elif best_dir == 1:
            out[i] = RIGHT
        else:
            out[i] = LEFT
