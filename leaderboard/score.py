"""Command line of the leaderboard.

    python leaderboard/score.py validate FILE...  # every problem, with its field path
    python leaderboard/score.py build              # score submissions/; LEADERBOARD.md, site/
    python leaderboard/score.py export --format marl-eval [--out FILE]  # marl-eval's JSON

``validate`` exits 1 if any file has a problem; ``build`` exits 0 even when it
rejects files (they are listed in the outputs), so one bad pull request never
breaks the published board.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leaderboard.build import build, score_submissions
from leaderboard.constants import CONSTANTS_PATH, LEADERBOARD_DIR
from leaderboard.known_ids import known_env_ids
from leaderboard.validate import validate_file


def cmd_validate(files: Sequence[str]) -> int:
    known = known_env_ids()
    failed = 0
    for name in files:
        report = validate_file(Path(name), known)
        if report.ok:
            print(f"OK   {name}")
        else:
            failed += 1
            print(f"FAIL {name}: {len(report.errors)} problem(s)")
            for error in report.errors:
                print(f"  {error}")
    return 1 if failed else 0


def cmd_build(reps: int, leaderboard_dir: Path, constants: Path) -> int:
    result = build(leaderboard_dir, constants, reps=reps)
    ranked = sum(e.ranked for e in result.entries)
    print(
        f"{len(result.entries)} entries ({ranked} ranked), {len(result.rejected)} rejected; "
        f"wrote {result.markdown_path} and {result.index_path}"
    )
    for name, errors in result.rejected:
        print(f"  rejected {name}: {errors[0]}")
    return 0


def cmd_export(fmt: str, out: Path, leaderboard_dir: Path, constants: Path, reps: int) -> int:
    from leaderboard.marl_eval import write_marl_eval

    if fmt != "marl-eval":  # argparse's choices already refuse others; one place to add formats
        raise SystemExit(f"unknown export format {fmt!r}; valid: marl-eval")
    entries, rejected, _ = score_submissions(leaderboard_dir / "submissions", constants, reps=reps)
    write_marl_eval(entries, out)
    print(f"wrote {out}: {len(entries)} entries in marl-eval's layout ({len(rejected)} rejected)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="leaderboard/score.py", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_validate = sub.add_parser("validate", help="check submission files")
    p_validate.add_argument("files", nargs="+")
    p_build = sub.add_parser("build", help="score submissions/ and render the leaderboard")
    p_build.add_argument("--reps", type=int, default=2000, help="bootstrap resamples")
    p_build.add_argument(
        "--leaderboard-dir", type=Path, default=LEADERBOARD_DIR, help="(tests) folder to build"
    )
    p_build.add_argument("--constants", type=Path, default=CONSTANTS_PATH, help="(tests)")
    p_export = sub.add_parser("export", help="write the board in another tool's format")
    p_export.add_argument("--format", choices=["marl-eval"], required=True)
    p_export.add_argument(
        "--out",
        type=Path,
        default=LEADERBOARD_DIR / "site" / "marl_eval.json",
        help="file to write",
    )
    p_export.add_argument(
        "--leaderboard-dir", type=Path, default=LEADERBOARD_DIR, help="(tests) folder to read"
    )
    p_export.add_argument("--constants", type=Path, default=CONSTANTS_PATH, help="(tests)")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return cmd_validate(args.files)
    if args.command == "export":
        return cmd_export(args.format, args.out, args.leaderboard_dir, args.constants, reps=200)
    return cmd_build(args.reps, args.leaderboard_dir, args.constants)


if __name__ == "__main__":
    sys.exit(main())
