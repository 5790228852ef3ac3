"""``peerzoo.wrap``: the peer protocol over any single-agent Gymnasium task.

Every registered peer env is built through here too, so a third-party task
gets exactly the protocol, validation and errors the registered ones get.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import gymnasium

from peerzoo.errors import PeerConfigError
from peerzoo.peer.aec import PeerAECEnv
from peerzoo.peer.core import PeerCore, check_n_peers
from peerzoo.peer.parallel import PeerParallelEnv
from peerzoo.peer.scripted import ScriptedFactory, ScriptedPeer
from peerzoo.registry import check_kwargs

PROTOCOL_KWARGS = (
    "n_peers",
    "advice",
    "stepping",
    "autoreset",
    "scripted",
    "advisor_reward_share",
    "max_rounds",
    "render_mode",
)
_GYM_MAKE_KWARGS = ("max_episode_steps",)


def task_parameters(task: str | Callable[..., gymnasium.Env]) -> set[str] | None:
    """Keyword arguments the task accepts, or None when they cannot be known.

    Follows ``**kwargs`` up the class hierarchy (MuJoCo v5 envs forward theirs to
    ``MujocoEnv``), so a typo in a task kwarg is caught before anything is built.
    """
    if isinstance(task, str):
        entry = gymnasium.spec(task).entry_point
        if isinstance(entry, str):
            module_name, attr = entry.split(":")
            entry = getattr(__import__(module_name, fromlist=[attr]), attr)
        names = task_parameters(entry)
        return None if names is None else names | set(_GYM_MAKE_KWARGS)
    targets = [c.__init__ for c in inspect.getmro(task)] if inspect.isclass(task) else [task]
    names: set[str] = set()
    for target in targets:
        try:
            params = inspect.signature(target).parameters.values()
        except (TypeError, ValueError):
            return None
        names |= {
            p.name
            for p in params
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self"
        }
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            return names - {"render_mode"}
        if not inspect.isclass(task):
            return None
    return None


def task_factory(
    task: str | Callable[..., gymnasium.Env], task_kwargs: Mapping[str, Any]
) -> Callable[..., gymnasium.Env]:
    """A ``render_mode -> Env`` callable for a Gymnasium id or an env callable."""
    if isinstance(task, str):
        try:
            gymnasium.spec(task)
        except gymnasium.error.Error as error:
            raise PeerConfigError(f"peerzoo.wrap({task!r}): {error}") from None

        def make_task(render_mode: str | None = None) -> gymnasium.Env:
            return gymnasium.make(task, render_mode=render_mode, **task_kwargs)

        return make_task
    if not callable(task):
        raise PeerConfigError(
            f"peerzoo.wrap: task must be a Gymnasium id or a callable taking render_mode; "
            f"got {task!r}."
        )

    def call_task(render_mode: str | None = None) -> gymnasium.Env:
        return task(render_mode=render_mode, **task_kwargs)

    return call_task


def wrap(
    task: str | Callable[..., gymnasium.Env],
    n_peers: int = 2,
    *,
    api: Literal["aec", "parallel"] = "aec",
    advice: str | None = "always",
    stepping: str = "lockstep",
    autoreset: bool = False,
    scripted: Sequence[str | ScriptedPeer] = (),
    advisor_reward_share: float = 0.0,
    max_rounds: int | None = None,
    render_mode: str | None = None,
    name: str | None = None,
    scripted_catalogue: Mapping[str, ScriptedFactory] | None = None,
    **task_kwargs: Any,
) -> PeerAECEnv | PeerParallelEnv:
    """Give ``n_peers`` peers one copy each of ``task`` and connect them by the protocol.

    ``advice``, ``stepping``, ``autoreset``, ``scripted``, ``advisor_reward_share`` and
    ``max_rounds`` are the protocol's options (docs/protocol.md; see
    :class:`~peerzoo.peer.core.PeerCore`).

    Args:
        task: a Gymnasium id (``"Pendulum-v1"``) or a callable taking ``render_mode``.
        n_peers: number of learning peers.
        api: ``"aec"`` (default) or ``"parallel"``.
        render_mode: ``None`` or ``"rgb_array"`` (the peers' frames, tiled).
        name: the env's ``metadata["name"]``.
        scripted_catalogue: named scripted peers the task offers.
        **task_kwargs: passed to every task copy (checked against the task's signature).
    """
    if api not in ("aec", "parallel"):
        raise PeerConfigError(f"api must be 'aec' or 'parallel'; got {api!r}.")
    check_n_peers(n_peers)
    if render_mode not in (None, "rgb_array"):
        raise PeerConfigError(
            f"render_mode must be None or 'rgb_array' for peer envs; got {render_mode!r} "
            "(MuJoCo's 'human' window needs a display; render rgb_array frames instead)."
        )
    accepted = task_parameters(task) if not isinstance(task, str) or _known_id(task) else None
    if accepted is not None:
        check_kwargs(
            name or f"peerzoo.wrap({task!r})",
            task_kwargs,
            set(accepted) | set(PROTOCOL_KWARGS) | {"api"},
        )
    core = PeerCore(
        task_factory(task, task_kwargs),
        n_peers,
        advice=advice,
        stepping=stepping,
        autoreset=autoreset,
        scripted=scripted,
        scripted_catalogue=scripted_catalogue,
        advisor_reward_share=advisor_reward_share,
        max_rounds=max_rounds,
        render_mode=render_mode,
    )
    view = PeerAECEnv if api == "aec" else PeerParallelEnv
    return view(core, name=name)


def _known_id(task: str) -> bool:
    try:
        gymnasium.spec(task)
    except gymnasium.error.Error:
        return False
    return True
