"""Every figure of the sweep and the board, drawn one way.

``benchmarks/aggregate.py`` (after a sweep) and ``leaderboard/render_site.py``
(the results page) both draw learning curves here: the mean over seeds with a
95% bootstrap CI band, on the per-peer env-step axis. The across-task figures
of the board (interval estimates, performance profiles, probability of
improvement) live here too. Inputs are plain arrays, so the module knows
nothing of submissions or sweep records. Labels pass through :func:`plot_label`
because they may be submitted text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from leaderboard.escape import plot_label

CI_REPS = 1000
WIDTH_IN = 6.4  # two figures side by side fit a 1400 px page at the site's dpi
DPI = 100


@dataclass(frozen=True)
class CurveSeries:
    """One line of a learning-curve plot: a label and each seed's ``(steps, returns)``."""

    label: str
    seeds: Sequence[tuple[Sequence[float], Sequence[float]]]


def mean_and_ci(values: np.ndarray, reps: int = CI_REPS, seed: int = 0) -> tuple[np.ndarray, ...]:
    """Mean over seeds (rows) per column, and its 95% percentile-bootstrap interval.

    Seeds are resampled with replacement, as rliable's bootstrap does over runs;
    one seed gives a zero-width band rather than an invented one.
    """
    values = np.asarray(values, dtype=float)
    mean = values.mean(axis=0)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, values.shape[0], size=(reps, values.shape[0]))
    boot = values[picks].mean(axis=1)
    low, high = np.percentile(boot, [2.5, 97.5], axis=0)
    return mean, low, high


def curve_band(series: CurveSeries) -> tuple[np.ndarray, ...]:
    """``steps, mean, low, high`` on the steps every seed evaluated at."""
    common = set(float(s) for s in series.seeds[0][0])
    for steps, _ in series.seeds[1:]:
        common &= {float(s) for s in steps}
    x = np.array(sorted(common))
    rows = []
    for steps, returns in series.seeds:
        lookup = dict(zip((float(s) for s in steps), (float(r) for r in returns)))
        rows.append([lookup[s] for s in x])
    return (x, *mean_and_ci(np.array(rows)))


def _figure(height: float = 3.6):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt, *plt.subplots(figsize=(WIDTH_IN, height), dpi=DPI)


def _save(plt, fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_learning_curves(
    series: Sequence[CurveSeries],
    path: Path,
    xmax: float | None = None,
    title: str | None = None,
    xlabel: str = "env steps per peer",
    ylabel: str = "mean return over peers",
) -> Path:
    """Mean over seeds with a shaded 95% CI band per series, all on one x-axis."""
    plt, fig, ax = _figure()
    for item in series:
        x, mean, low, high = curve_band(item)
        label = plot_label(f"{item.label} ({len(item.seeds)} seeds)")
        (line,) = ax.plot(x, mean, marker="o" if len(x) < 4 else None, ms=3, label=label)
        ax.fill_between(x, low, high, alpha=0.2, color=line.get_color(), linewidth=0)
    if xmax is not None:
        ax.set_xlim(0, xmax)
    if title:
        ax.set_title(plot_label(title))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return _save(plt, fig, path)


def plot_interval_estimates(
    rows: dict[str, dict[str, tuple[float, float, float]]], path: Path
) -> Path:
    """One panel per metric: each method's point estimate with its 95% CI as a bar."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(rows)
    metric_names = list(next(iter(rows.values())))
    height = 1.0 + 0.35 * len(labels)
    fig, axes = plt.subplots(
        1, len(metric_names), figsize=(WIDTH_IN, height), dpi=DPI, sharey=True, squeeze=False
    )
    y = np.arange(len(labels))
    for ax, metric in zip(axes[0], metric_names):
        for i, label in enumerate(labels):
            point, low, high = rows[label][metric]
            ax.barh(i, high - low, left=low, height=0.6, alpha=0.5, color=f"C{i % 10}")
            ax.plot([point, point], [i - 0.3, i + 0.3], color="k", lw=1.5)
        ax.axvline(1.0 if metric == "IQM" else 0.0, color="grey", ls=":", lw=1)
        ax.set_xlabel(metric)
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].set_yticks(y, [plot_label(label) for label in labels])
    axes[0][0].invert_yaxis()
    return _save(plt, fig, path)


def plot_performance_profiles(
    taus: np.ndarray,
    profiles: dict[str, np.ndarray],
    cis: dict[str, np.ndarray],
    path: Path,
) -> Path:
    """Fraction of runs with a normalised score above tau, with 95% CI bands."""
    plt, fig, ax = _figure()
    for label, profile in profiles.items():
        (line,) = ax.plot(taus, profile, label=plot_label(label))
        ax.fill_between(taus, cis[label][0], cis[label][1], alpha=0.15, color=line.get_color())
    ax.axvline(1.0, color="grey", ls=":", lw=1)
    ax.set_xlabel("normalised score τ (reference = 1)")
    ax.set_ylabel("fraction of runs with score > τ")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return _save(plt, fig, path)


def plot_probability_of_improvement(
    rows: dict[str, tuple[float, float, float]], path: Path
) -> Path:
    """P(method > reference) per method with its 95% CI; 0.5 is no difference."""
    plt, fig, ax = _figure(height=1.0 + 0.35 * max(len(rows), 1))
    labels = list(rows)
    for i, label in enumerate(labels):
        point, low, high = rows[label]
        ax.barh(i, high - low, left=low, height=0.6, alpha=0.5, color=f"C{i % 10}")
        ax.plot([point, point], [i - 0.3, i + 0.3], color="k", lw=1.5)
    ax.axvline(0.5, color="grey", ls=":", lw=1)
    ax.set_xlim(0, 1)
    ax.set_yticks(range(len(labels)), [plot_label(label) for label in labels])
    ax.invert_yaxis()
    ax.set_xlabel("P(method > reference)")
    ax.grid(axis="x", alpha=0.3)
    return _save(plt, fig, path)
