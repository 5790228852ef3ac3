"""Normalised scores, their uncertainty and the ranking, with rliable (Agarwal et al., 2021).

Per seed, an entry's score is the mean of its final evaluation returns on the
training env, normalised between the measured random policy (0) and the
committed reference entry of the same env and preset (1): ``single`` on the
peer tasks, the solo learner on the social tasks — each paper's own baseline,
measurable on any machine that runs the preset. A score then reads "the share
of a lone learner's gain over random that this method reaches, or exceeds".

Per entry: the IQM and mean over seeds with 95% stratified-bootstrap CIs
(``rliable.library.get_interval_estimates``; with one task the stratified
bootstrap is a bootstrap over seeds) and the probability of improvement over
the reference's seeds. Entries rank within (env, preset) by IQM; entries whose
IQM intervals overlap are statistically tied. The paper's metric (Derstroff et
al., AAAI 2024), the average return over training, stays beside: the mean of
the evaluation curve, averaged over seeds.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from leaderboard.budgets import reference_method

MIN_RANKED_SEEDS = 5
UNRANKED_PRESETS = ("smoke",)


@dataclass
class EntryScore:
    """Everything the renderers show about one valid submission file."""

    file_name: str
    data: dict[str, Any]
    seed_ids: list[int]
    seed_finals: np.ndarray  # raw mean final return per seed, in ``seed_ids`` order
    final_return: float
    average_return_over_training: float
    unranked_reasons: list[str] = field(default_factory=list)
    reference_file: str | None = None
    scores: np.ndarray | None = None  # normalised per seed, when the entry ranks
    iqm: float | None = None
    iqm_ci: tuple[float, float] | None = None
    mean: float | None = None
    mean_ci: tuple[float, float] | None = None
    probability_of_improvement: float | None = None
    rank: int | None = None
    tied_with: list[int] = field(default_factory=list)

    @property
    def ranked(self) -> bool:
        return not self.unranked_reasons

    @property
    def unranked_reason(self) -> str | None:
        """Everything that keeps the entry off the ranking, in one line."""
        return "; ".join(self.unranked_reasons) or None

    @property
    def n_seeds(self) -> int:
        return len(self.seed_ids)

    @property
    def method_name(self) -> str:
        return self.data["method"]["name"]

    @property
    def train_env_id(self) -> str:
        return self.data["train_env_id"]

    @property
    def preset_name(self) -> str:
        return self.data["preset"]["name"]

    @property
    def is_smoke(self) -> bool:
        return self.preset_name in UNRANKED_PRESETS

    @property
    def is_reference(self) -> bool:
        return self.method_name == reference_method(self.train_env_id)


def primary_evaluation(data: dict[str, Any]) -> dict[str, Any]:
    """The first listed evaluation on the training env: what the entry is ranked by."""
    return next(ev for ev in data["evaluations"] if ev["eval_env_id"] == data["train_env_id"])


def summarise_entry(file_name: str, data: dict[str, Any]) -> EntryScore:
    """The raw numbers of one validated submission, before any normalisation."""
    seeds = sorted(primary_evaluation(data)["seeds"], key=lambda s: s["seed"])
    finals = np.array([np.mean(s["final_returns"]) for s in seeds], dtype=float)
    over_training = np.array([np.mean([p[1] for p in s["curve"]]) for s in seeds], dtype=float)
    return EntryScore(
        file_name=file_name,
        data=data,
        seed_ids=[int(s["seed"]) for s in seeds],
        seed_finals=finals,
        final_return=float(finals.mean()),
        average_return_over_training=float(over_training.mean()),
    )


def _own_reasons(entry: EntryScore, random_return: float | None) -> list[str]:
    """What the entry itself lacks to rank, whatever its reference."""
    reasons = []
    if entry.is_smoke:
        reasons.append(f"{entry.preset_name} preset: shown, never ranked")
    if entry.n_seeds < MIN_RANKED_SEEDS:
        reasons.append(f"{entry.n_seeds} seeds; ranking needs ≥ {MIN_RANKED_SEEDS}")
    if random_return is None:
        reasons.append(
            f"no measured random return for {entry.train_env_id} "
            f"(python leaderboard/measure_random.py --ids {entry.train_env_id})"
        )
    elif entry.is_reference and entry.final_return == random_return:
        reasons.append(
            f"its return equals the random return ({random_return:g}): no scale to normalise on"
        )
    return reasons


def score_board(
    entries: list[EntryScore],
    random_returns: dict[str, float | None],
    reps: int = 2000,
    seed: int = 0,
) -> None:
    """Normalise, score and rank ``entries`` in place; unrankable ones get their reasons.

    ``random_returns`` maps env ids to the measured random-policy return.
    """
    references: dict[tuple[str, str], EntryScore] = {
        (e.train_env_id, e.preset_name): e for e in entries if e.is_reference
    }
    own = {id(e): _own_reasons(e, random_returns.get(e.train_env_id)) for e in entries}
    for entry in entries:
        reasons = list(own[id(entry)])
        ref_name = reference_method(entry.train_env_id)
        reference = references.get((entry.train_env_id, entry.preset_name))
        random_return = random_returns.get(entry.train_env_id)
        if reference is None:
            reasons.append(
                f"no `{ref_name}` reference entry for {entry.train_env_id} "
                f"at the {entry.preset_name} preset"
            )
        else:
            entry.reference_file = reference.file_name
            ref_reasons = [r for r in own[id(reference)] if r not in reasons]
            if ref_reasons and reference is not entry:
                reasons.append(
                    f"its `{ref_name}` reference ({reference.file_name}) is itself unranked: "
                    + "; ".join(ref_reasons)
                )
        entry.unranked_reasons = reasons
        if not reasons:
            assert reference is not None and random_return is not None
            _add_scores(entry, reference, random_return, reps, seed)
    rank_entries(entries)


def normalise(returns: np.ndarray, random_return: float, reference_return: float) -> np.ndarray:
    """Map raw returns onto the random = 0, reference = 1 scale."""
    return (returns - random_return) / (reference_return - random_return)


def quiet(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call an rliable function reproducibly, without arch's deprecation of ``random_state``.

    rliable's stratified bootstrap draws its resampling indices from NumPy's
    global generator, not from the ``random_state`` it is given, so a CI would
    change from run to run. The call runs with the global generator seeded from
    ``random_state`` (or 0 without one), and the caller's global state is restored.
    """
    random_state = kwargs.get("random_state")
    seed = 0 if random_state is None else int(random_state.randint(2**31 - 1))
    saved = np.random.get_state()
    np.random.seed(seed)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return func(*args, **kwargs)
    finally:
        np.random.set_state(saved)


