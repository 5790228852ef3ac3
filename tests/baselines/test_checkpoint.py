"""Checkpoints at evaluation boundaries; a resumed run equals the uninterrupted one."""

from __future__ import annotations

import numpy as np
import torch

from baselines.peer.config import smoke
from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining


def _parameters(training: PeerTraining) -> list[torch.Tensor]:
    return [p.detach().clone() for peer in training.peers for p in peer.algorithm.parameters()]


def test_a_run_resumed_from_an_evaluation_checkpoint_continues_bit_for_bit(tmp_path):
    config = smoke(paper_preset("peer_room_v0", task_kwargs={"size": 5}), total_steps=600)
    config.eval_every = 300
    config.eval_episodes = 2
    uninterrupted = PeerTraining(config).train(checkpoint_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.pt")) == ["step_300.pt", "step_600.pt"]

    resumed = PeerTraining.load(tmp_path / "step_300.pt")
    assert resumed.steps_done == 300 and len(resumed.curve) == 1
    resumed.train()

    assert resumed.curve == uninterrupted.curve
    np.testing.assert_array_equal(
        resumed.runner.stats.follow_counts, uninterrupted.runner.stats.follow_counts
    )
    for a, b in zip(_parameters(resumed), _parameters(uninterrupted), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert len(resumed.peers[0].buffer) == len(uninterrupted.peers[0].buffer)


def test_mujoco_physics_and_the_batched_ensemble_resume_exactly_too(tmp_path):
    """MuJoCo tasks pickle by constructor arguments, so the checkpoint carries their physics."""
    config = paper_preset("peer_hopper_v0", n_peers=2, stepping="lockstep", ensemble=True)
    config = smoke(config, total_steps=64)
    config.learning_starts = 16
    uninterrupted = PeerTraining(config).train(checkpoint_dir=tmp_path)
    resumed = PeerTraining.load(tmp_path / "step_32.pt").train()
    assert resumed.ensemble is not None
    assert resumed.curve == uninterrupted.curve
    for a, b in zip(_parameters(resumed), _parameters(uninterrupted), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
