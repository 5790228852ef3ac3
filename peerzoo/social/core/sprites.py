"""Tile sprites and the composed ``rgb_array`` frame; pygame only for ``human`` mode.

Tiles are marlgrid's (``MultiGrid.render_tile``): each is drawn at three times
its size and averaged down, with marlgrid's palette — empty cells black
(at 3 pixels; larger tiles get marlgrid's faint grid line), cells out of sight
its "shadow" (35, 25, 30), walls its default "worst" (74, 65, 42), goals
yellow, agents a triangle in their colour, blended over a goal tile when they
stand on one. Sprites are small uint8 arrays built once per (tile size, agent
colours); a frame is a table lookup by sprite id (``kernels.SPRITE_*``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from peerzoo.social.core.kernels import (
    SPRITE_AGENT0,
    SPRITE_EMPTY,
    SPRITE_GOAL,
    SPRITE_UNSEEN,
    SPRITE_WALL,
    SPRITES_PER_AGENT,
)

OBS_TILE = 3  # the paper's 3-pixel tiles: a 7×7 view is 21×21×3
RENDER_TILE = 24
SUBDIVS = 3  # marlgrid draws each tile at 3× and downsamples

# marlgrid's palette (``objects.COLORS``).
SHADOW_RGB = np.array([35, 25, 30], dtype=np.uint8)
WALL_RGB = np.array([74, 65, 42], dtype=np.uint8)
GOAL_RGB = np.array([255, 255, 0], dtype=np.uint8)
RED_RGB = np.array([255, 0, 0], dtype=np.int64)
BLUE_RGB = np.array([0, 0, 255], dtype=np.int64)
WHITE_RGB = np.array([255, 255, 255], dtype=np.uint8)
# Agent k wears AGENT_RGB[k % 6]: marlgrid's registered colours, in its order
# (red, blue, purple, orange, olive, pink).
AGENT_RGB = np.array(
    [[255, 0, 0], [0, 0, 255], [112, 39, 195], [255, 165, 0], [128, 128, 0], [255, 0, 189]],
    dtype=np.uint8,
)
# The agent's triangle facing east, in tile coordinates (``GridAgent.render``).
_TRIANGLE = ((0.12, 0.19), (0.87, 0.50), (0.12, 0.81))


@lru_cache(maxsize=8)
def _triangle_east(size: int) -> np.ndarray:
    """Pixels of a ``size``×``size`` image whose centres lie in the agent's triangle."""
    a = np.array(_TRIANGLE[0])
    b = np.array(_TRIANGLE[1])
    c = np.array(_TRIANGLE[2])
    v0 = c - a
    v1 = b - a
    dot00 = float(v0 @ v0)
    dot01 = float(v0 @ v1)
    dot11 = float(v1 @ v1)
    inv = 1 / (dot00 * dot11 - dot01 * dot01)
    mask = np.zeros((size, size), dtype=bool)
    for y in range(size):
        for x in range(size):
            px, py = (x + 0.5) / size - a[0], (y + 0.5) / size - a[1]
            dot02 = v0[0] * px + v0[1] * py
            dot12 = v1[0] * px + v1[1] * py
            u = (dot11 * dot02 - dot01 * dot12) * inv
            v = (dot00 * dot12 - dot01 * dot02) * inv
            mask[y, x] = u >= 0 and v >= 0 and (u + v) < 1
    return mask


def _downsampled(mask: np.ndarray, rgb: np.ndarray, tile: int) -> np.ndarray:
    """``rgb`` where ``mask``, black elsewhere, averaged down by ``SUBDIVS`` (truncated)."""
    img = np.zeros((*mask.shape, 3), dtype=np.uint8)
    img[mask] = rgb
    img = img.reshape(tile, SUBDIVS, tile, SUBDIVS, 3).mean(axis=3).mean(axis=1)
    return img.astype(np.uint8)


def empty_tile(tile: int) -> np.ndarray:
    """marlgrid's empty cell: black, with a faint line on the top and right edges of big tiles."""
    alpha = max(0, min(20, tile - 10))
    img = np.full((tile, tile, 3), alpha, dtype=np.uint8)
    img[1:, :-1] = 0
    return img


