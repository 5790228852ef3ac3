"""The studies' committed records and the submissions made from them agree.

A record is committed beside the board (``leaderboard/records``) so that any
machine can rebuild a study's page and add its missing seeds; a record whose
seed is missing from its submission (or differs from it) means the study's
``--report`` was not rerun after the record was added.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RECORDS = REPO / "leaderboard" / "records"
SUBMISSIONS = REPO / "leaderboard" / "submissions"


def committed_records() -> list[Path]:
    return sorted(RECORDS.rglob("seed*.json"))


def test_the_studies_records_are_committed() -> None:
    assert committed_records(), f"no study record under {RECORDS}"


@pytest.mark.parametrize("path", committed_records(), ids=lambda p: str(p.relative_to(RECORDS)))
def test_a_committed_record_is_in_its_submission(path: Path) -> None:
    preset, env_id, row = path.parts[-4:-1]
    record = json.loads(path.read_text())
    assert path.name == f"seed{record['seed']}.json"
    submission_path = SUBMISSIONS / f"{row}__{env_id}__{preset}.json"
    assert submission_path.exists(), f"{submission_path.name}: run the study's --report"
    submission = json.loads(submission_path.read_text())
    assert submission["config_hash"] == record["config_hash"], "records of another config"
    seeds = {s["seed"]: s for s in submission["evaluations"][0]["seeds"]}
    assert record["seed"] in seeds, f"seed {record['seed']} missing: run the study's --report"
    assert seeds[record["seed"]]["final_returns"] == record["final_returns"]


@pytest.mark.parametrize("path", committed_records(), ids=lambda p: str(p.relative_to(RECORDS)))
def test_the_code_still_builds_a_committed_records_config(path: Path) -> None:
    """A rerun of the study would add seeds of the same configuration, not of another."""
    from benchmarks.presets import PRESETS
    from benchmarks.studies.rows import PRESET_ROWS, row_config
    from benchmarks.studies.social_rows import social_row_config

    preset, env_id, row = path.parts[-4:-1]
    record = json.loads(path.read_text())
    budget = PRESETS[preset].budget(env_id)
    if row in PRESET_ROWS:
        from baselines.peer.cli import shared_config_hash

        code_hash = shared_config_hash(row_config(row, env_id, record["seed"], budget))
    else:
        from baselines.social.config import config_hash

        code_hash = config_hash(social_row_config(row, env_id, record["seed"], budget))
    assert code_hash == record["config_hash"], f"{row} on {env_id}: the code's config changed"
