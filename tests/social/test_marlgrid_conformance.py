"""peerzoo's Goal Cycle replays marlgrid's own recording: same rewards, same pixels.

``tests/fixtures/marlgrid_goal_cycle.npz`` was written by ``tools/record_marlgrid.py``
with marlgrid's ``ClutteredGoalCycleEnv`` (kandouss/marlgrid, the environment of
Ndousse et al., ICML 2021): six layouts drawn by marlgrid, three agents, fixed
actions, the move order marlgrid shuffled each step. peerzoo starts from the
same layout and agents, moves in the same order, and must pay the same rewards
and show every agent the same 21×21 RGB observation, pixel for pixel.
marlgrid has no symbolic observation: for the ``symbolic`` mode the test holds
peerzoo's codes to marlgrid's visibility mask and to what marlgrid's view grid
holds on each cell.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from peerzoo.social.core.codes import AGENT, EMPTY, GOAL, UNSEEN, WALL
from peerzoo.social.core.kernels import ON_GOAL_STATE
from peerzoo.social.envs.goal_cycle_v0 import GoalCycleEnv
from tests.social.helpers import set_world

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "marlgrid_goal_cycle.npz"
RECORDING = np.load(FIXTURE)
SCENARIOS = range(int(RECORDING["n_scenarios"]))
LEARNERS = ("learner_0", "learner_1", "learner_2")


def scenario(i: int) -> dict[str, np.ndarray]:
    return {key[len(f"s{i}_") :]: RECORDING[key] for key in RECORDING if key.startswith(f"s{i}_")}


def replay(i: int, obs_mode: str):
    """(step, observations, rewards) of peerzoo fed scenario ``i``'s layout, actions, orders."""
    rec = scenario(i)
    size = rec["walls"].shape[0]
    env = GoalCycleEnv(
        n_learners=3,
        n_experts=0,
        grid_size=size,
        obs_mode=obs_mode,
        prestige_beta=0.95 if rec["prestige"] else None,
        max_cycles=len(rec["actions"]) + 1,
    )
    env.reset(seed=0)
    start = [(*p, d) for p, d in zip(rec["pos"][0], rec["dirs"][0])]
    set_world(env, goals=map(tuple, rec["goals"]), walls=np.argwhere(rec["walls"]), agents=start)
    env._shuffle_moves = False  # each step moves in the order marlgrid drew
    idx = np.arange(3, dtype=np.int64)
    yield 0, env._observe(idx), None
    for t, actions in enumerate(rec["actions"]):
        env._order[:] = rec["order"][t]
        obs, rewards, *_ = env.step(dict(zip(LEARNERS, actions.tolist())))
        assert (env.pos == rec["pos"][t + 1]).all() and (env.dirs == rec["dirs"][t + 1]).all()
        yield t + 1, np.stack([obs[a] for a in LEARNERS]), np.array([rewards[a] for a in LEARNERS])


@pytest.mark.parametrize("i", SCENARIOS)
def test_rewards_and_rgb_observations_match_marlgrid_pixel_for_pixel(i: int) -> None:
    rec = scenario(i)
    for t, obs, rewards in replay(i, "rgb"):
        if rewards is not None:
            np.testing.assert_array_equal(rewards, rec["rewards"][t - 1], err_msg=f"step {t}")
        for k in range(3):
            np.testing.assert_array_equal(obs[k], rec["obs"][t, k], err_msg=f"step {t} agent {k}")


# marlgrid's view cell kinds (tools/record_marlgrid.py) -> peerzoo's symbolic type.
KIND_TO_TYPE = {0: EMPTY, 1: WALL, 2: GOAL, 3: AGENT, 4: AGENT}


@pytest.mark.parametrize("i", SCENARIOS)
def test_symbolic_codes_show_what_marlgrid_shows_where_it_shows_it(i: int) -> None:
    rec = scenario(i)
    for t, obs, _ in replay(i, "symbolic"):
        visible, kinds = rec["visible"][t], rec["kinds"][t]
        types, states = obs[..., 0], obs[..., 2]
        assert ((types == UNSEEN) == ~visible).all(), f"step {t}: occlusion differs"
        expected = np.vectorize(KIND_TO_TYPE.get)(kinds)
        assert (types[visible] == expected[visible]).all(), f"step {t}: cell contents differ"
        on_goal = visible & (kinds == 4)
        assert (states[on_goal] >= ON_GOAL_STATE).all(), f"step {t}: agent on goal not marked"
        on_floor = visible & (kinds == 3)
        assert (states[on_floor] < ON_GOAL_STATE).all()


def test_the_recording_exercises_every_rule_it_pins() -> None:
    """The fixture holds paid goals, penalties, agents drawn on goals and hidden cells."""
    rewards = np.concatenate([scenario(i)["rewards"].ravel() for i in SCENARIOS])
    kinds = np.concatenate([scenario(i)["kinds"].ravel() for i in SCENARIOS])
    assert (rewards == 1.0).sum() >= 10 and (rewards == -1.5).sum() >= 10
    assert (kinds == 4).sum() >= 100
    assert any(scenario(i)["prestige"] for i in SCENARIOS)
    assert sum((~scenario(i)["visible"]).sum() for i in SCENARIOS) > 1000
