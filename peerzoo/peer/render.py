"""Tiling the peers' frames into one image for ``render_mode="rgb_array"``."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def tile_frames(frames: Sequence[np.ndarray], gap: int = 2) -> np.ndarray:
    """Lay ``frames`` (H×W×3 uint8, same size) on a near-square grid, left to right.

    A ``gap`` of black pixels separates the tiles so peers are told apart at a glance.
    """
    count = len(frames)
    cols = math.ceil(math.sqrt(count))
    rows = math.ceil(count / cols)
    height, width = frames[0].shape[:2]
    canvas = np.zeros(
        (rows * height + (rows - 1) * gap, cols * width + (cols - 1) * gap, 3), dtype=np.uint8
    )
    for index, frame in enumerate(frames):
        row, col = divmod(index, cols)
        top, left = row * (height + gap), col * (width + gap)
        canvas[top : top + height, left : left + width] = frame[..., :3]
    return canvas
