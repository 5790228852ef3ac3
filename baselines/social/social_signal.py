"""Whether a learner follows the experts: per-episode summaries of the gridworld's social infos.

The social gridworlds report, per learner and step, ``steps_with_expert_in_view``
(a running count over the episode) and ``expert_distance`` (Manhattan
distance to the nearest expert, -1 without experts). An episode is summarised
by the count at its end and the mean distance over its steps; a learner that
follows experts keeps them in view and close. Episodes without experts (solo,
or an env that reports neither) have no summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

SIGNAL_KEYS = ("steps_with_expert_in_view", "expert_distance")


class SocialSignal:
    """Accumulates the social infos of ``n_streams`` learner streams, one episode at a time."""

    def __init__(self, n_streams: int) -> None:
        self.in_view = np.zeros(n_streams, dtype=np.int64)
        self.distance_sum = np.zeros(n_streams)
        self.distance_steps = np.zeros(n_streams, dtype=np.int64)

    def update(self, first_stream: int, infos: Sequence[dict[str, Any]]) -> None:
        """Add one step of the infos of consecutive streams from ``first_stream``."""
        for j, info in enumerate(infos):
            i = first_stream + j
            if "steps_with_expert_in_view" in info:
                self.in_view[i] = int(info["steps_with_expert_in_view"])
            distance = float(info.get("expert_distance", -1.0))
            if distance >= 0.0:
                self.distance_sum[i] += distance
                self.distance_steps[i] += 1

    def finish(self, i: int) -> dict[str, float] | None:
        """Stream ``i``'s episode summary (``None`` when it had no experts), then start afresh."""
        summary = None
        if self.distance_steps[i]:
            summary = {
                "steps_with_expert_in_view": float(self.in_view[i]),
                "expert_distance": float(self.distance_sum[i] / self.distance_steps[i]),
            }
        self.in_view[i], self.distance_sum[i], self.distance_steps[i] = 0, 0.0, 0
        return summary


def mean_signal(summaries: Sequence[dict[str, float] | None]) -> dict[str, float]:
    """Each key's mean over the episodes that had experts; empty when none had."""
    present = [s for s in summaries if s is not None]
    if not present:
        return {}
    return {key: float(np.mean([s[key] for s in present])) for key in SIGNAL_KEYS}
