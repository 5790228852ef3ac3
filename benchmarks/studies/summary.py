"""The README's studies table, rendered from the committed study submissions.

A study writes each (env, row)'s finished seeds as a submission whose
description ends with the command that reproduces it (``--study NAME``). This
module reads those files back and renders one line per (study, env, row):
seeds, final return and average return over training, each as IQM with its
95% stratified-bootstrap CI, as the leaderboard scores an entry
(its primary evaluation, :func:`leaderboard.scoring.primary_evaluation`). The README holds the table
between two markers, and a test checks it against the submissions, so the
summary cannot drift from the records:

    python -m benchmarks.studies.summary            # print the table
    python -m benchmarks.studies.summary --write    # rewrite it in README.md
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

from benchmarks.studies.stats import iqm_interval

START = "<!-- studies-summary:start -->"
END = "<!-- studies-summary:end -->"
STUDY_COMMAND = re.compile(r"--study ([a-z][a-z0-9_]*)")
REPO = Path(__file__).resolve().parents[2]


def study_rows(submissions_dir: Path) -> list[tuple[str, str, str, str, list[float], list[float]]]:
    """``(study, env, method, preset, finals, averages)`` per study submission, sorted."""
    from leaderboard.scoring import primary_evaluation

    rows = []
    for path in sorted(submissions_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found = STUDY_COMMAND.search(data["method"].get("description", ""))
        if found is None:
            continue
        seeds = primary_evaluation(data)["seeds"]
        rows.append(
            (
                found.group(1),
                data["train_env_id"],
                data["method"]["name"],
                data["preset"]["name"],
                [float(np.mean(s["final_returns"])) for s in seeds],
                [float(np.mean([point[1] for point in s["curve"]])) for s in seeds],
            )
        )
    return sorted(rows, key=lambda row: row[:3])


def render(submissions_dir: Path, reps: int = 2000) -> str:
    """The Markdown table (one line per study submission), or a line saying there is none."""
    rows = study_rows(submissions_dir)
    if not rows:
        return "No study has a finished record yet."
    lines = [
        "| study | env | method | budget | seeds | final return | avg. return over training |",
        "|---|---|---|---|---|---|---|",
    ]
    for study, env_id, method, preset, finals, averages in rows:
        lines.append(
            f"| [{study}](docs/studies/{study}.md) | {env_id} | {method} | {preset} | "
            f"{len(finals)} | {iqm_interval(finals, reps)} | {iqm_interval(averages, reps)} |"
        )
    return "\n".join(lines)


def replace_block(text: str, table: str) -> str:
    """``text`` with the part between the markers replaced by ``table``."""
    start, end = text.index(START) + len(START), text.index(END)
    return f"{text[:start]}\n{table}\n{text[end:]}"


def current_block(text: str) -> str:
    """What the README holds between the markers."""
    return text[text.index(START) + len(START) : text.index(END)].strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=Path, default=REPO / "leaderboard" / "submissions")
    parser.add_argument("--readme", type=Path, default=REPO / "README.md")
    parser.add_argument("--write", action="store_true", help="rewrite the README's table")
    args = parser.parse_args(argv)
    table = render(args.submissions)
    if args.write:
        text = args.readme.read_text(encoding="utf-8")
        args.readme.write_text(replace_block(text, table), encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
