"""The paper's network: conv encoder → FC 192 → LSTM 192 → policy, value and prediction heads.

Ndousse et al. (2021), appendix: conv 32/64/64 with 3×3 kernels, the first with
stride 3 (one output per 3-pixel tile, i.e. per grid cell), FC 192 with tanh,
an LSTM of 192 units, and 64-64 MLP heads for the policy and the value. The
auxiliary head predicts the *next* observation from the LSTM output and the
one-hot action by mirroring the encoder with transposed convolutions; the
paper's claim is that this model-based loss is what makes novices attend to
experts.

The LSTM is stepped one time step at a time (``nn.LSTMCell``) because episode
starts inside a 16-step training sequence must reset the state there, exactly
as collection did.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from baselines.social.config import NetworkConfig

LSTMState = tuple[torch.Tensor, torch.Tensor]


def _mlp(sizes: Sequence[int], out: int) -> nn.Sequential:
    layers: list[nn.Module] = []
    for a, b in itertools.pairwise(sizes):
        layers += [nn.Linear(a, b), nn.ReLU()]
    layers.append(nn.Linear(sizes[-1], out))
    return nn.Sequential(*layers)


class SocialNet(nn.Module):
    """Recurrent actor-critic with an optional next-observation prediction head.

    Observations are channel-last arrays (``H×W×C``, as the env emits them);
    ``obs_scale`` maps them to [0, 1] (255 for rgb, the largest code for
    symbolic observations), which is also the range the prediction head outputs.
    """

    def __init__(
        self,
        obs_shape: tuple[int, int, int],
        n_actions: int,
        config: NetworkConfig | None = None,
        obs_scale: float = 255.0,
    ) -> None:
        super().__init__()
        config = config or NetworkConfig()
        self.config = config
        self.obs_shape = tuple(int(s) for s in obs_shape)
        self.n_actions = int(n_actions)
        self.obs_scale = float(obs_scale)
        height, width, channels = self.obs_shape
        strides = [config.first_stride] + [1] * (len(config.conv_channels) - 1)
        convs: list[nn.Module] = []
        sizes = [(height, width)]
        in_ch = channels
        for out_ch, stride in zip(config.conv_channels, strides):
            convs += [nn.Conv2d(in_ch, out_ch, config.kernel_size, stride=stride), nn.ReLU()]
            h, w = sizes[-1]
            sizes.append(
                ((h - config.kernel_size) // stride + 1, (w - config.kernel_size) // stride + 1)
            )
            in_ch = out_ch
        if min(sizes[-1]) < 1:
            raise ValueError(
                f"observation shape {self.obs_shape} is too small for the conv stack "
                f"(channels {config.conv_channels}, first stride {config.first_stride}); "
                "use first_stride=1 for 7×7 symbolic views."
            )
        self.encoder = nn.Sequential(*convs, nn.Flatten())
        self._conv_out = (in_ch, *sizes[-1])
        flat = int(np.prod(self._conv_out))
        self.fc = nn.Sequential(nn.Linear(flat, config.fc_size), nn.Tanh())
        self.lstm = nn.LSTMCell(config.fc_size, config.lstm_size)
        self.policy_head = _mlp([config.lstm_size, *config.head_sizes], self.n_actions)
        self.value_head = _mlp([config.lstm_size, *config.head_sizes], 1)
        self.aux_head: nn.Module | None = None
        if config.aux_head:
            self.aux_head = _PredictionHead(
                config.lstm_size + self.n_actions, self._conv_out, sizes, config, channels
            )

    @property
    def device(self) -> torch.device:
        """Where the parameters live (``cpu`` or a GPU); inputs are moved there."""
        return self.fc[0].weight.device

    # --- encoding -------------------------------------------------------------------------
    def obs_to_tensor(self, obs: Any) -> torch.Tensor:
        """Channel-last array of any leading shape → float tensor in [0, 1]."""
        device = self.fc[0].weight.device
        return torch.as_tensor(np.asarray(obs), device=device).float() / self.obs_scale

    def encode(self, obs: Any) -> torch.Tensor:
        """(..., H, W, C) observations → (..., fc_size) features."""
        x = self.obs_to_tensor(obs)
        lead = x.shape[:-3]
        x = x.reshape(-1, *self.obs_shape).permute(0, 3, 1, 2)
        return self.fc(self.encoder(x)).reshape(*lead, -1)

    # --- recurrence -----------------------------------------------------------------------
    def initial_state(self, n: int) -> LSTMState:
        """Zero LSTM state for ``n`` streams (the state at every episode start)."""
        zeros = torch.zeros(n, self.config.lstm_size, device=self.fc[0].weight.device)
        return zeros, zeros.clone()

    def step(
        self, obs: Any, state: LSTMState, episode_start: Any | None = None
    ) -> tuple[torch.Tensor, LSTMState]:
        """One time step for a batch of streams: (B, H, W, C) → core (B, lstm), new state."""
        core, new_state = self.unroll(
            obs[:, None],
            state,
            None if episode_start is None else np.asarray(episode_start)[:, None],
        )
        return core[:, 0], new_state

    def unroll(
        self, obs: Any, state: LSTMState, episode_start: Any | None = None
    ) -> tuple[torch.Tensor, LSTMState]:
        """Run (N, L, H, W, C) sequences from ``state``; ``episode_start`` (N, L) zeroes it there.

        Returns the LSTM outputs (N, L, lstm_size) and the state after the last step.
        """
        features = self.encode(obs)
        n, length = features.shape[:2]
        keep = None
        if episode_start is not None:
            starts = torch.as_tensor(np.asarray(episode_start), device=features.device)
            keep = (~starts.bool()).float().unsqueeze(-1)
        h, c = state
        outputs = []
        for t in range(length):
            if keep is not None:
                h, c = h * keep[:, t], c * keep[:, t]
            h, c = self.lstm(features[:, t], (h, c))
            outputs.append(h)
        return torch.stack(outputs, dim=1), (h, c)

    # --- heads ----------------------------------------------------------------------------
    def logits(self, core: torch.Tensor) -> torch.Tensor:
        return self.policy_head(core)

    def value(self, core: torch.Tensor) -> torch.Tensor:
        return self.value_head(core).squeeze(-1)

    def predict_next_obs(self, core: torch.Tensor, act: torch.Tensor) -> torch.Tensor:
        """Predicted next observation, channel-last in [0, 1], from the core and the action."""
        if self.aux_head is None:
            raise RuntimeError("this SocialNet was built with aux_head=False (the vanilla learner)")
        one_hot = F.one_hot(act.long(), self.n_actions).float()
        lead = core.shape[:-1]
        x = torch.cat([core, one_hot], dim=-1).reshape(-1, core.shape[-1] + self.n_actions)
        return self.aux_head(x).reshape(*lead, *self.obs_shape)

    def aux_loss(self, core: torch.Tensor, act: torch.Tensor, obs_next: Any) -> torch.Tensor:
        """L1 distance between the predicted and the actual next observation (paper §4)."""
        return F.l1_loss(self.predict_next_obs(core, act), self.obs_to_tensor(obs_next))


class _PredictionHead(nn.Module):
    """FC to the encoder's last feature map, then transposed convs mirroring the encoder."""

    def __init__(
        self,
        in_size: int,
        conv_out: tuple[int, int, int],
        sizes: list[tuple[int, int]],
        config: NetworkConfig,
        out_channels: int,
    ) -> None:
        super().__init__()
        self.conv_out = conv_out
        self.fc = nn.Sequential(nn.Linear(in_size, int(np.prod(conv_out))), nn.ReLU())
        strides = [config.first_stride] + [1] * (len(config.conv_channels) - 1)
        channels = [out_channels, *config.conv_channels]
        layers: list[nn.Module] = []
        k = config.kernel_size
        for i in reversed(range(len(config.conv_channels))):
            (h_in, w_in), (h_out, w_out) = sizes[i + 1], sizes[i]
            pad = (h_out - ((h_in - 1) * strides[i] + k), w_out - ((w_in - 1) * strides[i] + k))
            layers.append(
                nn.ConvTranspose2d(
                    channels[i + 1], channels[i], k, stride=strides[i], output_padding=pad
                )
            )
            layers.append(nn.ReLU() if i > 0 else nn.Sigmoid())
        self.deconv = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        maps = self.fc(x).reshape(-1, *self.conv_out)
        return self.deconv(maps).permute(0, 2, 3, 1)


class RecurrentActor(nn.Module):
    """Tianshou actor view of :class:`SocialNet`: ``(obs, state) -> (logits, state)``.

    ``state`` is a dict (or Batch) with ``h`` and ``c``; None means episode start.
    """

    def __init__(self, net: SocialNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, obs: Any, state: Any = None, info: Any = None) -> tuple[torch.Tensor, dict]:
        n = len(obs)
        if state is None:
            h, c = self.net.initial_state(n)
        else:
            dev = self.net.device
            h = torch.as_tensor(state["h"], device=dev)
            c = torch.as_tensor(state["c"], device=dev)
        core, (h, c) = self.net.step(obs, (h, c))
        return self.net.logits(core), {"h": h, "c": c}


class RecurrentCritic(nn.Module):
    """Tianshou critic view of :class:`SocialNet` from a zero state.

    Recurrent PPO never calls it (values come from sequences with stored
    states); it exists because Tianshou's actor-critic algorithms own a critic.
    """

    def __init__(self, net: SocialNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, obs: Any, **kwargs: Any) -> torch.Tensor:
        core, _ = self.net.step(obs, self.net.initial_state(len(obs)))
        return self.net.value(core)[:, None]
