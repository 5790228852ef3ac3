"""One peer = one stock Tianshou policy + algorithm + its own ``ReplayBuffer``.

The runner talks to a peer through a few calls: ``act`` (its policy, with
exploration noise when asked: the paper samples advice too), ``q`` (its own
critic of candidate actions, for the trust mechanisms), ``value`` (V(s) for the
trust targets) and ``learn`` (gradient steps on its own buffer); ``begin_step``
before each of its own env steps keeps SB3's per-step schedules (gSDE noise,
DQN target updates).
"""

from __future__ import annotations

import time
from typing import Any

import gymnasium
import numpy as np
import torch
from tianshou.algorithm import DQN, SAC
from tianshou.algorithm.modelfree.dqn import DiscreteQLearningPolicy
from tianshou.algorithm.modelfree.reinforce import SimpleLossTrainingStats
from tianshou.algorithm.modelfree.sac import AutoAlpha, SACPolicy
from tianshou.algorithm.optim import AdamOptimizerFactory
from tianshou.data import Batch, ReplayBuffer, to_numpy, to_torch_as
from tianshou.utils.net.common import Net
from tianshou.utils.net.continuous import ContinuousActorProbabilistic, ContinuousCritic
from tianshou.utils.torch_utils import policy_within_training_step, torch_train_mode

from baselines.peer.gsde import GSDEActor, GSDESACPolicy


def sb3_exploration_rate(
    progress: float, initial_eps: float, final_eps: float, fraction: float
) -> float:
    """SB3 1.5's ``get_linear_fn``: ε falls linearly from ``initial_eps`` to ``final_eps``
    over the first ``fraction`` of training, then stays (``progress`` = 1 − progress_remaining).
    """
    if progress > fraction:
        return final_eps
    return initial_eps + progress * (final_eps - initial_eps) / fraction


def reads_fields_directly(buffer: ReplayBuffer) -> bool:
    """Whether ``buffer`` is a plain ``ReplayBuffer`` whose fields a lean update reads directly."""
    return (
        type(buffer) is ReplayBuffer
        and buffer.stack_num == 1
        and not buffer.options["ignore_obs_next"]
        and not buffer.options["save_only_last_obs"]
    )


def one_step_returns(
    target_q: torch.Tensor, buffer: ReplayBuffer, indices: np.ndarray, gamma: float
) -> torch.Tensor:
    """``compute_nstep_return`` with one step, the same operations in the same dtypes.

    r + γ (1 − terminated) · target, shape (B, 1) as ``target_q`` reshaped. The
    stock path reaches the same numbers through an n-step table and a copy of
    the buffer's whole done array; for one step only these operations remain.
    """
    n = len(indices)
    bootstrap = to_numpy(target_q.reshape(n, -1))
    bootstrap *= (~buffer.terminated[indices]).reshape(-1, 1)
    discount = np.full((n, 1), 1.0 * gamma)  # float64, as the stock γ^n table
    reward = buffer.rew[indices].reshape(n, 1) + gamma * np.zeros((n, 1))
    return to_torch_as(bootstrap * discount + reward, target_q)


def _require_training_step(policy: Any) -> None:
    if not policy.is_within_training_step:
        raise RuntimeError(
            "update() was called outside of a training step; wrap it in "
            "policy_within_training_step, as the stock update requires."
        )


class LeanSAC(SAC):
    """Tianshou's SAC with the stock update, bit for bit, without its bookkeeping.

    Why: a SAC update of the paper's [150, 200] nets is small, and the stock
    path around it (``Algorithm._update``) gathers every field of the sampled
    transitions into a ``Batch`` twice (once for the batch, once more for the
    next observations of the target), copies the buffer's whole done array for
    a one-step return, and toggles train mode on every module twice per update.
    Here: the same index draw, a ``Batch`` of only the fields the update reads,
    the stock target (``_target_q_compute_action``/``_target_q_compute_value``)
    and the stock ``_update_with_batch``, so weights, Adam moments, α and losses
    are identical to the stock update's (``tests/baselines/test_lean_sac.py``).
    Train mode is the caller's (:meth:`Peer.learn` sets it; the nets have no
    mode-dependent layer). Other set-ups (n-step returns, learning-rate
    schedules, prioritised or stacked buffers) take the stock path.
    """

    def update(self, buffer: ReplayBuffer, sample_size: int | None) -> Any:
        stock_only = self.n_step_return_horizon != 1 or self.lr_schedulers
        if stock_only or not sample_size or not reads_fields_directly(buffer):
            return super().update(buffer, sample_size)
        _require_training_step(self.policy)
        start = time.time()
        indices = buffer.sample_indices(sample_size)
        with torch.no_grad():  # the stock _target_q on s′
            next_obs = Batch(obs=buffer.obs_next[indices], info={})
            target_q = self._target_q_compute_value(
                next_obs, self._target_q_compute_action(next_obs)
            )
        batch = Batch(
            obs=buffer.obs[indices],
            act=buffer.act[indices],
            returns=one_step_returns(target_q, buffer, indices, self.gamma),
            info={},
        )
        stats = self._update_with_batch(batch)
        stats.train_time = time.time() - start
        return stats


