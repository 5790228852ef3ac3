"""A study's page, ``docs/studies/NAME.md``: setup, tables, figures, and what is still missing.

Every number is computed from the stored seed records at the time the page is
written, so re-running the study after more seeds finish rewrites the page. The
"Reading" lines compare each row with the study's reference row (the single
agent for the peer studies) by their CIs and say
plainly when the difference is not measurable at this budget.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.presets import PRESETS
from benchmarks.store import Job
from benchmarks.studies.figures import pyplot, save_figure
from benchmarks.studies.following import candidate_index, follow_fractions, value_curves
from benchmarks.studies.ranking import seed_scores, tau_over_training
from benchmarks.studies.social_report import (
    information_section,
    social_signal_section,
    transfer_section,
    transmission_section,
)
from benchmarks.studies.spec import METRICS, Study
from benchmarks.studies.stats import Interval, iqm_interval

Grouped = dict[tuple[str, str], list[dict[str, Any]]]


def final_return(record: dict[str, Any]) -> float:
    """A seed's score: the mean of its final evaluation returns (as the leaderboard scores)."""
    return float(np.mean(record["final_returns"]))


def return_over_training(record: dict[str, Any]) -> float:
    """The paper's metric: the mean of the evaluation curve."""
    return float(np.mean([point[1] for point in record["curve"]]))


def write_report(
    study: Study,
    grouped: Grouped,
    jobs: Sequence[Job],
    finished: set[Job],
    docs_dir: Path,
    command: str,
    reps: int = 2000,
) -> Path:
    """Write ``docs_dir/NAME.md`` and its figures under ``docs_dir/img/NAME/``; return the page."""
    img_dir = docs_dir / "img" / study.name
    img_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"# Study `{study.name}`: {study.title}", "", study.measures, ""]
    if study.substitution:
        lines += [f"**Substitution.** {study.substitution}", ""]
    lines += _setup(study, jobs)
    lines += [
        "Reproduce (resumable: a rerun skips finished records; safe to run under `nohup`):",
        "",
        "```bash",
        command,
        f"nohup {command} > {study.name}.log 2>&1 &",
        "```",
        "",
    ]
    sections = {
        "final_return": _returns_section,
        "group_size": _group_size_section,
        "follow_adversary": _follow_section,
        "agent_values": _agent_values_section,
        "trust_values": _trust_values_section,
        "kendall_tau": _kendall_section,
        "transfer": transfer_section,
        "social_signal": social_signal_section,
        "policy_information": information_section,
        "cultural_transmission": transmission_section,
    }
    for metric in study.metrics:
        if metric in sections and grouped:
            lines += sections[metric](study, grouped, img_dir, docs_dir, reps)
    if not grouped:
        lines += ["No record has finished yet.", ""]
    lines += _status(jobs, finished, command)
    lines += _wall_time_section(grouped)
    page = docs_dir / f"{study.name}.md"
    page.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return page


# ---------------------------------------------------------------------------- sections
def _setup(study: Study, jobs: Sequence[Job]) -> list[str]:
    preset, paper = PRESETS[study.budget], PRESETS["paper"]
    envs = sorted({job.env_id for job in jobs})

    def of_the_paper(env_id: str) -> str:
        """How the budget compares with the papers' (a reader weighs a null result by it)."""
        if study.budget == "paper":
            return ""
        steps, full = preset.budget(env_id).steps_per_peer, paper.budget(env_id).steps_per_peer
        return f", {100 * steps / full:.2g}% of the `paper` preset's {full:,}"

    budgets = ", ".join(
        f"`{env_id}`: {preset.budget(env_id).steps_per_peer:,} env steps per peer"
        f"{of_the_paper(env_id)}, evaluated every {preset.budget(env_id).eval_every:,} "
        f"({preset.budget(env_id).eval_episodes} episodes per peer)"
        for env_id in envs
    )
    rows = ", ".join(f"`{row}`" for row in study.rows)
    seeds = sorted({job.seed for job in jobs})
    lines = [
        f"**Setup.** Budget: preset `{study.budget}`: {budgets}. Rows: {rows}. Seeds: {seeds}."
    ]
    if study.sources:
        lines[0] += f" Computed from the records of the studies {', '.join(study.sources)}."
    if study.fewer_seeds_reason:
        lines[0] += f" {len(seeds)} seeds: {study.fewer_seeds_reason}."
    lines += ["", "Metrics: " + "; ".join(METRICS[m] for m in study.metrics) + ".", ""]
    return lines


def _returns_section(
    study: Study, grouped: Grouped, img_dir: Path, docs_dir: Path, reps: int
) -> list[str]:
    from benchmarks.aggregate import plot_curves

    lines = [
        "## Returns",
        "",
        "IQM over seeds with 95% stratified-bootstrap CIs (rliable).",
        "",
        "| env | method | seeds | final return | avg. return over training |",
        "|---|---|---|---|---|",
    ]
    finals: dict[tuple[str, str], Interval] = {}
    seeds = {key: len(records) for key, records in grouped.items()}
    for (env_id, row), records in sorted(grouped.items()):
        finals[(env_id, row)] = final = iqm_interval([final_return(r) for r in records], reps)
        over = iqm_interval([return_over_training(r) for r in records], reps)
        lines.append(f"| {env_id} | {row} | {len(records)} | {final} | {over} |")
    reading = _reading(finals, seeds, study.reference_row)
    lines += ["", *reading, ""] if reading else [""]
    for path in plot_curves(grouped, img_dir):
        lines += [f"![{path.stem}]({path.relative_to(docs_dir).as_posix()})", ""]
    return lines


