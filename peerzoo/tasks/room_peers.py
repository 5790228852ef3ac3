"""Room's scripted advisors: an expert that heads for the goal, an adversary that misleads.

As in the peer-learning paper's code the adversary heads for the *mirrored*
goal ``1 − round(goal)`` (in normalised coordinates): a corner on the far side
of the room, so following it is consistently, not randomly, wrong.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces

from peerzoo.tasks.room import DOWN, LEFT, RIGHT, UP

_EPS = 1e-6


def move_towards(position: np.ndarray, target: np.ndarray) -> int:
    """Greedy move from ``position`` to ``target`` (normalised coordinates).

    Closes the larger gap first (x on ties). On the target it pushes into the
    nearest outer wall, which keeps a border target occupied.
    """
    dx, dy = float(target[0] - position[0]), float(target[1] - position[1])
    if abs(dx) > _EPS or abs(dy) > _EPS:
        if abs(dx) >= abs(dy):
            return RIGHT if dx > 0 else LEFT
        return UP if dy > 0 else DOWN
    x, y = float(target[0]), float(target[1])
    if x >= 1 - _EPS:
        return RIGHT
    if x <= _EPS:
        return LEFT
    return UP if y >= 0.5 else DOWN


class RoomExpert:
    """Recommends the greedy move towards the goal."""

    name = "expert"

    def __init__(self, action_space: spaces.Space | None = None) -> None:
        self.action_space = action_space

    def recommend(self, observation: Any, rng: np.random.Generator) -> int:
        obs = np.asarray(observation, dtype=np.float64)
        return move_towards(obs[:2], obs[2:])


class RoomAdversary:
    """Recommends the greedy move towards the mirrored goal ``1 − round(goal)``."""

    name = "adversary"

    def __init__(self, action_space: spaces.Space | None = None) -> None:
        self.action_space = action_space

    def recommend(self, observation: Any, rng: np.random.Generator) -> int:
        obs = np.asarray(observation, dtype=np.float64)
        return move_towards(obs[:2], 1.0 - np.round(obs[2:]))


ROOM_SCRIPTED_PEERS = {"expert": RoomExpert, "adversary": RoomAdversary}
