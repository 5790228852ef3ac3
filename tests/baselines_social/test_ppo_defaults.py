"""The social PPO's defaults are the paper's, and where it is silent the author's.

The values are copied here from the author's script that trains the learner
with the prediction head at the paper's batch layout (kandouss/kamarl
``scripts/marlgrid_ppo_parallel.py`` at e9c8b4a, the ``ppo_learning_config`` it passes
to ``kamarl/ppo_rec.py``'s ``PPOAEAgent``), not read from peerzoo's config.
"""

from __future__ import annotations

import dataclasses

import pytest

from baselines.social.config import PPOConfig
from baselines.social.fast import FastRunConfig

AUTHOR_SCRIPT = {
    "lr": 1e-4,  # learning_rate, also the paper's appendix
    "gamma": 0.993,  # gamma
    "gae_lambda": 0.97,  # lambda
    "eps_clip": 0.2,  # clamp_ratio
    "vf_coef": 0.05,  # value_loss_coef
    "ent_coef": 0.003,  # entropy_bonus_coef
    "aux_coef": 0.5,  # reconstruction_loss_coef (L1 on pixels there, cross entropy here)
    "seq_len": 16,  # minibatch_seq_len
    "minibatch_seqs": 512,  # minibatch_size
}


@pytest.mark.parametrize("name", sorted(AUTHOR_SCRIPT))
def test_a_default_is_the_authors(name: str) -> None:
    assert getattr(PPOConfig(), name) == AUTHOR_SCRIPT[name]


def test_the_fast_learner_keeps_the_authors_loss_weights() -> None:
    """Its batch layout differs for CPU speed (documented); the loss does not."""
    fast = FastRunConfig().ppo
    for name in ("gamma", "gae_lambda", "eps_clip", "vf_coef", "ent_coef", "aux_coef", "seq_len"):
        assert getattr(fast, name) == AUTHOR_SCRIPT[name], name
    changed = {
        f.name
        for f in dataclasses.fields(PPOConfig)
        if getattr(fast, f.name) != getattr(PPOConfig(), f.name)
    }
    assert changed <= {"lr", "minibatch_seqs", "epochs", "state_refresh_interval"}