MIN_SEEDS_TO_COMPARE = 3  # below this a bootstrap CI over seeds says nothing


def _reading(
    finals: dict[tuple[str, str], Interval],
    seeds: dict[tuple[str, str], int],
    reference_row: str = "single",
) -> list[str]:
    """One line per row against the reference row on the same env, by CI overlap."""
    lines = []
    against = "the single agent" if reference_row == "single" else f"`{reference_row}`"
    for (env_id, row), interval in sorted(finals.items()):
        reference = finals.get((env_id, reference_row))
        if reference is None or row == reference_row:
            continue
        n, m = seeds[(env_id, row)], seeds[(env_id, reference_row)]
        if min(n, m) < MIN_SEEDS_TO_COMPARE:
            verdict = (
                f"no comparison yet ({n} and {m} seeds; a CI over seeds needs "
                f"{MIN_SEEDS_TO_COMPARE} or more)"
            )
        elif interval.low > reference.high:
            verdict = f"higher than {against} (CIs disjoint)"
        elif interval.high < reference.low:
            verdict = f"lower than {against} (CIs disjoint)"
        else:
            verdict = f"not distinguishable from {against} at this budget (CIs overlap)"
        lines.append(
            f"- Reading, `{env_id}`: `{row}` final return IQM {interval.point:.2f} vs "
            f"{reference.point:.2f}: {verdict}."
        )
    return lines


def _group_size_section(
    study: Study, grouped: Grouped, img_dir: Path, docs_dir: Path, reps: int
) -> list[str]:
    by_env: dict[str, list[tuple[int, Interval]]] = defaultdict(list)
    for (env_id, _row), records in sorted(grouped.items()):
        n_peers = int(records[0]["n_peers"])
        by_env[env_id].append((n_peers, iqm_interval([final_return(r) for r in records], reps)))
    plt = pyplot()
    lines = ["## Group size", ""]
    for env_id, points in sorted(by_env.items()):
        points.sort()
        fig, ax = plt.subplots(figsize=(5, 3.5))
        sizes = [n for n, _ in points]
        ax.errorbar(
            sizes,
            [p.point for _, p in points],
            yerr=[[p.point - p.low for _, p in points], [p.high - p.point for _, p in points]],
            marker="o",
            capsize=4,
        )
        ax.set(title=env_id, xlabel="peers", ylabel="final return (IQM, 95% CI)", xticks=sizes)
        lines += save_figure(fig, img_dir / f"group_size__{env_id}.png", docs_dir)
    return lines


def _follow_section(
    study: Study, grouped: Grouped, img_dir: Path, docs_dir: Path, reps: int
) -> list[str]:
    lines = [
        "## Following the adversary",
        "",
        "Fraction of each learner's steps on which it executed the adversary's action "
        "(mean over learners per seed; IQM over seeds with 95% CI). A uniform choice among "
        "self, the other learner and the adversary would give 0.33.",
        "",
        "| env | method | seeds | first evaluation interval | last evaluation interval |",
        "|---|---|---|---|---|",
    ]
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    plotted = False
    for (env_id, row), records in sorted(grouped.items()):
        curves = []
        for record in records:
            # A single agent (one learner) takes no advice: nothing to follow.
            if "adversary" not in (record.get("advisors") or []) or record["n_peers"] < 2:
                continue
            steps, fractions = follow_fractions(record, candidate_index(record, "adversary"))
            if len(steps):
                curves.append((steps, np.nanmean(fractions, axis=1)))
        if not curves:
            continue
        first = iqm_interval([c[1][0] for c in curves], reps)
        last = iqm_interval([c[1][-1] for c in curves], reps)
        lines.append(f"| {env_id} | {row} | {len(curves)} | {first} | {last} |")
        length = min(len(c[0]) for c in curves)
        mean = np.mean([c[1][:length] for c in curves], axis=0)
        ax.plot(curves[0][0][:length], mean, label=f"{row} ({len(curves)} seeds)")
        plotted = True
    lines.append("")
    if plotted:
        ax.set(xlabel="env steps per peer", ylabel="fraction following the adversary")
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8)
        lines += save_figure(fig, img_dir / "follow_adversary.png", docs_dir)
    else:
        plt.close(fig)
    return lines


def _agent_values_section(
    study: Study, grouped: Grouped, img_dir: Path, docs_dir: Path, reps: int
) -> list[str]:
    return _values_section(grouped, img_dir, docs_dir, "agent_values", "Agent values")


