"""Peer SAC on the MuJoCo peer tasks: ``python -m baselines.peer.sac --env peer_hopper_v0``.

Defaults are the paper's MuJoCo preset (:func:`baselines.peer.presets.paper_preset`);
``--method`` runs a comparison instead, ``--preset smoke`` a seconds-long run.
"""

from baselines.peer.cli import main

if __name__ == "__main__":
    main("peer_hopper_v0")
