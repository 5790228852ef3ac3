"""Generalised state-dependent exploration (gSDE) for Tianshou SAC, as in Stable-Baselines3 1.5.

Raffin et al., "Smooth Exploration for Robotic Reinforcement Learning" (CoRL 2022).
The original peer-learning runs train SAC with ``use_sde=True`` and
``log_std_init=-3`` (kramerlab/PeerLearning ``run_peer.py``), every other gSDE
setting at SB3 1.5's default. Tianshou has no gSDE; this module is its policy
side, in SB3's terms:

* latent features z(s): the actor's last hidden layer (ReLU MLP); the noise and
  the variance backpropagate into them (``learn_features``: SB3 1.5's SAC actor
  sets it True), or not;
* mean μ(s): a linear head, clipped to [−2, 2] (SB3 SAC's ``clip_mean``);
* std σ = exp(log_std), a (latent × action) parameter (``full_std``; otherwise one
  column broadcast over actions), initialised to ``log_std_init``;
* exploration matrix W = σ ⊙ ε, ε ~ N(0, 1) elementwise, drawn by
  :meth:`GSDEActor.reset_noise` and held until the next draw, so that the
  exploration noise z(s)·W is a smooth function of the state;
* action tanh(μ + z·W), whose Gaussian part has, per action dimension j, the
  variance Σ_i z_i² σ_ij² (+1e-6, SB3's epsilon): the log-probability is that
  Gaussian's, summed over dimensions, minus Σ_j log(1 − tanh(x_j)² + 1e-6).

When W is drawn is the learner's business (SB3: at every gradient step, at every
rollout start, and every ``sde_sample_freq`` steps within a rollout when > 0);
:class:`baselines.peer.learners.SACPeer` follows that schedule.
"""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np
import torch
from tianshou.algorithm.modelfree.sac import SACPolicy
from tianshou.data import Batch
from tianshou.data.types import DistLogProbBatchProtocol, ObsBatchProtocol
from tianshou.utils.net.common import ModuleWithVectorOutput
from torch import nn
from torch.distributions import Independent, Normal

