"""``run_all.py --study``: records, resume after a kill, submissions with their command, the page.

A toy study (the toy method of ``toy_methods``, smoke budgets) exercises the
machinery; one tiny real run checks that the peer runner's records carry what
the adversarial and ranking studies read.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks import run_all
from benchmarks.presets import Budget
from benchmarks.studies import STUDIES, Study

REPO = Path(__file__).resolve().parents[2]
TOY = "toy=tests.benchmarks.toy_methods:counting"
TOY_STUDY = Study(
    name="toy_study",
    title="toy",
    measures="the machinery",
    envs=("peer_room_v0", "peer_hopper_v0"),
    rows=("toy",),
    seeds=(0, 1, 2),
    budget="smoke",
    fewer_seeds_reason="a test",
)
# Runs run_all with the toy study registered, as `python benchmarks/run_all.py` would.
SCRIPT = (
    "import sys; from benchmarks import run_all; from benchmarks.studies import STUDIES; "
    "from tests.benchmarks.test_studies_run import TOY_STUDY; "
    "STUDIES[TOY_STUDY.name] = TOY_STUDY; sys.exit(run_all.run(sys.argv[1:]))"
)


@pytest.fixture
def toy_study(monkeypatch: pytest.MonkeyPatch) -> Study:
    monkeypatch.setitem(STUDIES, TOY_STUDY.name, TOY_STUDY)
    return TOY_STUDY


def study_args(tmp: Path, *extra: str) -> list[str]:
    return [
        "--study",
        "toy_study",
        "--add-method",
        TOY,
        "--results",
        str(tmp / "results"),
        "--leaderboard-dir",
        str(tmp / "board"),
        "--docs-dir",
        str(tmp / "docs"),
        "--workers",
        "1",
        *extra,
    ]


def stored(tmp: Path) -> dict[str, dict]:
    """Every record of the study run in ``tmp`` (beside its submissions, in the board),
    without its wall time (the one field that may differ)."""
    records = tmp / "board" / "records"
    out = {}
    for path in sorted(records.rglob("seed*.json")):
        record = json.loads(path.read_text())
        record.pop("wall_time_s")
        out[str(path.relative_to(records))] = record
    return out


def test_unknown_study_is_an_error_listing_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"unknown study 'rooom'; valid studies: \['group_size'"):
        run_all.run(["--study", "rooom", "--results", str(tmp_path / "r")])
    with pytest.raises(SystemExit, match="--estimate needs --study"):
        run_all.run(["--estimate"])
    with pytest.raises(
        SystemExit, match=r"no row \['random_advice'\]; its rows: \['peer', 'single'"
    ):
        run_all.run(["--study", "hopper", "--method", "random_advice", "--dry-run"])
    assert not (tmp_path / "r").exists(), "nothing written"


def test_a_study_writes_records_submissions_and_its_page(tmp_path: Path, toy_study, capsys) -> None:
    from leaderboard.known_ids import known_env_ids
    from leaderboard.validate import validate_file

    assert run_all.run(study_args(tmp_path)) == 0
    out = capsys.readouterr().out
    assert len(stored(tmp_path)) == 6
    assert not (tmp_path / "results" / "runs").exists(), "records live in the board, not results"
    assert "6 of 6 records exist" in out and "complete the rest" not in out
    submissions = sorted((tmp_path / "board" / "submissions").glob("*.json"))
    assert [p.name for p in submissions] == [
        "toy__peer_hopper_v0__smoke.json",
        "toy__peer_room_v0__smoke.json",
    ]
    for path in submissions:
        report = validate_file(path, known_env_ids())
        assert report.ok, report.errors
        assert [s["seed"] for s in report.data["evaluations"][0]["seeds"]] == [0, 1, 2]
        assert report.data["method"]["description"].endswith(
            f"Reproduce: python benchmarks/run_all.py --study toy_study --add-method {TOY} "
            f"--results {tmp_path / 'results'} --leaderboard-dir {tmp_path / 'board'}"
        )
    page = (tmp_path / "docs" / "toy_study.md").read_text()
    assert "| env | method | seeds | final return | avg. return over training |" in page
    assert "| peer_room_v0 | toy | 3 |" in page and "| peer_hopper_v0 | toy | 3 |" in page
    assert "6 of 6 records finished." in page
    # the budget against the papers': 1,000 of Room's 1,000,000 steps per peer
    assert (
        "`peer_room_v0`: 1,000 env steps per peer, 0.1% of the `paper` preset's 1,000,000," in page
    )
    figure = tmp_path / "docs" / "img" / "toy_study" / "peer_room_v0.png"
    assert figure.stat().st_size > 1000 and "(img/toy_study/peer_room_v0.png)" in page


def test_estimate_prints_the_cost_and_launches_nothing(tmp_path: Path, toy_study, capsys) -> None:
    assert run_all.run(study_args(tmp_path, "--estimate", "--workers", "2")) == 0
    out = capsys.readouterr().out
    assert "| peer_room_v0 | toy | 3 | 1 |" in out and "| peer_hopper_v0 | toy | 3 | 1 |" in out
    assert "core-hours" in out and "wall hours at 2 worker(s)" in out
    assert not (tmp_path / "results").exists() and not (tmp_path / "docs").exists()


def test_a_killed_study_resumes_and_skips_finished_records(tmp_path: Path) -> None:
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    command = [sys.executable, "-c", SCRIPT, *study_args(killed)]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, "TOY_SLEEP": "0.4"},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while len(stored(killed)) < 2:
        assert time.time() < deadline and process.poll() is None, "study did not start"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    before = stored(killed)
    assert 2 <= len(before) < 6, "killed mid-study"
    assert not (killed / "docs").exists(), "killed before its page"
    resumed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    assert f"{6 - len(before)} job(s) to run" in resumed.stdout
    assert resumed.stdout.count("ok   ") == 6 - len(before), "finished records are not redone"
    for label, record in before.items():
        assert stored(killed)[label] == record
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *study_args(clean)],
        cwd=REPO,
        capture_output=True,
        check=True,
    )
    assert done.returncode == 0
    assert stored(killed) == stored(clean)


def test_a_partial_study_names_what_exists_and_the_command_that_completes_it(
    tmp_path: Path, toy_study, capsys
) -> None:
    assert run_all.run(study_args(tmp_path, "--seed", "0")) == 0
    out = capsys.readouterr().out
    assert "2 of 6 records exist" in out and "complete the rest with" in out
    assert run_all.run(study_args(tmp_path, "--dry-run")) == 0
    assert "6 jobs, 4 to run" in capsys.readouterr().out
    page = (tmp_path / "docs" / "toy_study.md").read_text()
    assert "2 of 6 records finished." in page
    # a later run restricted to another seed adds it to the entry, never replaces seed 0
    assert run_all.run(study_args(tmp_path, "--seed", "1")) == 0
    entry = json.loads(
        (tmp_path / "board" / "submissions" / "toy__peer_room_v0__smoke.json").read_text()
    )
    assert [s["seed"] for s in entry["evaluations"][0]["seeds"]] == [0, 1]
    assert "| peer_room_v0 | toy | 2 |" in (tmp_path / "docs" / "toy_study.md").read_text()


def test_report_rewrites_the_page_from_the_records_and_runs_nothing(
    tmp_path: Path, toy_study, capsys
) -> None:
    assert run_all.run(study_args(tmp_path, "--seed", "0")) == 0
    page = tmp_path / "docs" / "toy_study.md"
    page.unlink()
    before = stored(tmp_path)
    assert run_all.run(study_args(tmp_path, "--report")) == 0
    assert stored(tmp_path) == before, "no job ran"
    assert "2 of 6 records finished." in page.read_text()
    with pytest.raises(SystemExit, match="--report needs --study NAME"):
        run_all.run(["--report"])


def test_a_report_missing_records_of_committed_seeds_writes_nothing(
    tmp_path: Path, toy_study, capsys
) -> None:
    """A checkout without a seed's record (lost, never pulled) must not shrink the entry."""
    assert run_all.run(study_args(tmp_path, "--seed", "0", "--seed", "1")) == 0
    submission = tmp_path / "board" / "submissions" / "toy__peer_room_v0__smoke.json"
    page = tmp_path / "docs" / "toy_study.md"
    entry, text = submission.read_text(), page.read_text()
    (tmp_path / "board" / "records" / "smoke" / "peer_room_v0" / "toy" / "seed1.json").unlink()
    capsys.readouterr()
    assert run_all.run(study_args(tmp_path, "--report")) == 1
    out = capsys.readouterr().out
    assert f"{submission} holds seeds [1] with no record" in out
    assert "Nothing written" in out and out.rstrip().endswith("--seed 1")
    assert submission.read_text() == entry and page.read_text() == text
    assert run_all.run(study_args(tmp_path, "--seed", "1")) == 0, "running the seed again mends it"
    assert "4 of 6 records finished." in page.read_text()


