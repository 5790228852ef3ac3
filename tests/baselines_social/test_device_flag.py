"""``--device`` at the command line: it selects where a learner trains, a CPU run of the rgb
learner says it will be slow, and a GPU run without a GPU stops with one line."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from baselines.social import ppo
from baselines.social.config import RunConfig
from tests.baselines_social.tiny_configs import tiny_rgb_run


def test_device_flag_reaches_the_config_and_not_the_config_hash(monkeypatch) -> None:
    from baselines.social.config import config_hash

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    cuda = ppo.parse_args(["--device", "cuda"])
    assert cuda.device == "cuda" and ppo.parse_args([]).device == "cpu"
    assert config_hash(cuda) == config_hash(dataclasses.replace(cuda, device="cpu"))


def test_only_a_cpu_run_of_the_rgb_learner_is_warned_about() -> None:
    note = ppo.slow_on_cpu_note(RunConfig())
    assert note is not None and "--device cuda" in note and "baselines.social.fast" in note
    assert ppo.slow_on_cpu_note(RunConfig(device="cuda")) is None
    assert ppo.slow_on_cpu_note(RunConfig(obs_mode="symbolic")) is None


def test_a_cpu_run_prints_the_warning(capsys) -> None:
    config = tiny_rgb_run(steps=32, n_envs=1)
    ppo.train_ppo(config, evaluate=False)
    assert ppo.slow_on_cpu_note(config) in capsys.readouterr().err


def _peer_cli(argv: list[str]) -> object:
    from baselines.peer.cli import main

    return main("peer_hopper_v0", argv)


def _social_cli(module: str):
    import importlib

    return lambda argv: importlib.import_module(module).main(argv)


@pytest.mark.parametrize(
    "main",
    [_social_cli("baselines.social.ppo"), _social_cli("baselines.social.fast"), _peer_cli],
    ids=["social.ppo", "social.fast", "peer.sac"],
)
def test_a_gpu_run_without_a_gpu_is_one_line_at_the_command_line(monkeypatch, main) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SystemExit, match=r"--device 'cuda': this machine's torch sees no CUDA"):
        main(["--device", "cuda", "--seed", "0"])
