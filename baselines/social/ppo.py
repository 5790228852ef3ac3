"""Train the social learner (recurrent PPO + auxiliary prediction), the vanilla or the solo learner.

    python -m baselines.social.ppo --env-id goal_cycle_v0 --seed 0 --steps 100000
    python -m baselines.social.ppo --preset social_ppo_vanilla  # no prediction head
    python -m baselines.social.ppo --preset solo_ppo_aux        # trained with n_experts=0
    python -m baselines.social.ppo --preset mixed_ppo_aux       # half the episodes alone
    python -m baselines.social.ppo --ppo.lr 3e-4 --network.lstm-size 128 --help
    python -m baselines.social.ppo --device cuda                # the paper's rgb learner, GPU

On a CPU the rgb learner is slow (its convolutions dominate); the fast learner
on the symbolic view is ``python -m baselines.social.fast``.

Every :class:`~baselines.social.config.RunConfig` field is a flag, applied over
the ``--preset``. Logs go to ``runs/social/<method>/<env>/seed<k>`` (TensorBoard;
W&B too with ``--track``); the result record (curve, transfer evaluations) is
written next to them as JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from typing import Any

import numpy as np
import torch
from tianshou.utils.torch_utils import policy_within_training_step

from baselines.command_line import parse_with_preset
from baselines.device import checked_device
from baselines.social.cli import social_run_options, tracked
from baselines.social.config import NetworkConfig, RunConfig, config_hash
from baselines.social.evaluate import evaluation_protocol, learner_returns
from baselines.social.progress import TrainingLog
from baselines.social.recurrent_ppo import RecurrentPPO, build_recurrent_ppo
from baselines.social.results import save_and_report, seed_record
from baselines.social.rollout import StreamCollector, make_social_env, obs_spec
from baselines.social.social_signal import mean_signal


def method_name(config: RunConfig) -> str:
    """``social_ppo_aux``, ``social_ppo_vanilla``, ``solo_ppo_aux`` ... from the config."""
    solo = config.n_experts == 0 or config.solo_fraction >= 1.0
    prefix = "solo" if solo else ("mixed" if config.solo_fraction > 0 else "social")
    return f"{prefix}_ppo_{'aux' if config.network.aux_head else 'vanilla'}"


def slow_on_cpu_note(config: RunConfig) -> str | None:
    """The warning a CPU run of the rgb learner prints (None when it does not apply)."""
    if config.obs_mode != "rgb" or not config.device.startswith("cpu"):
        return None
    return (
        "note: the rgb learner on CPU is slow (about 600 env-steps/s on 2 cores, "
        "10^7 steps ≈ 5 h per seed): use --device cuda, or the fast symbolic learner "
        "`python -m baselines.social.fast`."
    )


def _env_factory(config: RunConfig) -> Any:
    def make(solo: bool) -> Any:
        return make_social_env(
            config.env_id,
            n_learners=config.n_learners,
            n_experts=0 if solo else config.n_experts,
            obs_mode=config.obs_mode,
            max_cycles=config.max_cycles,
            env_kwargs=config.env_kwargs,
        )

    return make


def _network_for(config: NetworkConfig, obs_shape: tuple[int, int, int]) -> NetworkConfig:
    """7×7 symbolic views take a stride-1 first conv (stride 3 is for 3-pixel rgb tiles)."""
    if obs_shape[0] < 3 * config.kernel_size and config.first_stride > 1:
        return dataclasses.replace(config, first_stride=1)
    return config


def build_learner(config: RunConfig, make_env: Any = None) -> tuple[RecurrentPPO, Any]:
    """The algorithm for ``config`` and a probe env (for its spaces)."""
    probe = (make_env or _env_factory(config))(config.n_experts == 0)
    shape, n_actions, scale, action_space = obs_spec(probe)
    algo = build_recurrent_ppo(
        shape,
        n_actions,
        action_space,
        _network_for(config.network, shape),
        config.ppo,
        obs_scale=scale,
    )
    return algo, probe


def train_ppo(config: RunConfig, make_env: Any = None, evaluate: bool = True) -> dict[str, Any]:
    """Train one seed and evaluate it; returns the seed record (see ``results.seed_record``).

    ``make_env(solo: bool)`` replaces the registered env (tests use a stand-in);
    ``evaluate=False`` skips the transfer protocol at the end.
    """
    start = time.perf_counter()
    checked_device(config.device)  # before anything is built
    torch.manual_seed(config.seed)
    np.random.seed(config.seed)
    make_env = make_env or _env_factory(config)
    note = slow_on_cpu_note(config)
    if note:
        print(note, file=sys.stderr)
    algo, probe = build_learner(config, make_env)
    algo.to(config.device)
    net, dist_fn = algo.net, algo.policy.dist_fn
    solo_fraction = 1.0 if config.n_experts == 0 else config.solo_fraction
    collector = StreamCollector(make_env, config.n_envs, net, dist_fn, config.seed, solo_fraction)
    log = TrainingLog(config.steps, config.logdir, config.progress, method_name(config))

    def eval_env() -> Any:
        return make_env(config.n_experts == 0)

    curve: list[list[float]] = []
    per_peer: list[list[float]] = []
    eval_signal: list[dict[str, Any]] = []  # per evaluation: steps and per-episode signals

    def evaluate_now(steps: int) -> None:
        signals: list[dict[str, float] | None] = []
        returns = learner_returns(
            net, dist_fn, eval_env, config.eval_episodes, 10_000 + steps, signals=signals
        )
        curve.append([steps, float(returns.mean())])
        per_peer.append([float(r) for r in returns.mean(axis=0)])
        eval_signal.append({"env_steps": steps, "episodes": signals})
        values = {"eval/return": curve[-1][1]}
        values.update({f"eval/{k}": v for k, v in mean_signal(signals).items()})
        log.scalars(steps, values)

    evaluate_now(0)
    next_eval = config.eval_every
    batch_size = config.ppo.minibatch_seqs * config.ppo.seq_len
    train_episodes: list[dict[str, Any]] = []  # every finished training episode
    while collector.env_steps < config.steps:
        rollout = collector.collect(config.rollout_len)
        with policy_within_training_step(algo.policy):
            stats = algo.update(
                rollout.to_buffer(), batch_size=batch_size, repeat=config.ppo.epochs
            )
        steps = collector.env_steps
        recent = collector.finished_returns[-20:]
        values = {
            "train/loss": stats.loss.mean,
            "train/actor_loss": stats.actor_loss.mean,
            "train/vf_loss": stats.vf_loss.mean,
            "train/entropy": stats.ent_loss.mean,
            "train/aux_loss": stats.aux_loss.mean,
        }
        if recent:
            values["train/episode_return"] = float(np.mean(recent))
        new = range(len(train_episodes), len(collector.finished_returns))
        for i in new:
            episode = {"env_steps": steps, "return": collector.finished_returns[i]}
            episode.update(collector.finished_signal[i] or {})
            train_episodes.append(episode)
        signal = mean_signal([collector.finished_signal[i] for i in new])
        values.update({f"train/{k}": v for k, v in signal.items()})
        log.scalars(steps, values)
        log.advance(min(steps, config.steps), ret=values.get("train/episode_return", 0.0))
        if steps >= next_eval or steps >= config.steps:
            evaluate_now(steps)
            next_eval += config.eval_every
    evaluations = (
        []
        if not evaluate
        else evaluation_protocol(
            net,
            dist_fn,
            train_env_id=config.env_id,
            eval_env_ids=config.eval_envs,
            episodes=config.eval_episodes,
            seed=20_000 + config.seed,
            n_learners=config.n_learners,
            obs_mode=config.obs_mode,
            max_cycles=config.max_cycles,
            env_kwargs=config.env_kwargs,
        )
    )
    log.close()
    probe.close()
    final = next(
        (
            e["returns"]
            for e in evaluations
            if e["eval_env_id"] == config.env_id and e["experts_present"] == (config.n_experts != 0)
        ),
        [curve[-1][1]],
    )
    record = seed_record(
        curve=curve,
        per_peer_curve=per_peer,
        final_returns=final,
        n_peers=collector.n_learners,
        evaluations=evaluations,
        wall_time_s=time.perf_counter() - start,
        config=dataclasses.asdict(config),
        config_hash=config_hash(config),
        seed=config.seed,
        train_experts_present=config.n_experts != 0,
    )
    record["train_episodes"] = train_episodes
    record["eval_social_signal"] = eval_signal
    return record


PRESETS: dict[str, RunConfig] = {
    "social_ppo_aux": RunConfig(),
    "social_ppo_vanilla": RunConfig(network=NetworkConfig(aux_head=False)),
    "solo_ppo_aux": RunConfig(n_experts=0),
    "mixed_ppo_aux": RunConfig(solo_fraction=0.5),
}


def parse_command(argv: list[str] | None = None) -> tuple[RunConfig, argparse.Namespace]:
    """``--preset`` (the method), then every :class:`RunConfig` field as a flag
    (``--steps``, ``--ppo.lr``, ``--network.no-aux-head``, ...); and the run options."""
    config, options = parse_with_preset(
        argv,
        RunConfig,
        command="python -m baselines.social.ppo",
        description=__doc__ or "",
        presets={name: lambda options, flags, c=c: c for name, c in PRESETS.items()},
        default_preset="social_ppo_aux",
        run_options=social_run_options(),
    )
    torch.set_num_threads(options.threads)
    logdir = config.logdir or f"runs/social/{method_name(config)}/{config.env_id}/seed{config.seed}"
    return dataclasses.replace(config, logdir=logdir), options


def parse_args(argv: list[str] | None = None) -> RunConfig:
    """The run's config from the command line (see :func:`parse_command`)."""
    return parse_command(argv)[0]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    config, options = parse_command(argv)
    with tracked(options, method_name(config), config):
        record = train_ppo(config)
    save_and_report(record, config.logdir)
    return record


if __name__ == "__main__":
    main()
