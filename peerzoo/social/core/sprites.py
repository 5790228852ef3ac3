"""Tile sprites and the composed ``rgb_array`` frame; pygame only for ``human`` mode.

Sprites are small uint8 arrays built once per (tile size, agent colours); a
frame is a table lookup by sprite id (``kernels.SPRITE_*``), never drawing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from peerzoo.social.core.codes import COLOUR_RGB, GOAL_COLOUR, WALL_COLOUR
from peerzoo.social.core.kernels import SPRITE_AGENT0, SPRITE_EMPTY, SPRITE_GOAL, SPRITE_WALL

OBS_TILE = 3  # the paper's 3-pixel tiles: a 7×7 view is 21×21×3
RENDER_TILE = 24
_EMPTY_RGB = np.array([40, 40, 40], dtype=np.uint8)
_GRID_LINE_RGB = np.array([70, 70, 70], dtype=np.uint8)
_DIM_RGB = np.array([100, 100, 100], dtype=np.float64)

# A 3-pixel arrow facing north (the tip at the top); other directions are rotations.
_ARROW_3 = np.array([[0, 1, 0], [1, 1, 1], [1, 0, 1]], dtype=bool)


def _arrow_north(tile: int) -> np.ndarray:
    if tile == 3:
        return _ARROW_3
    y = (np.arange(tile) + 0.5) / tile
    x = (np.arange(tile) + 0.5) / tile - 0.5
    py, px = np.meshgrid(y, x, indexing="ij")
    return (np.abs(px) <= 0.42 * py) & (py >= 0.1) & (py <= 0.92)


def agent_mask(tile: int, direction: int) -> np.ndarray:
    """Boolean ``tile``×``tile`` arrow for MiniGrid direction ``direction`` (0 east … 3 north)."""
    return np.rot90(_arrow_north(tile), k=-((direction + 1) % 4))


def agent_rgb(
    colours: np.ndarray, prestige: np.ndarray | None = None, scale: float = 1.0
) -> np.ndarray:
    """Each agent's RGB; with prestige, a blend from grey (none) to its colour (≥ ``scale``)."""
    base = COLOUR_RGB[colours].astype(np.float64)
    if prestige is None:
        return base.astype(np.uint8)
    f = np.clip(prestige / scale, 0.0, 1.0)[:, None]
    return np.rint((1.0 - f) * _DIM_RGB + f * base).astype(np.uint8)


def tile_sprites(tile: int, agent_colours_rgb: np.ndarray) -> np.ndarray:
    """``(4 + 4·n_agents, tile, tile, 3)`` uint8: unseen, empty, wall, goal, agents × directions."""
    n = len(agent_colours_rgb)
    sprites = np.zeros((SPRITE_AGENT0 + 4 * n, tile, tile, 3), dtype=np.uint8)
    empty = np.empty((tile, tile, 3), dtype=np.uint8)
    empty[:] = _EMPTY_RGB if tile == OBS_TILE else 0
    if tile > OBS_TILE:
        empty[0, :] = empty[:, 0] = _GRID_LINE_RGB
    sprites[SPRITE_EMPTY] = empty
    sprites[SPRITE_WALL] = COLOUR_RGB[WALL_COLOUR]
    sprites[SPRITE_GOAL] = empty
    inset = 0 if tile == OBS_TILE else max(1, tile // 8)
    sprites[SPRITE_GOAL, inset : tile - inset, inset : tile - inset] = COLOUR_RGB[GOAL_COLOUR]
    for k in range(n):
        for d in range(4):
            s = sprites[SPRITE_AGENT0 + 4 * k + d]
            s[:] = empty
            s[agent_mask(tile, d)] = agent_colours_rgb[k]
    return sprites


def tiles_to_image(sprites: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """An ``(H·t, W·t, 3)`` image from an ``(H, W)`` array of sprite ids."""
    h, w = ids.shape
    t = sprites.shape[1]
    return sprites[ids].transpose(0, 2, 1, 3, 4).reshape(h * t, w * t, 3)


def compose_frame(
    world: np.ndarray,
    fov_masks: np.ndarray,
    fov_rgb: np.ndarray,
    panels: np.ndarray,
    tile: int,
) -> np.ndarray:
    """Global view with each learner's field of view tinted, its POV panels stacked at the right.

    ``world``: (H·t, W·t, 3); ``fov_masks``: (L, H, W) bool; ``fov_rgb``: (L, 3);
    ``panels``: (L, 7·t, 7·t, 3), each framed in its learner's colour.
    """
    frame_world = world.astype(np.float32)
    for mask, rgb in zip(fov_masks, fov_rgb):
        pix = np.repeat(np.repeat(mask, tile, axis=0), tile, axis=1)
        frame_world[pix] = 0.65 * frame_world[pix] + 0.35 * rgb.astype(np.float32)
    pad = max(2, tile // 4)
    n, ph, pw, _ = panels.shape
    col_h = n * (ph + 2 * pad)
    height = max(world.shape[0], col_h)
    frame = np.zeros((height, world.shape[1] + pw + 2 * pad, 3), dtype=np.uint8)
    frame[: world.shape[0], : world.shape[1]] = frame_world.astype(np.uint8)
    x0 = world.shape[1]
    for i in range(n):
        y0 = i * (ph + 2 * pad)
        frame[y0 : y0 + ph + 2 * pad, x0 : x0 + pw + 2 * pad] = fov_rgb[i]
        frame[y0 + pad : y0 + pad + ph, x0 + pad : x0 + pad + pw] = panels[i]
    return frame


class HumanWindow:
    """A pygame window showing frames; pygame is imported here, on first use only."""

    def __init__(self, title: str, fps: int) -> None:
        import pygame  # lazy: importing pygame must never happen for rgb_array or no render

        self._pygame: Any = pygame
        self.fps = fps
        pygame.init()
        pygame.display.set_caption(title)
        self.window: Any = None
        self.clock = pygame.time.Clock()

    def show(self, frame: np.ndarray) -> None:
        """Blit ``frame`` (H, W, 3) and keep the window responsive."""
        pg = self._pygame
        if self.window is None or self.window.get_size() != (frame.shape[1], frame.shape[0]):
            self.window = pg.display.set_mode((frame.shape[1], frame.shape[0]))
        pg.event.pump()
        surface = pg.surfarray.make_surface(np.ascontiguousarray(frame.transpose(1, 0, 2)))
        self.window.blit(surface, (0, 0))
        pg.display.flip()
        self.clock.tick(self.fps)

    def close(self) -> None:
        """Close the window and shut pygame's display down."""
        self._pygame.display.quit()
        self._pygame.quit()