def _trust_values_section(
    study: Study, grouped: Grouped, img_dir: Path, docs_dir: Path, reps: int
) -> list[str]:
    return _values_section(grouped, img_dir, docs_dir, "trust_values", "Trust values")


def _values_section(
    grouped: Grouped, img_dir: Path, docs_dir: Path, key: str, title: str
) -> list[str]:
    """Mean over seeds (and, for trust values, over learners) of the value of each candidate."""
    lines = [f"## {title}", ""]
    plt = pyplot()
    for (env_id, row), records in sorted(grouped.items()):
        curves = [c for c in (value_curves(r, key) for r in records) if c is not None]
        if not curves:
            continue
        names = list(records[0].get("advisors") or [])
        length = min(len(c[0]) for c in curves)
        stacked = np.array([c[1][:length] for c in curves])  # seeds x points x [learners x] cands
        mean = stacked.mean(axis=0) if key == "agent_values" else stacked.mean(axis=(0, 2))
        steps = curves[0][0][:length]
        fig, ax = plt.subplots(figsize=(6, 4))
        for k in range(mean.shape[1]):
            ax.plot(steps, mean[:, k], label=names[k] if k < len(names) else f"candidate {k}")
        label = "agent value" if key == "agent_values" else "trust value (mean over learners)"
        ax.set(title=f"{env_id} / {row}", xlabel="env steps per peer", ylabel=label)
        ax.legend(fontsize=8)
        final = ", ".join(
            f"{names[k] if k < len(names) else k}: {mean[-1, k]:.2f}" for k in range(mean.shape[1])
        )
        lines += [
            f"`{env_id}` / `{row}`, final (mean over {len(curves)} seeds): {final}.",
            "",
            *save_figure(fig, img_dir / f"{key}__{env_id}__{row}.png", docs_dir),
        ]
    return lines


def _kendall_section(
    study: Study, grouped: Grouped, img_dir: Path, docs_dir: Path, reps: int
) -> list[str]:
    lines = [
        "## Kendall τ",
        "",
        "Per seed: τ averaged over learners and evaluation points where it is defined, and τ "
        "at the last such point; IQM over seeds with 95% CI. Groups of 2 learners have a single "
        "other peer to rank, so no τ.",
        "",
        "| env | method | peers | seeds with τ | τ over training | final τ |",
        "|---|---|---|---|---|---|",
    ]
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    plotted = False
    for (env_id, row), records in sorted(grouped.items()):
        scores = [s for s in (seed_scores(r) for r in records) if s[0] is not None]
        n_peers = int(records[0]["n_peers"])
        if not scores:
            lines.append(f"| {env_id} | {row} | {n_peers} | 0 | – | – |")
            continue
        over = iqm_interval([s[0] for s in scores], reps)
        last = iqm_interval([s[1] for s in scores], reps)
        lines.append(f"| {env_id} | {row} | {n_peers} | {len(scores)} | {over} | {last} |")
        by_step: dict[int, list[float]] = defaultdict(list)
        for record in records:
            for step, taus in tau_over_training(record):
                by_step[step] += [t for t in taus if t is not None]
        steps = sorted(s for s, v in by_step.items() if v)
        ax.plot(steps, [np.mean(by_step[s]) for s in steps], label=f"{env_id} / {row}")
        plotted = True
    lines.append("")
    if plotted:
        ax.axhline(0, color="grey", lw=0.5)
        ax.set(xlabel="env steps per peer", ylabel="Kendall τ (mean over learners, seeds)")
        ax.set_ylim(-1, 1)
        ax.legend(fontsize=7)
        lines += save_figure(fig, img_dir / "kendall_tau.png", docs_dir)
    else:
        plt.close(fig)
    return lines


def _status(jobs: Sequence[Job], finished: set[Job], command: str) -> list[str]:
    missing = [job for job in jobs if job not in finished]
    lines = ["## Records", "", f"{len(jobs) - len(missing)} of {len(jobs)} records finished."]
    if missing:
        lines += [
            "Missing: " + ", ".join(f"`{job.label}`" for job in missing) + ".",
            "",
            f"Complete the rest with `{command}`.",
        ]
    return [*lines, ""]


def _wall_time_section(grouped: Grouped) -> list[str]:
    """What a record of each row cost, read from the records themselves.

    Why: ``--estimate`` prices a study from a short run before anything
    trains; this is the measured counterpart, current with every record, so a
    reader planning the missing seeds sees what the finished ones took.
    """
    rows = []
    for (env_id, row), records in sorted(grouped.items()):
        hours = [r["wall_time_s"] / 3600 for r in records if "wall_time_s" in r]
        if hours:
            rows.append(
                f"| {env_id} | {row} | {len(hours)} | {np.median(hours):.2f} "
                f"({min(hours):.2f}–{max(hours):.2f}) |"
            )
    if not rows:
        return []
    return [
        "Wall time per record, from the records' `wall_time_s` (one job on one core, "
        "other jobs sharing the machine, or its share of a seed batch):",
        "",
        "| env | method | records | hours per record, median (min–max) |",
        "|---|---|---|---|",
        *rows,
        "",
    ]
