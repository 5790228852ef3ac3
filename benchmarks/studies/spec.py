"""What a study is: envs × preset rows × seeds at one preset budget, and what it measures.

A study is data, checked before anything runs (:func:`validate`), so a typo in
a row or an env id is a one-line error rather than a crash hours into a sweep.
A study with ``sources`` runs no jobs of its own: it is computed from the
records of those studies' jobs whose row it names (``peer_ranking``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from benchmarks.store import Job

# What a study's report can show; each name is one section of docs/studies/NAME.md.
METRICS = {
    "final_return": "final evaluation return, IQM over seeds with 95% stratified-bootstrap CI",
    "return_over_training": "average evaluation return over training (the paper's metric)",
    "group_size": "final return against the number of peers",
    "follow_adversary": "how often each learner follows the adversary, over training",
    "trust_values": "each learner's trust value in each candidate, over training",
    "agent_values": "the group's agent value of each candidate, over training",
    "kendall_tau": "Kendall τ between agent values and the other peers' true returns",
    "transfer": "final return on the training and every transfer task, with and without experts",
    "social_signal": "share of steps with an expert in view and distance to it, over training",
    "policy_information": "I(history; action) of the learner's policy, over training",
    "cultural_transmission": "cultural-transmission scores (experts present, then gone, alone)",
}
MIN_SEEDS = 5


@dataclass(frozen=True)
class Study:
    """A named, runnable experiment of the paper.

    Attributes:
        name: the ``--study`` name and the docs page ``docs/studies/NAME.md``.
        title: one line for the page heading.
        measures: the claim under test, as the page states it.
        envs: env ids run by default; for a study with ``sources``, the optional envs of
            its sources that it reads by default too (their records come from the
            sources' ``--env`` runs), as ``peer_ranking`` reads every MuJoCo env of
            ``hopper``.
        rows: preset row names (``benchmarks.studies.rows``) run on every env.
        seeds: training seeds of every (env, row).
        budget: the sweep preset (``benchmarks.presets``) whose budget every job gets.
        metrics: report sections, keys of :data:`METRICS`.
        optional_envs: env ids run only when asked for with ``--env``.
        substitution: where the study departs from the paper's setting, and why.
        sources: studies whose jobs this one is computed from (it runs none of its own).
        fewer_seeds_reason: why the study has fewer than five seeds, when it does.
        reference_row: the row every other row's final return is read against.
    """

    name: str
    title: str
    measures: str
    envs: tuple[str, ...]
    rows: tuple[str, ...]
    seeds: tuple[int, ...]
    budget: str = "short"
    metrics: tuple[str, ...] = ("final_return", "return_over_training")
    optional_envs: tuple[str, ...] = ()
    substitution: str | None = None
    sources: tuple[str, ...] = ()
    fewer_seeds_reason: str | None = None
    reference_row: str = "single"

    def selected_envs(self, only: Sequence[str] | None = None) -> list[str]:
        """The default envs, or the ``--env`` choices among default and optional ones."""
        if not only:
            return list(self.envs)
        allowed = [*self.envs, *self.optional_envs]
        unknown = sorted(set(only) - set(allowed))
        if unknown:
            raise ValueError(f"study {self.name!r} has no env {unknown}; its envs: {allowed}")
        return [env_id for env_id in allowed if env_id in only]


def validate(
    study: Study,
    known_rows: Iterable[str],
    known_envs: Iterable[str],
    known_presets: Iterable[str],
    known_studies: Mapping[str, Study] | None = None,
) -> None:
    """Raise ``ValueError`` naming the first bad field of ``study`` and what is valid.

    ``known_studies`` (name → study) checks ``sources``: each must be known, and
    every env the study names must be one of its sources' envs.
    """
    rows, envs, presets = sorted(known_rows), sorted(known_envs), sorted(known_presets)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", study.name):
        raise ValueError(f"study name {study.name!r}: use lowercase letters, digits and _")
    for env_id in (*study.envs, *study.optional_envs):
        if env_id not in envs:
            raise ValueError(f"study {study.name!r}: unknown env {env_id!r}; registered: {envs}")
    if not study.envs and not study.sources:
        raise ValueError(f"study {study.name!r}: no envs (and no source studies)")
    if not study.rows:
        raise ValueError(f"study {study.name!r}: no preset rows; valid rows: {rows}")
    for row in study.rows:
        if row not in rows:
            raise ValueError(f"study {study.name!r}: unknown preset row {row!r}; valid: {rows}")
    if study.budget not in presets:
        raise ValueError(
            f"study {study.name!r}: unknown budget preset {study.budget!r}; use {presets}"
        )
    if not study.sources:
        if not study.seeds or len(set(study.seeds)) != len(study.seeds):
            raise ValueError(f"study {study.name!r}: seeds {study.seeds} must be distinct, ≥ 1")
        if any(seed < 0 for seed in study.seeds):
            raise ValueError(f"study {study.name!r}: seeds {study.seeds} must be ≥ 0")
        if len(study.seeds) < MIN_SEEDS and not study.fewer_seeds_reason:
            raise ValueError(
                f"study {study.name!r}: {len(study.seeds)} seeds; use ≥ {MIN_SEEDS} "
                "or state fewer_seeds_reason"
            )
    for metric in study.metrics:
        if metric not in METRICS:
            raise ValueError(
                f"study {study.name!r}: unknown metric {metric!r}; valid: {sorted(METRICS)}"
            )
    by_name = known_studies or {}
    studies = sorted(by_name)
    for source in study.sources:
        if source not in by_name or source == study.name:
            raise ValueError(
                f"study {study.name!r}: unknown source study {source!r}; valid: {studies}"
            )
    if study.sources:
        sources = [by_name[name] for name in study.sources]
        offered = {e for source in sources for e in (*source.envs, *source.optional_envs)}
        unread = sorted(set(study.envs) - offered)
        if unread:
            raise ValueError(f"study {study.name!r}: no source study has env {unread}")


def own_jobs(study: Study, envs: Sequence[str], seeds: Sequence[int] | None = None) -> list[Job]:
    """Every (env, row, seed) job of a study that runs its own jobs."""
    return [
        Job(study.budget, env_id, row, seed)
        for env_id in envs
        for row in study.rows
        for seed in (study.seeds if seeds is None else seeds)
    ]
