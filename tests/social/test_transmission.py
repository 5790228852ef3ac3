"""Cultural-transmission evaluation: known answers from scripted policies."""

from __future__ import annotations

import numpy as np
import pytest

from peerzoo.social.core.codes import AGENT, AGENT_COLOURS, FORWARD, RIGHT, WALL
from peerzoo.social.core.codes import VIEW_COL as COL
from peerzoo.social.core.codes import VIEW_ROW as ROW
from peerzoo.social.transmission import cultural_transmission, random_policy

SETTINGS = {"obs_mode": "symbolic", "max_cycles": 60, "clutter_density": 0.0}


def wall_follower(observations: np.ndarray, episode_start: bool) -> np.ndarray:
    """Forward unless a wall is straight ahead, then turn right: deterministic, and scores."""
    ahead = observations[:, ROW - 1, COL, 0]
    return np.where(ahead == WALL, RIGHT, FORWARD)


def test_a_policy_equal_to_the_expert_scores_one_and_equal_to_the_solo_scores_zero() -> None:
    solo = random_policy(3, seed=1)
    kw = {"episodes": 4, "seed": 5, "expert_steps": 30, "solo_policy": solo, **SETTINGS}
    as_expert = cultural_transmission(wall_follower, expert_policy=wall_follower, **kw)
    assert as_expert.normalised == {
        "with_experts": 1.0,
        "after_experts_leave": 1.0,
        "alone": 1.0,
    }
    assert as_expert.cultural_transmission == 1.0
    as_solo = cultural_transmission(random_policy(3, seed=1), expert_policy=wall_follower, **kw)
    assert as_solo.normalised == {"with_experts": 0.0, "after_experts_leave": 0.0, "alone": 0.0}


def test_the_scripted_expert_is_the_default_top_of_the_scale_and_beats_random() -> None:
    scores = cultural_transmission(random_policy(3, seed=2), episodes=2, seed=0, **SETTINGS)
    assert scores.expert["with_experts"] > scores.solo["with_experts"]
    assert scores.expert["alone"] > scores.solo["alone"]
    assert scores.normalised["alone"] == pytest.approx(
        (scores.policy["alone"] - scores.solo["alone"])
        / (scores.expert["alone"] - scores.solo["alone"])
    )
    assert scores.expert_steps == 30  # half of max_cycles by default


def test_experts_are_in_the_world_before_expert_steps_and_gone_after() -> None:
    seen: list[tuple[int, bool]] = []
    clock = [0]
    expert_codes = AGENT_COLOURS[1:3]  # agents 1 and 2 (the experts) wear these

    def watcher(observations: np.ndarray, episode_start: bool) -> np.ndarray:
        clock[0] = 0 if episode_start else clock[0] + 1
        view = observations[0]
        sees = bool(((view[..., 0] == AGENT) & np.isin(view[..., 1], expert_codes)).any())
        seen.append((clock[0], sees))
        return np.array([RIGHT])  # spin in place: sees all around over four steps

    cultural_transmission(watcher, episodes=2, seed=0, expert_steps=15, **SETTINGS)
    before = [s for t, s in seen if t < 15]
    after = [s for t, s in seen if t > 15]  # the view at step 15 was taken before they left
    assert any(before) and not any(after)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_experts": 0}, "n_experts"),
        ({"expert_steps": 60}, "expert_steps must lie in 1..59"),
        ({"episodes": 0}, "episodes must be"),
    ],
)
def test_bad_settings_are_refused_by_name(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        cultural_transmission(wall_follower, **{**SETTINGS, **kwargs})
