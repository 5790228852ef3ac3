"""Record marlgrid's Goal Cycle under fixed layouts and actions, for peerzoo's conformance test.

marlgrid (kandouss/marlgrid, the environment code of Ndousse et al., ICML 2021)
needs gym 0.21 and numpy < 1.24, so it cannot be a peerzoo dependency. This
script runs in a scratch venv outside the repository and writes
``tests/fixtures/marlgrid_goal_cycle.npz``; ``tests/social/test_marlgrid_conformance.py``
replays it through peerzoo. Install steps (Python 3.11, Linux)::

    python3.11 -m venv /tmp/marlgrid-venv
    /tmp/marlgrid-venv/bin/pip install "pip<24" "setuptools<66" "wheel==0.38.4"
    /tmp/marlgrid-venv/bin/pip uninstall -y packaging   # gym 0.21's setup.py fails on new packaging
    /tmp/marlgrid-venv/bin/pip install --no-build-isolation "gym==0.21.0"
    /tmp/marlgrid-venv/bin/pip install "numpy==1.23.5" "numba<0.59"
    /tmp/marlgrid-venv/bin/pip install --no-deps --no-build-isolation "gym-minigrid==1.0.3"
    git clone https://github.com/kandouss/marlgrid /tmp/marlgrid   # or any checkout of it
    PYTHONPATH=/tmp/marlgrid /tmp/marlgrid-venv/bin/python tools/record_marlgrid.py

marlgrid imports pyglet for its window only; the script stands a stub in for
it (nothing here opens a window), so pyglet is not installed.

Each scenario seeds marlgrid's own layout generator, then plays a fixed
random sequence of actions (mostly forward, some turns, some of the actions
that do nothing; or, on small grids, pacing back and forth so goals are entered
again and again) for three agents with view size 7, 3-pixel tiles and the
agent one row above the bottom (``view_offset=1``), ghost mode on, penalty
−1.5. Per step it stores the move order marlgrid drew, the actions, rewards,
positions and directions, and per agent its RGB observation, its visibility
mask and what each view cell holds (0 nothing, 1 wall, 2 goal, 3 agent,
4 goal with an agent on it). Coordinates are stored as peerzoo's (row, column).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "marlgrid_goal_cycle.npz"

# (marlgrid seed, grid size, clutter density, colours, steps, action seed, pacing)
SCENARIOS = [
    (1, 13, 0.15, ("red", "blue", "purple"), 150, 10, False),
    (2, 13, 0.15, ("red", "blue", "purple"), 150, 11, False),
    (3, 9, 0.15, ("red", "blue", "purple"), 150, 12, False),
    (4, 9, 0.10, ("prestige", "prestige", "prestige"), 150, 13, False),
    (5, 7, 0.10, ("red", "blue", "purple"), 100, 14, True),
    (6, 7, 0.0, ("prestige", "prestige", "prestige"), 100, 15, True),
]
# left, right, forward, then pickup, drop, toggle, done (no effect in Goal Cycle)
ACTION_P = np.array([0.15, 0.15, 0.6, 0.025, 0.025, 0.025, 0.025])


def _stub_pyglet() -> None:
    for name in ("pyglet", "pyglet.gl"):
        sys.modules.setdefault(name, types.ModuleType(name))


class _OrderRecorder:
    """marlgrid's RNG, keeping a copy of every move order its ``shuffle`` draws."""

    def __init__(self, rng, orders: list) -> None:
        self._rng, self._orders = rng, orders

    def shuffle(self, a) -> None:
        self._rng.shuffle(a)
        self._orders.append(np.array(a, dtype=np.int64))

    def __getattr__(self, name):
        return getattr(self._rng, name)


