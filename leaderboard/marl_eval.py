"""The board in marl-eval's JSON layout, so marl-eval's own tools run on it.

marl-eval (InstaDeep's ``id-marl-eval``, Gorsane et al. 2022) reads
``{environment: {task: {algorithm: {run: {step_i: {"step_count": n, metric: [...]},
"absolute_metrics": {metric: [...]}}}}}}``. Here an *environment* is one preset
and env family (``peerzoo_short_mujoco``): marl-eval aggregates the tasks of an
environment on one step grid and one run set, and a preset gives every method of
a family exactly that (the validator enforces the cadence and the seeds).
A task is an env id, an algorithm a method, a run ``seed_<n>`` over the preset's
seeds; ``return`` holds the per-peer evaluation returns at each curve point and
the final evaluation returns under ``absolute_metrics``.

    python leaderboard/score.py export --format marl-eval [--out FILE]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from leaderboard.budgets import env_budget
from leaderboard.scoring import EntryScore, primary_evaluation
from leaderboard.submission import write_text_atomic

METRIC = "return"


def algorithm_key(method_name: str) -> str:
    """marl-eval lower-cases names and refuses commas in algorithm names."""
    return method_name.replace(",", " ").strip().lower()


def marl_eval_data(entries: list[EntryScore]) -> dict[str, Any]:
    """The nested marl-eval dict of every valid entry, on its preset's seeds and steps."""
    data: dict[str, Any] = {}
    for entry in sorted(entries, key=lambda e: (e.preset_name, e.train_env_id, e.method_name)):
        budget = env_budget(entry.preset_name, entry.train_env_id)
        if budget is None:
            continue
        environment = f"peerzoo_{entry.preset_name}_{budget.family}"
        grid = budget.curve_steps()
        seeds = {s["seed"]: s for s in primary_evaluation(entry.data)["seeds"]}
        runs: dict[str, Any] = {}
        for seed in sorted(seeds):  # a partial entry exports the seeds it has
            result = seeds[seed]
            rows = dict(zip((p[0] for p in result["curve"]), result["per_peer_curve"]))
            run: dict[str, Any] = {
                f"step_{i}": {"step_count": step, METRIC: [float(r) for r in rows[step]]}
                for i, step in enumerate(grid)
            }
            run["absolute_metrics"] = {METRIC: [float(r) for r in result["final_returns"]]}
            runs[f"seed_{seed}"] = run
        tasks = data.setdefault(environment, {}).setdefault(entry.train_env_id, {})
        tasks[algorithm_key(entry.method_name)] = runs
    return data


def write_marl_eval(entries: list[EntryScore], path: Path) -> Path:
    """Write the export atomically (temp file, then rename)."""
    return write_text_atomic(path, json.dumps(marl_eval_data(entries), indent=1) + "\n")
