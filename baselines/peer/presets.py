# ruff: noqa: E501  (the table of runs below keeps one command per line)
"""The paper's runs: every command of the original's ``Experiments.md`` as one named row.

Derstroff et al. (AAAI 2024) list the exact ``run_peer.py`` command of every
run of the paper in kramerlab/PeerLearning's ``Experiments.md``. Each becomes
one row of :data:`PAPER_RUNS`, named ``<env>/<setting>`` and carrying the
section it comes from, so a sweep or a command line asks for a row by name
(``hopper/peer``, ``walker2d/ablation/no_advantage/trust+critic``,
``hopper/agents/8``) or by env and method (:func:`paper_preset`).

Flags every command shares (``--batch-size 256 --gamma 0.99 --gradient_steps 8
--tau 0.02 --train_freq 8 --T-decay 0 --epsilon 0.2 --switch-ratio 0
--peers-sample-with-noise True``) are :class:`PeerRunConfig`'s and
:class:`TrustConfig`'s defaults. Rows the sweep needs but the paper never ran
(single agent with N× the samples, shared replay, the comparisons on the
adversarial Room) are derived from a named paper row and say so in
``derived_from``; their ``section`` is empty.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any

from baselines.peer.config import METHODS, PeerRunConfig
from baselines.peer.trust import TrustConfig

# The envs of the paper's runs, by the short name the rows use.
ENV_IDS = {
    "halfcheetah": "peer_halfcheetah_v0",
    "ant": "peer_ant_v0",
    "hopper": "peer_hopper_v0",
    "walker2d": "peer_walker2d_v0",
    "room": "peer_room_v0",
    "room_adversarial": "peer_room_adversarial_v0",
    "room_expert_adversary": "peer_room_expert_adversary_v0",  # not in the paper
}
# Per env: --buffer-start-size, --buffer-size, --net-arch, and the episode length
# (the time limit of HalfCheetah/Ant/Hopper/Walker2d-v4 and of Room-v21) that
# sets the requested epoch length max(--min-epoch-length, episode length).
_ENV_SETTINGS: dict[str, dict[str, Any]] = {
    "halfcheetah": dict(learning_starts=10_000, buffer_size=1_000_000, hidden_sizes=(150, 200)),
    "ant": dict(learning_starts=100, buffer_size=1_000_000, hidden_sizes=(150, 200)),
    "hopper": dict(learning_starts=100, buffer_size=1_000_000, hidden_sizes=(150, 200)),
    "walker2d": dict(learning_starts=100, buffer_size=1_000_000, hidden_sizes=(150, 200)),
    "room": dict(learning_starts=100, buffer_size=300_000, hidden_sizes=(256, 256)),
    "room_adversarial": dict(learning_starts=100, buffer_size=300_000, hidden_sizes=(256, 256)),
}
_EPISODE_STEPS = {"room": 100, "room_adversarial": 100}  # MuJoCo: 1000

# The mechanisms of the ablation, in the order Experiments.md names them.
MECHANISMS = ("agent_values", "trust", "critic")
MECHANISM_SUBSETS = (
    "agent_values+trust+critic",
    "agent_values+trust",
    "agent_values+critic",
    "trust+critic",
    "agent_values",
    "trust",
    "critic",
)

# One row per command. Columns: name, Experiments.md section, method, learners
# (--agent-count less scripted peers), mechanisms (--use-agent-value/--use-trust/
# --use-critic), --use-advantage, --T, --sample-from-suggestions, --follow-steps,
# --only-follow-peers, --min-epoch-length, --max-peer-epochs, --steps,
# --learning_rate. Absent flags carry run_peer.py's defaults (10000, 10⁹, False).
# fmt: off
_ROWS = [
    ('halfcheetah/peer', 'Normal Setting / HalfCheetah / Peer Learning', 'peer', 4, 'agent_values+trust+critic', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/single', 'Normal Setting / HalfCheetah / Single Agent', 'single', 1, '', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/random_advice', 'Normal Setting / HalfCheetah / Random Advice', 'random_advice', 4, '', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/early_advising', 'Normal Setting / HalfCheetah / Early Advice', 'early_advising', 4, '', False, 0, False, 1, True, 10000, 74, 1_000_000, 0.00073),
    ('ant/peer', 'Normal Setting / Ant / Peer Learning', 'peer', 4, 'agent_values+trust+critic', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/single', 'Normal Setting / Ant / Single Agent', 'single', 1, '', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/random_advice', 'Normal Setting / Ant / Random Advice', 'random_advice', 4, '', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.0003),
    ('ant/early_advising', 'Normal Setting / Ant / Early Advice', 'early_advising', 4, '', False, 0, False, 1, True, 10000, 74, 1_000_000, 0.00073),
    ('hopper/peer', 'Normal Setting / Hopper / Peer Learning', 'peer', 4, 'agent_values+trust+critic', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/single', 'Normal Setting / Hopper / Single Agent', 'single', 1, '', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/random_advice', 'Normal Setting / Hopper / Random Advice', 'random_advice', 4, '', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.0003),
    ('hopper/early_advising', 'Normal Setting / Hopper / Early Advice', 'early_advising', 4, '', False, 0, False, 1, True, 10000, 74, 1_000_000, 0.0003),
    ('walker2d/peer', 'Normal Setting / Walker2d / Peer Learning', 'peer', 4, 'agent_values+trust+critic', True, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/single', 'Normal Setting / Walker2d / Single Agent', 'single', 1, '', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.0003),
    ('walker2d/random_advice', 'Normal Setting / Walker2d / Random Advice', 'random_advice', 4, '', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.0003),
    ('walker2d/early_advising', 'Normal Setting / Walker2d / Early Advice', 'early_advising', 4, '', False, 0, False, 1, True, 10000, 74, 1_000_000, 0.0003),
    ('room/peer', 'Normal Setting / Room / Peer Learning', 'peer', 2, 'agent_values+trust+critic', True, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0005),
    ('room/single', 'Normal Setting / Room / Single Agent', 'single', 1, '', False, 0, False, 10, False, 10000, 100_000_000, 1_000_000, 0.0005),
    ('room/random_advice', 'Normal Setting / Room / Random Advice', 'random_advice', 2, '', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.0005),
    ('room/early_advising', 'Normal Setting / Room / Early Advice', 'early_advising', 2, '', False, 0, False, 1, True, 0, 5_000, 1_000_000, 0.0005),
    ('halfcheetah/ablation/advantage/agent_values+trust+critic', 'Ablation Study / HalfCheetah / With Advantage / Agent Values + Trust + Critic', 'peer', 4, 'agent_values+trust+critic', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/advantage/agent_values+trust', 'Ablation Study / HalfCheetah / With Advantage / Agent Values + Trust', 'peer', 4, 'agent_values+trust', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/advantage/agent_values+critic', 'Ablation Study / HalfCheetah / With Advantage / Agent Values + Critic', 'peer', 4, 'agent_values+critic', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/advantage/trust+critic', 'Ablation Study / HalfCheetah / With Advantage / Trust + Critic', 'peer', 4, 'trust+critic', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/advantage/agent_values', 'Ablation Study / HalfCheetah / With Advantage / Agent Values', 'peer', 4, 'agent_values', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/advantage/trust', 'Ablation Study / HalfCheetah / With Advantage / Trust', 'peer', 4, 'trust', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/advantage/critic', 'Ablation Study / HalfCheetah / With Advantage / Critic', 'peer', 4, 'critic', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/no_advantage/agent_values+trust+critic', 'Ablation Study / HalfCheetah / Without Advantage / Agent Values + Trust + Critic', 'peer', 4, 'agent_values+trust+critic', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/no_advantage/agent_values+trust', 'Ablation Study / HalfCheetah / Without Advantage / Agent Values + Trust', 'peer', 4, 'agent_values+trust', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/no_advantage/agent_values+critic', 'Ablation Study / HalfCheetah / Without Advantage / Agent Values + Critic', 'peer', 4, 'agent_values+critic', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/no_advantage/trust+critic', 'Ablation Study / HalfCheetah / Without Advantage / Trust + Critic', 'peer', 4, 'trust+critic', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/no_advantage/agent_values', 'Ablation Study / HalfCheetah / Without Advantage / Agent Values', 'peer', 4, 'agent_values', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/no_advantage/trust', 'Ablation Study / HalfCheetah / Without Advantage / Trust', 'peer', 4, 'trust', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('halfcheetah/ablation/no_advantage/critic', 'Ablation Study / HalfCheetah / Without Advantage / Critic', 'peer', 4, 'critic', False, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.00073),
    ('ant/ablation/advantage/agent_values+trust+critic', 'Ablation Study / Ant / With Advantage / Agent Values + Trust + Critic', 'peer', 4, 'agent_values+trust+critic', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/advantage/agent_values+trust', 'Ablation Study / Ant / With Advantage / Agent Values + Trust', 'peer', 4, 'agent_values+trust', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/advantage/agent_values+critic', 'Ablation Study / Ant / With Advantage / Agent Values + Critic', 'peer', 4, 'agent_values+critic', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/advantage/trust+critic', 'Ablation Study / Ant / With Advantage / Trust + Critic', 'peer', 4, 'trust+critic', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/advantage/agent_values', 'Ablation Study / Ant / With Advantage / Agent Values', 'peer', 4, 'agent_values', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/advantage/trust', 'Ablation Study / Ant / With Advantage / Trust', 'peer', 4, 'trust', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/advantage/critic', 'Ablation Study / Ant / With Advantage / Critic', 'peer', 4, 'critic', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/no_advantage/agent_values+trust+critic', 'Ablation Study / Ant / Without Advantage / Agent Values + Trust + Critic', 'peer', 4, 'agent_values+trust+critic', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/no_advantage/agent_values+trust', 'Ablation Study / Ant / Without Advantage / Agent Values + Trust', 'peer', 4, 'agent_values+trust', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/no_advantage/agent_values+critic', 'Ablation Study / Ant / Without Advantage / Agent Values + Critic', 'peer', 4, 'agent_values+critic', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/no_advantage/trust+critic', 'Ablation Study / Ant / Without Advantage / Trust + Critic', 'peer', 4, 'trust+critic', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/no_advantage/agent_values', 'Ablation Study / Ant / Without Advantage / Agent Values', 'peer', 4, 'agent_values', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/no_advantage/trust', 'Ablation Study / Ant / Without Advantage / Trust', 'peer', 4, 'trust', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('ant/ablation/no_advantage/critic', 'Ablation Study / Ant / Without Advantage / Critic', 'peer', 4, 'critic', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/advantage/agent_values+trust+critic', 'Ablation Study / Hopper / With Advantage / Agent Values + Trust + Critic', 'peer', 4, 'agent_values+trust+critic', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/advantage/agent_values+trust', 'Ablation Study / Hopper / With Advantage / Agent Values + Trust', 'peer', 4, 'agent_values+trust', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/advantage/agent_values+critic', 'Ablation Study / Hopper / With Advantage / Agent Values + Critic', 'peer', 4, 'agent_values+critic', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/advantage/trust+critic', 'Ablation Study / Hopper / With Advantage / Trust + Critic', 'peer', 4, 'trust+critic', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/advantage/agent_values', 'Ablation Study / Hopper / With Advantage / Agent Values', 'peer', 4, 'agent_values', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/advantage/trust', 'Ablation Study / Hopper / With Advantage / Trust', 'peer', 4, 'trust', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/advantage/critic', 'Ablation Study / Hopper / With Advantage / Critic', 'peer', 4, 'critic', True, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/no_advantage/agent_values+trust+critic', 'Ablation Study / Hopper / Without Advantage / Agent Values + Trust + Critic', 'peer', 4, 'agent_values+trust+critic', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/no_advantage/agent_values+trust', 'Ablation Study / Hopper / Without Advantage / Agent Values + Trust', 'peer', 4, 'agent_values+trust', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/no_advantage/agent_values+critic', 'Ablation Study / Hopper / Without Advantage / Agent Values + Critic', 'peer', 4, 'agent_values+critic', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/no_advantage/trust+critic', 'Ablation Study / Hopper / Without Advantage / Trust + Critic', 'peer', 4, 'trust+critic', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/no_advantage/agent_values', 'Ablation Study / Hopper / Without Advantage / Agent Values', 'peer', 4, 'agent_values', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/no_advantage/trust', 'Ablation Study / Hopper / Without Advantage / Trust', 'peer', 4, 'trust', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('hopper/ablation/no_advantage/critic', 'Ablation Study / Hopper / Without Advantage / Critic', 'peer', 4, 'critic', False, 1, True, 10, False, 10000, 10_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/advantage/agent_values+trust+critic', 'Ablation Study / Walker2d / With Advantage / Agent Values + Trust + Critic', 'peer', 4, 'agent_values+trust+critic', True, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/advantage/agent_values+trust', 'Ablation Study / Walker2d / With Advantage / Agent Values + Trust', 'peer', 4, 'agent_values+trust', True, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/advantage/agent_values+critic', 'Ablation Study / Walker2d / With Advantage / Agent Values + Critic', 'peer', 4, 'agent_values+critic', True, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/advantage/trust+critic', 'Ablation Study / Walker2d / With Advantage / Trust + Critic', 'peer', 4, 'trust+critic', True, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/advantage/agent_values', 'Ablation Study / Walker2d / With Advantage / Agent Values', 'peer', 4, 'agent_values', True, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/advantage/trust', 'Ablation Study / Walker2d / With Advantage / Trust', 'peer', 4, 'trust', True, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/advantage/critic', 'Ablation Study / Walker2d / With Advantage / Critic', 'peer', 4, 'critic', True, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/no_advantage/agent_values+trust+critic', 'Ablation Study / Walker2d / Without Advantage', 'peer', 4, 'agent_values+trust+critic', False, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/no_advantage/agent_values+trust', 'Ablation Study / Walker2d / Without Advantage / Agent Values + Trust', 'peer', 4, 'agent_values+trust', False, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/no_advantage/agent_values+critic', 'Ablation Study / Walker2d / Without Advantage / Agent Values + Critic', 'peer', 4, 'agent_values+critic', False, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/no_advantage/trust+critic', 'Ablation Study / Walker2d / Without Advantage / Trust + Critic', 'peer', 4, 'trust+critic', False, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/no_advantage/agent_values', 'Ablation Study / Walker2d / Without Advantage / Agent Values', 'peer', 4, 'agent_values', False, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/no_advantage/trust', 'Ablation Study / Walker2d / Without Advantage / Trust', 'peer', 4, 'trust', False, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('walker2d/ablation/no_advantage/critic', 'Ablation Study / Walker2d / Without Advantage / Critic', 'peer', 4, 'critic', False, 1, True, 10, False, 10000, 100_000_000, 1_000_000, 0.0003),
    ('room_adversarial/peer', 'Adversarial Setting / Peer Learning', 'peer', 2, 'agent_values+trust+critic', True, 1, True, 10, False, 10000, 1_000_000_000, 1_000_000, 0.0005),
    ('room_adversarial/single', 'Adversarial Setting / Single Agent', 'single', 1, '', False, 0, False, 10, False, 10000, 100_000_000, 1_000_000, 0.0005),
    ('hopper/agents/2', 'Number of Agents / 2 Agents', 'peer', 2, 'agent_values+trust+critic', False, 1, True, 10, False, 10000, 1_000_000_000, 600_000, 0.0003),
    ('hopper/agents/4', 'Number of Agents / 4 Agents', 'peer', 4, 'agent_values+trust+critic', False, 1, True, 10, False, 10000, 1_000_000_000, 600_000, 0.0003),
    ('hopper/agents/8', 'Number of Agents / 8 Agents', 'peer', 8, 'agent_values+trust+critic', False, 1, True, 10, False, 10000, 1_000_000_000, 600_000, 0.0003),
    ('hopper/agents/10', 'Number of Agents / 10 Agents', 'peer', 10, 'agent_values+trust+critic', False, 1, True, 10, False, 10000, 1_000_000_000, 600_000, 0.0003),
]
# fmt: on


@dataclass(frozen=True)
class PaperRun:
    """One row: a named run, the ``Experiments.md`` section it reproduces, its config."""

    name: str
    section: str
    config: PeerRunConfig
    derived_from: str = ""


def _env_key(name: str) -> str:
    return name.split("/")[0]


def original_epochs(steps: int, requested: int, train_freq: int) -> tuple[int, int]:
    """The number and true length of the original's epochs for ``--steps`` ``steps``.

    ``run_peer.py`` runs ``steps // requested`` epochs, each a
    ``learn(total_timesteps=requested, reset_num_timesteps=False)`` call per
    peer. Stable-Baselines3 1.5 checks its budget only between rollouts of
    ``--train_freq`` steps, so an epoch lasts ``requested`` rounded up to a
    whole number of rollouts: Room's early-advising epochs (requested 100) run
    104 steps, 1,040,000 per peer in all; every other paper run asks for a
    multiple of 8 and runs what it asks.
    """
    rollouts = -(-requested // train_freq)
    return steps // requested, rollouts * train_freq


def _paper_row(row: tuple) -> PaperRun:
    (name, section, method, learners, mechanisms, advantage, temperature, sample) = row[:8]
    (follow_steps, only_follow, min_epoch_length, max_peer_epochs, steps, lr) = row[8:]
    env = _env_key(name)
    on = set(mechanisms.split("+")) if mechanisms else set()
    trust = TrustConfig(
        use_critic="critic" in on,
        use_trust="trust" in on,
        use_agent_values="agent_values" in on,
        advantage=advantage,
        temperature=float(temperature),
        sample_from_suggestions=sample,
        only_follow_peers=only_follow,
        follow_steps=follow_steps,
    )
    epochs, epoch_length = original_epochs(
        steps, max(min_epoch_length, _EPISODE_STEPS.get(env, 1000)), PeerRunConfig.train_every
    )
    config = PeerRunConfig(
        env_id=ENV_IDS[env],
        method=method,
        n_peers=learners,
        total_steps=epochs * epoch_length,
        epoch_length=epoch_length,
        max_peer_epochs=max_peer_epochs,
        lr=lr,
        trust=trust,
        **_ENV_SETTINGS[env],
    )
    return PaperRun(name, section, config)


def _derived(name: str, source: PaperRun, **changes: Any) -> PaperRun:
    return PaperRun(name, "", dataclasses.replace(source.config, **changes), source.name)


def _build() -> dict[str, PaperRun]:
    runs = {row[0]: _paper_row(row) for row in _ROWS}
    derived = {}
    for env in ENV_IDS:
        source_env = {"room_expert_adversary": "room_adversarial"}.get(env, env)
        for method in METHODS:
            name = f"{env}/{method}"
            if name in runs:
                continue
            if method in ("single_nx", "shared_replay"):
                source = runs[f"{source_env}/peer"]
            elif f"{source_env}/{method}" in runs:
                source = runs[f"{source_env}/{method}"]
            else:  # the comparisons on the adversarial Room: Room's rows on that env
                source = runs[f"room/{method}"]
            derived[name] = _derived(name, source, env_id=ENV_IDS[env], method=method)
    return runs | derived


PAPER_RUNS: dict[str, PaperRun] = _build()


def paper_run(name: str) -> PaperRun:
    """The row called ``name`` (a copy: changing it changes no other run)."""
    if name not in PAPER_RUNS:
        raise ValueError(f"Unknown preset {name!r}; valid presets: {', '.join(PAPER_RUNS)}.")
    return copy.deepcopy(PAPER_RUNS[name])


def env_key(env_id: str) -> str:
    """The rows' short name of ``env_id`` (``peer_hopper_v0`` → ``hopper``)."""
    for key, known in ENV_IDS.items():
        if known == env_id:
            return key
    raise ValueError(
        f"No paper preset for env {env_id!r}; envs with presets: {', '.join(ENV_IDS.values())}."
    )


