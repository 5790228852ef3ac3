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
    """One PNG per env: mean over seeds of each method's curve, with min–max shading."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    by_env: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
    for (env_id, method), records in grouped.items():
        by_env[env_id][method] = records
    paths = []
    for env_id, methods in sorted(by_env.items()):
        fig, ax = plt.subplots(figsize=(6, 4))
        for method, records in sorted(methods.items()):
            length = min(len(r["curve"]) for r in records)
            steps = np.array([p[0] for p in records[0]["curve"][:length]])
            values = np.array([[p[1] for p in r["curve"][:length]] for r in records])
            ax.plot(steps, values.mean(axis=0), label=f"{method} ({len(records)} seeds)")
            ax.fill_between(steps, values.min(axis=0), values.max(axis=0), alpha=0.2)
        ax.set(title=env_id, xlabel="env steps per peer", ylabel="mean return over peers")
        ax.legend(fontsize=8)
        fig.tight_layout()
        path = out_dir / f"{env_id}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        paths.append(path)
    return paths
