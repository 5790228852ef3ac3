"""Follow strategies of the paper's comparison methods (docs/baselines_peer.md).

* :class:`OwnPolicy`: always the peer's own action (single agent, single agent
  with N× samples, shared replay; what differs between those is the group and
  the buffers, set up in :mod:`baselines.peer.train`).
* :class:`RandomAdvice`: a uniformly random candidate, self included, held for
  ``follow_steps``.
* :class:`EarlyAdvising`: a random *other* peer every step for the first
  ``fraction`` of training (74% MuJoCo, 50% Room), then solo.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class _NoLearning:
    needs_critic = False

    def record(self, *args: Any) -> None:
        pass

    def learn(self, *args: Any) -> None:
        pass


class OwnPolicy(_NoLearning):
    """Never follow advice."""

    def choose(
        self,
        i: int,
        candidates: np.ndarray,
        critic_scores: Any,
        progress: float,
        rng: np.random.Generator,
    ) -> int:
        return i


class RandomAdvice(_NoLearning):
    """Uniform over all candidates (self included), each choice held ``follow_steps``."""

    def __init__(self, n_peers: int, follow_steps: int = 10) -> None:
        self.follow_steps = follow_steps
        self.following = list(range(n_peers))
        self.hold_left = [0] * n_peers

    def choose(
        self,
        i: int,
        candidates: np.ndarray,
        critic_scores: Any,
        progress: float,
        rng: np.random.Generator,
    ) -> int:
        if self.hold_left[i] <= 0 or self.following[i] not in candidates:
            self.following[i] = int(rng.choice(candidates))
            self.hold_left[i] = self.follow_steps
        self.hold_left[i] -= 1
        return self.following[i]


class EarlyAdvising(_NoLearning):
    """Follow a random other peer every step until ``fraction`` of training, then solo."""

    def __init__(self, fraction: float) -> None:
        self.fraction = fraction

    def choose(
        self,
        i: int,
        candidates: np.ndarray,
        critic_scores: Any,
        progress: float,
        rng: np.random.Generator,
    ) -> int:
        others = candidates[candidates != i]
        if progress >= self.fraction or len(others) == 0:
            return i
        return int(rng.choice(others))
