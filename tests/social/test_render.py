"""Rendering: rgb_array frames without pygame; human mode opens pygame only when it renders."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from peerzoo.social.envs import goal_cycle_v0


def test_rgb_array_frame_is_world_plus_one_framed_panel_per_learner() -> None:
    env = goal_cycle_v0.parallel_env(n_learners=2, render_mode="rgb_array")
    env.reset(seed=0)
    frame = env.render()
    assert frame.dtype == np.uint8 and frame.ndim == 3 and frame.shape[2] == 3
    t = 24
    assert frame.shape[1] > 13 * t + 7 * t  # the world, then the point-of-view column
    assert frame.shape[0] >= 2 * 7 * t
    # Each panel's frame is drawn in its learner's colour (red, then blue).
    assert tuple(frame[0, 13 * t + 1]) == (255, 0, 0)
    assert tuple(frame[7 * t + 2 * (t // 4), 13 * t + 1]) == (0, 0, 255)


def test_render_without_a_mode_returns_none() -> None:
    env = goal_cycle_v0.parallel_env()
    env.reset(seed=0)
    assert env.render() is None


def test_rendering_does_not_change_the_episode() -> None:
    a = goal_cycle_v0.parallel_env(n_experts=2, render_mode="rgb_array")
    b = goal_cycle_v0.parallel_env(n_experts=2)
    oa, _ = a.reset(seed=4)
    ob, _ = b.reset(seed=4)
    for _ in range(30):
        a.render()
        oa, ra, _, _, ia = a.step({"learner_0": 2})
        ob, rb, _, _, ib = b.step({"learner_0": 2})
        assert np.array_equal(oa["learner_0"], ob["learner_0"]) and ra == rb and ia == ib


def test_human_mode_imports_pygame_only_when_it_first_renders() -> None:
    code = (
        "import sys\n"
        "from peerzoo.social.envs import goal_cycle_v0 as m\n"
        "env = m.parallel_env(render_mode='human')\n"
        "assert 'pygame' not in sys.modules\n"
        "env.reset(seed=0)\n"
        "assert 'pygame' in sys.modules\n"
        "env.step({'learner_0': 2}); env.close()\n"
    )
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
