"""IQM and its 95% stratified-bootstrap CI over seeds, with rliable (Agarwal et al. 2021).

A study's table holds one (env, row) per line, so each line is one task: the
stratified bootstrap is a bootstrap over that line's seeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Interval:
    """A point estimate with its 95% CI."""

    point: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.point:.2f} [{self.low:.2f}, {self.high:.2f}]"


def iqm_interval(values: Sequence[float], reps: int = 2000, seed: int = 0) -> Interval:
    """The interquartile mean of ``values`` (one per seed) and its 95% bootstrap CI."""
    from rliable import library as rly
    from rliable import metrics

    from leaderboard.scoring import quiet

    # Sorted: the bootstrap resamples positions, so the CI must not depend on the seeds' order.
    scores = np.sort(np.asarray(values, dtype=float)).reshape(-1, 1)  # runs x tasks, one task
    if scores.size == 0:
        raise ValueError("iqm_interval needs at least one value")
    points, intervals = quiet(
        rly.get_interval_estimates,
        {"x": scores},
        lambda x: np.array([metrics.aggregate_iqm(x)]),
        reps=reps,
        random_state=np.random.RandomState(seed),
    )
    ci = intervals["x"]
    return Interval(float(points["x"][0]), float(ci[0, 0]), float(ci[1, 0]))
