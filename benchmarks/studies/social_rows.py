"""Social rows: the fast social learner's methods as study rows (Ndousse et al. 2021).

A social row is one method of :mod:`baselines.social.fast` (symbolic views on
batched worlds) at a sweep preset's budget: the ``social`` study runs social
PPO with and without the auxiliary head, solo PPO with it, and behaviour
cloning on ``goal_cycle_v0`` at the ``paper`` budget (10⁷ env steps per
learner). Like a peer row, each row is a sweep method
(``benchmarks.studies.rows:<row name>``), so the study runs through the
sweep's store and writes its records as submissions; a killed job continues
from its last evaluation.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.presets import Budget

SOCIAL_FAMILIES = ("social",)


@dataclass(frozen=True)
class SocialRow:
    """One fast-learner method under a study's row name.

    Attributes:
        name: the sweep's method label and the leaderboard's method name.
        method: the :data:`baselines.social.fast.METHODS` key it trains.
        description: one line for the leaderboard entry.
    """

    name: str
    method: str
    description: str


_FAST = "fast learner (symbolic view, batched worlds)"

SOCIAL_ROWS: dict[str, SocialRow] = {
    row.name: row
    for row in (
        SocialRow(
            "fast_social_ppo_aux",
            "social_ppo_aux",
            f"Recurrent PPO + next-view prediction loss, trained with experts; {_FAST}",
        ),
        SocialRow(
            "fast_social_ppo_vanilla",
            "social_ppo_vanilla",
            f"Recurrent PPO without the prediction head, trained with experts; {_FAST}",
        ),
        SocialRow(
            "fast_solo_ppo_aux",
            "solo_ppo_aux",
            f"Recurrent PPO + next-view prediction loss, trained alone; {_FAST}",
        ),
        SocialRow(
            "fast_bc",
            "bc",
            f"Behaviour cloning of the scripted expert in the learner's place; {_FAST}",
        ),
    )
}


def social_row_config(name: str, env_id: str, seed: int, budget: Budget) -> Any:
    """The :class:`~baselines.social.fast.FastRunConfig` of row ``name`` at ``budget``.

    The budget sets the env steps per learner, the evaluation interval (also the
    checkpoint interval) and the episodes of every evaluation; everything else
    is the fast learner's default.
    """
    from baselines.social.fast import config_for

    config = config_for(
        SOCIAL_ROWS[name].method,
        env_id=env_id,
        seed=seed,
        steps=int(budget.steps_per_peer),
        eval_every=int(budget.eval_every),
        eval_episodes=int(budget.eval_episodes),
        progress=False,
    )
    batch = config.num_worlds * config.rollout_len
    if config.steps % batch or config.eval_every % batch:
        raise ValueError(
            f"row {name!r}: a budget of {config.steps} steps evaluated every "
            f"{config.eval_every} is not a whole number of the fast learner's updates "
            f"({config.num_worlds} worlds × {config.rollout_len} steps = {batch}); the "
            "evaluations would miss the preset's cadence. Use the paper budget."
        )
    return config


def run_social_row(
    name: str,
    env_id: str,
    seed: int,
    budget: Budget,
    folder: Path | None,
    device: str = "cpu",
) -> dict[str, Any]:
    """Train row ``name`` for one seed on ``device``; the sweep's seed record.

    With a ``folder`` the run checkpoints there at every evaluation, and a
    rerun of the same job resumes from the latest checkpoint (a checkpoint of
    another configuration is an error naming it, never silently reused). The
    checkpoint goes once the record exists; the TensorBoard curves stay.
    """
    from baselines.social.fast import CHECKPOINT, train

    config = dataclasses.replace(social_row_config(name, env_id, seed, budget), device=device)
    if folder is not None:
        config = dataclasses.replace(config, logdir=str(folder))
    record = train(config, resume=True)
    if folder is not None:
        (folder / CHECKPOINT).unlink(missing_ok=True)
    return record


def time_social_row(name: str, env_id: str, budget: Budget, probe_updates: int = 3) -> Any:
    """Time ``probe_updates`` updates of row ``name`` (after one untimed) and one evaluation.

    One thread, CPU seconds of this process, as :func:`benchmarks.studies.rows.time_row`
    measures a peer row; an evaluation steps ``eval_episodes`` worlds at once,
    so its cost is reported per episode.
    """
    import torch

    from baselines.social.fast import build, make_cloner, update_once, vector_returns
    from benchmarks.studies.rows import RowTiming

    torch.set_num_threads(1)
    config = social_row_config(name, env_id, 0, budget)
    start = time.process_time()
    algo, collector = build(config)
    cloner = make_cloner(config, algo)
    build_seconds = time.process_time() - start
    update_once(config, algo, collector, cloner)  # compiles the worlds' step; not timed
    warm = collector.env_steps
    start = time.process_time()
    for _ in range(probe_updates):
        update_once(config, algo, collector, cloner)
    per_step = (time.process_time() - start) / max(1, collector.env_steps - warm)
    start = time.process_time()
    vector_returns(algo, config, env_id, config.n_experts != 0, 0)
    per_episode = (time.process_time() - start) / config.eval_episodes
    return RowTiming(per_step, per_episode, build_seconds, int(budget.steps_per_peer), 1)
