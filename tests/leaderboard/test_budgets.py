"""The validator holds every entry to its preset's budget (benchmarks/presets.py).

Each rejection names the field path and the value expected. The budgets below
are read from the presets module on purpose: the rule is "equal to the preset",
whatever the preset's numbers become.
"""

from __future__ import annotations

import pytest

from benchmarks.presets import PRESETS
from leaderboard.submission import from_seed_records
from leaderboard.validate import validate_data
from tests.leaderboard.conftest import KNOWN_IDS, make_submission

ROOM_SHORT = PRESETS["short"].budget("peer_room_v0")


def errors(data: dict) -> list[str]:
    return validate_data(data, KNOWN_IDS).errors


def test_a_file_on_the_presets_budget_is_valid():
    for preset in PRESETS:
        for env_id in ("peer_room_v0", "peer_hopper_v0", "goal_cycle_v0"):
            assert errors(make_submission(env_id=env_id, preset=preset)) == [], (preset, env_id)


def test_a_claimed_budget_other_than_the_presets_is_refused_with_the_expected_value():
    data = make_submission()
    data["preset"]["env_steps_per_peer"] = 10**9
    assert errors(data) == [
        f"$.preset.env_steps_per_peer: 1000000000 is not the budget; expected "
        f"{ROOM_SHORT.steps_per_peer} (short preset, room envs, benchmarks/presets.py)"
    ]


def test_the_budget_is_the_one_of_the_envs_family():
    hopper = make_submission(env_id="peer_hopper_v0", evals=(("peer_hopper_v0", False),))
    room_budget = make_submission()["preset"]["env_steps_per_peer"]
    hopper["preset"]["env_steps_per_peer"] = room_budget
    expected = PRESETS["short"].budget("peer_hopper_v0").steps_per_peer
    assert f"expected {expected} (short preset, mujoco envs" in errors(hopper)[0]


def test_a_curve_step_beyond_the_budget_is_refused_at_its_path():
    data = make_submission()
    data["evaluations"][0]["seeds"][1]["curve"][-1][0] = ROOM_SHORT.steps_per_peer + 1
    (error,) = errors(data)
    assert error.startswith(
        f"$.evaluations[0].seeds[1].curve[{ROOM_SHORT.steps_per_peer // ROOM_SHORT.eval_every - 1}]"
        f"[0]: step {ROOM_SHORT.steps_per_peer + 1} exceeds the budget; "
        f"expected ≤ {ROOM_SHORT.steps_per_peer} env steps per peer"
    )


def test_an_evaluation_cadence_other_than_the_presets_is_refused_with_the_expected_steps():
    data = make_submission()
    seed = data["evaluations"][0]["seeds"][0]
    seed["curve"] = seed["curve"][1::2]  # every other evaluation
    seed["per_peer_curve"] = seed["per_peer_curve"][1::2]
    (error,) = errors(data)
    assert error.startswith("$.evaluations[0].seeds[0].curve: evaluated at steps [")
    assert f"expected an evaluation every {ROOM_SHORT.eval_every} env steps per peer" in error
    assert f"{ROOM_SHORT.eval_every}, {2 * ROOM_SHORT.eval_every}" in error


def test_an_initial_evaluation_before_training_is_allowed():
    data = make_submission()
    for seed in data["evaluations"][0]["seeds"]:
        seed["curve"].insert(0, [0, 0.0])
        seed["per_peer_curve"].insert(0, [0.0, 0.0])
    assert errors(data) == []


def test_the_number_of_final_evaluation_episodes_is_the_presets():
    data = make_submission()
    data["evaluations"][0]["seeds"][2]["final_returns"] = [1.0, 2.0, 3.0]
    assert errors(data) == [
        f"$.evaluations[0].seeds[2].final_returns: 3 episodes; expected "
        f"{ROOM_SHORT.eval_episodes} evaluation episodes (short preset, room envs, "
        "benchmarks/presets.py)"
    ]


def test_an_entry_with_fewer_seeds_than_the_preset_is_valid_so_studies_commit_as_they_go():
    # A study commits each finished seed; the board ranks an entry only from 5 seeds on.
    assert errors(make_submission(n_seeds=3)) == []


def test_seeds_beyond_the_presets_are_allowed():
    assert errors(make_submission(n_seeds=7)) == []


def test_single_nx_must_record_its_extra_samples_in_a_field_of_its_own():
    data = make_submission(name="single_nx", n_peers=1)
    assert errors(data) == [
        "$.preset.sample_multiplier: required for single_nx; expected N, the peer count "
        "whose samples it gets (its curve stays on the per-peer axis)"
    ]
    data["preset"]["sample_multiplier"] = 2
    assert errors(data) == []


def test_single_nx_with_its_curve_on_its_own_step_axis_is_refused():
    data = make_submission(name="single_nx", n_peers=1)
    data["preset"]["sample_multiplier"] = 2
    for seed in data["evaluations"][0]["seeds"]:
        for point in seed["curve"]:
            point[0] *= 2  # the single agent's own steps, not the per-peer axis
    assert "exceeds the budget; expected ≤" in errors(data)[0]


@pytest.mark.parametrize("value", [0, 1, 65, "4"])
def test_the_sample_multiplier_is_an_integer_from_2_to_64(value):
    data = make_submission(name="single_nx", n_peers=1)
    data["preset"]["sample_multiplier"] = value
    assert errors(data)[0].startswith("$.preset.sample_multiplier:")


def test_seed_records_of_a_learner_with_n_times_the_samples_land_on_the_per_peer_axis():
    budget = PRESETS["smoke"].budget("peer_room_v0")
    own_steps = range(budget.eval_every, 2 * budget.steps_per_peer + 1, budget.eval_every)
    records = [
        {
            "seed": seed,
            "curve": [[s, s / 100] for s in own_steps],
            "per_peer_curve": [[s / 100] for s in own_steps],
            "final_returns": [1.0] * budget.eval_episodes,
            "n_peers": 1,
            "sample_multiplier": 2,
            "config_hash": "abcdef0123456789",
        }
        for seed in PRESETS["smoke"].seeds
    ]
    sub = from_seed_records(
        method_name="single_nx",
        method_description="d",
        train_env_id="peer_room_v0",
        preset_name="smoke",
        env_steps_per_peer=budget.steps_per_peer,
        n_peers=1,
        seed_records=records,
    )
    assert sub["preset"]["sample_multiplier"] == 2
    curve = sub["evaluations"][0]["seeds"][0]["curve"]
    # own steps 2 * k * eval_every are per-peer steps k * eval_every; the others fall between
    assert curve == [
        [s, 2 * s / 100]
        for s in range(budget.eval_every, budget.steps_per_peer + 1, budget.eval_every)
    ]
    assert errors(sub) == []


def test_every_committed_submission_keeps_its_presets_budget():
    from pathlib import Path

    from leaderboard.known_ids import known_env_ids
    from leaderboard.validate import validate_file

    folder = Path(__file__).resolve().parents[2] / "leaderboard" / "submissions"
    known = known_env_ids()
    for path in sorted(folder.glob("*.json")):
        assert validate_file(path, known).errors == [], path.name
