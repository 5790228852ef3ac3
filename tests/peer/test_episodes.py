"""Episode semantics: task time limits, autoreset, peers whose episode ended, the end of the env."""

from __future__ import annotations

import numpy as np
import pytest

import peerzoo
from peerzoo import ACT, ADVISE, IDLE
from tests.peer.helpers import countdown_factory, roles, room, run_round, zero_actions


@pytest.mark.parametrize("size, limit", [(21, 100), (27, 150)])
def test_room_truncates_every_agent_at_the_tasks_time_limit(size: int, limit: int) -> None:
    env = room(n_peers=2, advice=None, size=size)
    env.reset(seed=0)
    for _ in range(limit - 1):
        _, _, terminations, truncations, infos = env.step(zero_actions(env))
        assert not any(truncations.values()) and not any(terminations.values())
        assert "task_truncated" not in infos["peer_0"]
    _, _, terminations, truncations, infos = env.step(zero_actions(env))
    assert truncations == {"peer_0": True, "peer_1": True}
    assert terminations == {"peer_0": False, "peer_1": False}
    assert infos["peer_0"]["task_truncated"] is True
    assert infos["peer_0"]["task_terminated"] is False
    assert env.agents == []


def test_mujoco_truncation_follows_the_tasks_1000_steps() -> None:
    env = peerzoo.make("peer_hopper_v0", n_peers=2, advice=None, api="parallel")
    env.reset(seed=0)
    action = np.zeros(3, np.float32)
    rounds = 0
    while env.agents:
        _, _, terminations, truncations, infos = env.step(dict.fromkeys(env.agents, action))
        rounds += 1
    assert rounds == 1000
    assert all(truncations.values()) and not any(terminations.values())
    assert infos["peer_1"]["final_observation"].shape == (11,)


def test_with_autoreset_task_truncates_on_time_and_the_peer_carries_on() -> None:
    env = room(n_peers=2, advice=None, autoreset=True, max_rounds=250)
    observations, _ = env.reset(seed=0)
    ends = []
    for round_index in range(1, 251):
        observations, _, _terminations, truncations, infos = env.step(zero_actions(env))
        if "task_truncated" in infos["peer_0"]:
            ends.append(round_index)
            assert infos["peer_0"]["final_observation"].shape == (4,)
            centre = np.full(2, 10 / 20, np.float32)
            np.testing.assert_array_equal(observations["peer_0"]["observation"][:2], centre)
    assert ends == [100, 200]
    assert all(truncations.values()), "max_rounds truncates every agent"
    assert env.agents == []


def test_without_autoreset_a_finished_peer_idles_on_act_turns_but_keeps_advising() -> None:
    env = peerzoo.wrap(countdown_factory([2, 5]), n_peers=2, api="parallel")
    env.reset(seed=0)
    run_round(env)
    *_, infos = run_round(env)[-1]
    assert infos["peer_0"]["task_truncated"] is True, "peer_0's 2-step episode is over"
    assert env.agents, "the env goes on while any task episode is running"
    # Round 3: only peer_1 requests; peer_0 still advises it, then idles in the act phase.
    assert env.core.roles == [ADVISE, IDLE]
    observations, *_ = env.step(zero_actions(env))
    assert roles(observations) == {"peer_0": IDLE, "peer_1": ACT}
    assert infos["peer_0"]["final_observation"][0] == 2
    while env.agents:
        *_, terminations, truncations, _ = env.step(zero_actions(env))
    assert truncations == {"peer_0": True, "peer_1": True}
    assert terminations == {"peer_0": False, "peer_1": False}


def test_agent_terminations_carry_what_each_task_reported() -> None:
    env = peerzoo.wrap(countdown_factory([1, 3], terminate=True), n_peers=2, api="parallel")
    env.reset(seed=0)
    while env.agents:
        *_, terminations, truncations, _ = env.step(zero_actions(env))
    assert terminations == {"peer_0": True, "peer_1": True}
    assert truncations == {"peer_0": False, "peer_1": False}


def test_aec_agents_are_removed_only_when_every_task_episode_has_ended() -> None:
    env = peerzoo.wrap(countdown_factory([1, 2]), n_peers=2, advice=None)
    env.reset(seed=0)
    env.step(np.zeros(1, np.float32))
    env.step(np.zeros(1, np.float32))
    assert env.agents == ["peer_0", "peer_1"] and not any(env.truncations.values())
    assert env.infos["peer_0"]["task_truncated"] is True
    env.step(np.zeros(1, np.float32))  # peer_0 idles
    env.step(np.zeros(1, np.float32))
    assert all(env.truncations.values())
    for agent in ["peer_0", "peer_1"]:
        assert env.agent_selection == agent
        env.step(None)
    assert env.agents == []
