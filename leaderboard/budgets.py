"""What a preset promises for an env: its budget, evaluation cadence, seeds and reference.

The numbers live in ``benchmarks/presets.py`` (one place for the sweep and the
board); this module only reads them, so a submission is held to exactly the
budget the sweep gives every method. ``benchmarks.presets`` is plain
dataclasses with no heavy imports, so reading it costs the leaderboard nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.presets import PRESETS, env_family

# Each paper's own baseline, the lone learner at the same budget: the single agent
# (Derstroff et al. 2024) on the peer tasks, the solo learner (Ndousse et al. 2021)
# on the social tasks. A method's score is the share of its gain over random it reaches.
REFERENCE_METHODS = {"mujoco": "single", "room": "single", "social": "solo_ppo_aux"}


@dataclass(frozen=True)
class EnvBudget:
    """The preset's promise for one env: steps per peer, evaluation cadence, seeds."""

    preset: str
    family: str
    steps_per_peer: int
    eval_every: int
    eval_episodes: int
    seeds: tuple[int, ...]

    def curve_steps(self) -> list[int]:
        """The evaluation points on the per-peer axis: every ``eval_every`` steps and the end.

        An initial evaluation at step 0 (before any training) may precede them.
        """
        points = list(range(self.eval_every, self.steps_per_peer, self.eval_every))
        return [*points, self.steps_per_peer]

    def describe(self) -> str:
        """``short preset, mujoco envs, ...`` — where the expectation comes from, for messages."""
        return f"{self.preset} preset, {self.family} envs, benchmarks/presets.py"


def env_budget(preset_name: str, env_id: str) -> EnvBudget | None:
    """The budget ``preset_name`` sets for ``env_id``, or ``None`` for an unknown preset."""
    preset = PRESETS.get(preset_name)
    if preset is None:
        return None
    family = env_family(env_id)
    budget = preset.budget(env_id)
    return EnvBudget(
        preset=preset_name,
        family=family,
        steps_per_peer=int(budget.steps_per_peer),
        eval_every=int(budget.eval_every),
        eval_episodes=int(budget.eval_episodes),
        seeds=tuple(int(s) for s in preset.seeds),
    )


def reference_method(env_id: str) -> str:
    """The method whose entry normalises ``env_id``'s scores (per preset)."""
    return REFERENCE_METHODS[env_family(env_id)]
