"""One plotting module: curve bands over seeds, and the sweep drawing through it."""

from __future__ import annotations

import numpy as np

from leaderboard import plots
from leaderboard.plots import CurveSeries, curve_band, mean_and_ci


def test_the_band_is_a_95_percent_interval_of_the_mean_over_seeds():
    values = np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 1.0]])
    mean, low, high = mean_and_ci(values, reps=2000)
    assert np.allclose(mean, [2.0, 1.0])
    assert low[0] < 2.0 < high[0] and low[0] >= 0.0 and high[0] <= 4.0
    assert low[1] == high[1] == 1.0  # seeds that agree leave no band


def test_a_wider_spread_over_seeds_gives_a_wider_band():
    narrow = mean_and_ci(np.array([[1.0], [1.1], [0.9], [1.05]]))
    wide = mean_and_ci(np.array([[1.0], [3.0], [-1.0], [2.0]]))
    assert (wide[2] - wide[1])[0] > 5 * (narrow[2] - narrow[1])[0]


def test_curves_are_compared_on_the_steps_every_seed_evaluated_at():
    series = CurveSeries("m", [([0, 10, 20], [0.0, 1.0, 2.0]), ([10, 20], [3.0, 4.0])])
    steps, mean, _, _ = curve_band(series)
    assert steps.tolist() == [10.0, 20.0] and mean.tolist() == [2.0, 3.0]


def test_the_sweep_draws_its_curves_here_with_single_nx_on_the_per_peer_axis(tmp_path, monkeypatch):
    from benchmarks.aggregate import plot_curves

    drawn = {}

    def record(series, path, **kwargs):
        drawn[path.name] = series
        return path

    monkeypatch.setattr(plots, "plot_learning_curves", record)
    grouped = {
        ("peer_room_v0", "peer"): [{"curve": [[500, 1.0], [1000, 2.0]]}],
        ("peer_room_v0", "single_nx"): [
            {"curve": [[1000, 1.0], [2000, 2.0]], "sample_multiplier": 2}
        ],
    }
    plot_curves(grouped, tmp_path)
    peer, single_nx = drawn["peer_room_v0.png"]
    assert single_nx.label == "single_nx"
    assert list(single_nx.seeds[0][0]) == list(peer.seeds[0][0]) == [500, 1000]


def test_learning_curves_are_written_as_images(tmp_path):
    series = [CurveSeries("a", [([1, 2], [0.0, 1.0]), ([1, 2], [0.5, 1.5])])]
    path = plots.plot_learning_curves(series, tmp_path / "c.png", xmax=2)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
