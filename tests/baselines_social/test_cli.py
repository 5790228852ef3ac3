"""The entry points' flags map onto the config the methods are defined by."""

from __future__ import annotations

from baselines.social import bc, ppo


def test_ppo_flags_select_the_comparison_methods():
    social = ppo.parse_args(["--env", "goal_cycle_v0", "--seed", "3", "--steps", "1000"])
    assert social.network.aux_head and social.n_experts is None and social.steps == 1000
    assert ppo.method_name(social) == "social_ppo_aux"
    assert social.logdir == "runs/social/social_ppo_aux/goal_cycle_v0/seed3"  # git-ignored
    assert ppo.method_name(ppo.parse_args(["--no-aux"])) == "social_ppo_vanilla"
    solo = ppo.parse_args(["--solo"])
    assert solo.n_experts == 0 and ppo.method_name(solo) == "solo_ppo_aux"
    mixed = ppo.parse_args(["--solo-fraction", "0.5"])
    assert mixed.solo_fraction == 0.5 and ppo.method_name(mixed) == "mixed_ppo_aux"


def test_paper_defaults_are_the_defaults():
    config = ppo.parse_args([])
    assert config.ppo.lr == 1e-4 and config.ppo.seq_len == 16
    assert config.ppo.minibatch_seqs == 512 and config.ppo.state_refresh_interval == 2
    assert config.max_cycles == 250 and config.obs_mode == "rgb"


def test_bc_flags():
    config = bc.parse_args(["--steps", "500", "--beta", "0.5"])
    assert config.steps == 500 and config.beta == 0.5 and not config.network.aux_head
    assert config.logdir == "runs/social/bc/goal_cycle_v0/seed0"
