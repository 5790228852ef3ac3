"""Per-round cost of the peer protocol against the raw Gymnasium task (docs/performance.md).

One *round* of a peer env advances every peer's task copy by one step, so its
fair baseline is N raw ``Task.step`` calls with the same fixed action. Timings
are interleaved (baseline, variant, baseline, ...) and the ratio is the median
over repeats, so machine noise hits both sides alike.

    python benchmarks/protocol_overhead.py            # prints the table
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import gymnasium
import numpy as np

import peerzoo
from peerzoo.tasks.mujoco import PAPER_TASK_KWARGS
from peerzoo.tasks.room import RoomEnv

RoundFn = Callable[[], None]


@dataclass(frozen=True)
class Case:
    """One measured configuration: an env id, a form, an advice schedule, N peers."""

    env_id: str
    api: str
    advice: str | None
    n_peers: int

    @property
    def label(self) -> str:
        return f"{self.env_id} N={self.n_peers} {self.api} advice={self.advice}"


CASES = [
    Case("peer_hopper_v0", api, advice, 4)
    for advice in (None, "always")
    for api in ("parallel", "aec")
] + [
    Case(env_id, api, advice, n)
    for env_id, n in (("peer_hopper_v0", 8), ("peer_room_v0", 4))
    for advice in (None, "always")
    for api in ("parallel", "aec")
]


def raw_round(env_id: str, n_peers: int) -> RoundFn:
    """N raw task steps with a fixed action: the cost a round cannot go below."""
    if env_id == "peer_room_v0":
        tasks = [gymnasium.wrappers.PassiveEnvChecker(RoomEnv()) for _ in range(n_peers)]
    else:
        gym_id = {"peer_hopper_v0": "Hopper-v5"}[env_id]
        tasks = [gymnasium.make(gym_id, **PAPER_TASK_KWARGS[gym_id]) for _ in range(n_peers)]
    for seed, task in enumerate(tasks):
        task.reset(seed=seed)
    action = fixed_action(tasks[0].action_space)

    def step_all() -> None:
        for task in tasks:
            _, _, terminated, truncated, _ = task.step(action)
            if terminated or truncated:
                task.reset()

    return step_all


def fixed_action(space: gymnasium.Space):
    return np.zeros(space.shape, space.dtype) if space.shape else 0


def peer_round(case: Case) -> RoundFn:
    """One full round (all its phases) of the peer env, autoresetting forever."""
    env = peerzoo.make(
        case.env_id, api=case.api, n_peers=case.n_peers, advice=case.advice, autoreset=True
    )
    env.reset(seed=0)
    core = env.unwrapped.core
    action = fixed_action(core.action_space)
    if case.api == "parallel":
        actions = dict.fromkeys(env.possible_agents, action)

        def one_round() -> None:
            start = core.round
            while core.round == start:
                env.step(actions)
    else:

        def one_round() -> None:
            start = core.round
            while core.round == start:
                env.step(action)

    return one_round


def seconds_per_call(fn: RoundFn, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def overhead_ratio(case: Case, repeats: int = 9, calls: int = 200) -> float:
    """Median over interleaved repeats of (peer round time) / (N raw task steps)."""
    baseline, variant = raw_round(case.env_id, case.n_peers), peer_round(case)
    for fn in (baseline, variant):  # warm-up
        seconds_per_call(fn, calls // 4)
    ratios = []
    for _ in range(repeats):
        base = seconds_per_call(baseline, calls)
        ratios.append(seconds_per_call(variant, calls) / base)
    return statistics.median(ratios)


def main() -> None:
    print("| case | round / N raw steps |")
    print("|---|---|")
    for case in CASES:
        print(f"| {case.label} | {overhead_ratio(case):.3f} |")


if __name__ == "__main__":
    main()
