"""pytest-benchmark: training env-steps/s of the fast social learner against the rgb learner.

Run: ``python -m pytest benchmarks/test_social_training_speed.py --benchmark-only``.
One training iteration = collect a rollout + the recurrent-PPO update on it,
with each learner's default settings on ``goal_cycle_v0`` (1 learner, 2
experts): the fast learner (:mod:`baselines.social.fast`: symbolic view, 128
batched worlds × 64 steps) and the paper's rgb learner
(:mod:`baselines.social.ppo`: 4 env copies × 256 steps, conv 32/64/64, pixel
prediction). Torch runs on ``SOCIAL_BENCH_THREADS`` threads (default 1: on a
shared 2-core machine two torch threads spin against other work and collapse;
two 1-thread runs, e.g. two seeds, are how a study uses 2 cores). Env-steps/s are
measured from short interleaved repeats in one process (after a warm-up iteration
each: JIT compilation);
the ratio fast / rgb is stored in ``extra_info["ratio"]`` and the fast
learner's absolute figure beside it; reported, never asserted (target
≥ 20,000 env-steps/s on 2 cores).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import pytest
import torch
from tianshou.utils.torch_utils import policy_within_training_step

from baselines.social import fast, ppo
from baselines.social.config import RunConfig
from baselines.social.rollout import StreamCollector

THREADS = int(os.environ.get("SOCIAL_BENCH_THREADS", "1"))


def fast_iteration() -> tuple[Callable[[], None], int]:
    """One training iteration of the fast learner; returns (run it, env steps it takes)."""
    config = fast.FastRunConfig(progress=False)
    algo, collector = fast.build(config)

    def run() -> None:
        fast.update_once(config, algo, collector, None)

    return run, config.num_worlds * config.rollout_len


def rgb_iteration() -> tuple[Callable[[], None], int]:
    """One training iteration of the paper's rgb learner at its defaults."""
    config = RunConfig(progress=False)
    algo, probe = ppo.build_learner(config)
    probe.close()
    make = ppo._env_factory(config)
    collector = StreamCollector(make, config.n_envs, algo.net, algo.policy.dist_fn, 0)
    batch = config.ppo.minibatch_seqs * config.ppo.seq_len

    def run() -> None:
        rollout = collector.collect(config.rollout_len)
        with policy_within_training_step(algo.policy):
            algo.update(rollout.to_buffer(), batch_size=batch, repeat=config.ppo.epochs)

    return run, config.n_envs * config.rollout_len


def steps_per_second(run: Callable[[], None], steps: int) -> float:
    t0 = time.perf_counter()
    run()
    return steps / (time.perf_counter() - t0)


def measure(repeats: int = 3) -> tuple[float, float]:
    """(fast env-steps/s, rgb env-steps/s): medians of interleaved iterations."""
    torch.set_num_threads(THREADS)
    (fast_run, fast_steps), (rgb_run, rgb_steps) = fast_iteration(), rgb_iteration()
    fast_run()  # warm up: numba and tianshou compile on first use
    rgb_run()
    ours, theirs = [], []
    for _ in range(repeats):
        ours.append(steps_per_second(fast_run, fast_steps))
        theirs.append(steps_per_second(rgb_run, rgb_steps))
    return statistics.median(ours), statistics.median(theirs)


def test_fast_learner_training_speed(benchmark) -> None:
    benchmark.group = f"social training iteration, {THREADS} threads"
    ours, theirs = measure()
    benchmark.extra_info.update(
        label=f"fast social learner: training env-steps/s vs the rgb learner ({THREADS} threads)",
        ratio=ours / theirs,
        ratio_of="rgb learner training env-steps/s (paper configuration)",
        env_steps_per_s=ours,
        rgb_env_steps_per_s=theirs,
        target="≥ 20,000 env-steps/s",
    )
    run, _ = fast_iteration()
    benchmark.pedantic(run, rounds=1, iterations=1, warmup_rounds=1)
    print(f"\nfast learner {ours:,.0f} env-steps/s, rgb {theirs:,.0f} ({ours / theirs:.1f}x)")


@pytest.mark.parametrize("learner", ["rgb"])
def test_rgb_learner_training_speed(benchmark, learner: str) -> None:
    benchmark.group = f"social training iteration, {THREADS} threads"
    torch.set_num_threads(THREADS)
    run, _ = rgb_iteration()
    benchmark.pedantic(run, rounds=1, iterations=1, warmup_rounds=1)
