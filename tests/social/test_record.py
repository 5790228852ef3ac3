"""The recording CLI writes a GIF and a PNG of an episode's rgb_array frames."""

from __future__ import annotations

from pathlib import Path

import imageio.v3 as iio

from peerzoo.social.record import main, record_episode


def test_record_writes_a_gif_of_every_frame(tmp_path: Path) -> None:
    out = tmp_path / "episode.gif"
    main(["--env", "maze_v0", "--steps", "5", "--out", str(out), "--policy", "expert"])
    frames = iio.imread(out)
    assert frames.shape[0] == 6 and frames.shape[-1] in (3, 4)


def test_record_png_is_the_last_frame(tmp_path: Path) -> None:
    out = tmp_path / "frame.png"
    main(["--env", "goal_cycle_v0", "--steps", "3", "--out", str(out), "--n-learners", "2"])
    frame = iio.imread(out)
    assert frame.ndim == 3 and frame.shape[0] >= 13 * 24


def test_frames_show_world_and_one_panel_per_learner() -> None:
    frames = record_episode("goal_cycle_v0", steps=2, n_learners=3)
    h, w, _ = frames[0].shape
    assert w > 13 * 24 + 7 * 24  # world on the left, point-of-view panels on the right
    assert h >= 3 * 7 * 24


def test_record_writes_an_mp4(tmp_path: Path) -> None:
    out = tmp_path / "episode.mp4"
    main(["--env", "four_rooms_v0", "--steps", "4", "--out", str(out)])
    assert out.stat().st_size > 0
