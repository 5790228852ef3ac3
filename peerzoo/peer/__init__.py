"""The peer protocol: one core state machine with AEC and parallel views (docs/protocol.md)."""

from peerzoo.errors import InvalidActionError, PeerConfigError, TurnOrderError
from peerzoo.peer.aec import PeerAECEnv
from peerzoo.peer.core import ACT, ADVISE, IDLE, PeerCore
from peerzoo.peer.parallel import PeerParallelEnv

__all__ = [
    "ACT",
    "ADVISE",
    "IDLE",
    "InvalidActionError",
    "PeerAECEnv",
    "PeerConfigError",
    "PeerCore",
    "PeerParallelEnv",
    "TurnOrderError",
]
