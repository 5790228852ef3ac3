"""pytest-benchmark: batched Goal Cycle worlds against the single env (docs/performance.md).

Run: ``python -m pytest benchmarks/test_social_vector_speed.py --benchmark-only``.
Benchmarked: ``goal_cycle_v0`` as the paper runs it (1 learner, 2 scripted
experts, ``symbolic`` view) with uniformly random actions: one single-env
step, and one step of :class:`peerzoo.social.vector.GoalCycleVectorEnv` with
B = 64 and 256 worlds (B env steps). Both run on one core (the batch is one
compiled loop, not threads), so the ratio of env-steps/s is per core. It is
measured from interleaved repeats in the same process and stored in
``extra_info["ratio"]``; reported, never asserted (target ≥ 10).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import pytest

from peerzoo.social.envs import goal_cycle_v0
from peerzoo.social.vector import GoalCycleVectorEnv

OBS_MODE = "symbolic"
_N_ACTION_ROWS = 1024


def single_stepper() -> Callable[[], None]:
    """One call = one step of one world."""
    env = goal_cycle_v0.parallel_env(obs_mode=OBS_MODE)
    env.reset(seed=0)
    actions = [{"learner_0": int(a)} for a in np.random.default_rng(0).integers(0, 3, 1024)]
    i = 0

    def step() -> None:
        nonlocal i
        env.step(actions[i % _N_ACTION_ROWS])
        i += 1
        if not env.agents:
            env.reset()

    return step


def vector_stepper(num_worlds: int) -> Callable[[], None]:
    """One call = one step of ``num_worlds`` worlds (autoreset inside)."""
    env = GoalCycleVectorEnv("goal_cycle_v0", num_worlds=num_worlds, obs_mode=OBS_MODE)
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(0, 3, (64, env.num_envs))
    i = 0

    def step() -> None:
        nonlocal i
        env.step(actions[i % 64])
        i += 1

    return step


def steps_per_second(step: Callable[[], None], calls: int, worlds: int) -> float:
    t0 = time.perf_counter()
    for _ in range(calls):
        step()
    return calls * worlds / (time.perf_counter() - t0)


def speedup(num_worlds: int, repeats: int = 7, world_steps: int = 12_800) -> float:
    """Vector env-steps/s / single env-steps/s: medians over interleaved blocks."""
    single, vector = single_stepper(), vector_stepper(num_worlds)
    steps_per_second(single, 500, 1)  # warm up: JIT, caches
    steps_per_second(vector, 5, num_worlds)
    ours, base = [], []
    for _ in range(repeats):
        base.append(steps_per_second(single, world_steps // 8, 1))
        ours.append(steps_per_second(vector, world_steps // num_worlds, num_worlds))
    return statistics.median(ours) / statistics.median(base)


@pytest.mark.parametrize("num_worlds", [64, 256])
def test_vector_goal_cycle_step(benchmark, num_worlds: int) -> None:
    benchmark.group = "goal_cycle_v0 worlds, 1 learner + 2 experts"
    ratio = speedup(num_worlds)
    benchmark.extra_info.update(
        label=f"goal_cycle_v0 vector B={num_worlds}: env-steps/s vs the single env, per core",
        ratio=ratio,
        ratio_of="single goal_cycle_v0 env-steps/s (symbolic, 1 learner, 2 experts)",
        target="≥ 10",
    )
    benchmark(vector_stepper(num_worlds))
    print(f"\ngoal_cycle_v0 B={num_worlds}: {ratio:.1f}x the single env's env-steps/s per core")


def test_single_goal_cycle_step(benchmark) -> None:
    benchmark.group = "goal_cycle_v0 worlds, 1 learner + 2 experts"
    benchmark(single_stepper())
