"""Registration of the peer-learning ids (entry points are imported lazily)."""

from peerzoo.registry import register

PEER_ENV_IDS = (
    "peer_hopper_v0",
    "peer_walker2d_v0",
    "peer_halfcheetah_v0",
    "peer_ant_v0",
    "peer_room_v0",
    "peer_room_adversarial_v0",
    "peer_room_expert_adversary_v0",
)

for _id in PEER_ENV_IDS:
    register(
        _id,
        aec_entry_point=f"peerzoo.peer.envs.{_id}:env",
        parallel_entry_point=f"peerzoo.peer.envs.{_id}:parallel_env",
    )
