"""Room: the peer-learning paper's gridworld (its ``Room-v21``), as a single-agent Gymnasium env."""

from __future__ import annotations

from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces

# Episode length per room size: the time limits of the original's registered Rooms
# (Room-v3, v6, v21, v27, v33); other sizes scale 21×21's 100 steps.
EPISODE_STEPS = {3: 20, 6: 50, 21: 100, 27: 150, 33: 250}
# Action a moves along axis a // 2 (0: x, 1: y), forwards when a % 2 == 0: the
# numbering of the original's Hallway, which its Room inherits.
MOVES = np.array([(1, 0), (-1, 0), (0, 1), (0, -1)], dtype=np.int64)
RIGHT, LEFT, UP, DOWN = 0, 1, 2, 3


class RoomEnv(gymnasium.Env):
    """An empty square room with a goal somewhere on its border.

    ## Description
    The agent starts in the cell ``(size // 2, size // 2)`` of a ``size`` ×
    ``size`` grid. The goal is drawn as the original's Room draws it: each
    coordinate uniform in ``0 … size − 2``, then one random axis is moved onto
    a random wall (``0`` or ``size − 1``). Reaching the goal does not end the
    episode: the best policy walks there and stays.

    ## Action space
    | action | move |
    |---|---|
    | 0 | x + 1 (right) |
    | 1 | x − 1 (left) |
    | 2 | y + 1 (up) |
    | 3 | y − 1 (down) |

    A move into the outer wall leaves the agent where it is.

    ## Observation space
    ``Box(0, 1, (4,), float32)``: ``[agent_x, agent_y, goal_x, goal_y] / (size − 1)``.

    ## Rewards
    ``goal_reward`` (exactly 1.0) for a step that ends on the goal, ``step_cost``
    (−0.001) for any other step.

    ## Episode end
    Truncated after ``max_steps`` steps (100 for 21×21, 150 for 27×27); never terminated.

    ## Arguments
    ``size`` (21; 27 gives the paper's larger room), ``max_steps`` (None: the
    original's value for the size, else ``round(100 * size / 21)``),
    ``render_mode`` (``None`` or ``"rgb_array"``).

    ## Version history
    * v0 (this one): the original's ``Room-v21`` to the action.
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
        self._agent = np.zeros(2, np.int64)
        self._goal = np.zeros(2, np.int64)
        self._steps = 0

    def _observation(self) -> np.ndarray:
        return (np.concatenate([self._agent, self._goal]) / (self.size - 1)).astype(np.float32)

    def _draw_goal(self) -> None:
        """The original's draw: both coordinates in [0, size − 2], then one axis onto a wall."""
        rng, last = self.np_random, self.size - 1
        self._goal[:] = rng.integers(0, last, size=2)
        axis = rng.choice(2)
        self._goal[axis] = rng.choice([0, last])

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        self._agent[:] = self.size // 2
        self._draw_goal()
        self._steps = 0
        return self._observation(), {"on_goal": False}

    def reward(self, on_goal: bool) -> float:
        """1.0 on the goal, the step cost anywhere else (the original replaces, not adds)."""
        return self.goal_reward if on_goal else self.step_cost

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        np.clip(self._agent + MOVES[int(action)], 0, self.size - 1, out=self._agent)
        self._steps += 1
        on_goal = bool((self._agent == self._goal).all())
        truncated = self._steps >= self.max_steps
        return self._observation(), self.reward(on_goal), False, truncated, {"on_goal": on_goal}

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
