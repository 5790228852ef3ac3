"""The training-task variant: goal_cycle_v0 under the author's script's wrong-goal penalty."""

from __future__ import annotations

import inspect

import peerzoo
from peerzoo.social.envs import TRAINING_ENV_IDS, TRANSFER_ENV_IDS, goal_cycle_v0
from tests.social.helpers import EAST, FORWARD, set_world

# The author's training script with the frame-prediction loss (kandouss/kamarl,
# scripts/marlgrid_ppo_parallel.py since commit 367f9cd, "Add 'ppo_rec.py' with frame
# prediction error") sets ClutteredGoalCycleEnv(penalty=-0.25); the paper's text, -1.5.
AUTHOR_SCRIPT_PENALTY = -0.25
PAPER_PENALTY = -1.5


def defaults(module) -> dict:
    return {n: p.default for n, p in inspect.signature(module.parallel_env).parameters.items()}


def test_the_variant_differs_from_goal_cycle_only_in_the_penalty() -> None:
    from peerzoo.social.envs import goal_cycle_low_penalty_v0

    paper, variant = defaults(goal_cycle_v0), defaults(goal_cycle_low_penalty_v0)
    assert paper["penalty"] == PAPER_PENALTY
    assert variant["penalty"] == AUTHOR_SCRIPT_PENALTY
    assert {k: v for k, v in variant.items() if k != "penalty"} == {
        k: v for k, v in paper.items() if k != "penalty"
    }


def test_a_wrong_goal_costs_the_authors_penalty_through_the_registry() -> None:
    env = peerzoo.make(
        "goal_cycle_low_penalty_v0",
        api="parallel",
        n_experts=0,
        obs_mode="symbolic",
        clutter_density=0.0,
    )
    env.reset(seed=0)
    # Goals east of the learner in the order 0, 2, 1: the second one entered is out of turn.
    set_world(env, goals=[(6, 4), (6, 8), (6, 6)], agents=[(6, 3, EAST)])
    rewards = [env.step({"learner_0": FORWARD})[1]["learner_0"] for _ in range(5)]
    assert rewards == [1.0, 0.0, AUTHOR_SCRIPT_PENALTY, 0.0, 1.0]


def test_training_variants_are_not_transfer_tasks() -> None:
    assert "goal_cycle_low_penalty_v0" in TRAINING_ENV_IDS
    assert not set(TRAINING_ENV_IDS) & set(TRANSFER_ENV_IDS)
