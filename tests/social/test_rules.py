"""The Goal Cycle rules, pinned on hand-made worlds: rewards, penalties, cycle order, sight."""

from __future__ import annotations

import numpy as np
import pytest

from peerzoo.social.core.codes import AGENT, EMPTY, GOAL, UNSEEN, WALL
from peerzoo.social.core.kernels import ON_GOAL_STATE
from tests.social.helpers import (
    EAST,
    FORWARD,
    LEFT,
    NORTH,
    RIGHT,
    SOUTH,
    WEST,
    open_env,
    set_world,
    view,
)

# Three goals in a row east of the learner, cycle ids 0, 1, 2 from west to east.
ROW_GOALS = [(6, 4), (6, 6), (6, 8)]


def walk(env, actions) -> list[float]:
    return [env.step({"learner_0": a})[1]["learner_0"] for a in actions]


def test_first_goal_pays_reward_and_the_next_in_the_cycle_pays_again() -> None:
    env = open_env()
    set_world(env, goals=ROW_GOALS, agents=[(6, 3, EAST)])
    rewards = walk(env, [FORWARD] * 5)  # enters goal 0, empty, goal 1, empty, goal 2
    assert rewards == [1.0, 0.0, 1.0, 0.0, 1.0]
    assert env.goals_in_order[0] == 3


def test_initial_reward_false_makes_the_first_goal_free() -> None:
    env = open_env(initial_reward=False)
    set_world(env, goals=ROW_GOALS, agents=[(6, 3, EAST)])
    assert walk(env, [FORWARD] * 3) == [0.0, 0.0, 1.0]


def test_the_cycle_wraps_from_the_last_goal_to_the_first() -> None:
    env = open_env()
    set_world(env, goals=ROW_GOALS, agents=[(6, 3, EAST)])
    walk(env, [FORWARD] * 5)  # 0, 1, 2
    # Turn around and walk back west: goal 1 (wrong: 2 -> 0 is next), then goal 0.
    rewards = walk(env, [LEFT, LEFT, FORWARD, FORWARD, FORWARD, FORWARD])
    assert rewards[3] == -1.5  # goal 1 out of turn
    assert rewards[5] == 1.0  # goal 0 follows goal 2


def test_wrong_goal_costs_the_penalty_and_keeps_the_place_in_the_cycle() -> None:
    env = open_env(penalty=-2.0)
    set_world(env, goals=[(6, 4), (6, 8), (6, 6)], agents=[(6, 3, EAST)])
    # Enters goal 0, then goal 2 (at col 6) out of turn, then goal 1 (col 8): still in order.
    assert walk(env, [FORWARD] * 5) == [1.0, 0.0, -2.0, 0.0, 1.0]
    assert env.penalties[0] == 1
    assert env.goals_in_order[0] == 2


def test_reentering_the_goal_just_visited_costs_the_penalty_as_marlgrids_goal_tile_does() -> None:
    env = open_env()
    set_world(env, goals=ROW_GOALS, agents=[(6, 3, EAST)])
    assert walk(env, [FORWARD, FORWARD, LEFT, LEFT, FORWARD]) == [1.0, 0.0, 0.0, 0.0, -1.5]
    assert env.penalties[0] == 1 and env.last_goal[0] == 0  # still after goal 0


def test_without_repeat_goal_penalty_reentering_the_goal_just_visited_pays_nothing() -> None:
    env = open_env(repeat_goal_penalty=False)
    set_world(env, goals=ROW_GOALS, agents=[(6, 3, EAST)])
    assert walk(env, [FORWARD, FORWARD, LEFT, LEFT, FORWARD]) == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert env.penalties[0] == 0


def test_turning_on_a_goal_does_not_score_it_again() -> None:
    env = open_env()
    set_world(env, goals=ROW_GOALS, agents=[(6, 3, EAST)])
    assert walk(env, [FORWARD, LEFT, RIGHT, LEFT]) == [1.0, 0.0, 0.0, 0.0]


def test_reset_on_mistake_restarts_the_cycle_and_respawns_the_agent() -> None:
    env = open_env(reset_on_mistake=True)
    spawn_cells = {tuple(c) for c in env._spawn_cells}
    set_world(env, goals=[(6, 4), (6, 8), (6, 5)], agents=[(6, 3, EAST)])
    walk(env, [FORWARD])  # goal 0
    assert walk(env, [FORWARD]) == [-1.5]  # goal 2 out of turn
    assert env.last_goal[0] == -1  # the next goal starts a new cycle
    assert tuple(env.pos[0]) in spawn_cells  # respawned at a free cell of the layout
    assert env.agents == ["learner_0"]


def test_reset_on_mistake_without_respawn_terminates_the_learner() -> None:
    env = open_env(reset_on_mistake=True, respawn=False, n_learners=2)
    set_world(env, goals=[(6, 4), (6, 8), (6, 5)], agents=[(6, 3, EAST), (2, 2, NORTH)])
    env.step({"learner_0": FORWARD, "learner_1": LEFT})
    _, rewards, terms, truncs, _ = env.step({"learner_0": FORWARD, "learner_1": LEFT})
    assert rewards["learner_0"] == -1.5
    assert terms == {"learner_0": True, "learner_1": False}
    assert env.agents == ["learner_1"]


