"""A seed record in the format ``benchmarks.methods`` expects of a method.

It holds the curve, per-peer curve, final returns and number of learners, plus
the transfer ``evaluations``, versions, wall time and config hash that
``leaderboard.submission.from_seed_records`` turns into a submission (docs/design.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from leaderboard.submission import default_hardware, installed_versions


def seed_record(
    *,
    curve: list[list[float]],
    per_peer_curve: list[list[float]],
    final_returns: list[float],
    n_peers: int,
    evaluations: list[dict[str, Any]],
    wall_time_s: float,
    config: dict[str, Any],
    config_hash: str,
    seed: int,
    train_experts_present: bool,
) -> dict[str, Any]:
    """One seed's result: the ``benchmarks`` record plus the submission's per-seed fields."""
    return {
        "seed": seed,
        "curve": curve,
        "per_peer_curve": per_peer_curve,
        "final_returns": final_returns,
        "n_peers": n_peers,
        "evaluations": evaluations,
        "wall_time_s": wall_time_s,
        "versions": installed_versions(),
        "hardware": default_hardware(),
        "config_hash": config_hash,
        "config": config,
        "train_experts_present": train_experts_present,
    }


def save_and_report(record: dict[str, Any], logdir: str | None) -> Path:
    """Write ``record`` to ``logdir/result.json`` and print its evaluation table (the CLIs' end)."""
    out = Path(logdir or ".") / "result.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=1))
    for ev in record["evaluations"]:
        experts = "with experts" if ev["experts_present"] else "alone"
        print(f"{ev['eval_env_id']:>24} {experts:>12}: {ev['mean_return']:+.2f}")
    print(f"result: {out}")
    return out
