"""Scripted experts cycle optimally; noise and a plugged-in policy replace their actions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from peerzoo.social.envs import goal_cycle_v0
from tests.social.helpers import EAST, FORWARD, LEFT, SOUTH, open_env, set_world


def expert_goal_sequence(env, expert: int, steps: int) -> list[int]:
    """Goals the expert entered in order (its last goal each time it changes)."""
    seq: list[int] = []
    for _ in range(steps):
        env.step(dict.fromkeys(env.agents, LEFT))
        g = int(env.last_goal[expert])
        if g >= 0 and (not seq or seq[-1] != g):
            seq.append(g)
    return seq


@pytest.mark.parametrize("clutter_density", [0.0, 0.15])
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_scripted_expert_visits_the_goals_in_cycle_order(seed: int, clutter_density: float) -> None:
    env = goal_cycle_v0.parallel_env(
        n_experts=1, clutter_density=clutter_density, obs_mode="symbolic"
    )
    env.reset(seed=seed)
    seq = expert_goal_sequence(env, expert=1, steps=250)
    assert len(seq) >= 9  # at least three full cycles in 250 steps on a 11×11 floor
    assert all(b == (a + 1) % 3 for a, b in itertools.pairwise(seq))
    assert env.penalties[1] == 0
    assert env.goals_in_order[1] == len(seq)


@pytest.mark.parametrize("env_id", ["goal_cycle_5_goals_v0", "four_rooms_v0", "maze_v0"])
def test_scripted_experts_never_err_on_the_transfer_tasks(env_id: str) -> None:
    import importlib

    mod = importlib.import_module(f"peerzoo.social.envs.{env_id}")
    env = mod.parallel_env(obs_mode="symbolic")
    env.reset(seed=3)
    expert_goal_sequence(env, expert=1, steps=250)
    assert env.penalties[1:].sum() == 0
    assert env.goals_in_order[1:].min() >= 2


def test_expert_takes_the_shortest_path_to_the_next_goal() -> None:
    env = open_env(n_experts=1)
    set_world(env, goals=[(2, 2), (2, 10), (10, 10)], agents=[(6, 6, SOUTH), (2, 3, SOUTH)])
    env.last_goal[1] = 0  # the expert has just visited goal 0, so goal 1 is next (8 away)
    steps = 0
    while env.last_goal[1] != 1:
        env.step({"learner_0": LEFT})
        steps += 1
    assert steps <= 8 + 2  # 8 moves + at most two turns


def test_expert_action_is_what_the_expert_would_do_in_the_learners_place() -> None:
    env = open_env()
    set_world(env, goals=[(2, 2), (2, 10), (10, 10)], agents=[(2, 5, SOUTH)])
    env.last_goal[0] = 0
    assert env.expert_action("learner_0") == LEFT  # goal 1 is east: turn from south to east
    env.dirs[0] = 0
    assert env.expert_action("learner_0") == FORWARD


def test_full_noise_makes_experts_err() -> None:
    env = goal_cycle_v0.parallel_env(n_experts=2, expert_noise=1.0, obs_mode="symbolic")
    optimal = goal_cycle_v0.parallel_env(n_experts=2, obs_mode="symbolic")
    env.reset(seed=0)
    optimal.reset(seed=0)
    for _ in range(250):
        env.step({"learner_0": LEFT})
        optimal.step({"learner_0": LEFT})
    assert optimal.goals_in_order[1:].sum() > 3 * env.goals_in_order[1:].sum()


def test_a_plugged_in_policy_drives_the_experts_from_their_own_observations() -> None:
    calls: list[tuple[tuple[int, ...], int]] = []

    class Policy:
        resets = 0

        def reset(self) -> None:
            self.resets += 1

        def __call__(self, observation: np.ndarray, expert_index: int) -> int:
            calls.append((observation.shape, expert_index))
            return FORWARD

    policy = Policy()
    env = goal_cycle_v0.parallel_env(n_experts=2, expert_policy=policy)
    env.reset(seed=0)
    env.step({"learner_0": LEFT})
    assert policy.resets == 1
    assert calls == [((21, 21, 3), 0), ((21, 21, 3), 1)]


def test_a_policy_returning_an_invalid_action_is_reported() -> None:
    env = goal_cycle_v0.parallel_env(n_experts=1, expert_policy=lambda obs, i: 9)
    env.reset(seed=0)
    with pytest.raises(ValueError, match="expert_policy returned"):
        env.step({"learner_0": LEFT})


def test_a_discovering_expert_pays_for_a_wrong_guess_once_then_follows_the_cycle() -> None:
    env = open_env(n_experts=1, experts_know_order=False)
    # Goal 2 lies nearest to goal 0, so the expert's first guess after goal 0 is wrong.
    set_world(env, goals=[(6, 3), (6, 10), (6, 6)], agents=[(11, 11, SOUTH), (6, 2, EAST)])
    seq = expert_goal_sequence(env, expert=1, steps=250)
    assert env.penalties[1] == 1  # goal 2 straight after goal 0
    assert env.ruled_out[1, 0, 2] and env.known_next[1].tolist() == [1, 2, 0]
    assert seq[:2] == [0, 1] and all(b == (a + 1) % 3 for a, b in itertools.pairwise(seq))
    assert len(seq) >= 9


def test_all_knowing_experts_never_guess() -> None:
    env = open_env(n_experts=1)
    set_world(env, goals=[(6, 3), (6, 10), (6, 6)], agents=[(11, 11, SOUTH), (6, 2, EAST)])
    expert_goal_sequence(env, expert=1, steps=250)
    assert env.penalties[1] == 0 and (env.known_next == -1).all()
