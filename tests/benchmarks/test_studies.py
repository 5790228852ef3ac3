"""Study specs, the Kendall τ of the ranking study, follow fractions, cost arithmetic, the page."""

from __future__ import annotations

import dataclasses
import math
from argparse import Namespace
from pathlib import Path

import numpy as np
import pytest

import peerzoo
from benchmarks import run_all
from benchmarks.presets import PRESETS
from benchmarks.store import Job
from benchmarks.studies import STUDIES, Study, get_study
from benchmarks.studies.cli import page_jobs
from benchmarks.studies.estimate import job_seconds, makespan
from benchmarks.studies.following import follow_fractions
from benchmarks.studies.ranking import kendall_tau, seed_scores, tau_over_training
from benchmarks.studies.registry import check, study_jobs
from benchmarks.studies.report import write_report
from benchmarks.studies.rows import PRESET_ROWS, RowTiming, preset_row, row_config
from benchmarks.studies.spec import validate

# ---------------------------------------------------------------------------- specs


def test_the_paper_studies_are_registered_and_valid() -> None:
    peer = {"room", "room_adversarial", "hopper", "group_size", "peer_ranking"}
    assert set(STUDIES) == {*peer, "social", "social_low_penalty"}
    for name in STUDIES:
        study = get_study(name)
        if not study.sources:
            assert len(study.seeds) >= 5 or study.fewer_seeds_reason, name
    assert get_study("group_size").seeds == (0, 1, 2)
    assert "Room" in get_study("group_size").substitution, "the substitution is labelled"
    assert {"follow_adversary", "trust_values", "agent_values"} <= set(
        get_study("room_adversarial").metrics
    )


def test_rows_resolve_to_the_paper_configurations() -> None:
    budget = PRESETS["short"].budget("peer_room_v0")
    assert row_config("peer_8peers", "peer_room_v0", 3, budget).n_peers == 8
    assert row_config("peer", "peer_room_v0", 3, budget).n_peers == 2
    adversarial = row_config("peer_vs_adversary", "peer_room_adversarial_v0", 0, budget)
    assert adversarial.task_kwargs["scripted"] == ["adversary"], "no expert: the paper's setting"
    assert adversarial.total_steps == budget.steps_per_peer
    assert row_config("single", "peer_hopper_v0", 1, PRESETS["short"].budget("peer_hopper_v0"))
    with pytest.raises(KeyError, match=r"unknown preset row 'peers'; valid rows: \["):
        preset_row("peers")


def test_a_derived_study_runs_its_sources_jobs_of_its_rows() -> None:
    jobs = study_jobs(get_study("peer_ranking"))
    assert Job("short", "peer_hopper_v0", "peer", 4) in jobs
    assert Job("short", "peer_room_v0", "peer_8peers", 2) in jobs
    assert not any(job.method == "single" for job in jobs)
    assert len(jobs) == len(set(jobs))
    # hopper's optional MuJoCo envs are read by default; group_size's optional Hopper is not
    for env_id in ("peer_walker2d_v0", "peer_halfcheetah_v0", "peer_ant_v0"):
        assert Job("short", env_id, "peer", 4) in jobs
    assert not any(job.env_id == "peer_hopper_v0" and job.method != "peer" for job in jobs)
    hopper = study_jobs(get_study("hopper"), only_envs=["peer_ant_v0"], only_seeds=[0])
    assert hopper == [
        Job("short", "peer_ant_v0", "peer", 0),
        Job("short", "peer_ant_v0", "single", 0),
    ]
    with pytest.raises(ValueError, match="its envs"):
        study_jobs(get_study("room"), only_envs=["peer_hopper_v0"])


