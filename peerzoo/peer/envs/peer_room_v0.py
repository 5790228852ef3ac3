"""Room peers: N DQN-sized gridworld learners walk to a goal on the border of an empty room.

| | |
|---|---|
| Import | `peerzoo.make("peer_room_v0")` |
| Actions | discrete, `Discrete(4)`: x + 1, x − 1, y + 1, y − 1 |
| Parallel API | yes (`api="parallel"`) |
| Agents | `peer_0` … `peer_{N-1}`, N = `n_peers` (default 2, as in the paper) |
| Observation | `Dict` (docs/protocol.md): `observation` is `Box(0, 1, (4,), float32)` |

The peer-learning paper's Room (:class:`peerzoo.tasks.RoomEnv`, the original's
`Room-v21` to the action): a 21×21 grid, the agent starts in the centre and the
goal is a border cell; the observation is `[agent position, goal position] /
(size − 1)`. Reward 1.0 for every step that ends on the goal, −0.001 for any
other; reaching it does not end the episode, which lasts 100 steps. `size=27`
gives the 27×27 room with 150 steps.
"""

from peerzoo.peer.envs._factories import room_env_fns

env, parallel_env = room_env_fns(name="peer_room_v0")