def test_walls_block_movement_and_ghosts_share_cells() -> None:
    env = open_env(n_learners=2)
    set_world(env, goals=ROW_GOALS, walls=[(2, 3)], agents=[(2, 2, EAST), (3, 2, NORTH)])
    env.step({"learner_0": FORWARD, "learner_1": FORWARD})
    assert tuple(env.pos[0]) == (2, 2)  # the wall stopped it
    assert tuple(env.pos[1]) == (2, 2)  # ghost_mode: walked into the occupied cell


def test_without_ghost_mode_agents_block_each_other() -> None:
    env = open_env(n_learners=2, ghost_mode=False)
    set_world(env, goals=ROW_GOALS, agents=[(2, 2, SOUTH), (3, 2, SOUTH)])
    env.step({"learner_0": FORWARD, "learner_1": LEFT})  # learner_1 stays: learner_0 blocked
    assert tuple(env.pos[0]) == (2, 2)


def test_turns_follow_minigrid_directions() -> None:
    env = open_env()
    set_world(env, goals=ROW_GOALS, agents=[(2, 2, EAST)])
    walk(env, [RIGHT])
    assert env.dirs[0] == SOUTH
    walk(env, [LEFT, LEFT])
    assert env.dirs[0] == NORTH


def test_marlgrids_extra_actions_do_nothing() -> None:
    env = open_env()
    assert env.action_space("learner_0").n == 7
    set_world(env, goals=ROW_GOALS, agents=[(2, 2, EAST)])
    for a in range(3, 7):
        env.step({"learner_0": a})
    assert tuple(env.pos[0]) == (2, 2) and env.dirs[0] == EAST


# ---------------------------------------------------------------- sight

# Goals out of the way of the sight tests (the learner stands at (6, 6)).
FAR_GOALS = [(10, 10), (10, 2), (11, 6)]
ROW_OF_WALLS_AHEAD = [(4, 5), (4, 6), (4, 7)]  # two ahead of (6, 6) facing north


def test_view_puts_the_agent_one_row_above_the_bottom_facing_up() -> None:
    env = open_env()
    set_world(env, goals=FAR_GOALS, agents=[(6, 6, NORTH)])
    v = view(env)
    assert tuple(v[5, 3]) == (AGENT, 0, 3)  # itself, red, facing "up"
    assert v[6, 3, 0] == EMPTY  # one row behind is visible
    assert v[0, 3, 0] == EMPTY  # five rows ahead (row 1)


def test_view_rotates_with_the_agent() -> None:
    env = open_env()
    set_world(env, goals=[(2, 4), (2, 6), (2, 8)], agents=[(2, 3, EAST)])
    v = view(env)
    assert v[4, 3, 0] == GOAL  # (2, 4): one step ahead
    assert v[2, 3, 0] == GOAL  # (2, 6): three steps ahead
    assert v[5, 1, 0] == WALL  # (0, 3): two to the left (north), the outer wall
    assert v[5, 0, 0] == UNSEEN  # (-1, 3): off the grid, behind the outer wall
    assert v[5, 6, 0] == EMPTY  # (5, 3): three to the right (south)


def test_a_row_of_walls_hides_what_lies_behind_it() -> None:
    env = open_env()
    set_world(env, goals=FAR_GOALS, walls=ROW_OF_WALLS_AHEAD, agents=[(6, 6, NORTH)])
    v = view(env)
    assert (v[3, 2:5, 0] == WALL).all()  # the walls themselves are seen
    assert (v[0:3, 2:5, 0] == UNSEEN).all()
    assert (v[0:3, 1, 0] == EMPTY).all() and (v[0:3, 5, 0] == EMPTY).all()  # seen around it


def test_a_single_block_hides_nothing_as_minigrids_flood_fill_sees_round_it() -> None:
    # Flood fill spreads sight diagonally past a lone block; a line of sight would not.
    flood = open_env()
    set_world(flood, goals=FAR_GOALS, walls=[(4, 6)], agents=[(6, 6, NORTH)])
    assert (view(flood)[0:3, 3, 0] == EMPTY).all()
    rays = open_env(occlusion="line_of_sight")
    set_world(rays, goals=FAR_GOALS, walls=[(4, 6)], agents=[(6, 6, NORTH)])
    assert (view(rays)[0:3, 3, 0] == UNSEEN).all()


def test_without_the_wall_the_same_cells_are_seen() -> None:
    env = open_env()
    set_world(env, goals=FAR_GOALS, agents=[(6, 6, NORTH)])
    assert (view(env)[:, :, 0] != UNSEEN).all()


def test_a_goal_behind_a_wall_is_hidden_and_seen_once_the_wall_is_gone() -> None:
    env = open_env()
    goals = [(3, 6), (10, 10), (10, 2)]
    set_world(env, goals=goals, walls=ROW_OF_WALLS_AHEAD, agents=[(6, 6, NORTH)])
    assert view(env)[2, 3, 0] == UNSEEN
    set_world(env, goals=goals, agents=[(6, 6, NORTH)])
    assert view(env)[2, 3, 0] == GOAL


