"""Run every registered task × applicable reference solution × seed at a preset budget.

    python benchmarks/run_all.py --preset smoke                 # local process pool
    python benchmarks/run_all.py --preset short --ray auto      # on an existing Ray cluster
    python benchmarks/run_all.py --preset smoke --env peer_room_v0 --method peer --dry-run
    python benchmarks/run_all.py --add-method mine=examples/random_advice.py:run@room \
        --method mine --method-description "Follow a random peer" --method-code-url URL
    python benchmarks/run_all.py --study room --estimate        # a paper study's cost, then
    nohup python benchmarks/run_all.py --study room &            # run it (docs/studies/room.md)
    python benchmarks/run_all.py --study room --report           # its page from the records so far

Each (env, method, seed) result is stored atomically under ``--results``, with
the job's TensorBoard run directory under ``RESULTS/logs/`` (``--track`` also logs
to Weights & Biases, offline unless ``WANDB_MODE`` says otherwise); a killed
sweep resumes where it stopped and a crashed job is reported with its traceback
without stopping the others. A method of your own (``--add-method``, see
``benchmarks.methods``) is imported and checked before any job starts. At the
end the sweep prints a summary table, draws learning curves per env, writes one
submission per (env, method) and prints the leaderboard built from them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.aggregate import collect, format_table, plot_curves, summary_rows
from benchmarks.execution import check_device, run_local, run_ray, store_outcomes, wandb_mode
from benchmarks.methods import (
    METHODS,
    MethodError,
    MethodSpec,
    checked_user_method,
    parse_method_option,
)
from benchmarks.presets import PRESETS, env_family
from benchmarks.publish import build_leaderboard, write_submissions
from benchmarks.store import Job, ResultStore

DEFAULT_RESULTS = Path("results")


def plan(
    preset: str,
    envs: Sequence[str],
    methods: dict[str, MethodSpec],
    seeds: Sequence[int],
) -> list[Job]:
    """Every (env, method, seed) of the sweep, where the method applies to the env's family."""
    return [
        Job(preset, env_id, name, seed)
        for env_id in envs
        for name, spec in methods.items()
        if spec.applies_to(env_id, env_family(env_id))
        for seed in seeds
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--preset", choices=sorted(PRESETS), default="smoke")
    parser.add_argument("--env", action="append", help="only this env id (repeatable)")
    parser.add_argument("--method", action="append", help="only this method (repeatable)")
    parser.add_argument("--seed", action="append", type=int, help="only this seed (repeatable)")
    parser.add_argument(
        "--add-method",
        action="append",
        default=[],
        metavar="NAME=module:function[@family,...]",
        help="add a method of your own to the sweep (module: a dotted name importable "
        "from here, or a file path such as examples/random_advice.py)",
    )
    parser.add_argument(
        "--method-description",
        action="append",
        default=[],
        metavar="TEXT",
        help="the k-th --add-method's description (default: its docstring's first line)",
    )
    parser.add_argument(
        "--method-code-url",
        action="append",
        default=[],
        metavar="URL",
        help="the k-th --add-method's code URL, shown on the leaderboard",
    )
    parser.add_argument(
        "--track",
        action="store_true",
        help="also log every job to Weights & Biases (offline unless WANDB_MODE is set)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan and stop")
    parser.add_argument("--ray", metavar="auto|ADDRESS", help="run the jobs as Ray tasks")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--device",
        default="cpu",
        help="where the methods train: cpu (default) or cuda; checked before any job starts",
    )
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument(
        "--leaderboard-dir",
        type=Path,
        default=None,
        help="where submissions/ are written and the board is built "
        "(default RESULTS/leaderboard; `leaderboard` publishes into the repo's board)",
    )
    parser.add_argument("--no-plots", action="store_true")
    parser.add_argument("--study", help="run a named study (benchmarks/studies) instead")
    parser.add_argument(
        "--estimate", action="store_true", help="with --study: print its cost, run nothing"
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="with --study: rewrite its page and submissions from the stored records, run nothing",
    )
    parser.add_argument(
        "--docs-dir", type=Path, default=Path("docs/studies"), help="with --study: its page"
    )
    parser.add_argument(
        "--batch-seeds",
        type=int,
        metavar="S",
        help="with --study: train up to S seeds of each MuJoCo peer row in one process, "
        "their SAC updates batched together (baselines.peer.seed_batch); local pool only",
    )
    return parser.parse_args(argv)