#: SB3 1.5 ``StateDependentNoiseDistribution(epsilon=1e-6)``: added to the variance
#: and, in ``TanhBijector``, inside the log of the tanh correction.
SB3_EPSILON = 1e-6
#: SB3 1.5 SAC ``Actor(clip_mean=2.0)``: the mean is Hardtanh-clipped to ±2.
SB3_CLIP_MEAN = 2.0
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def gsde_scale(latent: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    """sqrt(z² · σ² + ε): the per-dimension std of μ + z·W for W = σ ⊙ N(0, 1)."""
    return torch.sqrt(latent.pow(2) @ std.pow(2) + SB3_EPSILON)


def squashed_gaussian_log_prob(
    mean: torch.Tensor, scale: torch.Tensor, gaussian_action: torch.Tensor
) -> torch.Tensor:
    """log N(x; μ, s) summed over action dims, minus SB3's tanh correction; shape (B, 1).

    Evaluated at the pre-tanh action x itself, where SB3 recovers x as
    atanh(tanh(x)) (clipped): equal, except that ours stays exact when tanh saturates.
    """
    # log N(x; μ, s) written out: torch.distributions.Normal validates its arguments,
    # which costs more than the arithmetic at these sizes.
    gaussian = -0.5 * ((gaussian_action - mean) / scale).pow(2) - scale.log() - _HALF_LOG_2PI
    correction = torch.log(1.0 - torch.tanh(gaussian_action).pow(2) + SB3_EPSILON)
    return (gaussian - correction).sum(-1, keepdim=True)


class GSDEActor(nn.Module):
    """A Tianshou actor for :class:`GSDESACPolicy`: obs -> ((μ(s), z(s)), state).

    Args:
        preprocess_net: the latent feature net (a Tianshou ``Net`` without action
            head: its last hidden layer, after ReLU, is z(s)).
        action_dim: number of action dimensions.
        log_std_init: initial log σ (the original runs: −3).
        full_std: one σ per (feature, action) pair, as SB3's default; else one per feature.
        learn_features: let the noise and the variance backpropagate into z(s)
            (SB3 1.5's SAC actor: True).
    """

    def __init__(
        self,
        *,
        preprocess_net: ModuleWithVectorOutput,
        action_dim: int,
        log_std_init: float = -3.0,
        full_std: bool = True,
        learn_features: bool = True,
    ) -> None:
        super().__init__()
        self.preprocess = preprocess_net
        self.latent_dim = preprocess_net.get_output_dim()
        self.action_dim = action_dim
        self.learn_features = learn_features
        self.mu = nn.Linear(self.latent_dim, action_dim)
        columns = action_dim if full_std else 1
        self.log_std = nn.Parameter(torch.full((self.latent_dim, columns), float(log_std_init)))
        # ε of the current W, and σ when it was drawn (SB3 keeps W = σ_then ⊙ ε):
        self.register_buffer("exploration_eps", torch.zeros(self.latent_dim, action_dim))
        self.register_buffer("exploration_std", torch.zeros(self.latent_dim, action_dim))
        self.reset_noise()

    def get_preprocess_net(self) -> ModuleWithVectorOutput:
        return self.preprocess

    def forward(
        self,
        obs: Any,
        state: Any = None,
        info: dict[str, Any] | None = None,
    ) -> tuple[tuple[torch.Tensor, torch.Tensor], Any]:
        latent, hidden = self.preprocess(obs, state)
        mean = torch.clamp(self.mu(latent), -SB3_CLIP_MEAN, SB3_CLIP_MEAN)  # SB3's Hardtanh
        return (mean, latent), hidden

    def std(self) -> torch.Tensor:
        """σ = exp(log_std), shape (latent_dim, action_dim)."""
        return self.log_std.exp().expand(self.latent_dim, self.action_dim)

    @torch.no_grad()
    def reset_noise(self) -> None:
        """Draw a new exploration matrix W = σ ⊙ ε from torch's global generator."""
        self.exploration_eps.normal_()
        self.exploration_std.copy_(self.std())

    def exploration_matrix(self, std: torch.Tensor | None = None) -> torch.Tensor:
        """W with SB3's values (σ as drawn) and SB3's gradient (dW/dlog σ = W).

        The learner redraws W right before every gradient step, so in an update
        σ as drawn equals the current σ and the gradient is that of SB3's
        reparameterised sample. ``std``: σ, when the caller has it already.
        """
        std = self.std() if std is None else std
        return self.exploration_eps * (self.exploration_std + std - std.detach())

    def features(self, latent: torch.Tensor) -> torch.Tensor:
        """z(s) as the noise and the variance see it (detached unless ``learn_features``)."""
        return latent if self.learn_features else latent.detach()

    def noise(self, latent: torch.Tensor) -> torch.Tensor:
        """z(s) · W: the state-dependent exploration noise, shape (B, action_dim)."""
        return self.features(latent) @ self.exploration_matrix()

    def scale(self, latent: torch.Tensor) -> torch.Tensor:
        """Per-dimension std of the Gaussian action given z(s)."""
        return gsde_scale(self.features(latent), self.std())


class GSDESACPolicy(SACPolicy):
    """Tianshou's ``SACPolicy`` with gSDE: the noise is z(s)·W, not fresh per-sample noise.

    A drop-in for :class:`tianshou.algorithm.SAC`: ``forward`` returns the
    squashed action and its log-probability as ``SACPolicy`` does, so the stock
    SAC update trains μ, the features and log σ unchanged.
    """

    def __init__(self, *, actor: GSDEActor, **kwargs: Any) -> None:
        super().__init__(actor=actor, **kwargs)

    def forward(  # type: ignore[override]
        self,
        batch: ObsBatchProtocol,
        state: dict | Batch | np.ndarray | None = None,
        **kwargs: Any,
    ) -> DistLogProbBatchProtocol:
        actor = cast(GSDEActor, self.actor)
        (mean, latent), hidden = actor(batch.obs, state=state, info=batch.info)
        z, std = actor.features(latent), actor.std()
        scale = gsde_scale(z, std)
        gaussian_action = self._gaussian_action(mean, z, std)
        result = Batch(
            logits=(mean, scale),
            act=torch.tanh(gaussian_action),
            state=hidden,
            dist=Independent(Normal(mean, scale, validate_args=False), 1),
            log_prob=squashed_gaussian_log_prob(mean, scale, gaussian_action),
        )
        return cast(DistLogProbBatchProtocol, result)

    def _gaussian_action(
        self, mean: torch.Tensor, z: torch.Tensor, std: torch.Tensor | None = None
    ) -> torch.Tensor:
        """μ outside a training step when ``deterministic_eval``, else μ + z·W."""
        if self.deterministic_eval and not self.is_within_training_step:
            return mean
        return mean + z @ cast(GSDEActor, self.actor).exploration_matrix(std)

    @torch.no_grad()
    def act(self, obs: np.ndarray) -> torch.Tensor:
        """``forward``'s action, tanh-squashed, without its distribution and log-probability.

        Why: a peer acts and advises several times per env step, one state at a
        time, and the distribution, the log-probability and the result ``Batch``
        cost more than the nets there. The action is the same to the bit
        (``tests/baselines/test_gsde.py``).
        """
        actor = cast(GSDEActor, self.actor)
        (mean, latent), _ = actor(obs)
        return torch.tanh(self._gaussian_action(mean, actor.features(latent)))