def test_agents_see_each_other_with_relative_direction() -> None:
    env = open_env(n_learners=2)
    set_world(env, goals=FAR_GOALS, agents=[(6, 6, NORTH), (4, 6, EAST)])
    v = view(env, "learner_0")
    assert v[3, 3, 0] == AGENT
    assert v[3, 3, 1] == 2  # learner_1 wears blue
    assert v[3, 3, 2] == 0  # it faces east = right, seen from an agent facing north
    w = view(env, "learner_1")  # learner_1 faces east, learner_0 is to its right, facing north
    assert w[5, 5, 0] == AGENT and w[5, 5, 2] == 2  # north = left, seen facing east


def test_an_agent_on_a_goal_shows_both_in_codes_and_pixels() -> None:
    env = open_env(n_learners=2)
    set_world(env, goals=[(4, 6), (10, 10), (10, 2)], agents=[(6, 6, NORTH), (4, 6, EAST)])
    v = view(env, "learner_0")
    assert v[3, 3, 0] == AGENT and v[3, 3, 2] == 0 + ON_GOAL_STATE
    rgb = open_env(n_learners=2, obs_mode="rgb")
    set_world(rgb, goals=[(4, 6), (10, 10), (10, 2)], agents=[(6, 6, NORTH), (4, 6, EAST)])
    tile = view(rgb, "learner_0")[9:12, 9:12].astype(int)
    yellow = np.array([255, 255, 0])
    assert (tile == yellow).all(-1).any()  # the goal shows where the triangle is thin
    assert not (tile == yellow).all()  # and the blue agent is blended over it
    assert (tile[..., 2] > 0).any()


def test_rgb_palette_is_marlgrids() -> None:
    env = open_env(obs_mode="rgb")
    set_world(env, goals=FAR_GOALS, walls=ROW_OF_WALLS_AHEAD, agents=[(6, 6, NORTH)])
    obs = view(env)
    assert obs.shape == (21, 21, 3)
    assert (obs[0:3, 9:12] == (35, 25, 30)).all()  # view cell (0, 3), hidden: marlgrid's shadow
    assert (obs[9:12, 9:12] == (74, 65, 42)).all()  # view cell (3, 3): a wall
    assert (obs[0:3, 0:3] == 0).all()  # view cell (0, 0): empty floor is black


def test_prestige_turns_agents_from_red_to_blue_and_a_penalty_resets_it() -> None:
    env = open_env(obs_mode="rgb", prestige_beta=0.95, n_learners=2)
    set_world(env, goals=ROW_GOALS, agents=[(6, 3, EAST), (6, 2, EAST)])
    stay = 3  # pickup: does nothing in Goal Cycle
    before = view(env, "learner_1")[12:15, 9:12].astype(int)  # learner_0, one ahead
    assert before[..., 2].max() == 0 and before[..., 0].max() > 0  # no prestige: red
    env.step({"learner_0": FORWARD, "learner_1": FORWARD})  # learner_0 enters goal 0: +1
    assert env.prestige[0] == pytest.approx(0.95)  # β·(0 + 1)
    after = view(env, "learner_1")[12:15, 9:12].astype(int)  # on the goal, one ahead
    assert after[..., 2].max() > 0  # bluer
    for a in (LEFT, LEFT, FORWARD, LEFT, LEFT, FORWARD):  # off the goal and back onto it
        env.step({"learner_0": a, "learner_1": stay})
    assert env.penalties[0] == 1 and env.prestige[0] == 0.0


# ---------------------------------------------------------------- infos


def test_infos_count_goals_penalties_expert_sightings_and_distance() -> None:
    env = open_env(n_experts=1)
    set_world(env, goals=ROW_GOALS, agents=[(6, 3, EAST), (6, 9, WEST)])
    env.expert_policy = lambda obs, i: LEFT  # an expert that spins in place
    _, _, _, _, infos = env.step({"learner_0": FORWARD})
    info = infos["learner_0"]
    assert info["goals_in_order"] == 1 and info["penalties"] == 0
    assert info["steps_with_expert_in_view"] == 1  # expert 5 cells ahead: the far edge
    assert info["expert_distance"] == 5.0
    env.step({"learner_0": LEFT})  # facing north, expert now out of view
    _, _, _, _, infos = env.step({"learner_0": LEFT})
    assert infos["learner_0"]["steps_with_expert_in_view"] == 1


def test_expert_distance_is_minus_one_without_experts() -> None:
    env = open_env()
    _, _, _, _, infos = env.step({"learner_0": FORWARD})
    assert infos["learner_0"]["expert_distance"] == -1.0


@pytest.mark.parametrize("seed", [0, 1])
def test_episode_truncates_after_max_cycles(seed: int) -> None:
    env = open_env(max_cycles=7)
    env.reset(seed=seed)
    for t in range(7):
        _, _, terms, truncs, _ = env.step({"learner_0": int(np.random.default_rng(t).integers(3))})
    assert truncs == {"learner_0": True} and terms == {"learner_0": False}
    assert env.agents == []
