"""Symbolic codes shared by the world state, the observations and the renderer.

The values are MiniGrid's (``OBJECT_TO_IDX``, ``COLOR_TO_IDX``), so a learner
or tool written for MiniGrid's ``(type, colour, state)`` encoding reads ours.
marlgrid renders pixels only; where it uses colours MiniGrid lacks (its agents
wear red, blue, purple, orange, olive, pink), the codes go on past MiniGrid's
(orange 6, olive 7, pink 8). An agent standing on a goal has 4 added to its
state, so "an expert is on a goal" is visible in the codes as in the pixels.
"""

from __future__ import annotations

import numpy as np

# Object types (channel 0).
UNSEEN = 0
EMPTY = 1
WALL = 2
GOAL = 8
AGENT = 10

# Colours (channel 1): MiniGrid's, then marlgrid's agent colours MiniGrid lacks.
RED, GREEN, BLUE, PURPLE, YELLOW, GREY, ORANGE, OLIVE, PINK = range(9)
GOAL_COLOUR = YELLOW  # marlgrid's goal-cycle tiles are yellow, and all look alike
WALL_COLOUR = GREY
# Agent k (learners first, then experts) wears AGENT_COLOURS[k % 6], marlgrid's order.
AGENT_COLOURS = np.array([RED, BLUE, PURPLE, ORANGE, OLIVE, PINK], dtype=np.uint8)

# Directions (channel 2 for agents), MiniGrid's: 0 east, 1 south, 2 west, 3 north;
# + 4 while the agent stands on a goal.
DIR_ROW = np.array([0, 1, 0, -1], dtype=np.int64)
DIR_COL = np.array([1, 0, -1, 0], dtype=np.int64)

# Actions, MiniGrid's numbering; pickup, drop, toggle, done (3..6) do nothing in Goal Cycle.
LEFT, RIGHT, FORWARD = 0, 1, 2
ACTION_NAMES = ("left", "right", "forward", "pickup", "drop", "toggle", "done")

# Largest code per channel (type, colour, state): the symbolic Box's upper bound.
CODE_HIGH = np.array([AGENT, PINK, 7], dtype=np.uint8)

# The egocentric view: VIEW_SIZE × VIEW_SIZE, the agent one row above the bottom, facing up.
VIEW_SIZE = 7
VIEW_ROW = VIEW_SIZE - 2
VIEW_COL = VIEW_SIZE // 2
