"""Advice schedules, stepping modes and scripted peers (docs/protocol.md, "Schedules")."""

from __future__ import annotations

import numpy as np
import pytest

import peerzoo
from peerzoo import ACT, ADVISE, IDLE
from peerzoo.peer.schedules import AdviceSchedule, Stepping
from tests.peer.helpers import act_agents, roles, room, run_round


def request_pattern(env, rounds: int) -> list[tuple[bool, ...]]:
    _observations, infos = env.reset(seed=0)
    pattern = []
    for _ in range(rounds):
        pattern.append(tuple(info["requested"] for info in infos.values()))
        outputs = run_round(env)
        infos = outputs[-1][4]
    return pattern


def test_always_requests_every_round() -> None:
    assert request_pattern(room(n_peers=2), 5) == [(True, True)] * 5


def test_every_k_requests_on_every_kth_step() -> None:
    pattern = request_pattern(room(n_peers=2, advice="every:3"), 7)
    assert [p[0] for p in pattern] == [True, False, False, True, False, False, True]


@pytest.mark.parametrize("p, expected", [(0.0, 0.0), (1.0, 1.0), (0.3, 0.3)])
def test_prob_p_requests_with_probability_p(p: float, expected: float) -> None:
    pattern = request_pattern(room(n_peers=2, advice=f"prob:{p}", autoreset=True), 400)
    rate = np.mean([flag for row in pattern for flag in row])
    assert rate == pytest.approx(expected, abs=0.06)


def test_budget_is_spent_over_the_envs_lifetime_and_refilled_on_request() -> None:
    env = room(n_peers=2, advice="budget:3")
    assert sum(p[0] for p in request_pattern(env, 5)) == 3
    assert sum(p[0] for p in request_pattern(env, 5)) == 0, "a plain reset keeps the budget"
    env.reset(seed=0, options={"reset_budget": True})
    assert env.core._budget_left == [2, 2]


def test_no_advice_means_no_advice_phases_and_empty_masks() -> None:
    env = room(n_peers=3, advice=None)
    observations, infos = env.reset(seed=0)
    assert act_agents(observations) == env.agents
    assert all(obs["advice_mask"].sum() == 0 for obs in observations.values())
    assert not any(info["requested"] for info in infos.values())


def test_on_request_asks_only_the_chosen_advisors() -> None:
    env = room(n_peers=3, advice="on_request")
    observations, _ = env.reset(seed=0)
    assert act_agents(observations) == env.agents, "nobody asked: the act phase alone"
    observations, infos = env.request("peer_0", advisors=["peer_2"])
    assert infos["peer_0"]["requested"] and not infos["peer_1"]["requested"]
    # peer_2 advises peer_0 in phase p=1 (subject (2+1)%3 = 0); nobody else has a turn to take.
    assert roles(observations) == {"peer_0": IDLE, "peer_1": IDLE, "peer_2": ADVISE}
    observations, *_ = env.step({"peer_0": 0, "peer_1": 0, "peer_2": 3})
    assert act_agents(observations) == env.agents
    assert observations["peer_0"]["advice_mask"].tolist() == [0, 0, 1]
    assert observations["peer_0"]["advice"].tolist() == [0, 0, 3]
    assert observations["peer_1"]["advice_mask"].sum() == 0


def test_on_request_in_aec_replans_the_round_seen_by_last() -> None:
    env = peerzoo.make("peer_room_expert_adversary_v0", n_peers=2, advice="on_request")
    env.reset(seed=0)
    assert int(env.last()[0]["role"]) == ACT
    env.request("peer_1", advisors=["expert"])
    observation, *_ = env.last()
    assert int(observation["role"]) == ACT, "only a scripted peer asked: no advice phase"
    env.step(0)
    observation = env.observe("peer_1")
    assert observation["advice_mask"].tolist() == [0, 0, 1, 0]


def test_round_robin_steps_one_peer_at_a_time_for_epochs_of_e_steps() -> None:
    env = room(n_peers=3, stepping="round_robin:2", autoreset=True, advice=None)
    observations, _ = env.reset(seed=0)
    actors = []
    for _ in range(7):
        actors.append(act_agents(observations))
        observations, *_ = env.step(dict.fromkeys(env.agents, 0))
    assert actors == [["peer_0"]] * 2 + [["peer_1"]] * 2 + [["peer_2"]] * 2 + [["peer_0"]]


def test_round_robin_only_the_active_peer_requests_the_others_advise() -> None:
    env = room(n_peers=3, stepping="round_robin:5")
    observations, infos = env.reset(seed=0)
    assert [info["requested"] for info in infos.values()] == [True, False, False]
    advisers = set()
    while int(observations["peer_0"]["role"]) != ACT:
        advisers |= {a for a, r in roles(observations).items() if r == ADVISE}
        observations, *_ = env.step(dict.fromkeys(env.agents, 0))
    assert advisers == {"peer_1", "peer_2"}
    assert roles(observations) == {"peer_0": ACT, "peer_1": IDLE, "peer_2": IDLE}


RNGS = [np.random.default_rng(seed) for seed in range(16)]


def test_scripted_peers_add_rows_after_the_learners() -> None:
    env = peerzoo.make("peer_room_expert_adversary_v0", n_peers=2, api="parallel")
    env.reset(seed=3)
    observations, *_ = env.step({"peer_0": 0, "peer_1": 0})
    for _agent, obs in observations.items():
        assert obs["advice_mask"].tolist()[2:] == [1, 1]
        state = obs["observation"]
        # the scripted peers break ties at random: compare with every move they may make
        expert = {peerzoo.tasks.RoomExpert().recommend(state, rng) for rng in RNGS}
        adversary = {peerzoo.tasks.RoomAdversary().recommend(state, rng) for rng in RNGS}
        assert obs["advice"].tolist()[2] in expert and obs["advice"].tolist()[3] in adversary


def test_random_scripted_peer_works_with_any_task() -> None:
    env = peerzoo.wrap("Pendulum-v1", n_peers=2, scripted=["random"], api="parallel")
    env.reset(seed=0)
    observations, *_ = env.step({a: np.zeros(1, np.float32) for a in env.agents})
    row = observations["peer_0"]["advice"][2]
    assert observations["peer_0"]["advice_mask"].tolist() == [0, 1, 1]
    assert -2.0 <= row[0] <= 2.0 and row[0] != 0.0


def test_schedule_and_stepping_strings_parse() -> None:
    assert AdviceSchedule.parse("every:4") == AdviceSchedule("every", 4)
    assert AdviceSchedule.parse("prob:0.25") == AdviceSchedule("prob", 0.25)
    assert AdviceSchedule.parse("budget:0") == AdviceSchedule("budget", 0)
    assert AdviceSchedule.parse(None) == AdviceSchedule("never")
    assert Stepping.parse("round_robin:10000").epoch == 10000
    assert Stepping.parse("lockstep").is_lockstep
