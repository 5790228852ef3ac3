"""Behaviour cloning of the scripted experts: the paper's imitation baseline.

    python -m baselines.social.bc --env-id goal_cycle_v0 --seed 0 --steps 20000

The learner (the same recurrent network, without the prediction head) is
trained by cross-entropy to output what a scripted expert would do in the
learner's own place, on its own egocentric observations, in 16-step sequences
from stored LSTM states. With ``beta=1`` the expert's action is always
executed (plain cloning of demonstrations); ``beta<1`` executes the learner's
own action otherwise (DAgger-style), which exposes it to its own mistakes.
The action-match rate is measured on held-out demonstrations (fresh seeds,
the expert acting) and, as ``own`` match, on the states the learner reaches
acting itself, where covariate shift shows.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from tianshou.utils.net.discrete import dist_fn_categorical_from_logits

from baselines.command_line import parse_with_preset
from baselines.social.cli import social_run_options, tracked
from baselines.social.config import BCConfig, config_hash
from baselines.social.evaluate import evaluation_protocol, learner_returns
from baselines.social.networks import SocialNet
from baselines.social.progress import TrainingLog
from baselines.social.results import save_and_report, seed_record
from baselines.social.rollout import ExpertActionFn, StreamCollector, make_social_env, obs_spec
from baselines.social.rollout_data import Rollout
from baselines.social.social_signal import mean_signal


class BehaviourCloning:
    """Cross-entropy on the experts' actions over sequences from stored LSTM states."""

    def __init__(self, net: SocialNet, lr: float, seq_len: int = 16) -> None:
        self.net, self.seq_len = net, seq_len
        self.optim = torch.optim.Adam(net.parameters(), lr=lr)
        self.dist_fn = dist_fn_categorical_from_logits

    def update(self, rollout: Rollout, minibatch_seqs: int, epochs: int) -> float:
        """Train on ``rollout`` (which must carry ``expert_act``); returns the mean loss."""
        if rollout.expert_act is None:
            raise ValueError("behaviour cloning needs a rollout collected with expert actions")
        n_chunks = rollout.length // self.seq_len
        n_seqs = rollout.n_streams * n_chunks
        losses = []
        for _ in range(epochs):
            order = torch.randperm(n_seqs, device="cpu").numpy()  # the host generator
            for start in range(0, n_seqs, minibatch_seqs):
                seq = order[start : start + minibatch_seqs]
                streams, starts = seq // n_chunks, (seq % n_chunks) * self.seq_len
                steps = starts[:, None] + np.arange(self.seq_len)[None, :]
                rows = streams[:, None]
                dev = self.net.device
                state = (
                    torch.as_tensor(rollout.h0[streams, starts], device=dev),
                    torch.as_tensor(rollout.c0[streams, starts], device=dev),
                )
                core, _ = self.net.unroll(
                    rollout.obs[rows, steps], state, rollout.episode_start[rows, steps]
                )
                logits = self.net.logits(core)
                target = torch.as_tensor(rollout.expert_act[rows, steps], device=dev).long()
                loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))
                self.optim.zero_grad()
                loss.backward()
                self.optim.step()
                losses.append(loss.item())
        return float(np.mean(losses))


def action_match_rate(rollout: Rollout, net: SocialNet) -> float:
    """Fraction of steps where the learner's most likely action equals the expert's.

    Each stream is re-run from its first step with the current network, so the
    memory is the one the network itself builds (``rollout`` should start at
    episode starts, as a fresh collector's does).
    """
    assert rollout.expert_act is not None
    dev = net.device
    state = (
        torch.as_tensor(rollout.h0[:, 0], device=dev),
        torch.as_tensor(rollout.c0[:, 0], device=dev),
    )
    with torch.no_grad():
        core, _ = net.unroll(rollout.obs, state, rollout.episode_start)
        greedy = net.logits(core).argmax(-1).cpu().numpy()
    return float(np.mean(greedy == rollout.expert_act))


def held_out_match(
    make_env: Any,
    net: SocialNet,
    seed: int,
    steps: int,
    expert_action: Any = None,
    beta: float = 1.0,
) -> float:
    """Action match on fresh episodes from seed ``seed``: the expert's own (``beta=1``,
    held-out demonstrations) or the learner's (``beta=0``, the states it visits itself)."""
    extra = {} if expert_action is None else {"expert_action": expert_action}
    collector = StreamCollector(
        make_env,
        2,
        net,
        dist_fn_categorical_from_logits,
        seed,
        act_source="expert",
        beta=beta,
        **extra,
    )
    return action_match_rate(collector.collect(steps), net)


def _env_factory(config: BCConfig) -> Any:
    def make(solo: bool) -> Any:
        return make_social_env(
            config.env_id,
            obs_mode=config.obs_mode,
            max_cycles=config.max_cycles,
            env_kwargs=config.env_kwargs,
        )

    return make


