"""The evaluation protocol: every method, reference or your own, is scored the same way.

``evaluate(policy, env_id, episodes=10, seed=EVAL_SEED)`` runs ``episodes``
episodes of each peer's *own* policy (no advice) on fresh copies of the task,
and returns the return of every (peer, episode). Episode ``e`` of every peer
runs on a copy reset with ``seed + e``, so all peers face the same episodes and
two methods evaluated with the same seed face the same ones too.

Evaluation is one vector: the ``n_peers × episodes`` task copies (for the
social gridworlds, ``episodes`` worlds of ``n_peers`` learners) step together,
and the policy is called once per step on every copy's observation. Pure
numpy: the wheel never needs torch to score a policy.

The policy
----------
``policy(observations, peers) -> actions``:

- ``observations``: the stacked task observations of every copy, shape
  ``(B, *obs_shape)`` (the task's own observation, not the peer protocol's
  ``Dict``), in a fixed row order for the whole evaluation;
- ``peers``: ``(B,)`` int array, the index of the peer whose policy acts in
  each row (row ``r`` belongs to peer ``peers[r]``);
- returns ``B`` actions in the task's action space (an array or a sequence).

Rows of copies whose episode has ended keep their last observation and their
actions are ignored, so a row always means the same episode: a recurrent
policy may keep its memory per row. A policy with a ``reset(batch_size)``
method has it called once before the first step.

The policy should act as it would when deployed (greedy, for the peer
baselines): the protocol itself is deterministic given ``seed`` and a
deterministic policy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

__all__ = ["EVAL_SEED", "Policy", "evaluate"]

# The seed the reference solutions evaluate with (and the sweep, for methods of
# your own): episode e runs on seed EVAL_SEED + e, whatever the training seed, so
# that every method and every training seed is scored on the same episodes.
EVAL_SEED = 1_000_000


class Policy(Protocol):
    """What :func:`evaluate` calls: a batch of observations and peer indices to actions."""

    def __call__(self, observations: np.ndarray, peers: np.ndarray) -> Any: ...


def evaluate(
    policy: Policy | Callable[[np.ndarray, np.ndarray], Any],
    env_id: str | Callable[[], Any],
    *,
    episodes: int,
    seed: int,
    n_peers: int | None = None,
    env_kwargs: dict[str, Any] | None = None,
    on_info: Callable[[int, int, dict[str, Any]], None] | None = None,
) -> np.ndarray:
    """Returns of ``episodes`` deterministic episodes of each peer's own policy.

    Args:
        policy: ``policy(observations, peers) -> actions`` (see the module docs).
        env_id: a registered id (a peer task such as ``"peer_hopper_v0"`` or a
            social gridworld such as ``"goal_cycle_v0"``), or, for an env outside
            the registry, a no-argument callable building a fresh parallel env
            whose agents are the peers (one env per episode).
        episodes: episodes per peer.
        seed: episode ``e`` runs on a copy reset with ``seed + e``
            (:data:`EVAL_SEED` is the reference solutions' choice).
        n_peers: peers to evaluate; ``None`` is the env's default. For a social
            gridworld these are the learners sharing one world.
        env_kwargs: keyword arguments for the env (e.g. ``size=7`` for Room,
            ``n_experts=0`` for a gridworld without experts).
        on_info: called as ``on_info(peer, episode, info)`` with each peer's info
            after every step, so that a caller can summarise an episode (e.g. the
            social gridworlds' ``steps_with_expert_in_view``) from the same
            episodes it scores rather than from a second evaluation.

    Returns:
        ``(n_peers, episodes)`` float array: ``returns[i, e]`` is peer ``i``'s
        return in episode ``e``.
    """
    if isinstance(episodes, bool) or not isinstance(episodes, int | np.integer) or episodes < 1:
        raise ValueError(f"evaluate(): episodes must be a positive int, got {episodes!r}.")
    copies, peers = _task_copies(env_id, int(episodes), n_peers, dict(env_kwargs or {}))
    return _run_episodes(policy, copies, peers, int(episodes), int(seed), on_info)


# ---------------------------------------------------------------------- copies
class _Copy:
    """One parallel env of the evaluation vector and the policy rows its agents fill."""

    def __init__(self, env: Any, episode: int, rows: list[int], unwrap: bool) -> None:
        self.env, self.episode, self.rows, self.unwrap = env, episode, rows, unwrap
        self.agents = list(env.possible_agents)

    def observation(self, obs: dict[str, Any], agent: str) -> Any:
        return obs[agent]["observation"] if self.unwrap else obs[agent]


def _is_peer_env(env: Any) -> bool:
    """Peer-protocol envs wrap the task's observation in a ``Dict`` with a ``role``."""
    space = env.observation_space(env.possible_agents[0])
    return hasattr(space, "spaces") and "role" in space.spaces


def _task_copies(
    env_id: str | Callable[[], Any], episodes: int, n_peers: int | None, env_kwargs: dict[str, Any]
) -> tuple[list[_Copy], np.ndarray]:
    """Peer tasks: one single-peer copy per (peer, episode), advice off, as a peer sees
    its own task. Social gridworlds (and a callable ``env_id``): one env per episode,
    whose agents are the peers."""

    def build(**kwargs: Any) -> Any:
        if callable(env_id):
            return env_id(**kwargs)
        import peerzoo

        return peerzoo.make(env_id, api="parallel", **env_kwargs, **kwargs)

    probe = build()
    peer_env = _is_peer_env(probe)
    default_n = len(probe.possible_agents)
    probe.close()
    n = default_n if n_peers is None else int(n_peers)
    if n < 1:
        raise ValueError(f"evaluate(): n_peers must be ≥ 1, got {n_peers!r}.")
    copies: list[_Copy] = []
    peers: list[int] = []
    if peer_env and not callable(env_id):
        for peer in range(n):
            for episode in range(episodes):
                env = build(n_peers=1, advice=None)
                copies.append(_Copy(env, episode, [len(peers)], unwrap=True))
                peers.append(peer)
        return copies, np.asarray(peers, dtype=np.int64)
    for episode in range(episodes):
        env = build() if callable(env_id) else build(n_learners=n)
        if len(env.possible_agents) != n:
            raise ValueError(
                f"evaluate(): the env has {len(env.possible_agents)} agents but n_peers={n}; "
                "a callable env_id must build envs with one agent per peer."
            )
        copies.append(_Copy(env, episode, list(range(len(peers), len(peers) + n)), peer_env))
        peers.extend(range(n))
    return copies, np.asarray(peers, dtype=np.int64)


# ---------------------------------------------------------------------- episodes
def _stack(rows: Sequence[Any]) -> Any:
    """Stack observations into one batch (a dict of batches for ``Dict`` observations)."""
    if isinstance(rows[0], dict):
        return {key: np.stack([row[key] for row in rows]) for key in rows[0]}
    return np.stack([np.asarray(row) for row in rows])


def _run_episodes(
    policy: Callable[[Any, np.ndarray], Any],
    copies: list[_Copy],
    peers: np.ndarray,
    episodes: int,
    seed: int,
    on_info: Callable[[int, int, dict[str, Any]], None] | None = None,
) -> np.ndarray:
    batch = len(peers)
    returns = np.zeros(batch, dtype=np.float64)
    last_obs: list[Any] = [None] * batch
    running: list[_Copy] = []
    for copy in copies:
        obs, _ = copy.env.reset(seed=seed + copy.episode)
        for agent, row in zip(copy.agents, copy.rows):
            last_obs[row] = copy.observation(obs, agent)
        running.append(copy)
    reset = getattr(policy, "reset", None)
    if callable(reset):
        reset(batch)
    try:
        while running:
            actions = policy(_stack(last_obs), peers)
            if len(actions) != batch:
                raise ValueError(
                    f"evaluate(): the policy returned {len(actions)} actions for a batch "
                    f"of {batch} observations; it must return one action per row."
                )
            still: list[_Copy] = []
            for copy in running:
                env = copy.env
                live = list(env.agents)
                step = {a: actions[row] for a, row in zip(copy.agents, copy.rows) if a in live}
                obs, rewards, _, _, infos = env.step(step)
                for agent, row in zip(copy.agents, copy.rows):
                    returns[row] += float(rewards.get(agent, 0.0))
                    if on_info is not None and agent in infos:
                        on_info(int(peers[row]), copy.episode, infos[agent])
                    if agent in obs:
                        last_obs[row] = copy.observation(obs, agent)
                if env.agents:
                    still.append(copy)
            running = still
    finally:
        for copy in copies:
            copy.env.close()
    out = np.zeros((int(peers.max()) + 1, episodes), dtype=np.float64)
    episode_of = np.empty(batch, dtype=np.int64)
    for copy in copies:
        episode_of[copy.rows] = copy.episode
    out[peers, episode_of] = returns
    return out
