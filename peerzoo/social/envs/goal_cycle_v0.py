"""Goal Cycle (Ndousse et al., ICML 2021): enter 3 look-alike goals in a hidden cyclic order.

| | |
|---|---|
| Import | `peerzoo.make("goal_cycle_v0")` · `from peerzoo.social.envs import goal_cycle_v0` |
| Actions | Discrete(7): MiniGrid's; left, right, forward act (`restrict_actions=True`: those 3) |
| Parallel API | yes (native `ParallelEnv`; `env()` is `parallel_to_aec` of it) |
| Manual control | no |
| Agents | `agents= ['learner_0', ...]` (`n_learners`, default 1); experts are not agents |
| Observation shape | `rgb`: (21, 21, 3) · `symbolic`: (7, 7, 3) · `full`: Dict |
| Observation values | uint8: RGB [0, 255] · codes (type ≤ 10, colour ≤ 8, state ≤ 7) |

## Description

A 13×13 room (outer wall included) cluttered with `int(0.15 · 11²) = 18` wall
blocks and `n_goals=3` goal tiles that all look the same. The goals have a
hidden cyclic order, drawn anew with every layout: an agent is paid for
entering them in that order, and penalised for entering one out of turn.
Scripted experts (`n_experts=2` by default) live in the same room and cycle
through the goals, so a learner that watches them can discover the order
faster than by trial and error: the paper's test of social learning. Only
learners are PettingZoo agents; the env moves the experts itself.

The rules are those of marlgrid's `ClutteredGoalCycleEnv` (kandouss/marlgrid,
the paper's environment code), held to it by a recording of marlgrid itself
(`tools/record_marlgrid.py`, `tests/social/test_marlgrid_conformance.py`):
same rewards and the same RGB observations, pixel for pixel, from the same
layout and actions. Each step every agent (learners and experts) acts; the
moves are applied one agent at a time in an order shuffled every step. With
`ghost_mode=True` (default, as in the author's configs) agents walk through
each other; otherwise an agent cannot enter a cell another agent occupies.

**Experts.** By default they know the order (`experts_know_order=True`) and
take the cheapest route: the shortest one that avoids goals out of turn, or,
where walls leave no such route, the one that crosses fewest (they then pay
the penalty; they never get stuck). The paper's experts were trained agents,
and its novices come to outperform them: `experts_know_order=False` gives
experts that must discover the order by trial and error — from each goal they
try the nearest goal not yet ruled out, pay the penalty for each wrong guess,
and follow the cycle once every successor is known. `expert_noise` replaces
an expert's action by a random one with that probability; `expert_policy`
plugs in a trained policy (see `peerzoo.social.experts`).

## Observations (`obs_mode`)

An egocentric 7×7 view: the agent sits one row above the bottom, centred,
facing up, so it sees 5 rows ahead and 1 behind (marlgrid's `view_size=7`,
`view_offset=1`). Walls hide what lies behind them by MiniGrid's flood fill,
as marlgrid computes it (`occlude_mask`): sight spreads from the agent's cell
through non-wall cells to their neighbours, diagonals included, so a lone
block hides little and a wall row hides the cells behind it.
`occlusion="line_of_sight"` hides instead every cell whose centre the agent's
centre cannot see past walls (stricter; not marlgrid's). Cells off the grid
read as walls. On a cell shared by several agents, the viewer shows if it is
there, else the agent that arrived first (marlgrid's stacking order).
- `rgb` (default, as in the paper): marlgrid's 3-pixel tiles, each drawn at 9
  pixels and averaged down, `Box(0, 255, (21, 21, 3), uint8)`: empty floor
  black, hidden cells marlgrid's shadow (35, 25, 30), walls (74, 65, 42),
  goals yellow, agents a triangle pointing where they face, in marlgrid's
  colours (agent k: red, blue, purple, orange, olive, pink, learners first);
  an agent on a goal is blended over the yellow tile as marlgrid blends it,
  so "an expert is on a goal" is visible.
- `symbolic`: MiniGrid's codes per cell, `Box(0, [10, 8, 7], (7, 7, 3), uint8)`:
  type (0 unseen, 1 empty, 2 wall, 8 goal, 10 agent), colour (goals yellow 4,
  walls grey 5, agents as in `rgb`: red 0, blue 2, purple 3, then orange 6,
  olive 7, pink 8, codes MiniGrid lacks), state (an agent's direction relative
  to the viewer: 0 right, 1 down, 2 left, 3 up = facing the same way; +4 while
  it stands on a goal). marlgrid has no symbolic view; these codes show what
  its pixels show, cell for cell.
- `full`: `Dict(grid=Box(0, [10, 8, 7], (H, W, 3), uint8), position=Box(0, H-1, (2,), int64),
  direction=Discrete(4))`: the whole grid (no occlusion; agents with absolute
  MiniGrid direction 0 east … 3 north, +4 on a goal) and the agent's (row,
  column) and direction.

**Prestige** (off by default; `prestige_beta=0.95` turns it on): marlgrid's
`prestige` colouring. Each agent's prestige p becomes β·(p + r) every step
after a reward r ≥ 0 and 0 after a penalty, and it is drawn from red (p = 0)
to blue by tanh(p / `prestige_scale`) (2, marlgrid's default) in `rgb`
observations and renders, for every agent. The paper's text does not mention
it; the author's public training scripts (kandouss/kamarl,
`scripts/marlgrid_ppo*.py`) set `color="prestige"` for every agent, which is
the best evidence that the paper's runs used it: with `prestige_beta=0.95` on
the `master` branch, and `prestige_beta=0.99, prestige_scale=4` in the script
that trains the learner with the prediction head (branch
`kamal/frame_prediction_error`).
Symbolic codes are unaffected.

**Actions.** We found no action set in the paper's text, so it is
marlgrid's: MiniGrid's 7 actions (left, right, forward, pickup, drop, toggle,
done; the last four do nothing in Goal Cycle), as the author's scripts use it
(they do not set `restrict_actions`); `restrict_actions=True` keeps the first 3.

## Rewards

A goal pays when an agent *enters* it (marlgrid's `BonusTile`). The first
goal of an agent's cycle pays `reward` (+1; 0 with `initial_reward=False`);
the next goal in the cycle pays `reward`; any other goal pays `penalty`
(−1.5), the goal just visited included (`repeat_goal_penalty=False`: that one
pays 0). A mistake leaves the agent's place in the cycle unchanged, unless
`reset_on_mistake=True`: then its cycle restarts and it is respawned at a
random free cell (`respawn=True`, default) or leaves the world, terminated
(`respawn=False`). Without `reset_on_mistake` nothing ends an agent's
episode, so `respawn` has no effect, as in marlgrid's Goal Cycle.

## Episode end

Truncation after `max_cycles` steps (250). Termination only as described above.

## Infos (per learner, every step; counts are over the episode)

`goals_in_order` (goals entered in cycle order, the first included),
`penalties`, `steps_with_expert_in_view` (steps with an expert on a visible
cell), `expert_distance` (Manhattan distance to the nearest expert in cells,
-1.0 without experts).

## Arguments

`goal_cycle_v0.env(n_learners=1, n_experts=2, expert_noise=0.0, expert_policy=None,
experts_know_order=True, grid_size=13, layout="cluttered", clutter_density=0.15,
n_goals=3, reward=1.0, penalty=-1.5, initial_reward=True, repeat_goal_penalty=True,
reset_on_mistake=False, respawn=True, ghost_mode=True, obs_mode="rgb",
occlusion="flood_fill", restrict_actions=False, prestige_beta=None, prestige_scale=2.0,
max_cycles=250, render_mode=None)` (`parallel_env` takes the same).
`layout` is one of `"cluttered"`, `"four_rooms"`, `"maze"`;
`clutter_density` is the fraction of inner cells walled (`cluttered`, `four_rooms`)
or of maze walls knocked out (`maze`). `expert_action(agent)` returns what an
all-knowing scripted expert would do in a learner's place (for behaviour cloning).

## Version history

* v0: initial release.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.utils import seeding
from pettingzoo import ParallelEnv

from peerzoo.errors import InvalidActionError, TurnOrderError
from peerzoo.social.core import kernels, world_step
from peerzoo.social.core.codes import AGENT_COLOURS, CODE_HIGH, EMPTY, GOAL, VIEW_SIZE, WALL
from peerzoo.social.core.layouts import LAYOUTS, reachable_from
from peerzoo.social.core.sprites import (
    OBS_TILE,
    RENDER_TILE,
    HumanWindow,
    agent_rgb,
    compose_frame,
    prestige_rgb,
    tile_sprites,
    tiles_to_image,
    tint_sprites,
)
from peerzoo.social.core.view import RAY_TABLE
from peerzoo.social.envs._factory import env_fns
from peerzoo.social.experts import reset_policy

OBS_MODES = ("rgb", "symbolic", "full")
OCCLUSIONS = ("flood_fill", "line_of_sight")
_LAYOUT_TRIES = 200


class GoalCycleEnv(ParallelEnv):
    """The Goal Cycle gridworld as a native PettingZoo ``ParallelEnv`` (see the module docs)."""

    metadata = {
        "name": "goal_cycle_v0",
        "render_modes": ["human", "rgb_array"],
        "is_parallelizable": True,
        "render_fps": 8,
    }

    def __init__(
        self,
        n_learners: int = 1,
        n_experts: int = 2,
        expert_noise: float = 0.0,
        expert_policy: Any = None,
        experts_know_order: bool = True,
        grid_size: int = 13,
        layout: str = "cluttered",
        clutter_density: float = 0.15,
        n_goals: int = 3,
        reward: float = 1.0,
        penalty: float = -1.5,
        initial_reward: bool = True,
        repeat_goal_penalty: bool = True,
        reset_on_mistake: bool = False,
        respawn: bool = True,
        ghost_mode: bool = True,
        obs_mode: str = "rgb",
        occlusion: str = "flood_fill",
        restrict_actions: bool = False,
        prestige_beta: float | None = None,
        prestige_scale: float = 2.0,
        max_cycles: int = 250,
        render_mode: str | None = None,
        name: str = "goal_cycle_v0",
    ) -> None:
        _check_config(
            n_learners=n_learners,
            n_experts=n_experts,
            expert_noise=expert_noise,
            expert_policy=expert_policy,
            grid_size=grid_size,
            layout=layout,
            clutter_density=clutter_density,
            n_goals=n_goals,
            obs_mode=obs_mode,
            occlusion=occlusion,
            experts_know_order=experts_know_order,
            repeat_goal_penalty=repeat_goal_penalty,
            restrict_actions=restrict_actions,
            prestige_beta=prestige_beta,
            prestige_scale=prestige_scale,
            max_cycles=max_cycles,
            render_mode=render_mode,
            render_modes=self.metadata["render_modes"],
        )
        self.metadata = {**self.metadata, "name": name}
        self.n_learners, self.n_experts = int(n_learners), int(n_experts)
        self.expert_noise, self.expert_policy = float(expert_noise), expert_policy
        self.experts_know_order = bool(experts_know_order)
        self.grid_size, self.layout = int(grid_size), layout
        self.clutter_density, self.n_goals = float(clutter_density), int(n_goals)
        self.reward_value, self.penalty = float(reward), float(penalty)
        self.initial_reward, self.reset_on_mistake = bool(initial_reward), bool(reset_on_mistake)
        self.repeat_goal_penalty = bool(repeat_goal_penalty)
        self.respawn, self.ghost_mode = bool(respawn), bool(ghost_mode)
        self.obs_mode, self.restrict_actions = obs_mode, bool(restrict_actions)
        self.flood_fill = occlusion == "flood_fill"
        self.prestige_beta, self.prestige_scale = prestige_beta, float(prestige_scale)
        self.max_cycles, self.render_mode = int(max_cycles), render_mode

        n = self.n_learners + self.n_experts
        self.possible_agents = [f"learner_{i}" for i in range(self.n_learners)]
        self.agent_name_mapping = {a: i for i, a in enumerate(self.possible_agents)}
        self.agents: list[str] = []
        self.n_actions = 3 if self.restrict_actions else 7
        self._action_space = spaces.Discrete(self.n_actions)
        self._observation_space = self._make_observation_space()
        self._action_spaces = {a: self._action_space for a in self.possible_agents}
        self._observation_spaces = {a: self._observation_space for a in self.possible_agents}

        # World state, all numpy (agents: learners 0..L-1, then experts).
        g = self.grid_size
        self.grid = np.full((g, g), EMPTY, dtype=np.uint8)
        self.goal_id = np.full((g, g), -1, dtype=np.int64)
        self.pos = np.zeros((n, 2), dtype=np.int64)
        self.dirs = np.zeros(n, dtype=np.int64)
        self.alive = np.zeros(n, dtype=np.bool_)
        self.last_goal = np.full(n, -1, dtype=np.int64)
        self.arrival = np.zeros(n, dtype=np.int64)  # order of entering a cell (drawing order)
        # What experts that must discover the cycle order know (kernels.discovering_actions).
        self.known_next = np.full((n, self.n_goals), -1, dtype=np.int64)
        self.ruled_out = np.zeros((n, self.n_goals, self.n_goals), dtype=np.bool_)
        self._last_before = np.zeros(n, dtype=np.int64)
        self.colours = AGENT_COLOURS[np.arange(n) % len(AGENT_COLOURS)]
        self.prestige = np.zeros(n, dtype=np.float64)
        self.goals_in_order = np.zeros(n, dtype=np.int64)
        self.penalties = np.zeros(n, dtype=np.int64)
        self.expert_steps_in_view = np.zeros(self.n_learners, dtype=np.int64)
        self.goal_dist = np.zeros((self.n_goals, g, g), dtype=np.int64)
        self._rewards = np.zeros(n, dtype=np.float64)
        self._mistaken = np.zeros(n, dtype=np.bool_)
        self._actions = np.zeros(n, dtype=np.int64)
        self._agent_at = np.full((g, g), -1, dtype=np.int64)
        self._learner_idx = np.arange(self.n_learners, dtype=np.int64)
        self._expert_idx = np.arange(self.n_learners, n, dtype=np.int64)
        self._no_mask = np.zeros((1, 1, 1), dtype=np.bool_)
        self._no_codes = np.zeros((1, 1, 1, 1), dtype=np.uint8)
        self._no_rgb = np.zeros((1, 1, 1, 1), dtype=np.uint8)
        self._sees_expert = np.zeros(n, dtype=np.bool_)
        self._step_rng = np.zeros(1, dtype=np.uint64)  # the world step's generator state
        self._order = np.zeros(n, dtype=np.int64)
        # False: the world step keeps the move order left in ``_order`` instead of
        # shuffling (replaying a recorded game, as the marlgrid conformance test does).
        self._shuffle_moves = True
        self._obs_sprites = tile_sprites(OBS_TILE, agent_rgb(self.colours))
        self._base_obs_sprites = self._obs_sprites
        self._t = 0
        self.np_random: np.random.Generator | None = None
        self._window: HumanWindow | None = None
        self._render_sprites: dict[bytes, np.ndarray] = {}

    # ------------------------------------------------------------------ spaces
    def _make_observation_space(self) -> spaces.Space:
        high = np.broadcast_to(CODE_HIGH, (VIEW_SIZE, VIEW_SIZE, 3)).copy()
        if self.obs_mode == "rgb":
            side = VIEW_SIZE * OBS_TILE
            return spaces.Box(0, 255, (side, side, 3), np.uint8)
        if self.obs_mode == "symbolic":
            return spaces.Box(np.zeros_like(high), high, dtype=np.uint8)
        g = self.grid_size
        grid_high = np.broadcast_to(CODE_HIGH, (g, g, 3)).copy()
        return spaces.Dict(
            {
                "grid": spaces.Box(np.zeros_like(grid_high), grid_high, dtype=np.uint8),
                "position": spaces.Box(0, g - 1, (2,), np.int64),
                "direction": spaces.Discrete(4),
            }
        )

    def observation_space(self, agent: str) -> spaces.Space:
        """The same space for every learner (see ``obs_mode`` in the module docs)."""
        return self._observation_spaces[agent]

    def action_space(self, agent: str) -> spaces.Discrete:
        """Discrete(7), MiniGrid's (marlgrid's default); Discrete(3) with ``restrict_actions``."""
        return self._action_spaces[agent]

    # ------------------------------------------------------------------ reset
    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """Draw a new layout, goals and spawn points from ``seed`` (the only RNG source)."""
        if seed is not None or self.np_random is None:
            self.np_random, _ = seeding.np_random(seed)
        rng = self.np_random
        n = len(self.pos)
        self._build_world(rng)
        self.alive[:] = True
        self.dirs[:] = rng.integers(0, 4, n)
        self._step_rng[0] = rng.integers(0, 2**64, dtype=np.uint64)
        self.last_goal[:] = -1
        self.arrival[:] = np.arange(n)  # placed in agent order, as marlgrid's reset does
        self.known_next[:] = -1
        self.ruled_out[:] = False
        self.prestige[:] = 0.0
        self.goals_in_order[:] = 0
        self.penalties[:] = 0
        self.expert_steps_in_view[:] = 0
        self._update_obs_sprites()
        self._t = 0
        if self.expert_policy is not None:
            reset_policy(self.expert_policy)
        self.agents = list(self.possible_agents)
        obs = self._observe(self._learner_idx)
        infos = self._infos()
        if self.render_mode == "human":
            self.render()
        return {a: obs[i] for i, a in enumerate(self.agents)}, infos

    def _build_world(self, rng: np.random.Generator) -> None:
        n = len(self.pos)
        make_layout = LAYOUTS[self.layout]
        for _ in range(_LAYOUT_TRIES):
            grid = make_layout(self.grid_size, self.clutter_density, rng)
            free = np.argwhere(grid != WALL)
            if len(free) == 0:
                continue
            anchor = tuple(free[rng.integers(len(free))])
            cells = np.argwhere(reachable_from(grid, anchor))
            need = self.n_goals + (n if not self.ghost_mode else 1)
            if len(cells) < need:
                continue
            picks = rng.permutation(len(cells))
            goals = cells[picks[: self.n_goals]]
            rest = cells[picks[self.n_goals :]]
            break
        else:
            raise RuntimeError(
                f"{self.metadata['name']}: no layout with {self.n_goals} goals and {n} agents "
                f"in one connected region after {_LAYOUT_TRIES} tries; lower clutter_density "
                f"or n_goals, or raise grid_size."
            )
        # The cycle order is goal id order; the ids sit at random cells, so it is hidden.
        self.grid[:] = grid
        self.goal_id[:] = -1
        self.grid[goals[:, 0], goals[:, 1]] = GOAL
        self.goal_id[goals[:, 0], goals[:, 1]] = np.arange(self.n_goals)
        # Ghosts may share a spawn cell; solid agents take distinct cells.
        self.pos[:] = rest[rng.integers(0, len(rest), n)] if self.ghost_mode else rest[:n]
        self._spawn_cells = rest
        kernels.goal_distances(self.grid, self.goal_id, self.n_goals, self.goal_dist)

    # ------------------------------------------------------------------ step
    def step(
        self, actions: dict[str, Any]
    ) -> tuple[
        dict[str, Any],
        dict[str, float],
        dict[str, bool],
        dict[str, bool],
        dict[str, dict[str, Any]],
    ]:
        """Move every learner (``actions``) and every expert at once; score; observe."""
        self._read_actions(actions)  # raises before anything changes
        L = self.n_learners
        if self.n_experts and self.expert_policy is not None:
            self._policy_expert_actions()
        learners_alive = self.alive[:L].copy()
        world_step.step_world(
            self._actions,
            self.expert_policy is None,
            self.experts_know_order,
            L,
            self.expert_noise,
            self.n_actions,
            self._step_rng,
            self._shuffle_moves,
            self._order,
            self.pos,
            self.dirs,
            self.alive,
            self.arrival,
            self.grid,
            self.goal_id,
            self.last_goal,
            self._last_before,
            self.known_next,
            self.ruled_out,
            self.goal_dist,
            self.n_goals,
            self.reward_value,
            self.penalty,
            self.initial_reward,
            self.repeat_goal_penalty,
            self.reset_on_mistake,
            self.respawn,
            self.ghost_mode,
            self._spawn_cells,
            self._rewards,
            self.goals_in_order,
            self.penalties,
            self._mistaken,
            self.prestige,
            -1.0 if self.prestige_beta is None else float(self.prestige_beta),
        )
        terminated_idx = np.flatnonzero(learners_alive & ~self.alive[:L])
        if self.prestige_beta is not None:
            self._update_obs_sprites()
        self._t += 1
        agents = self.agents
        idx = np.fromiter((self.agent_name_mapping[a] for a in agents), np.int64, len(agents))
        obs = self._observe(idx)
        if self.n_experts:
            self.expert_steps_in_view[idx] += self._sees_expert[: len(idx)]
        truncated = self._t >= self.max_cycles
        rewards = {a: float(self._rewards[i]) for a, i in zip(agents, idx)}
        terms = {a: (i < L and not self.alive[i]) for a, i in zip(agents, idx)}
        truncs = dict.fromkeys(agents, truncated)
        infos = self._infos(agents, idx)
        observations = {a: obs[k] for k, a in enumerate(agents)}
        if truncated:
            self.agents = []
        elif len(terminated_idx):
            self.agents = [a for a in agents if self.alive[self.agent_name_mapping[a]]]
        if self.render_mode == "human":
            self.render()
        return observations, rewards, terms, truncs, infos

    def _read_actions(self, actions: dict[str, Any]) -> None:
        """Validate every action before applying any, so a rejected step changes nothing."""
        name = self.metadata["name"]
        if not self.agents:
            raise TurnOrderError(
                f"{name}: step() called with no live agents (before reset() or after the "
                f"episode ended at step {self._t}); call reset() first."
            )
        if not isinstance(actions, dict):
            raise InvalidActionError(
                f"{name}: step() takes a dict {{agent: action}} for agents {self.agents}, "
                f"got {type(actions).__name__} at step {self._t}."
            )
        extra = [a for a in actions if a not in self.agent_name_mapping]
        missing = [a for a in self.agents if a not in actions]
        if extra or missing:
            raise InvalidActionError(
                f"{name}: step {self._t}: actions must have exactly the live agents "
                f"{self.agents}; unknown {extra}, missing {missing}. State unchanged."
            )
        n = self.n_actions
        values = []
        for agent in self.agents:
            a = actions[agent]
            if type(a) is int or isinstance(a, np.integer):
                v = int(a)
            else:
                arr = np.asarray(a) if not isinstance(a, str) else None
                if arr is None or arr.shape != () or arr.dtype.kind not in "iu":
                    raise InvalidActionError(
                        f"{name}: invalid action {a!r} for agent {agent!r} at step {self._t}: "
                        f"expected an integer in {self._action_space} (0..{n - 1}). "
                        f"State unchanged."
                    )
                v = int(arr)
            if not 0 <= v < n:
                raise InvalidActionError(
                    f"{name}: action {v} for agent {agent!r} at step {self._t} is out of "
                    f"{self._action_space} (0..{n - 1}). State unchanged."
                )
            values.append(v)
        for agent, v in zip(self.agents, values):
            self._actions[self.agent_name_mapping[agent]] = v

    def _policy_expert_actions(self) -> None:
        """A plugged-in expert policy's actions (noise is added by the world step)."""
        experts = self._expert_idx
        out = self._actions[self.n_learners :]
        obs = self._observe(experts, count_experts=False)
        for i in range(len(experts)):
            out[i] = int(self.expert_policy(obs[i], i))
        if ((out < 0) | (out >= self.n_actions)).any():
            raise InvalidActionError(
                f"{self.metadata['name']}: expert_policy returned {out.tolist()} at step "
                f"{self._t}; expected integers in {self._action_space}."
            )

    # ------------------------------------------------------------------ observations
    def _update_obs_sprites(self) -> None:
        """Rebuild the 3-pixel agent sprites when prestige changes their colours."""
        if self.prestige_beta is not None:
            if self._obs_sprites is self._base_obs_sprites:
                self._obs_sprites = self._base_obs_sprites.copy()
            tint_sprites(self._obs_sprites, self.prestige, self.prestige_scale)

    def _observe(self, viewers: np.ndarray, count_experts: bool = True) -> Any:
        """Observations of ``viewers`` (fresh arrays each call: callers may keep them)."""
        n = len(viewers)
        if self.obs_mode == "full":
            grid = np.empty((self.grid_size, self.grid_size, 3), dtype=np.uint8)
            kernels.world_codes(
                self.pos, self.dirs, self.alive, self.colours, self.grid, grid, self.arrival
            )
            if count_experts and self.n_experts:
                self._run_views(viewers, False, self._no_codes, False, self._no_rgb)
            return [
                {
                    "grid": grid.copy() if i else grid,
                    "position": self.pos[k].copy(),
                    "direction": int(self.dirs[k]),
                }
                for i, k in enumerate(viewers)
            ]
        if self.obs_mode == "rgb":
            side = VIEW_SIZE * OBS_TILE
            out = np.empty((n, side, side, 3), dtype=np.uint8)
            self._run_views(viewers, False, self._no_codes, True, out)
        else:
            out = np.empty((n, VIEW_SIZE, VIEW_SIZE, 3), dtype=np.uint8)
            self._run_views(viewers, True, out, False, self._no_rgb)
        return out

    def _run_views(
        self,
        viewers: np.ndarray,
        want_codes: bool,
        codes: np.ndarray,
        want_rgb: bool,
        rgb: np.ndarray,
        sprites: np.ndarray | None = None,
        world_mask: np.ndarray | None = None,
    ) -> None:
        kernels.egocentric_views(
            viewers,
            self.pos,
            self.dirs,
            self.alive,
            self.colours,
            self.grid,
            RAY_TABLE,
            self._agent_at,
            want_codes,
            codes,
            want_rgb,
            self._obs_sprites if sprites is None else sprites,
            rgb,
            world_mask is not None,
            self._no_mask if world_mask is None else world_mask,
            self.n_learners,
            self._sees_expert,
            self.flood_fill,
            self.arrival,
        )

    def _infos(
        self, agents: list[str] | None = None, idx: np.ndarray | None = None
    ) -> dict[str, dict[str, Any]]:
        agents = self.agents if agents is None else agents
        idx = self._learner_idx if idx is None else idx
        live_experts = self._expert_idx[self.alive[self._expert_idx]]
        if len(live_experts):
            gaps = np.abs(self.pos[idx, None, :] - self.pos[None, live_experts, :]).sum(-1)
            dist = gaps.min(axis=1).astype(np.float64)
        else:
            dist = np.full(len(idx), -1.0)
        return {
            a: {
                "goals_in_order": int(self.goals_in_order[i]),
                "penalties": int(self.penalties[i]),
                "steps_with_expert_in_view": int(self.expert_steps_in_view[i]),
                "expert_distance": float(dist[k]),
            }
            for k, (a, i) in enumerate(zip(agents, idx))
        }

    # ------------------------------------------------------------------ helpers for users
    def expert_action(self, agent: str) -> int:
        """What an optimal scripted expert would do in ``agent``'s place (behaviour cloning)."""
        k = np.array([self.agent_name_mapping[agent]], dtype=np.int64)
        out = np.zeros(1, dtype=np.int64)
        kernels.cycle_actions(k, self.pos, self.dirs, self.last_goal, self.goal_dist, out)
        return int(out[0])

    # ------------------------------------------------------------------ rendering
    def render(self) -> np.ndarray | None:
        """``rgb_array``: the frame; ``human``: show it in a pygame window (opened on first use)."""
        if self.render_mode is None:
            return None
        frame = self._frame()
        if self.render_mode == "rgb_array":
            return frame
        if self._window is None:
            self._window = HumanWindow(self.metadata["name"], self.metadata["render_fps"])
        self._window.show(frame)
        return None

    def _frame(self) -> np.ndarray:
        t = RENDER_TILE
        prestige = self.prestige if self.prestige_beta is not None else None
        rgb = agent_rgb(self.colours, prestige, self.prestige_scale)
        key = rgb.tobytes()
        sprites = self._render_sprites.get(key)
        if sprites is None:  # new agent colours (prestige): build once, keep a few
            if len(self._render_sprites) > 64:
                self._render_sprites.clear()
            tinted = prestige_rgb(prestige, self.prestige_scale) if prestige is not None else rgb
            sprites = tile_sprites(t, tinted, prestige=prestige is not None)
            self._render_sprites[key] = sprites
        ids = np.where(
            self.grid == WALL,
            kernels.SPRITE_WALL,
            np.where(self.grid == GOAL, kernels.SPRITE_GOAL, kernels.SPRITE_EMPTY),
        )
        # Drawn last-first, so the first to arrive on a shared cell stays on top.
        for k in sorted(np.flatnonzero(self.alive), key=lambda k: -self.arrival[k]):
            r, c = self.pos[k]
            on_goal = int(self.grid[r, c] == GOAL)
            ids[r, c] = kernels.SPRITE_AGENT0 + kernels.SPRITES_PER_AGENT * k
            ids[r, c] += 2 * self.dirs[k] + on_goal
        world = tiles_to_image(sprites, ids)
        learners = self._learner_idx[self.alive[self._learner_idx]]
        if len(learners) == 0:
            learners = self._learner_idx
        g = self.grid_size
        masks = np.zeros((len(learners), g, g), dtype=np.bool_)
        panels = np.zeros((len(learners), VIEW_SIZE * t, VIEW_SIZE * t, 3), dtype=np.uint8)
        sees = self._sees_expert.copy()  # rendering must not disturb the infos' bookkeeping
        self._run_views(learners, False, self._no_codes, True, panels, sprites, masks)
        self._sees_expert[:] = sees
        live = self.pos[self.alive]
        masks[:, live[:, 0], live[:, 1]] = False  # agents keep their true colour under the tint
        return compose_frame(world, masks, rgb[learners], panels, t)

    def close(self) -> None:
        """Close the pygame window if one was opened."""
        if self._window is not None:
            self._window.close()
            self._window = None


