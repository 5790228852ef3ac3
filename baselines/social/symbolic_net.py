"""The fast social learner's network: embedded symbolic codes → small conv → LSTM → heads.

The paper's network reads 21×21 rgb views through 32/64/64 convolutions and
predicts the next rgb view with transposed convolutions: on a CPU that costs
more than the world it learns in. The symbolic view says the same thing in
7×7 cells of (type, colour, state) codes, so this network embeds each code
(one learned vector per code value and channel), runs two small 3×3
convolutions, an FC layer and an LSTM, and predicts the *next* view as a
per-cell classification of each code — the auxiliary loss is a cross entropy
per cell and channel instead of the paper's L1 on pixels. The recurrence,
policy and value heads are :class:`~baselines.social.networks.SocialNet`'s,
so :class:`~baselines.social.recurrent_ppo.RecurrentPPO` trains it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from baselines.social.networks import SocialNet, _mlp
from peerzoo.social.core.codes import CODE_HIGH

# Number of values of each code channel (type, colour, state).
CODE_CLASSES = tuple(int(h) + 1 for h in CODE_HIGH)


@dataclass(frozen=True)
class SymbolicNetConfig:
    """Sizes of the fast learner's network (not from the paper: chosen for CPU speed)."""

    embed_dim: int = 4  # per code channel; a cell is 3 × embed_dim features
    conv_channels: tuple[int, ...] = (16, 16)  # 3×3, stride 1, no padding: 7×7 → 5×5 → 3×3
    fc_size: int = 64
    lstm_size: int = 64
    head_sizes: tuple[int, ...] = (64,)
    aux_hidden: tuple[int, ...] = ()  # hidden layers of the next-view head (none: linear)
    aux_head: bool = True  # False gives the "vanilla" comparison learner
    # Start the next-view head's biases at the log frequency of each code in each cell
    # (measured by the trainer on views of random play), so that the head need not
    # learn those frequencies through the shared trunk (see set_prediction_prior).
    prediction_prior: bool = True


