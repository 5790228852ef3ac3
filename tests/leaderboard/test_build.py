"""The build: bad files never crash it, hostile text stays text, nothing is written outside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from leaderboard.build import build
from leaderboard.score import main
from tests.leaderboard.conftest import KNOWN_IDS, make_submission, put

REPO = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script> **bold** [x](javascript:alert(1)) | $\\alpha$ `c`"


def run_build(board: Path):
    return build(board, board / "constants" / "normalisation.json", KNOWN_IDS, reps=200)


def snapshot(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def test_build_writes_the_markdown_the_site_plots_and_copies_of_the_entries(board):
    put(board, "a.json", make_submission(name="alpha"))
    put(board, "b.json", make_submission(name="beta", preset="smoke"))
    put(board, "single.json", make_submission(name="single"))
    result = run_build(board)
    assert [e.file_name for e in result.entries] == ["a.json", "b.json", "single.json"]
    text = (board / "LEADERBOARD.md").read_text()
    assert "[a.json](submissions/a.json)" in text
    assert (
        "Unranked (smoke preset: shown, never ranked; 2 seeds; ranking needs ≥ 5; "
        "no \\`single\\` reference" in text
    )
    site = board / "site"
    assert (site / "plots" / "curves_env0-short.png").stat().st_size > 1000
    assert (site / "plots" / "aggregate_short.png").stat().st_size > 1000
    assert json.loads((site / "submissions" / "a.json").read_text())["method"]["name"] == "alpha"
    assert 'href="submissions/a.json"' in (site / "index.html").read_text()
    assert json.loads((site / "marl_eval.json").read_text())["peerzoo_short_room"]


def test_the_markdown_mirrors_the_site_sections(board):
    put(board, "a.json", make_submission(name="alpha"))
    put(board, "single.json", make_submission(name="single"))
    put(board, "hop.json", make_submission(name="single", env_id="peer_hopper_v0"))
    put(board, "smoke.json", make_submission(name="alpha", preset="smoke"))
    run_build(board)
    md = (board / "LEADERBOARD.md").read_text()
    page = (board / "site" / "index.html").read_text()
    headings = [
        "peer\\_hopper\\_v0",
        "peer\\_room\\_v0",
        "Across tasks",
        "Methods",
        "Smoke entries",
    ]
    positions = [md.index(f"## {h}\n") for h in headings]
    assert positions == sorted(positions)
    site_positions = [
        page.index(f">{h}<") for h in ("peer_hopper_v0", "peer_room_v0", "Across tasks", "Methods")
    ]
    assert site_positions == sorted(site_positions) and page.index('<details id="smoke">') > 0
    assert md.index("<details>") < md.index("### peer\\_room\\_v0\n\n#### smoke preset")


def test_a_reference_that_is_itself_unranked_leaves_its_env_unranked_with_the_reason(board):
    # a `single` reference no better than the random policy (return 0 = R_random) cannot scale
    put(board, "single.json", make_submission(name="single", level=0.0, spread=0.0))
    put(board, "a.json", make_submission(name="alpha"))
    result = run_build(board)
    by_file = {e.file_name: e for e in result.entries}
    assert not by_file["single.json"].ranked and not by_file["a.json"].ranked
    assert "its `single` reference (single.json) is itself unranked" in (
        by_file["a.json"].unranked_reason
    )
    assert "is itself unranked" in (board / "LEADERBOARD.md").read_text()


def test_no_bad_file_crashes_the_build_and_each_is_listed_with_its_problem(board):
    put(board, "malformed.json", "{")
    put(board, "types.json", {"schema_version": "one"})
    put(
        board,
        "nan.json",
        json.dumps(make_submission()).replace('"wall_time_s": 1.0', '"wall_time_s": NaN'),
    )
    put(board, "deep.json", "[" * 50_000 + "]" * 50_000)
    put(board, "unknown.json", make_submission(env_id="nowhere_v0", evals=(("nowhere_v0", False),)))
    put(board, "bad name.json", make_submission(name="spaces"))
    put(board, "ok.json", make_submission())
    put(board, "ok_again.json", make_submission())  # same method, env and preset
    (board / "submissions" / "link.json").symlink_to(board.parent / "elsewhere.json")
    result = run_build(board)
    rejected = dict(result.rejected)
    assert [e.file_name for e in result.entries] == ["ok.json"]
    assert set(rejected) == {
        "malformed.json",
        "types.json",
        "nan.json",
        "deep.json",
        "unknown.json",
        "bad name.json",
        "ok_again.json",
        "link.json",
    }
    assert "duplicate of ok.json" in rejected["ok_again.json"][0]
    assert "symlinks" in rejected["link.json"][0]
    assert "no path components" in rejected["bad name.json"][0]
    assert "## Rejected files" in (board / "LEADERBOARD.md").read_text()


def test_names_with_html_markdown_or_script_are_escaped_in_markdown_and_html(board):
    data = make_submission(name=HOSTILE[:80])
    data["method"]["description"] = HOSTILE
    put(board, "hostile.json", data)
    put(board, "<img src=x onerror=alert(1)>.json", "{}")
    run_build(board)
    md = (board / "LEADERBOARD.md").read_text()
    page = (board / "site" / "index.html").read_text()
    assert page.count("<script>") == 1  # only the sorting script
    for text in (md, page.replace("<script>", "", 1)):
        assert "<script>" not in text and "<img src=x" not in text
        assert "&lt;script&gt;" in text
    method_page = next((board / "site" / "methods").glob("*.html")).read_text()
    assert "<script>" not in method_page.replace("<script>", "", 1)
    assert "&lt;script&gt;" in method_page
    assert "\\*\\*bold\\*\\*" in md and "\\[x\\]\\(javascript:alert\\(1\\)\\)" in md
    assert "\\|" in md  # a pipe cannot break the table


def test_nothing_is_written_outside_the_leaderboard_folder(board):
    outer = board.parent
    before = snapshot(outer) - snapshot(board)
    put(board, "a.json", make_submission())
    put(board, "evil.json", make_submission(name="../../../../escape"))
    run_build(board)
    after = snapshot(outer) - snapshot(board)
    assert after == before


def test_validate_cli_lists_every_problem_and_fails(tmp_path, capsys):
    data = make_submission()
    data["preset"]["n_peers"] = 0
    data["hardware"] = 3
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(make_submission()))
    assert main(["validate", str(good)]) == 0
    assert main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "$.preset.n_peers:" in out and "$.hardware:" in out


def test_score_py_runs_as_a_script_from_the_repo_root(board):
    put(board, "a.json", make_submission())
    put(board, "single.json", make_submission(name="single"))
    env = {**os.environ, "PYTHONPATH": ""}
    proc = subprocess.run(
        [
            sys.executable,
            "leaderboard/score.py",
            "build",
            "--reps",
            "100",
            "--leaderboard-dir",
            str(board),
            "--constants",
            str(board / "constants" / "normalisation.json"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "2 entries (2 ranked), 0 rejected" in proc.stdout
