# ruff: noqa: E501  (the table of the original's commands keeps one command per line)
"""Every preset row carries the values of the original's command, flag for flag.

The expected values are the commands of kramerlab/PeerLearning's
``Experiments.md``, copied into :data:`ORIGINAL` below with the section each
comes from; flags a command leaves out carry ``run_peer.py``'s defaults (listed
in :data:`RUN_PEER_DEFAULTS`). Nothing here is read from our own config module.
"""

from __future__ import annotations

import functools

import pytest

import peerzoo
from baselines.peer.cli import main
from baselines.peer.config import METHODS
from baselines.peer.presets import (
    PAPER_RUNS,
    ablation_preset,
    mechanism_subset,
    paper_preset,
    paper_run,
)

# (our row, Experiments.md section, --env, --agent-count, --mix-agents, --steps,
#  --buffer-start-size, --buffer-size, --net-arch, --learning_rate, --follow-steps,
#  --use-advantage, --T, --min-epoch-length, --sample-from-suggestions, --use-critic,
#  --use-trust, --use-agent-value, --only-follow-peers, --max-peer-epochs, --env_args)
# None: the command leaves the flag out.
# fmt: off
ORIGINAL = [
    ('halfcheetah/peer', 'Normal Setting / HalfCheetah / Peer Learning', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, True, 1.0, None, True, True, True, True, None, None, ''),
    ('halfcheetah/single', 'Normal Setting / HalfCheetah / Single Agent', 'HalfCheetah-v4', 1, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, True, 1.0, None, True, False, False, False, None, None, ''),
    ('halfcheetah/random_advice', 'Normal Setting / HalfCheetah / Random Advice', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, False, 1.0, None, True, False, False, False, None, None, ''),
    ('halfcheetah/early_advising', 'Normal Setting / HalfCheetah / Early Advice', 'HalfCheetah-v4', 4, 'SAC SAC SAC SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 1, False, 0.0, None, False, False, False, False, True, 74, ''),
    ('ant/peer', 'Normal Setting / Ant / Peer Learning', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, True, True, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/single', 'Normal Setting / Ant / Single Agent', 'Ant-v4', 1, 'SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, False, False, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/random_advice', 'Normal Setting / Ant / Random Advice', 'Ant-v4', 4, 'SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, False, False, False, None, None, 'terminate_when_unhealthy=False'),
    ('ant/early_advising', 'Normal Setting / Ant / Early Advice', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.00073, 1, False, 0.0, None, False, False, False, False, True, 74, 'terminate_when_unhealthy=False'),
    ('hopper/peer', 'Normal Setting / Hopper / Peer Learning', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, True, True, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/single', 'Normal Setting / Hopper / Single Agent', 'Hopper-v4', 1, 'SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, False, False, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/random_advice', 'Normal Setting / Hopper / Random Advice', 'Hopper-v4', 4, 'SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, False, False, False, None, None, 'terminate_when_unhealthy=False'),
    ('hopper/early_advising', 'Normal Setting / Hopper / Early Advice', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 1, False, 0.0, None, False, False, False, False, True, 74, 'terminate_when_unhealthy=False'),
    ('walker2d/peer', 'Normal Setting / Walker2d / Peer Learning', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, None, True, True, True, True, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/single', 'Normal Setting / Walker2d / Single Agent', 'Walker2d-v4', 1, 'SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, None, True, False, False, False, None, None, 'terminate_when_unhealthy=False'),
    ('walker2d/random_advice', 'Normal Setting / Walker2d / Random Advice', 'Walker2d-v4', 4, 'SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, False, False, False, None, None, 'terminate_when_unhealthy=False'),
    ('walker2d/early_advising', 'Normal Setting / Walker2d / Early Advice', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 1, False, 0.0, None, False, False, False, False, True, 74, 'terminate_when_unhealthy=False'),
    ('room/peer', 'Normal Setting / Room / Peer Learning', 'Room-v21', 2, 'DQN', 1000000, 100, 300000, (256, 256), 0.0005, 10, True, 1.0, None, True, True, True, True, False, 100000000, ''),
    ('room/single', 'Normal Setting / Room / Single Agent', 'Room-v21', 1, 'DQN', 1000000, 100, 300000, (256, 256), 0.0005, 10, False, 0.0, None, False, False, False, False, False, 100000000, ''),
    ('room/random_advice', 'Normal Setting / Room / Random Advice', 'Room-v21', 2, 'DQN', 1000000, 100, 300000, (256, 256), 0.0005, 10, False, 1.0, None, True, False, False, False, False, None, ''),
    ('room/early_advising', 'Normal Setting / Room / Early Advice', 'Room-v21', 2, 'DQN', 1000000, 100, 300000, (256, 256), 0.0005, 1, False, 0.0, 0, False, False, False, False, True, 5000, ''),
    ('halfcheetah/ablation/advantage/agent_values+trust+critic', 'Ablation Study / HalfCheetah / With Advantage / Agent Values + Trust + Critic', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, True, 1.0, None, True, True, True, True, None, None, ''),
    ('halfcheetah/ablation/advantage/agent_values+trust', 'Ablation Study / HalfCheetah / With Advantage / Agent Values + Trust', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, True, 1.0, None, True, False, True, True, None, None, ''),
    ('halfcheetah/ablation/advantage/agent_values+critic', 'Ablation Study / HalfCheetah / With Advantage / Agent Values + Critic', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, True, 1.0, None, True, True, False, True, None, None, ''),
    ('halfcheetah/ablation/advantage/trust+critic', 'Ablation Study / HalfCheetah / With Advantage / Trust + Critic', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, True, 1.0, None, True, True, True, False, None, None, ''),
    ('halfcheetah/ablation/advantage/agent_values', 'Ablation Study / HalfCheetah / With Advantage / Agent Values', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, True, 1.0, None, True, False, False, True, None, None, ''),
    ('halfcheetah/ablation/advantage/trust', 'Ablation Study / HalfCheetah / With Advantage / Trust', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, True, 1.0, None, True, False, True, False, None, None, ''),
    ('halfcheetah/ablation/advantage/critic', 'Ablation Study / HalfCheetah / With Advantage / Critic', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, True, 1.0, None, True, True, False, False, None, None, ''),
    ('halfcheetah/ablation/no_advantage/agent_values+trust+critic', 'Ablation Study / HalfCheetah / Without Advantage / Agent Values + Trust + Critic', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, False, 1.0, None, True, True, True, True, None, None, ''),
    ('halfcheetah/ablation/no_advantage/agent_values+trust', 'Ablation Study / HalfCheetah / Without Advantage / Agent Values + Trust', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, False, 1.0, None, True, False, True, True, None, None, ''),
    ('halfcheetah/ablation/no_advantage/agent_values+critic', 'Ablation Study / HalfCheetah / Without Advantage / Agent Values + Critic', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, False, 1.0, None, True, True, False, True, None, None, ''),
    ('halfcheetah/ablation/no_advantage/trust+critic', 'Ablation Study / HalfCheetah / Without Advantage / Trust + Critic', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, False, 1.0, None, True, True, True, False, None, None, ''),
    ('halfcheetah/ablation/no_advantage/agent_values', 'Ablation Study / HalfCheetah / Without Advantage / Agent Values', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, False, 1.0, None, True, False, False, True, None, None, ''),
    ('halfcheetah/ablation/no_advantage/trust', 'Ablation Study / HalfCheetah / Without Advantage / Trust', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, False, 1.0, None, True, False, True, False, None, None, ''),
    ('halfcheetah/ablation/no_advantage/critic', 'Ablation Study / HalfCheetah / Without Advantage / Critic', 'HalfCheetah-v4', 4, 'SAC', 1000000, 10000, 1000000, (150, 200), 0.00073, 10, False, 1.0, None, True, True, False, False, None, None, ''),
    ('ant/ablation/advantage/agent_values+trust+critic', 'Ablation Study / Ant / With Advantage / Agent Values + Trust + Critic', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, True, True, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/advantage/agent_values+trust', 'Ablation Study / Ant / With Advantage / Agent Values + Trust', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, False, True, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/advantage/agent_values+critic', 'Ablation Study / Ant / With Advantage / Agent Values + Critic', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, True, False, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/advantage/trust+critic', 'Ablation Study / Ant / With Advantage / Trust + Critic', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, True, True, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/advantage/agent_values', 'Ablation Study / Ant / With Advantage / Agent Values', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, False, False, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/advantage/trust', 'Ablation Study / Ant / With Advantage / Trust', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, False, True, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/advantage/critic', 'Ablation Study / Ant / With Advantage / Critic', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, True, False, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/no_advantage/agent_values+trust+critic', 'Ablation Study / Ant / Without Advantage / Agent Values + Trust + Critic', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, True, True, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/no_advantage/agent_values+trust', 'Ablation Study / Ant / Without Advantage / Agent Values + Trust', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, False, True, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/no_advantage/agent_values+critic', 'Ablation Study / Ant / Without Advantage / Agent Values + Critic', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, True, False, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/no_advantage/trust+critic', 'Ablation Study / Ant / Without Advantage / Trust + Critic', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, True, True, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/no_advantage/agent_values', 'Ablation Study / Ant / Without Advantage / Agent Values', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, False, False, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/no_advantage/trust', 'Ablation Study / Ant / Without Advantage / Trust', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, False, True, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('ant/ablation/no_advantage/critic', 'Ablation Study / Ant / Without Advantage / Critic', 'Ant-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, True, False, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/advantage/agent_values+trust+critic', 'Ablation Study / Hopper / With Advantage / Agent Values + Trust + Critic', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, True, True, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/advantage/agent_values+trust', 'Ablation Study / Hopper / With Advantage / Agent Values + Trust', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, False, True, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/advantage/agent_values+critic', 'Ablation Study / Hopper / With Advantage / Agent Values + Critic', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, True, False, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/advantage/trust+critic', 'Ablation Study / Hopper / With Advantage / Trust + Critic', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, True, True, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/advantage/agent_values', 'Ablation Study / Hopper / With Advantage / Agent Values', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, False, False, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/advantage/trust', 'Ablation Study / Hopper / With Advantage / Trust', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, False, True, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/advantage/critic', 'Ablation Study / Hopper / With Advantage / Critic', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, 10000, True, True, False, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/no_advantage/agent_values+trust+critic', 'Ablation Study / Hopper / Without Advantage / Agent Values + Trust + Critic', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, True, True, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/no_advantage/agent_values+trust', 'Ablation Study / Hopper / Without Advantage / Agent Values + Trust', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, False, True, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/no_advantage/agent_values+critic', 'Ablation Study / Hopper / Without Advantage / Agent Values + Critic', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, True, False, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/no_advantage/trust+critic', 'Ablation Study / Hopper / Without Advantage / Trust + Critic', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, True, True, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/no_advantage/agent_values', 'Ablation Study / Hopper / Without Advantage / Agent Values', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, False, False, True, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/no_advantage/trust', 'Ablation Study / Hopper / Without Advantage / Trust', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, False, True, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('hopper/ablation/no_advantage/critic', 'Ablation Study / Hopper / Without Advantage / Critic', 'Hopper-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, 10000, True, True, False, False, False, 10000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/advantage/agent_values+trust+critic', 'Ablation Study / Walker2d / With Advantage / Agent Values + Trust + Critic', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, None, True, True, True, True, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/advantage/agent_values+trust', 'Ablation Study / Walker2d / With Advantage / Agent Values + Trust', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, None, True, False, True, True, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/advantage/agent_values+critic', 'Ablation Study / Walker2d / With Advantage / Agent Values + Critic', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, None, True, True, False, True, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/advantage/trust+critic', 'Ablation Study / Walker2d / With Advantage / Trust + Critic', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, None, True, True, True, False, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/advantage/agent_values', 'Ablation Study / Walker2d / With Advantage / Agent Values', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, None, True, False, False, True, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/advantage/trust', 'Ablation Study / Walker2d / With Advantage / Trust', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, None, True, False, True, False, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/advantage/critic', 'Ablation Study / Walker2d / With Advantage / Critic', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, True, 1.0, None, True, True, False, False, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/no_advantage/agent_values+trust+critic', 'Ablation Study / Walker2d / Without Advantage', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, True, True, True, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/no_advantage/agent_values+trust', 'Ablation Study / Walker2d / Without Advantage / Agent Values + Trust', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, False, True, True, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/no_advantage/agent_values+critic', 'Ablation Study / Walker2d / Without Advantage / Agent Values + Critic', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, True, False, True, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/no_advantage/trust+critic', 'Ablation Study / Walker2d / Without Advantage / Trust + Critic', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, True, True, False, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/no_advantage/agent_values', 'Ablation Study / Walker2d / Without Advantage / Agent Values', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, False, False, True, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/no_advantage/trust', 'Ablation Study / Walker2d / Without Advantage / Trust', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, False, True, False, False, 100000000, 'terminate_when_unhealthy=False'),
    ('walker2d/ablation/no_advantage/critic', 'Ablation Study / Walker2d / Without Advantage / Critic', 'Walker2d-v4', 4, 'SAC SAC SAC SAC', 1000000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, True, False, False, False, 100000000, 'terminate_when_unhealthy=False'),
    ('room_adversarial/peer', 'Adversarial Setting / Peer Learning', 'Room-v21', 3, 'DQN DQN Adversarial', 1000000, 100, 300000, (256, 256), 0.0005, 10, True, 1.0, 10000, True, True, True, True, False, None, ''),
    ('room_adversarial/single', 'Adversarial Setting / Single Agent', 'Room-v21', 1, 'DQN', 1000000, 100, 300000, (256, 256), 0.0005, 10, False, 0.0, None, False, False, False, False, False, 100000000, ''),
    ('hopper/agents/2', 'Number of Agents / 2 Agents', 'Hopper-v4', 2, 'SAC', 600000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, True, True, True, None, None, 'terminate_when_unhealthy=False'),
    ('hopper/agents/4', 'Number of Agents / 4 Agents', 'Hopper-v4', 4, 'SAC', 600000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, True, True, True, None, None, 'terminate_when_unhealthy=False'),
    ('hopper/agents/8', 'Number of Agents / 8 Agents', 'Hopper-v4', 8, 'SAC', 600000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, True, True, True, None, None, 'terminate_when_unhealthy=False'),
    ('hopper/agents/10', 'Number of Agents / 10 Agents', 'Hopper-v4', 10, 'SAC', 600000, 100, 1000000, (150, 200), 0.0003, 10, False, 1.0, None, True, True, True, True, None, None, 'terminate_when_unhealthy=False'),
]
# fmt: on

# run_peer.py / utils.py defaults for flags the commands leave out, and the flags
# every command passes with the same value.
RUN_PEER_DEFAULTS = {
    "min-epoch-length": 10_000,
    "max-peer-epochs": 1_000_000_000,
    "only-follow-peers": False,
}
SHARED_FLAGS = {
    "batch_size": 256,  # --batch-size 256
    "gamma": 0.99,  # --gamma 0.99
    "gradient_steps": 8,  # --gradient_steps 8
    "tau": 0.02,  # --tau 0.02
    "train_every": 8,  # --train_freq 8
    "target_update_interval": 1,  # utils.py: --target_update_interval 1
}
SB3_ROLLOUT_STEPS = 8  # --train_freq 8: SB3 1.5 checks a learn() budget only between rollouts
SHARED_TRUST_FLAGS = {
    "epsilon": 0.2,  # --epsilon 0.2
    "temperature_decay": 0.0,  # --T-decay 0
    "peers_sample_with_noise": True,  # --peers-sample-with-noise True
    "lr": 0.001,  # run_peer.py: --trust-lr 0.001
    "init": 200.0,  # run_peer.py: --init-trust-values 200 / --init-agent-values 200
    "buffer_size": 1000,  # run_peer.py: --trust-buffer-size 1000
    "batch_size": 10,  # peer.py: _update_trust(batch_size=10)
}
SAC_SETTINGS = {"use_sde": True, "log_std_init": -3.0, "ent_coef": "auto"}  # run_peer.py for SAC
DQN_SETTINGS = {"exploration_fraction": 0.1, "exploration_final_eps": 0.05}  # utils.py defaults
# Time limits of the original's envs (gym's HalfCheetah/Ant/Hopper/Walker2d-v4, env/room.py's Room-v21).
EPISODE_STEPS = {
    "HalfCheetah-v4": 1000,
    "Ant-v4": 1000,
    "Hopper-v4": 1000,
    "Walker2d-v4": 1000,
    "Room-v21": 100,
}
ENV_IDS = {
    ("HalfCheetah-v4", 0): "peer_halfcheetah_v0",
    ("Ant-v4", 0): "peer_ant_v0",
    ("Hopper-v4", 0): "peer_hopper_v0",
    ("Walker2d-v4", 0): "peer_walker2d_v0",
    ("Room-v21", 0): "peer_room_v0",
    # the adversarial section: its single agent (one DQN, never advised) runs on the same env
    ("Room-v21", 1): "peer_room_adversarial_v0",
}


@functools.cache
def _env(env_id: str):
    return peerzoo.make(env_id, api="parallel", n_peers=1)


@pytest.mark.parametrize("row", ORIGINAL, ids=[row[0] for row in ORIGINAL])
def test_every_preset_row_has_the_values_of_its_experiments_md_command(row) -> None:
    (name, section, env, agents, mix, steps, start, buffer, net, lr, follow, advantage, T) = row[
        :13
    ]
    (min_epoch, sample, critic, trust, agent_values, only_follow, max_epochs, env_args) = row[13:]
    run = paper_run(name)
    config, tc = run.config, run.config.trust
    assert run.section == section
    adversaries = mix.split().count("Adversarial")
    adversarial = section.startswith("Adversarial Setting")
    assert config.env_id == ENV_IDS[(env, int(adversarial))]
    if adversaries:  # --mix-agents DQN DQN Adversarial: the adversary is scripted, not a learner
        assert _env(config.env_id).scripted_names == ["adversary"] * adversaries
    assert config.n_peers + adversaries == agents
    if min_epoch is None:
        min_epoch = RUN_PEER_DEFAULTS["min-epoch-length"]
    # run_peer.py: steps // max(--min-epoch-length, episode length) epochs, each a
    # learn() call that SB3 1.5 ends only after whole rollouts of --train_freq steps.
    requested = max(min_epoch, EPISODE_STEPS[env])
    epoch = -(-requested // SB3_ROLLOUT_STEPS) * SB3_ROLLOUT_STEPS
    assert config.epoch_length == epoch
    assert config.total_steps == steps // requested * epoch
    assert config.learning_starts == start
    assert config.buffer_size == buffer
    assert config.hidden_sizes == net
    assert config.lr == lr
    assert config.stepping == "round_robin"
    expected_max = RUN_PEER_DEFAULTS["max-peer-epochs"] if max_epochs is None else max_epochs
    assert config.max_peer_epochs == expected_max
    assert (tc.use_critic, tc.use_trust, tc.use_agent_values) == (critic, trust, agent_values)
    assert tc.advantage == advantage
    assert tc.temperature == T
    assert tc.follow_steps == follow
    assert tc.sample_from_suggestions == sample
    expected_only = RUN_PEER_DEFAULTS["only-follow-peers"] if only_follow is None else only_follow
    assert tc.only_follow_peers == expected_only
    for key, value in SHARED_FLAGS.items():
        assert getattr(config, key) == value, key
    for key, value in SHARED_TRUST_FLAGS.items():
        assert getattr(tc, key) == value, key
    learner = DQN_SETTINGS if "DQN" in mix else SAC_SETTINGS
    assert "DQN" in mix or "SAC" in mix
    for key, value in learner.items():
        assert getattr(config, key) == value, key
    task = _env(config.env_id).unwrapped.core.tasks[0].unwrapped
    if env_args == "terminate_when_unhealthy=False":
        assert task._terminate_when_unhealthy is False
    else:
        assert env_args == "" and not getattr(task, "_terminate_when_unhealthy", False)


def test_the_table_holds_every_command_and_the_rest_are_derived_from_a_named_row() -> None:
    paper = {name for name, run in PAPER_RUNS.items() if run.section}
    assert paper == {row[0] for row in ORIGINAL}
    assert len(ORIGINAL) == 82
    for name, run in PAPER_RUNS.items():
        if run.section:
            assert not run.derived_from
            continue
        source = PAPER_RUNS[run.derived_from]
        assert source.section, f"{name} must derive from a paper row"
        env, method = name.split("/")
        assert run.config.method == method
        same = {k: v for k, v in vars(run.config).items() if k not in ("env_id", "method")}
        assert same == {
            k: v for k, v in vars(source.config).items() if k not in ("env_id", "method")
        }


@pytest.mark.parametrize(
    "env_id",
    ["peer_halfcheetah_v0", "peer_ant_v0", "peer_hopper_v0", "peer_walker2d_v0", "peer_room_v0"],
)
@pytest.mark.parametrize("method", METHODS)
def test_every_env_and_method_of_the_sweep_has_exactly_one_row(env_id, method) -> None:
    config = paper_preset(env_id, method)
    assert (config.env_id, config.method) == (env_id, method)
    paper_names = {"peer", "single", "random_advice", "early_advising"}
    key = env_id.removeprefix("peer_").removesuffix("_v0")
    assert (paper_run(f"{key}/{method}").section != "") == (method in paper_names)


def test_rows_are_copies_so_changing_one_run_changes_no_other() -> None:
    first = paper_preset("peer_hopper_v0")
    first.trust.advantage = False
    assert paper_preset("peer_hopper_v0").trust.advantage is True


def test_ablation_rows_are_found_by_mechanism_subset_in_any_order() -> None:
    config = ablation_preset("peer_walker2d_v0", "critic+trust", advantage=False)
    assert paper_run("walker2d/ablation/no_advantage/trust+critic").config == config
    assert mechanism_subset("critic + agent_values") == "agent_values+critic"


@pytest.mark.parametrize(
    "call, bad, valid",
    [
        (lambda: paper_run("hopper/peers"), "'hopper/peers'", "hopper/peer"),
        (lambda: paper_preset("peer_pendulum_v0"), "'peer_pendulum_v0'", "peer_hopper_v0"),
        (lambda: paper_preset("peer_hopper_v0", "solo"), "'solo'", "random_advice"),
        (lambda: mechanism_subset("critic+luck"), "'critic+luck'", "agent_values+trust+critic"),
        (lambda: mechanism_subset("trust+trust"), "'trust+trust'", "trust+critic"),
    ],
)
def test_an_unknown_preset_env_method_or_subset_is_named_with_the_valid_ones(
    call, bad, valid
) -> None:
    with pytest.raises(ValueError) as error:
        call()
    message = str(error.value)
    assert bad in message and valid in message and "\n" not in message


def test_the_cli_refuses_an_unknown_preset_listing_the_valid_ones(capsys) -> None:
    with pytest.raises(SystemExit):
        main("peer_room_v0", ["--preset", "room/peers"])
    err = capsys.readouterr().err
    assert "'room/peers'" in err and "room/peer" in err and "hopper/agents/8" in err


@pytest.mark.parametrize(
    ("name", "epoch", "steps"),
    [
        ("room/early_advising", 104, 1_040_000),  # learn(100) runs 13 rollouts of 8
        ("room/peer", 10_000, 1_000_000),
        ("hopper/early_advising", 10_000, 1_000_000),
        ("hopper/agents/10", 10_000, 600_000),
    ],
)
def test_an_epoch_runs_as_long_as_the_originals_learn_call(name, epoch, steps) -> None:
    """SB3 1.5 rounds each epoch up to whole rollouts; the run's total follows."""
    config = paper_run(name).config
    assert (config.epoch_length, config.total_steps) == (epoch, steps)
