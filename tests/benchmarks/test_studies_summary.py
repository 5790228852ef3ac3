"""The README's studies table is the committed study submissions, rendered."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.studies.summary import current_block, render, replace_block

REPO = Path(__file__).resolve().parents[2]


def test_the_readme_table_is_rendered_from_the_committed_submissions() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    expected = render(REPO / "leaderboard" / "submissions")
    assert current_block(readme) == expected, (
        "README's studies table is stale: run `python -m benchmarks.studies.summary --write`"
    )


def _submission(name: str, description: str, finals: list[float]) -> dict:
    return {
        "method": {"name": name, "description": description},
        "train_env_id": "peer_room_v0",
        "preset": {"name": "short"},
        "evaluations": [
            {
                "eval_env_id": "peer_room_v0",
                "experts_present": False,
                "seeds": [
                    {"seed": k, "final_returns": [f, f], "curve": [[0, 0.0], [10, 2 * f]]}
                    for k, f in enumerate(finals)
                ],
            }
        ],
    }


def test_only_study_submissions_are_summarised_each_as_iqm_with_its_ci(tmp_path: Path) -> None:
    study = (
        "Peer learning. Reproduce: python benchmarks/run_all.py --study room --leaderboard-dir x"
    )
    (tmp_path / "peer.json").write_text(json.dumps(_submission("peer", study, [1.0, 1.0, 1.0])))
    (tmp_path / "mine.json").write_text(json.dumps(_submission("mine", "not a study", [5.0])))
    table = render(tmp_path, reps=50)
    # Three identical seeds: IQM 1 with a CI of no width; over training the curve's mean, 1.
    line = "| [room](docs/studies/room.md) | peer_room_v0 | peer | short | 3 | 1.00 [1.00, 1.00] "
    assert line + "| 1.00 [1.00, 1.00] |" in table.splitlines()
    assert "mine" not in table
    assert render(tmp_path / "empty", reps=50) == "No study has a finished record yet."


def test_the_block_between_the_markers_is_replaced_and_nothing_else() -> None:
    text = "intro\n<!-- studies-summary:start -->\nold\n<!-- studies-summary:end -->\nrest\n"
    new = replace_block(text, "| new |")
    assert (
        new
        == "intro\n<!-- studies-summary:start -->\n| new |\n<!-- studies-summary:end -->\nrest\n"
    )
    assert current_block(new) == "| new |"


def test_a_ci_over_seeds_does_not_depend_on_the_order_of_the_seeds() -> None:
    from benchmarks.studies.stats import iqm_interval

    values = [15.0, 19.9, 10.5, 22.0, 11.4]
    assert iqm_interval(values, reps=200) == iqm_interval(values[::-1], reps=200)
