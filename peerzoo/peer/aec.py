"""The peer protocol as a PettingZoo ``AECEnv``: one cycle = one phase.

Agents take turns ``peer_0`` … ``peer_{N-1}`` within every phase. Actions are
validated as they arrive and applied when the phase's last agent has acted, so
a rejected action changes nothing and rewards land at the end of the act
phase (the end of a PettingZoo cycle).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from gymnasium import spaces
from pettingzoo import AECEnv

from peerzoo.errors import TurnOrderError
from peerzoo.peer.core import PeerCore


class PeerAECEnv(AECEnv):
    """AEC view of :class:`~peerzoo.peer.core.PeerCore` (the protocol: docs/protocol.md)."""

    metadata = {"name": "peer_v0", "render_modes": ["rgb_array"], "is_parallelizable": True}

    def __init__(self, core: PeerCore, name: str | None = None) -> None:
        super().__init__()
        self.core = core
        if name is not None:
            self.metadata = {**self.metadata, "name": name}
        self.render_mode = core.render_mode
        self.possible_agents = list(core.agents)
        self.agents: list[str] = []
        self._index = {agent: i for i, agent in enumerate(self.possible_agents)}
        self.observation_spaces = dict.fromkeys(self.possible_agents, core.observation_space)
        self.action_spaces = dict.fromkeys(self.possible_agents, core.action_space)
        self._turn = 0
        self._phase_actions: list[Any] = [None] * core.n
        self.rewards: dict[str, float] = {}
        self._cumulative_rewards: dict[str, float] = {}
        self.terminations: dict[str, bool] = {}
        self.truncations: dict[str, bool] = {}
        self.infos: dict[str, dict[str, Any]] = {}
        self.agent_selection = self.possible_agents[0]

    def observation_space(self, agent: str) -> spaces.Space:
        return self.observation_spaces[agent]

    def action_space(self, agent: str) -> spaces.Space:
        return self.action_spaces[agent]

    @property
    def scripted_names(self) -> list[str]:
        """Names of the scripted advisors: rows N … N_total−1 of ``advice``."""
        return self.core.scripted_names

    def reset(self, seed: int | None = None, options: dict[str, Any] | None = None) -> None:
        self.core.reset(seed=seed, options=options)
        agents = self.agents = list(self.possible_agents)
        self.rewards = dict.fromkeys(agents, 0.0)
        self._cumulative_rewards = dict.fromkeys(agents, 0.0)
        self.terminations = dict.fromkeys(agents, False)
        self.truncations = dict.fromkeys(agents, False)
        self._refresh_infos()
        self._turn = 0
        self.agent_selection = agents[0]

    def _refresh_infos(self) -> None:
        core = self.core
        self.infos = {agent: core.info(i) for i, agent in enumerate(self.possible_agents)}

    def observe(self, agent: str) -> dict[str, Any]:
        return self.core.observe(self._agent_index(agent))

    def step(self, action: Any) -> None:
        agent = self.agent_selection
        if not self.agents:
            self.core.check_running("step()")
            raise TurnOrderError("step(): every agent is done; call reset().")
        if self.terminations[agent] or self.truncations[agent]:
            if action is not None:
                raise TurnOrderError(
                    f"{agent} is done (round {self.core.round}); its remaining turn takes "
                    f"action None, got {action!r}."
                )
            self._was_dead_step(action)
            return
        core = self.core
        i = self._turn
        self._phase_actions[i] = core.validate_action(action, lambda: core.describe_turn(i))
        self._cumulative_rewards[agent] = 0.0
        if i + 1 < core.n:
            self._turn = i + 1
            self.agent_selection = self.possible_agents[i + 1]
            self._clear_rewards()
            return
        rewards = core.submit_phase(self._phase_actions)
        self._turn = 0
        self.agent_selection = self.possible_agents[0]
        self.rewards = dict(zip(self.agents, rewards))
        self._refresh_infos()
        if core.finished:
            self.terminations = dict(zip(self.agents, core.final_terminations))
            self.truncations = dict(zip(self.agents, core.final_truncations))
        self._accumulate_rewards()

    def request(self, agent: str, advisors: Iterable[int | str] | None = None) -> None:
        """Ask for advice this round (``advice="on_request"``); call it between rounds.

        ``last()`` afterwards shows the replanned first turn of the round.
        """
        i = self._agent_index(agent)
        if self._turn != 0:
            raise TurnOrderError(
                f"{agent}: env.request() must be called before a round starts; "
                f"{self.agent_selection} is mid-phase ({self.core.describe_turn(self._turn)})."
            )
        self.core.request(i, advisors)
        self._refresh_infos()

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
