"""Scores: normalisation on the same-preset reference entry, rliable CIs, ranking rules."""

from __future__ import annotations

import numpy as np

from leaderboard.scoring import EntryScore, score_board, summarise_entry
from tests.leaderboard.conftest import RANDOM, make_submission


def scored(*submissions: tuple[str, dict], random=RANDOM, reps: int = 300) -> dict[str, EntryScore]:
    entries = [summarise_entry(name, data) for name, data in submissions]
    score_board(entries, random, reps=reps)
    return {e.file_name: e for e in entries}


def single(**kw) -> tuple[str, dict]:
    """The `single` reference at the short preset: seeds end at 10, 11, ... 14 (mean 12)."""
    return ("single.json", make_submission(name="single", **kw))


def test_scores_are_normalised_between_random_and_the_reference_entry_of_the_same_preset():
    # entry seeds end at 22..26, the reference's mean is 12, random is 0: scores 22/12..26/12
    board = scored(single(), ("a.json", make_submission(level=22.0)))
    entry = board["a.json"]
    assert entry.ranked and entry.reference_file == "single.json"
    assert np.allclose(entry.scores, np.arange(22, 27) / 12)
    assert abs(entry.mean - 2.0) < 1e-9
    assert abs(board["single.json"].mean - 1.0) < 1e-9  # the reference is the unit


def test_random_return_is_the_zero_of_the_scale():
    board = scored(single(), ("a.json", make_submission(level=2.0)), random={"peer_room_v0": 2.0})
    # reference mean 12 -> 10 above random; entry seeds end 2..6 -> 0 .. 0.4
    assert np.allclose(board["a.json"].scores, np.arange(0, 5) / 10)


def test_iqm_and_mean_come_with_95_percent_bootstrap_intervals_around_them():
    entry = scored(single(), ("a.json", make_submission(level=22.0)), reps=500)["a.json"]
    assert entry.iqm_ci[0] <= entry.iqm <= entry.iqm_ci[1]
    assert entry.mean_ci[0] <= entry.mean <= entry.mean_ci[1]
    assert 22 / 12 <= entry.mean_ci[0] < entry.mean_ci[1] <= 26 / 12


def test_probability_of_improvement_is_over_the_reference_seeds():
    board = scored(
        single(),
        ("same.json", make_submission(name="same", level=10.0)),
        ("above.json", make_submission(name="above", level=100.0)),
    )
    assert board["same.json"].probability_of_improvement == 0.5
    assert board["above.json"].probability_of_improvement == 1.0


def test_average_return_over_training_is_the_mean_of_the_evaluation_curve():
    data = make_submission(level=6.0)
    entry = scored(single(), ("a.json", data))["a.json"]
    curves = [[p[1] for p in s["curve"]] for s in data["evaluations"][0]["seeds"]]
    assert abs(entry.average_return_over_training - np.mean(curves)) < 1e-9


def test_smoke_entries_are_never_ranked_even_beside_their_smoke_reference():
    board = scored(
        ("single.json", make_submission(name="single", preset="smoke")),
        ("a.json", make_submission(preset="smoke")),
    )
    assert not board["a.json"].ranked and board["a.json"].rank is None
    assert board["a.json"].unranked_reasons == [
        "smoke preset: shown, never ranked",
        "2 seeds; ranking needs ≥ 5",
    ]


def test_entries_with_fewer_than_5_seeds_say_so():
    entry = scored(single(), ("a.json", make_submission(n_seeds=4)))["a.json"]
    assert entry.unranked_reasons == ["4 seeds; ranking needs ≥ 5"]


def test_an_env_without_a_reference_entry_at_that_preset_names_what_is_missing():
    board = scored(
        ("single.json", make_submission(name="single", preset="smoke")),
        ("a.json", make_submission()),
    )
    assert board["a.json"].unranked_reasons == [
        "no `single` reference entry for peer_room_v0 at the short preset"
    ]


def test_an_unranked_reference_leaves_the_others_unranked_and_says_why():
    board = scored(single(n_seeds=3), ("a.json", make_submission()))
    assert not board["single.json"].ranked
    assert board["a.json"].unranked_reasons == [
        "its `single` reference (single.json) is itself unranked: 3 seeds; ranking needs ≥ 5"
    ]


def test_a_reference_at_the_random_level_cannot_normalise():
    board = scored(single(level=0.0, spread=0.0), ("a.json", make_submission()))
    assert board["single.json"].unranked_reasons == [
        "its return equals the random return (0): no scale to normalise on"
    ]
    assert board["a.json"].unranked_reasons == [
        "its `single` reference (single.json) is itself unranked: its return equals the "
        "random return (0): no scale to normalise on"
    ]


def test_social_tasks_are_normalised_by_the_solo_learner_not_single():
    def social(name: str, level: float) -> tuple[str, dict]:
        return (f"{name}.json", make_submission(name=name, env_id="goal_cycle_v0", level=level))

    board = scored(social("single", 10.0), social("aux", 20.0))
    assert "no `solo_ppo_aux` reference entry" in board["aux.json"].unranked_reason
    board = scored(social("solo_ppo_aux", 10.0), social("aux", 20.0))
    assert board["aux.json"].ranked and board["aux.json"].reference_file == "solo_ppo_aux.json"


def test_an_env_without_a_measured_random_return_is_not_ranked():
    board = scored(single(), ("a.json", make_submission()), random={})
    assert "no measured random return for peer_room_v0" in board["a.json"].unranked_reason


def test_ranking_follows_iqm_within_env_and_preset_and_marks_ties():
    board = scored(
        single(),
        ("low.json", make_submission(name="low", level=0.0)),
        ("high.json", make_submission(name="high", level=100.0)),
        ("near.json", make_submission(name="near", level=100.5)),
        ("smoke.json", make_submission(name="smoke", preset="smoke")),
    )
    ranks = {name: e.rank for name, e in board.items()}
    assert ranks == {
        "near.json": 1,
        "high.json": 2,
        "single.json": 3,
        "low.json": 4,
        "smoke.json": None,
    }
    assert board["near.json"].tied_with == [2] and board["high.json"].tied_with == [1]
    assert board["low.json"].tied_with == []


def test_a_bootstrap_ci_is_the_same_whatever_the_global_generator_did_before() -> None:
    """rliable resamples with NumPy's global generator; ``quiet`` seeds it from random_state."""
    from rliable import library as rly
    from rliable import metrics

    from leaderboard.scoring import quiet

    scores = {"x": np.array([[0.1], [0.5], [0.2], [0.9], [0.4]])}

    def ci() -> np.ndarray:
        _, intervals = quiet(
            rly.get_interval_estimates,
            scores,
            lambda x: np.array([metrics.aggregate_iqm(x)]),
            reps=200,
            random_state=np.random.RandomState(0),
        )
        return intervals["x"]

    first = ci()
    np.random.seed(123)
    np.random.rand(7)
    state = np.random.get_state()
    assert np.array_equal(ci(), first)
    assert np.array_equal(np.random.get_state()[1], state[1]), "the caller's state is restored"
