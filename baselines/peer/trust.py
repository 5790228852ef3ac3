"""The paper's three trust mechanisms and the follow decision, without any network.

Derstroff et al. (AAAI 2024), §"Trust mechanisms": when peer i decides whom to
follow it scores every candidate k (itself and every advisor that answered)
with up to three mechanisms, normalises each by max |x|, sums them and samples
from a softmax with temperature T. The choice is held for ``follow_steps``
steps, re-asking the chosen peer each step.

* critic: Q_i(s, a_k), the asking peer's own (min-of-twin) Q of candidate k's
  recommendation; the runner computes it and passes it in.
* trust values: per asking peer, a running value of k's advice,
  v_k ← v_k + lr · (r + γ V_i(s′) [− V_i(s)] − v_k), from samples of the
  peer's own suggestion buffer of followed transitions.
* agent values: one group-wide vector with the same update, fed with
  ⌊10/N⌋ samples from each peer's own suggestion buffer scored by that peer's
  own critic, so that what the group learns about an advisor is pooled
  estimates, never pooled experience.

Everything here is numpy; the value estimates arrive as arrays, so each
equation can be unit-tested with hand-picked numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

SELF = -1


def normalise_by_max_abs(scores: np.ndarray) -> np.ndarray:
    """x / max |x| (all zeros stays zeros): the paper's way to put mechanisms on one scale."""
    scores = np.asarray(scores, dtype=np.float64)
    peak = np.max(np.abs(scores)) if scores.size else 0.0
    return scores / peak if peak > 0 else np.zeros_like(scores)


def combine_mechanisms(*scores: np.ndarray | None) -> np.ndarray:
    """Sum of the max-|x|-normalised scores of every mechanism that is switched on."""
    present = [normalise_by_max_abs(s) for s in scores if s is not None]
    if not present:
        raise ValueError("At least one trust mechanism must be on (critic, trust or agent values).")
    return np.sum(present, axis=0)


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Softmax of ``scores / temperature``; a temperature of 0 means argmax."""
    scores = np.asarray(scores, dtype=np.float64)
    if temperature <= 0:
        probs = (scores == scores.max()).astype(np.float64)
        return probs / probs.sum()
    z = scores / temperature
    z = np.exp(z - z.max())
    return z / z.sum()


def td_targets(
    rewards: np.ndarray,
    values_next: np.ndarray,
    terminated: np.ndarray,
    gamma: float,
    values: np.ndarray | None = None,
) -> np.ndarray:
    """r + γ (1 − terminated) V(s′), minus V(s) when ``values`` is given (the advantage option).

    Truncation still bootstraps: a time limit is not a terminal state.
    """
    target = np.asarray(rewards, np.float64) + gamma * (
        1.0 - np.asarray(terminated, np.float64)
    ) * np.asarray(values_next, np.float64)
    if values is not None:
        target = target - np.asarray(values, np.float64)
    return target


class RunningValues:
    """One running value per candidate, v_k ← v_k + lr (target − v_k), sample by sample.

    Used twice: as a peer's own trust values and as the group's agent values.
    """

    def __init__(self, n_candidates: int, lr: float = 0.001, init: float = 200.0) -> None:
        self.lr = lr
        self.values = np.full(n_candidates, float(init))

    def update(self, candidates: np.ndarray, targets: np.ndarray) -> None:
        for k, target in zip(np.asarray(candidates, int), np.asarray(targets, np.float64)):
            self.values[k] += self.lr * (target - self.values[k])


class SuggestionBuffer:
    """A peer's last ``capacity`` transitions with the candidate it followed (ring buffer)."""

    def __init__(self, obs_shape: tuple[int, ...], capacity: int = 1000) -> None:
        self.capacity = capacity
        self.obs = np.zeros((capacity, *obs_shape), np.float32)
        self.obs_next = np.zeros((capacity, *obs_shape), np.float32)
        self.rew = np.zeros(capacity, np.float64)
        self.terminated = np.zeros(capacity, bool)
        self.followed = np.zeros(capacity, np.int64)
        self.size = 0
        self._pos = 0

    def add(
        self, obs: np.ndarray, rew: float, terminated: bool, obs_next: np.ndarray, followed: int
    ) -> None:
        p = self._pos
        self.obs[p], self.rew[p], self.terminated[p] = obs, rew, terminated
        self.obs_next[p], self.followed[p] = obs_next, followed
        self._pos = (p + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, k: int, rng: np.random.Generator) -> np.ndarray:
        """Indices of ``k`` samples (with replacement); empty while the buffer is empty."""
        if self.size == 0 or k <= 0:
            return np.zeros(0, np.int64)
        return rng.integers(self.size, size=k)


@dataclass
class TrustConfig:
    """Every option of the paper's trust; defaults are the paper's.

    Attributes:
        use_critic: score candidates by the asking peer's own Q of their action.
        use_trust: score candidates by the peer's own running trust values.
        use_agent_values: score candidates by the group-wide agent values.
        advantage: learn values of r + γV(s′) − V(s) instead of r + γV(s′).
        lr: learning rate of trust values and agent values.
        init: initial trust value and agent value (optimistic, so all get tried).
        batch_size: samples from the suggestion buffer per trust-value update.
        buffer_size: suggestion-buffer capacity.
        temperature: softmax temperature T.
        temperature_decay: T ← T (1 − decay) after every decision.
        follow_steps: steps a choice is held (re-asking the chosen peer each step).
    """

    use_critic: bool = True
    use_trust: bool = True
    use_agent_values: bool = True
    advantage: bool = False
    lr: float = 0.001
    init: float = 200.0
    batch_size: int = 10
    buffer_size: int = 1000
    temperature: float = 1.0
    temperature_decay: float = 0.0
    follow_steps: int = 10


