"""A tiny stand-in with the social gridworlds' documented interface, for algorithm tests.

Learners are the agents; rgb observations are 21×21×3 uint8; actions are
Discrete(3); every episode truncates at ``max_cycles``; the "expert" action
is a fixed function of the observation (what behaviour cloning must learn);
with experts, they are always in view, 3 cells away (the social infos).
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv


class FakeSocialEnv(ParallelEnv):
    metadata = {"name": "fake_social_v0", "render_modes": []}

    def __init__(self, n_learners: int = 1, n_experts: int = 2, max_cycles: int = 20) -> None:
        self.possible_agents = [f"learner_{i}" for i in range(n_learners)]
        self.n_experts, self.max_cycles = n_experts, max_cycles
        self._obs_space = spaces.Box(0, 255, (21, 21, 3), np.uint8)
        self._rng = np.random.default_rng(0)

    def observation_space(self, agent: str) -> spaces.Box:
        return self._obs_space

    def action_space(self, agent: str) -> spaces.Discrete:
        return spaces.Discrete(3)

    def _observe(self) -> dict[str, np.ndarray]:
        obs = {}
        for i, agent in enumerate(self.agents):
            frame = np.zeros((21, 21, 3), np.uint8)
            cue = (self._phase[i] + (self.n_experts > 0)) % 3
            frame[:, 7 * cue : 7 * cue + 7, cue] = 255  # a stripe whose column is the cue
            obs[agent] = frame
        return obs

    def reset(self, seed=None, options=None):
        if seed is not None:
            self._rng = np.random.default_rng(seed)
        self.agents = list(self.possible_agents)
        self._t = 0
        self._phase = self._rng.integers(0, 3, len(self.agents))
        return self._observe(), {a: {} for a in self.agents}

    def expert_action(self, agent: str) -> int:
        i = self.possible_agents.index(agent)
        return int((self._phase[i] + (self.n_experts > 0)) % 3)

    def _social_info(self) -> dict[str, float]:
        """The gridworlds' social infos: experts always in view, 3 cells away (-1 without)."""
        if not self.n_experts:
            return {"steps_with_expert_in_view": 0, "expert_distance": -1.0}
        return {"steps_with_expert_in_view": self._t, "expert_distance": 3.0}

    def step(self, actions):
        rew = {a: float(actions[a] == self.expert_action(a)) for a in self.agents}
        self._phase = (self._phase + self._rng.integers(0, 2, len(self.agents))) % 3
        self._t += 1
        trunc = {a: self._t >= self.max_cycles for a in self.agents}
        term = {a: False for a in self.agents}
        obs, infos = self._observe(), {a: self._social_info() for a in self.agents}
        if self._t >= self.max_cycles:
            self.agents = []
        return obs, rew, term, trunc, infos
