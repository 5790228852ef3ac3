"""Property tests: whatever the seed, layout and actions, agents stay on the grid, off walls."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerzoo.social.core.codes import EMPTY, GOAL, WALL
from peerzoo.social.core.kernels import UNREACHABLE
from peerzoo.social.core.layouts import reachable_from
from peerzoo.social.envs.goal_cycle_v0 import GoalCycleEnv

ENVS = {
    (layout, ghost): GoalCycleEnv(
        n_learners=2,
        n_experts=2,
        layout=layout,
        ghost_mode=ghost,
        obs_mode="symbolic",
        expert_noise=0.3,
        reset_on_mistake=True,
    )
    for layout in ("cluttered", "four_rooms", "maze")
    for ghost in (True, False)
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31 - 1),
    layout=st.sampled_from(["cluttered", "four_rooms", "maze"]),
    ghost=st.booleans(),
    actions=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=60),
)
def test_agents_stay_in_bounds_and_never_inside_walls(seed, layout, ghost, actions) -> None:
    env = ENVS[(layout, ghost)]
    env.reset(seed=seed)
    for a0, a1 in actions:
        if not env.agents:
            break
        env.step({a: v for a, v in zip(("learner_0", "learner_1"), (a0, a1)) if a in env.agents})
        live = env.pos[env.alive]
        assert ((live >= 0) & (live < env.grid_size)).all()
        assert (env.grid[live[:, 0], live[:, 1]] != WALL).all()
        if not ghost:
            assert len({tuple(p) for p in live}) == len(live)  # solid agents never share


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), layout=st.sampled_from(["cluttered", "four_rooms", "maze"]))
def test_every_goal_is_reachable_from_every_spawn(seed, layout) -> None:
    env = ENVS[(layout, True)]
    env.reset(seed=seed)
    assert (env.goal_id >= 0).sum() == env.n_goals
    assert np.isin(env.grid, [EMPTY, WALL, GOAL]).all()
    goals = env.goal_id >= 0
    for k, (r, c) in enumerate(env.pos):
        region = reachable_from(env.grid, (int(r), int(c)))
        assert region[goals].all(), f"agent {k} at {(r, c)} cannot reach every goal"
        # and the experts' route costs agree: finite from the spawn to every goal
        assert (env.goal_dist[:, r, c] < UNREACHABLE).all()
