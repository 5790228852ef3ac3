"""Entry points for ``benchmarks/run_all.py``: ``function(env_id, seed, budget) -> record``.

Register them in ``benchmarks.methods`` as e.g.
``MethodSpec("peer", "baselines.peer.benchmark:peer", ("mujoco", "room"))``.
The paper's row for the env and method (:func:`baselines.peer.presets.paper_preset`)
is used, with the sweep's budget.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from baselines.peer.cli import seed_record
from baselines.peer.config import PeerRunConfig, smoke, with_budget
from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining


def config_for(env_id: str, method: str, seed: int, budget: Any) -> PeerRunConfig:
    """The paper's row for ``env_id`` and ``method``, cut to ``budget`` (steps, eval cadence)."""
    config = paper_preset(env_id, method, seed=seed)
    if budget.steps_per_peer < 50_000:  # a smoke-sized sweep: small nets and rooms as well
        config = smoke(config, total_steps=budget.steps_per_peer)
    else:
        config = with_budget(config, budget.steps_per_peer)
    return dataclasses.replace(
        config,
        eval_every=budget.eval_every,
        eval_episodes=budget.eval_episodes,
    )


def _run(
    method: str,
    env_id: str,
    seed: int,
    budget: Any,
    logdir: str | None = None,
    device: str = "cpu",
) -> dict[str, Any]:
    """Train and evaluate one seed on ``device``; TensorBoard scalars go to ``logdir``."""
    config = dataclasses.replace(config_for(env_id, method, seed, budget), device=device)
    training = PeerTraining(config)
    if logdir is None:
        return seed_record(training.train())
    from torch.utils.tensorboard import SummaryWriter

    with SummaryWriter(logdir) as writer:
        return seed_record(training.train(logger=writer))


def peer(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, device: str = "cpu"
) -> dict[str, Any]:
    """Peer learning with the three trust mechanisms."""
    return _run("peer", env_id, seed, budget, logdir, device)


def single(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, device: str = "cpu"
) -> dict[str, Any]:
    return _run("single", env_id, seed, budget, logdir, device)


def single_nx(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, device: str = "cpu"
) -> dict[str, Any]:
    return _run("single_nx", env_id, seed, budget, logdir, device)


def shared_replay(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, device: str = "cpu"
) -> dict[str, Any]:
    return _run("shared_replay", env_id, seed, budget, logdir, device)


def random_advice(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, device: str = "cpu"
) -> dict[str, Any]:
    return _run("random_advice", env_id, seed, budget, logdir, device)


def early_advising(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, device: str = "cpu"
) -> dict[str, Any]:
    return _run("early_advising", env_id, seed, budget, logdir, device)
