"""Across tasks, per preset: IQM, optimality gap, performance profiles, P(improvement).

What rliable's paper recommends and marl-eval reports (Agarwal et al., 2021;
Gorsane et al., 2022): every ranked entry's per-seed normalised scores, one
``runs x tasks`` matrix per method over the envs where it ranks, aggregated with
95% stratified-bootstrap CIs. Scores are on the reference = 1 scale, so the
optimality gap is the shortfall below the reference (``gamma = 1``) and the
probability of improvement is taken against each env's reference entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from leaderboard.scoring import EntryScore, quiet

OPTIMALITY_TARGET = 1.0  # the reference's level
PROFILE_TAUS = np.linspace(0.0, 2.0, 41)


@dataclass
class MethodAggregate:
    """One method's scores over the envs where it ranks at one preset."""

    method: str
    envs: list[str]
    seeds: list[int]
    scores: np.ndarray  # runs x tasks
    iqm: tuple[float, float, float] = (0.0, 0.0, 0.0)  # point, low, high
    optimality_gap: tuple[float, float, float] = (0.0, 0.0, 0.0)
    probability_of_improvement: tuple[float, float, float] | None = None  # over the reference
    profile: np.ndarray = field(default_factory=lambda: np.zeros(0))
    profile_ci: np.ndarray = field(default_factory=lambda: np.zeros((2, 0)))


@dataclass
class PresetAggregate:
    """The across-task view of one preset."""

    preset: str
    envs: list[str]
    methods: list[MethodAggregate]
    reference_methods: list[str]


def _common_seeds(group: list[EntryScore]) -> list[int]:
    common = set(group[0].seed_ids)
    for entry in group[1:]:
        common &= set(entry.seed_ids)
    return sorted(common)


def _matrix(group: list[EntryScore], seeds: list[int]) -> np.ndarray:
    columns = []
    for entry in group:
        assert entry.scores is not None
        by_seed = dict(zip(entry.seed_ids, entry.scores))
        columns.append([by_seed[s] for s in seeds])
    return np.array(columns, dtype=float).T


def aggregate_presets(
    entries: list[EntryScore], reps: int = 2000, seed: int = 0
) -> list[PresetAggregate]:
    """One :class:`PresetAggregate` per preset that has ranked entries."""
    from rliable import library as rly
    from rliable import metrics

    ranked = [e for e in entries if e.ranked and e.scores is not None]
    by_file = {e.file_name: e for e in entries}
    result = []
    for preset in sorted({e.preset_name for e in ranked}):
        at_preset = [e for e in ranked if e.preset_name == preset]
        by_method: dict[str, list[EntryScore]] = {}
        for entry in sorted(at_preset, key=lambda e: e.train_env_id):
            by_method.setdefault(entry.method_name, []).append(entry)
        methods = []
        for method, group in sorted(by_method.items()):
            seeds = _common_seeds(group)
            if not seeds:
                continue
            methods.append(
                MethodAggregate(
                    method, [e.train_env_id for e in group], seeds, _matrix(group, seeds)
                )
            )
        score_dict = {m.method: m.scores for m in methods}

        def interval(x: np.ndarray) -> np.ndarray:
            return np.array(
                [
                    metrics.aggregate_iqm(x),
                    metrics.aggregate_optimality_gap(x, OPTIMALITY_TARGET),
                ]
            )

        rng = np.random.RandomState(seed)
        points, cis = quiet(
            rly.get_interval_estimates, score_dict, interval, reps=reps, random_state=rng
        )
        profiles, profile_cis = quiet(
            rly.create_performance_profile, score_dict, PROFILE_TAUS, reps=reps
        )
        for m in methods:
            p, ci = points[m.method], cis[m.method]
            m.iqm = (float(p[0]), float(ci[0, 0]), float(ci[1, 0]))
            m.optimality_gap = (float(p[1]), float(ci[0, 1]), float(ci[1, 1]))
            m.profile, m.profile_ci = profiles[m.method], profile_cis[m.method]
            group = by_method[m.method]
            if all(e.is_reference for e in group):
                continue
            references = [by_file[e.reference_file] for e in group if e.reference_file]
            if len(references) != len(group):
                continue
            ref_seeds = _common_seeds(references)
            pair = {"pair": (m.scores, _matrix(references, ref_seeds))}
            p_point, p_ci = quiet(
                rly.get_interval_estimates,
                pair,
                metrics.probability_of_improvement,
                reps=reps,
                random_state=rng,
            )
            m.probability_of_improvement = (
                float(p_point["pair"]),
                float(np.ravel(p_ci["pair"])[0]),
                float(np.ravel(p_ci["pair"])[1]),
            )
        refs = sorted({e.method_name for e in at_preset if e.is_reference})
        envs = sorted({e.train_env_id for e in at_preset})
        result.append(PresetAggregate(preset, envs, methods, refs))
    return result
