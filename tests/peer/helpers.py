"""Small tools the peer-protocol tests share: a scripted toy task and round drivers."""

from __future__ import annotations

from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces

import peerzoo
from peerzoo import ACT


class CountdownTask(gymnasium.Env):
    """A tiny deterministic task whose episode length is set per copy.

    Observation = [steps taken, last action]; reward = the action; it terminates
    after ``length`` steps when ``terminate`` is set, else truncates. Lets tests
    give peers different episode ends without MuJoCo.
    """

    metadata = {"render_modes": ["rgb_array"]}

    def __init__(
        self, length: int = 5, terminate: bool = False, render_mode: str | None = None
    ) -> None:
        self.length = length
        self.terminate = terminate
        self.render_mode = render_mode
        self.observation_space = spaces.Box(-10.0, 1000.0, (2,), np.float32)
        self.action_space = spaces.Box(-1.0, 1.0, (1,), np.float32)
        self.steps = 0

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        self.steps = 0
        return np.array([0.0, 0.0], np.float32), {}

    def step(self, action):
        self.steps += 1
        done = self.steps >= self.length
        obs = np.array([self.steps, float(action[0])], np.float32)
        return obs, float(action[0]), done and self.terminate, done and not self.terminate, {}

    def render(self):
        return np.full((4, 4, 3), self.steps % 255, np.uint8)


def countdown_factory(lengths: list[int], terminate: bool = False):
    """A task callable handing successive copies the episode lengths in ``lengths``."""
    queue = list(lengths)

    def make(render_mode: str | None = None) -> CountdownTask:
        return CountdownTask(queue.pop(0), terminate=terminate, render_mode=render_mode)

    return make


def zero_actions(env) -> dict[str, Any]:
    """One in-space action per live agent (continuous zeros or discrete 0)."""
    space = env.action_space(env.possible_agents[0])
    value = np.zeros(space.shape, space.dtype) if isinstance(space, spaces.Box) else 0
    return dict.fromkeys(env.agents, value)


def run_round(env, actions: dict[str, Any] | None = None) -> list[tuple]:
    """Step a parallel env through one whole round; returns every phase's outputs."""
    start = env.core.round
    outputs = []
    while env.agents and env.core.round == start:
        outputs.append(env.step(actions or zero_actions(env)))
    return outputs


def roles(observations: dict[str, dict]) -> dict[str, int]:
    return {agent: int(obs["role"]) for agent, obs in observations.items()}


def act_agents(observations: dict[str, dict]) -> list[str]:
    return [agent for agent, obs in observations.items() if int(obs["role"]) == ACT]


def room(n_peers: int = 2, **kwargs):
    return peerzoo.make("peer_room_v0", api="parallel", n_peers=n_peers, **kwargs)
