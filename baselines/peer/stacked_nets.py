"""N peers' SAC nets as stacked parameters, and their forward passes as batched matmuls.

Why: a peer group's nets are small ReLU MLPs (the paper's [150, 200]), so N of
them called one by one, or through ``torch.func.vmap`` over ``functional_call``,
spend their time in per-call overhead and in unfused bias adds. Written out over
stacked weights, each layer of all N nets is one ``baddbmm`` (matmul and bias
in one kernel) and an in-place ReLU; the results equal the modules' own
forwards (``tests/baselines/test_stacked_nets.py``).

The forwards below are those of the modules :class:`~baselines.peer.learners.SACPeer`
builds: a Tianshou ``Net`` (Linear and ReLU layers) under a
:class:`~baselines.peer.gsde.GSDEActor`, a ``ContinuousActorProbabilistic``
(unbounded μ, state-conditioned σ) or a ``ContinuousCritic``. :class:`Stacked`
checks that structure when it is built and refuses anything else, so a changed
architecture fails loudly instead of being computed wrong.
"""

from __future__ import annotations

import torch
from tianshou.utils.lagged_network import EvalModeModuleWrapper
from tianshou.utils.net.common import MLP, Net
from tianshou.utils.net.continuous import (
    SIGMA_MAX,
    SIGMA_MIN,
    ContinuousActorProbabilistic,
    ContinuousCritic,
)
from torch import nn
from torch.func import stack_module_state

from baselines.peer.gsde import SB3_CLIP_MEAN, GSDEActor

Params = dict[str, torch.Tensor]


class Stacked(nn.Module):
    """One module's parameters stacked over peers (leading dim N), and its forward.

    ``params`` hold the stacked tensors (what an optimizer trains), ``names``
    their module names; ``hidden`` names the hidden Linear layers in forward
    order, and ``kind`` says which forward the module has.
    """

    def __init__(self, modules: list[nn.Module]) -> None:
        super().__init__()
        kinds = sorted({type(m).__name__ for m in modules})
        if len(kinds) > 1:
            raise ValueError(f"Stacked needs modules of one kind (all gSDE or none), not {kinds}.")
        params, _ = stack_module_state(modules)
        self.names = list(params)
        self.params = nn.ParameterList(
            [nn.Parameter(params[n].detach().clone()) for n in self.names]
        )
        first = modules[0]
        # Tianshou's target critics are wrapped (EvalModeModuleWrapper); names gain "module."
        self.prefix = "module." if isinstance(first, EvalModeModuleWrapper) else ""
        first = first.module if self.prefix else first
        self.kind = _kind(first)
        self.hidden = _relu_layers(first.preprocess)

    def as_dict(self, detach: bool = False) -> Params:
        return {n: (p.detach() if detach else p) for n, p in zip(self.names, self.params)}

    def write_back(self, modules: list[nn.Module]) -> None:
        """Copy slice k of every stacked tensor into ``modules[k]``: one multi-tensor copy."""
        own = [dict(m.named_parameters()) for m in modules]
        targets = [own[k][name] for name in self.names for k in range(len(modules))]
        sources = [row for p in self.params for row in p.detach().unbind(0)]
        with torch.no_grad():
            torch._foreach_copy_(targets, sources)

    def read_in(self, k: int, module: nn.Module) -> None:
        """Copy ``module``'s parameters into slice ``k`` of the stack."""
        with torch.no_grad():
            own = dict(module.named_parameters())
            for name, stacked in zip(self.names, self.params):
                stacked[k].copy_(own[name])

    def features(self, params: Params, x: torch.Tensor) -> torch.Tensor:
        """The ``Net``'s output (its last hidden layer, after ReLU) for (N, B, in) inputs."""
        for layer in self.hidden:
            x = torch.relu_(self.linear(params, layer, x))
        return x

    def actor(self, params: Params, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Every member's actor outputs for its (B, obs) rows.

        (μ, σ) for a ``ContinuousActorProbabilistic``, (clipped mean, latent
        features) for a :class:`~baselines.peer.gsde.GSDEActor`: what each
        module's own ``forward`` returns as its first element.
        """
        z = self.features(params, obs)
        if self.kind == "gsde":
            mean = self.linear(params, "mu", z)
            return torch.clamp(mean, -SB3_CLIP_MEAN, SB3_CLIP_MEAN), z
        mu = self.linear(params, "mu.model.0", z)
        log_sigma = self.linear(params, "sigma.model.0", z)
        return mu, torch.clamp(log_sigma, min=SIGMA_MIN, max=SIGMA_MAX).exp()

    def critic(self, params: Params, obs: torch.Tensor, act: torch.Tensor) -> torch.Tensor:
        """Every member's Q(s, a) for its (B, obs) and (B, act) rows: shape (N, B)."""
        z = self.features(params, torch.cat([obs, act], dim=-1))
        return self.linear(params, "last.model.0", z).squeeze(-1)

    def linear(self, params: Params, layer: str, x: torch.Tensor) -> torch.Tensor:
        """The N copies of Linear ``layer`` on their (N, B, in) rows: one matmul-and-bias kernel."""
        weight, bias = params[f"{self.prefix}{layer}.weight"], params[f"{self.prefix}{layer}.bias"]
        return torch.baddbmm(bias.unsqueeze(1), x, weight.transpose(1, 2))


def _kind(module: nn.Module) -> str:
    if isinstance(module, GSDEActor):
        return "gsde"
    if isinstance(module, ContinuousActorProbabilistic):
        if not (module._unbounded and module._c_sigma) or any(
            [type(m) for m in head.model] != [nn.Linear] for head in (module.mu, module.sigma)
        ):
            raise ValueError(
                "Stacked supports SACPeer's Gaussian actor (unbounded μ, conditioned σ) only."
            )
        return "gaussian"
    if isinstance(module, ContinuousCritic):
        last = list(module.last.model)
        if module.apply_preprocess_net_to_obs_only or [type(m) for m in last] != [nn.Linear]:
            raise ValueError("Stacked supports SACPeer's critic (a Net on [obs, act], one Linear).")
        return "critic"
    raise ValueError(f"Stacked has no forward for {type(module).__name__}.")


def _relu_layers(net: nn.Module) -> list[str]:
    """The names of a Tianshou ``Net``'s Linear layers (each followed by a ReLU), in order."""
    if type(net) is not Net or net.use_dueling or net.num_atoms > 1 or net.softmax:
        raise ValueError("Stacked supports a plain Tianshou Net (no dueling, atoms or softmax).")
    if not isinstance(net.model, MLP):
        raise ValueError("Stacked supports a Net over a Tianshou MLP only.")
    layers = list(net.model.model.named_children())
    kinds = [type(m) for _, m in layers]
    if kinds != [nn.Linear, nn.ReLU] * (len(layers) // 2) or not layers:
        raise ValueError(f"Stacked supports Linear+ReLU hidden layers only, not {kinds}.")
    return [f"preprocess.model.model.{name}" for name, m in layers if isinstance(m, nn.Linear)]
