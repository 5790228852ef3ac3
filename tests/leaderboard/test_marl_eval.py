"""The marl-eval export loads in marl-eval itself and carries the board's numbers.

Needs InstaDeep's ``id-marl-eval``: its declared pins (pandas 1.4.4, jax,
neptune) do not install on Python 3.11, and the data tools used here need none
of them, so it is installed with ``pip install --no-deps id-marl-eval`` next to
``peerzoo[dev]`` (which brings colorama, the one import those tools add).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.presets import PRESETS
from leaderboard.build import build
from leaderboard.score import main
from tests.leaderboard.conftest import KNOWN_IDS, make_submission, put

ENVS = ("peer_room_v0", "peer_room_adversarial_v0")
ROOM_SHORT = PRESETS["short"].budget("peer_room_v0")
N_EVALUATIONS = ROOM_SHORT.steps_per_peer // ROOM_SHORT.eval_every


@pytest.fixture
def exported(board, tmp_path):
    for env_id in ENVS:
        for name, level in (("single", 10.0), ("peer", 20.0), ("early, advising", 15.0)):
            put(board, f"{name[:5]}_{env_id}.json", make_submission(name, env_id, level=level))
    put(board, "smoke.json", make_submission("peer", preset="smoke"))
    out = tmp_path / "export" / "marl_eval.json"
    argv = ["export", "--format", "marl-eval", "--out", str(out), "--leaderboard-dir", str(board)]
    argv += ["--constants", str(board / "constants" / "normalisation.json")]
    assert main(argv) == 0  # the fixture's envs are registered ids, as the CLI requires
    return json.loads(out.read_text())


def marl_eval():
    try:
        from marl_eval.utils import data_processing_utils, diagnose_data_errors
    except ImportError as err:
        pytest.fail(f"{err}: pip install --no-deps id-marl-eval (and colorama, in peerzoo[dev])")
    return data_processing_utils, diagnose_data_errors


def test_the_export_passes_marl_evals_own_format_check(exported):
    _, diagnose = marl_eval()
    report = diagnose.DiagnoseData(exported).check_data()
    assert set(report) == set(exported)
    for environment, checks in report.items():
        assert all(checks.values()), (environment, checks)


def test_marl_eval_builds_its_rliable_matrices_from_the_export(exported):
    processing, _ = marl_eval()
    processed = processing.data_process_pipeline(json.loads(json.dumps(exported)), [])
    assert processed["extra"]["number_of_runs"] == 5
    finals, curves = processing.create_matrices_for_rliable(processed, "peerzoo_short_room", [])
    # runs x tasks of the mean final return: seed s of an entry at `level` ends at level + s
    by_task = {task: i for i, task in enumerate(exported["peerzoo_short_room"])}
    matrix = finals["mean_return"]["peer"]
    for env_id in ENVS:
        assert np.allclose(matrix[:, by_task[env_id]], 20.0 + np.arange(5))
    assert set(finals["mean_return"]) == {"single", "peer", "early  advising"}  # no commas
    assert curves["mean_return"]["peer"].shape == (5, 2, N_EVALUATIONS)  # runs x tasks x steps


def test_every_preset_and_family_is_its_own_marl_eval_environment(exported):
    assert set(exported) == {"peerzoo_short_room", "peerzoo_smoke_room"}
    run = exported["peerzoo_short_room"]["peer_room_v0"]["peer"]["seed_0"]
    assert run["step_0"]["step_count"] == ROOM_SHORT.eval_every
    assert len(run["step_0"]["return"]) == 2  # one return per peer
    assert run["absolute_metrics"]["return"] == [20.0] * ROOM_SHORT.eval_episodes


def test_the_build_writes_the_same_export_into_the_site(board, exported):
    build(board, board / "constants" / "normalisation.json", KNOWN_IDS, reps=100)
    assert json.loads((board / "site" / "marl_eval.json").read_text()) == exported
