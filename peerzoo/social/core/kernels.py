"""The jitted inner loops: moving agents, scoring goals, egocentric views, route costs, experts.

Everything the env does per step for all agents at once lives here, on plain
arrays, so one step is a few compiled calls rather than a Python loop over
agents and cells (multigrid's lesson). The rules are marlgrid's
(``marlgrid/base.py``, ``objects.py``, ``agents.py``), and they live here only:
the single env and any batched form call these kernels. ``cache=True`` keeps
compilation out of every process after the first.
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
# Route cost of crossing a goal out of turn: more than any detour on a grid, so experts
# cross one (and pay its penalty) only when no other route exists.
OFF_TURN_GOAL_COST = 1 << 16

# Sprite ids of the observation renderer: 0 unseen, 1 empty, 2 wall, 3 goal, then
# 4 + 8 * agent + 2 * state + on_goal (state: direction relative to the viewer, as in
# the symbolic codes; on_goal: the agent drawn over a goal tile, as marlgrid blends it).
SPRITE_UNSEEN, SPRITE_EMPTY, SPRITE_WALL, SPRITE_GOAL, SPRITE_AGENT0 = 0, 1, 2, 3, 4
SPRITES_PER_AGENT = 8
# Symbolic state of an agent standing on a goal: its direction code plus this.
ON_GOAL_STATE = 4

_DR = np.array([0, 1, 0, -1], dtype=np.int64)
_DC = np.array([1, 0, -1, 0], dtype=np.int64)


@njit(cache=True)
def _occupied(pos: np.ndarray, alive: np.ndarray, k: int, r: int, c: int) -> bool:
    for j in range(pos.shape[0]):
        if j != k and alive[j] and pos[j, 0] == r and pos[j, 1] == c:
            return True
    return False


@njit(cache=True)
def mark_arrival(arrival: np.ndarray, k: int) -> None:
    """Stamp agent ``k`` as the latest to enter its cell.

    marlgrid keeps the agents on a cell in a list in order of arrival and draws
    the first (``MultiGrid.render_tile``); the stamps reproduce that order.
    """
    arrival[k] = arrival.max() + 1


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
    repeat_goal_penalty: bool,
    arrival: np.ndarray,
) -> None:
    """Apply every agent's action in ``order`` and score the goals entered.

    A goal pays when an agent *enters* it (marlgrid's ``BonusTile.get_reward``):
    the first one of an agent's cycle pays ``reward`` (0 without
    ``initial_reward``), the successor of the last goal pays ``reward``, any
    other goal pays ``penalty`` — the goal just visited included, unless
    ``repeat_goal_penalty`` is off (then it pays 0). A mistake leaves the
    agent's place in the cycle unchanged unless ``reset_on_mistake``, which
    restarts its cycle. Actions other than left, right, forward do nothing.
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
            mark_arrival(arrival, k)
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
            elif g != last or repeat_goal_penalty:
                rewards[k] += penalty
                mistakes[k] += 1
                mistaken[k] = True
                if reset_on_mistake:
                    last_goal[k] = -1


@njit(cache=True)
def _fill_agent_map(
    pos: np.ndarray, alive: np.ndarray, arrival: np.ndarray, agent_at: np.ndarray
) -> None:
    """The agent drawn on each cell: of those standing there, the first to arrive."""
    agent_at[:] = -1
    for k in range(pos.shape[0]):
        if alive[k]:
            j = agent_at[pos[k, 0], pos[k, 1]]
            if j < 0 or arrival[k] < arrival[j]:
                agent_at[pos[k, 0], pos[k, 1]] = k