def select(args: argparse.Namespace) -> tuple[list[str], dict[str, MethodSpec], list[int]]:
    """Apply the filters, with an error naming what is valid when a filter matches nothing."""
    import peerzoo

    methods = dict(METHODS)
    for flag in ("method_description", "method_code_url"):
        if len(getattr(args, flag)) > len(args.add_method):
            raise SystemExit(
                f"--{flag.replace('_', '-')} given {len(getattr(args, flag))} times for "
                f"{len(args.add_method)} --add-method; give one per added method, in order."
            )
    for k, option in enumerate(args.add_method):
        description = args.method_description[k] if k < len(args.method_description) else None
        url = args.method_code_url[k] if k < len(args.method_code_url) else None
        try:
            spec = checked_user_method(parse_method_option(option, description, url))
        except MethodError as err:
            raise SystemExit(str(err)) from None
        methods[spec.name] = spec
    all_envs = peerzoo.registry.registered_ids()
    envs = args.env or all_envs
    unknown_envs = sorted(set(envs) - set(all_envs))
    if unknown_envs:
        raise SystemExit(f"unknown env id(s) {unknown_envs}; registered: {all_envs}")
    if args.method:
        unknown = sorted(set(args.method) - set(methods))
        if unknown:
            raise SystemExit(f"unknown method(s) {unknown}; available: {sorted(methods)}")
        methods = {name: methods[name] for name in args.method}
    preset = PRESETS[args.preset]
    seeds = args.seed if args.seed is not None else list(preset.seeds)
    return envs, methods, seeds


def run(argv: Sequence[str] | None = None) -> int:
    """The CLI; returns the process exit code (1 when any job failed)."""
    from tqdm import tqdm

    args = parse_args(argv)
    study_only = [
        flag
        for flag in ("estimate", "report", "batch_seeds")
        if getattr(args, flag) not in (None, False)
    ]
    if args.study or study_only:
        if not args.study:
            raise SystemExit(f"--{study_only[0].replace('_', '-')} needs --study NAME")
        from benchmarks.studies.cli import run_study

        return run_study(args)
    envs, methods, seeds = select(args)
    track = wandb_mode() if args.track else None
    jobs = plan(args.preset, envs, methods, seeds)
    check_device(args.device, {job.method: methods[job.method] for job in jobs}, args.ray)
    store = ResultStore(args.results)
    todo = [job for job in jobs if not store.is_done(job)]
    if args.dry_run:
        for job in jobs:
            state = "done" if store.is_done(job) else "todo"
            print(f"{state}  {job.label}  ({methods[job.method].entry_point})")
        print(f"{len(jobs)} jobs, {len(todo)} to run, preset {args.preset!r}")
        return 0
    where = f"Ray at {args.ray}" if args.ray else f"{args.workers} local worker(s)"
    print(f"preset {args.preset!r}: {len(jobs)} jobs, {len(todo)} to run on {where}")
    outcomes = (
        run_ray(todo, methods, args.ray, args.results, track)
        if args.ray
        else run_local(todo, methods, args.workers, track, args.device)
    )
    with tqdm(total=len(todo), unit="job", dynamic_ncols=True) as bar:
        failed = store_outcomes(outcomes, store, report=bar.write, progress=bar.update)
    for outcome in failed:
        print(f"\n{outcome.job.label} failed; traceback in {store.error_path(outcome.job)}:")
        print(outcome.error)
    grouped = collect(store, jobs)
    print(format_table(summary_rows(grouped)))
    if grouped and not args.no_plots:
        paths = plot_curves(grouped, args.results / "plots" / args.preset)
        print(f"learning curves: {', '.join(str(p) for p in paths)}")
    # Submissions cover the preset's seeds (and any extra ones asked for), finished in this
    # sweep or an earlier one, so a filtered re-run never shrinks an entry.
    preset = PRESETS[args.preset]
    publish_seeds = sorted(set(preset.seeds) | set(seeds))
    board = args.leaderboard_dir or args.results / "leaderboard"
    written = write_submissions(
        collect(store, plan(args.preset, envs, methods, publish_seeds)),
        methods,
        preset,
        board / "submissions",
    )
    print(f"\n{len(written)} submission(s) written to {board / 'submissions'}\n")
    print(build_leaderboard(board))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run())
