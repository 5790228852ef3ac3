"""Room: the peer-learning paper's gridworld, as a single-agent Gymnasium env."""

from __future__ import annotations

from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces

# Episode length per room size, as in the paper (21×21: 100 steps, 27×27: 150).
EPISODE_STEPS = {21: 100, 27: 150}
# Moves as (dx, dy); a move into the outer wall leaves the agent where it is.
MOVES = np.array([(0, 1), (0, -1), (-1, 0), (1, 0)], dtype=np.int64)
UP, DOWN, LEFT, RIGHT = 0, 1, 2, 3


class RoomEnv(gymnasium.Env):
    """An empty square room with a goal somewhere on its border.

    ## Description
    The agent starts in the centre of a ``size`` × ``size`` grid; the goal is a
    uniformly random border cell. Reaching the goal does not end the episode:
    the best policy walks there and stays.

    ## Action space
    | action | move |
    |---|---|
    | 0 | up (y + 1) |
    | 1 | down (y − 1) |
    | 2 | left (x − 1) |
    | 3 | right (x + 1) |

    ## Observation space
    ``Box(0, 1, (4,), float32)``: ``[agent_x, agent_y, goal_x, goal_y] / (size − 1)``.

    ## Rewards
    ``step_cost`` (−0.001) every step, plus ``goal_reward`` (+1) for every step
    that ends on the goal.

    ## Episode end
    Truncated after ``max_steps`` steps (100 for 21×21, 150 for 27×27); never terminated.

    ## Arguments
    ``size`` (21; 27 gives the paper's larger room), ``max_steps`` (None: the
    paper's value for the size, else ``round(100 * size / 21)``), ``render_mode``
    (``None`` or ``"rgb_array"``).
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}
    step_cost = -0.001
    goal_reward = 1.0
    cell_pixels = 8

    def __init__(
        self, size: int = 21, max_steps: int | None = None, render_mode: str | None = None
    ) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 3:
            raise ValueError(f"Room size must be an int ≥ 3; got {size!r}.")
        if render_mode not in (None, "rgb_array"):
            raise ValueError(f"Room renders None or 'rgb_array'; got {render_mode!r}.")
        self.size = size
        self.max_steps = (
            max_steps if max_steps is not None else EPISODE_STEPS.get(size, round(100 * size / 21))
        )
        self.render_mode = render_mode
        self.observation_space = spaces.Box(0.0, 1.0, (4,), np.float32)
        self.action_space = spaces.Discrete(4)
        self._border = self._border_cells(size)
        self._agent = np.zeros(2, np.int64)
        self._goal = np.zeros(2, np.int64)
        self._steps = 0

    @staticmethod
    def _border_cells(size: int) -> np.ndarray:
        cells = [(x, y) for x in range(size) for y in range(size)]
        return np.array([c for c in cells if min(c) == 0 or max(c) == size - 1], np.int64)

    def _observation(self) -> np.ndarray:
        return (np.concatenate([self._agent, self._goal]) / (self.size - 1)).astype(np.float32)

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        self._agent[:] = (self.size - 1) // 2
        self._goal[:] = self._border[self.np_random.integers(len(self._border))]
        self._steps = 0
        return self._observation(), {"on_goal": False}

    def on_goal_reward(self, on_goal: bool) -> float:
        """+``goal_reward`` for a step that ends on the goal."""
        return self.goal_reward if on_goal else 0.0

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        np.clip(self._agent + MOVES[int(action)], 0, self.size - 1, out=self._agent)
        self._steps += 1
        on_goal = bool((self._agent == self._goal).all())
        reward = self.step_cost + self.on_goal_reward(on_goal)
        truncated = self._steps >= self.max_steps
        return self._observation(), reward, False, truncated, {"on_goal": on_goal}

    def render(self) -> np.ndarray | None:
        if self.render_mode != "rgb_array":
            return None
        cell = self.cell_pixels
        image = np.full((self.size * cell, self.size * cell, 3), 235, np.uint8)
        image[::cell, :] = image[:, ::cell] = 200  # grid lines
        for (x, y), colour in ((self._goal, (40, 170, 70)), (self._agent, (40, 90, 220))):
            row = self.size - 1 - y  # y grows upwards on screen
            image[row * cell + 1 : (row + 1) * cell, x * cell + 1 : (x + 1) * cell] = colour
        return image
