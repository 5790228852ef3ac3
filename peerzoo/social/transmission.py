"""Cultural-transmission evaluation: experts show the way, then leave; does the learner keep it?

Bhoopchand et al. (DeepMind, 2022), "Learning Robust Real-Time Cultural
Transmission without Human Data", score an agent by what it does while an
expert is present and what it still does once the expert has gone, each
normalised between a solo agent (0) and the expert (1). This is that
evaluation on the social gridworlds:

* **with experts**: the first ``expert_steps`` steps of an episode, the
  scripted experts in the world;
* **after they leave**: the rest of the same episode, the experts removed
  from the world (nothing to watch any more, only what was learned);
* **alone**: whole episodes without experts.

Each phase is scored as reward per step, averaged over learners and episodes,
and normalised as ``(policy − solo) / (expert − solo)`` where *expert* is the
scripted expert acting in the learner's place and *solo* is ``solo_policy``
(a uniformly random policy unless one is given, e.g. a learner trained
alone), both run through the same protocol with the same seeds. The
cultural-transmission score is the mean of the two normalised phases of the
expert episodes, as in the paper.

The policy is any callable: ``policy(observations, episode_start) -> actions``
with the learners' observations stacked on the first axis and
``episode_start`` True at an episode's first step (recurrent policies clear
their memory there). No learning library is needed.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Policy = Callable[[np.ndarray, bool], Any]
PHASES = ("with_experts", "after_experts_leave", "alone")


@dataclass(frozen=True)
class TransmissionScores:
    """Reward per step in each phase (policy, expert, solo) and the normalised scores."""

    policy: dict[str, float]
    expert: dict[str, float]
    solo: dict[str, float]
    normalised: dict[str, float]
    cultural_transmission: float  # mean of the normalised with- and after-experts phases
    expert_steps: int
    episodes: int

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for result records)."""
        return {
            "policy": self.policy,
            "expert": self.expert,
            "solo": self.solo,
            "normalised": self.normalised,
            "cultural_transmission": self.cultural_transmission,
            "expert_steps": self.expert_steps,
            "episodes": self.episodes,
        }


def random_policy(n_actions: int, seed: int = 0) -> Policy:
    """A uniformly random policy whose stream restarts at each episode from its first view.

    Seeding from the first observation makes it reproducible run after run:
    the same world gives the same actions, whichever phase or call it is in.
    """
    rng = [np.random.default_rng(seed)]

    def act(observations: np.ndarray, episode_start: bool) -> np.ndarray:
        if episode_start:
            view = np.ascontiguousarray(observations).tobytes()
            rng[0] = np.random.default_rng([seed, zlib.crc32(view)])
        return rng[0].integers(0, n_actions, len(observations))

    return act


def cultural_transmission(
    policy: Policy,
    env_id: str = "goal_cycle_v0",
    *,
    episodes: int = 10,
    seed: int = 0,
    expert_steps: int | None = None,
    solo_policy: Policy | None = None,
    expert_policy: Policy | None = None,
    **env_kwargs: Any,
) -> TransmissionScores:
    """Score ``policy`` with experts, after they leave and alone, normalised (see module docs).

    ``expert_steps`` (default: half of ``max_cycles``) is when the experts
    leave; ``solo_policy`` (default: uniformly random) and ``expert_policy``
    (default: the scripted expert in the learner's place) are the 0 and 1 of
    the scale; ``env_kwargs`` go to ``peerzoo.make`` (``n_experts`` ≥ 1).
    """
    import peerzoo

    probe = peerzoo.make(env_id, api="parallel", **env_kwargs)
    if getattr(probe, "n_experts", 0) < 1:
        raise ValueError(
            f"cultural_transmission needs experts to leave: {env_id!r} with {env_kwargs} has "
            f"n_experts={getattr(probe, 'n_experts', None)}; pass n_experts ≥ 1."
        )
    max_cycles = probe.max_cycles
    k = max_cycles // 2 if expert_steps is None else int(expert_steps)
    if not 0 < k < max_cycles:
        raise ValueError(f"expert_steps must lie in 1..{max_cycles - 1}, got {expert_steps!r}.")
    if episodes < 1:
        raise ValueError(f"episodes must be ≥ 1, got {episodes!r}.")
    solo_policy = solo_policy or random_policy(probe.n_actions, seed)
    with_env = probe
    alone_env = peerzoo.make(env_id, api="parallel", **{**env_kwargs, "n_experts": 0})

    def scores(act: Policy | None) -> dict[str, float]:
        phase_with, phase_after = _expert_episodes(with_env, act, episodes, seed, k)
        return {
            "with_experts": phase_with,
            "after_experts_leave": phase_after,
            "alone": _alone_episodes(alone_env, act, episodes, seed),
        }

    ours, expert, solo = scores(policy), scores(expert_policy), scores(solo_policy)
    normalised = {p: _normalise(ours[p], expert[p], solo[p]) for p in PHASES}
    with_env.close()
    alone_env.close()
    return TransmissionScores(
        policy=ours,
        expert=expert,
        solo=solo,
        normalised=normalised,
        cultural_transmission=0.5
        * (normalised["with_experts"] + normalised["after_experts_leave"]),
        expert_steps=k,
        episodes=episodes,
    )


def _normalise(value: float, expert: float, solo: float) -> float:
    gap = expert - solo
    if abs(gap) < 1e-12:
        return float("nan")  # the phase does not separate expert from solo
    return (value - solo) / gap


def _actions(env: Any, act: Policy | None, obs: dict[str, Any], first: bool) -> dict[str, int]:
    """``act``'s actions, or the scripted expert's in each learner's place (``act=None``)."""
    agents = env.possible_agents
    if act is None:
        return {a: env.expert_action(a) for a in agents}
    chosen = np.asarray(act(np.stack([obs[a] for a in agents]), first)).reshape(-1)
    return {a: int(chosen[i]) for i, a in enumerate(agents)}


def _expert_episodes(
    env: Any, act: Policy | None, episodes: int, seed: int, expert_steps: int
) -> tuple[float, float]:
    """Reward per learner-step before and after the experts leave, over ``episodes``."""
    before = after = 0.0
    n_before = n_after = 0
    for episode in range(episodes):
        obs, _ = env.reset(seed=seed + episode)
        t = 0
        while env.agents:
            if t == expert_steps:
                env.alive[env.n_learners :] = False  # the experts leave the world
            obs, rew, _, _, _ = env.step(_actions(env, act, obs, t == 0))
            total = sum(rew.values())
            if t < expert_steps:
                before, n_before = before + total, n_before + len(rew)
            else:
                after, n_after = after + total, n_after + len(rew)
            t += 1
    return before / max(n_before, 1), after / max(n_after, 1)


def _alone_episodes(env: Any, act: Policy | None, episodes: int, seed: int) -> float:
    total, n = 0.0, 0
    for episode in range(episodes):
        obs, _ = env.reset(seed=seed + episode)
        first = True
        while env.agents:
            obs, rew, _, _, _ = env.step(_actions(env, act, obs, first))
            first = False
            total, n = total + sum(rew.values()), n + len(rew)
    return total / max(n, 1)