GOOD = Study(
    name="ok",
    title="t",
    measures="m",
    envs=("peer_room_v0",),
    rows=("peer",),
    seeds=(0, 1, 2, 3, 4),
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "Bad-Name"}, "lowercase"),
        ({"envs": ("peer_room_v9",)}, r"unknown env 'peer_room_v9'; registered: \["),
        ({"rows": ("peers",)}, r"unknown preset row 'peers'; valid: \["),
        ({"rows": ()}, "no preset rows"),
        ({"seeds": (0, 1, 2)}, "3 seeds; use ≥ 5 or state fewer_seeds_reason"),
        ({"seeds": (0, 0, 1, 2, 3)}, "distinct"),
        ({"budget": "long"}, r"unknown budget preset 'long'; use \["),
        ({"metrics": ("speed",)}, r"unknown metric 'speed'; valid: \["),
        ({"sources": ("nope",)}, r"unknown source study 'nope'; valid: \["),
        ({"optional_envs": ("cartpole",)}, "unknown env 'cartpole'"),
    ],
)
def test_a_bad_spec_is_one_line_naming_the_field_and_the_valid_values(
    change: dict, message: str
) -> None:
    study = dataclasses.replace(GOOD, **change)
    with pytest.raises(ValueError, match=message) as info:
        validate(study, PRESET_ROWS, peerzoo.registry.registered_ids(), PRESETS, STUDIES)
    assert "\n" not in str(info.value)


def test_a_page_covers_the_default_envs_and_every_env_named_with_env() -> None:
    hopper = {job.env_id for job in page_jobs(get_study("hopper"), [], Namespace(env=None))}
    assert hopper == {"peer_hopper_v0"}
    named = page_jobs(get_study("hopper"), [], Namespace(env=["peer_ant_v0"]))
    assert {job.env_id for job in named} == {"peer_hopper_v0", "peer_ant_v0"}
    ranking = page_jobs(get_study("peer_ranking"), [], Namespace(env=["peer_hopper_v0"]))
    assert Job("short", "peer_room_v0", "peer_8peers", 0) in ranking, "defaults stay"
    assert Job("short", "peer_ant_v0", "peer", 0) in ranking, "so do the read optional envs"
    assert Job("short", "peer_hopper_v0", "peer_4peers", 0) in ranking, "group_size's Hopper"


def test_a_derived_study_may_only_read_envs_its_sources_have(monkeypatch) -> None:
    ranking = dataclasses.replace(get_study("peer_ranking"), envs=("goal_cycle_v0",))
    with pytest.raises(ValueError, match=r"no source study has env \['goal_cycle_v0'\]"):
        check(ranking)
    monkeypatch.setitem(STUDIES, "peer_ranking", ranking)
    with pytest.raises(SystemExit, match=r"no source study has env \['goal_cycle_v0'\]"):
        run_all.run(["--study", "peer_ranking", "--dry-run"])


def test_fewer_seeds_are_accepted_with_a_reason() -> None:
    study = dataclasses.replace(GOOD, seeds=(0, 1, 2), fewer_seeds_reason="3 seeds by design")
    validate(study, PRESET_ROWS, peerzoo.registry.registered_ids(), PRESETS, STUDIES)


# ---------------------------------------------------------------------------- Kendall τ


@pytest.mark.parametrize(
    ("x", "y", "tau"),
    [
        ([3, 1, 2], [30, 10, 20], 1.0),  # same order
        ([3, 1, 2], [10, 30, 20], -1.0),  # reversed
        ([1, 2, 3, 4], [1, 3, 2, 4], 4 / 6),  # 6 pairs, one discordant: (5 − 1) / 6
        # ties in x: pairs (0,1) tied, (0,2) and (1,2) concordant: 2 / sqrt((3 − 1)(3 − 0))
        ([1, 1, 2], [1, 2, 3], 2 / math.sqrt(6)),
    ],
)
def test_kendall_tau_matches_the_hand_worked_values(x, y, tau) -> None:
    assert kendall_tau(x, y) == pytest.approx(tau)


def test_kendall_tau_is_undefined_when_one_side_is_all_ties() -> None:
    assert kendall_tau([200.0, 200.0, 200.0], [1.0, 2.0, 3.0]) is None
    assert kendall_tau([1.0], [2.0]) is None
    with pytest.raises(ValueError, match="equal lengths"):
        kendall_tau([1, 2], [1, 2, 3])


