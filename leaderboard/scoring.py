"""Normalised scores and their uncertainty, with rliable (Agarwal et al., NeurIPS 2021).

Per seed, the score is the normalised mean of the final evaluation returns on
the training env. Aggregates over seeds are the IQM and the mean with 95%
stratified-bootstrap CIs (``rliable.library.get_interval_estimates``), and the
probability of improvement over the reference learner. With one task per
entry, the stratified bootstrap is a bootstrap over seeds. The paper's metric
(Derstroff et al., AAAI 2024), the average return over training, is the mean
of the evaluation curve, averaged over seeds.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from leaderboard.constants import EnvConstants

MIN_RANKED_SEEDS = 5
UNRANKED_PRESETS = ("smoke",)


@dataclass
class EntryScore:
    """Everything the renderers show about one valid submission file."""

    file_name: str
    data: dict[str, Any]
    n_seeds: int
    final_return: float
    average_return_over_training: float
    unranked_reason: str | None = None
    iqm: float | None = None
    iqm_ci: tuple[float, float] | None = None
    mean: float | None = None
    mean_ci: tuple[float, float] | None = None
    probability_of_improvement: float | None = None
    rank: int | None = None
    overlaps_with: list[int] = field(default_factory=list)

    @property
    def ranked(self) -> bool:
        return self.unranked_reason is None

    @property
    def method_name(self) -> str:
        return self.data["method"]["name"]

    @property
    def train_env_id(self) -> str:
        return self.data["train_env_id"]

    @property
    def preset_name(self) -> str:
        return self.data["preset"]["name"]


def primary_evaluation(data: dict[str, Any]) -> dict[str, Any]:
    """The first listed evaluation on the training env: what the entry is ranked by."""
    return next(ev for ev in data["evaluations"] if ev["eval_env_id"] == data["train_env_id"])


def score_entry(
    file_name: str,
    data: dict[str, Any],
    constants: dict[str, EnvConstants],
    reps: int = 2000,
    seed: int = 0,
) -> EntryScore:
    """Score one validated submission; unrankable entries get a reason instead of a score."""
    evaluation = primary_evaluation(data)
    seeds = evaluation["seeds"]
    finals = np.array([np.mean(s["final_returns"]) for s in seeds], dtype=float)
    over_training = np.array([np.mean([p[1] for p in s["curve"]]) for s in seeds], dtype=float)
    entry = EntryScore(
        file_name=file_name,
        data=data,
        n_seeds=len(seeds),
        final_return=float(finals.mean()),
        average_return_over_training=float(over_training.mean()),
    )
    env_constants = constants.get(data["train_env_id"])
    reasons = []
    if data["preset"]["name"] in UNRANKED_PRESETS:
        reasons.append(f"preset {data['preset']['name']!r} is never ranked")
    if len(seeds) < MIN_RANKED_SEEDS:
        reasons.append(f"{len(seeds)} seeds (ranking needs {MIN_RANKED_SEEDS})")
    if env_constants is None or not env_constants.usable:
        reasons.append("no normalisation constants for this env yet")
    else:
        _add_normalised(entry, env_constants.normalise(finals), env_constants, reps, seed)
    entry.unranked_reason = "; ".join(reasons) or None
    return entry


def _add_normalised(
    entry: EntryScore, scores: np.ndarray, env: EnvConstants, reps: int, seed: int
) -> None:
    from rliable import library as rly
    from rliable import metrics

    score_dict = {"entry": scores.reshape(-1, 1)}  # runs x tasks, one task
    aggregate = lambda x: np.array([metrics.aggregate_iqm(x), metrics.aggregate_mean(x)])
    with (
        warnings.catch_warnings()
    ):  # arch (under rliable) deprecates random_state; rliable passes it
        warnings.simplefilter("ignore", FutureWarning)
        points, intervals = rly.get_interval_estimates(
            score_dict, aggregate, reps=reps, random_state=np.random.RandomState(seed)
        )
    entry.iqm, entry.mean = (float(v) for v in points["entry"])
    ci = intervals["entry"]
    entry.iqm_ci = (float(ci[0, 0]), float(ci[1, 0]))
    entry.mean_ci = (float(ci[0, 1]), float(ci[1, 1]))
    # The reference is documented as one value (score 1.0), so P(X > Y) is taken against it
    # as a single run: the fraction of seeds beating it, ties counting one half.
    entry.probability_of_improvement = float(
        metrics.probability_of_improvement(scores.reshape(-1, 1), np.ones((1, 1)))
    )


def rank_entries(entries: list[EntryScore]) -> None:
    """Rank ranked entries per train env by IQM; note whose IQM CIs overlap (a statistical tie)."""
    by_env: dict[str, list[EntryScore]] = {}
    for entry in entries:
        if entry.ranked:
            by_env.setdefault(entry.train_env_id, []).append(entry)
    for group in by_env.values():
        group.sort(key=lambda e: -(e.iqm or 0.0))
        for position, entry in enumerate(group, start=1):
            entry.rank = position
        for entry in group:
            assert entry.iqm_ci is not None
            entry.overlaps_with = [
                other.rank  # type: ignore[misc]
                for other in group
                if other is not entry
                and other.iqm_ci is not None
                and other.iqm_ci[0] <= entry.iqm_ci[1]
                and entry.iqm_ci[0] <= other.iqm_ci[1]
            ]
