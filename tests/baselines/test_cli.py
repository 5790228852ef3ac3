"""The peer CLI: a preset, then every config field (trust settings included) as a flag."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from baselines.command_line import config_flags
from baselines.peer.cli import main, parse_config
from baselines.peer.config import PeerRunConfig, smoke, with_budget
from baselines.peer.presets import paper_preset, paper_run
from baselines.peer.trust import TrustConfig


def test_the_paper_preset_is_the_default_and_flags_override_it() -> None:
    config, _ = parse_config("peer_room_v0", [])
    assert config == paper_preset("peer_room_v0")
    config, _ = parse_config(
        "peer_hopper_v0",
        ["--env-id", "peer_halfcheetah_v0", "--lr", "1e-3", "--hidden-sizes", "32", "32"],
    )
    paper = paper_preset("peer_halfcheetah_v0")
    assert config == dataclasses.replace(paper, lr=1e-3, hidden_sizes=(32, 32))
    assert config.learning_starts == 10_000, "HalfCheetah's own preset was the base"


def test_trust_settings_are_flags() -> None:
    argv = ["--trust.temperature", "2", "--trust.no-use-critic", "--trust.advantage"]
    argv += ["--trust.follow-steps", "3"]
    config, _ = parse_config("peer_room_v0", argv)
    assert config.trust == dataclasses.replace(
        TrustConfig(), temperature=2.0, use_critic=False, advantage=True, follow_steps=3
    )


def test_every_config_field_has_a_flag_so_new_fields_need_no_cli_change() -> None:
    flags = set(config_flags(PeerRunConfig))
    for field in dataclasses.fields(PeerRunConfig):
        if field.name != "trust":
            assert f"--{field.name.replace('_', '-')}" in flags
    for field in dataclasses.fields(TrustConfig):
        assert f"--trust.{field.name.replace('_', '-')}" in flags


def test_the_smoke_preset_derives_its_sizes_from_the_budget_and_flags_still_win() -> None:
    argv = ["--preset", "smoke", "--total-steps", "400", "--hidden-sizes", "8"]
    config, options = parse_config("peer_room_v0", argv)
    derived = smoke(paper_preset("peer_room_v0"), total_steps=400)
    assert config == dataclasses.replace(derived, hidden_sizes=(8,))
    assert options.preset == "smoke" and config.eval_every == 100


def test_an_unknown_flag_is_one_line_naming_it_and_the_valid_ones(tmp_path: Path, capsys) -> None:
    argv = ["--trust.temprature", "2", "--out", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as stop:
        main("peer_room_v0", argv)
    text = str(stop.value)
    assert "\n" not in text
    assert "unknown option(s) --trust.temprature (did you mean --trust.temperature?)" in text
    assert "valid options: " in text and "--trust.follow-steps" in text and "--out" in text
    assert not (tmp_path / "out").exists()
    with pytest.raises(SystemExit):
        parse_config("peer_room_v0", ["--preset", "fast"])
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(
        "python -m baselines.peer.dqn: error: argument --preset: invalid choice: 'fast' "
    )
    assert "'paper'" in error and "'smoke'" in error and "'hopper/agents/8'" in error


def test_method_picks_its_row_and_a_named_row_can_be_shortened() -> None:
    config, _ = parse_config("peer_room_v0", ["--env", "peer_hopper_v0", "--method", "single"])
    assert config == paper_preset("peer_hopper_v0", "single")
    argv = ["--preset", "hopper/early_advising", "--total-steps", "10000"]
    config, _ = parse_config("peer_room_v0", argv)
    shortened = with_budget(paper_run("hopper/early_advising").config, 10_000)
    assert config == dataclasses.replace(shortened, eval_every=min(shortened.eval_every, 10_000))
    assert config.max_peer_epochs < paper_run("hopper/early_advising").config.max_peer_epochs
