"""Room learners advised by a scripted expert and a scripted adversary (not a paper setting).

| | |
|---|---|
| Import | `peerzoo.make("peer_room_expert_adversary_v0")` |
| Actions | discrete, `Discrete(4)`: x + 1, x − 1, y + 1, y − 1 |
| Parallel API | yes (`api="parallel"`) |
| Agents | `peer_0` … `peer_{N-1}` (default N = 2); the scripted peers are not agents |
| Observation | `Dict` (docs/protocol.md); `advice` has N + 2 rows: learners, expert, adversary |

Room (see `peer_room_v0`) where every request for advice is also answered by
two scripted peers living inside the env: the `expert` recommends the
original's expert move towards the goal, the `adversary` the same move towards
the mirrored goal `1 − round(goal)`. The paper's adversarial setting has the
adversary alone (`peer_room_adversarial_v0`); with an expert beside it a
learned trust must both find the expert and ignore the adversary.
"""

from peerzoo.peer.envs._factories import room_env_fns

env, parallel_env = room_env_fns(
    name="peer_room_expert_adversary_v0", scripted=("expert", "adversary")
)