def _ranking_record() -> dict:
    """Four learners and a scripted peer; agent values flat at first, then [5, 1, 3, 2]."""
    return {
        "n_peers": 4,
        "per_peer_curve": [[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0]],
        "trust_curve": [
            {"step": 100, "agent_values": [200.0] * 5},
            {"step": 200, "agent_values": [5.0, 1.0, 3.0, 2.0, 9.0]},
        ],
    }


def test_each_learner_ranks_the_other_learners_hand_worked() -> None:
    points = tau_over_training(_ranking_record())
    assert [step for step, _ in points] == [100, 200]
    assert points[0][1] == [None] * 4, "equal initial agent values rank nothing"
    # learner 0 ranks 1, 2, 3: values [1, 3, 2] vs returns [20, 30, 40]: 2 concordant, 1 not
    # learner 1 ranks 0, 2, 3: values [5, 3, 2] vs [10, 30, 40]: all discordant
    # learner 2 ranks 0, 1, 3: values [5, 1, 2] vs [10, 20, 40]: 1 concordant, 2 not
    # learner 3 ranks 0, 1, 2: values [5, 1, 3] vs [10, 20, 30]: 1 concordant, 2 not
    assert points[1][1] == pytest.approx([1 / 3, -1.0, -1 / 3, -1 / 3])
    over_training, final = seed_scores(_ranking_record())
    assert over_training == pytest.approx(-1 / 3) and final == pytest.approx(-1 / 3)


def test_two_learners_have_no_other_peers_to_rank() -> None:
    record = {
        "n_peers": 2,
        "per_peer_curve": [[1.0, 2.0]],
        "trust_curve": [{"step": 10, "agent_values": [1.0, 2.0, 3.0]}],
    }
    assert tau_over_training(record) == [(10, [None, None])]
    assert seed_scores(record) == (None, None)
    assert tau_over_training({"per_peer_curve": [[1.0]], "trust_curve": []}) == []


# ---------------------------------------------------------------------------- following


def _adversarial_record(seed: int) -> dict:
    """Two learners and an adversary: the learners stop following it after the first interval."""
    counts = [
        [[5, 2, 3], [2, 5, 3]],  # interval 1: 3 of 10 steps on the adversary
        [[14, 3, 3], [3, 14, 3]],  # interval 2: 0 of 10
    ]
    return {
        "seed": seed,
        "n_peers": 2,
        "advisors": ["peer_0", "peer_1", "adversary"],
        "curve": [[10, 1.0 + seed], [20, 2.0 + seed]],
        "per_peer_curve": [[1.0 + seed] * 2, [2.0 + seed] * 2],
        "final_returns": [2.0 + seed] * 3,
        "trust_curve": [
            {
                "step": 10 * (k + 1),
                "follow_counts": counts[k],
                "trust_values": [[1.0, 1.0, 2.0 - k], [1.0, 1.0, 2.0 - k]],
                "agent_values": [1.0, 1.5, 2.0 - 3 * k],
            }
            for k in range(2)
        ],
    }


def test_follow_fractions_are_per_evaluation_interval() -> None:
    steps, fractions = follow_fractions(_adversarial_record(0), candidate=2)
    assert steps == [10, 20]
    np.testing.assert_allclose(fractions, [[0.3, 0.3], [0.0, 0.0]])


# ---------------------------------------------------------------------------- cost


def test_job_cost_is_steps_plus_evaluations_and_wall_time_is_the_schedule() -> None:
    timing = RowTiming(
        seconds_per_step=0.01,
        seconds_per_eval_episode=2.0,
        build_seconds=5.0,
        steps_per_peer=50_000,
        n_evaluated_peers=2,
    )
    budget = PRESETS["short"].budget("peer_room_v0")  # eval every 5000, 10 episodes
    assert job_seconds(timing, budget) == pytest.approx(5 + 500 + 10 * 2 * 10 * 2.0)
    # longest first on 2 workers: 3 | 3, then 2 → 5 | 3, 2 → 5 | 5, 2 → 7 | 5
    assert makespan([2, 3, 2, 3, 2], 2) == 7
    assert makespan([2, 3], 8) == 3


# ---------------------------------------------------------------------------- the page