class SB3DQN(DQN):
    """Tianshou's DQN set up as Stable-Baselines3 1.5's DQN, which the original Room peers are.

    SB3 1.5 ``DQN.train``: target r + γ (1 − done) max_a Q_target(s′, a) (no double
    Q), smooth L1 (Huber, δ = 1) loss, gradients clipped to L2 norm
    ``max_grad_norm`` (10). SB3 ``DQN._on_step``: the target net takes a Polyak
    step of size ``tau`` every ``target_update_interval`` *env* steps, not per
    gradient step; :meth:`on_env_step` is that call.
    """

    def __init__(
        self,
        *,
        tau: float,
        target_update_interval: int,
        max_grad_norm: float,
        **kwargs: Any,
    ) -> None:
        self._max_grad_norm = max_grad_norm  # read by _create_policy_optimizer in super().__init__
        super().__init__(target_update_freq=1, is_double=False, huber_loss_delta=1.0, **kwargs)
        self.tau = tau
        self.target_update_interval = target_update_interval
        self.n_env_steps = 0

    def _create_policy_optimizer(self, optim: Any) -> Any:
        return self._create_optimizer(self.policy, optim, max_grad_norm=self._max_grad_norm)

    def _periodically_update_lagged_network_weights(self) -> None:
        """No target update inside a gradient step: SB3 updates it per env step."""

    def _update_lagged_network_weights(self) -> None:
        self._lagged_networks.polyak_parameter_update(self.tau)

    def on_env_step(self) -> None:
        """SB3 ``_on_step``: a Polyak step every ``target_update_interval`` env steps."""
        self.n_env_steps += 1
        if self.n_env_steps % self.target_update_interval == 0:
            self._update_lagged_network_weights()

    def update(self, buffer: ReplayBuffer, sample_size: int | None) -> SimpleLossTrainingStats:
        """The stock update (``DQN.update``), bit for bit, without its bookkeeping.

        Why: on Room's nets the stock path spent more time outside the matmuls
        than in them. It gathers every field of the sampled transitions into
        ``Batch``es, runs the online net on s′ (only double Q needs it), copies
        the buffer's done flags for an n-step return of one step, and toggles
        train mode around every update. Here: the same index draw, only the
        fields the update reads, the target net alone on s′, and the same
        operations in the same dtypes, so weights, Adam moments and losses are
        identical to the stock update's (``tests/baselines/test_dqn_sb3.py``).
        Train mode is the caller's (:meth:`Peer.learn` sets it; an MLP has no
        mode-dependent layer). Other set-ups (n-step, prioritised or stacked
        buffers) take the stock path.
        """
        stock_only = self.n_step != 1 or self.is_double or self.lr_schedulers
        plain = reads_fields_directly(buffer) and sample_size and self.huber_loss_delta is not None
        if stock_only or not plain:
            return super().update(buffer, sample_size)
        _require_training_step(self.policy)
        start = time.time()
        indices = buffer.sample_indices(sample_size)
        with torch.no_grad():  # r + γ (1 − d) max_a Q_targ(s′)
            target_q = self.model_old(buffer.obs_next[indices])[0].max(dim=1)[0]
        returns = one_step_returns(target_q, buffer, indices, self.gamma).flatten()

        self._periodically_update_lagged_network_weights()  # _update_with_batch's first call
        q = self.policy.model(buffer.obs[indices])[0]
        q = q[np.arange(len(q)), buffer.act[indices]]
        loss = torch.nn.functional.huber_loss(
            q.reshape(-1, 1), returns.reshape(-1, 1), delta=self.huber_loss_delta, reduction="mean"
        )
        self.optim.step(loss)
        stats = SimpleLossTrainingStats(loss=loss.item())
        stats.train_time = time.time() - start
        return stats


