"""--add-method: a method of your own is checked before any job, described, hashed, scored."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks import run_all

TOYS = "tests.benchmarks.toy_methods"


def sweep(results: Path, entry: str, *extra: str, name: str = "mine") -> list[str]:
    return [
        "--add-method",
        f"{name}={entry}@room",
        "--method",
        name,
        "--env",
        "peer_room_v0",
        "--results",
        str(results),
        "--workers",
        "1",
        "--no-plots",
        *extra,
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "no_such_module:run",
            r"^--add-method mine=no_such_module:run: importing 'no_such_module' failed "
            r"\(ModuleNotFoundError: .*\); run from the directory that holds it, or give its "
            r"file path",
        ),
        (
            "examples/nope.py:run",
            r"^--add-method mine=examples/nope.py:run: no file 'examples/nope.py' .*; give an "
            r"existing .py file or an importable module",
        ),
        (
            f"{TOYS}:missing",
            r"has no function 'missing'; it defines \[.*'counting'.*\]",
        ),
        (
            f"{TOYS}:needs_four_arguments",
            r"needs_four_arguments\(env_id, seed, budget, extra\) must accept "
            r"\(env_id, seed, budget\); see benchmarks.methods.Method",
        ),
    ],
)
def test_a_broken_entry_point_is_one_line_before_any_job(
    tmp_path: Path, entry: str, message: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        run_all.run(sweep(tmp_path / "res", entry))
    text = str(stop.value)
    assert "\n" not in text
    assert re.search(message, text), text
    assert not (tmp_path / "res").exists(), "nothing written"


def test_a_malformed_record_stops_the_sweep_with_one_line_and_stores_nothing(
    tmp_path: Path,
) -> None:
    with pytest.raises(SystemExit) as stop:
        run_all.run(sweep(tmp_path, f"{TOYS}:malformed"))
    text = str(stop.value)
    assert text == (
        f"mine ({TOYS}:malformed) on peer_room_v0/mine/seed0: seed record lacks "
        "'final_returns'; nothing stored for it."
    )
    assert not list(tmp_path.rglob("*.json")), "no result, no error report, no submission"


@pytest.mark.parametrize("seconds", [-1.0, float("nan"), "12 s", True])
def test_a_record_with_a_bad_wall_time_is_refused(seconds: object) -> None:
    from benchmarks.presets import Budget
    from benchmarks.records import RecordError, check_seed_record
    from tests.benchmarks.toy_methods import counting

    record = counting("peer_room_v0", 0, Budget(20, 10, 1))
    assert check_seed_record({**record, "wall_time_s": 12.5})["wall_time_s"] == 12.5
    with pytest.raises(RecordError, match="'wall_time_s' must be seconds"):
        check_seed_record({**record, "wall_time_s": seconds})


def test_description_and_code_url_reach_the_submission(tmp_path: Path) -> None:
    url = "https://example.org/mine"
    extra = ("--method-description", "Counts steps", "--method-code-url", url)
    assert run_all.run(sweep(tmp_path, f"{TOYS}:counting", *extra)) == 0
    submission = json.loads(
        (tmp_path / "leaderboard" / "submissions" / "mine__peer_room_v0__smoke.json").read_text()
    )
    assert submission["method"] == {"name": "mine", "description": "Counts steps", "code_url": url}


def test_the_description_defaults_to_the_docstring_and_more_descriptions_than_methods_fail(
    tmp_path: Path,
) -> None:
    args = run_all.parse_args(sweep(tmp_path, f"{TOYS}:yielding"))
    _, methods, _ = run_all.select(args)
    assert methods["mine"].description.startswith("Yields a fixed-action policy")
    too_many = sweep(
        tmp_path, f"{TOYS}:yielding", "--method-description", "a", "--method-description", "b"
    )
    with pytest.raises(SystemExit, match="--method-description given 2 times for 1 --add-method"):
        run_all.run(too_many)


def test_yielded_policies_are_evaluated_by_the_sweep_and_the_config_is_hashed(
    tmp_path: Path,
) -> None:
    import numpy as np

    import peerzoo

    args = [
        *sweep(tmp_path, f"{TOYS}:yielding"),
        "--add-method",
        f"other={TOYS}:yielding_other_config@room",
        "--method",
        "other",
    ]
    assert run_all.run(args) == 0
    runs = tmp_path / "runs" / "smoke" / "peer_room_v0"
    mine = json.loads((runs / "mine" / "seed0.json").read_text())
    other = json.loads((runs / "other" / "seed0.json").read_text())
    expected = peerzoo.evaluate(
        lambda observations, peers: np.full(len(peers), 1),
        "peer_room_v0",
        episodes=2,  # the smoke preset's Room evaluation
        seed=peerzoo.EVAL_SEED,
    )
    assert mine["final_returns"] == pytest.approx(expected.mean(axis=0).tolist())
    assert [p[0] for p in mine["curve"]] == [500, 1000]
    assert mine["config"] == {"action": 1} and other["config"] == {"action": 2}
    assert mine["config_hash"] != other["config_hash"]
    seed1 = json.loads((runs / "mine" / "seed1.json").read_text())
    assert seed1["config_hash"] == mine["config_hash"], "one config, one hash across seeds"
