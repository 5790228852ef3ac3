"""The env id registry: id -> how to build the AEC and parallel forms.

Modelled on Gymnasium's registration: a small frozen spec per id, built lazily
from ``"module:attr"`` entry points so ``import peerzoo`` stays cheap.  Every
id is mirrored into PettingZoo's own registry under the ``peerzoo`` namespace
so ``pettingzoo.make("aec", "peerzoo/peer_hopper-v0")`` works too.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal

import pettingzoo

API = Literal["aec", "parallel"]
NAMESPACE = "peerzoo"
# PettingZoo ids end in Gymnasium's "-vN"; only that trailing version suffix is rewritten.
_TRAILING_VERSION = re.compile(r"_v(?=\d+$)")


class UnknownEnvError(KeyError):
    """An env id that is not registered; the message lists close matches."""

    def __str__(self) -> str:  # KeyError would print the message quoted
        return str(self.args[0])


class UnknownKwargError(TypeError):
    """A keyword argument the env does not take; the message lists valid ones."""


@dataclass(frozen=True)
class EnvSpec:
    """How to build one registered env.

    ``aec_entry_point`` / ``parallel_entry_point`` are ``"module:attr"`` strings
    naming callables that take the env's keyword arguments; ``kwargs`` are the
    defaults a caller may override; ``max_cycles`` is forwarded to PettingZoo's
    registry for envs that take it.
    """

    id: str
    aec_entry_point: str
    parallel_entry_point: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    max_cycles: int | None = None

    @property
    def pettingzoo_id(self) -> str:
        """The id under which PettingZoo's registry knows this env.

        ``peer_room_v0`` becomes ``peerzoo/peer_room-v0``: only a trailing
        ``_vN`` turns into ``-vN``, so ``_v`` inside a name (``peer_vision_v1``)
        is kept.
        """
        return f"{NAMESPACE}/{_TRAILING_VERSION.sub('-v', self.id)}"

    def entry_point(self, api: API) -> Callable[..., Any]:
        """The creator callable for ``api``."""
        target = self.aec_entry_point if api == "aec" else self.parallel_entry_point
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)

    @property
    def module(self) -> ModuleType:
        """The env's module: its docstring is the env's documentation (``help()``, the docs)."""
        return importlib.import_module(self.aec_entry_point.split(":")[0])

    @property
    def doc(self) -> str:
        """First line of the env module's docstring (the docs live there, once)."""
        text = inspect.getdoc(self.module) or ""
        return text.strip().splitlines()[0] if text.strip() else ""


_REGISTRY: dict[str, EnvSpec] = {}


def register(
    id: str,
    *,
    aec_entry_point: str,
    parallel_entry_point: str,
    kwargs: dict[str, Any] | None = None,
    max_cycles: int | None = None,
) -> EnvSpec:
    """Register ``id`` with peerzoo and, in both forms, with PettingZoo."""
    spec = EnvSpec(
        id=id,
        aec_entry_point=aec_entry_point,
        parallel_entry_point=parallel_entry_point,
        kwargs=dict(kwargs or {}),
        max_cycles=max_cycles,
    )
    _REGISTRY[id] = spec
    pz_id = spec.pettingzoo_id
    # PettingZoo's registry warns on override; re-registration on reload is benign.
    if pz_id not in pettingzoo.aec_registry:
        pettingzoo.register("aec", pz_id, entry_point=aec_entry_point, max_cycles=max_cycles)
        pettingzoo.register(
            "parallel", pz_id, entry_point=parallel_entry_point, max_cycles=max_cycles
        )
    return spec


def spec(id: str) -> EnvSpec:
    """The spec of ``id``; an unknown id raises with the closest registered ids."""
    try:
        return _REGISTRY[id]
    except KeyError:
        close = difflib.get_close_matches(id, list(_REGISTRY), n=3, cutoff=0.4)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise UnknownEnvError(
            f"Unknown env id {id!r}.{hint} Registered ids: {', '.join(sorted(_REGISTRY))}."
        ) from None


def check_kwargs(where: str, given: dict[str, Any], valid: set[str] | list[str]) -> None:
    """Raise :class:`UnknownKwargError` naming every unknown key and the valid ones."""
    unknown = sorted(set(given) - set(valid))
    if unknown:
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(key, list(valid), n=1)
            hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise UnknownKwargError(
            f"{where} got unknown keyword argument(s) {', '.join(hints)}. "
            f"Valid keyword arguments: {', '.join(sorted(valid))}."
        )


def _accepted_kwargs(creator: Callable[..., Any]) -> set[str] | None:
    """Named parameters of ``creator``; None when it takes ``**kwargs`` (it checks itself)."""
    params = inspect.signature(creator).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return {
        p.name
        for p in params
        if p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    }


def make(id: str, api: API = "aec", **kwargs: Any) -> Any:
    """Build a registered env in its AEC (default) or parallel form."""
    if api not in ("aec", "parallel"):
        raise ValueError(f"api must be 'aec' or 'parallel', got {api!r}.")
    env_spec = spec(id)
    creator = env_spec.entry_point(api)
    accepted = _accepted_kwargs(creator)
    if accepted is not None:
        check_kwargs(f"peerzoo.make({id!r})", kwargs, accepted)
    return creator(**{**env_spec.kwargs, **kwargs})


def envs() -> dict[str, str]:
    """Registered ids mapped to their one-line docs, sorted by id."""
    return {env_id: _REGISTRY[env_id].doc for env_id in sorted(_REGISTRY)}


def registered_ids() -> list[str]:
    """The registered ids, sorted (cheap: imports nothing)."""
    return sorted(_REGISTRY)
