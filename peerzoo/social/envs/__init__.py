"""Registration of the social-learning gridworld ids (entry points are imported lazily)."""

from peerzoo.registry import register

SOCIAL_ENV_IDS = (
    "goal_cycle_v0",
    "goal_cycle_4_goals_v0",
    "goal_cycle_5_goals_v0",
    "four_rooms_v0",
    "maze_v0",
)

for _id in SOCIAL_ENV_IDS:
    register(
        _id,
        aec_entry_point=f"peerzoo.social.envs.{_id}:env",
        parallel_entry_point=f"peerzoo.social.envs.{_id}:parallel_env",
        max_cycles=250,
    )
