"""Walker2d peers: N copies of Walker2d-v5 learn to walk forward, advising each other.

| | |
|---|---|
| Import | `peerzoo.make("peer_walker2d_v0")` |
| Actions | continuous, `Box(-1, 1, (6,), float32)` (the task's) |
| Parallel API | yes (`api="parallel"`) |
| Agents | `peer_0` … `peer_{N-1}`, N = `n_peers` (default 4, as in the paper) |
| Observation | `Dict` (docs/protocol.md): `observation` is Walker2d-v5's `Box(17,)` |

Each peer owns one copy of Gymnasium's `Walker2d-v5` and is scored by it alone; the
peers only exchange "what would you do in my situation?" through the advice
phases of the peer protocol.

Paper settings (Derstroff et al., AAAI 2024): the original's Walker2d-v4 without early
termination on unhealthy states. On v5 that is `terminate_when_unhealthy=False` and v4's
model (`xml_file="walker2d.xml"`: the right foot's friction 0.9, where v5's model has 1.9),
so the task steps exactly as v4. Every task setting is a keyword argument
(e.g. `peerzoo.make("peer_walker2d_v0", ctrl_cost_weight=0.01)`), beside the protocol's
`n_peers`, `advice`, `stepping`, `autoreset`, `scripted`, `advisor_reward_share`,
`max_rounds` and `render_mode`.
Episodes are truncated at the task's 1000 steps.
"""

from peerzoo.peer.envs._factories import mujoco_env_fns

env, parallel_env = mujoco_env_fns("Walker2d-v5", name="peer_walker2d_v0")
