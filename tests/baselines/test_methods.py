"""Peer SAC, peer DQN and every comparison method run end to end and follow their rules."""

from __future__ import annotations

import json

import numpy as np
import pytest

from baselines.peer.cli import main
from baselines.peer.comparisons import EarlyAdvising, RandomAdvice
from baselines.peer.config import METHODS, mujoco_preset, room_preset, smoke
from baselines.peer.learners import SACPeer
from baselines.peer.train import PeerTraining

ROOM = {"size": 5}


def _room(method: str, steps: int = 300) -> PeerTraining:
    return PeerTraining(smoke(room_preset(method=method, task_kwargs=ROOM), total_steps=steps))


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


def test_random_advice_is_uniform_over_all_peers_including_self_and_held():
    strategy = RandomAdvice(n_peers=1, follow_steps=10)
    rng = np.random.default_rng(0)
    picks = [strategy.choose(0, np.arange(4), None, 0.0, rng) for _ in range(4000)]
    assert all(len(set(picks[k : k + 10])) == 1 for k in range(0, 4000, 10))  # held
    np.testing.assert_allclose(np.bincount(picks) / 4000, 0.25, atol=0.05)


def test_early_advising_follows_a_random_other_peer_then_goes_solo():
    strategy = EarlyAdvising(fraction=0.5)
    rng = np.random.default_rng(0)
    early = {strategy.choose(1, np.arange(3), None, 0.49, rng) for _ in range(100)}
    assert early == {0, 2}  # every step a random *other* peer
    assert strategy.choose(1, np.arange(3), None, 0.5, rng) == 1
    assert room_preset().early_advising_fraction == 0.5
    assert mujoco_preset().early_advising_fraction == 0.74


def test_peer_sac_group_on_hopper_trains_and_advises():
    config = smoke(mujoco_preset(n_peers=2), total_steps=160)
    config.learning_starts = 40
    training = PeerTraining(config).train()
    assert isinstance(training.peers[0], SACPeer)
    assert len(training.curve) == 4
    assert training.env.core.stepping.epoch == 16  # the paper's round robin, scaled down
    assert all(len(p.buffer) >= 150 for p in training.peers)
    assert training.runner.stats.follow_counts[:, :2].sum() == 2 * 160


def test_paper_presets_carry_the_papers_values():
    hopper, cheetah, room = mujoco_preset(), mujoco_preset("peer_halfcheetah_v0"), room_preset()
    assert (hopper.n_peers, hopper.hidden_sizes, hopper.batch_size) == (4, (150, 200), 256)
    assert (hopper.buffer_size, hopper.gamma, hopper.tau) == (1_000_000, 0.99, 0.02)
    assert (hopper.train_every, hopper.gradient_steps, hopper.lr) == (8, 8, 3e-4)
    assert (hopper.total_steps, hopper.stepping) == (1_000_000, "round_robin:10000")
    assert (cheetah.lr, cheetah.learning_starts, hopper.learning_starts) == (7.3e-4, 10_000, 100)
    assert (room.n_peers, room.hidden_sizes, room.lr, room.buffer_size) == (
        2,
        (256, 256),
        5e-4,
        300_000,
    )
    assert (room.exploration_final_eps, room.exploration_fraction, room.tau) == (0.05, 0.1, 0.02)
    assert (hopper.eval_every, hopper.eval_episodes) == (10_000, 10)
    trust = hopper.trust
    assert (trust.lr, trust.init, trust.batch_size, trust.buffer_size) == (0.001, 200.0, 10, 1000)
    assert (trust.temperature, trust.temperature_decay, trust.follow_steps) == (1.0, 0.0, 10)
    assert trust.use_critic and trust.use_trust and trust.use_agent_values


def test_cli_writes_a_submission_tensorboard_logs_and_checkpoints(tmp_path):
    argv = ["--env", "peer_room_v0", "--seed", "3", "--preset", "smoke", "--steps", "200"]
    argv += ["--out", str(tmp_path / "out"), "--logdir", str(tmp_path / "runs")]
    argv += ["--checkpoint-dir", str(tmp_path / "ckpt"), "--no-progress"]
    main(room_preset, "peer_room_v0", argv)
    (result,) = (tmp_path / "out").glob("*.json")
    submission = json.loads(result.read_text())
    assert submission["train_env_id"] == "peer_room_v0"
    assert submission["method"]["name"] == "peer_peer"
    (evaluation,) = submission["evaluations"]
    (seed,) = evaluation["seeds"]
    assert seed["seed"] == 3 and [p[0] for p in seed["curve"]] == [50, 100, 150, 200]
    assert list((tmp_path / "runs").rglob("events.out.tfevents.*"))
    assert len(list((tmp_path / "ckpt").glob("step_*.pt"))) == 4


def test_benchmark_entry_points_return_valid_seed_records():
    from baselines.peer import benchmark
    from benchmarks.methods import check_seed_record
    from benchmarks.presets import Budget

    record = benchmark.early_advising("peer_room_v0", 1, Budget(100, 50, 1))
    check_seed_record(record)
    assert [p[0] for p in record["curve"]] == [50, 100] and record["n_peers"] == 2