def test_the_page_gives_each_rows_wall_time_per_record_from_its_records(tmp_path: Path) -> None:
    study = get_study("room_adversarial")
    timed = [{**_adversarial_record(seed), "wall_time_s": 1800.0 * (seed + 1)} for seed in range(3)]
    untimed = [{**_adversarial_record(0), "n_peers": 1}]  # a record without the field
    grouped = {
        ("peer_room_adversarial_v0", "peer_vs_adversary"): timed,
        ("peer_room_adversarial_v0", "single"): untimed,
    }
    jobs = study_jobs(study)
    page = write_report(study, grouped, jobs, {jobs[0]}, tmp_path, "CMD", reps=20)
    wall = page.read_text().split("Wall time per record")[1]
    assert "| peer_room_adversarial_v0 | peer_vs_adversary | 3 | 1.00 (0.50–1.50) |" in wall
    assert "| single |" not in wall


def test_the_adversarial_page_has_its_tables_and_figures(tmp_path: Path) -> None:
    study = get_study("room_adversarial")
    records = [_adversarial_record(seed) for seed in range(3)]
    singles = [{**_adversarial_record(seed), "n_peers": 1} for seed in range(3)]
    grouped = {
        ("peer_room_adversarial_v0", "peer_vs_adversary"): records,
        ("peer_room_adversarial_v0", "single"): singles,
    }
    jobs = study_jobs(study)
    finished = {j for j in jobs if j.seed < 3}
    page = write_report(study, grouped, jobs, finished, tmp_path, "CMD", reps=50)
    text = page.read_text()
    assert page == tmp_path / "room_adversarial.md"
    assert "| peer_room_adversarial_v0 | peer_vs_adversary | 3 | 3.00 [" in text, "final IQM"
    # follow table: 0.30 in the first interval, 0.00 in the last, for every seed
    assert "| peer_room_adversarial_v0 | peer_vs_adversary | 3 | 0.30 [0.30, 0.30] | 0.00" in text
    assert "| peer_room_adversarial_v0 | single | 3 |" not in text.split("## Following")[1]
    assert "adversary: -1.00" in text, "the final agent value of the adversary"
    assert "6 of 10 records finished" in text and "Complete the rest with `CMD`" in text
    assert "not distinguishable from the single agent" in text
    for name in (
        "peer_room_adversarial_v0.png",
        "follow_adversary.png",
        "agent_values__peer_room_adversarial_v0__peer_vs_adversary.png",
        "trust_values__peer_room_adversarial_v0__peer_vs_adversary.png",
    ):
        figure = tmp_path / "img" / "room_adversarial" / name
        assert figure.stat().st_size > 1000, name
        assert f"(img/room_adversarial/{name})" in text


def test_the_ranking_page_tabulates_tau_per_group(tmp_path: Path) -> None:
    study = get_study("peer_ranking")
    grouped = {
        ("peer_room_v0", "peer_4peers"): [_ranking_record(), _ranking_record()],
        ("peer_room_v0", "peer"): [{**_adversarial_record(0), "trust_curve": []}],
    }
    jobs = study_jobs(study)
    page = write_report(study, grouped, jobs, set(), tmp_path, "CMD", reps=50)
    text = page.read_text()
    assert "| peer_room_v0 | peer_4peers | 4 | 2 | -0.33 [-0.33, -0.33] | -0.33" in text
    assert "| peer_room_v0 | peer | 2 | 0 | – | – |" in text
    assert (tmp_path / "img" / "peer_ranking" / "kendall_tau.png").exists()


def test_a_row_is_read_against_the_single_agent_only_with_enough_seeds() -> None:
    from benchmarks.studies.report import _reading
    from benchmarks.studies.stats import Interval

    finals = {("env", "peer"): Interval(30.0, 29.0, 31.0), ("env", "single"): Interval(0, -1, 1)}
    (few,) = _reading(finals, {("env", "peer"): 1, ("env", "single"): 5})
    assert "no comparison yet (1 and 5 seeds" in few
    (enough,) = _reading(finals, {("env", "peer"): 5, ("env", "single"): 5})
    assert "higher than the single agent (CIs disjoint)" in enough
