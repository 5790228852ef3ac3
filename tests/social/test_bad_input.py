"""Bad actions raise a clear error naming the agent, the step and the space; nothing changes."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from peerzoo.errors import InvalidActionError, TurnOrderError
from peerzoo.social.envs import goal_cycle_v0


def snapshot(env) -> dict:
    return {
        "pos": env.pos.copy(),
        "dirs": env.dirs.copy(),
        "last_goal": env.last_goal.copy(),
        "t": env._t,
        "agents": list(env.agents),
        "rng": copy.deepcopy(env.np_random.bit_generator.state),
        "step_rng": env._step_rng.copy(),
    }


def same(a: dict, b: dict) -> bool:
    return all(
        np.array_equal(a[k], b[k]) if isinstance(a[k], np.ndarray) else a[k] == b[k] for k in a
    )


BAD_ACTIONS = [
    (7, "out of"),
    (-1, "out of"),
    (1.0, "expected an integer"),
    ("forward", "expected an integer"),
    (np.array([1, 2]), "expected an integer"),
    (None, "expected an integer"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ACTIONS)
def test_a_bad_action_names_agent_step_and_space_and_changes_nothing(bad, message) -> None:
    env = goal_cycle_v0.parallel_env(n_learners=2)
    env.reset(seed=0)
    env.step({"learner_0": 2, "learner_1": 2})
    before = snapshot(env)
    with pytest.raises(InvalidActionError) as err:
        env.step({"learner_0": 2, "learner_1": bad})  # the valid one must not be applied
    text = str(err.value)
    assert message in text and "'learner_1'" in text and "step 1" in text
    assert "Discrete(7)" in text
    assert same(before, snapshot(env))
    env.step({"learner_0": 2, "learner_1": 2})  # and the env still works


def test_numpy_integer_actions_of_any_width_are_accepted() -> None:
    env = goal_cycle_v0.parallel_env()
    env.reset(seed=0)
    for a in (np.int8(2), np.uint64(1), np.array(0), np.int64(2)):
        env.step({"learner_0": a})


@pytest.mark.parametrize(
    ("actions", "message"),
    [({}, "missing \\['learner_0'\\]"), ({"learner_0": 1, "learner_7": 1}, "unknown")],
)
def test_missing_or_unknown_agents_are_named(actions, message) -> None:
    env = goal_cycle_v0.parallel_env()
    env.reset(seed=0)
    before = snapshot(env)
    with pytest.raises(InvalidActionError, match=message):
        env.step(actions)
    assert same(before, snapshot(env))


def test_stepping_before_reset_or_after_the_end_says_to_reset() -> None:
    env = goal_cycle_v0.parallel_env(max_cycles=2)
    with pytest.raises(TurnOrderError, match="reset"):
        env.step({"learner_0": 0})
    env.reset(seed=0)
    env.step({"learner_0": 0})
    env.step({"learner_0": 0})
    with pytest.raises(TurnOrderError, match="step 2"):
        env.step({"learner_0": 0})


def test_aec_form_rejects_a_bad_action_naming_the_agent() -> None:
    env = goal_cycle_v0.env()
    env.reset(seed=0)
    with pytest.raises(InvalidActionError, match="'learner_0'"):
        env.step(9)
