"""The evaluation protocol: the training task and every transfer task, with and without experts.

Paper §5-6: a social learner is judged on ``goal_cycle_v0`` with experts and
alone, and zero-shot on the transfer tasks (more goals, four rooms, maze), again
with and without experts — what separates social learning from imitation.
Returns are summed over an episode and averaged over learners.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from baselines.social.networks import SocialNet
from baselines.social.rollout import make_social_env, policy_step
from baselines.social.social_signal import SIGNAL_KEYS, SocialSignal, mean_signal

TRAIN_ENV_ID = "goal_cycle_v0"


def transfer_env_ids(train_env_id: str = TRAIN_ENV_ID) -> list[str]:
    """The zero-shot evaluation tasks: every transfer id but the training one.

    The training tasks' variants (``goal_cycle_low_penalty_v0``) are not transfer
    tasks: the same world under another penalty says nothing about carrying a
    skill to a new world, and its returns are on another scale.
    """
    from peerzoo.social.envs import TRANSFER_ENV_IDS

    return [env_id for env_id in TRANSFER_ENV_IDS if env_id != train_env_id]


class RecurrentPolicy:
    """A social learner as a :func:`peerzoo.evaluate` policy: one LSTM state per row.

    Every learner shares the network, so the peer index is not needed. Actions are
    sampled from the policy (``deterministic=False``: the original kamarl agent's
    ``step`` only samples, in training and evaluation alike) or its most likely action.
    """

    def __init__(
        self,
        net: SocialNet,
        dist_fn: Callable[[torch.Tensor], Any],
        deterministic: bool = False,
    ) -> None:
        self.net, self.dist_fn, self.deterministic = net, dist_fn, deterministic
        self.state = net.initial_state(1)

    def reset(self, batch_size: int) -> None:
        self.state = self.net.initial_state(batch_size)

    def __call__(self, observations: np.ndarray, peers: np.ndarray) -> np.ndarray:
        act, _, _, self.state = policy_step(
            self.net, observations, self.state, self.dist_fn, self.deterministic
        )
        return act


def episode_returns(
    net: SocialNet,
    dist_fn: Callable[[torch.Tensor], Any],
    env_fn: Callable[[], Any],
    episodes: int,
    seed: int,
    deterministic: bool = False,
) -> list[float]:
    """Returns of ``episodes`` episodes of ``env_fn()`` envs (mean over learners)."""
    per_learner = learner_returns(net, dist_fn, env_fn, episodes, seed, deterministic)
    return [float(r) for r in per_learner.mean(axis=1)]


def learner_returns(
    net: SocialNet,
    dist_fn: Callable[[torch.Tensor], Any],
    env_fn: Callable[[], Any],
    episodes: int,
    seed: int,
    deterministic: bool = False,
    signals: list[dict[str, float] | None] | None = None,
) -> np.ndarray:
    """(episodes, learners) returns under :func:`peerzoo.evaluate`, episode e on ``seed + e``.

    With a ``signals`` list, each episode's social signal (mean over learners,
    ``None`` without experts; see :mod:`baselines.social.social_signal`) is
    appended, read from the infos of the same episodes.
    """
    import peerzoo

    infos: dict[tuple[int, int], list[dict[str, Any]]] = {}

    def keep(peer: int, episode: int, info: dict[str, Any]) -> None:
        infos.setdefault((peer, episode), []).append(info)

    policy = RecurrentPolicy(net, dist_fn, deterministic)
    on_info = keep if signals is not None else None
    returns = peerzoo.evaluate(policy, env_fn, episodes=episodes, seed=seed, on_info=on_info)
    if signals is not None:
        n_learners = returns.shape[0]
        for episode in range(episodes):
            signal = SocialSignal(n_learners)
            for learner in range(n_learners):
                for info in infos.get((learner, episode), []):
                    signal.update(learner, [info])
            summary = mean_signal([signal.finish(i) for i in range(n_learners)])
            signals.append(summary or None)
    return returns.T


def evaluation_protocol(
    net: SocialNet,
    dist_fn: Callable[[torch.Tensor], Any],
    *,
    train_env_id: str,
    eval_env_ids: Sequence[str] = (),
    episodes: int,
    seed: int,
    n_learners: int = 1,
    obs_mode: str = "rgb",
    max_cycles: int = 250,
    env_kwargs: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """One entry per (eval env, experts present): the per-episode returns.

    ``eval_env_ids=()`` means the training env and every transfer task. Entries
    with experts also hold, per episode, ``steps_with_expert_in_view`` and
    ``expert_distance`` (means over learners): whether the learner follows them.
    """
    ids = list(eval_env_ids) or [train_env_id, *transfer_env_ids(train_env_id)]
    results = []
    for env_id in ids:
        for experts_present in (True, False):
            env_fn = functools.partial(
                make_social_env,
                env_id,
                n_learners=n_learners,
                n_experts=None if experts_present else 0,
                obs_mode=obs_mode,
                max_cycles=max_cycles,
                env_kwargs=env_kwargs,
            )
            signals: list[dict[str, float] | None] = []
            per_learner = learner_returns(net, dist_fn, env_fn, episodes, seed, signals=signals)
            returns = [float(r) for r in per_learner.mean(axis=1)]
            entry = {
                "eval_env_id": env_id,
                "experts_present": experts_present,
                "returns": returns,
                "mean_return": float(np.mean(returns)),
            }
            if any(s is not None for s in signals):
                for key in SIGNAL_KEYS:
                    entry[key] = [None if s is None else s[key] for s in signals]
            results.append(entry)
    return results
