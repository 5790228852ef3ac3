"""pytest-benchmark suite for the social gridworlds' speed against ``multigrid``.

The measured figures are in docs/performance.md.

Run: ``python -m pytest benchmarks/test_social_speed.py --benchmark-only``.
Benchmarked: one env step of ``goal_cycle_v0`` with 3 learners and 0 experts
(``symbolic`` and ``rgb`` observations), and one step of the ``multigrid``
package's ``MultiGrid-Empty-16x16-v0`` with 3 agents (its symbolic 7×7×3
view), all with uniformly random actions, resetting when an episode ends.
The speed ratio (their time per step / ours; > 1 means we are faster) is
measured from interleaved repeats in the same process and stored in
``extra_info["ratio"]``; ratios are reported, never asserted. Measured with
marlgrid's rules (flood-fill occlusion, stacking order, blended tiles) on
2026-12-02, shared 2-core VM, two runs: symbolic 1.11–1.24×, rgb 0.94–0.95×.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import pytest

from peerzoo.social.envs import goal_cycle_v0

N_AGENTS = 3
TARGETS = {"symbolic": "≥ 1.0", "rgb": "≥ 0.3"}
_N_ACTION_ROWS = 1024


def goal_cycle_stepper(obs_mode: str) -> Callable[[], None]:
    """One call = one parallel step of goal_cycle_v0 (3 learners, no experts)."""
    env = goal_cycle_v0.parallel_env(n_learners=N_AGENTS, n_experts=0, obs_mode=obs_mode)
    env.reset(seed=0)
    rows = np.random.default_rng(0).integers(0, 3, (_N_ACTION_ROWS, N_AGENTS))
    actions = [dict(zip(env.possible_agents, map(int, row))) for row in rows]
    i = 0

    def step() -> None:
        nonlocal i
        env.step(actions[i % _N_ACTION_ROWS])
        i += 1
        if not env.agents:
            env.reset()

    return step


def multigrid_stepper() -> Callable[[], None]:
    """One call = one step of multigrid's MultiGrid-Empty-16x16-v0 with 3 agents."""
    import gymnasium as gym
    import multigrid.envs  # noqa: F401  (registers MultiGrid-*)

    env = gym.make("MultiGrid-Empty-16x16-v0", agents=N_AGENTS).unwrapped
    env.reset(seed=0)
    rows = np.random.default_rng(0).integers(0, 3, (_N_ACTION_ROWS, N_AGENTS))
    actions = [{k: int(a) for k, a in enumerate(row)} for row in rows]
    i = 0

    def step() -> None:
        nonlocal i
        _, _, terms, truncs, _ = env.step(actions[i % _N_ACTION_ROWS])
        i += 1
        if any(terms.values()) or any(truncs.values()):
            env.reset()

    return step


def _seconds_per_step(step: Callable[[], None], n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        step()
    return (time.perf_counter() - t0) / n


def speed_ratio(obs_mode: str, repeats: int = 15, block: int = 500) -> float:
    """multigrid's time per step / ours: medians over interleaved blocks of ``block`` steps."""
    ours, theirs = goal_cycle_stepper(obs_mode), multigrid_stepper()
    _seconds_per_step(ours, block)  # warm up: JIT, caches
    _seconds_per_step(theirs, block)
    ours_t, theirs_t = [], []
    for _ in range(repeats):
        ours_t.append(_seconds_per_step(ours, block))
        theirs_t.append(_seconds_per_step(theirs, block))
    return statistics.median(theirs_t) / statistics.median(ours_t)


@pytest.mark.parametrize("obs_mode", ["symbolic", "rgb"])
def test_goal_cycle_step(benchmark, obs_mode: str) -> None:
    benchmark.group = "gridworld step, 3 agents"
    ratio = speed_ratio(obs_mode)
    benchmark.extra_info.update(
        label=f"goal_cycle_v0 {obs_mode}, 3 learners: speed vs multigrid",
        ratio=ratio,
        ratio_of="multigrid Empty-16x16 step time (3 agents, symbolic); > 1 = faster",
        target=TARGETS[obs_mode],
    )
    benchmark(goal_cycle_stepper(obs_mode))
    print(f"\ngoal_cycle_v0 {obs_mode}: {ratio:.2f}x multigrid's env-steps/s")


def test_multigrid_step(benchmark) -> None:
    benchmark.group = "gridworld step, 3 agents"
    benchmark(multigrid_stepper())
