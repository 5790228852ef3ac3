"""Goal Cycle in four rooms joined by doorways (transfer task), 3 goals.

The Goal Cycle world of `goal_cycle_v0` with other defaults: `layout="four_rooms",
clutter_density=0.0`. Four rooms: the goals may sit in different rooms, so walls hide
them (and the experts) far more often than in the cluttered room. Everything else
(observations, rewards, experts, infos, rendering, arguments) is documented in
:mod:`peerzoo.social.envs.goal_cycle_v0`; every argument can be overridden, e.g.
`n_experts=0` for the task without experts.

| | |
|---|---|
| Import | `peerzoo.make("four_rooms_v0")` |
| Actions | Discrete(7): MiniGrid's (`restrict_actions=True`: left, right, forward) |
| Parallel API | yes |
| Agents | `learner_0` … (`n_learners`, default 1); experts (`n_experts=2`) are not agents |
| Observation shape | `rgb`: (21, 21, 3) · `symbolic`: (7, 7, 3) · `full`: Dict |
"""

from peerzoo.social.envs._factory import env_fns
from peerzoo.social.envs.goal_cycle_v0 import GoalCycleEnv

env, parallel_env = env_fns(
    GoalCycleEnv, name="four_rooms_v0", layout="four_rooms", clutter_density=0.0
)
