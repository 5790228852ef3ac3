"""Goal Cycle with the author's training penalty: a wrong goal costs −0.25, not −1.5.

The Goal Cycle world of `goal_cycle_v0` with other defaults: `penalty=-0.25`. The
paper's text gives −1.5; the author's script that trains the learner with the
prediction head (kandouss/kamarl, `scripts/marlgrid_ppo_parallel.py`) uses −0.25.
Under −1.5 a learner that has not yet read its view earns more by avoiding goals
than by trying them, a plateau the reference learners hold through 10⁷ steps;
under −0.25 trial and error pays (the social baselines page has the
measurements). A separate id so that results under either penalty never share a
leaderboard row. Everything else (observations, rewards, experts, infos,
rendering, arguments) is documented in :mod:`peerzoo.social.envs.goal_cycle_v0`;
every argument can be overridden.

| | |
|---|---|
| Import | `peerzoo.make("goal_cycle_low_penalty_v0")` |
| Actions | Discrete(7): MiniGrid's (`restrict_actions=True`: left, right, forward) |
| Parallel API | yes |
| Agents | `learner_0` … (`n_learners`, default 1); experts (`n_experts=2`) are not agents |
| Observation shape | `rgb`: (21, 21, 3) · `symbolic`: (7, 7, 3) · `full`: Dict |
"""

from peerzoo.social.envs._factory import env_fns
from peerzoo.social.envs.goal_cycle_v0 import GoalCycleEnv

env, parallel_env = env_fns(GoalCycleEnv, name="goal_cycle_low_penalty_v0", penalty=-0.25)
