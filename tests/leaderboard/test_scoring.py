"""Scores: normalisation, rliable IQM/mean CIs, probability of improvement, ranking rules."""

from __future__ import annotations

import numpy as np

from leaderboard.constants import EnvConstants
from leaderboard.scoring import rank_entries, score_entry
from tests.leaderboard.conftest import make_submission

ROOM = {"peer_room_v0": EnvConstants("peer_room_v0", 0.0, "t", 10.0, "t")}


def test_scores_are_normalised_between_random_and_reference():
    # seeds end at 10, 11, 12, 13, 14 -> normalised 1.0 ... 1.4
    entry = score_entry("a.json", make_submission(level=10.0), ROOM, reps=200)
    assert entry.mean is not None and abs(entry.mean - 1.2) < 1e-9
    assert entry.final_return == 12.0


def test_iqm_and_mean_come_with_95_percent_bootstrap_intervals_around_them():
    entry = score_entry("a.json", make_submission(level=10.0), ROOM, reps=500)
    assert entry.iqm_ci is not None and entry.mean_ci is not None
    assert entry.iqm_ci[0] <= entry.iqm <= entry.iqm_ci[1]
    assert entry.mean_ci[0] <= entry.mean <= entry.mean_ci[1]
    assert 1.0 <= entry.mean_ci[0] < entry.mean_ci[1] <= 1.4


def test_probability_of_improvement_is_the_share_of_seeds_beating_the_reference():
    # seeds end at 8, 9, 10, 11, 12 against a reference of 10: 2 above, 1 tie -> 2.5 / 5
    entry = score_entry("a.json", make_submission(level=8.0), ROOM, reps=200)
    assert entry.probability_of_improvement == 0.5


def test_average_return_over_training_is_the_mean_of_the_evaluation_curve():
    entry = score_entry("a.json", make_submission(level=6.0, n_seeds=5), ROOM, reps=200)
    per_seed = [np.mean([(6.0 + s) * k / 3 for k in range(4)]) for s in range(5)]
    assert abs(entry.average_return_over_training - np.mean(per_seed)) < 1e-9


def test_smoke_entries_are_listed_but_never_ranked():
    entry = score_entry("a.json", make_submission(preset="smoke"), ROOM, reps=200)
    assert not entry.ranked and "smoke" in (entry.unranked_reason or "")


def test_entries_with_fewer_than_5_seeds_are_listed_but_not_ranked():
    entry = score_entry("a.json", make_submission(n_seeds=4), ROOM, reps=200)
    assert not entry.ranked and "4 seeds" in (entry.unranked_reason or "")


def test_envs_without_constants_are_not_ranked():
    data = make_submission(env_id="peer_hopper_v0")
    entry = score_entry("a.json", data, ROOM, reps=200)
    assert not entry.ranked and entry.iqm is None and "constants" in (entry.unranked_reason or "")


def test_ranking_follows_iqm_and_reports_overlapping_intervals_as_ties():
    entries = [
        score_entry("low.json", make_submission(name="low", level=0.0), ROOM, reps=300),
        score_entry("high.json", make_submission(name="high", level=100.0), ROOM, reps=300),
        score_entry("near.json", make_submission(name="near", level=100.5), ROOM, reps=300),
        score_entry("smoke.json", make_submission(preset="smoke"), ROOM, reps=300),
    ]
    rank_entries(entries)
    ranks = {e.method_name + e.file_name: e.rank for e in entries}
    assert ranks == {
        "nearnear.json": 1,
        "highhigh.json": 2,
        "lowlow.json": 3,
        "peer SACsmoke.json": None,
    }
    near, high, low = entries[2], entries[1], entries[0]
    assert near.overlaps_with == [2] and high.overlaps_with == [1] and low.overlaps_with == []
