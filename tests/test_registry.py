"""``peerzoo.make`` / ``envs`` / PettingZoo registration, and the errors users see first."""

from __future__ import annotations

import pettingzoo
import pytest

import peerzoo
from peerzoo.peer import PeerAECEnv, PeerParallelEnv
from peerzoo.peer.envs import PEER_ENV_IDS


def test_make_returns_the_aec_form_by_default_and_parallel_on_request() -> None:
    assert isinstance(peerzoo.make("peer_hopper_v0"), PeerAECEnv)
    assert isinstance(peerzoo.make("peer_hopper_v0", api="parallel"), PeerParallelEnv)


@pytest.mark.parametrize("env_id", PEER_ENV_IDS)
def test_every_id_is_registered_with_pettingzoo_in_both_forms(env_id: str) -> None:
    pz_id = "peerzoo/" + env_id.replace("_v0", "-v0")
    assert isinstance(pettingzoo.make("aec", pz_id), PeerAECEnv)
    assert isinstance(pettingzoo.make("parallel", pz_id, n_peers=2), PeerParallelEnv)


def test_envs_lists_every_id_with_a_one_line_doc() -> None:
    listing = peerzoo.envs()
    assert set(PEER_ENV_IDS) <= set(listing)
    for env_id, doc in listing.items():
        assert doc and "\n" not in doc, env_id


def test_default_peer_counts_follow_the_paper() -> None:
    assert peerzoo.make("peer_hopper_v0").num_agents == 0  # before reset
    assert len(peerzoo.make("peer_ant_v0").possible_agents) == 4
    assert len(peerzoo.make("peer_room_v0").possible_agents) == 2


def test_unknown_id_lists_close_matches() -> None:
    with pytest.raises(peerzoo.UnknownEnvError, match="Did you mean 'peer_hopper_v0'"):
        peerzoo.make("peer_hoper_v0")


def test_unknown_kwarg_names_the_valid_ones() -> None:
    with pytest.raises(peerzoo.UnknownKwargError) as error:
        peerzoo.make("peer_hopper_v0", n_peer=3)
    message = str(error.value)
    assert "'n_peer' (did you mean 'n_peers'?)" in message
    for valid in ("n_peers", "advice", "stepping", "terminate_when_unhealthy", "ctrl_cost_weight"):
        assert valid in message
    with pytest.raises(peerzoo.UnknownKwargError, match="size"):
        peerzoo.make("peer_room_v0", szie=27)


def test_unknown_api_is_refused() -> None:
    with pytest.raises(ValueError, match="'aec' or 'parallel'"):
        peerzoo.make("peer_room_v0", api="vector")


def test_paper_task_settings_are_defaults_and_kwargs() -> None:
    hopper = peerzoo.make("peer_hopper_v0").unwrapped.core.tasks[0].unwrapped
    assert hopper._terminate_when_unhealthy is False
    ant = peerzoo.make("peer_ant_v0").unwrapped.core.tasks[0]
    assert ant.observation_space.shape == (27,)
    strict = peerzoo.make("peer_hopper_v0", terminate_when_unhealthy=True)
    assert strict.unwrapped.core.tasks[0].unwrapped._terminate_when_unhealthy is True


def test_wrap_takes_a_gymnasium_id_or_a_callable() -> None:
    from peerzoo.tasks import RoomEnv

    env = peerzoo.wrap("Pendulum-v1", n_peers=3)
    assert env.possible_agents == ["peer_0", "peer_1", "peer_2"]
    env = peerzoo.wrap(RoomEnv, n_peers=2, api="parallel", size=9)
    env.reset(seed=0)
    assert env.unwrapped.core.tasks[0].size == 9
    with pytest.raises(peerzoo.UnknownKwargError, match="gravity"):
        peerzoo.wrap("Pendulum-v1", gravity=9.81)
    with pytest.raises(ValueError, match="Pendulum-v9"):
        peerzoo.wrap("Pendulum-v9")


@pytest.fixture
def registered_vision_id():
    """A throwaway id with ``_v`` inside its name, removed from both registries afterwards."""
    from peerzoo import registry

    env_id = "peer_vision_room_v3"
    yield env_id
    registry._REGISTRY.pop(env_id, None)
    for pz_registry in (pettingzoo.aec_registry, pettingzoo.parallel_registry):
        pz_registry.pop("peerzoo/peer_vision_room-v3", None)


def test_only_a_trailing_version_suffix_is_rewritten_for_pettingzoo(registered_vision_id) -> None:
    import warnings

    from peerzoo.registry import register

    entry = "peerzoo.peer.envs.peer_room_v0"
    spec = register(
        registered_vision_id,
        aec_entry_point=f"{entry}:env",
        parallel_entry_point=f"{entry}:parallel_env",
    )
    assert spec.pettingzoo_id == "peerzoo/peer_vision_room-v3"
    assert "peerzoo/peer_vision_room-v3" in pettingzoo.aec_registry
    assert "peerzoo/peer_vision_room-v3" in pettingzoo.parallel_registry
    assert isinstance(pettingzoo.make("aec", "peerzoo/peer_vision_room-v3"), PeerAECEnv)
    with warnings.catch_warnings():  # registering again (a module reload) overrides nothing
        warnings.simplefilter("error")
        register(
            registered_vision_id,
            aec_entry_point=f"{entry}:env",
            parallel_entry_point=f"{entry}:parallel_env",
        )
