"""Room peers plus a scripted expert and a scripted adversary among the advisors.

| | |
|---|---|
| Import | `peerzoo.make("peer_room_adversarial_v0")` |
| Actions | discrete, `Discrete(4)`: up, down, left, right |
| Parallel API | yes (`api="parallel"`) |
| Agents | `peer_0` … `peer_{N-1}` (default N = 2); the scripted peers are not agents |
| Observation | `Dict` (docs/protocol.md); `advice` has N + 2 rows: learners, expert, adversary |

Room (see `peer_room_v0`) where every request for advice is also answered by
two scripted peers living inside the env: the `expert` recommends the greedy
move towards the goal, the `adversary` the greedy move towards the mirrored
goal `1 − round(goal)`, as in the peer-learning paper's code. A learned trust
must come to follow the expert and ignore the adversary.
"""

from peerzoo.peer.envs._factories import room_env_fns

env, parallel_env = room_env_fns(name="peer_room_adversarial_v0", scripted=("expert", "adversary"))
