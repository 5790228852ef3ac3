"""Rows: the named training configurations a study is made of.

A peer row is one command of the peer-learning paper's ``Experiments.md`` (peer
learning, single agent, random advice, early advising, a group size, the
adversarial setting), applied to an env at a sweep preset's budget. Studies
name rows; :func:`preset_row` is the one lookup from a name to what is run, and
:func:`row_config` the one place a row becomes a :class:`PeerRunConfig` (the
paper preset of the env's family, via ``baselines.peer.benchmark.config_for``,
then the row's overrides). A social row (:mod:`benchmarks.studies.social_rows`)
is one method of the fast social learner.

Each row is also a sweep method: its entry point is
``benchmarks.studies.rows:<row name>`` (resolved by the module ``__getattr__``),
so the sweep runner runs a study's jobs like any other method's.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.methods import MethodSpec
from benchmarks.presets import Budget
from benchmarks.studies.social_rows import (
    SOCIAL_FAMILIES,
    SOCIAL_ROWS,
    run_social_row,
    time_social_row,
)

PEER_FAMILIES = ("mujoco", "room")
# Set by ``run_all.py --study`` for its local workers: the root of the in-job checkpoints.
CHECKPOINT_ROOT_VARIABLE = "PEERZOO_STUDY_CHECKPOINTS"


@dataclass(frozen=True)
class PresetRow:
    """One named configuration: a peer method plus the overrides of its paper command.

    Attributes:
        name: the sweep's method label, the results folder and the leaderboard's method name.
        method: the ``baselines.peer`` method (``peer``, ``single``, ...).
        description: one line for the leaderboard entry.
        n_peers: learners in the group (``None``: the env family's paper value).
        task_kwargs: keyword arguments for ``peerzoo.make`` (e.g. which scripted peers advise).
        advantage: ``--use-advantage`` where the row's command differs from the env's peer
            row (``None``: the env's own row). The paper's group-size runs
            (``Number of Agents``, ``hopper/agents/N``) have it off.
    """

    name: str
    method: str
    description: str
    n_peers: int | None = None
    task_kwargs: dict[str, Any] = field(default_factory=dict)
    advantage: bool | None = None


_PEER = "Peer learning (Derstroff et al. 2024): critic + trust values + agent values"

PRESET_ROWS: dict[str, PresetRow] = {
    row.name: row
    for row in (
        PresetRow("peer", "peer", _PEER),
        PresetRow("single", "single", "Single agent, same budget"),
        PresetRow(
            "random_advice",
            "random_advice",
            "Follow a uniformly random peer (self included), held follow_steps",
        ),
        PresetRow(
            "early_advising",
            "early_advising",
            "Follow a random other peer early in training, then train solo",
        ),
        PresetRow("peer_2peers", "peer", f"{_PEER}; 2 peers", n_peers=2, advantage=False),
        PresetRow("peer_4peers", "peer", f"{_PEER}; 4 peers", n_peers=4, advantage=False),
        PresetRow("peer_8peers", "peer", f"{_PEER}; 8 peers", n_peers=8, advantage=False),
        # The paper's adversarial setting: two DQN learners and one scripted adversary
        # (``--mix-agents DQN DQN Adversarial``), no expert.
        PresetRow(
            "peer_vs_adversary",
            "peer",
            f"{_PEER}; 2 learners and a scripted adversary",
            task_kwargs={"scripted": ["adversary"]},
        ),
    )
}


def row_names() -> list[str]:
    """Every row a study can name: the peer rows and the social rows."""
    return sorted({*PRESET_ROWS, *SOCIAL_ROWS})


def preset_row(name: str) -> PresetRow:
    """The peer row called ``name``; a clear error naming the valid rows otherwise."""
    try:
        return PRESET_ROWS[name]
    except KeyError:
        raise KeyError(f"unknown preset row {name!r}; valid rows: {row_names()}") from None


def row_config(name: str, env_id: str, seed: int, budget: Budget) -> Any:
    """The :class:`~baselines.peer.config.PeerRunConfig` of row ``name`` on ``env_id``."""
    from baselines.peer.benchmark import config_for

    row = preset_row(name)
    config = config_for(env_id, row.method, seed, budget)
    overrides: dict[str, Any] = {}
    if row.n_peers is not None:
        overrides["n_peers"] = row.n_peers
    if row.task_kwargs:
        overrides["task_kwargs"] = {**config.task_kwargs, **row.task_kwargs}
    if row.advantage is not None:
        overrides["trust"] = dataclasses.replace(config.trust, advantage=row.advantage)
    return dataclasses.replace(config, **overrides)


def checkpoint_folder(name: str, env_id: str, seed: int | list[int]) -> Path | None:
    """Where a job of row ``name`` (or a batch of its ``seeds``) keeps its latest
    checkpoint, when the study asked for one."""
    root = os.environ.get(CHECKPOINT_ROOT_VARIABLE)
    if not root:
        return None
    leaf = f"seed{seed}" if isinstance(seed, int) else "seeds" + "-".join(map(str, seed))
    return Path(root) / env_id / name / leaf


def run_row(
    name: str, env_id: str, seed: int, budget: Budget, device: str = "cpu"
) -> dict[str, Any]:
    """Train row ``name`` on ``env_id`` for one seed on ``device``; the sweep's seed record.

    With a checkpoint folder (:func:`checkpoint_folder`), the run saves itself at
    every evaluation and a rerun of the same job continues from the latest save
    (bit for bit: every RNG is in it) instead of from step 0, so killing an
    hours-long job costs at most one evaluation interval. A save made for another
    configuration (another budget) is ignored. The folder goes once the record exists.
    """
    from baselines.peer.cli import seed_record
    from baselines.peer.train import PeerTraining

    config = dataclasses.replace(row_config(name, env_id, seed, budget), device=device)
    folder = checkpoint_folder(name, env_id, seed)
    training = _train_resumably(
        lambda: PeerTraining(config),
        PeerTraining.load,
        lambda saved: saved.config == config,
        folder,
    )
    return seed_record(training)


def run_row_seed_batch(
    name: str, env_id: str, seeds: list[int], budget: Budget, device: str = "cpu"
) -> list[dict[str, Any]]:
    """Train row ``name`` on ``env_id`` for ``seeds`` together; their seed records, in order.

    The seeds train as one :class:`~baselines.peer.seed_batch.SeedBatchedTraining`
    (SAC rows only), resumable as :func:`run_row` is, from a checkpoint of the
    whole batch. Each record names the batch (``seed_batch``): a seed's numbers
    equal those of the same seed alone up to float rounding, which a long run
    amplifies, so the batch is part of what reproduces them.
    """
    from baselines.peer.cli import seed_record
    from baselines.peer.seed_batch import SeedBatchedTraining

    configs = [
        dataclasses.replace(row_config(name, env_id, seed, budget), device=device) for seed in seeds
    ]
    folder = checkpoint_folder(name, env_id, seeds)
    batch = _train_resumably(
        lambda: SeedBatchedTraining(configs),
        SeedBatchedTraining.load,
        lambda saved: saved.configs == configs,
        folder,
    )
    return [{**seed_record(run), "seed_batch": list(seeds)} for run in batch.runs]


def _train_resumably(
    fresh: Callable[[], Any],
    load: Callable[[Path], Any],
    matches: Callable[[Any], bool],
    folder: Path | None,
) -> Any:
    """Train what ``fresh`` builds, or the save in ``folder`` that ``matches``, to its end,
    saving at every evaluation; the folder goes once training is done."""
    latest = folder / "latest.pt" if folder else None
    training = None
    if latest is not None and latest.exists():
        training = load(latest)
        if not matches(training):
            training = None
    if training is None:
        training = fresh()
    while training.steps_done < training.steps_per_peer:
        training.train(until=training.next_eval)  # ends on an evaluation
        if latest is not None and training.steps_done < training.steps_per_peer:
            training.save(latest)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    return training


def method_spec(name: str) -> MethodSpec:
    """Row ``name`` as a sweep method (entry point resolved by this module's ``__getattr__``)."""
    if name in SOCIAL_ROWS:
        social = SOCIAL_ROWS[name]
        entry = f"{__name__}:{name}"
        from peerzoo.social.envs import TRAINING_ENV_IDS

        # The fast rows train on either training task (the paper's penalty or the author's).
        return MethodSpec(name, entry, SOCIAL_FAMILIES, social.description, TRAINING_ENV_IDS)
    row = preset_row(name)
    return MethodSpec(row.name, f"{__name__}:{row.name}", PEER_FAMILIES, row.description)


def run_social_study_row(
    name: str, env_id: str, seed: int, budget: Budget, device: str = "cpu"
) -> dict[str, Any]:
    """A social row's job, checkpointing where the study keeps its jobs' checkpoints."""
    folder = checkpoint_folder(name, env_id, seed)
    return run_social_row(name, env_id, seed, budget, folder, device)


def __getattr__(name: str) -> Callable[[str, int, Budget], dict[str, Any]]:
    """``benchmarks.studies.rows:<row>`` is that row's sweep entry point (PEP 562)."""
    if name in PRESET_ROWS:
        return functools.partial(run_row, name)
    if name in SOCIAL_ROWS:
        return functools.partial(run_social_study_row, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class RowTiming:
    """A timed short run of one row on one env: what the cost estimate scales up."""

    seconds_per_step: float  # CPU seconds per env step per peer, learning included
    seconds_per_eval_episode: float  # one deterministic episode of one peer
    build_seconds: float
    steps_per_peer: int  # the full job's env steps per peer (N× for single_nx)
    n_evaluated_peers: int  # over all the job's seeds
    seeds: int = 1  # seeds the job trains together (a seed batch), all in the figures above


def time_row(
    name: str, env_id: str, budget: Budget, probe_steps: int = 200, seeds: int = 1
) -> RowTiming:
    """Run row ``name`` for ``probe_steps`` learning steps per peer, one thread, and time it.

    ``seeds`` > 1 times a seed batch of that many seeds (``--batch-seeds``):
    its per-step time is the whole batch's.

    Times are this process's CPU seconds, not wall seconds: a sweep worker owns
    one core, so its wall time is its CPU time, and a probe on a busy machine is
    not inflated by the other processes' share of the cores. Warm-up is capped
    at 100 random steps (the paper's ``buffer_start_size`` for all but
    HalfCheetah) and not timed: learning steps cost more, so the rate is an
    upper bound on the job's. One evaluation episode of an untrained peer times
    evaluation (an upper bound again where a trained policy ends earlier).
    """
    if name in SOCIAL_ROWS:
        return time_social_row(name, env_id, budget)
    import torch

    from baselines.peer.train import PeerTraining

    torch.set_num_threads(1)  # a sweep worker is one core
    config = row_config(name, env_id, 0, budget)
    config = dataclasses.replace(config, learning_starts=min(config.learning_starts, 100))
    start = time.process_time()
    if seeds > 1:
        from baselines.peer.seed_batch import SeedBatchedTraining

        training = SeedBatchedTraining([dataclasses.replace(config, seed=s) for s in range(seeds)])
        runs = training.runs
    else:
        training = PeerTraining(config)
        runs = [training]
    build = time.process_time() - start
    warm = config.learning_starts + config.train_every
    for run in runs:
        run.next_eval = 10**12  # no evaluation inside the probe
    training.train(until=warm)
    start = time.process_time()
    training.train(until=warm + probe_steps)
    per_step = (time.process_time() - start) / max(1, training.steps_done - warm)
    start = time.process_time()
    runs[0].evaluate_peer(runs[0].peers[0], 1)
    per_episode = time.process_time() - start
    peers = sum(len(run.peers) for run in runs)
    return RowTiming(per_step, per_episode, build, training.steps_per_peer, peers, seeds)
