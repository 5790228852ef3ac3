"""Bad input gets a clear error naming the agent, the turn and the space, and changes nothing."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import peerzoo
from peerzoo.peer import InvalidActionError, PeerConfigError, TurnOrderError
from tests.peer.helpers import room, zero_actions

BAD_BOX_ACTIONS = {
    "nan": np.array([np.nan, 0, 0], np.float32),
    "inf": np.array([0, np.inf, 0]),
    "out of bounds": np.array([0, 0, 1.5]),
    "wrong shape": np.zeros(4, np.float32),
    "scalar": 0.0,
    "string": "left",
    "none": None,
    "object": object(),
    "bool array": np.array([True, False, True]),
}
BAD_DISCRETE_ACTIONS = {
    "nan": float("nan"),
    "inf": np.inf,
    "out of bounds": 4,
    "negative": -1,
    "fraction": 1.5,
    "wrong shape": np.array([1, 2]),
    "string": "up",
    "none": None,
    "bool": True,
}


def snapshot(env) -> dict:
    core = env.unwrapped.core
    return {
        "state": core.state().copy(),
        "round": core.round,
        "phase": core._phase_pos,
        "roles": list(core.roles),
        "advice": core._advice.copy(),
        "mask": core._mask.copy(),
        "infos": copy.deepcopy([core.info(i) for i in range(core.n)]),
        "rng": copy.deepcopy(core.rng.bit_generator.state),
    }


def assert_same(a: dict, b: dict) -> None:
    for key in a:
        if isinstance(a[key], np.ndarray):
            np.testing.assert_array_equal(a[key], b[key])
        else:
            assert a[key] == b[key], key


@pytest.mark.parametrize("api", ["aec", "parallel"])
@pytest.mark.parametrize("kind", list(BAD_BOX_ACTIONS))
def test_bad_continuous_action_is_rejected_by_name_and_changes_nothing(kind: str, api: str) -> None:
    env = peerzoo.make("peer_hopper_v0", n_peers=3, api=api)
    env.reset(seed=0)
    good = np.zeros(3, np.float32)
    if api == "aec":
        env.step(good)  # peer_0 has acted; peer_1's turn is the bad one
        before = snapshot(env)
        with pytest.raises(InvalidActionError) as error:
            env.step(BAD_BOX_ACTIONS[kind])
        assert env.agent_selection == "peer_1"
    else:
        before = snapshot(env)
        actions = {"peer_0": good, "peer_1": BAD_BOX_ACTIONS[kind], "peer_2": good}
        with pytest.raises(InvalidActionError) as error:
            env.step(actions)
    message = str(error.value)
    assert "peer_1" in message and "ADVISE turn for peer_2" in message
    assert "advice phase 1 of 2, round 0" in message
    assert "Box(-1.0, 1.0, (3,), float32)" in message
    assert_same(before, snapshot(env))


@pytest.mark.parametrize("kind", list(BAD_DISCRETE_ACTIONS))
def test_bad_discrete_action_is_rejected_by_name_and_changes_nothing(kind: str) -> None:
    env = room(n_peers=2, advice=None)
    env.reset(seed=0)
    before = snapshot(env)
    with pytest.raises(InvalidActionError, match=r"peer_0 \(ACT turn, act phase, round 0\)") as e:
        env.step({"peer_0": BAD_DISCRETE_ACTIONS[kind], "peer_1": 0})
    assert "Discrete(4)" in str(e.value)
    assert_same(before, snapshot(env))


@pytest.mark.parametrize(
    "action", [np.float64(2.0), np.int8(3), np.array(1, np.uint16), 2.0, np.array([3])]
)
def test_discrete_actions_of_any_real_dtype_are_cast(action) -> None:
    env = room(n_peers=1, advice=None)
    env.reset(seed=0)
    env.step({"peer_0": action})
    assert env.core.round == 1


def test_continuous_actions_of_any_real_dtype_are_cast_to_float32() -> None:
    env = peerzoo.make("peer_hopper_v0", n_peers=2, advice="always", api="parallel")
    env.reset(seed=0)
    observations, *_ = env.step(
        {"peer_0": np.array([0.5, 0, 0], np.float64), "peer_1": np.array([1, 0, -1], np.int64)}
    )
    assert observations["peer_0"]["advice"].dtype == np.float32
    np.testing.assert_array_equal(observations["peer_0"]["advice"][1], [1, 0, -1])
    np.testing.assert_array_equal(observations["peer_1"]["advice"][0], [0.5, 0, 0])


def test_actions_reused_from_one_buffer_are_copied_in_aec() -> None:
    env = peerzoo.make("peer_hopper_v0", n_peers=2, advice=None)
    env.reset(seed=0)
    buffer = np.full(3, 0.5, np.float32)
    env.step(buffer)
    buffer[:] = -0.5  # the caller reuses its buffer for the next agent
    env.step(buffer)
    assert env.infos["peer_0"]["followed"] == -1
    assert env.unwrapped.core.tasks[0].unwrapped.data.ctrl.tolist() == [0.5, 0.5, 0.5]


def test_parallel_step_names_missing_and_unknown_agents() -> None:
    env = room(n_peers=2)
    env.reset(seed=0)
    before = snapshot(env)
    with pytest.raises(TurnOrderError, match=r"no action for \['peer_1'\]"):
        env.step({"peer_0": 0})
    with pytest.raises(TurnOrderError, match=r"unknown agents \['peer_9'\]"):
        env.step({"peer_0": 0, "peer_1": 0, "peer_9": 0})
    assert_same(before, snapshot(env))


@pytest.mark.parametrize("api", ["aec", "parallel"])
def test_acting_before_reset_or_after_the_end_is_refused(api: str) -> None:
    env = room(n_peers=1, advice=None, max_rounds=2) if api == "parallel" else None
    if env is None:
        env = peerzoo.make("peer_room_v0", n_peers=1, advice=None, max_rounds=2)
    action = {"peer_0": 0} if api == "parallel" else 0
    with pytest.raises(TurnOrderError, match="reset"):
        env.step(action)
    env.reset(seed=0)
    env.step(action)
    env.step(action)
    if api == "aec":
        with pytest.raises(TurnOrderError, match="peer_0 is done"):
            env.step(0)
        env.step(None)
    with pytest.raises(TurnOrderError, match="call reset"):
        env.step(action)


def test_request_mid_round_or_with_another_schedule_is_refused() -> None:
    env = peerzoo.make("peer_room_v0", n_peers=3, advice="on_request")
    env.reset(seed=0)
    env.request("peer_0")
    env.step(0)  # peer_0's turn in the first advice phase
    before = snapshot(env)
    with pytest.raises(TurnOrderError, match="before a round starts"):
        env.request("peer_1")
    assert_same(before, snapshot(env))
    par = room(n_peers=2, advice="on_request")
    par.reset(seed=0)
    with pytest.raises(PeerConfigError, match="cannot ask itself"):
        par.request("peer_0", advisors=["peer_0"])
    with pytest.raises(PeerConfigError, match="unknown advisor"):
        par.request("peer_0", advisors=["expert"])
    with pytest.raises(PeerConfigError, match="needs advice='on_request'"):
        room(n_peers=2).request("peer_0")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_peers": 0}, "n_peers must be in"),
        ({"n_peers": 65}, "n_peers must be in"),
        ({"n_peers": 2.5}, "n_peers must be an integer"),
        ({"n_peers": True}, "n_peers must be an integer"),
        ({"advice": "sometimes"}, "advice must be"),
        ({"advice": "every:0"}, "every needs a positive integer"),
        ({"advice": "every:x"}, "every needs a positive integer"),
        ({"advice": "prob:1.5"}, "prob needs a probability"),
        ({"advice": "budget:-1"}, "budget needs a non-negative integer"),
        ({"stepping": "round_robin:0"}, "round_robin needs a positive integer"),
        ({"stepping": "async"}, "stepping must be"),
        ({"scripted": ["oracle"]}, "Unknown scripted peer 'oracle'"),
        ({"render_mode": "human"}, "render_mode must be None or 'rgb_array'"),
        ({"max_rounds": 0}, "max_rounds must be"),
    ],
)
def test_invalid_configuration_is_refused_with_the_allowed_forms(kwargs: dict, match: str) -> None:
    with pytest.raises(PeerConfigError, match=match):
        peerzoo.make("peer_room_v0", **kwargs)


def test_zero_actions_helper_is_in_space() -> None:
    env = peerzoo.make("peer_hopper_v0", api="parallel", n_peers=2)
    env.reset(seed=0)
    assert all(env.action_space(a).contains(v) for a, v in zero_actions(env).items())
