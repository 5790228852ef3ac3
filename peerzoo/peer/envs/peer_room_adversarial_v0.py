"""The paper's adversarial setting: two Room learners and a scripted adversary among the advisors.

| | |
|---|---|
| Import | `peerzoo.make("peer_room_adversarial_v0")` |
| Actions | discrete, `Discrete(4)`: x + 1, x − 1, y + 1, y − 1 |
| Parallel API | yes (`api="parallel"`) |
| Agents | `peer_0` … `peer_{N-1}` (default N = 2); the adversary is not an agent |
| Observation | `Dict` (docs/protocol.md); `advice` has N + 1 rows: learners, then the adversary |

Room (see `peer_room_v0`) where every request for advice is also answered by
a scripted `adversary` living inside the env: it recommends the original's
expert move towards the mirrored goal `1 − round(goal)`. This is the
original's `--agent-count 3 --mix-agents DQN DQN Adversarial`: two learners,
one adversary, no expert. A learned trust must come to ignore the adversary.
`peer_room_expert_adversary_v0` adds a scripted expert as well.
"""

from peerzoo.peer.envs._factories import room_env_fns

env, parallel_env = room_env_fns(name="peer_room_adversarial_v0", scripted=("adversary",))
