"""Several seeds of one SAC peer run trained in one process, their gradient steps batched together.

Why: a study runs the same configuration over many seeds, and each seed's
updates are small (a few 150×200 matmuls) and overhead-bound. Stacking the same
peer of every seed into one :class:`~baselines.peer.ensemble.EnsembleSAC` turns
S updates into one batched update. On a GPU that costs about what one update
costs; on one CPU thread it costs about S updates, so the gain there is small
(the measured ratios are in ``docs/performance.md``).

Each seed keeps everything a run alone has: env, peers, buffers, follow
strategy, runner, evaluations, and its own stream of the global generators
(Python, NumPy, torch), swapped in whenever the seed plays its round, samples
its replay batches or draws its update noise. A seed therefore draws exactly
what it draws alone. The seeds share only the gradient step: after every
round of every seed, the peers that asked for updates (the runner's
``update_sink``) take them together. Round robin groups peer k of every seed
(only one peer of a seed learns at a time); lockstep groups every peer of
every seed, as ``ensemble=True`` updates a seed's peers together alone. The
batched update equals the stock one to float tolerance, so a batched seed
follows the same seed run alone (``tests/baselines/test_seed_batch.py``).
Evaluations run together too: the seeds due step every episode of every peer
as one vector of envs, with one batched greedy forward per step.

Only SAC peers batch (the MuJoCo tasks); Room's DQN peers update through
their own lean stock update (:class:`~baselines.peer.learners.SB3DQN`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tianshou.data import Batch

from baselines.peer.checkpoint import restore, snapshot
from baselines.peer.config import PER_RUN_FIELDS, SOLO_METHODS, PeerRunConfig
from baselines.peer.ensemble import EnsembleSAC, stacked_samples
from baselines.peer.learners import SACPeer
from baselines.peer.train import PeerTraining, global_rng_state, set_global_rng_state

SAMPLE_KEYS = ("obs", "act", "rew", "terminated", "obs_next")


class SeedStreams:
    """One seed's state of the global generators, put in place while the seed works."""

    def __init__(self) -> None:
        self.state = global_rng_state()

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """Draw from this seed's streams inside the block; keep where they end."""
        set_global_rng_state(self.state)
        try:
            yield
        finally:
            self.state = global_rng_state()


@dataclass
class UpdateGroup:
    """Peers (seed index, peer index) that always update together, and their ensemble."""

    members: list[tuple[int, int]]
    ensemble: EnsembleSAC


def check_batchable(configs: Sequence[PeerRunConfig]) -> None:
    """Refuse, before anything is built, what one seed batch cannot run as the seeds alone."""
    if not configs:
        raise ValueError("A seed batch needs at least one run configuration.")
    seeds = [c.seed for c in configs]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"A seed batch runs distinct seeds; got {seeds}.")
    shared = [{**dataclasses.asdict(c), **dict.fromkeys(PER_RUN_FIELDS)} for c in configs]
    differing = sorted(k for k in shared[0] if any(s[k] != shared[0][k] for s in shared))
    if differing:
        raise ValueError(
            "A seed batch runs one configuration over several seeds; these differ in "
            f"{', '.join(differing)}."
        )
    first = configs[0]
    if len({c.device for c in configs}) > 1:
        raise ValueError("A seed batch runs on one device; the configurations name several.")
    if first.method == "shared_replay":
        raise ValueError("shared_replay peers share one buffer; seed batching is for own buffers.")
    peers = 1 if first.method in SOLO_METHODS else first.n_peers
    if first.stepping == "lockstep" and peers > 1 and not first.ensemble:
        raise ValueError(
            "Lockstep seed batching updates a seed's peers together at the round's end, as "
            "ensemble=True does alone; set ensemble=True so that each seed runs as it does alone."
        )


