"""Symbolic codes shared by the world state, the observations and the renderer.

The values are MiniGrid's (``OBJECT_TO_IDX``, ``COLOR_TO_IDX``), so a learner
or tool written for MiniGrid's ``(type, colour, state)`` encoding reads ours.
"""

from __future__ import annotations

import numpy as np

# Object types (channel 0).
UNSEEN = 0
EMPTY = 1
WALL = 2
GOAL = 8
AGENT = 10

# Colours (channel 1).
RED, GREEN, BLUE, PURPLE, YELLOW, GREY = 0, 1, 2, 3, 4, 5
COLOUR_RGB = np.array(
    [[255, 0, 0], [0, 255, 0], [0, 0, 255], [112, 39, 195], [255, 255, 0], [100, 100, 100]],
    dtype=np.uint8,
)
GOAL_COLOUR = YELLOW  # marlgrid's goal-cycle tiles are yellow, and all look alike
WALL_COLOUR = GREY
# Agent k (learners first, then experts) wears AGENT_COLOURS[k % 4].
AGENT_COLOURS = np.array([RED, BLUE, PURPLE, GREEN], dtype=np.uint8)

# Directions (channel 2 for agents), MiniGrid's: 0 east, 1 south, 2 west, 3 north.
DIR_ROW = np.array([0, 1, 0, -1], dtype=np.int64)
DIR_COL = np.array([1, 0, -1, 0], dtype=np.int64)

# Actions, MiniGrid's numbering; 3..6 exist only with ``full_action_space`` and do nothing here.
LEFT, RIGHT, FORWARD = 0, 1, 2
ACTION_NAMES = ("left", "right", "forward", "pickup", "drop", "toggle", "done")

# Largest code per channel (type, colour, state): the symbolic Box's upper bound.
CODE_HIGH = np.array([AGENT, GREY, 3], dtype=np.uint8)

# The egocentric view: VIEW_SIZE × VIEW_SIZE, the agent one row above the bottom, facing up.
VIEW_SIZE = 7
VIEW_ROW = VIEW_SIZE - 2
VIEW_COL = VIEW_SIZE // 2