class Peer:
    """Shared plumbing: buffer, training-step flags, numpy in and out.

    The networks live on ``device`` (a GPU with ``cuda``); the buffer, the
    runner and the trust mechanisms stay in numpy on the host, so every query
    takes numpy arrays and returns them.
    """

    algorithm: Any
    policy: Any
    device = torch.device("cpu")  # a class default: checkpoints from before the field load

    def __init__(self, buffer_size: int, batch_size: int, device: str = "cpu") -> None:
        self.buffer = ReplayBuffer(buffer_size)
        self.batch_size = batch_size
        self.device = torch.device(device)
        self.updates = 0  # gradient steps taken through learn(); the ensemble syncs on it

    def begin_step(self) -> None:
        """Called by the runner once before each of this peer's own env steps (SB3 ``_on_step``)."""

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

    def before_gradient_step(self) -> None:
        """Hook run before each stock update (gSDE redraws its matrix here)."""

    def learn(self, gradient_steps: int) -> dict[str, float]:
        """``gradient_steps`` stock Tianshou updates on batches from this peer's buffer."""
        stats: dict[str, float] = {}
        if len(self.buffer) == 0:
            return stats
        with policy_within_training_step(self.policy), torch_train_mode(self.algorithm):
            for _ in range(gradient_steps):
                self.before_gradient_step()
                stats = self.algorithm.update(self.buffer, self.batch_size).get_loss_stats_dict()
        self.updates += gradient_steps
        return stats


