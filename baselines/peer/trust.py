"""The paper's three trust mechanisms and the follow decision, without any network.

Derstroff et al. (AAAI 2024), §"Trust mechanisms", as the original's
``peer.py`` computes them: when peer i decides whom to follow it scores every
candidate k (itself and every advisor that answered) with up to three
mechanisms, normalises each by max |x|, sums them and samples from a softmax
with temperature T (or, as the original's flags allow, follows uniformly a
random other peer, or ε-greedily the best). The choice is held for
``follow_steps`` steps, re-asking the chosen peer each step.

* critic: Q_i(s, a_k), the asking peer's own (min-of-twin) Q of candidate k's
  recommendation; the runner computes it and passes it in.
* trust values: per asking peer, a running value of k's advice. Once per env
  step it samples ``batch_size`` transitions (without replacement) from the
  peer's own suggestion buffer, averages the targets r + γV_i(s′) [− V_i(s)]
  of each candidate followed in them and moves that candidate's value once,
  v_k ← v_k + lr (mean target − v_k).
* agent values: one group-wide vector with the same update, fed with
  ⌊batch_size / N⌋ samples from each learner's suggestion buffer scored by that
  learner's own critic (N counts the scripted peers too, as the original's
  group does), so what the group learns about an advisor is pooled
  estimates, never pooled experience.

V(s) is the peer's own Q of the action its policy *samples* for s, as the
original's ``Peer.value`` (``policy.predict`` without ``deterministic``).
Everything else here is numpy, so each equation can be unit-tested with
hand-picked numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# ``followed`` of a warm-up step (uniformly random action, no decision taken): the
# original stores ``followed_peer = None`` there, and numpy's ``x[None] += t``
# credits the sample to every candidate. Kept so that trust moves the same way.
EVERY = -2


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


def state_value(peer: Any, obs: np.ndarray) -> np.ndarray:
    """V(s) as the original's ``Peer.value``: the peer's own Q of the action its policy samples.

    The original calls ``policy.predict(observations, False)``: the ``False``
    lands in ``state``, so ``deterministic`` keeps its default False and a SAC
    peer's action is sampled (with gSDE: with its current exploration matrix);
    a DQN policy's ``predict`` is its argmax whatever the flag. A DQN peer's
    ``act(explore=True)`` is that argmax too, unless ``epsilon_greedy`` (an
    option outside the paper) makes it ε-greedy.
    """
    actions = peer.act(obs, explore=True)
    return np.asarray(peer.q(obs, actions[:, None]), np.float64)[:, 0]


class RunningValues:
    """One running value per candidate: v_k ← v_k + lr (mean target of k in a batch − v_k).

    Used twice: as a peer's own trust values and as the group's agent values.
    """

    def __init__(self, n_candidates: int, lr: float = 0.001, init: float = 200.0) -> None:
        self.lr = lr
        self.values = np.full(n_candidates, float(init))

    def update(self, candidates: np.ndarray, targets: np.ndarray) -> None:
        """One update from one sampled batch: each candidate followed in it moves once.

        A sample whose candidate is :data:`EVERY` counts for every candidate.
        """
        candidates = np.asarray(candidates, np.int64)
        targets = np.asarray(targets, np.float64)
        n = len(self.values)
        every = candidates == EVERY
        counts = np.bincount(candidates[~every], minlength=n).astype(np.float64)
        sums = np.bincount(candidates[~every], weights=targets[~every], minlength=n).astype(float)
        counts += every.sum()
        sums += targets[every].sum()
        seen = counts > 0
        self.values[seen] += self.lr * (sums[seen] / counts[seen] - self.values[seen])


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

    def sample(self, k: int, rng: np.random.Generator) -> np.ndarray | None:
        """``k`` distinct indices, or None while the buffer holds ``k`` or fewer.

        The original's ``random.sample(buffer, k)``, which it only calls once
        ``len(buffer) > k``.
        """
        if self.size <= k:
            return None
        return rng.choice(self.size, size=k, replace=False)


@dataclass
class TrustConfig:
    """Every option of the paper's trust, named after the original's flag; defaults are its own.

    Attributes:
        use_critic: score candidates by the asking peer's own Q of their action [--use-critic].
        use_trust: score candidates by the peer's own running trust values [--use-trust].
        use_agent_values: score candidates by the group-wide agent values [--use-agent-value].
        advantage: learn values of r + γV(s′) − V(s) instead of r + γV(s′) [--use-advantage].
        lr: learning rate of trust values and agent values [--trust-lr].
        init: initial trust value and agent value [--init-trust-values, --init-agent-values].
        batch_size: samples per trust-value update (the original's fixed 10).
        buffer_size: suggestion-buffer capacity [--trust-buffer-size].
        temperature: softmax temperature T [--T].
        temperature_decay: T · exp(−decay · epoch) [--T-decay].
        follow_steps: steps a choice is held (re-asking the chosen peer each step) [--follow-steps].
        sample_from_suggestions: sample from the softmax [--sample-from-suggestions]; else ...
        only_follow_peers: ... follow a uniformly random other peer [--only-follow-peers]; else ...
        epsilon: ... follow the best candidate, a uniformly random one with probability ε
            [--epsilon].
        peers_sample_with_noise: advisors answer with exploration [--peers-sample-with-noise].
    """

    use_critic: bool = True
    use_trust: bool = True
    use_agent_values: bool = True
    advantage: bool = True
    lr: float = 0.001
    init: float = 200.0
    batch_size: int = 10
    buffer_size: int = 1000
    temperature: float = 1.0
    temperature_decay: float = 0.0
    follow_steps: int = 10
    sample_from_suggestions: bool = True
    only_follow_peers: bool = False
    epsilon: float = 0.2
    peers_sample_with_noise: bool = True

    @property
    def any_mechanism(self) -> bool:
        return self.use_critic or self.use_trust or self.use_agent_values


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

    def scores(self, candidates: np.ndarray, critic_scores: np.ndarray | None) -> np.ndarray:
        """Σ of the max-|x|-normalised scores of the mechanisms that are on (zeros if none)."""
        cfg = self.config
        if not cfg.any_mechanism:
            return np.zeros(len(candidates))
        return combine_mechanisms(
            critic_scores if cfg.use_critic else None,
            self.trust.values[candidates] if cfg.use_trust else None,
            self.agent_values.values[candidates]
            if cfg.use_agent_values and self.agent_values is not None
            else None,
        )

    def decide(
        self,
        candidates: np.ndarray,
        critic_scores: np.ndarray | None,
        rng: np.random.Generator,
        epoch: int = 0,
    ) -> int:
        """Choose whom to follow as the original's ``get_action`` does; hold it.

        ``critic_scores[c]`` is the peer's Q of candidate ``candidates[c]``'s action.
        """
        cfg = self.config
        scores = self.scores(candidates, critic_scores)
        if cfg.sample_from_suggestions:
            temperature = cfg.temperature * np.exp(-cfg.temperature_decay * epoch)
            pick = rng.choice(len(candidates), p=softmax(scores, temperature))
        elif cfg.only_follow_peers:
            others = np.flatnonzero(candidates != self.index)
            pick = rng.choice(others) if len(others) else 0
        elif rng.random() >= cfg.epsilon:
            pick = int(np.argmax(scores))
        else:
            pick = rng.integers(len(candidates))
        self.following = int(candidates[pick])
        self._hold_left = cfg.follow_steps
        return self.following

    def follow(self, advice_mask: np.ndarray) -> int:
        """Spend one held step; falls back to self when the chosen advisor did not answer."""
        self._hold_left -= 1
        if self.following != self.index and not advice_mask[self.following]:
            self.following, self._hold_left = self.index, 0
        return self.following


class PeerTrustStrategy:
    """Peer learning's follow strategy: :class:`PeerTrust` per peer + group agent values.

    Talks to the learners only through ``act``/``q`` (their own policies and
    critics), so it can be tested with fake learners.
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
        self.n_candidates = n_candidates
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
        epoch: int,
        rng: np.random.Generator,
    ) -> int:
        trust = self.trusts[i]
        if len(candidates) == 1:
            return i
        if trust.needs_decision:
            trust.decide(candidates, critic_scores, rng, epoch)
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
        values = state_value(peer, buffer.obs[idx]) if self.config.advantage else None
        return td_targets(
            buffer.rew[idx],
            state_value(peer, buffer.obs_next[idx]),
            buffer.terminated[idx],
            self.gamma,
            values,
        )

    def learn(self, i: int, peers: list[Any], n_updates: int, rng: np.random.Generator) -> None:
        """``n_updates`` env steps' worth of updates for peer i: trust values, then agent values.

        The original updates once per env step; the runner calls this once per
        ``train_every`` steps, before the learners' gradient steps, so every
        update sees the critic the original's would. All batches are scored in
        one call per critic and then applied in order.
        """
        cfg = self.config
        if cfg.use_trust:
            buffer = self.trusts[i].suggestions
            batches = [buffer.sample(cfg.batch_size, rng) for _ in range(n_updates)]
            batches = [b for b in batches if b is not None]
            if batches:
                targets = self._targets(peers[i], buffer, np.concatenate(batches))
                for b, idx in enumerate(batches):
                    chunk = targets[b * cfg.batch_size : (b + 1) * cfg.batch_size]
                    self.trusts[i].trust.update(buffer.followed[idx], chunk)
        if cfg.use_agent_values:
            self._learn_agent_values(peers, n_updates, rng)

    def _learn_agent_values(
        self, peers: list[Any], n_updates: int, rng: np.random.Generator
    ) -> None:
        """⌊batch_size / N⌋ samples per learner and update; none until every buffer holds more."""
        per_peer = self.config.batch_size // self.n_candidates
        drawn = []  # per learner: the indices of every update's batch
        for trust in self.trusts:
            batches = [trust.suggestions.sample(per_peer, rng) for _ in range(n_updates)]
            if any(b is None for b in batches):
                return
            drawn.append(batches)
        if per_peer == 0:
            return
        followed, targets = [], []
        for k, trust in enumerate(self.trusts):
            idx = np.concatenate(drawn[k])
            followed.append(trust.suggestions.followed[idx].reshape(n_updates, per_peer))
            targets.append(self._targets(peers[k], trust.suggestions, idx).reshape(n_updates, -1))
        followed_all, targets_all = np.hstack(followed), np.hstack(targets)
        for u in range(n_updates):
            self.agent_values.update(followed_all[u], targets_all[u])
