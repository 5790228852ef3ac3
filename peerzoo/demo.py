"""A one-minute look at the protocol: random peers on ``peer_hopper_v0``.

Each peer acts at random on its ACT turns and recommends random actions on its
ADVISE turns; the printout is every peer's episode return. It is what the
README's main command runs until a benchmark preset replaces it.

    python -m peerzoo.demo --env peer_hopper_v0 --n-peers 4 --rounds 1000 --seed 0
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np

import peerzoo


def run_random_peers(
    env_id: str, n_peers: int, rounds: int, seed: int, frame_path: str | None = None
) -> dict[str, list[float]]:
    """Play ``rounds`` rounds with random actions; returns each peer's finished episode returns.

    With ``frame_path`` the peers' tiled ``rgb_array`` frame after the last round
    is saved there as a PNG (needs matplotlib, from ``peerzoo[all]``).
    """
    env = peerzoo.make(
        env_id,
        api="parallel",
        n_peers=n_peers,
        autoreset=True,
        max_rounds=rounds,
        render_mode="rgb_array" if frame_path else None,
    )
    observations, _ = env.reset(seed=seed)
    for i, agent in enumerate(env.possible_agents):
        env.action_space(agent).seed(seed + i)
    running: dict[str, float] = defaultdict(float)
    returns: dict[str, list[float]] = defaultdict(list)
    while env.agents:
        actions = {agent: env.action_space(agent).sample() for agent in env.agents}
        _observations, rewards, terminations, truncations, infos = env.step(actions)
        for agent, reward in rewards.items():
            running[agent] += reward
            ended = "task_terminated" in infos[agent] or terminations[agent] or truncations[agent]
            if ended:
                returns[agent].append(running.pop(agent))
    if frame_path:
        import matplotlib.pyplot as plt

        plt.imsave(frame_path, env.render())
    env.close()
    return dict(returns)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="peer_hopper_v0", choices=sorted(peerzoo.envs()))
    parser.add_argument("--n-peers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--frame", metavar="PNG", help="save the peers' last frame, tiled")
    args = parser.parse_args(argv)
    returns = run_random_peers(args.env, args.n_peers, args.rounds, args.seed, args.frame)
    print(f"{args.env}: {args.n_peers} random peers, {args.rounds} rounds, seed {args.seed}")
    print(f"{'peer':<8} {'episodes':>8} {'mean return':>12}")
    for agent in sorted(returns):
        values = returns[agent]
        print(f"{agent:<8} {len(values):>8} {np.mean(values):>12.2f}")


if __name__ == "__main__":
    main()
