"""The batched worlds are the single env, world for world: same seed, same steps, same infos."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium.vector.vector_env import AutoresetMode

import peerzoo
from peerzoo.social.vector import GoalCycleVectorEnv

INFO_KEYS = ("goals_in_order", "penalties", "steps_with_expert_in_view", "expert_distance")
# Rule state a world carries from step to step (drawing order, what experts learned, prestige).
WORLD_STATE = ("pos", "dirs", "arrival", "last_goal", "known_next", "ruled_out", "prestige")


def single_envs(env_id: str, seeds: list[int], **kwargs) -> tuple[list, list[dict]]:
    envs = [peerzoo.make(env_id, api="parallel", **kwargs) for _ in seeds]
    return envs, [env.reset(seed=s) for env, s in zip(envs, seeds)]


@pytest.mark.parametrize(
    ("env_id", "kwargs"),
    [
        ("goal_cycle_v0", {"obs_mode": "symbolic", "n_learners": 2, "expert_noise": 0.3}),
        ("goal_cycle_v0", {"obs_mode": "rgb", "reset_on_mistake": True, "ghost_mode": False}),
        ("goal_cycle_5_goals_v0", {"obs_mode": "symbolic", "prestige_beta": 0.9}),
        ("four_rooms_v0", {"obs_mode": "symbolic", "n_experts": 0}),
        ("maze_v0", {"obs_mode": "symbolic", "reset_on_mistake": True}),
        # Experts that discover the order (and respawn after a mistake), learning per world.
        (
            "goal_cycle_v0",
            {"obs_mode": "symbolic", "experts_know_order": False, "reset_on_mistake": True},
        ),
        (
            "goal_cycle_4_goals_v0",
            {"obs_mode": "rgb", "experts_know_order": False, "n_learners": 2, "expert_noise": 0.2},
        ),
        # Prestige tints each world's agents in its rgb views.
        ("goal_cycle_v0", {"obs_mode": "rgb", "prestige_beta": 0.95, "n_learners": 2}),
        (
            "goal_cycle_v0",
            {
                "obs_mode": "symbolic",
                "repeat_goal_penalty": False,
                "occlusion": "line_of_sight",
                "restrict_actions": True,
            },
        ),
    ],
)
def test_world_b_equals_the_single_env_seeded_the_same_step_for_step(env_id, kwargs) -> None:
    B, L, max_cycles = 3, kwargs.get("n_learners", 1), 40
    kwargs = {**kwargs, "max_cycles": max_cycles}
    vec = GoalCycleVectorEnv(env_id, num_worlds=B, **kwargs)
    obs, infos = vec.reset(seed=7)
    singles, first = single_envs(env_id, [7 + b for b in range(B)], **kwargs)
    agents = singles[0].possible_agents
    rng = np.random.default_rng(0)

    def expect_obs(observations: list[dict]) -> np.ndarray:
        return np.stack([o[a] for o in observations for a in agents])

    assert np.array_equal(obs, expect_obs([o for o, _ in first]))
    ended = learned = False
    n_actions = vec.single_action_space.n
    for t in range(3 * max_cycles + 2):  # crosses NEXT_STEP autoresets
        act = rng.integers(0, n_actions, B * L)
        obs, rew, term, trunc, infos = vec.step(act)
        expected_obs, expected_rew, expected_trunc, expected_info = [], [], [], []
        for b, env in enumerate(singles):
            if ended:  # the vector env resets this step, ignoring the actions
                o, i = env.reset()
                r, tr = dict.fromkeys(agents, 0.0), dict.fromkeys(agents, False)
            else:
                o, r, _, tr, i = env.step({a: int(act[b * L + k]) for k, a in enumerate(agents)})
            expected_obs.append(o)
            expected_rew += [r[a] for a in agents]
            expected_trunc += [tr[a] for a in agents]
            expected_info += [i[a] for a in agents]
        assert np.array_equal(obs, expect_obs(expected_obs)), f"step {t}"
        assert np.array_equal(rew, expected_rew), f"step {t}"
        assert np.array_equal(trunc, expected_trunc) and not term.any(), f"step {t}"
        for key in INFO_KEYS:
            assert np.array_equal(infos[key], [i[key] for i in expected_info]), (key, t)
        for name in WORLD_STATE:
            expected_state = np.stack([getattr(env, name) for env in singles])
            assert np.array_equal(vec._state[name], expected_state), (name, t)
        learned |= bool((vec._state["known_next"] >= 0).any())
        ended = bool(trunc.any())
    if not kwargs.get("experts_know_order", True):
        assert learned, "the discovering experts never learned a successor"


def test_expert_actions_are_the_single_envs_expert_action_in_each_learners_place() -> None:
    kwargs = {"obs_mode": "symbolic", "n_learners": 2}
    vec = GoalCycleVectorEnv("goal_cycle_v0", num_worlds=3, **kwargs)
    vec.reset(seed=11)
    singles, _ = single_envs("goal_cycle_v0", [11, 12, 13], **kwargs)
    rng = np.random.default_rng(0)
    for _ in range(30):
        expected = [env.expert_action(a) for env in singles for a in env.possible_agents]
        assert vec.expert_actions().tolist() == expected
        act = rng.integers(0, 3, 6)
        vec.step(act)
        for b, env in enumerate(singles):
            env.step({a: int(act[2 * b + k]) for k, a in enumerate(env.possible_agents)})


def test_same_step_autoreset_returns_the_fresh_observation_and_keeps_the_last_one() -> None:
    kwargs = {"obs_mode": "symbolic", "max_cycles": 5}
    vec = GoalCycleVectorEnv("goal_cycle_v0", num_worlds=2, autoreset_mode="SameStep", **kwargs)
    vec.reset(seed=3)
    (single,), _ = single_envs("goal_cycle_v0", [3], **kwargs)
    for _ in range(5):
        last, *_ = single.step({"learner_0": 2})
        obs, rew, term, trunc, infos = vec.step(np.full(2, 2))
    assert trunc.all() and infos["_final_obs"].all()
    assert np.array_equal(infos["final_obs"][0], last["learner_0"])
    fresh, _ = single.reset()
    assert np.array_equal(obs[0], fresh["learner_0"])
    obs, rew, term, trunc, _ = vec.step(np.full(2, 2))  # the new episode goes on at once
    assert not trunc.any()
    assert np.array_equal(obs[0], single.step({"learner_0": 2})[0]["learner_0"])


def test_observations_of_all_learners_come_as_one_batch_of_the_declared_space() -> None:
    vec = GoalCycleVectorEnv("goal_cycle_v0", num_worlds=4, n_learners=3, obs_mode="symbolic")
    obs, _ = vec.reset(seed=0)
    assert vec.num_envs == 12 and obs.shape == (12, 7, 7, 3) and obs.dtype == np.uint8
    assert vec.observation_space.contains(obs)
    obs, rew, term, trunc, infos = vec.step(vec.action_space.sample())
    assert vec.observation_space.contains(obs)
    assert rew.shape == term.shape == trunc.shape == (12,)
    assert vec.metadata["autoreset_mode"] is AutoresetMode.NEXT_STEP


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"obs_mode": "full"}, "obs_mode must be 'symbolic' or 'rgb'"),
        ({"reset_on_mistake": True, "respawn": False}, "use respawn=True"),
        ({"expert_policy": lambda obs, i: 0}, "expert_policy is not supported"),
        ({"autoreset_mode": "Disabled"}, "autoreset_mode must be one of"),
        ({"num_worlds": 0}, "num_worlds must be an int"),
    ],
)
def test_unsupported_configurations_are_refused_with_the_way_out(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        GoalCycleVectorEnv("goal_cycle_v0", **kwargs)


@pytest.mark.parametrize(
    ("actions", "message"),
    [(np.array([0, 7]), "out of"), (np.array([0]), "shape"), (np.array([0.0, 1.0]), "integer")],
)
def test_bad_actions_are_refused_and_change_nothing(actions, message) -> None:
    vec = GoalCycleVectorEnv("goal_cycle_v0", num_worlds=2, obs_mode="symbolic")
    obs, _ = vec.reset(seed=0)
    pos = vec._state["pos"].copy()
    with pytest.raises(ValueError, match=message):
        vec.step(actions)
    assert np.array_equal(vec._state["pos"], pos)
    assert np.array_equal(vec.step(np.array([1, 1]))[0].shape, obs.shape)


def test_seed_lists_seed_each_world_and_a_wrong_length_is_refused() -> None:
    vec = GoalCycleVectorEnv("goal_cycle_v0", num_worlds=2, obs_mode="symbolic")
    a, _ = vec.reset(seed=[5, 9])
    b, _ = vec.reset(seed=5)  # worlds 5 and 6
    assert np.array_equal(a[0], b[0]) and not np.array_equal(a[1], b[1])
    with pytest.raises(ValueError, match="one seed per world"):
        vec.reset(seed=[1, 2, 3])
