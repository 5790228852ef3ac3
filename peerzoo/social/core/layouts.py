"""Grid layouts: the paper's cluttered room, four rooms, and an in-house maze.

Each builder returns an ``(H, W)`` uint8 array of ``EMPTY``/``WALL`` codes with
an outer wall, drawn only from the ``rng`` it is given (the env's
``np_random``), so a seed fixes the layout.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numba import njit

from peerzoo.social.core.codes import EMPTY, WALL

LayoutFn = Callable[[int, float, np.random.Generator], np.ndarray]


def walled_room(size: int) -> np.ndarray:
    """An empty ``size``×``size`` room inside a one-cell wall."""
    grid = np.full((size, size), EMPTY, dtype=np.uint8)
    grid[0, :] = grid[-1, :] = grid[:, 0] = grid[:, -1] = WALL
    return grid


def cluttered(size: int, clutter_density: float, rng: np.random.Generator) -> np.ndarray:
    """The paper's room: ``int(density × (size−2)²)`` wall blocks at random inner cells.

    The count follows marlgrid's ``ClutteredGoalCycleEnv`` (18 blocks at 13×13, 0.15).
    """
    grid = walled_room(size)
    inner = np.argwhere(grid == EMPTY)
    n_clutter = int(clutter_density * (size - 2) ** 2)
    picks = rng.choice(len(inner), size=min(n_clutter, len(inner)), replace=False)
    grid[inner[picks, 0], inner[picks, 1]] = WALL
    return grid


def four_rooms(size: int, clutter_density: float, rng: np.random.Generator) -> np.ndarray:
    """Four rooms split by a wall cross, one random doorway in each of its four arms.

    ``clutter_density`` scatters extra blocks inside the rooms (0 by default).
    """
    grid = cluttered(size, clutter_density, rng) if clutter_density > 0 else walled_room(size)
    mid = size // 2
    grid[mid, :] = WALL
    grid[:, mid] = WALL
    for lo, hi, fixed, vertical in (
        (1, mid, mid, False),  # doorway in the upper arm of the vertical wall
        (mid + 1, size - 1, mid, False),
        (1, mid, mid, True),  # doorway in the left arm of the horizontal wall
        (mid + 1, size - 1, mid, True),
    ):
        k = int(rng.integers(lo, hi))
        if vertical:
            grid[fixed, k] = EMPTY
        else:
            grid[k, fixed] = EMPTY
    return grid


def maze(size: int, clutter_density: float, rng: np.random.Generator) -> np.ndarray:
    """A perfect maze by randomised depth-first search, then a few walls knocked out.

    Cells sit at odd coordinates; knocking out ``clutter_density`` × (number of
    inner walls between cells) extra walls adds loops, so several routes exist
    and an expert's path is still worth watching. An even ``size`` leaves one
    extra wall row/column.
    """
    grid = np.full((size, size), WALL, dtype=np.uint8)
    n = (size - 1) // 2
    visited = np.zeros((n, n), dtype=bool)
    stack = [(int(rng.integers(n)), int(rng.integers(n)))]
    visited[stack[0]] = True
    grid[2 * stack[0][0] + 1, 2 * stack[0][1] + 1] = EMPTY
    while stack:
        r, c = stack[-1]
        options = [
            (r + dr, c + dc)
            for dr, dc in ((0, 1), (1, 0), (0, -1), (-1, 0))
            if 0 <= r + dr < n and 0 <= c + dc < n and not visited[r + dr, c + dc]
        ]
        if not options:
            stack.pop()
            continue
        nr, nc = options[int(rng.integers(len(options)))]
        visited[nr, nc] = True
        grid[2 * nr + 1, 2 * nc + 1] = EMPTY
        grid[r + nr + 1, c + nc + 1] = EMPTY
        stack.append((nr, nc))
    # Walls between two cells: odd/even coordinate pairs inside the border.
    inner = [
        (r, c)
        for r in range(1, 2 * n)
        for c in range(1, 2 * n)
        if grid[r, c] == WALL and (r % 2) != (c % 2)
    ]
    n_open = int(clutter_density * len(inner))
    if n_open and inner:
        for i in rng.choice(len(inner), size=min(n_open, len(inner)), replace=False):
            grid[inner[i]] = EMPTY
    return grid


LAYOUTS: dict[str, LayoutFn] = {"cluttered": cluttered, "four_rooms": four_rooms, "maze": maze}


def reachable_from(grid: np.ndarray, start: tuple[int, int]) -> np.ndarray:
    """Boolean mask of the non-wall cells connected to ``start`` (4-neighbourhood)."""
    seen = np.zeros(grid.shape, dtype=np.bool_)
    _flood(grid, int(start[0]), int(start[1]), seen)
    return seen


@njit(cache=True)
def _flood(grid: np.ndarray, r0: int, c0: int, seen: np.ndarray) -> None:
    # Compiled: it runs at every reset, and batched worlds reset often.
    h, w = grid.shape
    stack = np.empty((h * w, 2), dtype=np.int64)
    seen[r0, c0] = True
    stack[0, 0], stack[0, 1] = r0, c0
    top = 1
    while top:
        top -= 1
        r, c = stack[top, 0], stack[top, 1]
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr, nc = r + dr, c + dc
            if 0 <= nr < h and 0 <= nc < w and not seen[nr, nc] and grid[nr, nc] != WALL:
                seen[nr, nc] = True
                stack[top, 0], stack[top, 1] = nr, nc
                top += 1
