"""Scripted peers: advisors that live inside the env, not agents.

They own no task copy and never act; whenever a subject requests advice each
adds one recommendation (its row of ``advice``, after the learners' rows). A
task may offer named ones (Room's ``expert`` and ``adversary``); ``random`` works
for every task, and any object with ``name`` and ``recommend`` can be passed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
from gymnasium import spaces

from peerzoo.errors import PeerConfigError


@runtime_checkable
class ScriptedPeer(Protocol):
    """A fixed advisor: maps the subject's observation to a recommended action."""

    name: str

    def recommend(self, observation: Any, rng: np.random.Generator) -> Any:
        """The action this peer recommends for a subject in ``observation``."""
        ...


class RandomPeer:
    """Recommends a uniformly random action: the noise floor any trust must learn to ignore."""

    name = "random"

    def __init__(self, action_space: spaces.Space) -> None:
        self.action_space = action_space

    def recommend(self, observation: Any, rng: np.random.Generator) -> Any:
        space = self.action_space
        if isinstance(space, spaces.Discrete):
            return int(space.start + rng.integers(space.n))
        return rng.uniform(space.low, space.high).astype(space.dtype)


ScriptedFactory = Callable[[spaces.Space], ScriptedPeer]


def resolve_scripted(
    entries: Sequence[str | ScriptedPeer],
    action_space: spaces.Space,
    catalogue: Mapping[str, ScriptedFactory],
) -> list[ScriptedPeer]:
    """Turn the ``scripted=`` kwarg into peer objects, with a clear error for unknown names."""
    if isinstance(entries, str):
        entries = [entries]
    available = {"random": RandomPeer, **catalogue}
    peers: list[ScriptedPeer] = []
    for entry in entries:
        if isinstance(entry, str):
            if entry not in available:
                raise PeerConfigError(
                    f"Unknown scripted peer {entry!r}; this task offers "
                    f"{', '.join(map(repr, sorted(available)))} "
                    "(or pass an object with `name` and `recommend(observation, rng)`)."
                )
            peers.append(available[entry](action_space))
        elif isinstance(entry, ScriptedPeer):
            peers.append(entry)
        else:
            raise PeerConfigError(
                f"scripted entries must be names or objects with `name` and "
                f"`recommend(observation, rng)`; got {entry!r}."
            )
    return peers
