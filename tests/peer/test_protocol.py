"""The round structure (docs/protocol.md): Latin-square advice phases, act phase, spaces, infos."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium import spaces

import peerzoo
from peerzoo import ACT, ADVISE, IDLE
from tests.peer.helpers import act_agents, roles, room, run_round, zero_actions


def test_round_is_latin_square_advice_phases_then_act_phase() -> None:
    env = room(n_peers=4)
    observations, _ = env.reset(seed=0)
    for p in range(1, 4):
        assert roles(observations) == dict.fromkeys(env.agents, ADVISE)
        subjects = {agent: int(obs["subject"]) for agent, obs in observations.items()}
        assert subjects == {f"peer_{j}": (j + p) % 4 for j in range(4)}
        observations, *_ = env.step(zero_actions(env))
    assert roles(observations) == dict.fromkeys(env.agents, ACT)
    assert all(int(obs["subject"]) == i for i, obs in enumerate(observations.values()))


def test_advisor_sees_the_subjects_state_and_actor_its_own() -> None:
    env = room(n_peers=3)
    observations, _ = env.reset(seed=1)
    own = env.state()
    for _agent, obs in observations.items():
        np.testing.assert_array_equal(obs["observation"], own[int(obs["subject"])])
    assert not np.array_equal(own[0], own[1]), "peers need different goals for this test"
    run_round(env)
    observations, *_ = env.step(zero_actions(env))  # first advice phase of round 2
    for _agent, obs in observations.items():
        np.testing.assert_array_equal(obs["observation"], env.state()[int(obs["subject"])])


def test_without_requests_a_round_is_the_act_phase_alone() -> None:
    env = room(n_peers=4, advice=None)
    observations, _ = env.reset(seed=0)
    for expected_round in range(1, 4):
        assert act_agents(observations) == env.agents
        observations, *_ = env.step(zero_actions(env))
        assert env.core.round == expected_round


def test_observation_space_is_the_tabled_dict_for_continuous_and_discrete_tasks() -> None:
    hopper = peerzoo.make("peer_hopper_v0", n_peers=3)
    space = hopper.observation_space("peer_0")
    assert set(space.spaces) == {"observation", "role", "subject", "advice", "advice_mask"}
    assert space["observation"] == hopper.unwrapped.core.tasks[0].observation_space
    assert space["role"] == spaces.Discrete(3)
    assert space["subject"] == spaces.Discrete(3)
    assert space["advice"] == spaces.Box(-np.inf, np.inf, (3, 3), np.float32)
    assert space["advice_mask"] == spaces.MultiBinary(3)
    assert hopper.action_space("peer_1") == spaces.Box(-1, 1, (3,), np.float32)

    adversarial = peerzoo.make("peer_room_expert_adversary_v0", n_peers=2)
    space = adversarial.observation_space("peer_0")
    assert space["advice"] == spaces.MultiDiscrete([4] * 4)
    assert space["advice_mask"] == spaces.MultiBinary(4)
    assert adversarial.scripted_names == ["expert", "adversary"]
    assert (ACT, ADVISE, IDLE) == (peerzoo.ACT, peerzoo.ADVISE, peerzoo.IDLE) == (0, 1, 2)


def test_recommendations_arrive_in_the_advisors_rows_with_a_mask() -> None:
    env = room(n_peers=3)
    env.reset(seed=0)
    # phase 1: peer_j advises (j+1)%3 with action j+1; phase 2: advises (j+2)%3 with 3.
    env.step({"peer_0": 1, "peer_1": 2, "peer_2": 3})
    observations, *_ = env.step({"peer_0": 3, "peer_1": 3, "peer_2": 3})
    advice = {agent: obs["advice"].tolist() for agent, obs in observations.items()}
    assert advice == {
        "peer_0": [0, 3, 3],  # peer_2 in phase 1 (3), peer_1 in phase 2 (3)
        "peer_1": [1, 0, 3],
        "peer_2": [3, 2, 0],
    }
    for i, obs in enumerate(observations.values()):
        assert obs["advice_mask"].tolist() == [int(k != i) for k in range(3)]


def test_infos_carry_role_subject_request_count_and_who_was_followed() -> None:
    env = room(n_peers=2)
    _, infos = env.reset(seed=0)
    assert infos["peer_0"] == {"role": ADVISE, "subject": 1, "requested": True, "advice_count": 0}
    env.step({"peer_0": 2, "peer_1": 3})  # peer_0 recommends 2 to peer_1, peer_1 recommends 3
    _, _, _, _, infos = env.step({"peer_0": 3, "peer_1": 0})  # peer_0 follows, peer_1 does not
    assert infos["peer_0"]["followed"] == 1
    assert infos["peer_1"]["followed"] == -1
    assert infos["peer_0"]["advice_count"] == 1
    _, _, _, _, infos = env.step({"peer_0": 0, "peer_1": 0})  # next round's advice phase
    assert "followed" not in infos["peer_0"]


def test_advisors_get_zero_reward_unless_a_share_is_asked_for() -> None:
    env = room(n_peers=2)
    env.reset(seed=0)
    advice_phase = env.step({"peer_0": 0, "peer_1": 0})
    assert advice_phase[1] == {"peer_0": 0.0, "peer_1": 0.0}
    _, rewards, *_ = env.step({"peer_0": 0, "peer_1": 0})
    assert rewards == {"peer_0": pytest.approx(-0.001), "peer_1": pytest.approx(-0.001)}

    shared = room(n_peers=2, advisor_reward_share=0.5)
    shared.reset(seed=0)
    shared.step({"peer_0": 0, "peer_1": 0})
    _, rewards, *_ = shared.step({"peer_0": 0, "peer_1": 0})
    assert rewards["peer_0"] == pytest.approx(-0.001 * 1.5)


def test_aec_rewards_land_at_the_end_of_the_act_phase() -> None:
    env = peerzoo.make("peer_room_v0", n_peers=2)
    env.reset(seed=0)
    for _ in range(3):  # advice phase (2 turns) + first act turn
        assert env.rewards == {"peer_0": 0.0, "peer_1": 0.0}
        env.step(0)
    env.step(0)  # last turn of the act phase
    assert env.rewards == {"peer_0": pytest.approx(-0.001), "peer_1": pytest.approx(-0.001)}
    _, reward, *_ = env.last()
    assert reward == pytest.approx(-0.001)


def test_aec_and_parallel_forms_produce_the_same_trajectory() -> None:
    aec = peerzoo.make("peer_room_expert_adversary_v0", n_peers=3, advice="prob:0.5")
    par = peerzoo.make(
        "peer_room_expert_adversary_v0", n_peers=3, advice="prob:0.5", api="parallel"
    )
    aec.reset(seed=7)
    par_obs, _ = par.reset(seed=7)
    rng = np.random.default_rng(0)
    for _ in range(60):
        actions = {agent: int(rng.integers(4)) for agent in par.agents}
        for agent in aec.agents:
            obs = aec.observe(agent)
            for key in obs:
                np.testing.assert_array_equal(obs[key], par_obs[agent][key])
        for agent in list(actions):
            assert aec.agent_selection == agent
            aec.step(actions[agent])
        par_obs, rewards, *_ = par.step(actions)
        assert aec.rewards == rewards


def test_state_stacks_every_peers_task_observation() -> None:
    env = peerzoo.make("peer_hopper_v0", n_peers=3, api="parallel")
    observations, _ = env.reset(seed=0)
    state = env.state()
    assert state.shape == (3, 11)
    assert env.state_space.contains(state)
    np.testing.assert_array_equal(state[2], observations["peer_1"]["observation"])


def test_phase_turns_do_not_allocate_big_arrays_for_absent_advice() -> None:
    env = room(n_peers=4, advice=None)
    observations, _ = env.reset(seed=0)
    a, b = observations["peer_0"]["advice"], observations["peer_1"]["advice"]
    assert a is b and not a.flags.writeable, "absent advice is one shared read-only array"
