"""B Goal Cycle worlds stepped in one compiled call: a Gymnasium ``VectorEnv`` of learners.

A learner-side training loop wants every learner of every world as one batch;
looping over B ``ParallelEnv`` objects in Python costs more than the worlds'
rules. :class:`GoalCycleVectorEnv` keeps the B worlds' state in arrays with a
leading world axis and advances them all with
:func:`peerzoo.social.core.world_step.step_worlds`, the same per-world step the
single env runs, so world ``b`` seeded ``s`` is step for step the single env
``reset(seed=s)``.

Conventions are Gymnasium's ``VectorEnv``: the sub-environments are the
learners, ``num_envs = num_worlds × n_learners`` (world ``b``'s learner ``l``
at index ``b · n_learners + l``), observations, rewards, terminations and
truncations are arrays with that leading axis, infos are dicts of arrays each
with its ``"_key"`` mask, and worlds reset themselves
(``metadata["autoreset_mode"]``: ``NEXT_STEP`` by default, as Gymnasium's
vector envs; ``SAME_STEP`` returns the reset observation at once and the last
one in ``infos["final_obs"]``). ``reset(seed=s)`` seeds world ``b`` with
``s + b``; a list seeds each world. Layouts are drawn by each world's own
single env at reset (one world in ``max_cycles`` steps), so the layout rules
exist once.

Supported: every Goal Cycle id (training and transfer tasks) with all of its
rules (the kernels' marlgrid rules, both occlusions, 7 or 3 actions),
``symbolic`` and ``rgb`` views, scripted experts that know the order or
discover it (each world carries its experts' ``known_next`` / ``ruled_out``),
with noise, and prestige (carried per world; prestige-coloured ``rgb`` views
are drawn world by world after the compiled step, so they run slower). Not
supported, with a clear error: ``obs_mode="full"``, a plugged-in
``expert_policy``, and learners that leave the world before the others
(``reset_on_mistake=True, respawn=False``).

    from peerzoo.social.vector import GoalCycleVectorEnv
    envs = GoalCycleVectorEnv("goal_cycle_v0", num_worlds=64, obs_mode="symbolic")
    obs, infos = envs.reset(seed=0)              # (64, 7, 7, 3) uint8
    obs, rew, term, trunc, infos = envs.step(envs.action_space.sample())
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium.vector import VectorEnv
from gymnasium.vector.utils import batch_space
from gymnasium.vector.vector_env import AutoresetMode
from numba import njit

from peerzoo.social.core import kernels
from peerzoo.social.core.sprites import tint_sprites
from peerzoo.social.core.view import RAY_TABLE
from peerzoo.social.core.world_step import step_worlds
from peerzoo.social.envs.goal_cycle_v0 import GoalCycleEnv

# Per-world state copied from a world's single env after it resets (its layout,
# agents and their arrival order, what discovering experts know, prestige,
# counters and step generator); stepping then happens on the batch.
WORLD_ARRAYS = (
    "grid",
    "goal_id",
    "goal_dist",
    "pos",
    "dirs",
    "alive",
    "last_goal",
    "arrival",
    "known_next",
    "ruled_out",
    "prestige",
    "goals_in_order",
    "penalties",
    "expert_steps_in_view",
    "_step_rng",
)
AUTORESET_MODES = (AutoresetMode.NEXT_STEP, AutoresetMode.SAME_STEP)
INFO_KEYS = ("goals_in_order", "penalties", "steps_with_expert_in_view", "expert_distance")


class GoalCycleVectorEnv(VectorEnv):
    """``num_worlds`` worlds of a registered Goal Cycle id; every learner a sub-environment."""

    def __init__(
        self,
        env_id: str = "goal_cycle_v0",
        num_worlds: int = 64,
        autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
        **env_kwargs: Any,
    ) -> None:
        import peerzoo

        if not isinstance(num_worlds, int) or num_worlds < 1:
            raise ValueError(f"num_worlds must be an int ≥ 1, got {num_worlds!r}.")
        mode = AutoresetMode(autoreset_mode)
        if mode not in AUTORESET_MODES:
            valid = [m.value for m in AUTORESET_MODES]
            raise ValueError(f"autoreset_mode must be one of {valid}, got {mode.value!r}.")
        self.worlds: list[GoalCycleEnv] = [
            peerzoo.make(env_id, api="parallel", **env_kwargs) for _ in range(num_worlds)
        ]
        first = self.worlds[0]
        _check_supported(env_id, first)
        self.env_id, self.num_worlds = env_id, num_worlds
        self.n_learners, self.n_experts = first.n_learners, first.n_experts
        self.max_cycles = first.max_cycles
        self.metadata = {"autoreset_mode": mode, "render_modes": []}
        self.render_mode = None
        self.num_envs = num_worlds * first.n_learners
        agent = first.possible_agents[0]
        self.single_observation_space = first.observation_space(agent)
        self.single_action_space = first.action_space(agent)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)

        B, n, L = num_worlds, first.n_learners + first.n_experts, first.n_learners
        self._state = {name: np.stack([getattr(first, name)] * B) for name in WORLD_ARRAYS}
        g = first.grid_size
        self._spawn = np.zeros((B, g * g, 2), dtype=np.int64)
        self._n_spawn = np.zeros(B, dtype=np.int64)
        self._t = np.zeros(B, dtype=np.int64)
        self._actions = np.zeros((B, n), dtype=np.int64)
        self._order = np.zeros((B, n), dtype=np.int64)
        self._last_before = np.zeros((B, n), dtype=np.int64)
        self._rewards = np.zeros((B, n), dtype=np.float64)
        self._mistaken = np.zeros((B, n), dtype=np.bool_)
        self._sees = np.zeros((B, n), dtype=np.bool_)
        self._agent_at = np.zeros((B, g, g), dtype=np.int64)
        self._all = np.ones(B, dtype=np.bool_)
        self._autoreset = np.zeros(B, dtype=np.bool_)
        self._info_mask = np.ones(self.num_envs, dtype=np.bool_)
        self._symbolic = first.obs_mode == "symbolic"
        shape = self.single_observation_space.shape
        self._obs = np.zeros((B, L, *shape), dtype=np.uint8)
        self._no_view = np.zeros((B, 1, 1, 1, 1), dtype=np.uint8)
        self._sprites = first._obs_sprites
        # Prestige tints each world's agents its own way: sprites per world, views drawn
        # after the compiled step (one call per world, slower than the plain rgb path).
        self._tinted = first.obs_mode == "rgb" and first.prestige_beta is not None
        if self._tinted:
            self._world_sprites = np.stack([first._base_obs_sprites] * B)

    # ------------------------------------------------------------------ reset
    def reset(
        self, *, seed: int | Sequence[int] | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Reset every world; ``seed`` (int: world b gets seed + b; or one per world)."""
        seeds = self._world_seeds(seed)
        for b, world_seed in enumerate(seeds):
            self._reset_world(b, world_seed)
        self._autoreset[:] = False
        return self._obs.reshape(self.num_envs, *self._obs.shape[2:]).copy(), self._infos()

    def _world_seeds(self, seed: int | Sequence[int] | None) -> list[int | None]:
        if seed is None:
            return [None] * self.num_worlds
        if isinstance(seed, (int, np.integer)):
            return [int(seed) + b for b in range(self.num_worlds)]
        seeds = list(seed)
        if len(seeds) != self.num_worlds:
            raise ValueError(
                f"reset(seed=...) takes an int or one seed per world ({self.num_worlds}), "
                f"got {len(seeds)} seeds."
            )
        return seeds

    def _reset_world(self, b: int, seed: int | None) -> None:
        world = self.worlds[b]
        obs, _ = world.reset(seed=seed)
        for name in WORLD_ARRAYS:
            self._state[name][b] = getattr(world, name)
        cells = world._spawn_cells
        self._spawn[b, : len(cells)] = cells
        self._n_spawn[b] = len(cells)
        self._t[b] = 0
        for k, agent in enumerate(world.possible_agents):
            self._obs[b, k] = obs[agent]

    # ------------------------------------------------------------------ step
    def step(
        self, actions: Any
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Step every world with the learners' ``actions`` (shape ``(num_envs,)``)."""
        acts = self._read_actions(actions)
        B, L = self.num_worlds, self.n_learners
        resetting = self._autoreset.copy()
        active = ~resetting
        self._actions[:, :L] = acts.reshape(B, L)
        first = self.worlds[0]
        s = self._state
        step_worlds(
            active,
            self._actions,
            first.expert_policy is None,
            first.experts_know_order,
            L,
            first.expert_noise,
            first.n_actions,
            s["_step_rng"],
            self._order,
            s["pos"],
            s["dirs"],
            s["alive"],
            s["arrival"],
            s["grid"],
            s["goal_id"],
            s["last_goal"],
            self._last_before,
            s["known_next"],
            s["ruled_out"],
            s["goal_dist"],
            first.n_goals,
            first.reward_value,
            first.penalty,
            first.initial_reward,
            first.repeat_goal_penalty,
            first.reset_on_mistake,
            first.respawn,
            first.ghost_mode,
            self._spawn,
            self._n_spawn,
            self._rewards,
            s["goals_in_order"],
            s["penalties"],
            self._mistaken,
            s["prestige"],
            -1.0 if first.prestige_beta is None else float(first.prestige_beta),
            self._t,
            first.colours,
            RAY_TABLE,
            self._agent_at,
            first.flood_fill,
            self._symbolic,
            self._obs if self._symbolic else self._no_view,
            not (self._symbolic or self._tinted),
            self._sprites,
            self._no_view if self._symbolic or self._tinted else self._obs,
            self._sees,
            s["expert_steps_in_view"],
        )
        if self._tinted:
            self._tinted_views(active)
        rewards = self._rewards[:, :L].copy()
        rewards[resetting] = 0.0
        truncated_worlds = active & (self._t >= self.max_cycles)
        for b in np.flatnonzero(resetting):
            self._reset_world(b, None)
        infos = self._infos()
        per_learner = (self.num_envs,)
        truncated = np.repeat(truncated_worlds, L)
        terminated = np.zeros(per_learner, dtype=np.bool_)
        obs_shape = (self.num_envs, *self._obs.shape[2:])
        if self.metadata["autoreset_mode"] is AutoresetMode.SAME_STEP:
            if truncated_worlds.any():
                done = truncated.copy()
                infos["final_obs"] = self._obs.reshape(obs_shape).copy()
                infos["_final_obs"] = done
                infos["final_info"] = {k: v.copy() for k, v in infos.items() if k in INFO_KEYS}
                infos["final_info"].update({f"_{k}": done for k in INFO_KEYS})
                infos["_final_info"] = done
                for b in np.flatnonzero(truncated_worlds):
                    self._reset_world(b, None)
                fresh = self._infos()
                for k in INFO_KEYS:
                    infos[k] = fresh[k]
        else:
            self._autoreset[:] = truncated_worlds
        obs = self._obs.reshape(obs_shape).copy()
        return obs, rewards.reshape(-1), terminated, truncated, infos

    def _tinted_views(self, active: np.ndarray) -> None:
        """The learners' rgb views with every world's agents in its prestige colours."""
        first, s = self.worlds[0], self._state
        viewers = np.arange(self.n_learners)
        no_codes, no_mask = np.zeros((1, 1, 1, 1), dtype=np.uint8), np.zeros((1, 1, 1), bool)
        sees = np.zeros(self._sees.shape[1], dtype=np.bool_)  # counted by the step already
        for b in np.flatnonzero(active):
            tint_sprites(self._world_sprites[b], s["prestige"][b], first.prestige_scale)
            kernels.egocentric_views(
                viewers,
                s["pos"][b],
                s["dirs"][b],
                s["alive"][b],
                first.colours,
                s["grid"][b],
                RAY_TABLE,
                self._agent_at[b],
                False,
                no_codes,
                True,
                self._world_sprites[b],
                self._obs[b],
                False,
                no_mask,
                self.n_learners,
                sees,
                first.flood_fill,
                s["arrival"][b],
            )

    def _read_actions(self, actions: Any) -> np.ndarray:
        arr = np.asarray(actions)
        if arr.shape != (self.num_envs,) or arr.dtype.kind not in "iu":
            raise ValueError(
                f"{self.env_id} vector step: actions must be an integer array of shape "
                f"({self.num_envs},) (num_worlds × n_learners), got {arr.dtype} {arr.shape}."
            )
        n = self.single_action_space.n
        bad = (arr < 0) | (arr >= n)
        if bad.any():
            raise ValueError(
                f"{self.env_id} vector step: actions {arr[bad][:5].tolist()} at indices "
                f"{np.flatnonzero(bad)[:5].tolist()} are out of {self.single_action_space} "
                f"(0..{n - 1}). State unchanged."
            )
        return arr.astype(np.int64, copy=False)

    def expert_actions(self) -> np.ndarray:
        """What a scripted expert would do in each learner's place, shape ``(num_envs,)``.

        The batched ``expert_action`` of the single env (behaviour cloning's labels).
        """
        s = self._state
        out = np.zeros((self.num_worlds, self.n_learners), dtype=np.int64)
        _expert_actions(s["pos"], s["dirs"], s["last_goal"], s["goal_dist"], out)
        return out.reshape(-1)

    # ------------------------------------------------------------------ infos
    def _infos(self) -> dict[str, Any]:
        """The single env's per-learner infos as arrays over ``num_envs`` (with masks)."""
        s, L = self._state, self.n_learners
        dist = np.empty((self.num_worlds, L), dtype=np.float64)
        _nearest_expert_distance(s["pos"], s["alive"], L, dist)
        values = {
            "goals_in_order": s["goals_in_order"][:, :L].reshape(-1).copy(),
            "penalties": s["penalties"][:, :L].reshape(-1).copy(),
            "steps_with_expert_in_view": s["expert_steps_in_view"].reshape(-1).copy(),
            "expert_distance": dist.reshape(-1),
        }
        values.update({f"_{k}": self._info_mask for k in INFO_KEYS})
        return values

    def close_extras(self, **kwargs: Any) -> None:
        for world in self.worlds:
            world.close()


@njit(cache=True)
def _expert_actions(
    pos: np.ndarray, dirs: np.ndarray, last_goal: np.ndarray, dist: np.ndarray, out: np.ndarray
) -> None:
    learners = np.arange(out.shape[1])
    for b in range(pos.shape[0]):
        kernels.cycle_actions(learners, pos[b], dirs[b], last_goal[b], dist[b], out[b])


@njit(cache=True)
def _nearest_expert_distance(pos: np.ndarray, alive: np.ndarray, n_learners: int, out: np.ndarray):
    """Manhattan distance from each learner to the nearest live expert (-1 when none)."""
    for b in range(pos.shape[0]):
        for v in range(n_learners):
            best = -1
            for k in range(n_learners, pos.shape[1]):
                if alive[b, k]:
                    d = abs(pos[b, v, 0] - pos[b, k, 0]) + abs(pos[b, v, 1] - pos[b, k, 1])
                    if best < 0 or d < best:
                        best = d
            out[b, v] = best


def _check_supported(env_id: str, env: Any) -> None:
    """Reject the configurations the batched step does not cover, naming the way out."""
    if not isinstance(env, GoalCycleEnv):
        raise ValueError(f"{env_id!r} is not a Goal Cycle world; the vector form steps only those.")
    problems = []
    if env.obs_mode not in ("symbolic", "rgb"):
        problems.append(f"obs_mode must be 'symbolic' or 'rgb', got {env.obs_mode!r}")
    if env.expert_policy is not None:
        problems.append("expert_policy is not supported (scripted experts only)")
    if env.reset_on_mistake and not env.respawn:
        problems.append(
            "reset_on_mistake=True with respawn=False retires learners one by one; use respawn=True"
        )
    if problems:
        raise ValueError(f"GoalCycleVectorEnv({env_id!r}): " + "; ".join(problems) + ".")
