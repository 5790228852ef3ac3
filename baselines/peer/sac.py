"""Peer SAC on the MuJoCo peer tasks: ``python -m baselines.peer.sac --env peer_hopper_v0``.

Defaults are the paper's MuJoCo preset (:func:`baselines.peer.config.mujoco_preset`);
``--method`` runs a comparison instead, ``--preset smoke`` a seconds-long run.
"""

from baselines.peer.cli import main
from baselines.peer.config import mujoco_preset

if __name__ == "__main__":
    main(mujoco_preset, "peer_hopper_v0")
