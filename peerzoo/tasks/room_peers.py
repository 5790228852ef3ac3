"""Room's scripted advisors: an expert that heads for the goal, an adversary that misleads.

Both follow the original's ``RoomExpert`` / ``RoomAdversarial``: away from the
target the expert picks, uniformly at random, one of the axes on which the
agent still differs from it and steps along it; on the target it pushes into
the wall the target lies on (the first such axis), which keeps it there. The
adversary is the expert heading for the *mirrored* goal ``1 − round(goal)`` (in
normalised coordinates, numpy's round-half-to-even): a corner on the far side
of the room, so following it is consistently, not randomly, wrong.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces


def move_towards(position: np.ndarray, target: np.ndarray, rng: np.random.Generator) -> int:
    """The original expert's move from ``position`` to ``target`` (normalised coordinates)."""
    if np.array_equal(position, target):
        axis = int(np.argmax(np.abs(target - 0.5)))
        return 2 * axis + 1 - int(target[axis])
    moves = [2 * axis + int(position[axis] > target[axis]) for axis in range(len(position))]
    moves = [m for axis, m in enumerate(moves) if position[axis] != target[axis]]
    return int(moves[rng.integers(len(moves))]) if len(moves) > 1 else moves[0]


class RoomExpert:
    """Recommends a move towards the goal."""

    name = "expert"

    def __init__(self, action_space: spaces.Space | None = None) -> None:
        self.action_space = action_space

    def recommend(self, observation: Any, rng: np.random.Generator) -> int:
        obs = np.asarray(observation, dtype=np.float64)
        half = len(obs) // 2
        return move_towards(obs[:half], obs[half:], rng)


class RoomAdversary:
    """Recommends a move towards the mirrored goal ``1 − round(goal)``."""

    name = "adversary"

    def __init__(self, action_space: spaces.Space | None = None) -> None:
        self.action_space = action_space

    def recommend(self, observation: Any, rng: np.random.Generator) -> int:
        obs = np.asarray(observation, dtype=np.float64)
        half = len(obs) // 2
        return move_towards(obs[:half], 1.0 - np.round(obs[half:]), rng)


ROOM_SCRIPTED_PEERS = {"expert": RoomExpert, "adversary": RoomAdversary}
