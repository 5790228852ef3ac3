"""Goal Cycle with 4 goals (transfer task): the cycle is longer, the room the same.

The Goal Cycle world of `goal_cycle_v0` with other defaults: `n_goals=4`. More goals: a
learner that memorised a 3-cycle must find the 4-cycle anew, while experts still show
it. Everything else (observations, rewards, experts, infos, rendering, arguments) is
documented in :mod:`peerzoo.social.envs.goal_cycle_v0`; every argument can be
overridden, e.g. `n_experts=0` for the task without experts.

| | |
|---|---|
| Import | `peerzoo.make("goal_cycle_4_goals_v0")` |
| Actions | Discrete(7): MiniGrid's (`restrict_actions=True`: left, right, forward) |
| Parallel API | yes |
| Agents | `learner_0` … (`n_learners`, default 1); experts (`n_experts=2`) are not agents |
| Observation shape | `rgb`: (21, 21, 3) · `symbolic`: (7, 7, 3) · `full`: Dict |
"""

from peerzoo.social.envs._factory import env_fns
from peerzoo.social.envs.goal_cycle_v0 import GoalCycleEnv

env, parallel_env = env_fns(GoalCycleEnv, name="goal_cycle_4_goals_v0", n_goals=4)