@njit(cache=True)
def flood_fill_visible(transparent: np.ndarray, visible: np.ndarray) -> None:
    """MiniGrid's occlusion as marlgrid computes it (``agents.occlude_mask``).

    Both arrays are indexed ``[view column, view row]`` with the agent at
    (``VIEW_COL``, ``VIEW_ROW``). Visibility spreads from the agent's cell
    through transparent cells to their right/left, forward/backward and
    diagonal neighbours, in marlgrid's sweep order (rows from behind the agent
    toward the far edge, then from the agent's row back), so it shows exactly
    the cells marlgrid shows, including walls seen past a corner.
    """
    width = VIEW_SIZE
    height = VIEW_SIZE
    visible[:, :] = False
    visible[VIEW_COL, VIEW_ROW] = True
    for j in range(VIEW_ROW + 1, 0, -1):
        for i in range(VIEW_COL, width):
            if visible[i, j] and transparent[i, j]:
                if i < width - 1:
                    visible[i + 1, j] = True
                visible[i, j - 1] = True
                if i < width - 1:
                    visible[i + 1, j - 1] = True
        for i in range(VIEW_COL + 1, 0, -1):
            if visible[i, j] and transparent[i, j]:
                visible[i - 1, j] = True
                visible[i, j - 1] = True
                visible[i - 1, j - 1] = True
    for j in range(VIEW_ROW, height):
        for i in range(VIEW_COL, width):
            if visible[i, j] and transparent[i, j]:
                if i < width - 1:
                    visible[i + 1, j] = True
                if j < height - 1:
                    visible[i, j + 1] = True
                    if i < width - 1:
                        visible[i + 1, j + 1] = True
        for i in range(VIEW_COL + 1, 0, -1):
            if visible[i, j] and transparent[i, j]:
                visible[i - 1, j] = True
                if j < height - 1:
                    visible[i, j + 1] = True
                    visible[i - 1, j + 1] = True


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
    flood_fill: bool,
    arrival: np.ndarray,
) -> None:
    """Every viewer's 7×7 view at once: symbolic codes and/or 3-pixel-tile RGB.

    ``sees_expert[v]`` is set when an agent with index ≥ ``first_expert`` stands
    on a visible cell. Occlusion is MiniGrid's flood fill
    (:func:`flood_fill_visible`) with ``flood_fill``, else the line-of-sight
    table ``rays`` (:mod:`peerzoo.social.core.view`). Cells off the grid read
    as walls; cells out of sight as ``UNSEEN``. The viewer is drawn on its own
    cell; on any other cell, the agent that arrived there first. Other agents
    show with their direction relative to the viewer ("facing the same way" is
    "up"), plus ``ON_GOAL_STATE`` when they stand on a goal.
    """
    _fill_agent_map(pos, alive, arrival, agent_at)
    h, w = grid.shape
    n_cells = VIEW_SIZE * VIEW_SIZE
    types = np.empty(n_cells, dtype=np.int64)
    who = np.empty(n_cells, dtype=np.int64)
    wr = np.empty(n_cells, dtype=np.int64)
    wc = np.empty(n_cells, dtype=np.int64)
    seen = np.empty(n_cells, dtype=np.bool_)
    transparent = np.empty((VIEW_SIZE, VIEW_SIZE), dtype=np.bool_)
    visible = np.empty((VIEW_SIZE, VIEW_SIZE), dtype=np.bool_)
    tile = sprites.shape[1]
    n_agents = pos.shape[0]
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
                transparent[vc, vr] = types[i] != WALL
        who[VIEW_ROW * VIEW_SIZE + VIEW_COL] = k
        if flood_fill:
            flood_fill_visible(transparent, visible)
            for i in range(n_cells):
                seen[i] = visible[i % VIEW_SIZE, i // VIEW_SIZE]
        else:
            for i in range(n_cells):
                seen[i] = True
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
                        seen[i] = False
                        break
        if want_world_mask:
            world_mask[v, :, :] = False
        sees_expert[v] = False
        for i in range(n_cells):
            vr = i // VIEW_SIZE
            vc = i % VIEW_SIZE
            t = UNSEEN
            col = 0
            state = 0
            sprite = SPRITE_UNSEEN
            if seen[i]:
                inside = 0 <= wr[i] < h and 0 <= wc[i] < w
                if inside:
                    if want_world_mask:
                        world_mask[v, wr[i], wc[i]] = True
                    for e in range(first_expert, n_agents):
                        if e != k and alive[e] and pos[e, 0] == wr[i] and pos[e, 1] == wc[i]:
                            sees_expert[v] = True
                j = who[i]
                if j >= 0:
                    t = AGENT
                    col = colours[j]
                    state = (dirs[j] - d + 3) % 4
                    on_goal = 1 if types[i] == GOAL else 0
                    sprite = SPRITE_AGENT0 + SPRITES_PER_AGENT * j + 2 * state + on_goal
                    state += ON_GOAL_STATE * on_goal
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
    arrival: np.ndarray,
) -> None:
    """The whole grid as (type, colour, state) codes, agents with absolute direction.

    On a shared cell the first agent to arrive shows; an agent on a goal has
    ``ON_GOAL_STATE`` added to its state, as in the egocentric views.
    """
    h, w = grid.shape
    for r in range(h):
        for c in range(w):
            t = grid[r, c]
            out[r, c, 0] = t
            out[r, c, 1] = WALL_COLOUR if t == WALL else (GOAL_COLOUR if t == GOAL else 0)
            out[r, c, 2] = 0
    agent_at = np.full((h, w), -1, dtype=np.int64)
    _fill_agent_map(pos, alive, arrival, agent_at)
    for k in range(pos.shape[0]):
        r = pos[k, 0]
        c = pos[k, 1]
        if alive[k] and agent_at[r, c] == k:
            out[r, c, 0] = AGENT
            out[r, c, 1] = colours[k]
            out[r, c, 2] = dirs[k] + (ON_GOAL_STATE if grid[r, c] == GOAL else 0)