def _check_config(*, render_modes: list[str], **kw: Any) -> None:
    """Reject bad constructor values with a message that names the argument and the fix."""
    problems = []
    if not isinstance(kw["n_learners"], int) or kw["n_learners"] < 1:
        problems.append(f"n_learners must be an int ≥ 1, got {kw['n_learners']!r}")
    if not isinstance(kw["n_experts"], int) or kw["n_experts"] < 0:
        problems.append(f"n_experts must be an int ≥ 0, got {kw['n_experts']!r}")
    if not 0.0 <= float(kw["expert_noise"]) <= 1.0:
        problems.append(f"expert_noise must be in [0, 1], got {kw['expert_noise']!r}")
    if kw["expert_policy"] is not None and not callable(kw["expert_policy"]):
        problems.append("expert_policy must be callable(observation, expert_index) -> int")
    if not isinstance(kw["grid_size"], int) or kw["grid_size"] < 5:
        problems.append(f"grid_size must be an int ≥ 5, got {kw['grid_size']!r}")
    if kw["layout"] not in LAYOUTS:
        problems.append(f"layout must be one of {sorted(LAYOUTS)}, got {kw['layout']!r}")
    if not 0.0 <= float(kw["clutter_density"]) < 1.0:
        problems.append(f"clutter_density must be in [0, 1), got {kw['clutter_density']!r}")
    if not isinstance(kw["n_goals"], int) or kw["n_goals"] < 2:
        problems.append(f"n_goals must be an int ≥ 2, got {kw['n_goals']!r}")
    if kw["obs_mode"] not in OBS_MODES:
        problems.append(f"obs_mode must be one of {list(OBS_MODES)}, got {kw['obs_mode']!r}")
    if kw["occlusion"] not in OCCLUSIONS:
        problems.append(f"occlusion must be one of {list(OCCLUSIONS)}, got {kw['occlusion']!r}")
    for flag in ("experts_know_order", "repeat_goal_penalty", "restrict_actions"):
        if not isinstance(kw[flag], (bool, np.bool_)):
            problems.append(f"{flag} must be True or False, got {kw[flag]!r}")
    if kw["prestige_beta"] is not None and not 0.0 <= float(kw["prestige_beta"]) <= 1.0:
        problems.append(f"prestige_beta must be None or in [0, 1], got {kw['prestige_beta']!r}")
    if float(kw["prestige_scale"]) <= 0.0:
        problems.append(f"prestige_scale must be > 0, got {kw['prestige_scale']!r}")
    if not isinstance(kw["max_cycles"], int) or kw["max_cycles"] < 1:
        problems.append(f"max_cycles must be an int ≥ 1, got {kw['max_cycles']!r}")
    if kw["render_mode"] is not None and kw["render_mode"] not in render_modes:
        problems.append(f"render_mode must be None or one of {render_modes}")
    if problems:
        raise ValueError("Invalid social env configuration: " + "; ".join(problems) + ".")


env, parallel_env = env_fns(GoalCycleEnv, name="goal_cycle_v0")
