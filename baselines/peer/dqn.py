"""Peer DQN on Room: ``python -m baselines.peer.dqn --env peer_room_v0``.

Defaults are the paper's Room preset (:func:`baselines.peer.presets.paper_preset`);
``--method`` runs a comparison instead, ``--preset smoke`` a seconds-long run.
"""

from baselines.peer.cli import main

if __name__ == "__main__":
    main("peer_room_v0")