@njit(cache=True)
def goal_distances(grid: np.ndarray, goal_id: np.ndarray, n_goals: int, out: np.ndarray) -> None:
    """Route cost from every cell to each goal: steps, plus ``OFF_TURN_GOAL_COST`` per goal crossed.

    ``out[g, r, c]`` counts the cells a route from (r, c) enters, each other
    goal it crosses (the cell it starts on included) weighing
    ``OFF_TURN_GOAL_COST``: walking downhill on it follows a shortest route
    that avoids goals out of turn when one exists and crosses as few as
    possible when none does, so an expert is never stuck.
    ``UNREACHABLE`` where walls cut a cell off (Dijkstra; a few hundred cells).
    """
    h, w = grid.shape
    n = h * w
    done = np.zeros(n, dtype=np.bool_)
    for g in range(n_goals):
        cost = out[g]
        cost[:, :] = UNREACHABLE
        done[:] = False
        for r in range(h):
            for c in range(w):
                if goal_id[r, c] == g:
                    cost[r, c] = 0
        while True:
            best = UNREACHABLE
            at = -1
            for i in range(n):
                if not done[i] and cost[i // w, i % w] < best:
                    best = cost[i // w, i % w]
                    at = i
            if at < 0:
                break
            done[at] = True
            r = at // w
            c = at % w
            for d in range(4):
                nr = r + _DR[d]
                nc = c + _DC[d]
                if nr < 0 or nc < 0 or nr >= h or nc >= w or grid[nr, nc] == WALL:
                    continue
                step = 1
                if goal_id[nr, nc] >= 0 and goal_id[nr, nc] != g:
                    step += OFF_TURN_GOAL_COST
                if best + step < cost[nr, nc]:
                    cost[nr, nc] = best + step


@njit(cache=True)
def _steer(r: int, c: int, d0: int, cost: np.ndarray) -> int:
    """Forward when the cell ahead lowers the route cost most, else turn toward the best cell.

    Neighbours are scanned forward, right, left, behind, so ties prefer the
    cheapest action; a cell behind is reached by turning left.
    """
    h = cost.shape[0]
    w = cost.shape[1]
    best = UNREACHABLE
    best_turn = -1
    for turn in (0, 1, 3, 2):
        d = (d0 + turn) % 4
        nr = r + _DR[d]
        nc = c + _DC[d]
        if nr < 0 or nc < 0 or nr >= h or nc >= w:
            continue
        if cost[nr, nc] < best:
            best = cost[nr, nc]
            best_turn = turn
    if best_turn == 0:
        return FORWARD
    if best_turn == 1:
        return RIGHT
    return LEFT


@njit(cache=True)
def _nearest_goal(dist: np.ndarray, r: int, c: int, skip: np.ndarray) -> int:
    target = -1
    for g in range(dist.shape[0]):
        if not skip[g] and (target < 0 or dist[g, r, c] < dist[target, r, c]):
            target = g
    return target


@njit(cache=True)
def cycle_actions(
    agents: np.ndarray,
    pos: np.ndarray,
    dirs: np.ndarray,
    last_goal: np.ndarray,
    dist: np.ndarray,
    out: np.ndarray,
) -> None:
    """The all-knowing cycle-follower's action for each of ``agents`` (written to ``out``).

    Target: the successor of the agent's last goal, or the nearest goal when
    its cycle has not started; the route is the cheapest on ``dist``
    (:func:`goal_distances`).
    """
    n_goals = dist.shape[0]
    none = np.zeros(n_goals, dtype=np.bool_)
    for i in range(agents.shape[0]):
        k = agents[i]
        r = pos[k, 0]
        c = pos[k, 1]
        if last_goal[k] >= 0:
            target = (last_goal[k] + 1) % n_goals
        else:
            target = _nearest_goal(dist, r, c, none)
        out[i] = _steer(r, c, dirs[k], dist[target])


@njit(cache=True)
def discovering_actions(
    agents: np.ndarray,
    pos: np.ndarray,
    dirs: np.ndarray,
    last_goal: np.ndarray,
    dist: np.ndarray,
    known_next: np.ndarray,
    ruled_out: np.ndarray,
    out: np.ndarray,
) -> None:
    """Actions of experts that must discover the cycle order (written to ``out``).

    ``known_next[k, g]``: the goal agent ``k`` has been paid for entering right
    after ``g`` (-1 while unknown); ``ruled_out[k, g, h]``: entering ``h``
    after ``g`` cost it the penalty. From its last goal it heads for the known
    successor, else for the nearest goal not yet ruled out — trial and error
    until every successor is known, then the cycle (see :func:`learn_cycle`).
    """
    n_goals = dist.shape[0]
    skip = np.zeros(n_goals, dtype=np.bool_)
    for i in range(agents.shape[0]):
        k = agents[i]
        r = pos[k, 0]
        c = pos[k, 1]
        g = last_goal[k]
        if g < 0:
            skip[:] = False
            target = _nearest_goal(dist, r, c, skip)
        elif known_next[k, g] >= 0:
            target = known_next[k, g]
        else:
            for h in range(n_goals):
                skip[h] = h == g or ruled_out[k, g, h]
            target = _nearest_goal(dist, r, c, skip)
            if target < 0:  # every candidate ruled out: forget and try again
                ruled_out[k, g, :] = False
                skip[:] = False
                skip[g] = True
                target = _nearest_goal(dist, r, c, skip)
        out[i] = _steer(r, c, dirs[k], dist[target])


@njit(cache=True)
def learn_cycle(
    agents: np.ndarray,
    pos: np.ndarray,
    goal_id: np.ndarray,
    last_before: np.ndarray,
    last_goal: np.ndarray,
    mistaken: np.ndarray,
    known_next: np.ndarray,
    ruled_out: np.ndarray,
) -> None:
    """Update what discovering experts know from one step (see :func:`discovering_actions`).

    ``last_before``: every agent's last goal before the step. A paid move from
    goal ``g`` to ``h`` makes ``h`` the known successor of ``g``; a penalised
    entry of ``h`` after ``g`` rules ``h`` out.
    """
    for i in range(agents.shape[0]):
        k = agents[i]
        g = last_before[k]
        if g < 0:
            continue
        if last_goal[k] >= 0 and last_goal[k] != g:
            known_next[k, g] = last_goal[k]
        elif mistaken[k]:
            h = goal_id[pos[k, 0], pos[k, 1]]
            if h >= 0:
                ruled_out[k, g, h] = True