def test_a_peer_record_carries_follows_trust_and_agent_values_per_evaluation() -> None:
    from benchmarks.studies.following import candidate_index, follow_fractions
    from benchmarks.studies.rows import row_config, run_row

    budget = Budget(240, 120, 1)
    record = run_row("peer_vs_adversary", "peer_room_adversarial_v0", 0, budget)
    warm_up = row_config("peer_vs_adversary", "peer_room_adversarial_v0", 0, budget).learning_starts
    assert record["advisors"] == ["peer_0", "peer_1", "adversary"], "no expert"
    assert [s["step"] for s in record["trust_curve"]] == [p[0] for p in record["curve"]]
    last = record["trust_curve"][-1]
    assert len(last["agent_values"]) == 3 and len(last["trust_values"]) == 2
    # every ACT turn after the uniform-random warm-up is a follow decision, and counted
    assert sum(map(sum, last["follow_counts"])) == 2 * (240 - warm_up)
    _, fractions = follow_fractions(record, candidate_index(record, "adversary"))
    assert fractions.shape == (2, 2) and ((fractions >= 0) & (fractions <= 1)).all()
    json.dumps(record, allow_nan=False)  # what the result store writes


def test_an_interrupted_job_continues_from_its_last_evaluation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from baselines.peer.train import PeerTraining
    from benchmarks.studies.rows import (
        CHECKPOINT_ROOT_VARIABLE,
        checkpoint_folder,
        row_config,
        run_row,
    )

    budget = Budget(120, 60, 1)
    monkeypatch.delenv(CHECKPOINT_ROOT_VARIABLE, raising=False)
    uninterrupted = run_row("peer", "peer_room_v0", 0, budget)
    monkeypatch.setenv(CHECKPOINT_ROOT_VARIABLE, str(tmp_path))
    folder = checkpoint_folder("peer", "peer_room_v0", 0)
    # What a job killed after its first evaluation leaves behind, marked so that only a
    # run continuing from it reports the mark.
    killed = PeerTraining(row_config("peer", "peer_room_v0", 0, budget)).train(until=60)
    killed.curve[0][1] = 12345.0
    killed.save(folder / "latest.pt")
    resumed = run_row("peer", "peer_room_v0", 0, budget)
    assert resumed["curve"][0][1] == 12345.0, "continued from the save"
    assert resumed["curve"][1] == uninterrupted["curve"][1], "and exactly as the whole run"
    assert resumed["final_returns"] == uninterrupted["final_returns"]
    assert not folder.exists(), "the save goes once the record exists"
    other = PeerTraining(row_config("peer", "peer_room_v0", 0, Budget(240, 60, 1)))
    other.train(until=60).curve[0][1] = 777.0
    other.save(folder / "latest.pt")
    assert run_row("peer", "peer_room_v0", 0, budget)["curve"][0][1] != 777.0, "other budget"


