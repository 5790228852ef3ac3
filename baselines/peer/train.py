"""Build a peer group for a :class:`PeerRunConfig`, train it, evaluate it, checkpoint it.

One top-to-bottom training run: ``PeerTraining(config).train()``. Evaluation
(``eval_episodes`` deterministic episodes of each peer's *own* policy, on a
fresh single-peer copy of the task) happens every ``eval_every`` env steps per
peer; checkpoints are written at those boundaries, and a run loaded from one
continues exactly as the uninterrupted run does (every RNG is in the state).
"""

from __future__ import annotations

import dataclasses
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from gymnasium import spaces

import peerzoo
from baselines.device import checked_device
from baselines.peer.checkpoint import restore, snapshot
from baselines.peer.comparisons import ADVISED_METHODS, follow_strategy
from baselines.peer.config import SOLO_METHODS, PeerRunConfig
from baselines.peer.ensemble import EnsembleSAC, StackedGreedyActors
from baselines.peer.learners import DQNPeer, SACPeer
from baselines.peer.runner import PeerRunner
from baselines.peer.trust import PeerTrustStrategy


def seed_everything(seed: int) -> None:
    """Tianshou draws exploration from numpy's and torch's global generators."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def global_rng_state() -> dict[str, Any]:
    """The generators a run draws from besides its own (Python, NumPy, torch CPU and CUDA)."""
    return {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
    }


def set_global_rng_state(state: dict[str, Any]) -> None:
    """Put back what :func:`global_rng_state` took."""
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if state.get("cuda") is not None:  # a GPU run's sampling draws from these
        torch.cuda.set_rng_state_all(state["cuda"])


def greedy_policy(peers: list[Any], stack: bool = True) -> Any:
    """The peers as one :func:`peerzoo.evaluate` policy: each row acts greedily with its peer.

    SAC peers of one kind act in one batched forward over all rows
    (:class:`~baselines.peer.ensemble.StackedGreedyActors`) when every peer
    owns as many rows as the others (as :func:`peerzoo.evaluate` lays them
    out); otherwise, for DQN peers, and with ``stack=False`` (the benchmark's
    baseline), each peer acts on its own rows.
    """
    one_sac_kind = (
        all(isinstance(p, SACPeer) for p in peers) and len({type(p.policy) for p in peers}) == 1
    )
    stacked = StackedGreedyActors(peers) if stack and one_sac_kind else None

    def policy(observations: np.ndarray, rows: np.ndarray) -> np.ndarray:
        obs = np.asarray(observations, np.float32)
        rows = np.asarray(rows)
        counts = np.bincount(rows, minlength=len(peers))
        if stacked is not None and len(counts) == len(peers) and (counts == counts[0]).all():
            order = np.argsort(rows, kind="stable")  # peer-major: (N, rows per peer)
            acts = stacked(obs[order].reshape(len(peers), counts[0], *obs.shape[1:]))
            out = np.empty((len(rows), *acts.shape[2:]), acts.dtype)
            out[order] = acts.reshape(len(rows), *acts.shape[2:])
            return out
        actions: np.ndarray | None = None
        for index in np.unique(rows):
            mine = rows == index
            act = np.asarray(peers[index].act(obs[mine], explore=False))
            if actions is None:
                actions = np.zeros((len(rows), *act.shape[1:]), act.dtype)
            actions[mine] = act
        return actions

    return policy


class PeerTraining:
    """The state of one run: env, peers, follow strategy, runner, evaluation curve."""

    def __init__(self, config: PeerRunConfig) -> None:
        self.config = cfg = config
        checked_device(cfg.device)  # before anything is built
        seed_everything(cfg.seed)
        solo = cfg.method in SOLO_METHODS
        n_peers = 1 if solo else cfg.n_peers
        self.steps_per_peer = cfg.total_steps * (cfg.n_peers if cfg.method == "single_nx" else 1)
        advises = cfg.method in ADVISED_METHODS and n_peers > 1
        stepping = cfg.env_stepping if n_peers > 1 else "lockstep"
        self.env = peerzoo.make(
            cfg.env_id,
            api="parallel",
            n_peers=n_peers,
            advice="always" if advises else None,
            stepping=stepping,
            autoreset=True,
            **cfg.task_kwargs,
        )
        agent = self.env.possible_agents[0]
        obs_space = self.env.observation_space(agent)["observation"]
        act_space = self.env.action_space(agent)
        self.peers = [self._make_peer(obs_space, act_space) for _ in range(n_peers)]
        if cfg.method == "shared_replay":  # breaks the peer rule on purpose: an upper bound
            for peer in self.peers[1:]:
                peer.buffer = self.peers[0].buffer
        self.strategy = follow_strategy(
            cfg.method, n_peers, self.env.core.n_total, obs_space.shape, cfg.trust, cfg.gamma
        )
        self.ensemble = None
        if cfg.ensemble and n_peers > 1 and isinstance(self.peers[0], SACPeer):
            if cfg.method == "shared_replay":
                raise ValueError(
                    "ensemble=True samples each peer's own buffer; not for shared_replay."
                )
            self.ensemble = EnsembleSAC(self.peers)
        self.runner = PeerRunner(
            self.env,
            self.peers,
            self.strategy,
            train_every=cfg.train_every,
            gradient_steps=cfg.gradient_steps,
            learning_starts=cfg.learning_starts,
            total_steps=self.steps_per_peer,
            epoch_length=cfg.epoch_length,
            max_peer_epochs=cfg.max_peer_epochs,
            gamma=cfg.gamma,
            seed=cfg.seed,
            ensemble=self.ensemble,
        )
        self.curve: list[list[float]] = []  # [steps per peer, mean return over peers]
        self.per_peer_curve: list[list[float]] = []  # per curve point, each peer's mean
        self.final_returns: list[float] = []
        self.trust_curve: list[dict[str, Any]] = []  # per curve point: follows, trust, agent values
        self.next_eval = cfg.eval_every
        self.wall_time = 0.0

    # ------------------------------------------------------------------ build
    def _make_peer(self, obs_space: spaces.Box, act_space: spaces.Space) -> Any:
        cfg = self.config
        kwargs = dict(
            hidden_sizes=cfg.hidden_sizes,
            lr=cfg.lr,
            gamma=cfg.gamma,
            tau=cfg.tau,
            buffer_size=cfg.buffer_size,
            batch_size=cfg.batch_size,
            device=cfg.device,
        )
        if isinstance(act_space, spaces.Discrete):
            return DQNPeer(
                obs_space,
                act_space,
                **kwargs,
                target_update_interval=cfg.target_update_interval,
                max_grad_norm=cfg.max_grad_norm,
                epsilon_greedy=cfg.epsilon_greedy,
                exploration_initial_eps=cfg.exploration_initial_eps,
                exploration_final_eps=cfg.exploration_final_eps,
                exploration_fraction=cfg.exploration_fraction,
            )
        return SACPeer(
            obs_space,
            act_space,
            **kwargs,
            use_sde=cfg.use_sde,
            log_std_init=cfg.log_std_init,
            sde_sample_freq=cfg.sde_sample_freq,
            full_std=cfg.full_std,
            learn_features=cfg.learn_features,
            train_freq=cfg.train_every,
        )

    # ------------------------------------------------------------------ loop
    @property
    def steps_done(self) -> int:
        """Env steps per peer so far (mean over peers; equal in lockstep)."""
        return int(self.runner.stats.env_steps.mean())

    def _update_epsilon(self) -> None:
        """Stable-Baselines3 1.5's DQN schedule as the original's epochs drive it.

        Each epoch is a ``learn(epoch_length, reset_num_timesteps=False)`` call, so
        the schedule's progress is t / (end of the current epoch): ε falls
        linearly over the first ``exploration_fraction`` of the first epoch and
        stays at its final value from then on.

        Which actions are ε-greedy follows the original too: in a peer epoch its
        ``Peer.learn`` swaps SB3's ε-greedy ``predict`` for ``get_action``, which
        asks every policy's greedy ``policy.predict``; a solo epoch (early
        advising past ``--max-peer-epochs``) keeps SB3's own ε-greedy ``predict``.
        """
        cfg = self.config
        for i, peer in enumerate(self.peers):
            if isinstance(peer, DQNPeer):
                peer.epsilon_greedy = cfg.epsilon_greedy or not self.runner.advising(i)
                t = int(self.runner.stats.env_steps[i])
                end = (t // cfg.epoch_length + 1) * cfg.epoch_length
                peer.set_exploration_progress(t / end)

    def train(
        self,
        until: int | None = None,
        checkpoint_dir: Path | None = None,
        logger: Any = None,
        progress: Any = None,
    ) -> PeerTraining:
        """Train until ``until`` env steps per peer (default: the whole budget)."""
        until = self.steps_per_peer if until is None else min(until, self.steps_per_peer)
        start = time.perf_counter()
        while self.steps_done < until:
            before = self.steps_done
            self._update_epsilon()
            self.runner.run_round()
            if progress is not None and self.steps_done > before:
                progress.update(self.steps_done - before)
            if self.evaluation_due:
                self.wall_time += time.perf_counter() - start
                start = time.perf_counter()
                self._evaluate(logger)
                if checkpoint_dir is not None:
                    self.save(Path(checkpoint_dir) / f"step_{self.steps_done}.pt")
        self.wall_time += time.perf_counter() - start
        return self

    # ------------------------------------------------------------------ evaluation
    @property
    def evaluation_due(self) -> bool:
        """At an evaluation boundary, or at the end of the budget."""
        return self.steps_done >= self.next_eval or self.steps_done >= self.steps_per_peer

    def evaluate_peer(self, peer: Any, episodes: int) -> list[float]:
        """Deterministic episodes of one peer's own policy (:func:`peerzoo.evaluate`)."""
        return [float(r) for r in self._evaluate_peers([peer], episodes)[0]]

    def _evaluate_peers(self, peers: list[Any], episodes: int) -> np.ndarray:
        """(peers, episodes) returns under the one protocol, all episodes as one vector."""
        return peerzoo.evaluate(
            greedy_policy(peers),
            self.config.env_id,
            episodes=episodes,
            seed=peerzoo.EVAL_SEED,
            n_peers=len(peers),
            env_kwargs=self.config.task_kwargs,
        )

    def _evaluate(self, logger: Any) -> None:
        self._record_evaluation(self._evaluate_peers(self.peers, self.config.eval_episodes), logger)

    def _record_evaluation(self, per_peer: np.ndarray, logger: Any) -> None:
        """Add one evaluation's (peers, episodes) returns to the curves, trust log and logger."""
        cfg = self.config
        means = [float(np.mean(r)) for r in per_peer]
        step = self.steps_done
        self.curve.append([step, float(np.mean(means))])
        self.per_peer_curve.append(means)
        self.final_returns = [
            float(np.mean([r[e] for r in per_peer])) for e in range(len(per_peer[0]))
        ]
        self.next_eval = (step // cfg.eval_every + 1) * cfg.eval_every
        self.trust_curve.append(trust_snapshot(step, self.runner, self.strategy))
        if logger is not None:
            logger.add_scalar("eval/mean_return", self.curve[-1][1], step)
            for i, m in enumerate(means):
                logger.add_scalar(f"eval/peer_{i}_return", m, step)
            counts = self.runner.stats.follow_counts
            for k in range(counts.shape[1]):
                logger.add_scalar(
                    f"follow/fraction_{k}", counts[:, k].sum() / max(1, counts.sum()), step
                )
            if isinstance(self.strategy, PeerTrustStrategy):
                for k, v in enumerate(self.strategy.agent_values.values):
                    logger.add_scalar(f"trust/agent_value_{k}", v, step)
                for i, trust in enumerate(self.strategy.trusts):
                    for k, v in enumerate(trust.trust.values):
                        logger.add_scalar(f"trust/peer_{i}_trust_value_{k}", v, step)

    # ------------------------------------------------------------------ checkpoints
    def save(self, path: Path) -> None:
        """Everything, RNG states included, so that a loaded run continues bit for bit."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        rng = global_rng_state()
        tmp = path.with_suffix(".tmp")
        tasks = [snapshot(task) for task in self.env.core.tasks]
        torch.save({"training": self, "rng": rng, "tasks": tasks}, tmp)
        tmp.replace(path)

    @staticmethod
    def load(path: Path) -> PeerTraining:
        state = torch.load(Path(path), weights_only=False)
        set_global_rng_state(state["rng"])
        training = state["training"]
        for task, task_state in zip(training.env.core.tasks, state["tasks"]):
            restore(task, task_state)
        return training

    def summary(self) -> dict[str, Any]:
        """The run's results (curve, final returns, config) for the submission writer."""
        return {
            "config": dataclasses.asdict(self.config),
            "curve": self.curve,
            "per_peer_curve": self.per_peer_curve,
            "final_returns": self.final_returns,
            "wall_time_s": self.wall_time,
            "follow_counts": self.runner.stats.follow_counts.tolist(),
        }


def trust_snapshot(step: int, runner: PeerRunner, strategy: Any) -> dict[str, Any]:
    """What each learner follows and believes at an evaluation point, for the studies.

    ``follow_counts[i][k]``: cumulative ACT turns on which learner i executed
    candidate k's action (learners, then scripted peers); ``trust_values[i]``:
    learner i's own trust in each candidate; ``agent_values``: the group-wide
    values (Derstroff et al. 2024, Eq. 6-7). Values are ``None`` for methods
    without them.
    """
    trusting = isinstance(strategy, PeerTrustStrategy)
    return {
        "step": step,
        "follow_counts": runner.stats.follow_counts.tolist(),
        "trust_values": [t.trust.values.tolist() for t in strategy.trusts] if trusting else None,
        "agent_values": strategy.agent_values.values.tolist() if trusting else None,
    }
