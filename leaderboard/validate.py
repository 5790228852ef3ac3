"""Read a submission file safely and list every problem in it, each with its field path.

Files come from strangers through pull requests, so reading is defensive:
the size is capped before reading, the nesting depth is capped before parsing
(a scan of the raw text, so a deeply nested file never reaches the recursive
parser), NaN/Infinity and numbers that overflow to inf are refused while
parsing, and duplicate keys are refused instead of silently keeping the last.
Then the JSON Schema (the source of truth) and the semantic rules it cannot
express are checked, and *every* problem is reported, not only the first.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from leaderboard.budgets import EnvBudget, env_budget
from leaderboard.constants import LEADERBOARD_DIR

SCHEMA_PATH = LEADERBOARD_DIR / "submission.schema.v1.json"
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 12
# |mean - mean(per-peer)| allowed between the two curves a runner writes from the same numbers.
CURVE_MEAN_TOLERANCE = 1e-6


class SubmissionParseError(ValueError):
    """A file that is not a JSON document we are willing to parse."""


@dataclass
class Report:
    """The outcome of validating one file: the parsed data if any, and every problem."""

    source: str
    data: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.data is not None


@cache
def schema() -> dict[str, Any]:
    """The committed JSON Schema (read once)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _max_depth(text: str) -> int:
    """Deepest bracket nesting in JSON text, ignoring brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> float:
    raise SubmissionParseError(f"{name} is not allowed: every number must be finite")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise SubmissionParseError(f"number {text[:40]} overflows to infinity")
    return value


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise SubmissionParseError(f"duplicate key {key!r} in one object")
        result[key] = value
    return result


def parse_text(text: str) -> Any:
    """Parse JSON text under the depth cap, refusing non-finite numbers and duplicate keys."""
    depth = _max_depth(text)
    if depth > MAX_DEPTH:
        raise SubmissionParseError(f"nesting depth {depth} exceeds the cap of {MAX_DEPTH}")
    try:
        return json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            object_pairs_hook=_no_duplicate_keys,
        )
    except json.JSONDecodeError as err:
        raise SubmissionParseError(f"malformed JSON: {err}") from None


def read_submission_file(path: Path) -> Any:
    """Read and parse ``path`` under the size and depth caps."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SubmissionParseError(f"file is {size} bytes, over the cap of {MAX_FILE_BYTES}")
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)  # the file may grow between stat and read
    if len(raw) > MAX_FILE_BYTES:
        raise SubmissionParseError(f"file is over the cap of {MAX_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SubmissionParseError(f"not UTF-8 text: {err}") from None
    return parse_text(text)


def _path(parts: Iterable[Any]) -> str:
    """``evaluations[0].seeds[2].curve`` style path; ``$`` for the document itself."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def schema_errors(data: Any) -> list[str]:
    """Every JSON Schema violation, as ``path: message`` lines in document order."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{_path(e.absolute_path)}: {_short(e.message)}" for e in errors]


def _short(message: str, limit: int = 200) -> str:
    """jsonschema quotes the offending value; a hostile value must not flood the report."""
    return message if len(message) <= limit else message[:limit] + "…"


def semantic_errors(data: dict[str, Any], known_ids: set[str]) -> list[str]:
    """Rules beyond the schema; call only on schema-valid data."""
    errors: list[str] = []
    train_id = data["train_env_id"]
    if train_id not in known_ids:
        errors.append(f"$.train_env_id: unknown env id {train_id!r}")
    n_peers = data["preset"]["n_peers"]
    seen_evals: set[tuple[str, bool]] = set()
    seed_sets: list[tuple[int, list[int]]] = []
    for e_index, evaluation in enumerate(data["evaluations"]):
        where = f"$.evaluations[{e_index}]"
        key = (evaluation["eval_env_id"], evaluation["experts_present"])
        if evaluation["eval_env_id"] not in known_ids:
            errors.append(f"{where}.eval_env_id: unknown env id {key[0]!r}")
        if key in seen_evals:
            errors.append(f"{where}: duplicate evaluation for {key[0]!r}, experts_present={key[1]}")
        seen_evals.add(key)
        seeds = [s["seed"] for s in evaluation["seeds"]]
        if len(set(seeds)) != len(seeds):
            errors.append(f"{where}.seeds: duplicate seed values {sorted(seeds)}")
        seed_sets.append((e_index, sorted(seeds)))
        for s_index, seed_result in enumerate(evaluation["seeds"]):
            errors += _seed_errors(seed_result, f"{where}.seeds[{s_index}]", n_peers)
    primary = [i for i, ev in enumerate(data["evaluations"]) if ev["eval_env_id"] == train_id]
    if not primary:
        errors.append(f"$.evaluations: no evaluation on the training env {train_id!r}")
    else:  # the ranked evaluation: scoring needs its curves
        for s_index, seed_result in enumerate(data["evaluations"][primary[0]]["seeds"]):
            for key in ("curve", "per_peer_curve"):
                if key not in seed_result:
                    errors.append(
                        f"$.evaluations[{primary[0]}].seeds[{s_index}]: '{key}' is required "
                        "on the evaluation on the training env"
                    )
    first_index, first_seeds = seed_sets[0]
    for e_index, seeds in seed_sets[1:]:
        if seeds != first_seeds:
            errors.append(
                f"$.evaluations[{e_index}].seeds: seeds {seeds} differ from "
                f"evaluations[{first_index}] seeds {first_seeds}"
            )
    budget = env_budget(data["preset"]["name"], train_id)
    if budget is not None:
        errors += budget_errors(data, budget)
    return errors


