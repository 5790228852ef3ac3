"""The peer protocol as a PettingZoo ``ParallelEnv``: one ``step`` = one phase.

A phase hands a learner all N peers' turns at once, so it can answer a whole
phase (every advice request, or every act turn) with one batched forward pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv

from peerzoo.errors import TurnOrderError
from peerzoo.peer.core import PeerCore


class PeerParallelEnv(ParallelEnv):
    """Parallel view of :class:`~peerzoo.peer.core.PeerCore` (the protocol: docs/protocol.md)."""

    metadata = {"name": "peer_v0", "render_modes": ["rgb_array"], "is_parallelizable": True}

    def __init__(self, core: PeerCore, name: str | None = None) -> None:
        self.core = core
        if name is not None:
            self.metadata = {**self.metadata, "name": name}
        self.render_mode = core.render_mode
        self.possible_agents = list(core.agents)
        self.agents: list[str] = []
        self._index = {agent: i for i, agent in enumerate(self.possible_agents)}
        self._all_agents = set(self.possible_agents)
        self.observation_spaces = dict.fromkeys(self.possible_agents, core.observation_space)
        self.action_spaces = dict.fromkeys(self.possible_agents, core.action_space)

    def observation_space(self, agent: str) -> spaces.Space:
        return self.observation_spaces[agent]

    def action_space(self, agent: str) -> spaces.Space:
        return self.action_spaces[agent]

    @property
    def scripted_names(self) -> list[str]:
        """Names of the scripted advisors: rows N … N_total−1 of ``advice``."""
        return self.core.scripted_names

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        self.core.reset(seed=seed, options=options)
        self.agents = list(self.possible_agents)
        return self._phase_outputs()

    @property
    def _agent_set(self) -> set[str]:
        return self._all_agents if self.agents else set()

    def _phase_outputs(self) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        core = self.core
        observations = {agent: core.observe(i) for i, agent in enumerate(self.possible_agents)}
        infos = {agent: core.info(i) for i, agent in enumerate(self.possible_agents)}
        return observations, infos

    def step(self, actions: dict[str, Any]) -> tuple[dict, dict, dict, dict, dict]:
        core = self.core
        if not self.agents:
            core.check_running("step()")
            raise TurnOrderError("step(): every agent is done; call reset().")
        if actions.keys() != self._agent_set:
            self._reject_agent_set(actions)
        validated = core.validate_action.many(
            [actions[agent] for agent in self.agents], core.describe_turn
        )
        rewards_list = core.submit_phase(validated)
        agents = self.agents
        observations, infos = self._phase_outputs()
        rewards = dict(zip(agents, rewards_list))
        if core.finished:
            terminations = dict(zip(agents, core.final_terminations))
            truncations = dict(zip(agents, core.final_truncations))
            self.agents = []
        else:
            terminations = dict.fromkeys(agents, False)
            truncations = dict.fromkeys(agents, False)
        return observations, rewards, terminations, truncations, infos

    def _reject_agent_set(self, actions: dict[str, Any]) -> None:
        missing = [agent for agent in self.agents if agent not in actions]
        unknown = [agent for agent in actions if agent not in self._index]
        parts = []
        if missing:
            parts.append(f"no action for {missing}")
        if unknown:
            parts.append(f"actions for unknown agents {unknown}")
        raise TurnOrderError(
            f"step() in round {self.core.round}: every live agent takes one turn per phase; "
            f"{' and '.join(parts)}. Expected exactly {self.agents}, each an action in "
            f"{self.core.action_space}."
        )

    def request(
        self, agent: str, advisors: Iterable[int | str] | None = None
    ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """Ask for advice this round (``advice="on_request"``); returns the replanned phase.

        Call it between rounds; the observations and infos it returns replace
        those of the last ``step``/``reset``, since the round now opens with the
        advice phases the request created.
        """
        self.core.request(self._agent_index(agent), advisors)
        return self._phase_outputs()

    def _agent_index(self, agent: str) -> int:
        if agent not in self._index:
            raise KeyError(f"Unknown agent {agent!r}; agents are {self.possible_agents}.")
        return self._index[agent]

    def state(self) -> np.ndarray:
        return self.core.state()

    @property
    def state_space(self) -> spaces.Space:
        return self.core.state_space

    def render(self) -> np.ndarray | None:
        return self.core.render()

    def close(self) -> None:
        self.core.close()
