"""Recurrent PPO with the auxiliary next-observation loss, as a Tianshou ``PPO`` subclass.

Stock PPO shuffles single transitions, which breaks an LSTM: a transition's
action depends on the memory that led to it. This subclass keeps Tianshou's
policy, optimiser wrapper, clipping and statistics, and overrides the two
batch hooks:

* ``_preprocess_batch`` turns the on-policy buffer back into E streams × T
  steps, computes GAE per stream from the values stored at collection, and
  keeps the behaviour policy's log-probabilities;
* ``_update_with_batch`` cuts every stream into ``seq_len``-step sequences
  (16 in the paper), re-runs each one from the LSTM state stored at its first
  step (resetting at episode starts inside it), and minimises the PPO loss plus
  ``aux_coef`` × the L1 next-observation loss of the prediction head — in the
  same backward pass, as in the paper.

Every ``state_refresh_interval`` minibatches the stored LSTM states, values and
advantages are recomputed with the current network (the paper refreshes every
2 minibatches), so that later sequences do not start from stale memories.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from tianshou.algorithm import PPO
from tianshou.algorithm.modelfree.a2c import A2CTrainingStats
from tianshou.algorithm.modelfree.reinforce import DiscreteActorPolicy
from tianshou.algorithm.optim import AdamOptimizerFactory
from tianshou.data import ReplayBuffer, SequenceSummaryStats

from baselines.social.config import PPOConfig
from baselines.social.networks import RecurrentActor, RecurrentCritic, SocialNet
from baselines.social.rollout_data import Rollout, gae


@dataclass(kw_only=True)
class RecurrentPPOTrainingStats(A2CTrainingStats):
    """Tianshou's A2C/PPO statistics plus the auxiliary prediction loss (0 when disabled)."""

    aux_loss: SequenceSummaryStats


