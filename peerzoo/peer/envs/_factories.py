"""Builders shared by the registered peer env modules: one way to make each kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peerzoo.peer.aec import PeerAECEnv
from peerzoo.peer.parallel import PeerParallelEnv
from peerzoo.peer.wrap import wrap
from peerzoo.tasks.mujoco import PAPER_N_PEERS, PAPER_TASK_KWARGS
from peerzoo.tasks.room import RoomEnv
from peerzoo.tasks.room_peers import ROOM_SCRIPTED_PEERS

EnvFn = Callable[..., Any]

# Number of peers in the paper's Room experiments.
ROOM_N_PEERS = 2


def mujoco_env_fns(task_id: str, name: str) -> tuple[EnvFn, EnvFn]:
    """``env(**kw)`` / ``parallel_env(**kw)`` for a MuJoCo task with the paper's settings."""

    def build(api: str, kwargs: dict[str, Any]) -> PeerAECEnv | PeerParallelEnv:
        kwargs = {"n_peers": PAPER_N_PEERS, **PAPER_TASK_KWARGS[task_id], **kwargs}
        return wrap(task_id, api=api, name=name, **kwargs)

    return _env_pair(build)


def room_env_fns(name: str, scripted: tuple[str, ...] = ()) -> tuple[EnvFn, EnvFn]:
    """``env(**kw)`` / ``parallel_env(**kw)`` for Room, optionally with scripted advisors."""

    def build(api: str, kwargs: dict[str, Any]) -> PeerAECEnv | PeerParallelEnv:
        kwargs = {"n_peers": ROOM_N_PEERS, "scripted": scripted, **kwargs}
        return wrap(RoomEnv, api=api, name=name, scripted_catalogue=ROOM_SCRIPTED_PEERS, **kwargs)

    return _env_pair(build)


def _env_pair(build: Callable[[str, dict[str, Any]], Any]) -> tuple[EnvFn, EnvFn]:
    def env(**kwargs: Any) -> PeerAECEnv:
        """The AEC form (PettingZoo's default)."""
        return build("aec", kwargs)

    def parallel_env(**kwargs: Any) -> PeerParallelEnv:
        """The parallel form: one ``step`` per phase."""
        return build("parallel", kwargs)

    return env, parallel_env
