"""Peer learning on Tianshou (Derstroff et al., AAAI 2024): runner, trust, peer SAC/DQN.

Entry points: ``python -m baselines.peer.sac`` (MuJoCo) and ``python -m
baselines.peer.dqn`` (Room); ``--method`` picks peer learning or a comparison.
"""