class RecurrentPPO(PPO):
    """PPO on ``seq_len``-step sequences from stored LSTM states, with an auxiliary L1 loss.

    :param net: the shared :class:`SocialNet` (actor, critic and prediction head).
    :param aux_coef: weight of the next-observation L1 loss; ignored when the
        net has no prediction head (the "vanilla" learner).
    :param seq_len: length of the training sequences.
    :param state_refresh_interval: recompute stored LSTM states, values and
        advantages after this many minibatches (0 = never).
    Remaining keyword arguments go to Tianshou's ``PPO``. ``batch_size`` in
    :meth:`update` counts transitions, as in Tianshou; it is rounded down to
    whole sequences.
    """

    def __init__(
        self,
        *,
        policy: DiscreteActorPolicy,
        net: SocialNet,
        aux_coef: float = 1.0,
        seq_len: int = 16,
        state_refresh_interval: int = 2,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("return_scaling") or kwargs.get("recompute_advantage"):
            raise ValueError(
                "RecurrentPPO computes advantages per stream itself; "
                "return_scaling and recompute_advantage are not supported."
            )
        super().__init__(policy=policy, critic=RecurrentCritic(net), **kwargs)
        self.net = net
        self.aux_coef = float(aux_coef)
        self.seq_len = int(seq_len)
        self.state_refresh_interval = int(state_refresh_interval)
        self._rollout: Rollout | None = None
        self._adv: np.ndarray | None = None
        self._returns: np.ndarray | None = None

    @property
    def uses_aux_loss(self) -> bool:
        return self.net.aux_head is not None and self.aux_coef > 0

    # --- batch hooks --------------------------------------------------------------------
    def _preprocess_batch(  # type: ignore[override]
        self, batch: Any, buffer: ReplayBuffer, indices: np.ndarray
    ) -> Any:
        rollout = Rollout.from_batch(batch)
        if rollout.length % self.seq_len:
            raise ValueError(
                f"each stream holds {rollout.length} steps, not a multiple of "
                f"seq_len={self.seq_len}; collect rollout_len as a multiple of it."
            )
        self._rollout = rollout
        self._compute_advantages()
        return batch

    def _compute_advantages(self) -> None:
        r = self._rollout
        assert r is not None
        self._returns, self._adv = gae(
            r.rew, r.v_s, r.v_next, r.terminated, r.truncated, self.gamma, self.gae_lambda
        )

    @torch.no_grad()
    def refresh_states(self) -> None:
        """Re-run every stream with the current net; rewrite stored states, values, advantages.

        Log-probabilities of the behaviour policy are left alone: the PPO ratio
        is always taken against the policy that collected the data.
        """
        r = self._rollout
        assert r is not None
        length = r.length
        dev = self.net.device
        h = torch.as_tensor(r.h0[:, 0], device=dev)
        c = torch.as_tensor(r.c0[:, 0], device=dev)
        features = self.net.encode(r.obs)  # one batched conv pass; only the LSTM is sequential
        keep = torch.as_tensor(~r.episode_start, device=dev).float().unsqueeze(-1)
        cut = r.done.copy()
        cut[:, -1] = True  # the rollout's end bootstraps too
        cut_rows, cut_steps = np.nonzero(cut)
        cut_h, cut_c = [], []
        cores = []
        for t in range(length):
            h, c = h * keep[:, t], c * keep[:, t]
            r.h0[:, t], r.c0[:, t] = h.cpu().numpy(), c.cpu().numpy()
            h, c = self.net.lstm(features[:, t], (h, c))
            cores.append(h)
            rows = cut_rows[cut_steps == t]
            cut_h.append(h[rows])
            cut_c.append(c[rows])
        r.v_s[:] = self.net.value(torch.stack(cores, dim=1)).cpu().numpy()
        # v_next at cuts: the value of obs_next from the state after the step
        order = np.argsort(cut_steps, kind="stable")
        rows, steps = cut_rows[order], cut_steps[order]
        core_next, _ = self.net.step(r.obs_next[rows, steps], (torch.cat(cut_h), torch.cat(cut_c)))
        r.v_next[rows, steps] = self.net.value(core_next).cpu().numpy()
        r.v_next[:, :-1] = np.where(cut[:, :-1], r.v_next[:, :-1], r.v_s[:, 1:])
        self._compute_advantages()

    def _update_with_batch(  # type: ignore[override]
        self, batch: Any, batch_size: int | None, repeat: int
    ) -> RecurrentPPOTrainingStats:
        r = self._rollout
        assert r is not None and self._adv is not None and self._returns is not None
        n_chunks = r.length // self.seq_len
        n_seqs = r.n_streams * n_chunks
        per_minibatch = n_seqs if not batch_size else max(1, batch_size // self.seq_len)
        losses, clip_losses, vf_losses, ent_losses, aux_losses = [], [], [], [], []
        gradient_steps = 0
        for _ in range(repeat):
            order = torch.randperm(n_seqs, device="cpu").numpy()  # the host generator
            for start in range(0, n_seqs, per_minibatch):
                if (
                    self.state_refresh_interval
                    and gradient_steps
                    and gradient_steps % self.state_refresh_interval == 0
                ):
                    self.refresh_states()
                seq = order[start : start + per_minibatch]
                stats = self._sequence_loss(seq // n_chunks, (seq % n_chunks) * self.seq_len)
                self.optim.step(stats["loss"])
                gradient_steps += 1
                losses.append(stats["loss"].item())
                clip_losses.append(stats["clip"].item())
                vf_losses.append(stats["vf"].item())
                ent_losses.append(stats["ent"].item())
                aux_losses.append(stats["aux"].item())
        return RecurrentPPOTrainingStats(
            loss=SequenceSummaryStats.from_sequence(losses),
            actor_loss=SequenceSummaryStats.from_sequence(clip_losses),
            vf_loss=SequenceSummaryStats.from_sequence(vf_losses),
            ent_loss=SequenceSummaryStats.from_sequence(ent_losses),
            aux_loss=SequenceSummaryStats.from_sequence(aux_losses),
            gradient_steps=gradient_steps,
        )

    def _sequence_loss(self, streams: np.ndarray, starts: np.ndarray) -> dict[str, torch.Tensor]:
        """PPO + auxiliary loss on the sequences (stream, start step) → losses dict."""
        r = self._rollout
        assert r is not None and self._adv is not None and self._returns is not None
        steps = starts[:, None] + np.arange(self.seq_len)[None, :]
        rows = streams[:, None]
        dev = self.net.device

        def tensor(x: np.ndarray) -> torch.Tensor:
            return torch.as_tensor(x, device=dev)

        state = (tensor(r.h0[streams, starts]), tensor(r.c0[streams, starts]))
        core, _ = self.net.unroll(r.obs[rows, steps], state, r.episode_start[rows, steps])
        act = tensor(r.act[rows, steps]).long()
        logits = self.net.logits(core)
        dist = self.policy.dist_fn(logits.reshape(-1, logits.shape[-1]))
        logp_old = tensor(r.logp[rows, steps]).reshape(-1).float()
        adv = tensor(self._adv[rows, steps]).reshape(-1).float()
        returns = tensor(self._returns[rows, steps]).reshape(-1).float()
        v_old = tensor(r.v_s[rows, steps]).reshape(-1).float()
        if self.advantage_normalization:
            adv = (adv - adv.mean()) / (adv.std() + self._eps)
        ratio = (dist.log_prob(act.reshape(-1)) - logp_old).exp()
        surr1 = ratio * adv
        surr2 = ratio.clamp(1.0 - self.eps_clip, 1.0 + self.eps_clip) * adv
        if self.dual_clip:
            clip1 = torch.min(surr1, surr2)
            clip2 = torch.max(clip1, self.dual_clip * adv)
            clip_loss = -torch.where(adv < 0, clip2, clip1).mean()
        else:
            clip_loss = -torch.min(surr1, surr2).mean()
        value = self.net.value(core).reshape(-1)
        if self.value_clip:
            v_clip = v_old + (value - v_old).clamp(-self.eps_clip, self.eps_clip)
            vf_loss = torch.max((returns - value).pow(2), (returns - v_clip).pow(2)).mean()
        else:
            vf_loss = (returns - value).pow(2).mean()
        ent_loss = dist.entropy().mean()
        loss = clip_loss + self.vf_coef * vf_loss - self.ent_coef * ent_loss
        aux = torch.zeros((), device=dev)
        if self.uses_aux_loss:
            aux = self.net.aux_loss(core, act, r.obs_next[rows, steps])
            loss = loss + self.aux_coef * aux
        return {"loss": loss, "clip": clip_loss, "vf": vf_loss, "ent": ent_loss, "aux": aux}


def build_recurrent_ppo(
    obs_shape: tuple[int, int, int],
    n_actions: int,
    action_space: Any,
    net_config: Any = None,
    ppo: PPOConfig | None = None,
    obs_scale: float = 255.0,
) -> RecurrentPPO:
    """The social learner (or, with ``net_config.aux_head=False``, the vanilla one)."""
    net = SocialNet(obs_shape, n_actions, net_config, obs_scale=obs_scale)
    return recurrent_ppo_for(net, action_space, ppo)


def recurrent_ppo_for(
    net: SocialNet, action_space: Any, ppo: PPOConfig | None = None
) -> RecurrentPPO:
    """Recurrent PPO with ``ppo``'s settings around any :class:`SocialNet` (or subclass)."""
    ppo = ppo or PPOConfig()
    policy = DiscreteActorPolicy(actor=RecurrentActor(net), action_space=action_space)
    return RecurrentPPO(
        policy=policy,
        net=net,
        aux_coef=ppo.aux_coef,
        seq_len=ppo.seq_len,
        state_refresh_interval=ppo.state_refresh_interval,
        optim=AdamOptimizerFactory(lr=ppo.lr),
        eps_clip=ppo.eps_clip,
        vf_coef=ppo.vf_coef,
        ent_coef=ppo.ent_coef,
        max_grad_norm=ppo.max_grad_norm,
        gae_lambda=ppo.gae_lambda,
        gamma=ppo.gamma,
    )
