"""After a sweep: gather per-seed results, print the summary table, draw learning curves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.store import Job, ResultStore


def collect(store: ResultStore, jobs: Iterable[Job]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Finished seed records grouped by (env id, method), in seed order."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for job in sorted(jobs, key=lambda j: (j.env_id, j.method, j.seed)):
        if store.is_done(job):
            grouped[(job.env_id, job.method)].append(store.load_result(job))
    return dict(grouped)


def summary_rows(grouped: dict[tuple[str, str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One row per (env, method): seeds, final return (mean ± std over seeds), curve mean."""
    rows = []
    for (env_id, method), records in sorted(grouped.items()):
        finals = [float(np.mean(r["final_returns"])) for r in records]
        over_training = [float(np.mean([p[1] for p in r["curve"]])) for r in records]
        rows.append(
            {
                "env": env_id,
                "method": method,
                "seeds": len(records),
                "final_mean": float(np.mean(finals)),
                "final_std": float(np.std(finals)),
                "avg_over_training": float(np.mean(over_training)),
            }
        )
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """The summary as a Markdown table (readable in a terminal too)."""
    lines = [
        "| env | method | seeds | final return | avg. return over training |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['env']} | {row['method']} | {row['seeds']} | "
            f"{row['final_mean']:.2f} ± {row['final_std']:.2f} | {row['avg_over_training']:.2f} |"
        )
    return "\n".join(lines)


def plot_curves(grouped: dict[tuple[str, str], list[dict[str, Any]]], out_dir: Path) -> list[Path]:
    """One PNG per env: each method's mean curve over seeds with its 95% CI band.

    Steps are per peer: a record's ``sample_multiplier`` (``single_nx``) divides its own.

    Drawn by ``leaderboard.plots``, the one plotting module of the sweep and the board.
    """
    from leaderboard.plots import CurveSeries, plot_learning_curves

    by_env: dict[str, list[CurveSeries]] = defaultdict(list)
    for (env_id, method), records in sorted(grouped.items()):
        # A learner given N× the samples is drawn on the per-peer axis of everyone else.
        seeds = [
            (
                [p[0] / r.get("sample_multiplier", 1) for p in r["curve"]],
                [p[1] for p in r["curve"]],
            )
            for r in records
        ]
        by_env[env_id].append(CurveSeries(method, seeds))
    return [
        plot_learning_curves(series, out_dir / f"{env_id}.png", title=env_id)
        for env_id, series in sorted(by_env.items())
    ]
