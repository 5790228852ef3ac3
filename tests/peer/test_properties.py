"""Property tests (hypothesis) of the protocol's invariants over random configurations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peerzoo
from peerzoo import ACT, ADVISE
from peerzoo.peer import InvalidActionError
from tests.peer.helpers import countdown_factory

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

schedules = st.sampled_from(["always", "every:2", "prob:0.5", "budget:3", None])
steppings = st.sampled_from(["lockstep", "round_robin:3"])


@SETTINGS
@given(
    n=st.integers(1, 6),
    advice=schedules,
    stepping=steppings,
    lengths=st.lists(st.integers(1, 8), min_size=6, max_size=6),
    seed=st.integers(0, 2**16),
)
def test_every_active_peer_gets_exactly_one_act_turn_per_round(
    n, advice, stepping, lengths, seed
) -> None:
    env = peerzoo.wrap(
        countdown_factory(lengths[:n]), n_peers=n, advice=advice, stepping=stepping, api="parallel"
    )
    observations, _ = env.reset(seed=seed)
    rng = np.random.default_rng(seed)
    while env.agents:
        core = env.core
        active = [i for i in range(n) if core._active[i]]
        round_index = core.round
        act_turns = [0] * n
        while env.agents and core.round == round_index:
            for i, obs in enumerate(observations.values()):
                act_turns[i] += int(obs["role"]) == ACT
            actions = {a: rng.uniform(-1, 1, 1).astype(np.float32) for a in env.agents}
            observations, *_ = env.step(actions)
        assert act_turns == [int(i in active) for i in range(n)]


@SETTINGS
@given(
    n=st.integers(2, 6),
    asks=st.lists(st.lists(st.integers(0, 7), max_size=7), min_size=6, max_size=6),
    seed=st.integers(0, 2**16),
)
def test_advice_comes_only_from_the_peers_asked_and_arrives_unchanged(n, asks, seed) -> None:
    env = peerzoo.make(
        "peer_room_expert_adversary_v0", n_peers=n, advice="on_request", api="parallel"
    )
    observations, _ = env.reset(seed=seed)
    n_total = n + 2
    asked = {}
    for i in range(n):
        advisors = sorted({k % n_total for k in asks[i]} - {i})
        if advisors:
            observations, _ = env.request(f"peer_{i}", advisors=advisors)
            asked[i] = advisors
    rng = np.random.default_rng(seed)
    sent = {}  # (advisee, advisor) -> recommended action
    while int(observations["peer_0"]["role"]) != ACT:
        actions = {}
        for j, (agent, obs) in enumerate(observations.items()):
            actions[agent] = int(rng.integers(4))
            if int(obs["role"]) == ADVISE:
                sent[(int(obs["subject"]), j)] = actions[agent]
        observations, *_ = env.step(actions)
    for i, obs in enumerate(observations.values()):
        expected_rows = asked.get(i, [])
        assert np.flatnonzero(obs["advice_mask"]).tolist() == expected_rows
        for j in expected_rows:
            if j < n:
                assert obs["advice"][j] == sent[(i, j)], "a recommendation must arrive unchanged"
        assert all(obs["advice"][k] == 0 for k in range(n_total) if k not in expected_rows)
    assert {i for i, _ in sent} <= set(asked), "only requesting peers are advised"


@SETTINGS
@given(
    n=st.integers(1, 4),
    advice=schedules,
    bad_at=st.integers(0, 30),
    bad=st.sampled_from([np.nan, np.inf, 5.0, "x", None, [0.0, 0.0]]),
    seed=st.integers(0, 2**16),
)
def test_a_rejected_action_leaves_the_state_unchanged(n, advice, bad_at, bad, seed) -> None:
    """An env that rejected an action continues exactly like one that never saw it."""
    make = lambda: peerzoo.wrap(
        countdown_factory([9] * n), n_peers=n, advice=advice, api="parallel"
    )
    probed, clean = make(), make()
    outputs_probed, outputs_clean = probed.reset(seed=seed), clean.reset(seed=seed)
    rng = np.random.default_rng(seed)
    turn = 0
    while clean.agents:
        actions = {a: rng.uniform(-1, 1, 1).astype(np.float32) for a in clean.agents}
        if turn == bad_at:
            with pytest.raises(InvalidActionError):
                probed.step({**actions, probed.agents[-1]: bad})
        outputs_probed, outputs_clean = probed.step(actions), clean.step(actions)
        assert repr(outputs_probed) == repr(outputs_clean)
        turn += 1
    assert probed.agents == []


@SETTINGS
@given(
    n=st.integers(1, 4),
    budget=st.integers(0, 12),
    episodes=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_budgets_are_never_exceeded(n, budget, episodes, seed) -> None:
    env = peerzoo.wrap(
        countdown_factory([5] * n), n_peers=n, advice=f"budget:{budget}", api="parallel"
    )
    used = [0] * n
    rounds = 0
    for episode in range(episodes):
        observations, infos = env.reset(seed=seed + episode)
        while env.agents:
            if env.core.at_round_start:
                used = [u + info["requested"] for u, info in zip(used, infos.values())]
                rounds += 1
            actions = {a: np.zeros(1, np.float32) for a in env.agents}
            _observations, _, _, _, infos = env.step(actions)
    assert used == [min(budget, rounds)] * n