def train_bc(
    config: BCConfig,
    make_env: Any = None,
    expert_action: ExpertActionFn | None = None,
    evaluate: bool = True,
) -> dict[str, Any]:
    """Clone the experts for ``config.steps`` env steps; returns the seed record.

    The record also carries the action-match curves and, under ``"net"``, the
    trained network (not JSON: callers pop it before writing).

    ``make_env`` / ``expert_action`` replace the registered env and its expert
    accessor (tests use a stand-in); ``evaluate=False`` skips the transfer protocol.
    """
    start = time.perf_counter()
    torch.manual_seed(config.seed)
    make_env = make_env or _env_factory(config)
    probe = make_env(False)
    shape, n_actions, scale, _ = obs_spec(probe)
    net_config = config.network
    if shape[0] < 9 and net_config.first_stride > 1:
        net_config = dataclasses.replace(net_config, first_stride=1)
    net = SocialNet(shape, n_actions, net_config, obs_scale=scale)
    bc = BehaviourCloning(net, config.lr, config.seq_len)
    extra = {} if expert_action is None else {"expert_action": expert_action}
    demos = StreamCollector(
        make_env,
        config.n_envs,
        net,
        bc.dist_fn,
        config.seed,
        act_source="expert",
        beta=config.beta,
        **extra,
    )
    log = TrainingLog(config.steps, config.logdir, config.progress, "behaviour_cloning")
    curve: list[list[float]] = []
    match_curve: list[list[float]] = []
    own_match_curve: list[list[float]] = []
    next_eval = 0
    while True:
        steps = demos.env_steps
        if steps >= next_eval or steps >= config.steps:
            eval_seed = 1_000_000 + config.seed
            match = held_out_match(make_env, net, eval_seed, config.match_steps, expert_action)
            own = held_out_match(make_env, net, eval_seed, config.match_steps, expert_action, 0.0)
            match_curve.append([steps, match])
            own_match_curve.append([steps, own])
            if evaluate:
                signals: list[dict[str, float] | None] = []
                returns = learner_returns(
                    net,
                    bc.dist_fn,
                    lambda: make_env(False),
                    config.eval_episodes,
                    10_000 + steps,
                    signals=signals,
                )
                curve.append([steps, float(np.mean(returns))])
                values = {"eval/return": curve[-1][1]}
                values.update({f"eval/{k}": v for k, v in mean_signal(signals).items()})
                log.scalars(steps, values)
            log.scalars(steps, {"eval/action_match": match, "eval/action_match_own": own})
            next_eval += config.eval_every
        if steps >= config.steps:
            break
        loss = bc.update(demos.collect(config.rollout_len), config.minibatch_seqs, config.epochs)
        log.scalars(demos.env_steps, {"train/bc_loss": loss})
        log.advance(min(demos.env_steps, config.steps), loss=loss)
    evaluations = []
    if evaluate:
        evaluations = evaluation_protocol(
            net,
            bc.dist_fn,
            train_env_id=config.env_id,
            eval_env_ids=config.eval_envs,
            episodes=config.eval_episodes,
            seed=20_000 + config.seed,
            obs_mode=config.obs_mode,
            max_cycles=config.max_cycles,
            env_kwargs=config.env_kwargs,
        )
    log.close()
    final = next(
        (
            e["returns"]
            for e in evaluations
            if e["eval_env_id"] == config.env_id and e["experts_present"]
        ),
        [curve[-1][1]] if curve else [],
    )
    record = seed_record(
        curve=curve or [[s, 0.0] for s, _ in match_curve],
        per_peer_curve=[[r] for _, r in curve] or [[0.0] for _ in match_curve],
        final_returns=final,
        n_peers=1,
        evaluations=evaluations,
        wall_time_s=time.perf_counter() - start,
        config=dataclasses.asdict(config),
        config_hash=config_hash(config),
        seed=config.seed,
        train_experts_present=True,
    )
    record["action_match_curve"] = match_curve  # on held-out expert demonstrations
    record["own_action_match_curve"] = own_match_curve  # on the learner's own states
    record["net"] = net
    return record


def parse_command(argv: list[str] | None = None) -> tuple[BCConfig, argparse.Namespace]:
    """Every :class:`BCConfig` field as a flag (``--steps``, ``--beta``, ``--lr``, ...)
    over the paper's imitation baseline; and the run options."""
    config, options = parse_with_preset(
        argv,
        BCConfig,
        command="python -m baselines.social.bc",
        description=__doc__ or "",
        presets={"bc": lambda options, flags: BCConfig()},
        default_preset="bc",
        run_options=social_run_options(),
    )
    torch.set_num_threads(options.threads)
    logdir = config.logdir or f"runs/social/bc/{config.env_id}/seed{config.seed}"
    return dataclasses.replace(config, logdir=logdir), options


def parse_args(argv: list[str] | None = None) -> BCConfig:
    """The run's config from the command line (see :func:`parse_command`)."""
    return parse_command(argv)[0]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    config, options = parse_command(argv)
    with tracked(options, "bc", config):
        record = train_bc(config)
    record.pop("net")
    print(f"action match: {record['action_match_curve'][-1][1]:.3f}")
    save_and_report(record, config.logdir)
    return record


if __name__ == "__main__":
    main()
