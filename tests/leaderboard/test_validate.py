"""The validator: every problem reported with its field path; hostile input refused, no crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaderboard import validate
from leaderboard.validate import validate_data, validate_file
from tests.leaderboard.conftest import KNOWN_IDS, make_submission


def check(tmp_path: Path, content: object) -> list[str]:
    path = tmp_path / "s.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return validate_file(path, KNOWN_IDS).errors


def test_a_submission_from_the_helper_is_valid(tmp_path):
    assert check(tmp_path, make_submission()) == []


def test_every_schema_problem_is_reported_with_its_field_path(tmp_path):
    data = make_submission()
    data["preset"]["n_peers"] = "two"
    data["method"]["name"] = 7
    del data["hardware"]
    data["evaluations"][0]["seeds"][1]["final_returns"] = ["high"]
    errors = check(tmp_path, data)
    assert any(e.startswith("$.preset.n_peers:") for e in errors)
    assert any(e.startswith("$.method.name:") for e in errors)
    assert any(e.startswith("$:") and "hardware" in e for e in errors)
    assert any(e.startswith("$.evaluations[0].seeds[1].final_returns[0]:") for e in errors)


def test_malformed_json_is_refused(tmp_path):
    assert "malformed JSON" in check(tmp_path, '{"schema_version": 1,')[0]


def test_a_top_level_array_is_refused(tmp_path):
    assert check(tmp_path, "[1, 2]")[0].startswith("$:")


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(tmp_path, token):
    text = json.dumps(make_submission()).replace('"wall_time_s": 1.0', f'"wall_time_s": {token}')
    errors = check(tmp_path, text)
    assert len(errors) == 1 and ("finite" in errors[0] or "infinity" in errors[0])


def test_duplicate_keys_are_refused(tmp_path):
    text = json.dumps(make_submission())[:-1] + ', "hardware": "other"}'
    assert "duplicate key 'hardware'" in check(tmp_path, text)[0]


def test_negative_steps_are_refused(tmp_path):
    data = make_submission()
    data["evaluations"][0]["seeds"][0]["curve"][0][0] = -5
    assert any(
        e.startswith("$.evaluations[0].seeds[0].curve[0][0]:") for e in check(tmp_path, data)
    )


def test_non_monotonic_steps_are_refused(tmp_path):
    data = make_submission()
    data["evaluations"][0]["seeds"][2]["curve"][2][0] = 1000
    errors = check(tmp_path, data)
    assert errors == [
        "$.evaluations[0].seeds[2].curve[2][0]: steps must increase strictly, got 1000 after 10000"
    ]


def test_curve_mean_must_match_the_per_peer_returns(tmp_path):
    data = make_submission()
    data["evaluations"][0]["seeds"][0]["curve"][1][1] = 99.0
    assert "not the mean over peers" in check(tmp_path, data)[0]


def test_per_peer_rows_must_have_one_return_per_peer(tmp_path):
    data = make_submission()
    data["preset"]["n_peers"] = 3
    assert "2 returns for 3 peers" in check(tmp_path, data)[0]


def test_mismatched_seeds_across_evaluations_are_refused(tmp_path):
    data = make_submission(evals=(("peer_room_v0", False), ("goal_cycle_v0", True)))
    data["evaluations"][1]["seeds"][0]["seed"] = 42
    errors = check(tmp_path, data)
    assert any(e.startswith("$.evaluations[1].seeds: seeds") for e in errors)


def test_duplicate_seeds_are_refused(tmp_path):
    data = make_submission()
    data["evaluations"][0]["seeds"][1]["seed"] = 0
    assert any("duplicate seed" in e for e in check(tmp_path, data))


def test_duplicate_evaluations_are_refused(tmp_path):
    data = make_submission(evals=(("peer_room_v0", False), ("peer_room_v0", False)))
    assert any("duplicate evaluation" in e for e in check(tmp_path, data))


def test_unknown_env_ids_are_refused(tmp_path):
    data = make_submission(env_id="peer_mars_v0", evals=(("peer_mars_v0", False),))
    errors = check(tmp_path, data)
    assert "$.train_env_id: unknown env id 'peer_mars_v0'" in errors
    assert "$.evaluations[0].eval_env_id: unknown env id 'peer_mars_v0'" in errors


def test_an_evaluation_on_the_training_env_is_required(tmp_path):
    data = make_submission(evals=(("goal_cycle_v0", False),))
    assert any("no evaluation on the training env" in e for e in check(tmp_path, data))


def test_unknown_presets_are_refused(tmp_path):
    data = make_submission(preset="marathon")
    assert check(tmp_path, data)[0].startswith("$.preset.name:")


def test_oversized_files_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "MAX_FILE_BYTES", 1000)
    assert "over the cap" in check(tmp_path, make_submission())[0]


def test_deeply_nested_files_are_refused_before_parsing(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000  # would exhaust the recursive parser
    assert "nesting depth 100000 exceeds the cap" in check(tmp_path, deep)[0]


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path):
    data = make_submission(name='[[[[[[[[[[[[[[[[[[[[ {{{{{{{{{{{{{{ \\" [[[[')
    assert check(tmp_path, data) == []


def test_hostile_values_are_truncated_in_messages():
    data = make_submission()
    data["hardware"] = ["x" * 10_000]
    errors = validate_data(data, KNOWN_IDS).errors
    assert errors and all(len(e) < 400 for e in errors)


def test_not_utf8_is_refused(tmp_path):
    path = tmp_path / "s.json"
    path.write_bytes(b'{"a": "\xff"}')
    assert "not UTF-8" in validate_file(path, KNOWN_IDS).errors[0]


def test_the_evaluation_on_the_training_env_needs_its_curves(tmp_path):
    data = make_submission()
    del data["evaluations"][0]["seeds"][3]["curve"]
    del data["evaluations"][0]["seeds"][3]["per_peer_curve"]
    errors = check(tmp_path, data)
    assert errors == [
        "$.evaluations[0].seeds[3]: 'curve' is required on the evaluation on the training env",
        "$.evaluations[0].seeds[3]: 'per_peer_curve' is required on the evaluation on the "
        "training env",
    ]