class SACPeer(Peer):
    """A SAC peer: twin critics, automatic entropy coefficient, gSDE exploration by default.

    With ``use_sde`` (the original runs: SB3 1.5 SAC with ``use_sde=True``,
    ``log_std_init=-3``) the actor is :class:`~baselines.peer.gsde.GSDEActor`
    and the exploration matrix is redrawn on SB3's schedule: before every
    gradient step, at the start of every rollout of ``train_freq`` own env
    steps, and every ``sde_sample_freq`` own steps within a rollout when > 0
    (SB3's default −1: rollout starts only). Without it, Tianshou's usual
    state-conditioned Gaussian actor.
    """

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
        use_sde: bool = True,
        log_std_init: float = -3.0,
        sde_sample_freq: int = -1,
        full_std: bool = True,
        learn_features: bool = True,
        train_freq: int = 8,
        device: str = "cpu",
    ) -> None:
        super().__init__(buffer_size, batch_size, device)
        obs_shape, act_shape = observation_space.shape, action_space.shape
        self.use_sde = use_sde
        self.sde_sample_freq = sde_sample_freq
        self.train_freq = train_freq
        self._rollout_step = 0
        if use_sde:
            actor: torch.nn.Module = GSDEActor(
                preprocess_net=Net(state_shape=obs_shape, hidden_sizes=hidden_sizes),
                action_dim=int(np.prod(act_shape)),
                log_std_init=log_std_init,
                full_std=full_std,
                learn_features=learn_features,
            )
            self.policy = GSDESACPolicy(actor=actor, action_space=action_space)
        else:
            actor = ContinuousActorProbabilistic(
                preprocess_net=Net(state_shape=obs_shape, hidden_sizes=hidden_sizes),
                action_shape=act_shape,
                unbounded=True,
                conditioned_sigma=True,
            )
            self.policy = SACPolicy(actor=actor, action_space=action_space)

        def critic() -> ContinuousCritic:
            net = Net(
                state_shape=obs_shape,
                action_shape=act_shape,
                hidden_sizes=hidden_sizes,
                concat=True,
            )
            return ContinuousCritic(preprocess_net=net)

        optim = AdamOptimizerFactory(lr=lr)
        self.algorithm = LeanSAC(
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
        self.algorithm.to(self.device)  # in place: the optimizers keep their parameters

    # ------------------------------------------------------------------ gSDE schedule
    def reset_noise(self) -> None:
        """Redraw the gSDE exploration matrix (no-op without gSDE)."""
        if self.use_sde:
            self.policy.actor.reset_noise()

    def begin_step(self) -> None:
        """SB3 ``collect_rollouts``: redraw W at rollout start and every ``sde_sample_freq``."""
        if self._rollout_step >= self.train_freq:  # the previous rollout is complete
            self._rollout_step = 0
        if self._rollout_step == 0 or (
            self.sde_sample_freq > 0 and self._rollout_step % self.sde_sample_freq == 0
        ):
            self.reset_noise()
        self._rollout_step += 1

    def before_gradient_step(self) -> None:
        """SB3 ``SAC.train``: a new matrix per gradient step, as log σ changes between steps."""
        self.reset_noise()

    # ------------------------------------------------------------------ queries
    @torch.no_grad()
    def act(self, obs: np.ndarray, explore: bool) -> np.ndarray:
        """Actions in the env's space: sampled when exploring, the mean action otherwise."""
        with policy_within_training_step(self.policy, explore):
            if isinstance(self.policy, GSDESACPolicy):
                act = self.policy.act(obs)
            else:  # Tianshou's Gaussian policy samples from its distribution
                act = self.policy(Batch(obs=obs, info={})).act
        return self.policy.map_action(to_numpy(act))

    @torch.no_grad()
    def q(self, obs: np.ndarray, actions: np.ndarray) -> np.ndarray:
        """min(Q1, Q2)(s, a) for env-space ``actions`` of shape (B, K, *action_shape)."""
        b, k = actions.shape[:2]
        act = self.policy.map_action_inverse(actions.reshape(b * k, -1))
        obs_rep = np.repeat(obs, k, axis=0)
        q1 = self.algorithm.critic(obs_rep, act).flatten()
        q2 = self.algorithm.critic2(obs_rep, act).flatten()
        return to_numpy(torch.minimum(q1, q2)).reshape(b, k)


class DQNPeer(Peer):
    """A DQN peer as SB3 1.5's DQN in the original Room runs (:class:`SB3DQN`).

    Acting: greedy. In the original every training-time action of a peer, its
    own and its advice alike, comes from ``policy.predict`` (``peer.py``
    ``get_action``), and SB3's ``QNetwork._predict`` is an argmax whatever
    ``deterministic`` says; SB3's ε-greedy ``DQN.predict`` is bypassed while
    peers learn. ``epsilon_greedy=True`` turns ε-greedy exploration on (ε from
    :func:`sb3_exploration_rate`), for runs that want it.
    """

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
        target_update_interval: int = 1,
        max_grad_norm: float = 10.0,
        epsilon_greedy: bool = False,
        exploration_initial_eps: float = 1.0,
        exploration_final_eps: float = 0.05,
        exploration_fraction: float = 0.1,
        device: str = "cpu",
    ) -> None:
        super().__init__(buffer_size, batch_size, device)
        net = Net(
            state_shape=observation_space.shape,
            action_shape=int(action_space.n),
            hidden_sizes=hidden_sizes,
        )
        self.epsilon_greedy = epsilon_greedy
        self.exploration = (exploration_initial_eps, exploration_final_eps, exploration_fraction)
        self.policy = DiscreteQLearningPolicy(
            model=net, action_space=action_space, eps_training=exploration_initial_eps
        )
        self.algorithm = SB3DQN(
            policy=self.policy,
            optim=AdamOptimizerFactory(lr=lr),
            gamma=gamma,
            tau=tau,
            target_update_interval=target_update_interval,
            max_grad_norm=max_grad_norm,
        )
        self.algorithm.to(self.device)

    def begin_step(self) -> None:
        self.algorithm.on_env_step()

    def set_exploration_progress(self, progress: float) -> None:
        """ε for ``epsilon_greedy`` at this fraction of training (SB3's linear schedule)."""
        initial, final, fraction = self.exploration
        self.policy.set_eps_training(sb3_exploration_rate(progress, initial, final, fraction))

    @torch.no_grad()
    def _q_all(self, obs: np.ndarray) -> torch.Tensor:
        return self.policy.model(torch.as_tensor(obs, dtype=torch.float32, device=self.device))[0]

    @torch.no_grad()
    def act(self, obs: np.ndarray, explore: bool) -> np.ndarray:
        """argmax_a Q(s, a); ε-greedy only when exploring with ``epsilon_greedy`` on.

        The greedy case is the policy's own ``forward`` (argmax of the Q-values,
        no action mask) without its Batch round trip: the runner asks it once
        per peer and phase, so the wrapping cost more than the net.
        """
        if not (explore and self.epsilon_greedy):
            return to_numpy(self._q_all(obs).argmax(dim=1)).astype(np.int64)
        with policy_within_training_step(self.policy, explore):
            batch = Batch(obs=obs, info={})
            act = self.policy.add_exploration_noise(self.policy(batch).act, batch)
        return np.asarray(act, np.int64)

    def q(self, obs: np.ndarray, actions: np.ndarray) -> np.ndarray:
        """Q(s, a) for actions of shape (B, K)."""
        q = to_numpy(self._q_all(obs))
        return np.take_along_axis(q, np.asarray(actions, np.int64), axis=1)
