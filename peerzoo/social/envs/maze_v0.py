"""Goal Cycle in a maze generated in-house (transfer task), 3 goals.

The Goal Cycle world of `goal_cycle_v0` with other defaults: `layout="maze",
clutter_density=0.1`. A maze: a randomised depth-first-search maze on the 13×13 grid
with 10% of its inner walls knocked out (loops, so several routes exist). No labmaze.
Everything else (observations, rewards, experts, infos, rendering, arguments) is
documented in :mod:`peerzoo.social.envs.goal_cycle_v0`; every argument can be
overridden, e.g. `n_experts=0` for the task without experts.

| | |
|---|---|
| Import | `peerzoo.make("maze_v0")` |
| Actions | Discrete(7): MiniGrid's (`restrict_actions=True`: left, right, forward) |
| Parallel API | yes |
| Agents | `learner_0` … (`n_learners`, default 1); experts (`n_experts=2`) are not agents |
| Observation shape | `rgb`: (21, 21, 3) · `symbolic`: (7, 7, 3) · `full`: Dict |
"""

from peerzoo.social.envs._factory import env_fns
from peerzoo.social.envs.goal_cycle_v0 import GoalCycleEnv

env, parallel_env = env_fns(GoalCycleEnv, name="maze_v0", layout="maze", clutter_density=0.1)
