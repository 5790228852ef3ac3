"""Whom the learners follow, and what they believe of each candidate, over training.

Read from a seed record's ``trust_curve`` (one snapshot per evaluation point,
written by ``baselines.peer.train``): cumulative follow counts per learner and
candidate, each learner's trust values and the group's agent values.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def candidate_index(record: dict[str, Any], name: str) -> int:
    """Row of candidate ``name`` (``peer_0`` …, then scripted peers) in the record's arrays."""
    advisors = list(record.get("advisors") or [])
    if name not in advisors:
        raise ValueError(f"record has no candidate {name!r}; its candidates: {advisors}")
    return advisors.index(name)


def follow_fractions(record: dict[str, Any], candidate: int) -> tuple[list[int], np.ndarray]:
    """Steps and, per evaluation interval, the fraction of each learner's steps spent
    following ``candidate`` (shape: points × learners).

    Each interval runs from the previous evaluation point (or the start) to this one,
    so the curve shows when a learner stops following, not a cumulative average.
    """
    curve = record.get("trust_curve") or []
    steps = [int(snapshot["step"]) for snapshot in curve]
    counts = np.array([snapshot["follow_counts"] for snapshot in curve], dtype=float)
    if counts.size == 0:
        return steps, np.zeros((0, int(record["n_peers"])))
    interval = np.diff(counts, axis=0, prepend=np.zeros_like(counts[:1]))
    totals = interval.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        fractions = np.where(totals > 0, interval[:, :, candidate] / totals, np.nan)
    return steps, fractions


def value_curves(record: dict[str, Any], key: str) -> tuple[list[int], np.ndarray] | None:
    """Steps and the ``agent_values`` (points × candidates) or ``trust_values``
    (points × learners × candidates) of a record; ``None`` for methods without them."""
    curve = record.get("trust_curve") or []
    if not curve or curve[0].get(key) is None:
        return None
    return [int(s["step"]) for s in curve], np.array([s[key] for s in curve], dtype=float)