# The built-in method that takes N× a peer's samples; it must say so in its own field.
MORE_SAMPLES_METHOD = "single_nx"


def budget_errors(data: dict[str, Any], budget: EnvBudget) -> list[str]:
    """The preset's promises: budget, per-peer curve steps, cadence, episodes and seeds.

    Every method of a preset gets the same budget (``benchmarks/presets.py``), so
    a file claiming more steps or evaluating elsewhere is not
    comparable and is refused, naming the field and the value expected.
    """
    errors: list[str] = []
    where_from = budget.describe()
    preset = data["preset"]
    if preset["env_steps_per_peer"] != budget.steps_per_peer:
        errors.append(
            f"$.preset.env_steps_per_peer: {preset['env_steps_per_peer']} is not the budget; "
            f"expected {budget.steps_per_peer} ({where_from})"
        )
    if data["method"]["name"] == MORE_SAMPLES_METHOD and "sample_multiplier" not in preset:
        errors.append(
            f"$.preset.sample_multiplier: required for {MORE_SAMPLES_METHOD}; expected N, the "
            "peer count whose samples it gets (its curve stays on the per-peer axis)"
        )
    expected_steps = budget.curve_steps()
    for e_index, evaluation in enumerate(data["evaluations"]):
        where = f"$.evaluations[{e_index}]"
        for s_index, seed_result in enumerate(evaluation["seeds"]):
            at = f"{where}.seeds[{s_index}]"
            episodes = len(seed_result["final_returns"])
            if episodes != budget.eval_episodes:
                errors.append(
                    f"{at}.final_returns: {episodes} episodes; expected {budget.eval_episodes} "
                    f"evaluation episodes ({where_from})"
                )
            if "curve" in seed_result:
                errors += _curve_budget_errors(seed_result["curve"], at, budget, expected_steps)
    return errors


def _curve_budget_errors(
    curve: list[list[Any]], at: str, budget: EnvBudget, expected_steps: list[int]
) -> list[str]:
    steps = [point[0] for point in curve]
    for i, step in enumerate(steps):
        if step > budget.steps_per_peer:
            return [
                f"{at}.curve[{i}][0]: step {step} exceeds the budget; expected ≤ "
                f"{budget.steps_per_peer} env steps per peer ({budget.describe()}; more samples "
                "go in $.preset.sample_multiplier, the curve on the per-peer axis)"
            ]
    if any(b <= a for a, b in itertools.pairwise(steps)):
        return []  # reported as non-increasing steps; the cadence would repeat it
    body = steps[1:] if steps and steps[0] == 0 else steps
    if body != expected_steps:
        shown = expected_steps if len(expected_steps) <= 12 else [*expected_steps[:3], "…"]
        return [
            f"{at}.curve: evaluated at steps {_brief(steps)}; expected an evaluation every "
            f"{budget.eval_every} env steps per peer and at the end, steps {shown} "
            f"(an initial 0 allowed; {budget.describe()})"
        ]
    return []


def _brief(values: list[Any]) -> str:
    return str(values) if len(values) <= 12 else f"[{values[0]}, {values[1]}, …, {values[-1]}]"


def _seed_errors(seed_result: dict[str, Any], where: str, n_peers: int) -> list[str]:
    errors: list[str] = []
    if "curve" not in seed_result:
        if "per_peer_curve" in seed_result:
            errors.append(f"{where}.per_peer_curve: given without 'curve'")
        return errors
    steps = [point[0] for point in seed_result["curve"]]
    for i in range(1, len(steps)):
        if steps[i] <= steps[i - 1]:
            errors.append(
                f"{where}.curve[{i}][0]: steps must increase strictly, "
                f"got {steps[i]} after {steps[i - 1]}"
            )
            break
    per_peer = seed_result.get("per_peer_curve")
    if per_peer is None:
        return [*errors, f"{where}: 'per_peer_curve' is required with 'curve'"]
    if len(per_peer) != len(steps):
        errors.append(f"{where}.per_peer_curve: {len(per_peer)} rows for {len(steps)} curve points")
        return errors
    for i, (row, point) in enumerate(zip(per_peer, seed_result["curve"])):
        if len(row) != n_peers:
            errors.append(f"{where}.per_peer_curve[{i}]: {len(row)} returns for {n_peers} peers")
            break
        mean = sum(row) / len(row)
        if abs(mean - point[1]) > CURVE_MEAN_TOLERANCE * max(1.0, abs(mean)):
            errors.append(f"{where}.curve[{i}][1]: {point[1]} is not the mean over peers ({mean})")
            break
    return errors


def validate_data(data: Any, known_ids: set[str], source: str = "<data>") -> Report:
    """Validate already-parsed data: schema first, semantics only on schema-valid data."""
    report = Report(source=source)
    report.errors = schema_errors(data)
    if not report.errors:
        report.errors = semantic_errors(data, known_ids)
    if not report.errors:
        report.data = data
    return report


def validate_file(path: Path, known_ids: set[str]) -> Report:
    """Validate one file; never raises on bad content, every problem lands in the report."""
    try:
        data = read_submission_file(path)
    except (SubmissionParseError, OSError, RecursionError) as err:
        return Report(source=str(path), errors=[f"$: {err}"])
    return validate_data(data, known_ids, source=str(path))
