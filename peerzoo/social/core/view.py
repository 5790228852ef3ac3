"""Line of sight inside the egocentric view, as a table computed once at import.

A view cell is visible when the segment between the centres of the agent's
cell and that cell crosses no wall. Where the segment runs exactly along an
edge or through a corner it touches two or four cells at once; it is blocked
there only when all of them are walls (a diagonal gap lets sight through).
The table lists, per view cell, those groups of cells, so occlusion at run time
is a handful of array lookups instead of geometry.
"""

from __future__ import annotations

import numpy as np

from peerzoo.social.core.codes import VIEW_COL, VIEW_ROW, VIEW_SIZE

_SAMPLES = 840  # divisible by 1..8, so every crossing of a cell edge is hit exactly


def _cells_at(scaled: int, n: int) -> tuple[int, ...]:
    """Cells containing coordinate ``scaled / (2n)`` (two when it lies on an edge)."""
    if scaled % (2 * n) == n:
        return ((scaled - n) // (2 * n), (scaled + n) // (2 * n))
    return ((scaled + n) // (2 * n),)


def build_ray_table() -> np.ndarray:
    """``(VIEW_SIZE**2, G, 4)`` int64: per view cell, the blocking groups (flat view indices).

    -1 pads both the groups and the cells within a group.
    """
    n = _SAMPLES
    per_cell: list[list[tuple[int, ...]]] = []
    for vr in range(VIEW_SIZE):
        for vc in range(VIEW_SIZE):
            groups: list[tuple[int, ...]] = []
            for i in range(1, n):
                rows = _cells_at(2 * (VIEW_ROW * n + i * (vr - VIEW_ROW)), n)
                cols = _cells_at(2 * (VIEW_COL * n + i * (vc - VIEW_COL)), n)
                group = tuple(
                    sorted(
                        r * VIEW_SIZE + c
                        for r in rows
                        for c in cols
                        if (r, c) not in ((VIEW_ROW, VIEW_COL), (vr, vc))
                    )
                )
                if len(group) == len(rows) * len(cols) and group and group not in groups:
                    groups.append(group)
            per_cell.append(groups)
    width = max(len(g) for g in per_cell)
    table = np.full((VIEW_SIZE * VIEW_SIZE, max(width, 1), 4), -1, dtype=np.int64)
    for idx, groups in enumerate(per_cell):
        for g, group in enumerate(groups):
            table[idx, g, : len(group)] = group
    return table


RAY_TABLE = build_ray_table()
