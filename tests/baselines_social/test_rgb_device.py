"""The rgb learner: ``--device`` selects where it trains; on a CPU it says it will be slow."""

from __future__ import annotations

import dataclasses

from baselines.social import ppo
from baselines.social.config import PPOConfig, RunConfig


def test_device_flag_reaches_the_config_and_not_the_config_hash() -> None:
    from baselines.social.config import config_hash

    cuda = ppo.parse_args(["--device", "cuda"])
    assert cuda.device == "cuda" and ppo.parse_args([]).device == "cpu"
    assert config_hash(cuda) == config_hash(dataclasses.replace(cuda, device="cpu"))


def test_only_a_cpu_run_of_the_rgb_learner_is_warned_about() -> None:
    note = ppo.slow_on_cpu_note(RunConfig())
    assert note is not None and "--device cuda" in note and "baselines.social.fast" in note
    assert ppo.slow_on_cpu_note(RunConfig(device="cuda")) is None
    assert ppo.slow_on_cpu_note(RunConfig(obs_mode="symbolic")) is None


def test_a_cpu_run_prints_the_warning(capsys) -> None:
    config = RunConfig(
        steps=32,
        n_envs=1,
        rollout_len=32,
        max_cycles=16,
        eval_every=32,
        eval_episodes=1,
        progress=False,
        ppo=PPOConfig(minibatch_seqs=2, epochs=1),
    )
    ppo.train_ppo(config, evaluate=False)
    assert ppo.slow_on_cpu_note(config) in capsys.readouterr().err
