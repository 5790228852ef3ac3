"""Measure the random-policy return of every registered env and write it into the constants.

    python leaderboard/measure_random.py                    # every registered id, 20 episodes
    python leaderboard/measure_random.py --ids peer_room_v0 --episodes 50 --seed 0

A uniformly random action on every ACT turn (``role == 0``); ADVISE and IDLE
turns answer a random action too, which the env ignores for scoring because a
peer's task reward is credited only after the act phase. A task episode ends
when its info reports ``task_terminated`` or ``task_truncated`` (or the agent
is done); its return is the sum of the agent's rewards since the last end.
Envs without a ``role`` key (the social gridworlds) act on every turn.
Other fields of the constants file are kept as they are.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leaderboard.constants import CONSTANTS_PATH

ACT = 0  # peerzoo.ACT; repeated so the logic can be tested without peerzoo
MAX_PHASES = 10_000_000  # a guard against an env that never ends an episode


def _is_act(observation: Any) -> bool:
    return not isinstance(observation, dict) or int(observation.get("role", ACT)) == ACT


def random_returns(env: Any, episodes: int, seed: int) -> list[float]:
    """Returns of ``episodes`` task episodes under uniform random actions, over all peers."""
    returns: list[float] = []
    reset_seed = seed
    observations, _ = env.reset(seed=reset_seed)
    for agent in env.possible_agents:
        env.action_space(agent).seed(seed + 1 + env.possible_agents.index(agent))
    running = {agent: 0.0 for agent in env.possible_agents}
    for _ in range(MAX_PHASES):
        if len(returns) >= episodes:
            break
        if not env.agents:
            reset_seed += 1
            observations, _ = env.reset(seed=reset_seed)
            running = {agent: 0.0 for agent in env.possible_agents}
            continue
        acted = {agent for agent in env.agents if _is_act(observations[agent])}
        actions = {agent: env.action_space(agent).sample() for agent in env.agents}
        observations, rewards, terminations, truncations, infos = env.step(actions)
        for agent in acted:
            running[agent] += float(rewards.get(agent, 0.0))
            info = infos.get(agent, {})
            ended = info.get("task_terminated") or info.get("task_truncated")
            done = terminations.get(agent) or truncations.get(agent)
            if ended or done:
                returns.append(running[agent])
                running[agent] = 0.0
    else:
        raise RuntimeError(f"no {episodes} episodes after {MAX_PHASES} phases")
    return returns[:episodes]


def update_constants(path: Path, measured: dict[str, float], command: str) -> None:
    """Write the random values into the constants file atomically, keeping everything else."""
    table = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"envs": {}}
    for env_id, value in measured.items():
        entry = table["envs"].setdefault(env_id, {})
        entry["random"] = {"value": value, "source": f"measured by `{command}`"}
    table["envs"] = dict(sorted(table["envs"].items()))
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(table, handle, indent=2)
        handle.write("\n")
    os.replace(tmp, path)


def measure(
    ids: Sequence[str], episodes: int, seed: int, make: Callable[[str], Any]
) -> dict[str, float]:
    """Mean random return per env id."""
    measured = {}
    for env_id in ids:
        env = make(env_id)
        try:
            values = random_returns(env, episodes, seed)
        finally:
            env.close()
        measured[env_id] = sum(values) / len(values)
        print(f"{env_id}: {measured[env_id]:.4f} over {len(values)} episodes")
    return measured


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ids", nargs="*", help="env ids (default: every registered id)")
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=CONSTANTS_PATH)
    args = parser.parse_args(argv)
    import peerzoo
    from peerzoo.registry import registered_ids

    ids = args.ids or registered_ids()
    measured = measure(ids, args.episodes, args.seed, lambda i: peerzoo.make(i, api="parallel"))
    command = (
        f"python leaderboard/measure_random.py --ids {' '.join(ids)} "
        f"--episodes {args.episodes} --seed {args.seed}"
    )
    update_constants(args.out, measured, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
