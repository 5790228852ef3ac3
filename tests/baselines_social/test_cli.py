"""The entry points' flags map onto the config the methods are defined by."""

from __future__ import annotations

import pytest

from baselines.social import bc, ppo


def test_presets_select_the_comparison_methods():
    social = ppo.parse_args(["--env-id", "goal_cycle_v0", "--seed", "3", "--steps", "1000"])
    assert social.network.aux_head and social.n_experts is None and social.steps == 1000
    assert ppo.method_name(social) == "social_ppo_aux"
    assert social.logdir == "runs/social/social_ppo_aux/goal_cycle_v0/seed3"  # git-ignored
    for preset in ("social_ppo_vanilla", "solo_ppo_aux", "mixed_ppo_aux"):
        assert ppo.method_name(ppo.parse_args(["--preset", preset])) == preset
    assert ppo.parse_args(["--preset", "solo_ppo_aux"]).n_experts == 0
    mixed = ppo.parse_args(["--solo-fraction", "0.5"])
    assert mixed.solo_fraction == 0.5 and ppo.method_name(mixed) == "mixed_ppo_aux"


def test_nested_fields_are_flags_over_the_preset():
    config = ppo.parse_args(
        ["--preset", "social_ppo_vanilla", "--ppo.lr", "3e-4", "--network.lstm-size", "64"]
    )
    assert not config.network.aux_head, "the preset stays under the overrides"
    assert config.ppo.lr == 3e-4 and config.network.lstm_size == 64
    assert config.ppo.seq_len == 16


def test_paper_defaults_are_the_defaults():
    config = ppo.parse_args([])
    assert config.ppo.lr == 1e-4 and config.ppo.seq_len == 16
    assert config.ppo.minibatch_seqs == 512 and config.ppo.state_refresh_interval == 2
    assert config.max_cycles == 250 and config.obs_mode == "rgb"


def test_bc_flags():
    config = bc.parse_args(["--steps", "500", "--beta", "0.5"])
    assert config.steps == 500 and config.beta == 0.5 and not config.network.aux_head
    assert config.logdir == "runs/social/bc/goal_cycle_v0/seed0"


def test_an_unknown_flag_is_one_line():
    with pytest.raises(SystemExit) as stop:
        ppo.parse_args(["--ppo.learning-rate", "1e-3"])
    text = str(stop.value)
    assert "\n" not in text
    assert text.startswith("python -m baselines.social.ppo: unknown option(s) --ppo.learning-rate")
    assert "--ppo.lr" in text and "--threads" in text