def test_a_resumed_jobs_record_counts_the_time_spent_before_the_kill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from baselines.peer.train import PeerTraining
    from benchmarks.execution import execute_job
    from benchmarks.presets import PRESETS
    from benchmarks.store import Job
    from benchmarks.studies.rows import (
        CHECKPOINT_ROOT_VARIABLE,
        checkpoint_folder,
        method_spec,
        row_config,
    )

    monkeypatch.setenv(CHECKPOINT_ROOT_VARIABLE, str(tmp_path))
    budget = PRESETS["smoke"].budget("peer_room_v0")
    killed = PeerTraining(row_config("peer", "peer_room_v0", 0, budget))
    killed.train(until=budget.eval_every).wall_time = 5000.0  # hours before the kill
    killed.save(checkpoint_folder("peer", "peer_room_v0", 0) / "latest.pt")
    outcome = execute_job(Job("smoke", "peer_room_v0", "peer", 0), method_spec("peer"))
    assert outcome.status == "done", outcome.error
    assert 5000.0 < outcome.record["wall_time_s"] < 5000.0 + outcome.seconds
    fresh = execute_job(Job("smoke", "peer_room_v0", "peer", 1), method_spec("peer"))
    assert 0.0 < fresh.record["wall_time_s"] <= fresh.seconds, "a job run once: its own time"


def test_a_run_of_one_row_adds_to_the_page_and_never_replaces_it(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    two_rows = Study(
        name="toy_study",
        title="toy",
        measures="the machinery",
        envs=("peer_room_v0",),
        rows=("toy", "other"),
        seeds=(0, 1),
        budget="smoke",
        fewer_seeds_reason="a test",
    )
    monkeypatch.setitem(STUDIES, two_rows.name, two_rows)
    args = study_args(tmp_path, "--add-method", "other=tests.benchmarks.toy_methods:counting")
    assert run_all.run([*args, "--method", "toy"]) == 0
    assert run_all.run([*args, "--method", "other", "--seed", "0"]) == 0
    page = (tmp_path / "docs" / "toy_study.md").read_text()
    assert "| peer_room_v0 | toy | 2 |" in page and "| peer_room_v0 | other | 1 |" in page
    assert "3 of 4 records finished." in page
    command = "python benchmarks/run_all.py --study toy_study --add-method"
    assert command in page and "--method" not in page.replace("--add-method", "")
    other = json.loads(
        (tmp_path / "board" / "submissions" / "other__peer_room_v0__smoke.json").read_text()
    )
    assert "--study toy_study --method other" in other["method"]["description"]
