"""Results in the project's formats: a seed record for ``benchmarks`` and a submission file (§6).

``seed_record`` is what ``benchmarks.methods`` expects a method to return
(curve, per-peer curve, final returns, number of peers), plus the transfer
``evaluations``, versions, wall time and config hash the submission needs.
``write_submission`` is the single adapter to the leaderboard's format: it
defers to ``leaderboard.submission`` when that helper exists, and otherwise
writes the DESIGN §6 fields itself, atomically.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
_PACKAGES = ("peerzoo", "pettingzoo", "gymnasium", "mujoco", "tianshou", "torch", "numpy")


def versions() -> dict[str, str]:
    """Versions of the packages a result depends on, and of Python."""
    found = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def hardware() -> str:
    """A one-line description of the machine (CPU only for these baselines)."""
    return f"{platform.machine()} {platform.processor() or 'cpu'}, {os.cpu_count()} cores"


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
        "versions": versions(),
        "hardware": hardware(),
        "config_hash": config_hash,
        "config": config,
    }


def build_submission(
    *,
    method: str,
    description: str,
    train_env_id: str,
    preset: dict[str, Any],
    seed_records: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """A DESIGN §6 submission: per-seed curves and final returns, and per (eval env × experts).

    ``evaluations`` pools the seeds' per-episode returns for each
    ``eval_env_id`` × ``experts_present``.
    """
    pooled: dict[tuple[str, bool], list[float]] = {}
    for record in seed_records:
        for ev in record["evaluations"]:
            pooled.setdefault((ev["eval_env_id"], ev["experts_present"]), []).extend(ev["returns"])
    return {
        "schema_version": SCHEMA_VERSION,
        "method": {"name": method, "description": description},
        "train_env_id": train_env_id,
        "preset": preset,
        "evaluations": [
            {"eval_env_id": env_id, "experts_present": experts, "returns": returns}
            for (env_id, experts), returns in pooled.items()
        ],
        "seeds": [
            {
                "seed": r["seed"],
                "curve": r["curve"],
                "per_peer_curve": r["per_peer_curve"],
                "final_returns": r["final_returns"],
                "evaluations": r["evaluations"],
                "versions": r["versions"],
                "hardware": r["hardware"],
                "wall_time_s": r["wall_time_s"],
                "config_hash": r["config_hash"],
            }
            for r in seed_records
        ],
    }


def write_submission(path: Path | str, submission: dict[str, Any]) -> Path:
    """Validate (when the leaderboard's helper is present) and write ``submission`` atomically."""
    path = Path(path)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    try:
        from leaderboard import submission as helper  # type: ignore[import-not-found]
    except ImportError:
        helper = None
    finally:
        sys.path.pop(0)
    if helper is not None and hasattr(helper, "write_submission"):
        helper.write_submission(path, submission)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(submission, handle, indent=1, allow_nan=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; submissions are committed and shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
