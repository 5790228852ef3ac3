"""Budgets for ``run_all.py``: smoke (minutes on 2 cores), short (a laptop-day), paper.

A preset fixes, per env family, the env steps each peer takes, how often and
how long it is evaluated, and the seeds. Methods read their budget from here
so every method in a sweep gets the same one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MUJOCO_IDS = ("peer_hopper_v0", "peer_walker2d_v0", "peer_halfcheetah_v0", "peer_ant_v0")
ROOM_IDS = ("peer_room_v0", "peer_room_adversarial_v0", "peer_room_expert_adversary_v0")


def env_family(env_id: str) -> str:
    """``mujoco``, ``room`` or ``social``: the budget class an env id belongs to."""
    if env_id in MUJOCO_IDS:
        return "mujoco"
    if env_id in ROOM_IDS:
        return "room"
    return "social"


@dataclass(frozen=True)
class Budget:
    """One env family's budget inside a preset."""

    steps_per_peer: int
    eval_every: int
    eval_episodes: int


@dataclass(frozen=True)
class Preset:
    """A named budget for a whole sweep."""

    name: str
    seeds: tuple[int, ...]
    budgets: dict[str, Budget] = field(default_factory=dict)
    description: str = ""

    def budget(self, env_id: str) -> Budget:
        return self.budgets[env_family(env_id)]


PRESETS: dict[str, Preset] = {
    "smoke": Preset(
        "smoke",
        seeds=(0, 1),
        budgets={
            "mujoco": Budget(steps_per_peer=300, eval_every=150, eval_episodes=1),
            "room": Budget(steps_per_peer=1_000, eval_every=500, eval_episodes=2),
            # Two rollouts of the social learners' smoke size (4 worlds x 64 steps).
            "social": Budget(steps_per_peer=512, eval_every=256, eval_episodes=1),
        },
        description="every task × method in minutes on 2 cores; shown, never ranked",
    ),
    "short": Preset(
        "short",
        seeds=(0, 1, 2, 3, 4),
        budgets={
            "mujoco": Budget(steps_per_peer=100_000, eval_every=10_000, eval_episodes=5),
            "room": Budget(steps_per_peer=50_000, eval_every=5_000, eval_episodes=10),
            "social": Budget(steps_per_peer=1_000_000, eval_every=50_000, eval_episodes=10),
        },
        description="a laptop-day or a cluster-hour; 5 seeds, ranked",
    ),
    "paper": Preset(
        "paper",
        seeds=tuple(range(10)),
        budgets={
            "mujoco": Budget(steps_per_peer=1_000_000, eval_every=10_000, eval_episodes=10),
            "room": Budget(steps_per_peer=1_000_000, eval_every=10_000, eval_episodes=10),
            "social": Budget(steps_per_peer=10_000_000, eval_every=100_000, eval_episodes=10),
        },
        description="the papers' budgets (Derstroff et al. 2024; Ndousse et al. 2021)",
    ),
}
