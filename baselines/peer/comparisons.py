"""Follow strategies of the paper's comparison methods (docs/baselines_peer.md).

In the original every method runs the same ``get_action`` with different flags,
so here too random advice and early advising are
:class:`~baselines.peer.trust.PeerTrustStrategy` with their rows' flags (see
:func:`follow_strategy`):

* random advice: no mechanism on, so the softmax over all candidates (self
  included) is uniform; each choice held ``follow_steps`` (10).
* early advising: ``only_follow_peers``, so a uniformly random *other* peer every
  step (``follow_steps`` 1) for the first ``max_peer_epochs`` epochs, then solo
  epochs (the runner's part).

:class:`OwnPolicy` is the single agent, the single agent with N× the samples and
shared replay: what differs between those is the group and the buffers, set up
in :mod:`baselines.peer.train`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from baselines.peer.trust import PeerTrustStrategy, TrustConfig

ADVISED_METHODS = ("peer", "random_advice", "early_advising")


class OwnPolicy:
    """Never follow advice."""

    needs_critic = False

    def choose(
        self,
        i: int,
        candidates: np.ndarray,
        critic_scores: Any,
        epoch: int,
        rng: np.random.Generator,
    ) -> int:
        return i

    def record(self, *args: Any) -> None:
        pass

    def learn(self, *args: Any) -> None:
        pass


def follow_strategy(
    method: str,
    n_peers: int,
    n_candidates: int,
    obs_shape: tuple[int, ...],
    trust: TrustConfig,
    gamma: float,
) -> PeerTrustStrategy | OwnPolicy:
    """The follow decision of ``method`` for a group of ``n_peers`` learners."""
    if method in ADVISED_METHODS and n_peers > 1:
        return PeerTrustStrategy(n_peers, n_candidates, obs_shape, trust, gamma)
    return OwnPolicy()
