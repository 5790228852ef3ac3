"""``python benchmarks/run_all.py --study NAME [--estimate]``: run a study, or price it.

A study runs through the sweep's own machinery (the same jobs, result store,
process pool or Ray), so it is resumable the same way: finished records are
files written atomically, and a rerun skips them; a local worker also resumes
a killed job from its last evaluation (``rows.run_row``). The records live
beside the submissions they make (``BOARD/records/``, committed with
``--leaderboard-dir leaderboard``), because a study outlives the machine that
started it. At the end it writes each (env, row)'s finished seeds as a
submission naming the command that reproduces it, then the study's page under
``docs/studies/`` (always every row: a run limited with ``--method`` adds to
the page), and closes with which records exist and the command that completes
the rest. It never writes a submission with fewer seeds than the one already
there.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path

from benchmarks.execution import SeedBatch, check_device
from benchmarks.methods import MethodSpec, parse_method_option
from benchmarks.presets import env_family
from benchmarks.store import Job, ResultStore
from benchmarks.studies.registry import STUDIES, study_jobs
from benchmarks.studies.rows import (
    CHECKPOINT_ROOT_VARIABLE,
    PRESET_ROWS,
    method_spec,
    row_names,
)
from benchmarks.studies.spec import Study, validate

DEFAULT_DOCS = Path("docs/studies")
DEFAULT_RESULTS = Path("results")
MAX_DESCRIPTION = 500  # the submission schema's limit


def resolve(args: argparse.Namespace) -> tuple[Study, list[Job], dict[str, MethodSpec]]:
    """The study, its jobs and their methods; ``SystemExit`` with a one-line error otherwise."""
    import peerzoo
    from benchmarks.presets import PRESETS

    if args.study not in STUDIES:
        raise SystemExit(f"unknown study {args.study!r}; valid studies: {sorted(STUDIES)}")
    study = STUDIES[args.study]
    try:
        added = {spec.name: spec for spec in map(parse_method_option, args.add_method)}
        known_rows = {*row_names(), *added}
        validate(study, known_rows, peerzoo.registry.registered_ids(), PRESETS, STUDIES)
        for source in study.sources:
            validate(STUDIES[source], known_rows, peerzoo.registry.registered_ids(), PRESETS)
        jobs = study_jobs(study, args.env, args.seed)
    except ValueError as err:
        raise SystemExit(str(err)) from None
    if args.method:
        rows = sorted({job.method for job in jobs})
        unknown = sorted(set(args.method) - set(rows))
        if unknown:
            raise SystemExit(f"study {study.name!r} has no row {unknown}; its rows: {rows}")
        jobs = [job for job in jobs if job.method in args.method]
    methods = {job.method: added.get(job.method) or method_spec(job.method) for job in jobs}
    return study, jobs, methods


def report_jobs(study: Study, jobs: list[Job], args: argparse.Namespace) -> list[Job]:
    """What the submissions cover: every seed of the rows run (and any extra one asked
    for), finished in this run or an earlier one, so that a run restricted with
    ``--seed`` adds its seeds to the study's entries instead of replacing them."""
    every_seed = study_jobs(study, args.env, None)
    if args.method:
        every_seed = [job for job in every_seed if job.method in args.method]
    return list(dict.fromkeys([*every_seed, *jobs]))


def page_jobs(study: Study, submitted: list[Job], args: argparse.Namespace) -> list[Job]:
    """What the page covers: every row and seed of the study, on its envs and any optional
    one named with ``--env``, whatever rows (``--method``) or seeds this run was limited
    to (``submitted``, from :func:`report_jobs`): running one row of a study adds to its
    page, never replaces it with that row."""
    named = study_jobs(study, args.env, None) if args.env else []
    return list(dict.fromkeys([*study_jobs(study, None, None), *named, *submitted]))


def board_dir(args: argparse.Namespace) -> Path:
    """Where the study's submissions go, and its records beside them."""
    return Path(args.leaderboard_dir or Path(args.results) / "leaderboard")


def study_store(args: argparse.Namespace) -> ResultStore:
    """The sweep's store with the records under ``BOARD/records`` (see the module docstring)."""
    return ResultStore(args.results, records=board_dir(args) / "records")


