"""The peer-learning paper's MuJoCo settings, on Gymnasium's v5 tasks.

Derstroff et al. (AAAI 2024) train without early termination on unhealthy
states and use Ant's 27-dimensional observation (v4 without contact forces);
on v5 that is ``terminate_when_unhealthy=False`` and
``include_cfrc_ext_in_observation=False``. Each setting stays a kwarg.
"""

from __future__ import annotations

from typing import Any

PAPER_TASK_KWARGS: dict[str, dict[str, Any]] = {
    "Hopper-v5": {"terminate_when_unhealthy": False},
    "Walker2d-v5": {"terminate_when_unhealthy": False},
    "HalfCheetah-v5": {},
    "Ant-v5": {"terminate_when_unhealthy": False, "include_cfrc_ext_in_observation": False},
}

# Number of peers in the paper's MuJoCo experiments.
PAPER_N_PEERS = 4