def paper_preset(env_id: str, method: str = "peer", **overrides: Any) -> PeerRunConfig:
    """The row of ``method`` on ``env_id`` (the normal setting), with ``overrides`` applied."""
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; choose from {', '.join(METHODS)}.")
    config = paper_run(f"{env_key(env_id)}/{method}").config
    return dataclasses.replace(config, **overrides)


def mechanism_subset(text: str) -> str:
    """``"critic+trust"`` → ``"trust+critic"``: the ablation's name of a mechanism subset."""
    names = [part.strip() for part in text.split("+")]
    chosen = set(names)
    if not chosen <= set(MECHANISMS) or len(chosen) != len(names):
        raise ValueError(
            f"Unknown mechanism subset {text!r}; valid subsets: {', '.join(MECHANISM_SUBSETS)}."
        )
    return "+".join(m for m in MECHANISMS if m in chosen)


def ablation_preset(
    env_id: str, mechanisms: str, advantage: bool = True, **overrides: Any
) -> PeerRunConfig:
    """The ablation row of a mechanism subset, with or without the advantage."""
    setting = "advantage" if advantage else "no_advantage"
    name = f"{env_key(env_id)}/ablation/{setting}/{mechanism_subset(mechanisms)}"
    return dataclasses.replace(paper_run(name).config, **overrides)