def reproduce_command(study: Study, args: argparse.Namespace, rows: bool = True) -> str:
    """The command line that runs (or completes) the study as this invocation does;
    ``rows=False`` leaves out the ``--method`` filter (the page's command: every row)."""
    parts = ["python benchmarks/run_all.py", f"--study {study.name}"]
    parts += [f"--env {env_id}" for env_id in args.env or ()]
    parts += [f"--method {row}" for row in (args.method or ()) if rows]
    parts += [f"--add-method {option}" for option in args.add_method]
    if Path(args.results) != DEFAULT_RESULTS:
        parts.append(f"--results {args.results}")
    if args.leaderboard_dir is not None:
        parts.append(f"--leaderboard-dir {args.leaderboard_dir}")
    if args.device != "cpu":
        parts.append(f"--device {args.device}")
    return " ".join(parts)


def run_study(args: argparse.Namespace) -> int:
    """The ``--study`` path of ``run_all``; returns the exit code (1 when a job failed)."""
    study, jobs, methods = resolve(args)
    if args.estimate:
        from benchmarks.studies.estimate import estimate, format_estimate

        units = seed_batches(list(jobs), args)  # priced as they would run
        print(format_estimate(study.name, estimate(units, methods), args.workers))
        return 0
    store = study_store(args)
    if args.report:  # e.g. while other processes run the study's remaining jobs
        return _finish(study, jobs, methods, store, args)
    todo = [job for job in jobs if not store.is_done(job)]
    check_device(args.device, {job.method: methods[job.method] for job in todo}, args.ray)
    units = seed_batches(todo, args)
    if args.dry_run:
        for job in jobs:
            print(f"{'done' if store.is_done(job) else 'todo'}  {job.label}")
        for unit in units:
            if isinstance(unit, SeedBatch):
                print(f"batch {unit.label}")
        print(f"study {study.name!r}: {len(jobs)} jobs, {len(todo)} to run")
        return 0
    # Local workers (spawned: they inherit the environment) checkpoint inside each job.
    previous = os.environ.get(CHECKPOINT_ROOT_VARIABLE)
    os.environ[CHECKPOINT_ROOT_VARIABLE] = str(Path(args.results).resolve() / "checkpoints")
    try:
        failed = _execute(study, units, methods, store, args)
    finally:
        if previous is None:
            os.environ.pop(CHECKPOINT_ROOT_VARIABLE, None)
        else:
            os.environ[CHECKPOINT_ROOT_VARIABLE] = previous
    unwritten = _finish(study, jobs, methods, store, args)
    return 1 if failed or unwritten else 0


def seed_batches(todo: list[Job], args: argparse.Namespace) -> list[Job | SeedBatch]:
    """With ``--batch-seeds S``, each MuJoCo peer row's seeds in batches of up to S (a
    lone seed stays a job); every other job as it is. Refuses, before any job starts,
    what cannot batch."""
    size = getattr(args, "batch_seeds", None)
    if size is None:
        return list(todo)
    if size < 1:
        raise SystemExit(f"--batch-seeds takes a batch size ≥ 1, got {size}")
    if args.ray or getattr(args, "track", False):
        raise SystemExit("--batch-seeds runs in the local process pool without --track or --ray")
    rows: dict[tuple[str, str, str], list[Job]] = {}
    units: list[Job | SeedBatch] = []
    for job in todo:
        if job.method in PRESET_ROWS and env_family(job.env_id) == "mujoco":
            rows.setdefault((job.preset, job.env_id, job.method), []).append(job)
        else:
            units.append(job)
    for jobs in rows.values():
        for start in range(0, len(jobs), size):
            chunk = tuple(jobs[start : start + size])
            units.append(SeedBatch(chunk) if len(chunk) > 1 else chunk[0])
    return units


def _execute(
    study: Study,
    todo: list[Job | SeedBatch],
    methods: dict[str, MethodSpec],
    store: ResultStore,
    args: argparse.Namespace,
) -> list[Job]:
    from benchmarks.execution import run_local, run_ray, store_outcomes, wandb_mode

    where = f"Ray at {args.ray}" if args.ray else f"{args.workers} local worker(s)"
    count = sum(len(u.jobs) if isinstance(u, SeedBatch) else 1 for u in todo)
    batches = sum(isinstance(u, SeedBatch) for u in todo)
    grouped = f" ({batches} seed batch(es))" if batches else ""
    print(f"study {study.name!r}: {count} job(s){grouped} to run on {where}", flush=True)
    track = wandb_mode() if getattr(args, "track", False) else None
    outcomes = (
        run_ray(todo, methods, args.ray, args.results, track)
        if args.ray
        else run_local(todo, methods, args.workers, track, args.device)
    )
    failed = store_outcomes(outcomes, store, report=lambda line: print(line, flush=True))
    for outcome in failed:
        print(f"\n{outcome.job.label} failed; traceback in {store.error_path(outcome.job)}:")
        print(outcome.error)
    return [outcome.job for outcome in failed]