def _add_scores(
    entry: EntryScore, reference: EntryScore, random_return: float, reps: int, seed: int
) -> None:
    from rliable import library as rly
    from rliable import metrics

    def normalised(e: EntryScore) -> np.ndarray:
        return normalise(e.seed_finals, random_return, reference.final_return)

    scores = normalised(entry)
    entry.scores = scores
    score_dict = {"entry": scores.reshape(-1, 1)}  # runs x tasks, one task

    def aggregate(x: np.ndarray) -> np.ndarray:
        return np.array([metrics.aggregate_iqm(x), metrics.aggregate_mean(x)])

    points, intervals = quiet(
        rly.get_interval_estimates,
        score_dict,
        aggregate,
        reps=reps,
        random_state=np.random.RandomState(seed),
    )
    entry.iqm, entry.mean = (float(v) for v in points["entry"])
    ci = intervals["entry"]
    entry.iqm_ci = (float(ci[0, 0]), float(ci[1, 0]))
    entry.mean_ci = (float(ci[0, 1]), float(ci[1, 1]))
    entry.probability_of_improvement = float(
        metrics.probability_of_improvement(
            scores.reshape(-1, 1), normalised(reference).reshape(-1, 1)
        )
    )


def rank_entries(entries: list[EntryScore]) -> None:
    """Rank ranked entries per (train env, preset) by IQM; overlapping IQM CIs are ties."""
    groups: dict[tuple[str, str], list[EntryScore]] = {}
    for entry in entries:
        entry.rank, entry.tied_with = None, []
        if entry.ranked:
            groups.setdefault((entry.train_env_id, entry.preset_name), []).append(entry)
    for group in groups.values():
        group.sort(key=lambda e: (-(e.iqm or 0.0), e.method_name))
        for position, entry in enumerate(group, start=1):
            entry.rank = position
        for entry in group:
            assert entry.iqm_ci is not None
            entry.tied_with = [
                other.rank  # type: ignore[misc]
                for other in group
                if other is not entry
                and other.iqm_ci is not None
                and other.iqm_ci[0] <= entry.iqm_ci[1]
                and entry.iqm_ci[0] <= other.iqm_ci[1]
            ]
