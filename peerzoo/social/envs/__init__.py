"""Registration of the social-learning gridworld ids (entry points are imported lazily)."""

from peerzoo.registry import register

# The tasks learners train on: the paper's, and the same task under the author's
# training script's wrong-goal penalty.
TRAINING_ENV_IDS = ("goal_cycle_v0", "goal_cycle_low_penalty_v0")
# The zero-shot evaluation tasks (Ndousse et al. 2021, §6): more goals, other layouts.
TRANSFER_ENV_IDS = ("goal_cycle_4_goals_v0", "goal_cycle_5_goals_v0", "four_rooms_v0", "maze_v0")
SOCIAL_ENV_IDS = (*TRAINING_ENV_IDS, *TRANSFER_ENV_IDS)

for _id in SOCIAL_ENV_IDS:
    register(
        _id,
        aec_entry_point=f"peerzoo.social.envs.{_id}:env",
        parallel_entry_point=f"peerzoo.social.envs.{_id}:parallel_env",
        max_cycles=250,
    )
