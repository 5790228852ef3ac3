"""PettingZoo's own conformance tests on every registered peer env and on ``peerzoo.wrap``.

``max_cycles_test`` does not apply (a round has a variable number of phases);
truncation by each task's own time limit is tested in test_episodes.py.
``render_test`` runs with ``rgb_array`` only: its first call asks for
``render_mode="human"`` just to read ``metadata``, and MuJoCo's human window
aborts the process without a display, so that call is mapped to ``rgb_array``.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from pettingzoo.test import (
    api_test,
    parallel_api_test,
    parallel_seed_test,
    render_test,
    seed_test,
)

import peerzoo
from peerzoo.peer.envs import PEER_ENV_IDS

N_PEERS = [1, 2, 4, 8]
# Gymnasium tasks peerzoo does not define: continuous and discrete.
THIRD_PARTY_TASKS = ["Pendulum-v1", "MountainCarContinuous-v0", "CartPole-v1", "Acrobot-v1"]
MUJOCO = {"peer_hopper_v0", "peer_walker2d_v0", "peer_halfcheetah_v0", "peer_ant_v0"}


def cycles(env_id: str, n_peers: int) -> int:
    """Enough cycles to cross episode ends on the gridworld; MuJoCo steps cost more."""
    return 120 if env_id in MUJOCO else 300


def builders(source: str, n_peers: int):
    """(aec_fn, parallel_fn) taking render_mode, for a registered id or a wrapped task."""
    if source in PEER_ENV_IDS:
        aec = functools.partial(peerzoo.make, source, n_peers=n_peers)
        par = functools.partial(peerzoo.make, source, api="parallel", n_peers=n_peers)
    else:
        aec = functools.partial(peerzoo.wrap, source, n_peers=n_peers)
        par = functools.partial(peerzoo.wrap, source, n_peers=n_peers, api="parallel")
    return aec, par


SOURCES = [*PEER_ENV_IDS, *THIRD_PARTY_TASKS]


@pytest.mark.parametrize("n_peers", N_PEERS)
@pytest.mark.parametrize("source", SOURCES)
def test_aec_form_passes_api_test(source: str, n_peers: int) -> None:
    aec, _ = builders(source, n_peers)
    api_test(aec(), num_cycles=cycles(source, n_peers))


@pytest.mark.parametrize("n_peers", N_PEERS)
@pytest.mark.parametrize("source", SOURCES)
def test_parallel_form_passes_parallel_api_test(source: str, n_peers: int) -> None:
    _, par = builders(source, n_peers)
    parallel_api_test(par(), num_cycles=cycles(source, n_peers))


@pytest.mark.parametrize("n_peers", N_PEERS)
@pytest.mark.parametrize("source", SOURCES)
def test_both_forms_pass_seed_tests(source: str, n_peers: int) -> None:
    aec, par = builders(source, n_peers)
    seed_test(aec, num_cycles=cycles(source, n_peers) // 4)
    parallel_seed_test(par, num_cycles=cycles(source, n_peers) // 4)


@pytest.mark.parametrize("n_peers", N_PEERS)
@pytest.mark.parametrize("source", SOURCES)
def test_rgb_array_render_passes_render_test_and_tiles_every_peer(
    source: str, n_peers: int
) -> None:
    aec, _ = builders(source, n_peers)

    def env_fn(render_mode=None):
        return aec(render_mode="rgb_array")

    render_test(env_fn)
    env = env_fn()
    env.reset(seed=0)
    frame = env.render()
    single = env.unwrapped.core.tasks[0].render()
    cols = int(np.ceil(np.sqrt(n_peers)))
    rows = int(np.ceil(n_peers / cols))
    assert frame.shape == (
        rows * single.shape[0] + (rows - 1) * 2,
        cols * single.shape[1] + (cols - 1) * 2,
        3,
    )
    assert frame.std() > 0, "a rendered frame must not be blank"
    np.testing.assert_array_equal(frame[: single.shape[0], : single.shape[1]], single)
    env.close()


def test_metadata_declares_parallelizable_and_rgb_array_only() -> None:
    env = peerzoo.make("peer_hopper_v0")
    assert env.metadata["is_parallelizable"] is True
    assert env.metadata["render_modes"] == ["rgb_array"]
    assert env.metadata["name"] == "peer_hopper_v0"
