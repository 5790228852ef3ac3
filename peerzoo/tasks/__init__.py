"""Single-agent Gymnasium tasks that peers learn: MuJoCo settings, Room, scripted advisors."""

from peerzoo.tasks.room import RoomEnv
from peerzoo.tasks.room_peers import RoomAdversary, RoomExpert

__all__ = ["RoomAdversary", "RoomEnv", "RoomExpert"]
