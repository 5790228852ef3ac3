"""Build and write a submission file: the one helper the runner and the solutions call.

Dependency-light on purpose (stdlib only; jsonschema only if installed): a
training run must be able to write its results without the leaderboard's
plotting stack, and the envs never import torch or tianshou, so neither does
this. The file is written to a temporary file and renamed, so a crash never
leaves half a submission behind.

Example::

    from leaderboard.submission import SeedResult, Evaluation, build_submission, write_submission

    seeds = [SeedResult(seed=0, final_returns=[3.5, 3.1],
                        per_peer_curve=[(1000, [1.0, 2.0]), (2000, [3.0, 4.0])])]
    sub = build_submission(method_name="peer SAC", method_description="critic + trust",
                           train_env_id="peer_hopper_v0", preset_name="smoke",
                           env_steps_per_peer=2000, n_peers=2,
                           evaluations=[Evaluation("peer_hopper_v0", False, seeds)],
                           hardware="2 CPU cores", wall_time_s=12.5, config={"lr": 3e-4})
    write_submission("leaderboard/submissions/peer_sac__peer_hopper_v0__smoke.json", sub)
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
VERSIONED_PACKAGES = ("peerzoo", "pettingzoo", "gymnasium", "mujoco", "tianshou", "torch", "numpy")


@dataclass(frozen=True)
class SeedResult:
    """One training seed: per-peer evaluation returns along training, and the final returns.

    ``per_peer_curve`` holds ``(env_steps_per_peer, [return of peer 0, peer 1, ...])``;
    the mean-over-peers curve is derived from it, so the two can never disagree. It is
    required on the evaluation on the training env and may be empty on transfer ones.
    """

    seed: int
    final_returns: Sequence[float]
    per_peer_curve: Sequence[tuple[int, Sequence[float]]] = ()

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"seed": int(self.seed)}
        if self.per_peer_curve:  # transfer evaluations may carry final returns only
            curve = []
            rows = []
            for steps, returns in self.per_peer_curve:
                row = [float(r) for r in returns]
                curve.append([int(steps), sum(row) / len(row)])
                rows.append(row)
            result["curve"] = curve
            result["per_peer_curve"] = rows
        result["final_returns"] = [float(r) for r in self.final_returns]
        return result


@dataclass(frozen=True)
class Evaluation:
    """Results on one evaluation env, with or without experts (transfer results)."""

    eval_env_id: str
    experts_present: bool
    seeds: Sequence[SeedResult]

    def to_json(self) -> dict[str, Any]:
        return {
            "eval_env_id": self.eval_env_id,
            "experts_present": bool(self.experts_present),
            "seeds": [s.to_json() for s in self.seeds],
        }


def installed_versions() -> dict[str, str | None]:
    """Versions of the packages a result depends on; ``None`` for those not installed."""
    versions: dict[str, str | None] = {}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    versions["python"] = platform.python_version()
    return versions


def config_hash(config: Any) -> str:
    """SHA-256 of the config as canonical JSON: equal configs give equal hashes."""
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_submission(
    *,
    method_name: str,
    method_description: str,
    train_env_id: str,
    preset_name: str,
    env_steps_per_peer: int,
    n_peers: int,
    evaluations: Sequence[Evaluation],
    hardware: str,
    wall_time_s: float,
    config: Any,
    code_url: str | None = None,
    versions: dict[str, str | None] | None = None,
    sample_multiplier: int = 1,
) -> dict[str, Any]:
    """The submission dict in schema_version 1; ``versions`` defaults to what is installed.

    ``sample_multiplier`` > 1 records that the learner took that many env steps per
    step of a peer's budget (``single_nx``); its curves must already be on the
    per-peer axis (see :func:`per_peer_axis`).
    """
    method: dict[str, Any] = {"name": method_name, "description": method_description}
    if code_url:
        method["code_url"] = code_url
    preset: dict[str, Any] = {
        "name": preset_name,
        "env_steps_per_peer": int(env_steps_per_peer),
        "n_peers": int(n_peers),
    }
    if sample_multiplier != 1:
        preset["sample_multiplier"] = int(sample_multiplier)
    return {
        "schema_version": SCHEMA_VERSION,
        "method": method,
        "train_env_id": train_env_id,
        "preset": preset,
        "evaluations": [e.to_json() for e in evaluations],
        "versions": versions if versions is not None else installed_versions(),
        "hardware": hardware,
        "wall_time_s": float(wall_time_s),
        "config_hash": config_hash(config),
    }


def from_seed_records(
    *,
    method_name: str,
    method_description: str,
    train_env_id: str,
    preset_name: str,
    env_steps_per_peer: int,
    n_peers: int,
    seed_records: Sequence[dict[str, Any]],
    train_experts_present: bool = False,
    code_url: str | None = None,
) -> dict[str, Any]:
    """A submission from ``benchmarks``-style seed records, one per seed.

    A record holds ``seed``, ``curve`` (``[steps, mean]`` pairs), ``per_peer_curve``
    (per-peer returns per curve point), ``final_returns``, and optionally
    ``evaluations`` (``{"eval_env_id", "experts_present", "returns"}`` transfer
    results), ``versions``, ``hardware``, ``wall_time_s``, ``config_hash`` and
    ``sample_multiplier`` (a learner given N× a peer's samples, whose curve counts
    its own steps: the curve is moved onto the per-peer axis here).
    The curve-bearing evaluation on the training env comes first; a record's own
    evaluation with the same (env, experts) key is dropped in its favour. The wall
    time is the sum over seeds; all seeds must share one config hash.
    """
    if not seed_records:
        raise ValueError("seed_records is empty: a submission needs at least one seed")
    hashes = sorted({str(r.get("config_hash")) for r in seed_records})
    if len(hashes) != 1:
        raise ValueError(f"seeds were run with different configs (config hashes {hashes})")
    multipliers = sorted({int(r.get("sample_multiplier", 1)) for r in seed_records})
    if len(multipliers) != 1:
        raise ValueError(f"seeds disagree on sample_multiplier ({multipliers})")
    multiplier = multipliers[0]
    primary_key = (train_env_id, bool(train_experts_present))
    primary = Evaluation(
        train_env_id,
        train_experts_present,
        [
            SeedResult(
                seed=r["seed"],
                final_returns=r["final_returns"],
                per_peer_curve=per_peer_axis(
                    [(int(p[0]), row) for p, row in zip(r["curve"], r["per_peer_curve"])],
                    multiplier,
                    _cadence(preset_name, train_env_id, env_steps_per_peer),
                ),
            )
            for r in seed_records
        ],
    )
    transfer: dict[tuple[str, bool], list[SeedResult]] = {}
    for r in seed_records:
        for ev in r.get("evaluations", ()):
            key = (ev["eval_env_id"], bool(ev["experts_present"]))
            if key != primary_key:
                transfer.setdefault(key, []).append(SeedResult(r["seed"], ev["returns"]))
    first = seed_records[0]
    submission = build_submission(
        method_name=method_name,
        method_description=method_description,
        train_env_id=train_env_id,
        preset_name=preset_name,
        env_steps_per_peer=env_steps_per_peer,
        n_peers=n_peers,
        evaluations=[primary, *(Evaluation(k[0], k[1], v) for k, v in transfer.items())],
        hardware=first.get("hardware") or default_hardware(),
        wall_time_s=sum(float(r.get("wall_time_s", 0.0)) for r in seed_records),
        config=None,
        code_url=code_url,
        versions=first.get("versions"),
        sample_multiplier=multiplier,
    )
    if first.get("config_hash"):
        submission["config_hash"] = first["config_hash"]
    return submission


def _cadence(preset_name: str, env_id: str, env_steps_per_peer: int) -> set[int] | None:
    """The preset's evaluation points (with 0) when the run has the preset's budget."""
    from leaderboard.budgets import env_budget

    budget = env_budget(preset_name, env_id)
    if budget is None or budget.steps_per_peer != env_steps_per_peer:
        return None
    return {0, *budget.curve_steps()}


def per_peer_axis(
    curve: Sequence[tuple[int, Sequence[float]]],
    sample_multiplier: int,
    cadence: set[int] | None = None,
) -> list[tuple[int, Sequence[float]]]:
    """A curve over a learner's own steps, moved onto the per-peer axis of everyone else.

    A learner given N× the samples (``single_nx``) has, after ``s`` of its own steps,
    used what N peers use after ``s / N`` steps each, so that is where its point
    belongs. With ``cadence`` (the preset's evaluation points), only the points on it
    are kept: the others fall between everyone else's evaluations.
    """
    moved = []
    for steps, row in curve:
        if steps % sample_multiplier:
            continue
        per_peer = steps // sample_multiplier
        if cadence is None or per_peer in cadence:
            moved.append((per_peer, row))
    return moved


def default_hardware() -> str:
    """A one-line description of this machine (CPU count and processor)."""
    return f"{os.cpu_count()} CPU cores, {platform.machine()} {platform.processor()}".strip()


def write_submission(path: str | Path, submission: dict[str, Any], validate: bool = True) -> Path:
    """Validate (when jsonschema is installed) and write atomically: temp file, then rename.

    Raises ``ValueError`` listing every problem rather than writing a file the
    leaderboard would reject. NaN/inf are refused by ``allow_nan=False``.
    """
    path = Path(path)
    if validate:
        _check(submission)
    return write_text_atomic(path, json.dumps(submission, indent=1, allow_nan=False) + "\n")


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` so that ``path`` is either as before or complete: temp file, fsync, rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def _check(submission: dict[str, Any]) -> None:
    try:
        import jsonschema  # noqa: F401
    except ImportError:  # the runner may live without the leaderboard extras
        return
    from leaderboard.known_ids import known_env_ids
    from leaderboard.validate import parse_text, validate_data

    # A round trip through the strict parser catches NaN/inf and non-JSON types.
    try:
        data = parse_text(json.dumps(submission, allow_nan=True, default=repr))
    except ValueError as err:
        raise ValueError(f"submission is not valid: {err}") from None
    report = validate_data(data, known_env_ids())
    if report.errors:
        raise ValueError("submission is not valid:\n  " + "\n  ".join(report.errors))
