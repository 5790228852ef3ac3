"""The command line shared by ``baselines.peer.sac`` and ``baselines.peer.dqn``.

Trains one method on one env and seed with tqdm progress, TensorBoard logs
under ``runs/`` and checkpoints at evaluation boundaries, then writes the
result in the submission format (DESIGN §6) through the project's one adapter.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from baselines.peer.config import METHODS, PeerRunConfig, smoke
from baselines.peer.train import PeerTraining


def config_dict(config: PeerRunConfig) -> dict[str, Any]:
    """Every knob as plain JSON values (for hashing and for the record)."""
    return json.loads(json.dumps(dataclasses.asdict(config), default=str))


def seed_record(training: PeerTraining) -> dict[str, Any]:
    """One seed's result in the ``benchmarks.methods`` record format.

    ``config_hash`` leaves the seed out, so that the seeds of one submission
    share it (the leaderboard checks that they do).
    """
    from leaderboard.submission import config_hash

    config = config_dict(training.config)
    shared = {key: value for key, value in config.items() if key != "seed"}
    return {
        "seed": training.config.seed,
        "curve": training.curve,
        "per_peer_curve": training.per_peer_curve,
        "final_returns": training.final_returns,
        "n_peers": len(training.peers),
        "advisors": [*training.env.possible_agents, *training.env.core.scripted_names],
        "trust_curve": training.trust_curve,
        "wall_time_s": training.wall_time,
        "config": config,
        "config_hash": config_hash(shared),
    }


def write_result(training: PeerTraining, path: Path, preset_name: str) -> Path:
    """Write ``training``'s result as a one-seed submission via ``leaderboard.submission``.

    The same path as the sweep's (``from_seed_records``), with the sweep's method
    descriptions, so a CLI run and a sweep run of a method describe it alike.
    """
    from benchmarks.methods import METHODS as SWEEP_METHODS
    from leaderboard.submission import from_seed_records, write_submission

    cfg = training.config
    submission = from_seed_records(
        method_name=f"peer_{cfg.method}",
        method_description=SWEEP_METHODS[cfg.method].description,
        train_env_id=cfg.env_id,
        preset_name=preset_name,
        env_steps_per_peer=training.steps_per_peer,
        n_peers=len(training.peers),
        seed_records=[seed_record(training)],
    )
    return write_submission(path, submission)


def main(
    preset: Callable[..., PeerRunConfig], default_env: str, argv: Sequence[str] | None = None
) -> PeerTraining:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--env", default=default_env)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=None, help="env steps per peer")
    parser.add_argument("--method", choices=METHODS, default="peer")
    parser.add_argument("--n-peers", type=int, default=None)
    parser.add_argument("--preset", choices=("paper", "smoke"), default="paper")
    parser.add_argument("--logdir", type=Path, default=Path("runs"))
    parser.add_argument("--out", type=Path, default=Path("results"))
    parser.add_argument("--checkpoint-dir", type=Path, default=None)
    parser.add_argument("--resume", type=Path, default=None, help="a checkpoint .pt to continue")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)

    if args.resume is not None:
        training = PeerTraining.load(args.resume)
    else:
        overrides: dict[str, Any] = {"seed": args.seed, "method": args.method}
        if args.n_peers is not None:
            overrides["n_peers"] = args.n_peers
        config = preset(args.env, **overrides)
        if args.preset == "smoke":
            config = smoke(config, total_steps=args.steps or 2_000)
        elif args.steps is not None:
            config = dataclasses.replace(config, total_steps=args.steps)
            config.eval_every = min(config.eval_every, args.steps)
        training = PeerTraining(config)
    cfg = training.config
    name = f"{cfg.env_id}__{cfg.method}__seed{cfg.seed}"
    from torch.utils.tensorboard import SummaryWriter
    from tqdm import tqdm

    with (
        SummaryWriter(str(args.logdir / name)) as writer,
        tqdm(
            total=training.steps_per_peer,
            initial=training.steps_done,
            desc=name,
            unit="step",
            disable=args.no_progress,
        ) as bar,
    ):
        training.train(checkpoint_dir=args.checkpoint_dir, logger=writer, progress=bar)
    path = write_result(training, args.out / f"{name}__{args.preset}.json", args.preset)
    print(f"final mean return {training.curve[-1][1]:.3f}; result written to {path}")
    return training
