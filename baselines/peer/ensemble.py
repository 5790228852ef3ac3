"""N SAC peers updated as one ensemble: one batched update over stacked parameters.

Why: a peer group's N small updates (one per peer, each a few 150×200 matmuls)
are dominated by Python and kernel-launch overhead; stacking the peers'
parameters turns them into one batched update. The maths is the stock
:class:`tianshou.algorithm.SAC` update, peer by peer: the same losses, the same
Adam (elementwise, so one Adam over stacked tensors is N independent Adams),
the same order (critic 1, critic 2, actor, α, Polyak targets) and, when no
noise is passed, the same draws from torch's generator in the same order as N
sequential stock updates. ``tests/baselines/test_ensemble.py`` checks the
losses against N stock updates on the same batches.

Peers keep their own modules; :meth:`EnsembleSAC.write_back` copies the
trained parameters into them. Under any stepping the ensemble acts with each
peer's current parameters: a peer trained on its own (round robin trains one
peer at a time with its stock update) is copied into the stack before the next
batched forward. An ensemble update after such a stock update is refused: the
two would hold different Adam moments for that peer.

gSDE peers (:class:`~baselines.peer.gsde.GSDESACPolicy`) are supported: the
update draws one exploration matrix per peer and gradient step (as
:meth:`SACPeer.before_gradient_step <baselines.peer.learners.SACPeer.before_gradient_step>`
does), and acting uses each peer's own held matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from tianshou.algorithm.algorithm_base import OffPolicyAlgorithm, TrainingStats
from tianshou.algorithm.modelfree.sac import correct_log_prob_gaussian_tanh
from tianshou.data import Batch, to_numpy
from torch import nn

from baselines.peer.gsde import gsde_scale, squashed_gaussian_log_prob
from baselines.peer.learners import SACPeer
from baselines.peer.stacked_nets import Stacked


@dataclass(kw_only=True)
class EnsembleSACStats(TrainingStats):
    """Per-peer losses of one ensemble update (arrays of length N)."""

    critic1_loss: np.ndarray
    critic2_loss: np.ndarray
    actor_loss: np.ndarray
    alpha_loss: np.ndarray


class EnsembleSAC(OffPolicyAlgorithm):
    """The stock SAC update of N peers (same architecture) as one batched update."""

    def __init__(self, peers: list[SACPeer]) -> None:
        super().__init__(policy=peers[0].policy)
        self.peers = peers
        self.actor = Stacked([p.policy.actor for p in peers])  # refuses mixed kinds
        self.sde = self.actor.kind == "gsde"
        self.learn_features = self.sde and peers[0].policy.actor.learn_features
        self._updates_at_start = [p.updates for p in peers]  # stock updates before the stack
        self._synced = list(self._updates_at_start)  # stock updates already in the stacked actor
        algos = [p.algorithm for p in peers]
        self.n = len(peers)
        self.gamma = algos[0].gamma
        self.tau = algos[0].tau
        self.critic1 = Stacked([a.critic for a in algos])
        self.critic2 = Stacked([a.critic2 for a in algos])
        self.critic1_old = Stacked([a.critic_old for a in algos])
        self.critic2_old = Stacked([a.critic2_old for a in algos])
        self._held_matrix: tuple[torch.Tensor, torch.Tensor] | None = None
        self.log_alpha = nn.Parameter(torch.stack([a.alpha._log_alpha.detach() for a in algos]))
        self.target_entropy = torch.tensor(
            [a.alpha._target_entropy for a in algos], device=self.log_alpha.device
        )

        def adam_like(stock: torch.optim.Optimizer, params: Any) -> torch.optim.Adam:
            """The stock Adam's settings, ``fused``: one kernel per step for all of a net's
            stacked tensors rather than a dozen per tensor (a CPU's default is the
            per-tensor loop); the same update to float rounding."""
            group = stock.param_groups[0]
            return torch.optim.Adam(
                params, lr=group["lr"], betas=group["betas"], eps=group["eps"], fused=True
            )

        first = algos[0]
        self.actor_optim = adam_like(first.policy_optim._optim, self.actor.params)
        self.critic1_optim = adam_like(first.critic_optim._optim, self.critic1.params)
        self.critic2_optim = adam_like(first.critic2_optim._optim, self.critic2.params)
        self.alpha_optim = adam_like(first.alpha._optim, [self.log_alpha])

    @property
    def device(self) -> torch.device:
        """Where the stacked parameters live: the peers' device."""
        return self.log_alpha.device

    # ------------------------------------------------------------------ calls
    def _sample(self, mu: torch.Tensor, sigma: torch.Tensor, eps: torch.Tensor) -> tuple:
        """tanh-Gaussian action and its corrected log-prob, as SACPolicy.forward does."""
        raw = mu + eps * sigma
        log_prob = torch.distributions.Normal(mu, sigma).log_prob(raw).sum(-1, keepdim=True)
        squashed = torch.tanh(raw)
        return squashed, correct_log_prob_gaussian_tanh(log_prob, squashed)

    def _gsde_std(self, params: dict[str, torch.Tensor], act_dim: int) -> torch.Tensor:
        log_std = params["log_std"]  # (N, latent, action_dim or 1)
        return log_std.exp().expand(*log_std.shape[:2], act_dim)

    def _sample_gsde(
        self, mean: torch.Tensor, latent: torch.Tensor, std: torch.Tensor, matrix: torch.Tensor
    ) -> tuple:
        """gSDE action tanh(μ + z·W_k) and its log-prob, as GSDESACPolicy.forward, per peer k."""
        z = latent if self.learn_features else latent.detach()
        raw = mean + torch.bmm(z, matrix)
        scale = gsde_scale(z, std)  # batched over peers by matmul
        return torch.tanh(raw), squashed_gaussian_log_prob(mean, scale, raw)

    def draw_noise(
        self, batch_size: int, act_dim: int, members: int | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Noise in the order sequential stock updates draw it, for ``members`` peers (all).

        Gaussian actor: per peer, target then actor noise (B, act_dim). gSDE: per
        peer, one ε of the exploration matrix (latent, act_dim), used by both.
        A seed batch draws each seed's share from that seed's generator and
        concatenates the shares.
        """
        dev = self.device
        count = self.n if members is None else members
        if self.sde:
            latent = self.actor.as_dict()["log_std"].shape[1]
            eps = torch.stack(
                [torch.empty(latent, act_dim, device=dev).normal_() for _ in range(count)]
            )
            return eps, eps
        target, actor = [], []
        for _ in range(count):
            target.append(torch.empty(batch_size, act_dim, device=dev).normal_())
            actor.append(torch.empty(batch_size, act_dim, device=dev).normal_())
        return torch.stack(target), torch.stack(actor)

    def _policy_sample(
        self, params: dict[str, torch.Tensor], obs: torch.Tensor, noise: torch.Tensor
    ) -> tuple:
        """Every peer's sampled action and log-prob for its (B, obs) batch."""
        first, second = self.actor.actor(params, obs)
        if not self.sde:
            return self._sample(first, second, noise)
        std = self._gsde_std(params, first.shape[-1])
        return self._sample_gsde(first, second, std, noise * std)

    # ------------------------------------------------------------------ update
    def _update_with_batch(  # type: ignore[override]
        self, batch: Batch, noise: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> EnsembleSACStats:
        """One SAC step per peer; ``batch`` fields are stacked (N, B, ...)."""
        f32, f64, dev = torch.float32, torch.float64, self.device
        obs = torch.as_tensor(batch.obs, dtype=f32, device=dev)
        act = torch.as_tensor(batch.act, dtype=f32, device=dev)
        obs_next = torch.as_tensor(batch.obs_next, dtype=f32, device=dev)
        rew = torch.as_tensor(batch.rew, dtype=f64, device=dev)
        not_done = 1.0 - torch.as_tensor(batch.terminated, dtype=f64, device=dev)
        eps_target, eps_actor = noise or self.draw_noise(obs.shape[1], act.shape[-1])
        alpha = self.log_alpha.detach().exp()[:, None]  # (N, 1)
        if self.sde:  # the matrix a stock step leaves each peer holding: ε and σ as drawn
            std = self._gsde_std(self.actor.as_dict(detach=True), act.shape[-1])
            self._held_matrix = (eps_actor, std)

        with torch.no_grad():
            next_act, next_logp = self._policy_sample(self.actor.as_dict(), obs_next, eps_target)
            target_q = torch.min(
                self.critic1_old.critic(self.critic1_old.as_dict(), obs_next, next_act),
                self.critic2_old.critic(self.critic2_old.as_dict(), obs_next, next_act),
            ) - alpha * next_logp.squeeze(-1)
            returns = (rew + self.gamma * not_done * target_q.double()).to(f32)

        losses = {}
        for name, stacked, optim in (
            ("critic1_loss", self.critic1, self.critic1_optim),
            ("critic2_loss", self.critic2, self.critic2_optim),
        ):
            per_peer = (stacked.critic(stacked.as_dict(), obs, act) - returns).pow(2).mean(1)
            optim.zero_grad()
            per_peer.sum().backward()
            optim.step()
            losses[name] = to_numpy(per_peer)

        new_act, logp = self._policy_sample(self.actor.as_dict(), obs, eps_actor)
        q = torch.min(
            self.critic1.critic(self.critic1.as_dict(detach=True), obs, new_act),
            self.critic2.critic(self.critic2.as_dict(detach=True), obs, new_act),
        )
        actor_loss = (alpha * logp.squeeze(-1) - q).mean(1)
        self.actor_optim.zero_grad()
        actor_loss.sum().backward()
        self.actor_optim.step()

        entropy = -logp.detach().squeeze(-1)
        alpha_loss = -(self.log_alpha[:, None] * (self.target_entropy[:, None] - entropy)).mean(1)
        self.alpha_optim.zero_grad()
        alpha_loss.sum().backward()
        self.alpha_optim.step()

        with torch.no_grad():  # Polyak targets: the stock t·(1 − τ) + τ·s, one kernel per op
            targets = [*self.critic1_old.params, *self.critic2_old.params]
            torch._foreach_mul_(targets, 1 - self.tau)
            torch._foreach_add_(
                targets, [*self.critic1.params, *self.critic2.params], alpha=self.tau
            )
        return EnsembleSACStats(
            actor_loss=to_numpy(actor_loss),
            alpha_loss=to_numpy(alpha_loss),
            **losses,
        )

    def _sync_actors(self) -> None:
        """Copy in the actors of peers trained on their own since the last look."""
        for k, peer in enumerate(self.peers):
            if peer.updates != self._synced[k]:
                self.actor.read_in(k, peer.policy.actor)
                self._synced[k] = peer.updates

    def update_peers(self, batch_size: int, gradient_steps: int = 1) -> EnsembleSACStats:
        """``gradient_steps`` ensemble updates on batches from each peer's *own* buffer."""
        trained_alone = [
            k for k, p in enumerate(self.peers) if p.updates != self._updates_at_start[k]
        ]
        if trained_alone:
            raise RuntimeError(
                f"Peers {trained_alone} took stock updates outside the ensemble; a batched "
                "update now would train stale critics with other Adam moments. Update a "
                "group either always through the ensemble (lockstep) or never."
            )
        stats = None
        for _ in range(gradient_steps):
            stats = self._update_with_batch(stacked_samples(self.peers, batch_size))
        self.write_back()
        return stats

    def write_back(self) -> None:
        """Copy the ensemble's parameters into each peer's own modules (for acting)."""
        algos = [p.algorithm for p in self.peers]
        self.actor.write_back([p.policy.actor for p in self.peers])
        self.critic1.write_back([a.critic for a in algos])
        self.critic2.write_back([a.critic2 for a in algos])
        self.critic1_old.write_back([a.critic_old for a in algos])
        self.critic2_old.write_back([a.critic2_old for a in algos])
        with torch.no_grad():
            for k, a in enumerate(algos):
                a.alpha._log_alpha.copy_(self.log_alpha[k])
            held = getattr(self, "_held_matrix", None)
            if held is not None:  # until a peer's next draw, it acts with its last step's matrix
                for k, peer in enumerate(self.peers):
                    peer.policy.actor.exploration_eps.copy_(held[0][k])
                    peer.policy.actor.exploration_std.copy_(held[1][k])
                self._held_matrix = None

    @torch.no_grad()
    def act(self, obs: np.ndarray, explore: bool) -> np.ndarray:
        """Every peer's action for its row of ``obs`` (N, *obs_shape) in one batched forward.

        The same action each peer's own ``act`` returns: sampled when exploring
        (tanh-Gaussian, or with gSDE the peer's held exploration matrix), the
        mean action otherwise; in the env's action space.
        """
        self._sync_actors()
        state = torch.as_tensor(obs, dtype=torch.float32, device=self.device)[:, None]
        params = self.actor.as_dict(detach=True)
        first, second = self.actor.actor(params, state)
        if not explore:
            raw = first
        elif self.sde:
            matrix = torch.stack([p.policy.actor.exploration_matrix() for p in self.peers])
            z = second if self.learn_features else second.detach()
            raw = first + torch.bmm(z, matrix)
        else:
            raw = first + torch.randn_like(first) * second
        return env_actions(self.policy, raw[:, 0])


def env_actions(policy: Any, raw: torch.Tensor) -> np.ndarray:
    """Pre-squash actions (..., act_dim) to the env's space: tanh, then the policy's scaling."""
    squashed = to_numpy(torch.tanh(raw))
    flat = policy.map_action(squashed.reshape(-1, squashed.shape[-1]))
    return np.asarray(flat).reshape(squashed.shape)


class StackedGreedyActors:
    """The greedy actions of N SAC peers in one batched forward, for evaluation.

    Why: an evaluation steps every episode of every peer (and, in a seed batch,
    every seed) as one vector; one forward over the stacked actors replaces one
    call per peer and step. The actors are copied once, when this is built, so
    build it when the evaluation starts. The action is each peer's own greedy
    one (the squashed mean, in the env's space), as ``SACPeer.act(obs,
    explore=False)`` returns it.
    """

    def __init__(self, peers: list[SACPeer]) -> None:
        self.actors = Stacked([p.policy.actor for p in peers])
        self.policy = peers[0].policy

    @torch.no_grad()
    def __call__(self, obs: np.ndarray) -> np.ndarray:
        """(N, B, *obs_shape) observations, row k for peer k, to (N, B, *action_shape) actions."""
        params = self.actors.as_dict(detach=True)
        device = params[self.actors.names[0]].device
        state = torch.as_tensor(obs, dtype=torch.float32, device=device)
        mean, _ = self.actors.actor(params, state)
        return env_actions(self.policy, mean)


def stacked_samples(peers: list[SACPeer], batch_size: int) -> Batch:
    """One replay batch from each peer's own buffer, stacked (N, B, ...), in peer order."""
    samples = [p.buffer.sample(batch_size)[0] for p in peers]
    return Batch(
        **{
            key: np.stack([np.asarray(s[key]) for s in samples])
            for key in ("obs", "act", "rew", "terminated", "obs_next")
        }
    )