class SymbolicNet(SocialNet):
    """Recurrent actor-critic on (H, W, 3) symbolic codes with a next-view classifier head.

    It inherits :class:`SocialNet`'s recurrence (``step``, ``unroll``,
    ``initial_state``) and heads (``logits``, ``value``); it builds its own
    encoder and prediction head, hence ``nn.Module.__init__`` rather than
    ``SocialNet.__init__`` (whose conv stack is the rgb one).
    """

    def __init__(
        self,
        obs_shape: tuple[int, int, int],
        n_actions: int,
        config: SymbolicNetConfig | None = None,
    ) -> None:
        nn.Module.__init__(self)
        config = config or SymbolicNetConfig()
        self.config = config
        self.obs_shape = tuple(int(s) for s in obs_shape)
        height, width, channels = self.obs_shape
        if channels != len(CODE_CLASSES):
            raise ValueError(
                f"SymbolicNet reads (H, W, {len(CODE_CLASSES)}) symbolic codes; "
                f"got observations of shape {self.obs_shape} (use obs_mode='symbolic')."
            )
        self.n_actions = int(n_actions)
        self.obs_scale = 1.0  # codes are integers, not intensities
        self.register_buffer(
            "code_offsets", torch.tensor(np.cumsum((0, *CODE_CLASSES[:-1])), dtype=torch.long)
        )
        self.embed = nn.Embedding(sum(CODE_CLASSES), config.embed_dim)
        convs: list[nn.Module] = []
        in_ch, h, w = channels * config.embed_dim, height, width
        for layer, out_ch in enumerate(config.conv_channels):
            # The last conv's output is bounded, as the author's encoder bounds its own
            # (kamarl: tanh after the convs): unbounded ReLU features let the FC tanh
            # saturate, after which the policy is the same in every state.
            last = layer == len(config.conv_channels) - 1
            convs += [nn.Conv2d(in_ch, out_ch, 3), nn.Tanh() if last else nn.ReLU()]
            in_ch, h, w = out_ch, h - 2, w - 2
        if min(h, w) < 1:
            raise ValueError(
                f"view {height}×{width} is too small for {len(config.conv_channels)} 3×3 convs."
            )
        self.encoder = nn.Sequential(*convs, nn.Flatten())
        self.fc = nn.Sequential(nn.Linear(in_ch * h * w, config.fc_size), nn.Tanh())
        self.lstm = nn.LSTMCell(config.fc_size, config.lstm_size)
        self.policy_head = _mlp([config.lstm_size, *config.head_sizes], self.n_actions)
        self.value_head = _mlp([config.lstm_size, *config.head_sizes], 1)
        self.aux_head: nn.Module | None = None
        if config.aux_head:
            self.aux_head = _mlp(
                [config.lstm_size + self.n_actions, *config.aux_hidden],
                height * width * sum(CODE_CLASSES),
            )

    # --- encoding -------------------------------------------------------------------------
    def codes_to_tensor(self, obs: Any) -> torch.Tensor:
        """Integer codes of any leading shape → a long tensor on the net's device."""
        return torch.as_tensor(np.asarray(obs), device=self.code_offsets.device).long()

    def encode(self, obs: Any) -> torch.Tensor:
        """(..., H, W, 3) codes → (..., fc_size) features."""
        codes = self.codes_to_tensor(obs)
        lead = codes.shape[:-3]
        x = self.embed(codes.reshape(-1, *self.obs_shape) + self.code_offsets)  # N,H,W,3,E
        x = x.flatten(3).permute(0, 3, 1, 2)  # N, 3E, H, W
        return self.fc(self.encoder(x)).reshape(*lead, -1)

    # --- auxiliary prediction -------------------------------------------------------------
    def set_prediction_prior(self, views: np.ndarray, floor: float = 1e-3) -> None:
        """Set the next-view head's output biases to log P(code | cell, channel) in ``views``.

        Why: the head starts far from the codes' frequencies (2.2 nats of cross
        entropy against 0.5 once they are known), its biases move by at most the
        step size per update, and the trainer takes few updates; what moves faster
        is the shared trunk, every parameter of which Adam pushes by the step
        size towards one constant, saturated output that serves the frequencies
        in every state. The policy then no longer sees anything (I(history;
        action) ≈ 0, :mod:`baselines.social.diagnostics`). Starting at the
        frequencies leaves the trunk only the state-dependent part to learn.
        """
        if self.aux_head is None:
            raise RuntimeError("this SymbolicNet has no prediction head (aux_head=False)")
        codes = np.asarray(views).reshape(-1, *self.obs_shape)
        if len(codes) == 0:
            raise ValueError("set_prediction_prior needs at least one view.")
        per_channel = []
        for channel, classes in enumerate(CODE_CLASSES):
            counts = np.stack(
                [(codes[..., channel] == k).mean(axis=0) for k in range(classes)], axis=-1
            )
            per_channel.append(np.log(counts + floor))
        bias = np.concatenate(per_channel, axis=-1).reshape(-1)  # cell-major, as the head
        last = self.aux_head[-1]
        with torch.no_grad():
            last.bias.copy_(torch.as_tensor(bias, dtype=last.bias.dtype))

    def next_view_logits(self, core: torch.Tensor, act: torch.Tensor) -> list[torch.Tensor]:
        """Per channel, logits (..., H, W, classes) of the next view's codes."""
        if self.aux_head is None:
            raise RuntimeError("this SymbolicNet was built with aux_head=False (vanilla)")
        one_hot = F.one_hot(act.long(), self.n_actions).float()
        height, width, _ = self.obs_shape
        out = self.aux_head(torch.cat([core, one_hot], dim=-1))
        out = out.reshape(*core.shape[:-1], height, width, sum(CODE_CLASSES))
        return list(torch.split(out, CODE_CLASSES, dim=-1))

    def predict_next_obs(self, core: torch.Tensor, act: torch.Tensor) -> torch.Tensor:
        """The most likely next view, as (..., H, W, 3) codes."""
        return torch.stack([x.argmax(-1) for x in self.next_view_logits(core, act)], dim=-1)

    def aux_loss(self, core: torch.Tensor, act: torch.Tensor, obs_next: Any) -> torch.Tensor:
        """Cross entropy of the next view's codes, averaged over cells and code channels."""
        target = self.codes_to_tensor(obs_next)
        losses = []
        for ch, logits in enumerate(self.next_view_logits(core, act)):
            # log-sum-exp minus the true code's logit: F.cross_entropy's value, about 3x
            # faster on CPU for millions of rows of a few classes
            picked = logits.gather(-1, target[..., ch, None]).squeeze(-1)
            losses.append((torch.logsumexp(logits, -1) - picked).mean())
        return torch.stack(losses).mean()