class SeedBatchedTraining:
    """``S`` runs of one configuration (seeds differ) whose SAC updates are batched together.

    Args:
        configs: one :class:`~baselines.peer.config.PeerRunConfig` per seed,
            equal in everything but ``seed``.
    """

    def __init__(self, configs: Sequence[PeerRunConfig]) -> None:
        check_batchable(configs)
        self.runs: list[PeerTraining] = []
        self.streams: list[SeedStreams] = []
        for config in configs:
            run = PeerTraining(config)  # seeds the global generators with its own seed first
            if not isinstance(run.peers[0], SACPeer):
                raise ValueError(
                    f"Seed batching batches SAC updates; {config.env_id} trains "
                    f"{type(run.peers[0]).__name__} peers. Run its seeds one by one."
                )
            self.streams.append(SeedStreams())
            self.runs.append(run)
        n = len(self.runs[0].peers)
        together = self.runs[0].runner.ensemble is not None and n > 1 and self._lockstep
        seeds = range(len(self.runs))
        layout = (
            [[(s, i) for s in seeds for i in range(n)]]
            if together
            else [[(s, i) for s in seeds] for i in range(n)]
        )
        self.groups = [
            UpdateGroup(members, EnsembleSAC([self.runs[s].peers[i] for s, i in members]))
            for members in layout
        ]
        self._requests: dict[tuple[int, int], int] = {}
        for s, run in enumerate(self.runs):
            run.runner.update_sink = functools.partial(self._request, s)
        self.wall_time = 0.0

    @property
    def _lockstep(self) -> bool:
        return self.runs[0].config.stepping == "lockstep"

    @property
    def configs(self) -> list[PeerRunConfig]:
        return [run.config for run in self.runs]

    @property
    def steps_done(self) -> int:
        """Env steps per peer so far (every seed is at the same step)."""
        return min(run.steps_done for run in self.runs)

    @property
    def steps_per_peer(self) -> int:
        return self.runs[0].steps_per_peer

    @property
    def next_eval(self) -> int:
        return min(run.next_eval for run in self.runs)

    # ------------------------------------------------------------------ updates
    def _request(self, seed_index: int, peers: list[int], gradient_steps: int) -> None:
        for i in peers:
            self._requests[(seed_index, i)] = gradient_steps

    def _run_requested_updates(self) -> None:
        """The gradient steps this tick's rounds asked for, one batched update per group."""
        for group in self.groups:
            asked = [self._requests.pop(member, None) for member in group.members]
            if all(steps is None for steps in asked):
                continue
            if None in asked or len(set(asked)) > 1:
                raise RuntimeError(
                    f"The seeds of a batch fell out of step: gradient steps asked {asked} for "
                    f"peers {group.members}."
                )
            self._update_group(group, asked[0])
        if self._requests:
            raise RuntimeError(f"Updates asked outside any group: {sorted(self._requests)}.")

    def _update_group(self, group: UpdateGroup, gradient_steps: int) -> None:
        ensemble = group.ensemble
        first = self.runs[0].peers[0]
        batch_size = first.batch_size
        act_dim = int(np.prod(first.policy.action_space.shape))
        by_seed = [
            (s, [i for _, i in members])
            for s, members in groupby(group.members, key=lambda member: member[0])
        ]
        for _ in range(gradient_steps):
            batches, target_noise, actor_noise = [], [], []
            for s, indices in by_seed:
                peers = [self.runs[s].peers[i] for i in indices]
                with self.streams[s].active():  # what seed s draws alone, in its order
                    batches.append(stacked_samples(peers, batch_size))
                    target, actor = ensemble.draw_noise(batch_size, act_dim, len(peers))
                target_noise.append(target)
                actor_noise.append(actor)
            batch = Batch(**{k: np.concatenate([b[k] for b in batches]) for k in SAMPLE_KEYS})
            ensemble._update_with_batch(batch, (torch.cat(target_noise), torch.cat(actor_noise)))
        ensemble.write_back()
        for s, i in group.members:  # each seed's acting ensemble reads the new actors in
            self.runs[s].peers[i].updates += gradient_steps

    # ------------------------------------------------------------------ loop
    def train(
        self,
        until: int | None = None,
        loggers: Sequence[Any] | None = None,
        progress: Any = None,
    ) -> SeedBatchedTraining:
        """Train every seed until ``until`` env steps per peer (default: the whole budget).

        ``loggers``: one TensorBoard writer per seed, or None. Each seed's
        ``wall_time`` is its share of the batch's time (the batch's over ``S``).
        """
        until = self.steps_per_peer if until is None else min(until, self.steps_per_peer)
        start = time.perf_counter()
        while self.steps_done < until:
            before = self.steps_done
            for run, streams in zip(self.runs, self.streams):
                with streams.active():
                    run._update_epsilon()
                    run.runner.run_round()
            self._run_requested_updates()
            if progress is not None and self.steps_done > before:
                progress.update(self.steps_done - before)
            self._evaluate_due(loggers)
        self.wall_time += time.perf_counter() - start
        for run in self.runs:
            run.wall_time = self.wall_time / len(self.runs)
        return self

    # ------------------------------------------------------------------ evaluation
    def _evaluate_due(self, loggers: Sequence[Any] | None) -> None:
        """Evaluate the seeds due for it as one vector: every episode of every peer of every seed.

        One :func:`peerzoo.evaluate` call steps them together, with one batched
        greedy forward per step over all their peers; each seed then records
        its own rows as its evaluation alone would (the protocol is
        deterministic and draws nothing from the seeds' streams).
        """
        due = [k for k, run in enumerate(self.runs) if run.evaluation_due]
        if not due:
            return
        n = len(self.runs[0].peers)
        peers = [peer for k in due for peer in self.runs[k].peers]
        returns = self.runs[0]._evaluate_peers(peers, self.runs[0].config.eval_episodes)
        for j, k in enumerate(due):
            with self.streams[k].active():
                self.runs[k]._record_evaluation(
                    returns[j * n : (j + 1) * n], None if loggers is None else loggers[k]
                )

    # ------------------------------------------------------------------ checkpoints
    def save(self, path: Path) -> None:
        """The whole batch, every seed's streams and task physics included, written atomically."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tasks = [[snapshot(task) for task in run.env.core.tasks] for run in self.runs]
        tmp = path.with_suffix(".tmp")
        torch.save({"batch": self, "tasks": tasks}, tmp)
        tmp.replace(path)

    @staticmethod
    def load(path: Path) -> SeedBatchedTraining:
        state = torch.load(Path(path), weights_only=False)
        batch = state["batch"]
        for run, tasks in zip(batch.runs, state["tasks"]):
            for task, task_state in zip(run.env.core.tasks, tasks):
                restore(task, task_state)
        return batch
