"""The smallest rgb-learner run that still collects, updates and evaluates, for tests."""

from __future__ import annotations

from typing import Any

from baselines.social.config import PPOConfig, RunConfig


def tiny_rgb_run(**overrides: Any) -> RunConfig:
    """Two env copies, one 32-step rollout per update, 16-step episodes, one evaluation
    episode; ``overrides`` replace any field."""
    fields: dict[str, Any] = dict(
        steps=64,
        n_envs=2,
        rollout_len=32,
        max_cycles=16,
        eval_every=32,
        eval_episodes=1,
        progress=False,
        ppo=PPOConfig(minibatch_seqs=2, epochs=1),
    )
    return RunConfig(**{**fields, **overrides})
