"""Seed records: what one (env, method, seed) job hands the sweep, built or checked here.

A record holds ``curve`` (``[env_steps_per_peer, mean_return_over_peers]``
pairs, steps increasing), ``per_peer_curve`` (one list of per-peer returns per
curve point), ``final_returns`` (evaluation returns per episode, mean over
peers) and ``n_peers``; optionally ``evaluations`` (transfer results),
``config``, ``config_hash``, ``versions``, ``hardware`` and ``wall_time_s``
(seconds of training, which a method that resumes from a checkpoint sums over
its runs). The sweep adds ``seed``, and ``wall_time_s`` where the method gives
none. ``leaderboard.submission.from_seed_records`` turns a preset's records
into a submission.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import numpy as np


class RecordError(ValueError):
    """A method's output the sweep cannot store; the message names the field."""


def check_seed_record(record: Any) -> dict[str, Any]:
    """Validate what a method returned before it is stored, with a message naming the field."""
    if not isinstance(record, dict):
        raise RecordError(
            f"a method must yield (env_steps, policy) pairs or return a dict seed record, "
            f"got {type(record).__name__}"
        )
    for key in ("curve", "per_peer_curve", "final_returns", "n_peers"):
        if key not in record:
            raise RecordError(f"seed record lacks {key!r}")
    try:
        steps = [point[0] for point in record["curve"]]
    except (TypeError, IndexError, KeyError):
        raise RecordError("seed record 'curve' must be [env_steps, mean_return] pairs") from None
    if any(b <= a for a, b in itertools.pairwise(steps)) or any(s < 0 for s in steps):
        raise RecordError(f"seed record 'curve' steps must increase from ≥ 0, got {steps}")
    if len(record["per_peer_curve"]) != len(record["curve"]):
        raise RecordError("seed record 'per_peer_curve' needs one entry per 'curve' point")
    if not record["final_returns"]:
        raise RecordError("seed record 'final_returns' is empty")
    if "wall_time_s" in record:
        seconds = record["wall_time_s"]
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not np.isfinite(seconds)
            or seconds < 0
        ):
            raise RecordError(f"seed record 'wall_time_s' must be seconds ≥ 0, got {seconds!r}")
    return record


def record_from_policies(
    checkpoints: Iterable[Any],
    env_id: str,
    *,
    eval_episodes: int,
    env_kwargs: dict[str, Any] | None = None,
    logger: Any = None,
) -> dict[str, Any]:
    """The seed record of a method that yields ``(env_steps_per_peer, policy)`` pairs.

    Each policy is evaluated when it is yielded (before training goes on) with
    :func:`peerzoo.evaluate` on ``eval_episodes`` episodes per peer at
    :data:`peerzoo.EVAL_SEED`; the last evaluation gives ``final_returns``.
    ``logger`` (a TensorBoard ``SummaryWriter``) receives every curve point.
    """
    import peerzoo

    curve: list[list[float]] = []
    per_peer_curve: list[list[float]] = []
    returns = np.zeros((0, 0))
    for item in checkpoints:
        if not (isinstance(item, tuple | list) and len(item) == 2 and callable(item[1])):
            raise RecordError(
                f"a method must yield (env_steps_per_peer, policy) pairs with a callable "
                f"policy, got {item!r:.80}"
            )
        steps = item[0]
        if isinstance(steps, bool) or not isinstance(steps, int | np.integer):
            raise RecordError(f"env_steps_per_peer must be an int, got {steps!r}")
        if curve and steps <= curve[-1][0]:
            raise RecordError(f"yielded env steps must increase, got {steps} after {curve[-1][0]}")
        returns = peerzoo.evaluate(
            item[1],
            env_id,
            episodes=eval_episodes,
            seed=peerzoo.EVAL_SEED,
            env_kwargs=env_kwargs,
        )
        means = returns.mean(axis=1)
        curve.append([int(steps), float(means.mean())])
        per_peer_curve.append([float(m) for m in means])
        if logger is not None:
            logger.add_scalar("eval/mean_return", curve[-1][1], int(steps))
            for peer, value in enumerate(means):
                logger.add_scalar(f"eval/peer_{peer}_return", float(value), int(steps))
    if not curve:
        raise RecordError("the method yielded no (env_steps_per_peer, policy) pair")
    return {
        "curve": curve,
        "per_peer_curve": per_peer_curve,
        "final_returns": [float(r) for r in returns.mean(axis=0)],
        "n_peers": int(returns.shape[0]),
    }
