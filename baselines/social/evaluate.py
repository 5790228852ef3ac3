"""The evaluation protocol: the training task and every transfer task, with and without experts.

Paper §5-6: a social learner is judged on ``goal_cycle_v0`` with experts and
alone, and zero-shot on the transfer tasks (more goals, four rooms, maze), again
with and without experts — what separates social learning from imitation.
Returns are summed over an episode and averaged over learners.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from baselines.social.networks import SocialNet
from baselines.social.rollout import make_social_env, policy_step
from baselines.social.social_signal import SIGNAL_KEYS, SocialSignal, mean_signal

TRAIN_ENV_ID = "goal_cycle_v0"


def social_env_ids() -> list[str]:
    """Every registered social-gridworld id (those built by ``peerzoo.social``)."""
    import peerzoo

    ids = []
    for env_id in peerzoo.envs():
        entry = peerzoo.spec(env_id).parallel_entry_point
        if entry.startswith("peerzoo.social"):
            ids.append(env_id)
    return sorted(ids)


def transfer_env_ids(train_env_id: str = TRAIN_ENV_ID) -> list[str]:
    """The zero-shot evaluation tasks: every social id but the training one."""
    return [env_id for env_id in social_env_ids() if env_id != train_env_id]


def episode_returns(
    net: SocialNet,
    dist_fn: Callable[[torch.Tensor], Any],
    env: Any,
    episodes: int,
    seed: int,
    deterministic: bool = False,
) -> list[float]:
    """Returns of ``episodes`` episodes of ``env`` (mean over learners), seeded from ``seed``."""
    per_learner = learner_returns(net, dist_fn, env, episodes, seed, deterministic)
    return [float(r) for r in per_learner.mean(axis=1)]


def learner_returns(
    net: SocialNet,
    dist_fn: Callable[[torch.Tensor], Any],
    env: Any,
    episodes: int,
    seed: int,
    deterministic: bool = False,
    signals: list[dict[str, float] | None] | None = None,
) -> np.ndarray:
    """(episodes, learners) returns of ``episodes`` episodes of ``env``, seeded from ``seed``.

    With a ``signals`` list, each episode's social signal (mean over learners,
    ``None`` without experts; see :mod:`baselines.social.social_signal`) is appended.
    """
    returns = []
    agents = list(env.possible_agents)
    for episode in range(episodes):
        obs, _ = env.reset(seed=int(seed) + episode)
        state = net.initial_state(len(agents))
        total = np.zeros(len(agents))
        signal = SocialSignal(len(agents))
        while env.agents:
            batch = np.stack([obs[a] for a in agents])
            act, _, _, state = policy_step(net, batch, state, dist_fn, deterministic)
            obs, rew, _, _, infos = env.step({a: int(act[i]) for i, a in enumerate(agents)})
            total += [rew.get(a, 0.0) for a in agents]
            signal.update(0, [infos.get(a, {}) for a in agents])
        returns.append(total)
        if signals is not None:
            summary = mean_signal([signal.finish(i) for i in range(len(agents))])
            signals.append(summary or None)
    return np.array(returns)


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
            env = make_social_env(
                env_id,
                n_learners=n_learners,
                n_experts=None if experts_present else 0,
                obs_mode=obs_mode,
                max_cycles=max_cycles,
                env_kwargs=env_kwargs,
            )
            signals: list[dict[str, float] | None] = []
            per_learner = learner_returns(net, dist_fn, env, episodes, seed, signals=signals)
            returns = [float(r) for r in per_learner.mean(axis=1)]
            env.close()
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
