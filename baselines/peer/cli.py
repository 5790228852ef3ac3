"""The command line shared by ``baselines.peer.sac`` and ``baselines.peer.dqn``.

``--preset paper`` (the default) runs the paper's row for ``--env-id`` and
``--method`` (:mod:`baselines.peer.presets`); ``--preset smoke`` that row
shrunk to seconds; ``--preset NAME`` any row by name, e.g.
``hopper/ablation/no_advantage/trust+critic`` or ``hopper/agents/8``.
Trains one method on one env and seed with tqdm progress, TensorBoard logs
under ``runs/`` (and Weights & Biases with ``--track``, offline unless
``WANDB_MODE`` says otherwise) and checkpoints at evaluation boundaries, then
writes the result in the submission format (docs/design.md) through the project's one adapter.

Every field of :class:`~baselines.peer.config.PeerRunConfig` is a flag
(``--lr 1e-3``, ``--method random_advice``, ``--trust.temperature 2``,
``--trust.no-use-critic``), applied over ``--preset``. ``--help`` lists them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from baselines.command_line import overrides, parse_with_preset
from baselines.peer.config import (
    METHOD_DESCRIPTIONS,
    PER_RUN_FIELDS,
    PeerRunConfig,
    smoke,
    with_budget,
)
from baselines.peer.presets import PAPER_RUNS, paper_preset, paper_run
from baselines.peer.train import PeerTraining
from baselines.tracking import wandb_run


def config_dict(config: PeerRunConfig) -> dict[str, Any]:
    """Every knob as plain JSON values (for hashing and for the record)."""
    return json.loads(json.dumps(dataclasses.asdict(config), default=str))


def shared_config_hash(config: PeerRunConfig) -> str:
    """The hash the seeds of one submission share (the leaderboard checks that they do):
    every knob but the per-run ones, the seed and the device."""
    from leaderboard.submission import config_hash

    shared = {k: v for k, v in config_dict(config).items() if k not in PER_RUN_FIELDS}
    return config_hash(shared)


def seed_record(training: PeerTraining) -> dict[str, Any]:
    """One seed's result in the ``benchmarks.methods`` record format."""
    config = config_dict(training.config)
    return {
        "seed": training.config.seed,
        "curve": training.curve,
        "per_peer_curve": training.per_peer_curve,
        "final_returns": training.final_returns,
        "n_peers": len(training.peers),
        # single_nx takes N× a peer's steps; the leaderboard plots it on the per-peer axis
        "sample_multiplier": training.steps_per_peer // training.config.total_steps,
        "advisors": [*training.env.possible_agents, *training.env.core.scripted_names],
        "trust_curve": training.trust_curve,
        "wall_time_s": training.wall_time,
        "config": config,
        "config_hash": shared_config_hash(training.config),
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


def run_options(default_env: str) -> argparse.ArgumentParser:
    """Flags that are not config fields: the env (it picks the preset), outputs, resuming."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument(
        "--env-id", "--env", dest="env_id", default=default_env, help="the env; picks its row"
    )
    parser.add_argument("--logdir", type=Path, default=Path("runs"), help="TensorBoard runs")
    parser.add_argument("--out", type=Path, default=Path("results"), help="the result JSON")
    parser.add_argument("--checkpoint-dir", type=Path, default=None)
    parser.add_argument("--resume", type=Path, default=None, help="a checkpoint .pt to continue")
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--track", action="store_true", help="also log to W&B (offline default)")
    return parser


def _row_for(config: PeerRunConfig, flags: list[str]) -> PeerRunConfig:
    """A row cut to ``--total-steps`` when the flags shorten it (``with_budget`` keeps the
    early-advising share of advised steps, which a plain field override would not)."""
    total = overrides(PeerRunConfig, config, flags).total_steps
    return config if total == config.total_steps else with_budget(config, total)


def _presets(default_env: str) -> dict[str, Callable[[argparse.Namespace, list[str]], Any]]:
    """``paper`` (the env's row of ``--method``), ``smoke`` (that row shrunk to seconds), and
    every row of :data:`baselines.peer.presets.PAPER_RUNS` by name."""

    def method_row(options: argparse.Namespace, flags: list[str]) -> PeerRunConfig:
        method = overrides(PeerRunConfig, paper_preset(options.env_id), flags).method
        return paper_preset(options.env_id, method)

    def paper(options: argparse.Namespace, flags: list[str]) -> PeerRunConfig:
        return _row_for(method_row(options, flags), flags)

    def smoke_row(options: argparse.Namespace, flags: list[str]) -> PeerRunConfig:
        row = method_row(options, flags)
        total = overrides(PeerRunConfig, smoke(row), flags).total_steps
        return smoke(row, total_steps=total)

    def named(name: str) -> Callable[[argparse.Namespace, list[str]], PeerRunConfig]:
        return lambda options, flags: _row_for(paper_run(name).config, flags)

    return {"paper": paper, "smoke": smoke_row, **{name: named(name) for name in PAPER_RUNS}}


def parse_config(
    default_env: str, argv: Sequence[str] | None = None
) -> tuple[PeerRunConfig, argparse.Namespace]:
    """The run's config: ``--preset`` (a row of the paper's runs), then every
    :class:`PeerRunConfig` field as a flag, trust settings included."""

    def cap_eval(config: PeerRunConfig) -> PeerRunConfig:
        return dataclasses.replace(config, eval_every=min(config.eval_every, config.total_steps))

    return parse_with_preset(
        argv,
        PeerRunConfig,
        command=f"python -m baselines.peer.{'dqn' if 'room' in default_env else 'sac'}",
        description=__doc__,
        presets=_presets(default_env),
        default_preset="paper",
        run_options=run_options(default_env),
        finish=cap_eval,
    )


def main(default_env: str, argv: Sequence[str] | None = None) -> PeerTraining:
    config, args = parse_config(default_env, argv)
    training = PeerTraining.load(args.resume) if args.resume is not None else PeerTraining(config)
    cfg = training.config
    name = f"{cfg.env_id}__{cfg.method}__seed{cfg.seed}"
    from torch.utils.tensorboard import SummaryWriter
    from tqdm import tqdm

    with ExitStack() as stack:
        if args.track:
            stack.enter_context(wandb_run(name, config_dict(cfg), args.logdir / name))
        writer = stack.enter_context(SummaryWriter(str(args.logdir / name)))
        bar = stack.enter_context(
            tqdm(
                total=training.steps_per_peer,
                initial=training.steps_done,
                desc=name,
                unit="step",
                disable=args.no_progress,
            )
        )
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
