"""Every knob of a peer-learning run, named after the original's flag it reproduces.

The values of the paper's runs live in :mod:`baselines.peer.presets` (one row
per command of the original's ``Experiments.md``); the defaults here are the
Hopper peer-learning row. The original (kramerlab/PeerLearning, ``run_peer.py``
on Stable-Baselines3 1.5) trains one peer at a time for epochs of
``max(--min-epoch-length, episode length)`` env steps; each peer collects
``--train_freq`` steps, then takes ``--gradient_steps`` updates, after
``--buffer-start-size`` steps of uniformly random actions. ``smoke()`` shrinks a
run to seconds for CI.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from baselines.peer.trust import TrustConfig

# Each method with the one line that describes it wherever it is published (CLI and sweep).
METHOD_DESCRIPTIONS = {
    "peer": "Peer learning (Derstroff et al. 2024): critic + trust values + agent values",
    "single": "Single agent, same budget",
    "single_nx": "Single agent given N× the samples",
    "shared_replay": "N agents sharing one replay buffer (upper bound; breaks the peer rule)",
    "random_advice": "Follow a uniformly random peer (self included), held follow_steps",
    "early_advising": "Follow a random other peer early in training, then train solo",
}
METHODS = tuple(METHOD_DESCRIPTIONS)
STEPPINGS = ("round_robin", "lockstep")
# Fields that differ between the seeds of one submission: left out of its config hash.
PER_RUN_FIELDS = ("seed", "device")
SOLO_METHODS = ("single", "single_nx")  # one learner, no peers to ask


@dataclass
class PeerRunConfig:
    """One peer-learning run. ``method`` picks peer learning or a comparison.

    Attributes (original flag in brackets):
        n_peers: learners [--agent-count, less the scripted peers of the env].
        total_steps: env steps per peer [--steps].
        stepping: ``"round_robin"`` (the original: one peer at a time) or ``"lockstep"``.
        epoch_length: steps of one peer's epoch [max(--min-epoch-length, episode length)].
        max_peer_epochs: epochs with advice; later epochs are solo [--max-peer-epochs].
        learning_starts: uniformly random actions before the first update [--buffer-start-size].
        target_update_interval: env steps between target updates [--target_update_interval].
        use_sde, log_std_init, sde_sample_freq, ent_coef: SAC's gSDE exploration and
            entropy coefficient as ``run_peer.py`` sets them for Stable-Baselines3 1.5.
        exploration_*, max_grad_norm: DQN's ε schedule [--exploration-fraction,
            --exploration-final-eps] and gradient clipping (Stable-Baselines3 1.5 defaults).
        ensemble: SAC + lockstep: update the peers as one batched ensemble (speed).
        device: where the networks train (``cpu`` or ``cuda``); like the seed, it is not
            part of the config hash (:data:`PER_RUN_FIELDS`).
    """

    env_id: str = "peer_hopper_v0"
    method: str = "peer"
    seed: int = 0
    n_peers: int = 4
    total_steps: int = 1_000_000
    stepping: str = "round_robin"
    epoch_length: int = 10_000
    max_peer_epochs: int = 1_000_000_000
    hidden_sizes: tuple[int, ...] = (150, 200)
    lr: float = 3e-4
    gamma: float = 0.99
    tau: float = 0.02
    buffer_size: int = 1_000_000
    batch_size: int = 256
    train_every: int = 8
    gradient_steps: int = 8
    learning_starts: int = 100
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
    ent_coef: str = "auto"  # SAC: SB3's automatic entropy tuning
    eval_every: int = 10_000
    eval_episodes: int = 10
    ensemble: bool = False  # SAC: batched queries (any stepping), batched updates in lockstep
    task_kwargs: dict = field(default_factory=dict)
    trust: TrustConfig = field(default_factory=TrustConfig)
    device: str = "cpu"

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"Unknown method {self.method!r}; choose from {', '.join(METHODS)}.")
        if self.stepping not in STEPPINGS:
            raise ValueError(
                f"Unknown stepping {self.stepping!r}; choose from {', '.join(STEPPINGS)}."
            )
        if self.epoch_length < 1:
            raise ValueError(f"epoch_length must be ≥ 1, got {self.epoch_length}.")

    @property
    def env_stepping(self) -> str:
        """The env's ``stepping`` argument for this run."""
        return f"round_robin:{self.epoch_length}" if self.stepping == "round_robin" else "lockstep"


def with_budget(
    config: PeerRunConfig, total_steps: int, epoch_length: int | None = None
) -> PeerRunConfig:
    """``config`` cut to ``total_steps`` per peer (and epochs of ``epoch_length``).

    ``max_peer_epochs`` is scaled with it, so early advising keeps the share of
    advised steps of its row (74% of the MuJoCo runs, 50% of Room's).
    """
    epoch = min(config.epoch_length, total_steps) if epoch_length is None else epoch_length
    advised = min(config.max_peer_epochs * config.epoch_length, config.total_steps)
    if advised >= config.total_steps:
        max_peer_epochs = config.max_peer_epochs
    else:
        max_peer_epochs = max(1, round(advised / config.total_steps * total_steps / epoch))
    return dataclasses.replace(
        config, total_steps=total_steps, epoch_length=epoch, max_peer_epochs=max_peer_epochs
    )


def smoke(config: PeerRunConfig, total_steps: int = 2_000) -> PeerRunConfig:
    """A seconds-long version of ``config``: tiny budget, ten epochs, small nets and rooms."""
    task_kwargs = dict(config.task_kwargs)
    if "room" in config.env_id:
        task_kwargs.setdefault("size", 7)
    return dataclasses.replace(
        with_budget(config, total_steps, epoch_length=max(1, total_steps // 10)),
        hidden_sizes=(64, 64),
        buffer_size=min(config.buffer_size, 50_000),
        learning_starts=min(config.learning_starts, 100),
        eval_every=max(1, total_steps // 4),
        eval_episodes=3,
        task_kwargs=task_kwargs,
    )
