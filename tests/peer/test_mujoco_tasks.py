"""The MuJoCo peer tasks step exactly as the original's Gymnasium v4 tasks.

The original runs (kramerlab/PeerLearning ``Experiments.md``) make these tasks;
the table is theirs, not read from peerzoo:

| peerzoo id            | original task   | original kwargs                 |
|-----------------------|-----------------|---------------------------------|
| `peer_hopper_v0`      | `Hopper-v4`     | terminate_when_unhealthy=False  |
| `peer_walker2d_v0`    | `Walker2d-v4`   | terminate_when_unhealthy=False  |
| `peer_halfcheetah_v0` | `HalfCheetah-v4`| (none)                          |
| `peer_ant_v0`         | `Ant-v4`        | terminate_when_unhealthy=False  |

Gymnasium still ships v4 (deprecated), so each peer's task copy is compared
with it directly: same seed, same random actions, the same observations,
rewards and flags to the last bit.
"""

from __future__ import annotations

import warnings

import gymnasium
import numpy as np
import pytest

import peerzoo

ORIGINAL = {
    "peer_hopper_v0": ("Hopper-v4", {"terminate_when_unhealthy": False}),
    "peer_walker2d_v0": ("Walker2d-v4", {"terminate_when_unhealthy": False}),
    "peer_halfcheetah_v0": ("HalfCheetah-v4", {}),
    "peer_ant_v0": ("Ant-v4", {"terminate_when_unhealthy": False}),
}
STEPS = 200


def _original(env_id: str) -> gymnasium.Env:
    task_id, kwargs = ORIGINAL[env_id]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "v4 is out of date"
        return gymnasium.make(task_id, **kwargs)


@pytest.mark.parametrize("env_id", sorted(ORIGINAL))
def test_a_peers_task_steps_as_the_originals_v4_task(env_id: str) -> None:
    ours = peerzoo.make(env_id, n_peers=1).unwrapped.core.tasks[0]
    theirs = _original(env_id)
    obs_ours, _ = ours.reset(seed=3)
    obs_theirs, _ = theirs.reset(seed=3)
    np.testing.assert_array_equal(obs_ours, obs_theirs)
    rng = np.random.default_rng(0)
    rewards = []
    for _ in range(STEPS):
        action = rng.uniform(-1.0, 1.0, theirs.action_space.shape)
        *mine, _ = ours.step(action)
        *original, _ = theirs.step(action)
        np.testing.assert_array_equal(mine[0], original[0])
        assert mine[1:] == original[1:]  # reward, terminated, truncated
        rewards.append(original[1])
    assert np.std(rewards) > 0  # the actions moved the body: the comparison saw dynamics