def _finish(
    study: Study,
    run_jobs: list[Job],
    methods: dict[str, MethodSpec],
    store: ResultStore,
    args: argparse.Namespace,
) -> int:
    """Write the submissions of the rows run and the whole page; 1 (and nothing written)
    when that would lose seeds of any row on the page."""
    from benchmarks.aggregate import collect, format_table, summary_rows
    from benchmarks.studies.report import write_report

    command, page_command = reproduce_command(study, args), reproduce_command(study, args, False)
    submitted = report_jobs(study, run_jobs, args)
    jobs = page_jobs(study, submitted, args)
    grouped = collect(store, jobs)
    finished = {job for job in jobs if store.is_done(job)}
    run_rows = {(job.env_id, job.method) for job in submitted}
    print(format_table(summary_rows({k: v for k, v in grouped.items() if k in run_rows})))
    board = board_dir(args)
    lost = seeds_without_records(study, jobs, grouped, board / "submissions")
    if lost:
        for name, seeds in lost.items():
            print(f"{board / 'submissions' / name} holds seeds {seeds} with no record under")
            print(f"  {store.records}; rewriting it would drop them.")
        print("Nothing written. Bring those records back (git), or run them again with:")
        seeds = sorted(set().union(*lost.values()))
        print(f"  {page_command} " + " ".join(f"--seed {seed}" for seed in seeds))
        return 1
    if not study.sources:  # a computed study's records are its sources' submissions
        ran = {key: records for key, records in grouped.items() if key in run_rows}
        written = write_study_submissions(study, ran, methods, board / "submissions", command)
        print(f"{len(written)} submission(s) written to {board / 'submissions'}")
    page = write_report(study, grouped, jobs, finished, Path(args.docs_dir), page_command)
    print(f"study page: {page}")
    if not study.sources:
        print("README's studies table: python -m benchmarks.studies.summary --write")
    print(f"\n{len(finished)} of {len(jobs)} records exist under {store.records}.")
    if len(finished) < len(jobs):
        print(f"complete the rest with: {page_command}")
    return 0


def seeds_without_records(
    study: Study,
    jobs: list[Job],
    grouped: dict[tuple[str, str], list[dict]],
    submissions_dir: Path,
) -> dict[str, list[int]]:
    """Per existing submission of the study, the seeds it holds that no record backs.

    Submissions are rewritten from records; a seed whose record is gone (another
    machine's run, a deleted file) would silently vanish from the board.
    """
    from benchmarks.publish import submission_name
    from leaderboard.validate import SubmissionParseError, read_submission_file

    if study.sources:
        return {}
    lost = {}
    for env_id, row in sorted({(job.env_id, job.method) for job in jobs}):
        name = submission_name(row, env_id, study.budget)
        path = submissions_dir / name
        if not path.exists():
            continue
        try:
            data = read_submission_file(path)
            held = {int(s["seed"]) for e in data["evaluations"] for s in e["seeds"]}
        except (SubmissionParseError, KeyError, TypeError, ValueError):
            continue  # not a submission this study can read: the writer replaces it
        recorded = {int(record["seed"]) for record in grouped.get((env_id, row), [])}
        if held - recorded:
            lost[name] = sorted(held - recorded)
    return lost


def write_study_submissions(
    study: Study,
    grouped: dict[tuple[str, str], list[dict]],
    methods: dict[str, MethodSpec],
    submissions_dir: Path,
    command: str,
) -> list[Path]:
    """One submission per (env, row) holding every finished seed, naming the command.

    The sweep's writer (``benchmarks.publish``) with the study's seeds as the
    required set left empty: a study commits its records as they finish.
    """
    from benchmarks.presets import PRESETS
    from benchmarks.publish import write_submissions

    described = {}
    for name, spec in methods.items():
        suffix = f". Reproduce: {command}"
        text = (spec.description or spec.entry_point).rstrip(".")
        text = text[: MAX_DESCRIPTION - len(suffix)]
        described[name] = dataclasses.replace(spec, description=text + suffix)
    preset = dataclasses.replace(PRESETS[study.budget], seeds=())
    return write_submissions(grouped, described, preset, submissions_dir)
