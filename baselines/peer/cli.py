"""The command line shared by ``baselines.peer.sac`` and ``baselines.peer.dqn``.

``--preset paper`` (the default) runs the paper's row for ``--env`` and
``--method`` (:mod:`baselines.peer.presets`); ``--preset smoke`` that row
shrunk to seconds; ``--preset NAME`` any row by name, e.g.
``hopper/ablation/no_advantage/trust+critic`` or ``hopper/agents/8``.
Trains one method on one env and seed with tqdm progress, TensorBoard logs
under ``runs/`` and checkpoints at evaluation boundaries, then writes the
result in the submission format (docs/design.md) through the project's one adapter.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from baselines.peer.config import METHOD_DESCRIPTIONS, METHODS, PeerRunConfig, smoke, with_budget
from baselines.peer.presets import PAPER_RUNS, paper_preset, paper_run
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
        # single_nx takes N× a peer's steps; the leaderboard plots it on the per-peer axis
        "sample_multiplier": training.steps_per_peer // training.config.total_steps,
        "wall_time_s": training.wall_time,
        "config": config,
        "config_hash": config_hash(shared),
    }


def budget_label(training: PeerTraining, preset_name: str, full_steps: int) -> str:
    """The preset a run's submission may claim: its own only if it had that preset's budget.

    A run cut short with ``--steps`` had less than the paper's budget, so it is
    labelled ``smoke`` (shown, never ranked) rather than passed off as a paper run.
    """
    return preset_name if training.steps_per_peer >= full_steps else "smoke"


def write_result(training: PeerTraining, path: Path, preset_name: str) -> Path:
    """Write ``training``'s result as a one-seed submission via ``leaderboard.submission``.

    The same path as the sweep's (``from_seed_records``), named and described as
    the sweep names and describes the method, so a CLI run and a sweep run agree.
    """
    from leaderboard.submission import from_seed_records, write_submission

    cfg = training.config
    submission = from_seed_records(
        method_name=cfg.method,
        method_description=METHOD_DESCRIPTIONS[cfg.method],
        train_env_id=cfg.env_id,
        preset_name=preset_name,
        env_steps_per_peer=cfg.total_steps,
        n_peers=len(training.peers),
        seed_records=[seed_record(training)],
    )
    # One seed at any --steps is a result file, not a board entry: the leaderboard holds
    # a submitted entry to the preset's budget, cadence and seeds when it scores it.
    return write_submission(path, submission, validate=False)


def _preset_choice(text: str) -> str:
    if text in ("paper", "smoke") or text in PAPER_RUNS:
        return text
    raise argparse.ArgumentTypeError(
        f"unknown preset {text!r}; valid: paper, smoke, {', '.join(PAPER_RUNS)}"
    )


def main(default_env: str, argv: Sequence[str] | None = None) -> PeerTraining:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--env", default=default_env)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=None, help="env steps per peer")
    parser.add_argument("--method", choices=METHODS, default="peer")
    parser.add_argument("--n-peers", type=int, default=None)
    parser.add_argument(
        "--preset", type=_preset_choice, default="paper", help="paper, smoke or a row"
    )
    parser.add_argument("--logdir", type=Path, default=Path("runs"))
    parser.add_argument("--out", type=Path, default=Path("results"))
    parser.add_argument("--checkpoint-dir", type=Path, default=None)
    parser.add_argument("--resume", type=Path, default=None, help="a checkpoint .pt to continue")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)

    if args.resume is not None:
        training = PeerTraining.load(args.resume)
    else:
        overrides: dict[str, Any] = {"seed": args.seed}
        if args.n_peers is not None:
            overrides["n_peers"] = args.n_peers
        if args.preset in ("paper", "smoke"):
            try:
                config = paper_preset(args.env, args.method, **overrides)
            except ValueError as error:
                parser.error(str(error))
        else:
            config = dataclasses.replace(paper_run(args.preset).config, **overrides)
        if args.preset == "smoke":
            config = smoke(config, total_steps=args.steps or 2_000)
        elif args.steps is not None:
            config = with_budget(config, args.steps)
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
    budget = "smoke" if args.preset == "smoke" else "paper"
    if args.preset in PAPER_RUNS:
        full_steps = paper_run(args.preset).config.total_steps
    else:
        full_steps = paper_preset(cfg.env_id, cfg.method).total_steps
    label = budget_label(training, budget, full_steps)
    if label != budget:
        print(
            f"{training.steps_per_peer} of the {budget} budget's {full_steps} steps per peer: "
            f"the submission is labelled {label!r}, never ranked"
        )
    file_label = args.preset.replace("/", "-") if label == budget else label
    path = write_result(training, args.out / f"{name}__{file_label}.json", label)
    print(f"final mean return {training.curve[-1][1]:.3f}; result written to {path}")
    return training
