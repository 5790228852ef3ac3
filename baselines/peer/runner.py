"""The peer runner: walks the protocol phase by phase through the parallel env.

Why not Tianshou's ``PettingZooEnv`` + ``MultiAgentOffPolicyAlgorithm``: that
path stores, as ``obs_next`` of an agent's transition, the observation of the
agent's *next turn*. In the peer protocol the next turn after an ACT is usually
an ADVISE turn whose observation is *another peer's* state, so every stored
transition would jump between task copies. Here ACT transitions wait for the
acting peer's own next ACT turn (or the task's ``final_observation`` when its
episode ended and the copy auto-reset) before they enter that peer's buffer.

Per phase:
* ADVISE turns: each advisor's policy answers for the subject's state, sampled
  with exploration noise as in the paper; nothing is stored.
* IDLE turns: skipped (a fixed valid action is sent).
* ACT turns: the follow strategy picks a candidate (self or an advisor row), the
  candidate's action is executed, and the transition goes to the actor's buffer.

As the original's Stable-Baselines3 loop: a peer's first ``learning_starts``
steps take uniformly random actions (no advice is followed; the suggestion
buffer credits them to every candidate, as the original's ``None`` does); every
``train_every`` of its steps it first takes its trust and agent-value updates
(one per step, with the critic of those steps), then, once past
``learning_starts``, its gradient steps. A peer's epochs past
``max_peer_epochs`` are solo: own action, no trust bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from gymnasium import spaces

import peerzoo
from baselines.peer.trust import EVERY


class Learner(Protocol):
    """What the runner needs from a peer (see :mod:`baselines.peer.learners`)."""

    def act(self, obs: np.ndarray, explore: bool) -> np.ndarray: ...
    def begin_step(self) -> None: ...
    def q(self, obs: np.ndarray, actions: np.ndarray) -> np.ndarray: ...
    def store(
        self,
        obs: np.ndarray,
        act: np.ndarray,
        rew: float,
        terminated: bool,
        truncated: bool,
        obs_next: np.ndarray,
    ) -> None: ...

    def learn(self, gradient_steps: int) -> dict[str, float]: ...


class FollowStrategy(Protocol):
    """Decides, on each ACT turn, which candidate's action peer ``i`` executes."""

    needs_critic: bool

    def choose(
        self,
        i: int,
        candidates: np.ndarray,
        critic_scores: np.ndarray | None,
        epoch: int,
        rng: np.random.Generator,
    ) -> int: ...

    def record(
        self,
        i: int,
        obs: np.ndarray,
        rew: float,
        terminated: bool,
        obs_next: np.ndarray,
        followed: int,
    ) -> None: ...

    def learn(
        self, i: int, peers: list[Learner], n_updates: int, rng: np.random.Generator
    ) -> None: ...


@dataclass
class Pending:
    """An executed ACT whose ``obs_next`` is not known yet."""

    obs: np.ndarray
    act: np.ndarray
    rew: float = 0.0
    followed: int = -1
    advising: bool = True  # taken in a peer epoch: goes to the suggestion buffer


@dataclass
class RunnerStats:
    """Counters the tests and logs read."""

    env_steps: np.ndarray
    follow_counts: np.ndarray
    episode_returns: list[list[float]] = field(default_factory=list)


