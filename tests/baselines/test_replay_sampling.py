"""Replay batches: Tianshou's default sampling generator, a listed deviation from the original.

SB3 1.5 (the original's learner) samples replay positions from NumPy's global
generator, which ``set_random_seed(seed)`` seeds per run. peerzoo's peers keep
Tianshou's ``ReplayBuffer`` default, a generator seeded with 42 in every
buffer. The committed study records depend on it (docs: peer baselines, "What
still differs"); this test fails if it changes without them being run again.
"""

from __future__ import annotations

import numpy as np

from baselines.peer.config import smoke
from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining

TIANSHOU_DEFAULT_SAMPLING_SEED = 42  # tianshou.data.ReplayBuffer(random_seed=42)


def _positions(training: PeerTraining, draws: int = 5) -> list[np.ndarray]:
    """The positions each peer's buffer would sample from a buffer of 1,000 transitions."""
    out = []
    for peer in training.peers:
        generator = peer.buffer._random_state
        state = generator.get_state()  # restored below: the peer's stream stays untouched
        out.append(np.stack([generator.choice(1_000, 8) for _ in range(draws)]))
        generator.set_state(state)
    return out


def test_every_peer_of_every_seed_samples_from_the_same_fixed_stream():
    reference = np.random.RandomState(TIANSHOU_DEFAULT_SAMPLING_SEED)
    expected = np.stack([reference.choice(1_000, 8) for _ in range(5)])
    for seed in (0, 1):
        config = smoke(paper_preset("peer_room_v0", "peer", seed=seed))
        for positions in _positions(PeerTraining(config)):
            np.testing.assert_array_equal(positions, expected)
