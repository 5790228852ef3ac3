"""Deterministic stand-in methods for testing the sweep machinery without training."""

from __future__ import annotations

import os
import time

import numpy as np

from benchmarks.presets import Budget


def counting(env_id: str, seed: int, budget: Budget) -> dict:
    """A seeded fake learning curve; sleeps ``TOY_SLEEP`` seconds to be killable mid-sweep."""
    time.sleep(float(os.environ.get("TOY_SLEEP", "0")))
    rng = np.random.default_rng([seed, len(env_id)])
    steps = list(range(0, budget.steps_per_peer + 1, budget.eval_every))
    values = np.cumsum(rng.normal(1.0, 0.1, len(steps))).tolist()
    return {
        "curve": [[s, v] for s, v in zip(steps, values)],
        "per_peer_curve": [[v, v] for v in values],
        "final_returns": [values[-1]] * budget.eval_episodes,
        "n_peers": 2,
    }


def crashing(env_id: str, seed: int, budget: Budget) -> dict:
    """Fails on odd seeds, so a sweep must report it and carry on."""
    if seed % 2:
        raise RuntimeError(f"toy crash on {env_id} seed {seed}")
    return counting(env_id, seed, budget)