def _cell_kinds(env, agent) -> tuple[np.ndarray, np.ndarray]:
    """(view row, view col) arrays: visibility and the kind of object on each cell."""
    from marlgrid.objects import BonusTile, GridAgent, Wall

    grid, vis = env.gen_obs_grid(agent)
    kinds = np.zeros((grid.width, grid.height), dtype=np.int8)
    for i in range(grid.width):
        for j in range(grid.height):
            obj = grid.get(i, j)
            if isinstance(obj, Wall):
                kinds[i, j] = 1
            elif isinstance(obj, BonusTile):
                kinds[i, j] = 4 if obj.agents else 2
            elif isinstance(obj, GridAgent):
                kinds[i, j] = 3
    return np.asarray(vis, dtype=bool).T, kinds.T


def pacing_actions(rng: np.random.Generator, steps: int, n_agents: int) -> np.ndarray:
    """Agents walking back and forth (1-3 steps, about-turn): goals get entered again and again."""
    out = np.empty((steps, n_agents), dtype=np.int64)
    for k in range(n_agents):
        seq: list[int] = []
        while len(seq) < steps:
            seq += [2] * int(rng.integers(1, 4)) + [0, 0] + ([1] if rng.random() < 0.3 else [])
        out[:, k] = seq[:steps]
    return out


def record_scenario(
    seed: int,
    size: int,
    density: float,
    colours,
    steps: int,
    action_seed: int,
    pacing: bool,
):
    """One scenario's arrays (see the module docstring)."""
    from marlgrid.agents import GridAgentInterface
    from marlgrid.envs import ClutteredGoalCycleEnv
    from marlgrid.objects import BonusTile, Wall

    agents = [
        GridAgentInterface(
            view_size=7, view_tile_size=3, view_offset=1, color=c, prestige_beta=0.95
        )
        for c in colours
    ]
    env = ClutteredGoalCycleEnv(
        agents=agents,
        grid_size=size,
        max_steps=steps + 1,
        clutter_density=density,
        n_bonus_tiles=3,
        penalty=-1.5,
        reward=1,
        initial_reward=True,
        respawn=True,
        ghost_mode=True,
        seed=seed,
    )
    obs = env.reset()
    walls = np.zeros((size, size), dtype=bool)
    goals = np.zeros((3, 2), dtype=np.int64)
    for x in range(size):
        for y in range(size):
            obj = env.grid.get(x, y)
            if isinstance(obj, Wall):
                walls[y, x] = True
            elif isinstance(obj, BonusTile):
                goals[obj.bonus_id] = (y, x)

    orders: list[np.ndarray] = []
    env.np_random = _OrderRecorder(env.np_random, orders)

    def snapshot(obs):
        vis, kinds = zip(*(_cell_kinds(env, a) for a in env.agents))
        pos = np.array([(a.pos[1], a.pos[0]) for a in env.agents], dtype=np.int64)
        dirs = np.array([a.dir for a in env.agents], dtype=np.int64)
        return np.stack(obs).astype(np.uint8), np.stack(vis), np.stack(kinds), pos, dirs

    rng = np.random.default_rng(action_seed)
    if pacing:
        actions = pacing_actions(rng, steps, len(agents))
    else:
        actions = rng.choice(len(ACTION_P), size=(steps, len(agents)), p=ACTION_P)
    frames = [snapshot(obs)]
    rewards = []
    for t in range(steps):
        obs, rew, _, _ = env.step([int(a) for a in actions[t]])
        rewards.append(np.asarray(rew, dtype=np.float64))
        frames.append(snapshot(obs))
    obs_rgb, vis, kinds, pos, dirs = (np.stack(x) for x in zip(*frames))
    return {
        "walls": walls,
        "goals": goals,
        "prestige": np.array(colours[0] == "prestige"),
        "actions": actions.astype(np.int64),
        "order": np.stack(orders),
        "rewards": np.stack(rewards),
        "obs": obs_rgb,
        "visible": vis,
        "kinds": kinds,
        "pos": pos,
        "dirs": dirs,
    }


def main() -> None:
    """Record every scenario and write the compressed fixture."""
    _stub_pyglet()
    arrays = {"n_scenarios": np.array(len(SCENARIOS))}
    for i, scenario in enumerate(SCENARIOS):
        for key, value in record_scenario(*scenario).items():
            arrays[f"s{i}_{key}"] = value
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