class PeerRunner:
    """Drives ``env`` (a peerzoo parallel env) and fills each peer's own buffer.

    Args:
        env: ``peerzoo.make(..., api="parallel", autoreset=True)``.
        peers: one learner per agent, in agent order.
        strategy: the follow decision (peer trust or a comparison method).
        train_every / gradient_steps / learning_starts: peer i takes uniformly
            random actions for its first ``learning_starts`` steps and runs
            ``gradient_steps`` updates after every ``train_every`` of its own
            env steps once past ``learning_starts``.
        total_steps: env steps per peer of the whole run (for ``progress``).
        epoch_length / max_peer_epochs: a peer's epoch is ``epoch_length`` of its
            steps; from epoch ``max_peer_epochs`` on it trains solo.
        ensemble: optional :class:`~baselines.peer.ensemble.EnsembleSAC` over
            ``peers``: a phase's policy queries become one batched forward, and
            when every peer acts (lockstep) the N updates become one batched update.
        update_sink: optional ``sink(peer_indices, gradient_steps)`` that takes
            this runner's gradient steps instead of the peers (or the ensemble):
            :class:`~baselines.peer.seed_batch.SeedBatchedTraining` gathers them
            from several seeds into one batched update. It is called at the same
            point of the round as the update it replaces, the last thing the
            round does, so running the requested steps before the next round
            keeps the run's order of events.
    """

    update_sink: Callable[[list[int], int], None] | None = None  # runs saved before it load

    def __init__(
        self,
        env: Any,
        peers: list[Learner],
        strategy: FollowStrategy,
        *,
        train_every: int = 8,
        gradient_steps: int = 8,
        learning_starts: int = 100,
        total_steps: int = 1,
        epoch_length: int = 10_000,
        max_peer_epochs: int = 1_000_000_000,
        gamma: float = 0.99,
        seed: int = 0,
        ensemble: Any = None,
        update_sink: Callable[[list[int], int], None] | None = None,
    ) -> None:
        self.env = env
        self.peers = peers
        self.strategy = strategy
        self.agents = list(env.possible_agents)
        self.n = len(self.agents)
        self.n_total = env.core.n_total
        self.train_every = train_every
        self.gradient_steps = gradient_steps
        self.learning_starts = learning_starts
        self.total_steps = max(1, total_steps)
        self.epoch_length = epoch_length
        self.max_peer_epochs = max_peer_epochs
        self.gamma = gamma
        self.ensemble = ensemble
        self.update_sink = update_sink
        self.rng = np.random.default_rng(seed)
        space = env.action_space(self.agents[0])
        self.action_space = space
        self.continuous = isinstance(space, spaces.Box)
        self._idle_action = (
            ((space.low + space.high) / 2).astype(space.dtype) if self.continuous else 0
        )
        self.stats = RunnerStats(
            env_steps=np.zeros(self.n, np.int64),
            follow_counts=np.zeros((self.n, self.n_total), np.int64),
            episode_returns=[[] for _ in range(self.n)],
        )
        self._episode_return = np.zeros(self.n)
        self._pending: list[Pending | None] = [None] * self.n
        self.obs, self.infos = env.reset(seed=seed)

    @property
    def progress(self) -> float:
        """Fraction of the run done, by the slowest-moving peer's own steps."""
        return float(self.stats.env_steps.mean()) / self.total_steps

    def run_round(self) -> None:
        """Play phases until one act phase has executed (one round)."""
        while True:
            roles = [int(self.obs[a]["role"]) for a in self.agents]
            if peerzoo.ACT in roles:
                self._act_phase(roles)
                return
            self._advice_phase(roles)

    # ------------------------------------------------------------------ phases
    def _query(self, who: list[int]) -> dict[int, np.ndarray]:
        """The sampled actions of peers ``who`` for their turns' states: one call per phase."""
        states = {j: np.asarray(self.obs[self.agents[j]]["observation"], np.float32) for j in who}
        if self.ensemble is None or not who:
            return {j: self.peers[j].act(states[j][None], explore=True)[0] for j in who}
        batch = np.zeros((self.n, *states[who[0]].shape), np.float32)
        for j in who:
            batch[j] = states[j]
        actions = self.ensemble.act(batch, explore=True)
        return {j: actions[j] for j in who}

    def _advice_phase(self, roles: list[int]) -> None:
        advisors = [j for j in range(self.n) if roles[j] == peerzoo.ADVISE]
        answers = self._query(advisors)
        actions = {agent: answers.get(j, self._idle_action) for j, agent in enumerate(self.agents)}
        self.obs, _, _, _, self.infos = self.env.step(actions)

    def _act_phase(self, roles: list[int]) -> None:
        actions: dict[str, Any] = {}
        acting = [i for i in range(self.n) if roles[i] == peerzoo.ACT]
        for i in acting:  # per-step schedules: gSDE noise, DQN target updates
            self.peers[i].begin_step()
        own_actions = self._query(acting)
        for i in acting:
            observation = self.obs[self.agents[i]]
            state = np.array(observation["observation"], np.float32)
            if self._pending[i] is not None:  # this peer's own next state: complete it
                self._complete(i, state, terminated=False, truncated=False)
            actions[self.agents[i]] = self._choose(i, state, observation, own_actions[i])
        for i in range(self.n):
            actions.setdefault(self.agents[i], self._idle_action)
        self.obs, rewards, _, _, self.infos = self.env.step(actions)
        for i in acting:
            agent = self.agents[i]
            pending = self._pending[i]
            pending.rew = float(rewards[agent])
            self._episode_return[i] += pending.rew
            self.stats.env_steps[i] += 1
            info = self.infos[agent]
            if "final_observation" in info:
                self._complete(
                    i,
                    np.array(info["final_observation"], np.float32),
                    terminated=bool(info["task_terminated"]),
                    truncated=bool(info["task_truncated"]),
                )
                self.stats.episode_returns[i].append(float(self._episode_return[i]))
                self._episode_return[i] = 0.0
        if self.ensemble is not None and len(acting) == self.n:
            self._maybe_learn_together()
        else:
            for i in acting:
                self._maybe_learn(i)

    def epoch(self, i: int) -> int:
        """Peer i's current epoch (of ``epoch_length`` of its own steps)."""
        return int(self.stats.env_steps[i]) // self.epoch_length

    def advising(self, i: int) -> bool:
        """Whether peer i's current epoch is a peer epoch (not past ``max_peer_epochs``)."""
        return self.epoch(i) < self.max_peer_epochs

    def _random_action(self) -> Any:
        """A uniformly random action from the runner's own generator (warm-up)."""
        space = self.action_space
        if self.continuous:
            return self.rng.uniform(space.low, space.high).astype(space.dtype)
        return int(space.start + self.rng.integers(space.n))

    def _choose(
        self, i: int, state: np.ndarray, observation: dict[str, Any], own: np.ndarray
    ) -> Any:
        if self.stats.env_steps[i] < self.learning_starts:  # warm-up: no decision is taken
            action, followed = self._random_action(), EVERY
        elif not self.advising(i):  # a solo epoch
            action, followed = own, i
        else:
            followed = self._follow(i, state, observation, own)
            action = own if followed == i else np.array(observation["advice"][followed])
        if followed != EVERY:
            self.stats.follow_counts[i, followed] += 1
        self._pending[i] = Pending(state, np.asarray(action), 0.0, followed, self.advising(i))
        return action

    def _follow(self, i: int, state: np.ndarray, observation: dict[str, Any], own: Any) -> int:
        mask = np.asarray(observation["advice_mask"], bool)
        candidates = np.flatnonzero(mask | (np.arange(self.n_total) == i))
        critic_scores = None
        if len(candidates) > 1 and self.strategy.needs_critic:
            options = self._candidate_actions(i, own, candidates, observation["advice"])
            critic_scores = self.peers[i].q(state[None], options[None])[0]
        return self.strategy.choose(i, candidates, critic_scores, self.epoch(i), self.rng)

    def _candidate_actions(
        self, i: int, own: np.ndarray, candidates: np.ndarray, advice: np.ndarray
    ) -> np.ndarray:
        options = np.array(advice)[candidates]
        options[candidates == i] = own
        return options

    def _complete(self, i: int, obs_next: np.ndarray, terminated: bool, truncated: bool) -> None:
        p = self._pending[i]
        self.peers[i].store(p.obs, p.act, p.rew, terminated, truncated, obs_next)
        if p.advising:
            self.strategy.record(i, p.obs, p.rew, terminated, obs_next, p.followed)
        self._pending[i] = None

    def _maybe_learn_together(self) -> None:
        """Lockstep: every peer is at the same step, so all N update as one ensemble."""
        steps = int(self.stats.env_steps[0])
        if steps % self.train_every == 0:
            for i in range(self.n):
                if self.advising(i):
                    self.strategy.learn(i, self.peers, self.train_every, self.rng)
            if steps > self.learning_starts:
                if self.update_sink is not None:
                    self.update_sink(list(range(self.n)), self.gradient_steps)
                else:
                    self.ensemble.update_peers(self.peers[0].batch_size, self.gradient_steps)

    def _maybe_learn(self, i: int) -> None:
        steps = int(self.stats.env_steps[i])
        if steps % self.train_every == 0:
            if self.advising(i):
                self.strategy.learn(i, self.peers, self.train_every, self.rng)
            if steps > self.learning_starts:
                if self.update_sink is not None:
                    self.update_sink([i], self.gradient_steps)
                else:
                    self.peers[i].learn(self.gradient_steps)
