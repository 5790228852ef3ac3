"""What one collection round holds, stream-major, and its round trip through a Tianshou buffer.

A *stream* is one learner in one env copy; ``E`` streams advance together for
``T`` steps. Recurrent PPO needs, per step, the LSTM state the policy acted
from (``h0``/``c0``, already zeroed at episode starts), so sequences can be
re-run from stored states. Everything lives under the buffer's ``policy`` key,
the one Tianshou reserves for policy-side data.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from tianshou.data import Batch, VectorReplayBuffer


@dataclass
class Rollout:
    """Arrays of shape (E, T, ...): E streams, T steps each."""

    obs: np.ndarray
    act: np.ndarray
    rew: np.ndarray
    terminated: np.ndarray
    truncated: np.ndarray
    obs_next: np.ndarray
    h0: np.ndarray  # LSTM state the action was taken from
    c0: np.ndarray
    episode_start: np.ndarray  # True where obs is the first of an episode
    v_s: np.ndarray  # value of obs at collection
    v_next: np.ndarray  # value of obs_next (bootstrap; used where the stream cuts)
    logp: np.ndarray  # log-probability of act at collection
    expert_act: np.ndarray | None = None  # what a scripted expert does in the learner's place

    @property
    def n_streams(self) -> int:
        return int(self.obs.shape[0])

    @property
    def length(self) -> int:
        return int(self.obs.shape[1])

    @property
    def done(self) -> np.ndarray:
        return np.logical_or(self.terminated, self.truncated)

    def to_buffer(self) -> VectorReplayBuffer:
        """A Tianshou ``VectorReplayBuffer`` with one sub-buffer per stream, in time order."""
        n, length = self.n_streams, self.length
        buffer = VectorReplayBuffer(total_size=n * length, buffer_num=n)
        stream = np.arange(n)
        for t in range(length):
            policy = Batch(
                h0=self.h0[:, t],
                c0=self.c0[:, t],
                episode_start=self.episode_start[:, t],
                v_s=self.v_s[:, t],
                v_next=self.v_next[:, t],
                logp=self.logp[:, t],
                stream=stream,
                t=np.full(n, t),
            )
            if self.expert_act is not None:
                policy.expert_act = self.expert_act[:, t]
            buffer.add(
                Batch(
                    obs=self.obs[:, t],
                    act=self.act[:, t],
                    rew=self.rew[:, t],
                    terminated=self.terminated[:, t],
                    truncated=self.truncated[:, t],
                    obs_next=self.obs_next[:, t],
                    info=Batch(),
                    policy=policy,
                ),
                buffer_ids=stream,
            )
        return buffer

    @classmethod
    def from_batch(cls, batch: Batch) -> Rollout:
        """Rebuild (E, T) arrays from a batch sampled out of :meth:`to_buffer`'s buffer.

        Ordering is by the stored stream and step, not by buffer position, so it
        survives any sampling order.
        """
        stream = np.asarray(batch.policy.stream)
        step = np.asarray(batch.policy.t)
        n, length = int(stream.max()) + 1, int(step.max()) + 1
        if n * length != len(stream):
            raise ValueError(
                f"a recurrent PPO batch must hold whole streams: {len(stream)} transitions "
                f"for {n} streams of {length} steps."
            )
        order = np.lexsort((step, stream))

        def grid(x: np.ndarray) -> np.ndarray:
            x = np.asarray(x)[order]
            return x.reshape(n, length, *x.shape[1:])

        names = {f.name for f in fields(cls)}
        values = {
            "obs": grid(batch.obs),
            "act": grid(batch.act),
            "rew": grid(batch.rew),
            "terminated": grid(batch.terminated),
            "truncated": grid(batch.truncated),
            "obs_next": grid(batch.obs_next),
        }
        for key in names - set(values):
            if key in batch.policy.get_keys():
                values[key] = grid(batch.policy[key])
        return cls(**values)


def gae(
    rew: np.ndarray,
    v_s: np.ndarray,
    v_next: np.ndarray,
    terminated: np.ndarray,
    truncated: np.ndarray,
    gamma: float,
    gae_lambda: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Generalised advantage estimation on (E, T) arrays; returns (returns, advantages).

    ``v_next`` is the value of each step's ``obs_next``: at a termination it is
    ignored, at a truncation or the rollout's last step it bootstraps, as in
    Tianshou's ``compute_episodic_return``.
    """
    not_terminal = 1.0 - terminated.astype(np.float64)
    delta = rew + gamma * v_next * not_terminal - v_s
    carry = 1.0 - np.logical_or(terminated, truncated).astype(np.float64)
    adv = np.zeros_like(delta, dtype=np.float64)
    running = np.zeros(delta.shape[0])
    for t in reversed(range(delta.shape[1])):
        running = delta[:, t] + gamma * gae_lambda * carry[:, t] * running
        adv[:, t] = running
    return adv + v_s, adv
