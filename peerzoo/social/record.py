"""Record an episode of a social gridworld as a GIF or MP4 (or a single PNG frame).

    python -m peerzoo.social.record --env goal_cycle_v0 --out episode.gif
    python -m peerzoo.social.record --env maze_v0 --steps 100 --policy expert --out maze.mp4
    python -m peerzoo.social.record --env goal_cycle_v0 --steps 40 --out docs/img/goal_cycle.png

Learners act uniformly at random (``--policy random``) or as the scripted
expert would in their place (``--policy expert``); the frames are the env's
``rgb_array`` render (global view, fields of view, point-of-view panels).
Needs ``imageio`` (GIF/PNG) and ``imageio-ffmpeg`` (MP4).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from peerzoo.registry import make


def record_episode(
    env_id: str,
    steps: int = 250,
    seed: int = 0,
    policy: str = "random",
    n_learners: int = 1,
    n_experts: int | None = None,
) -> list[np.ndarray]:
    """The ``rgb_array`` frames of one episode (the reset frame first)."""
    import peerzoo.social.envs  # noqa: F401  (registers the ids without the rest of peerzoo)

    kwargs: dict = {"n_learners": n_learners, "render_mode": "rgb_array", "max_cycles": steps}
    if n_experts is not None:
        kwargs["n_experts"] = n_experts
    env = make(env_id, api="parallel", **kwargs)
    env.reset(seed=seed)
    rng = np.random.default_rng(seed)
    frames = [env.render()]
    while env.agents:
        if policy == "expert":
            actions = {a: env.expert_action(a) for a in env.agents}
        else:
            actions = {a: int(rng.integers(env.action_space(a).n)) for a in env.agents}
        env.step(actions)
        frames.append(env.render())
    env.close()
    return frames


def save_frames(frames: list[np.ndarray], out: Path, fps: int) -> None:
    """Write a GIF/MP4 of ``frames``, or the last frame for a ``.png`` path."""
    import imageio.v3 as iio  # lazy: recording is optional, the envs do not need imageio

    out.parent.mkdir(parents=True, exist_ok=True)
    suffix = out.suffix.lower()
    if suffix == ".png":
        iio.imwrite(out, frames[-1])
    elif suffix == ".gif":
        iio.imwrite(out, np.stack(frames), duration=1000 / fps, loop=0)
    elif suffix == ".mp4":
        iio.imwrite(out, np.stack(frames), fps=fps, codec="libx264", macro_block_size=1)
    else:
        raise ValueError(f"--out must end in .gif, .mp4 or .png, got {out}")


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--env", default="goal_cycle_v0", help="a registered social env id")
    p.add_argument("--out", type=Path, default=Path("episode.gif"), help=".gif, .mp4 or .png")
    p.add_argument("--steps", type=int, default=250, help="episode length (max_cycles)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--policy", choices=["random", "expert"], default="random")
    p.add_argument("--n-learners", type=int, default=1)
    p.add_argument("--n-experts", type=int, default=None, help="default: the env's (2)")
    p.add_argument("--fps", type=int, default=8)
    a = p.parse_args(argv)
    frames = record_episode(a.env, a.steps, a.seed, a.policy, a.n_learners, a.n_experts)
    save_frames(frames, a.out, a.fps)
    print(f"wrote {a.out} ({len(frames)} frames)")


if __name__ == "__main__":
    main()
