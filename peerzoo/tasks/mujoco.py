"""The peer-learning paper's MuJoCo tasks (the original's ``*-v4``), built on Gymnasium's v5.

Derstroff et al. (AAAI 2024) run Gymnasium's v4 tasks with
``terminate_when_unhealthy=False`` (kramerlab/PeerLearning ``Experiments.md``).
Gymnasium deprecates v4; v5 reproduces it with the paper's setting plus, where
v5 changed the task, the keyword that restores v4:

* Ant: v4's observation has no contact forces (``include_cfrc_ext_in_observation=False``)
  and v4's reward no contact cost (``contact_cost_weight=0.0``; v5 always subtracts it);
* Walker2d: v4's model, whose right foot has friction 0.9 (``xml_file="walker2d.xml"``;
  v5's model gives both feet 1.9);
* Hopper, HalfCheetah: nothing beyond the paper's setting.

With these, each task steps exactly as its v4 (observations and rewards;
``tests/peer/test_mujoco_tasks.py`` compares them). Each setting stays a kwarg.
"""

from __future__ import annotations

from typing import Any

PAPER_TASK_KWARGS: dict[str, dict[str, Any]] = {
    "Hopper-v5": {"terminate_when_unhealthy": False},
    "Walker2d-v5": {"terminate_when_unhealthy": False, "xml_file": "walker2d.xml"},
    "HalfCheetah-v5": {},
    "Ant-v5": {
        "terminate_when_unhealthy": False,
        "include_cfrc_ext_in_observation": False,
        "contact_cost_weight": 0.0,
    },
}

# Number of peers in the paper's MuJoCo experiments.
PAPER_N_PEERS = 4
