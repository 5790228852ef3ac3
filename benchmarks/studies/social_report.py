"""The social study's sections: transfer, the social signal, cultural transmission.

Each reads what the fast social learner's seed record holds
(:func:`baselines.social.fast.train`): ``evaluations`` (every eval env, with
and without experts), ``social_curve`` (``[steps, expert-in-view fraction,
distance to the nearest expert]`` at each evaluation), ``information_curve``
(``[steps, I(history; action), policy entropy]`` in each evaluation's
episodes, :mod:`baselines.social.diagnostics`) and ``cultural_transmission``
(:mod:`peerzoo.social.transmission`). Records without these fields (other
methods) are left out of the section.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.studies.figures import pyplot, save_figure
from benchmarks.studies.stats import Interval, iqm_interval

Grouped = dict[tuple[str, str], list[dict[str, Any]]]


def transfer_returns(records: list[dict[str, Any]]) -> dict[tuple[str, bool], list[float]]:
    """``(eval env, experts present) → [each seed's mean return]`` over ``records``."""
    by_condition: dict[tuple[str, bool], list[float]] = defaultdict(list)
    for record in records:
        for evaluation in record.get("evaluations") or []:
            key = (evaluation["eval_env_id"], bool(evaluation["experts_present"]))
            by_condition[key].append(float(evaluation["mean_return"]))
    return dict(by_condition)


def transfer_section(
    study: Any, grouped: Grouped, img_dir: Path, docs_dir: Path, reps: int
) -> list[str]:
    """A table and a figure: each row's final return on every eval env, experts or not."""
    rows = sorted({row for _env, row in grouped})
    cells: dict[tuple[str, bool], dict[str, Interval]] = defaultdict(dict)
    for (_env_id, row), records in sorted(grouped.items()):
        for condition, values in transfer_returns(records).items():
            cells[condition][row] = iqm_interval(values, reps)
    if not cells:
        return []
    lines = [
        "## Transfer",
        "",
        "Mean return per episode of the trained learner, at the end of training, on the "
        "training task and zero-shot on every transfer task, with the scripted experts "
        "present and alone; IQM over seeds with 95% CI.",
        "",
        "| eval env | experts | " + " | ".join(f"`{row}`" for row in rows) + " |",
        "|---|---|" + "---|" * len(rows),
    ]
    conditions = sorted(cells, key=lambda c: (c[0], not c[1]))
    for env_id, experts in conditions:
        values = [str(cells[(env_id, experts)].get(row, "–")) for row in rows]
        lines.append(f"| {env_id} | {'yes' if experts else 'no'} | " + " | ".join(values) + " |")
    lines.append("")
    plt = pyplot()
    envs = sorted({env_id for env_id, _ in conditions})
    fig, axes = plt.subplots(1, 2, figsize=(max(8, 1.6 * len(envs) + 4), 4), sharey=True)
    for ax, experts in zip(axes, (True, False), strict=True):
        for k, row in enumerate(rows):
            x = [i + (k - (len(rows) - 1) / 2) * 0.15 for i in range(len(envs))]
            points = [cells[(env_id, experts)].get(row) for env_id in envs]
            shown = [(xi, p) for xi, p in zip(x, points, strict=True) if p is not None]
            if not shown:
                continue
            ax.errorbar(
                [xi for xi, _ in shown],
                [p.point for _, p in shown],
                yerr=[[p.point - p.low for _, p in shown], [p.high - p.point for _, p in shown]],
                fmt="o",
                capsize=3,
                label=row,
            )
        ax.set_xticks(range(len(envs)), envs, rotation=30, ha="right", fontsize=7)
        ax.set_title("experts present" if experts else "alone")
        ax.axhline(0, color="grey", lw=0.5)
    axes[0].set_ylabel("return per episode (IQM, 95% CI)")
    axes[0].legend(fontsize=7)
    return lines + save_figure(fig, img_dir / "transfer.png", docs_dir)


def _seed_curves(records: list[dict[str, Any]], key: str) -> list[np.ndarray]:
    """Each seed's ``key`` curve (rows of ``[steps, value, ...]``), skipping seeds without one."""
    return [np.asarray(record[key], float) for record in records if record.get(key)]


def _mean_curve(curves: list[np.ndarray]) -> np.ndarray:
    """The seeds' mean curve over the evaluations they all reached."""
    length = min(len(curve) for curve in curves)
    return np.mean([curve[:length] for curve in curves], axis=0)


def social_signal_section(
    study: Any, grouped: Grouped, img_dir: Path, docs_dir: Path, reps: int
) -> list[str]:
    """How much the learner keeps the experts in view, and how close, over training."""
    lines = [
        "## The social signal",
        "",
        "Over the training episodes that ended just before each evaluation: the fraction "
        "of the learner's steps with an expert in its view, and its mean distance to the "
        "nearest expert (cells); IQM over seeds with 95% CI at the first and the last "
        "evaluation. Rows trained without experts have none to see.",
        "",
        "| env | method | seeds | in view, first | in view, last | distance, first "
        "| distance, last |",
        "|---|---|---|---|---|---|---|",
    ]
    plt = pyplot()
    fig, (ax_view, ax_distance) = plt.subplots(1, 2, figsize=(10, 4))
    plotted = False
    for (env_id, row), records in sorted(grouped.items()):
        curves = _seed_curves(records, "social_curve")
        if not curves:
            continue
        if all((c[:, 2] < 0).all() for c in curves):  # distance -1: no expert in the world
            lines.append(f"| {env_id} | {row} | {len(curves)} | – | – | – | – |")
            continue
        first = [iqm_interval([c[0, k] for c in curves], reps) for k in (1, 2)]
        last = [iqm_interval([c[-1, k] for c in curves], reps) for k in (1, 2)]
        lines.append(
            f"| {env_id} | {row} | {len(curves)} | {first[0]} | {last[0]} | {first[1]} "
            f"| {last[1]} |"
        )
        mean = _mean_curve(curves)
        ax_view.plot(mean[:, 0], mean[:, 1], label=f"{row} ({len(curves)} seeds)")
        ax_distance.plot(mean[:, 0], mean[:, 2], label=row)
        plotted = True
    lines.append("")
    if not plotted:
        plt.close(fig)
        return lines
    ax_view.set(xlabel="env steps per learner", ylabel="steps with an expert in view")
    ax_view.set_ylim(0, 1)
    ax_view.legend(fontsize=7)
    ax_distance.set(xlabel="env steps per learner", ylabel="distance to the nearest expert")
    return lines + save_figure(fig, img_dir / "social_signal.png", docs_dir)


def information_section(
    study: Any, grouped: Grouped, img_dir: Path, docs_dir: Path, reps: int
) -> list[str]:
    """Whether the learners act on what they see: I(history; action) over training."""
    lines = [
        "## Does the policy use what it sees?",
        "",
        "In each evaluation's episodes: the mutual information between what the learner "
        "has seen and what it does, I(history; action) = H(mean π) − mean H(π) in nats "
        "(0 for a policy that acts the same in every state, whatever its entropy), and the "
        "policy's mean entropy (ln 7 ≈ 1.95 is uniform; four of the seven actions do nothing "
        "in Goal Cycle). IQM over seeds with 95% CI at the last evaluation.",
        "",
        "| env | method | seeds | I(history; action), last | entropy, last |",
        "|---|---|---|---|---|",
    ]
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    plotted = False
    for (env_id, row), records in sorted(grouped.items()):
        curves = _seed_curves(records, "information_curve")
        if not curves:
            continue
        last = [iqm_interval([c[-1, k] for c in curves], reps) for k in (1, 2)]
        lines.append(f"| {env_id} | {row} | {len(curves)} | {last[0]} | {last[1]} |")
        mean = _mean_curve(curves)
        ax.plot(mean[:, 0], mean[:, 1], label=f"{row} ({len(curves)} seeds)")
        plotted = True
    lines.append("")
    if not plotted:
        plt.close(fig)
        return [*lines[:2], "No record holds the information curve yet.", ""]
    ax.set(xlabel="env steps per learner", ylabel="I(history; action), nats")
    ax.legend(fontsize=7)
    return lines + save_figure(fig, img_dir / "policy_information.png", docs_dir)


def transmission_section(
    study: Any, grouped: Grouped, img_dir: Path, docs_dir: Path, reps: int
) -> list[str]:
    """The normalised phases of the cultural-transmission evaluation, per row."""
    scored = {
        key: [r["cultural_transmission"] for r in records if r.get("cultural_transmission")]
        for key, records in sorted(grouped.items())
    }
    scored = {key: scores for key, scores in scored.items() if scores}
    if not scored:
        return []
    phases = sorted({phase for scores in scored.values() for phase in scores[0]["normalised"]})
    lines = [
        "## Cultural transmission",
        "",
        "Experts present for the first part of each episode, then gone; the learner's reward "
        "per step in each phase normalised between a uniformly random policy (0) and the "
        "scripted expert in the learner's place (1); the score is the mean of the two phases "
        "of the expert episodes (`peerzoo.social.transmission`). IQM over seeds with 95% CI.",
        "",
        "| env | method | seeds | " + " | ".join(phases) + " | score |",
        "|---|---|---|" + "---|" * (len(phases) + 1),
    ]
    for (env_id, row), scores in scored.items():
        cells = [iqm_interval([s["normalised"][p] for s in scores], reps) for p in phases]
        total = iqm_interval([s["cultural_transmission"] for s in scores], reps)
        lines.append(
            f"| {env_id} | {row} | {len(scores)} | " + " | ".join(map(str, cells)) + f" | {total} |"
        )
    records = [s for scores in scored.values() for s in scores]
    if all("alone" in s.get("expert", {}) and "alone" in s.get("solo", {}) for s in records):
        expert = float(np.mean([s["expert"]["alone"] for s in records]))
        solo = float(np.mean([s["solo"]["alone"] for s in records]))
        lines += [
            "",
            f"For scale, reward per step in episodes alone (mean over the records): the scripted "
            f"expert in the learner's place {expert:.4f}, the uniformly random policy {solo:.4f}.",
        ]
    return [*lines, ""]
