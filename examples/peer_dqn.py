"""Peer DQN in one file: peerzoo, numpy and torch only (CleanRL style).

Each peer is a DQN with its own replay buffer. Every round it answers the
others' "what would you do in my situation?" with its greedy action, and on
its own turn picks among its own ε-greedy action and the advice it got with the
paper's *critic* mechanism: a softmax over its own Q-values of the candidates
(Derstroff et al., AAAI 2024; the trust-value and agent-value mechanisms are
left out for brevity). Every hyperparameter is in ``Config`` at the top.

    python benchmarks/run_all.py --add-method peer_dqn_example=examples/peer_dqn.py:train@room \\
        --method peer_dqn_example --env peer_room_v0

The function yields ``(env_steps_per_peer, policy)`` every ``budget.eval_every``
steps; the sweep evaluates each policy with ``peerzoo.evaluate``.
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

import peerzoo


@dataclass(frozen=True)
class Config:
    """Every knob, Room values of the paper where it has one. The number of peers and
    the task settings are the env's defaults (the paper's), which the sweep evaluates."""

    hidden_sizes: tuple[int, ...] = (256, 256)  # paper: [256, 256]
    lr: float = 5e-4  # paper (Room)
    gamma: float = 0.99
    buffer_size: int = 300_000  # paper (Room)
    batch_size: int = 256
    learning_starts: int = 100  # env steps per peer before the first update
    train_every: int = 8  # env steps between updates (paper: 8 steps, then 8 updates)
    gradient_steps: int = 8
    target_update_every: int = 500  # gradient steps between target-network copies
    eps_start: float = 1.0
    eps_final: float = 0.05
    eps_fraction: float = 0.1  # of the budget over which ε decays linearly
    temperature: float = 1.0  # softmax temperature of the critic mechanism


CONFIG = Config()


class QNetwork(nn.Module):
    def __init__(self, obs_dim: int, n_actions: int, hidden: tuple[int, ...]) -> None:
        super().__init__()
        layers, width = [], obs_dim
        for size in hidden:
            layers += [nn.Linear(width, size), nn.ReLU()]
            width = size
        self.net = nn.Sequential(*layers, nn.Linear(width, n_actions))

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return self.net(obs)


class ReplayBuffer:
    """One peer's own experience: no transition ever enters another peer's buffer."""

    def __init__(self, size: int, obs_dim: int) -> None:
        self.obs = np.zeros((size, obs_dim), np.float32)
        self.next_obs = np.zeros((size, obs_dim), np.float32)
        self.actions = np.zeros(size, np.int64)
        self.rewards = np.zeros(size, np.float32)
        self.terminated = np.zeros(size, np.float32)
        self.size, self.pos, self.full = size, 0, False

    def add(self, obs, action, reward, terminated, next_obs) -> None:
        i = self.pos
        self.obs[i], self.actions[i], self.rewards[i] = obs, action, reward
        self.terminated[i], self.next_obs[i] = terminated, next_obs
        self.pos = (i + 1) % self.size
        self.full = self.full or self.pos == 0

    def sample(self, batch_size: int, rng: np.random.Generator):
        idx = rng.integers(0, self.size if self.full else self.pos, batch_size)
        return tuple(
            torch.as_tensor(x[idx])
            for x in (self.obs, self.actions, self.rewards, self.terminated, self.next_obs)
        )


def greedy(q_networks, observations: np.ndarray, peers: np.ndarray) -> np.ndarray:
    """Each row's greedy action under its own peer's Q-network (the evaluated policy)."""
    obs = torch.as_tensor(np.asarray(observations, np.float32))
    actions = np.zeros(len(peers), np.int64)
    with torch.no_grad():
        for peer in np.unique(peers):
            rows = peers == peer
            actions[rows] = q_networks[peer](obs[rows]).argmax(-1).numpy()
    return actions


def train(env_id: str, seed: int, budget, config: Config = CONFIG):
    """Peer DQN with the critic mechanism: each peer picks among its own action and the advice."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    env = peerzoo.make(env_id, api="parallel", autoreset=True)
    agents = env.possible_agents
    obs_dim = env.observation_space(agents[0])["observation"].shape[0]
    n_actions = int(env.action_space(agents[0]).n)
    q = [QNetwork(obs_dim, n_actions, config.hidden_sizes) for _ in agents]
    target = [QNetwork(obs_dim, n_actions, config.hidden_sizes) for _ in agents]
    for net, copy in zip(q, target):
        copy.load_state_dict(net.state_dict())
    optimisers = [torch.optim.Adam(net.parameters(), lr=config.lr) for net in q]
    buffers = [ReplayBuffer(config.buffer_size, obs_dim) for _ in agents]
    pending: list = [None] * len(agents)  # (obs, action, reward, terminated) awaiting next obs
    updates = 0

    def policy(observations, peers):
        return greedy(q, observations, peers)

    obs, _ = env.reset(seed=seed)
    steps = 0
    while steps < budget.steps_per_peer:
        progress = steps / budget.steps_per_peer
        eps = config.eps_start + min(1.0, progress / config.eps_fraction) * (
            config.eps_final - config.eps_start
        )
        states = np.stack([obs[a]["observation"] for a in agents]).astype(np.float32)
        roles = [int(obs[a]["role"]) for a in agents]
        # Advice and own proposals: every peer's greedy action for the state it sees.
        proposals = greedy(q, states, np.arange(len(agents)))
        actions = {}
        for i, agent in enumerate(agents):
            if roles[i] != peerzoo.ACT:
                actions[agent] = proposals[i]  # an ADVISE answer (ignored when IDLE)
                continue
            if pending[i] is not None:  # this own state completes the last transition
                buffers[i].add(*pending[i], states[i])
                pending[i] = None
            own = rng.integers(n_actions) if rng.random() < eps else proposals[i]
            mask = obs[agent]["advice_mask"].astype(bool)
            candidates = np.concatenate([[own], obs[agent]["advice"][mask]]).astype(np.int64)
            with torch.no_grad():
                values = q[i](torch.as_tensor(states[i : i + 1]))[0, candidates].numpy()
            logits = (values - values.max()) / config.temperature
            weights = np.exp(logits) / np.exp(logits).sum()
            actions[agent] = candidates[rng.choice(len(candidates), p=weights)]
        obs, rewards, _, _, infos = env.step(actions)
        if peerzoo.ACT not in roles:
            continue
        steps += 1  # an act phase steps every peer's task once
        for i, agent in enumerate(agents):
            if roles[i] != peerzoo.ACT:
                continue
            transition = (states[i], actions[agent], rewards[agent])
            info = infos[agent]
            if "final_observation" in info:  # the task episode ended (and was reset)
                terminated = float(info["task_terminated"])
                buffers[i].add(*transition, terminated, info["final_observation"])
            else:
                pending[i] = (*transition, 0.0)
        if steps >= config.learning_starts and steps % config.train_every == 0:
            for i in range(len(agents)):
                for _ in range(config.gradient_steps):
                    o, a, r, term, o2 = buffers[i].sample(config.batch_size, rng)
                    with torch.no_grad():
                        best = target[i](o2).max(-1).values
                        y = r + config.gamma * (1.0 - term) * best
                    q_taken = q[i](o).gather(1, a[:, None])[:, 0]
                    loss = nn.functional.smooth_l1_loss(q_taken, y)
                    optimisers[i].zero_grad()
                    loss.backward()
                    optimisers[i].step()
                    updates += 1
                    if updates % config.target_update_every == 0:
                        target[i].load_state_dict(q[i].state_dict())
        if steps % budget.eval_every == 0 or steps == budget.steps_per_peer:
            yield steps, policy


train.config = CONFIG  # recorded with every seed and hashed into the submission's config_hash
