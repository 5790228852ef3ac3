"""Peer SAC, peer DQN and every comparison method run end to end and follow their rules."""

from __future__ import annotations

import json

import numpy as np
import pytest

from baselines.peer.cli import main
from baselines.peer.config import METHODS, smoke
from baselines.peer.learners import SACPeer
from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining

ROOM = {"size": 5}


def _room(method: str, steps: int = 300) -> PeerTraining:
    config = paper_preset("peer_room_v0", method, task_kwargs=ROOM)
    return PeerTraining(smoke(config, total_steps=steps))


@pytest.mark.parametrize("method", METHODS)
def test_every_method_trains_and_evaluates_on_room(method):
    training = _room(method).train()
    scale = 2 if method == "single_nx" else 1  # N× the samples for the lone agent
    assert [point[0] for point in training.curve] == [75 * k for k in range(1, 4 * scale + 1)]
    assert len(training.final_returns) == training.config.eval_episodes


def test_single_agent_methods_run_one_peer_without_advice_and_nx_gets_n_times_the_steps():
    single, single_nx = _room("single"), _room("single_nx")
    assert len(single.peers) == len(single_nx.peers) == 1
    assert single.env.core.schedule.kind == "none" or not single.env.core.schedule.may_request
    assert single_nx.steps_per_peer == 2 * single.steps_per_peer  # 2 peers in the Room preset


def test_shared_replay_puts_every_transition_in_one_buffer():
    training = _room("shared_replay", steps=50).train()
    buffers = {id(peer.buffer) for peer in training.peers}
    assert len(buffers) == 1
    assert len(training.peers[0].buffer) >= 2 * 49  # both peers' transitions


def test_peer_learning_follows_peers_and_solo_methods_never_do():
    peer = _room("peer").train()
    assert peer.runner.stats.follow_counts[0, 1] > 0  # peer_0 followed peer_1 sometimes
    shared = _room("shared_replay", steps=100).train()
    counts = shared.runner.stats.follow_counts
    assert counts.sum() == np.trace(counts)


def test_random_advice_follows_every_candidate_alike_and_holds_each_choice():
    training = _room("random_advice", steps=400).train()
    counts = training.runner.stats.follow_counts
    assert counts.sum() == 2 * (400 - 100)  # no decision during the 100 warm-up steps
    assert (counts > 90).all()  # self and the other peer, about 150 each
    assert training.strategy.trusts[0].config.follow_steps == 10


def test_early_advising_follows_the_other_peer_for_half_the_epochs_then_goes_solo():
    """Room's row: max-peer-epochs 5000 of 10000 epochs; smoke keeps the half."""
    training = _room("early_advising", steps=400).train()
    assert training.config.max_peer_epochs * training.config.epoch_length == 200
    # warm-up to step 100, the other peer until step 200, then 200 solo steps
    np.testing.assert_array_equal(training.runner.stats.follow_counts, [[200, 100], [100, 200]])


def test_peer_sac_group_on_hopper_trains_and_advises():
    config = smoke(paper_preset("peer_hopper_v0", n_peers=2), total_steps=160)
    config.learning_starts = 40
    training = PeerTraining(config).train()
    assert isinstance(training.peers[0], SACPeer)
    assert len(training.curve) == 4
    assert training.env.core.stepping.epoch == 16  # the paper's round robin, scaled down
    assert all(len(p.buffer) >= 150 for p in training.peers)
    assert training.runner.stats.follow_counts[:, :2].sum() == 2 * (160 - 40)


def test_cli_writes_a_submission_tensorboard_logs_and_checkpoints(tmp_path):
    argv = ["--env-id", "peer_room_v0", "--seed", "3", "--preset", "smoke", "--total-steps", "200"]
    argv += ["--out", str(tmp_path / "out"), "--logdir", str(tmp_path / "runs")]
    argv += ["--checkpoint-dir", str(tmp_path / "ckpt"), "--no-progress"]
    main("peer_room_v0", argv)
    (result,) = (tmp_path / "out").glob("*.json")
    submission = json.loads(result.read_text())
    assert submission["train_env_id"] == "peer_room_v0"
    assert submission["method"]["name"] == "peer"  # as the sweep names it
    assert submission["preset"] == {"name": "smoke", "env_steps_per_peer": 200, "n_peers": 2}
    (evaluation,) = submission["evaluations"]
    (seed,) = evaluation["seeds"]
    assert seed["seed"] == 3 and [p[0] for p in seed["curve"]] == [50, 100, 150, 200]
    assert list((tmp_path / "runs").rglob("events.out.tfevents.*"))
    assert len(list((tmp_path / "ckpt").glob("step_*.pt"))) == 4


def test_a_run_cut_short_is_labelled_with_the_unranked_smoke_budget():
    from types import SimpleNamespace

    from baselines.peer.cli import budget_label

    full = paper_preset("peer_room_v0").total_steps
    assert budget_label(SimpleNamespace(steps_per_peer=full), "paper", full) == "paper"
    assert budget_label(SimpleNamespace(steps_per_peer=30_000), "paper", full) == "smoke"


def test_benchmark_entry_points_return_valid_seed_records():
    from baselines.peer import benchmark
    from benchmarks.methods import check_seed_record
    from benchmarks.presets import Budget

    record = benchmark.early_advising("peer_room_v0", 1, Budget(100, 50, 1))
    check_seed_record(record)
    assert [p[0] for p in record["curve"]] == [50, 100] and record["n_peers"] == 2
