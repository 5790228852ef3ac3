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


def malformed(env_id: str, seed: int, budget: Budget) -> dict:
    """Returns a record without its final returns."""
    record = counting(env_id, seed, budget)
    del record["final_returns"]
    return record


def _fixed_action(budget: Budget, action: int):
    for steps in range(budget.eval_every, budget.steps_per_peer + 1, budget.eval_every):
        yield steps, lambda observations, peers: np.full(len(peers), action)


def yielding(env_id: str, seed: int, budget: Budget):
    """Yields a fixed-action policy at each evaluation point; the sweep evaluates it."""
    yield from _fixed_action(budget, yielding.config["action"])


yielding.config = {"action": 1}


def yielding_other_config(env_id: str, seed: int, budget: Budget):
    """The same method with another config, so another config hash."""
    yield from _fixed_action(budget, yielding_other_config.config["action"])


yielding_other_config.config = {"action": 2}


def needs_four_arguments(env_id: str, seed: int, budget: Budget, extra: int) -> dict:
    return counting(env_id, seed, budget)


def whereabouts(env_id: str, seed: int, budget: Budget) -> dict:
    """The counting record plus the directory the job ran in (where Ray unpacked the code)."""
    return {**counting(env_id, seed, budget), "cwd": os.getcwd()}


def device_aware(env_id: str, seed: int, budget: Budget, device: str = "cpu") -> dict:
    """Takes the sweep's ``--device``, and says which it got."""
    return {**counting(env_id, seed, budget), "device": device}
