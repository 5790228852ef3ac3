"""Train the social learner (recurrent PPO + auxiliary prediction), the vanilla or the solo learner.

    python -m baselines.social.ppo --env goal_cycle_v0 --seed 0 --steps 100000
    python -m baselines.social.ppo --no-aux            # vanilla: no prediction head
    python -m baselines.social.ppo --solo              # solo PPO: trained with n_experts=0
    python -m baselines.social.ppo --solo-fraction 0.5 # mixed: half the episodes without experts
    python -m baselines.social.ppo --device cuda       # the paper's rgb configuration on a GPU

On a CPU the rgb learner is slow (its convolutions dominate); the fast learner
on the symbolic view is ``python -m baselines.social.fast``.

Logs go to ``runs/social/<method>/<env>/seed<k>`` (TensorBoard); the result
record (curve, transfer evaluations) is written next to them as JSON.
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

from baselines.social.config import NetworkConfig, PPOConfig, RunConfig, config_hash
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
    eval_env = make_env(config.n_experts == 0)
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


def parse_args(argv: list[str] | None = None) -> RunConfig:
    defaults, ppo_defaults = RunConfig(), PPOConfig()
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--env", default=defaults.env_id)
    p.add_argument("--seed", type=int, default=defaults.seed)
    p.add_argument("--steps", type=int, default=defaults.steps, help="env steps per learner")
    p.add_argument("--no-aux", action="store_true", help="vanilla learner: no prediction head")
    p.add_argument("--solo", action="store_true", help="solo PPO: train with n_experts=0")
    p.add_argument("--solo-fraction", type=float, default=defaults.solo_fraction)
    p.add_argument("--n-experts", type=int, default=None)
    p.add_argument("--n-learners", type=int, default=defaults.n_learners)
    p.add_argument("--n-envs", type=int, default=defaults.n_envs)
    p.add_argument("--rollout-len", type=int, default=defaults.rollout_len)
    p.add_argument("--minibatch-seqs", type=int, default=ppo_defaults.minibatch_seqs)
    p.add_argument("--epochs", type=int, default=ppo_defaults.epochs)
    p.add_argument("--lr", type=float, default=ppo_defaults.lr)
    p.add_argument("--aux-coef", type=float, default=ppo_defaults.aux_coef)
    p.add_argument("--obs-mode", default=defaults.obs_mode, choices=["rgb", "symbolic"])
    p.add_argument("--max-cycles", type=int, default=defaults.max_cycles)
    p.add_argument("--eval-every", type=int, default=defaults.eval_every)
    p.add_argument("--eval-episodes", type=int, default=defaults.eval_episodes)
    p.add_argument("--eval-envs", nargs="*", default=[], help="default: train env + transfers")
    p.add_argument("--logdir", default=None, help="default: runs/social/<method>/<env>/seed<k>")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    p.add_argument("--device", default=defaults.device, help="cpu, cuda, cuda:1, ...")
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    config = RunConfig(
        device=a.device,
        env_id=a.env,
        seed=a.seed,
        steps=a.steps,
        n_envs=a.n_envs,
        rollout_len=a.rollout_len,
        n_learners=a.n_learners,
        n_experts=0 if a.solo else a.n_experts,
        solo_fraction=a.solo_fraction,
        obs_mode=a.obs_mode,
        max_cycles=a.max_cycles,
        eval_every=a.eval_every,
        eval_episodes=a.eval_episodes,
        eval_envs=tuple(a.eval_envs),
        progress=not a.no_progress,
        network=NetworkConfig(aux_head=not a.no_aux),
        ppo=dataclasses.replace(
            ppo_defaults,
            lr=a.lr,
            aux_coef=a.aux_coef,
            minibatch_seqs=a.minibatch_seqs,
            epochs=a.epochs,
        ),
    )
    logdir = a.logdir or f"runs/social/{method_name(config)}/{config.env_id}/seed{config.seed}"
    return dataclasses.replace(config, logdir=logdir)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    config = parse_args(argv)
    record = train_ppo(config)
    save_and_report(record, config.logdir)
    return record


if __name__ == "__main__":
    main()