class PeerTrust:
    """Peer i's follow decision: whom to follow, held for ``follow_steps`` steps.

    Candidates are indexed like the env's ``advice`` rows (learners, then scripted
    peers); the peer's own index stands for its own policy.
    """

    def __init__(
        self,
        index: int,
        n_candidates: int,
        config: TrustConfig,
        agent_values: RunningValues | None,
        obs_shape: tuple[int, ...],
    ) -> None:
        self.index = index
        self.config = config
        self.trust = RunningValues(n_candidates, config.lr, config.init)
        self.agent_values = agent_values
        self.suggestions = SuggestionBuffer(obs_shape, config.buffer_size)
        self.temperature = config.temperature
        self.following = index
        self._hold_left = 0

    def candidates(self, advice_mask: np.ndarray) -> np.ndarray:
        """Self plus every advisor that answered this step."""
        mask = np.asarray(advice_mask, bool).copy()
        mask[self.index] = True
        return np.flatnonzero(mask)

    @property
    def needs_decision(self) -> bool:
        return self._hold_left <= 0

    def decide(
        self,
        candidates: np.ndarray,
        critic_scores: np.ndarray | None,
        rng: np.random.Generator,
    ) -> int:
        """Sample whom to follow from softmax(Σ normalised mechanism scores / T); hold it.

        ``critic_scores[c]`` is the peer's Q of candidate ``candidates[c]``'s action.
        """
        cfg = self.config
        scores = combine_mechanisms(
            critic_scores if cfg.use_critic else None,
            self.trust.values[candidates] if cfg.use_trust else None,
            self.agent_values.values[candidates]
            if cfg.use_agent_values and self.agent_values is not None
            else None,
        )
        probs = softmax(scores, self.temperature)
        self.following = int(candidates[rng.choice(len(candidates), p=probs)])
        self._hold_left = cfg.follow_steps
        self.temperature *= 1.0 - cfg.temperature_decay
        return self.following

    def follow(self, advice_mask: np.ndarray) -> int:
        """Spend one held step; falls back to self when the chosen advisor did not answer."""
        self._hold_left -= 1
        if self.following != self.index and not advice_mask[self.following]:
            self.following, self._hold_left = self.index, 0
        return self.following

    def update_trust(self, samples: np.ndarray, targets: np.ndarray) -> None:
        """Move the trust values of the candidates followed in ``samples`` towards ``targets``."""
        self.trust.update(self.suggestions.followed[samples], targets)


class PeerTrustStrategy:
    """Peer learning's follow strategy: :class:`PeerTrust` per peer + group agent values.

    Talks to the learners only through ``q``/``value`` (their own critics), so
    it can be tested with fake learners.
    """

    def __init__(
        self,
        n_peers: int,
        n_candidates: int,
        obs_shape: tuple[int, ...],
        config: TrustConfig,
        gamma: float = 0.99,
    ) -> None:
        self.config = config
        self.gamma = gamma
        self.n_peers = n_peers
        self.agent_values = RunningValues(n_candidates, config.lr, config.init)
        self.trusts = [
            PeerTrust(i, n_candidates, config, self.agent_values, obs_shape) for i in range(n_peers)
        ]

    @property
    def needs_critic(self) -> bool:
        return self.config.use_critic

    def choose(
        self,
        i: int,
        candidates: np.ndarray,
        critic_scores: np.ndarray | None,
        progress: float,
        rng: np.random.Generator,
    ) -> int:
        trust = self.trusts[i]
        if len(candidates) == 1:
            return i
        if trust.needs_decision:
            trust.decide(candidates, critic_scores, rng)
        mask = np.zeros(len(trust.trust.values), bool)
        mask[candidates] = True
        return trust.follow(mask)

    def record(
        self,
        i: int,
        obs: np.ndarray,
        rew: float,
        terminated: bool,
        obs_next: np.ndarray,
        followed: int,
    ) -> None:
        self.trusts[i].suggestions.add(obs, rew, terminated, obs_next, followed)

    def _targets(self, peer: Any, buffer: SuggestionBuffer, idx: np.ndarray) -> np.ndarray:
        values = peer.value(buffer.obs[idx]) if self.config.advantage else None
        return td_targets(
            buffer.rew[idx],
            peer.value(buffer.obs_next[idx]),
            buffer.terminated[idx],
            self.gamma,
            values,
        )

    def learn(self, i: int, peers: list[Any], n_updates: int, rng: np.random.Generator) -> None:
        """``n_updates`` trust-value batches for peer i, and as many agent-value batches.

        The critics do not change between these updates, so all batches are
        scored in one call per critic and then applied in order.
        """
        cfg = self.config
        trust = self.trusts[i]
        if cfg.use_trust:
            idx = trust.suggestions.sample(cfg.batch_size * n_updates, rng)
            if len(idx):
                trust.update_trust(idx, self._targets(peers[i], trust.suggestions, idx))
        if cfg.use_agent_values:
            per_peer = cfg.batch_size // self.n_peers
            for k, other in enumerate(self.trusts):
                idx = other.suggestions.sample(per_peer * n_updates, rng)
                if len(idx):
                    self.agent_values.update(
                        other.suggestions.followed[idx],
                        self._targets(peers[k], other.suggestions, idx),
                    )
