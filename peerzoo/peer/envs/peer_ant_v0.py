"""Ant peers: N copies of Ant-v5 learn to walk forward, advising each other.

| | |
|---|---|
| Import | `peerzoo.make("peer_ant_v0")` |
| Actions | continuous, `Box(-1, 1, (8,), float32)` (the task's) |
| Parallel API | yes (`api="parallel"`) |
| Agents | `peer_0` … `peer_{N-1}`, N = `n_peers` (default 4, as in the paper) |
| Observation | `Dict` (docs/protocol.md): `observation` is Ant-v5's `Box(27,)` |

Each peer owns one copy of Gymnasium's `Ant-v5` and is scored by it alone; the
peers only exchange "what would you do in my situation?" through the advice
phases of the peer protocol.

Paper settings (Derstroff et al., AAAI 2024): the original's Ant-v4 without early
termination. On v5 that takes three keywords: no early termination, the 27-dimensional
observation (no contact forces) and no contact cost in the reward (v5 always subtracts it;
`contact_cost_weight=0.0`), so the task steps exactly as v4. Every task setting is a keyword
argument (e.g. `peerzoo.make("peer_ant_v0", ctrl_cost_weight=0.01)`), beside the
protocol's `n_peers`, `advice`, `stepping`, `autoreset`, `scripted`,
`advisor_reward_share`, `max_rounds` and `render_mode`. Episodes are truncated at the
task's 1000 steps.
"""

from peerzoo.peer.envs._factories import mujoco_env_fns

env, parallel_env = mujoco_env_fns("Ant-v5", name="peer_ant_v0")