def blend(base: np.ndarray, agent: np.ndarray) -> np.ndarray:
    """An agent tile over another (``MultiGrid.blend_tiles``): weights by the agent's brightness."""
    alpha = agent.astype(np.int64).sum(2, keepdims=True)
    top = alpha.max()
    if top == 0:
        return base
    mixed = (base.astype(np.int64) * (top - alpha) + agent.astype(np.int64) * alpha) / top
    return mixed.astype(np.uint8)


def prestige_rgb(prestige: np.ndarray, scale: float) -> np.ndarray:
    """marlgrid's prestige colour: red → blue by tanh(prestige / scale) (``render_post``)."""
    f = np.tanh(np.asarray(prestige, dtype=np.float64) / scale)[:, None]
    return (f * BLUE_RGB + (1.0 - f) * RED_RGB).astype(np.int64)


def agent_rgb(
    colours: np.ndarray, prestige: np.ndarray | None = None, scale: float = 2.0
) -> np.ndarray:
    """Each agent's colour: its own, or with prestige on, its prestige colour."""
    if prestige is None:
        return AGENT_RGB[np.arange(len(colours)) % len(AGENT_RGB)]
    return np.clip(prestige_rgb(prestige, scale), 0, 255).astype(np.uint8)


def _agent_tile(tile: int, rgb: np.ndarray, prestige: bool) -> np.ndarray:
    """The east-facing agent tile in colour ``rgb``.

    With prestige, marlgrid draws the triangle white and tints it afterwards
    (``(brightness · colour) >> 8``), which rounds differently from drawing it
    in colour; both are reproduced.
    """
    mask = _triangle_east(tile * SUBDIVS)
    if not prestige:
        return _downsampled(mask, rgb.astype(np.uint8), tile)
    white = _downsampled(mask, WHITE_RGB, tile)
    alpha = white[..., :1].astype(np.int64)
    return np.right_shift(alpha * rgb.astype(np.int64), 8).astype(np.uint8)


def tile_sprites(tile: int, agent_colours_rgb: np.ndarray, prestige: bool = False) -> np.ndarray:
    """``(4 + 8·n_agents, tile, tile, 3)`` uint8: unseen, empty, wall, goal, then per agent
    its 4 directions (right, down, left, up) × (on the floor, over a goal)."""
    n = len(agent_colours_rgb)
    sprites = np.zeros((SPRITE_AGENT0 + SPRITES_PER_AGENT * n, tile, tile, 3), dtype=np.uint8)
    empty = empty_tile(tile)
    sprites[SPRITE_UNSEEN] = SHADOW_RGB
    sprites[SPRITE_EMPTY] = empty
    sprites[SPRITE_WALL] = WALL_RGB
    sprites[SPRITE_GOAL] = GOAL_RGB
    goal = sprites[SPRITE_GOAL].copy()
    for k in range(n):
        east = _agent_tile(tile, agent_colours_rgb[k], prestige)
        for state in range(4):
            agent = np.ascontiguousarray(np.rot90(east, k=-state))
            for on_goal, img in enumerate((agent, blend(goal, agent))):
                # marlgrid adds the empty tile's edge line where a corner is black.
                corners = img[[0, 0, -1, -1], [0, -1, 0, -1]]
                if (corners == 0).all(axis=-1).any():
                    img = img + empty
                sprites[SPRITE_AGENT0 + SPRITES_PER_AGENT * k + 2 * state + on_goal] = img
    return sprites


def tint_sprites(sprites: np.ndarray, prestige: np.ndarray, scale: float) -> None:
    """Rebuild the agent sprites in place for new prestige values (observation tiles)."""
    tile = sprites.shape[1]
    rebuilt = tile_sprites(tile, prestige_rgb(prestige, scale), prestige=True)
    sprites[SPRITE_AGENT0:] = rebuilt[SPRITE_AGENT0:]


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
