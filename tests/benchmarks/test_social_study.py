"""The ``social`` study: its design, its rows, a tiny real run, and its page's sections.

The design is pinned from the issue and the paper (Ndousse et al. 2021: 10⁷ env
steps per learner), not read back from the registry it checks.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from benchmarks import run_all
from benchmarks.presets import PRESETS, Budget
from benchmarks.store import Job
from benchmarks.studies import STUDIES, Study
from benchmarks.studies.report import write_report
from benchmarks.studies.social_report import transfer_returns
from benchmarks.studies.social_rows import social_row_config
from leaderboard.known_ids import known_env_ids
from leaderboard.validate import validate_file

# row → (fast learner method, experts while training, prediction head)
EXPECTED_ROWS = {
    "fast_social_ppo_aux": ("social_ppo_aux", True, True),
    "fast_social_ppo_vanilla": ("social_ppo_vanilla", True, False),
    "fast_solo_ppo_aux": ("solo_ppo_aux", False, True),
    "fast_bc": ("bc", True, False),
}
PAPER_STEPS_PER_LEARNER = 10_000_000  # Ndousse et al. 2021
MIN_SEEDS = 3  # the floor for this study


def test_the_social_study_runs_the_four_methods_at_the_papers_budget() -> None:
    study = STUDIES["social"]
    assert set(study.rows) == set(EXPECTED_ROWS)
    assert study.envs == ("goal_cycle_v0",)
    assert len(study.seeds) >= MIN_SEEDS
    assert PRESETS[study.budget].budget("goal_cycle_v0").steps_per_peer == PAPER_STEPS_PER_LEARNER
    assert {"transfer", "social_signal", "cultural_transmission"} <= set(study.metrics)
    assert study.reference_row == "fast_solo_ppo_aux"


def test_the_low_penalty_study_is_the_social_study_on_the_authors_penalty() -> None:
    from baselines.social.vector_rollout import make_vector_env

    study, social = STUDIES["social_low_penalty"], STUDIES["social"]
    assert study.envs == ("goal_cycle_low_penalty_v0",)
    same = ("rows", "seeds", "budget", "metrics", "reference_row")
    assert [getattr(study, f) for f in same] == [getattr(social, f) for f in same]
    budget = PRESETS[study.budget].budget("goal_cycle_low_penalty_v0")
    assert budget.steps_per_peer == PAPER_STEPS_PER_LEARNER
    config = social_row_config("fast_social_ppo_aux", "goal_cycle_low_penalty_v0", 0, budget)
    assert config.env_id == "goal_cycle_low_penalty_v0" and config.penalty is None
    envs = make_vector_env(config.env_id, 2, **config.env_options)
    assert envs.worlds[0].penalty == -0.25  # the author's script's (kandouss/kamarl)


@pytest.mark.parametrize("row", sorted(EXPECTED_ROWS))
def test_each_row_trains_its_method_with_or_without_experts_and_head(row: str) -> None:
    method, experts, head = EXPECTED_ROWS[row]
    config = social_row_config(row, "goal_cycle_v0", 3, PRESETS["paper"].budget("goal_cycle_v0"))
    assert (config.method, config.seed, config.steps) == (method, 3, PAPER_STEPS_PER_LEARNER)
    assert (config.n_experts != 0) == experts
    assert config.network.aux_head == head
    # A whole number of updates per evaluation: evaluations land on the preset's cadence.
    batch = config.num_worlds * config.rollout_len
    assert config.eval_every % batch == 0 and config.steps % batch == 0


def test_a_budget_off_the_learners_update_size_is_refused() -> None:
    with pytest.raises(ValueError, match="not a whole number of the fast learner's updates"):
        social_row_config("fast_bc", "goal_cycle_v0", 0, Budget(512, 256, 1))


# Two worlds of 256 steps per update: episodes (250 steps) end inside the first update.
TINY = Budget(steps_per_peer=1_024, eval_every=512, eval_episodes=2)
TINY_LEARNER = {"num_worlds": 2, "rollout_len": 256, "transmission_episodes": 2}


def test_a_tiny_social_study_writes_valid_submissions_and_its_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks.studies import social_rows

    monkeypatch.setitem(PRESETS["smoke"].budgets, "social", TINY)
    real_config = social_rows.social_row_config

    def tiny_config(name: str, env_id: str, seed: int, budget: Budget) -> object:
        config = real_config(name, env_id, seed, PRESETS["paper"].budget(env_id))
        return dataclasses.replace(
            config,
            steps=budget.steps_per_peer,
            eval_every=budget.eval_every,
            eval_episodes=budget.eval_episodes,
            **TINY_LEARNER,
        )

    monkeypatch.setattr(social_rows, "social_row_config", tiny_config)
    study = Study(
        name="tiny_social",
        title="tiny",
        measures="the machinery",
        envs=("goal_cycle_v0",),
        rows=("fast_social_ppo_aux", "fast_solo_ppo_aux"),
        seeds=(0,),
        budget="smoke",
        metrics=STUDIES["social"].metrics,
        fewer_seeds_reason="a test",
        reference_row="fast_solo_ppo_aux",
    )
    monkeypatch.setitem(STUDIES, study.name, study)
    results, board, docs = tmp_path / "results", tmp_path / "board", tmp_path / "docs"
    where = ["--results", str(results), "--leaderboard-dir", str(board), "--docs-dir", str(docs)]
    assert run_all.run(["--study", study.name, *where, "--workers", "1"]) == 0
    files = sorted((board / "submissions").glob("*.json"))
    assert [f.name for f in files] == [
        "fast_social_ppo_aux__goal_cycle_v0__smoke.json",
        "fast_solo_ppo_aux__goal_cycle_v0__smoke.json",
    ]
    for path in files:
        report = validate_file(path, known_env_ids())
        assert report.ok, report.errors
        seed = report.data["evaluations"][0]["seeds"][0]
        assert [point[0] for point in seed["curve"]] == [0, 512, 1_024]
        assert "--study tiny_social" in report.data["method"]["description"]
    social = board / "records" / "smoke" / "goal_cycle_v0" / "fast_social_ppo_aux" / "seed0.json"
    record = json.loads(social.read_text())
    assert len(record["social_curve"]) == 2 and record["cultural_transmission"]["episodes"] == 2
    assert {e["experts_present"] for e in record["evaluations"]} == {True, False}
    assert not list((results / "checkpoints").rglob("checkpoint.pt"))  # gone once recorded
    page = (docs / "tiny_social.md").read_text()
    for heading in (
        "Returns",
        "Transfer",
        "The social signal",
        "Does the policy use what it sees?",
        "Cultural transmission",
    ):
        assert f"## {heading}" in page
    assert (docs / "img" / "tiny_social" / "transfer.png").exists()


def _record(seed: int, with_experts: float, alone: float) -> dict:
    return {
        "seed": seed,
        "n_peers": 1,
        "curve": [[0, 0.0], [10, with_experts]],
        "final_returns": [with_experts],
        "evaluations": [
            {"eval_env_id": "goal_cycle_v0", "experts_present": True, "mean_return": with_experts},
            {"eval_env_id": "goal_cycle_v0", "experts_present": False, "mean_return": alone},
        ],
        "social_curve": [[0, 0.1, 5.0], [10, 0.5, 2.0]],
        "information_curve": [[0, 0.0, 1.9], [10, 0.25, 1.2]],
        "cultural_transmission": {
            "normalised": {"with_experts": with_experts, "after_experts": alone},
            "cultural_transmission": (with_experts + alone) / 2,
            "expert": {"alone": 0.12},
            "solo": {"alone": 0.0},
        },
    }


def test_transfer_returns_group_each_seed_by_env_and_expert_presence() -> None:
    records = [_record(0, 1.0, 0.5), _record(1, 3.0, 1.5)]
    assert transfer_returns(records) == {
        ("goal_cycle_v0", True): [1.0, 3.0],
        ("goal_cycle_v0", False): [0.5, 1.5],
    }


def test_the_social_page_tabulates_transfer_signal_and_transmission(tmp_path: Path) -> None:
    study = STUDIES["social"]
    no_expert = {"social_curve": [[0, 0.0, -1.0], [10, 0.0, -1.0]]}  # distance -1: none there
    grouped = {
        ("goal_cycle_v0", "fast_social_ppo_aux"): [_record(s, 4.0, 2.0) for s in range(3)],
        ("goal_cycle_v0", "fast_solo_ppo_aux"): [
            {**_record(s, 1.0, 1.0), **no_expert} for s in range(3)
        ],
    }
    jobs = [Job("paper", env, row, s) for (env, row) in grouped for s in range(3)]
    page = write_report(study, grouped, jobs, set(jobs), tmp_path, "python x", reps=50).read_text()
    # Identical seeds: every IQM is the value itself and its CI has no width.
    assert "| goal_cycle_v0 | yes | 4.00 [4.00, 4.00] | 1.00 [1.00, 1.00] |" in page
    assert "| goal_cycle_v0 | no | 2.00 [2.00, 2.00] | 1.00 [1.00, 1.00] |" in page
    assert (
        "| goal_cycle_v0 | fast_social_ppo_aux | 3 | 0.10 [0.10, 0.10] | 0.50 [0.50, 0.50]" in page
    )
    assert "| goal_cycle_v0 | fast_solo_ppo_aux | 3 | – | – | – | – |" in page, "no experts"
    assert (
        "| goal_cycle_v0 | fast_social_ppo_aux | 3 | 0.25 [0.25, 0.25] | 1.20 [1.20, 1.20] |"
        in (page)
    )
    assert (tmp_path / "img" / "social" / "policy_information.png").exists()
    assert "| 2.00 [2.00, 2.00] | 4.00 [4.00, 4.00] | 3.00 [3.00, 3.00] |" in page  # after, with
    assert "higher than `fast_solo_ppo_aux` (CIs disjoint)" in page
    assert (
        "the scripted expert in the learner's place 0.1200, the uniformly random policy 0.0000"
        in page
    )
