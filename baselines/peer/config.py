"""Every knob of the peer-learning runs, with the paper's values as defaults.

Derstroff et al. (AAAI 2024), appendix: MuJoCo peers are SAC with [150, 200]
nets, Room peers DQN with [256, 256]; both collect 8 env steps then take 8
gradient steps; evaluation is 10 deterministic episodes of each peer's own
policy every 10k steps. ``smoke()`` shrinks a preset to seconds for CI.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from baselines.peer.trust import TrustConfig

METHODS = ("peer", "single", "single_nx", "shared_replay", "random_advice", "early_advising")


@dataclass
class PeerRunConfig:
    """One peer-learning run. ``method`` picks peer learning or a comparison."""

    env_id: str = "peer_hopper_v0"
    method: str = "peer"
    seed: int = 0
    n_peers: int = 4
    total_steps: int = 1_000_000  # env steps per peer
    stepping: str = "round_robin:10000"  # the paper's code trains one peer at a time
    hidden_sizes: tuple[int, ...] = (150, 200)
    lr: float = 3e-4
    gamma: float = 0.99
    tau: float = 0.02
    buffer_size: int = 1_000_000
    batch_size: int = 256
    train_every: int = 8
    gradient_steps: int = 8
    learning_starts: int = 100
    early_advising_fraction: float = 0.74
    # Stable-Baselines3 1.5 learner settings of the original runs (SB3's names).
    # SAC: gSDE (run_peer.py sets use_sde=True, log_std_init=-3; the rest are SB3 1.5's SAC).
    use_sde: bool = True
    log_std_init: float = -3.0
    sde_sample_freq: int = -1  # -1: a new exploration matrix only at each rollout start
    full_std: bool = True
    learn_features: bool = True  # SB3 1.5 SAC Actor: gSDE with learn_features=True
    # DQN: target Polyak step every target_update_interval env steps (run_peer.py default 1),
    # gradients clipped to max_grad_norm, greedy actions unless epsilon_greedy (the original's
    # peers act through policy.predict, which is greedy); ε schedule as SB3's DQN.
    target_update_interval: int = 1
    max_grad_norm: float = 10.0
    epsilon_greedy: bool = False
    exploration_initial_eps: float = 1.0
    exploration_final_eps: float = 0.05
    exploration_fraction: float = 0.1
    eval_every: int = 10_000
    eval_episodes: int = 10
    ensemble: bool = False  # SAC: vmapped queries (any stepping), vmapped updates in lockstep
    task_kwargs: dict = field(default_factory=dict)
    trust: TrustConfig = field(default_factory=TrustConfig)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"Unknown method {self.method!r}; choose from {METHODS}.")


def mujoco_preset(env_id: str = "peer_hopper_v0", **overrides: object) -> PeerRunConfig:
    """The paper's MuJoCo SAC preset (HalfCheetah: lr 7.3e-4, learning_starts 10k)."""
    cheetah = env_id == "peer_halfcheetah_v0"
    base = PeerRunConfig(
        env_id=env_id,
        lr=7.3e-4 if cheetah else 3e-4,
        learning_starts=10_000 if cheetah else 100,
    )
    return dataclasses.replace(base, **overrides)


def room_preset(env_id: str = "peer_room_v0", **overrides: object) -> PeerRunConfig:
    """The paper's Room DQN preset: 2 peers, [256, 256], lr 5e-4, buffer 300k."""
    base = PeerRunConfig(
        env_id=env_id,
        n_peers=2,
        total_steps=300_000,
        stepping="lockstep",
        hidden_sizes=(256, 256),
        lr=5e-4,
        buffer_size=300_000,
        early_advising_fraction=0.5,
    )
    return dataclasses.replace(base, **overrides)


def smoke(config: PeerRunConfig, total_steps: int = 2_000) -> PeerRunConfig:
    """A seconds-long version of ``config``: tiny budget, small nets and rooms."""
    stepping = config.stepping
    if stepping.startswith("round_robin"):
        stepping = f"round_robin:{max(1, total_steps // 10)}"
    task_kwargs = dict(config.task_kwargs)
    if "room" in config.env_id:
        task_kwargs.setdefault("size", 7)
    return dataclasses.replace(
        config,
        total_steps=total_steps,
        stepping=stepping,
        hidden_sizes=(64, 64),
        buffer_size=min(config.buffer_size, 50_000),
        learning_starts=min(config.learning_starts, 100),
        eval_every=max(1, total_steps // 4),
        eval_episodes=3,
        task_kwargs=task_kwargs,
    )
