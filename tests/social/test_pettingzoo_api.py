"""Every social id passes PettingZoo's own API, seed, max_cycles and render tests, both forms."""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pytest
from pettingzoo.test import (
    api_test,
    max_cycles_test,
    parallel_api_test,
    parallel_seed_test,
    render_test,
)

from peerzoo.registry import UnknownKwargError
from peerzoo.social.envs import SOCIAL_ENV_IDS

OBS_MODES = ("rgb", "symbolic", "full")


def _module(env_id: str):
    return importlib.import_module(f"peerzoo.social.envs.{env_id}")


# Every id in its default mode; goal_cycle_v0 in every mode (the modes share all code).
CASES = [(i, "rgb") for i in SOCIAL_ENV_IDS] + [
    ("goal_cycle_v0", "symbolic"),
    ("goal_cycle_v0", "full"),
]


@pytest.mark.parametrize(("env_id", "obs_mode"), CASES)
def test_parallel_api(env_id: str, obs_mode: str) -> None:
    parallel_api_test(_module(env_id).parallel_env(n_learners=2, obs_mode=obs_mode), 300)


@pytest.mark.parametrize(("env_id", "obs_mode"), CASES)
def test_parallel_seed(env_id: str, obs_mode: str) -> None:
    mod = _module(env_id)
    parallel_seed_test(lambda **kw: mod.parallel_env(obs_mode=obs_mode, **kw), num_cycles=100)


@pytest.mark.parametrize(("env_id", "obs_mode"), CASES)
def test_aec_api(env_id: str, obs_mode: str) -> None:
    api_test(_module(env_id).env(n_learners=2, obs_mode=obs_mode), num_cycles=100)


@pytest.mark.parametrize("env_id", SOCIAL_ENV_IDS)
def test_max_cycles(env_id: str) -> None:
    max_cycles_test(_module(env_id))


@pytest.mark.parametrize("env_id", SOCIAL_ENV_IDS)
def test_render(env_id: str) -> None:
    mod = _module(env_id)
    render_test(lambda render_mode=None: mod.env(n_learners=2, render_mode=render_mode))


@pytest.mark.parametrize("obs_mode", OBS_MODES)
def test_observations_have_exactly_the_declared_dtypes(obs_mode: str) -> None:
    env = _module("goal_cycle_v0").parallel_env(n_learners=2, obs_mode=obs_mode)
    obs, _ = env.reset(seed=1)
    for _ in range(3):
        space = env.observation_space("learner_0")
        for o in obs.values():
            assert space.contains(o)
            if obs_mode == "full":
                assert o["grid"].dtype == space["grid"].dtype == np.uint8
                assert o["position"].dtype == space["position"].dtype == np.int64
            else:
                assert o.dtype == space.dtype == np.uint8
                assert o.shape == space.shape
        obs, *_ = env.step(dict.fromkeys(env.agents, 2))


def test_paper_shapes() -> None:
    mod = _module("goal_cycle_v0")
    assert mod.parallel_env().observation_space("learner_0").shape == (21, 21, 3)
    assert mod.parallel_env(obs_mode="symbolic").observation_space("learner_0").shape == (7, 7, 3)
    full = mod.parallel_env(obs_mode="full").observation_space("learner_0")
    assert full["grid"].shape == (13, 13, 3)
    # marlgrid's action set: 7 MiniGrid actions, 3 (left, right, forward) with restrict_actions.
    assert mod.parallel_env().action_space("learner_0").n == 7
    assert mod.parallel_env(restrict_actions=True).action_space("learner_0").n == 3


@pytest.mark.parametrize("env_id", SOCIAL_ENV_IDS)
def test_creators_take_explicit_keywords_with_max_cycles_and_render_mode(env_id: str) -> None:
    mod = _module(env_id)
    for creator in (mod.env, mod.parallel_env):
        params = inspect.signature(creator).parameters
        assert {"max_cycles", "render_mode", "n_learners", "n_experts", "obs_mode"} <= set(params)
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
        assert params["max_cycles"].default == 250


def test_unknown_keyword_names_it_and_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownKwargError, match=r"'n_expert'.*did you mean 'n_experts'"):
        _module("goal_cycle_v0").parallel_env(n_expert=1)


def test_invalid_values_are_rejected_with_the_argument_named() -> None:
    with pytest.raises(ValueError, match="obs_mode"):
        _module("goal_cycle_v0").parallel_env(obs_mode="pixels")
    with pytest.raises(ValueError, match="n_learners"):
        _module("goal_cycle_v0").parallel_env(n_learners=0)
    with pytest.raises(
        ValueError, match=r"occlusion must be one of \['flood_fill', 'line_of_sight'\]"
    ):
        _module("goal_cycle_v0").parallel_env(occlusion="rays")
    for flag in ("experts_know_order", "repeat_goal_penalty", "restrict_actions"):
        with pytest.raises(ValueError, match=f"{flag} must be True or False, got 'yes'"):
            _module("goal_cycle_v0").parallel_env(**{flag: "yes"})


def test_transfer_tasks_run_with_and_without_experts() -> None:
    for env_id in SOCIAL_ENV_IDS:
        for n_experts in (0, 2):
            env = _module(env_id).parallel_env(n_experts=n_experts, max_cycles=20)
            env.reset(seed=0)
            while env.agents:
                env.step(dict.fromkeys(env.agents, 2))
            assert env.n_experts == n_experts


def test_transfer_task_defaults() -> None:
    assert _module("goal_cycle_4_goals_v0").parallel_env().n_goals == 4
    assert _module("goal_cycle_5_goals_v0").parallel_env().n_goals == 5
    assert _module("four_rooms_v0").parallel_env().layout == "four_rooms"
    assert _module("maze_v0").parallel_env().layout == "maze"
