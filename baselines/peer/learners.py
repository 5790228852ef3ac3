"""One peer = one stock Tianshou policy + algorithm + its own ``ReplayBuffer``.

The runner talks to a peer through four calls: ``act`` (its policy, with
exploration noise when asked: the paper samples advice too), ``q`` (its own
critic of candidate actions, for the trust mechanisms), ``value`` (V(s) for the
trust targets) and ``learn`` (gradient steps on its own buffer).
"""

from __future__ import annotations

from typing import Any

import gymnasium
import numpy as np
import torch
from tianshou.algorithm import DQN, SAC
from tianshou.algorithm.modelfree.dqn import DiscreteQLearningPolicy
from tianshou.algorithm.modelfree.sac import AutoAlpha, SACPolicy
from tianshou.algorithm.optim import AdamOptimizerFactory
from tianshou.data import Batch, ReplayBuffer
from tianshou.utils.net.common import Net
from tianshou.utils.net.continuous import ContinuousActorProbabilistic, ContinuousCritic
from tianshou.utils.torch_utils import policy_within_training_step, torch_train_mode


class SoftTargetDQN(DQN):
    """Stock DQN with Polyak target updates (Room preset: τ = 0.02 every gradient step).

    Tianshou's DQN only copies the target network every ``target_update_freq``
    updates; the paper's Room agents use soft updates.
    """

    def __init__(self, *, tau: float, **kwargs: Any) -> None:
        super().__init__(target_update_freq=1, **kwargs)
        self.tau = tau

    def _update_lagged_network_weights(self) -> None:
        self._lagged_networks.polyak_parameter_update(self.tau)


class Peer:
    """Shared plumbing: buffer, training-step flags, numpy in and out."""

    algorithm: Any
    policy: Any

    def __init__(self, buffer_size: int, batch_size: int) -> None:
        self.buffer = ReplayBuffer(buffer_size)
        self.batch_size = batch_size

    def store(
        self,
        obs: np.ndarray,
        act: np.ndarray,
        rew: float,
        terminated: bool,
        truncated: bool,
        obs_next: np.ndarray,
    ) -> None:
        """One transition of this peer's own task copy (never another peer's)."""
        self.buffer.add(
            Batch(
                obs=obs,
                act=act,
                rew=rew,
                terminated=terminated,
                truncated=truncated,
                obs_next=obs_next,
                info={},
            )
        )

    def learn(self, gradient_steps: int) -> dict[str, float]:
        """``gradient_steps`` stock Tianshou updates on batches from this peer's buffer."""
        stats: dict[str, float] = {}
        if len(self.buffer) == 0:
            return stats
        with policy_within_training_step(self.policy), torch_train_mode(self.algorithm):
            for _ in range(gradient_steps):
                stats = self.algorithm.update(self.buffer, self.batch_size).get_loss_stats_dict()
        return stats


class SACPeer(Peer):
    """A SAC peer: Gaussian-tanh actor, twin critics, automatic entropy coefficient."""

    def __init__(
        self,
        observation_space: gymnasium.spaces.Box,
        action_space: gymnasium.spaces.Box,
        *,
        hidden_sizes: tuple[int, ...] = (150, 200),
        lr: float = 3e-4,
        gamma: float = 0.99,
        tau: float = 0.02,
        buffer_size: int = 1_000_000,
        batch_size: int = 256,
    ) -> None:
        super().__init__(buffer_size, batch_size)
        obs_shape, act_shape = observation_space.shape, action_space.shape
        actor = ContinuousActorProbabilistic(
            preprocess_net=Net(state_shape=obs_shape, hidden_sizes=hidden_sizes),
            action_shape=act_shape,
            unbounded=True,
            conditioned_sigma=True,
        )

        def critic() -> ContinuousCritic:
            net = Net(
                state_shape=obs_shape,
                action_shape=act_shape,
                hidden_sizes=hidden_sizes,
                concat=True,
            )
            return ContinuousCritic(preprocess_net=net)

        self.policy = SACPolicy(actor=actor, action_space=action_space)
        optim = AdamOptimizerFactory(lr=lr)
        self.algorithm = SAC(
            policy=self.policy,
            policy_optim=optim,
            critic=critic(),
            critic_optim=optim,
            critic2=critic(),
            critic2_optim=optim,
            tau=tau,
            gamma=gamma,
            alpha=AutoAlpha(-float(np.prod(act_shape)), 0.0, optim),
        )

    @torch.no_grad()
    def act(self, obs: np.ndarray, explore: bool) -> np.ndarray:
        """Actions in the env's space: sampled when exploring, the mean action otherwise."""
        with policy_within_training_step(self.policy, explore):
            act = self.policy(Batch(obs=obs, info={})).act
        return self.policy.map_action(act.numpy())

    @torch.no_grad()
    def q(self, obs: np.ndarray, actions: np.ndarray) -> np.ndarray:
        """min(Q1, Q2)(s, a) for env-space ``actions`` of shape (B, K, *action_shape)."""
        b, k = actions.shape[:2]
        act = self.policy.map_action_inverse(actions.reshape(b * k, -1))
        obs_rep = np.repeat(obs, k, axis=0)
        q1 = self.algorithm.critic(obs_rep, act).flatten()
        q2 = self.algorithm.critic2(obs_rep, act).flatten()
        return torch.minimum(q1, q2).numpy().reshape(b, k)

    def value(self, obs: np.ndarray) -> np.ndarray:
        """V(s) ≈ min-Q of the peer's own deterministic action."""
        return self.q(obs, self.act(obs, explore=False)[:, None])[:, 0]


class DQNPeer(Peer):
    """A DQN peer (double DQN, soft target updates), ε-greedy while exploring."""

    def __init__(
        self,
        observation_space: gymnasium.spaces.Box,
        action_space: gymnasium.spaces.Discrete,
        *,
        hidden_sizes: tuple[int, ...] = (256, 256),
        lr: float = 5e-4,
        gamma: float = 0.99,
        tau: float = 0.02,
        buffer_size: int = 300_000,
        batch_size: int = 256,
    ) -> None:
        super().__init__(buffer_size, batch_size)
        net = Net(
            state_shape=observation_space.shape,
            action_shape=int(action_space.n),
            hidden_sizes=hidden_sizes,
        )
        self.policy = DiscreteQLearningPolicy(
            model=net, action_space=action_space, eps_training=1.0
        )
        self.algorithm = SoftTargetDQN(
            policy=self.policy, optim=AdamOptimizerFactory(lr=lr), gamma=gamma, tau=tau
        )

    def set_epsilon(self, eps: float) -> None:
        self.policy.set_eps_training(eps)

    @torch.no_grad()
    def _q_all(self, obs: np.ndarray) -> torch.Tensor:
        return self.policy.model(torch.as_tensor(obs, dtype=torch.float32))[0]

    @torch.no_grad()
    def act(self, obs: np.ndarray, explore: bool) -> np.ndarray:
        with policy_within_training_step(self.policy, explore):
            batch = Batch(obs=obs, info={})
            act = self.policy(batch).act
            if explore:
                act = self.policy.add_exploration_noise(act, batch)
        return np.asarray(act, np.int64)

    def q(self, obs: np.ndarray, actions: np.ndarray) -> np.ndarray:
        """Q(s, a) for actions of shape (B, K)."""
        q = self._q_all(obs).numpy()
        return np.take_along_axis(q, np.asarray(actions, np.int64), axis=1)

    def value(self, obs: np.ndarray) -> np.ndarray:
        return self._q_all(obs).max(dim=1).values.numpy()
