"""Collection on the social gridworlds' ``ParallelEnv``: E streams (copies × learners) in lock-step.

One batched forward pass per env step serves every learner of every copy
(learners share one network, the paper's novices being identical learners).
The LSTM state is carried per stream, zeroed at episode starts, and stored with
each transition so training can re-run sequences from it.

Mixed training (paper §6): each env copy holds an env with experts and one
without; at every episode start a copy draws the solo env with probability
``solo_fraction``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from baselines.social.networks import LSTMState, SocialNet
from baselines.social.rollout_data import Rollout
from baselines.social.social_signal import SocialSignal

ExpertActionFn = Callable[[Any, str], int]


def make_social_env(
    env_id: str,
    *,
    n_learners: int = 1,
    n_experts: int | None = None,
    obs_mode: str = "rgb",
    max_cycles: int = 250,
    env_kwargs: dict[str, Any] | None = None,
) -> Any:
    """The parallel form of a registered social gridworld (``n_experts=None``: env default)."""
    import peerzoo

    kwargs = dict(env_kwargs or {})
    kwargs.update(n_learners=n_learners, obs_mode=obs_mode, max_cycles=max_cycles)
    if n_experts is not None:
        kwargs["n_experts"] = n_experts
    return peerzoo.make(env_id, api="parallel", **kwargs)


def obs_spec(env: Any) -> tuple[tuple[int, int, int], int, float, Any]:
    """(observation shape, number of actions, obs scale, action space) of a learner.

    Only array observations fit the conv network; ``obs_mode="full"`` (a dict) does not.
    """
    agent = env.possible_agents[0]
    space = env.observation_space(agent)
    if not hasattr(space, "shape") or space.shape is None or len(space.shape) != 3:
        raise ValueError(
            f"the social learners need H×W×C array observations (obs_mode 'rgb' or "
            f"'symbolic'); got {space}."
        )
    high = float(np.max(space.high)) if hasattr(space, "high") else 255.0
    action_space = env.action_space(agent)
    return tuple(space.shape), int(action_space.n), max(high, 1.0), action_space


def default_expert_action(env: Any, agent: str) -> int:
    """What a scripted expert would do in ``agent``'s place, as the env exposes it."""
    unwrapped = getattr(env, "unwrapped", env)
    for name in ("expert_action", "expert_action_for"):
        method = getattr(unwrapped, name, None)
        if callable(method):
            return int(method(agent))
    raise RuntimeError(
        f"{type(unwrapped).__name__} exposes no expert action for learner {agent!r}: "
        "behaviour cloning needs env.expert_action(agent) (the scripted expert's action "
        "from the learner's state)."
    )


@dataclass
class _Slot:
    """One env copy: the env with experts, the optional solo env, and the one in use."""

    social: Any
    solo: Any | None
    current: Any = None
    seeds: list[int] = field(default_factory=list)


def rollout_arrays(
    n_streams: int, length: int, obs_shape: tuple[int, ...], obs_dtype: Any, hidden: int
) -> dict[str, np.ndarray]:
    """The zeroed arrays one rollout of ``n_streams`` × ``length`` steps fills, by field:
    what :class:`~baselines.social.rollout_data.Rollout` is built from."""
    shape = (n_streams, length)
    out = {
        "obs": np.zeros((*shape, *obs_shape), obs_dtype),
        "act": np.zeros(shape, np.int64),
        "rew": np.zeros(shape, np.float32),
        "terminated": np.zeros(shape, bool),
        "truncated": np.zeros(shape, bool),
        "h0": np.zeros((*shape, hidden), np.float32),
        "c0": np.zeros((*shape, hidden), np.float32),
        "episode_start": np.zeros(shape, bool),
        "v_s": np.zeros(shape, np.float32),
        "v_next": np.zeros(shape, np.float32),
        "logp": np.zeros(shape, np.float32),
    }
    out["obs_next"] = np.zeros_like(out["obs"])
    return out


def policy_step(
    net: SocialNet,
    obs: np.ndarray,
    state: LSTMState,
    dist_fn: Callable[[torch.Tensor], Any],
    deterministic: bool = False,
    probs_out: list[np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, LSTMState]:
    """Act for a batch of streams: (actions, log-probs, values, new state).

    ``probs_out`` (a list) receives the action distributions, for
    :func:`baselines.social.diagnostics.action_information`."""
    with torch.no_grad():
        core, new_state = net.step(obs, state)
        logits = net.logits(core)
        dist = dist_fn(logits)
        if probs_out is not None:
            probs_out.append(torch.softmax(logits, -1).cpu().numpy())
        act = logits.argmax(-1) if deterministic else dist.sample()
        return (
            act.cpu().numpy(),
            dist.log_prob(act).cpu().numpy(),
            net.value(core).cpu().numpy(),
            new_state,
        )


class StreamCollector:
    """Collects :class:`Rollout` s of ``length`` steps from ``n_envs`` copies of a social env.

    ``act_source`` picks the executed action: ``"policy"`` (PPO), or
    ``"expert"`` (behaviour cloning: the scripted expert's action is executed
    with probability ``beta``, otherwise the policy's — DAgger-style mixing).
    The expert's action is recorded whenever ``record_expert`` is set.
    """

    def __init__(
        self,
        make_env: Callable[[bool], Any],
        n_envs: int,
        net: SocialNet,
        dist_fn: Callable[[torch.Tensor], Any],
        seed: int,
        solo_fraction: float = 0.0,
        act_source: str = "policy",
        beta: float = 1.0,
        record_expert: bool = False,
        expert_action: ExpertActionFn = default_expert_action,
    ) -> None:
        self.net, self.dist_fn = net, dist_fn
        self.solo_fraction = float(solo_fraction)
        self.act_source, self.beta = act_source, float(beta)
        self.record_expert = record_expert or act_source == "expert"
        self.expert_action = expert_action
        self.rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
        seeds = np.random.SeedSequence(seed).generate_state(2 * n_envs)
        self.slots: list[_Slot] = []
        for i in range(n_envs):
            social = make_env(False) if self.solo_fraction < 1.0 else None
            solo = make_env(True) if self.solo_fraction > 0.0 else None
            self.slots.append(_Slot(social, solo, seeds=[int(seeds[2 * i]), int(seeds[2 * i + 1])]))
        first = self.slots[0].social or self.slots[0].solo
        self.agents: list[str] = list(first.possible_agents)
        self.n_learners = len(self.agents)
        self.n_streams = n_envs * self.n_learners
        self.obs = np.stack([self._reset(slot) for slot in self.slots]).reshape(
            self.n_streams, *net.obs_shape
        )
        self.state = net.initial_state(self.n_streams)
        self.episode_start = np.ones(self.n_streams, bool)
        self._returns = np.zeros(self.n_streams)
        self.finished_returns: list[float] = []  # per-learner episode returns, in order
        self._signal = SocialSignal(self.n_streams)
        # per finished episode, aligned with finished_returns: the social signal (None: no experts)
        self.finished_signal: list[dict[str, float] | None] = []
        self.finished_solo: list[bool] = []
        self._ended_solo = np.zeros(self.n_streams, bool)  # the last step's episode kind
        self.env_steps = 0

    def _reset(self, slot: _Slot) -> np.ndarray:
        use_solo = slot.solo is not None and (
            slot.social is None or self.rng.random() < self.solo_fraction
        )
        slot.current = slot.solo if use_solo else slot.social
        which = 1 if use_solo else 0
        seed = slot.seeds[which]
        slot.seeds[which] = -1  # seed each env once; later resets continue its RNG
        obs, _ = slot.current.reset(seed=None if seed < 0 else seed)
        return np.stack([obs[a] for a in self.agents])

    def collect(self, length: int) -> Rollout:
        """Step every stream ``length`` times and return what happened."""
        n, shape = self.n_streams, self.net.obs_shape
        hid = self.net.config.lstm_size
        obs_dtype = np.uint8 if self.net.obs_scale > 1 else np.float32
        out = rollout_arrays(n, length, shape, obs_dtype, hid)
        expert = np.zeros((n, length), np.int64) if self.record_expert else None
        for t in range(length):
            keep = torch.as_tensor(~self.episode_start, device=self.net.device)
            keep = keep.float().unsqueeze(-1)
            self.state = (self.state[0] * keep, self.state[1] * keep)
            out["obs"][:, t] = self.obs
            out["h0"][:, t] = self.state[0].cpu().numpy()
            out["c0"][:, t] = self.state[1].cpu().numpy()
            out["episode_start"][:, t] = self.episode_start
            act, logp, value, self.state = policy_step(self.net, self.obs, self.state, self.dist_fn)
            if expert is not None:
                expert[:, t] = self._expert_actions()
            if self.act_source == "expert":
                use_expert = self.rng.random(n) < self.beta
                act = np.where(use_expert, expert[:, t], act)
                with torch.no_grad():  # log-prob of what was executed, for completeness
                    logp = (
                        self.dist_fn(self.net.logits(self.state[0]))
                        .log_prob(torch.as_tensor(act, device=self.net.device))
                        .cpu()
                        .numpy()
                    )
            out["act"][:, t], out["logp"][:, t], out["v_s"][:, t] = act, logp, value
            next_obs, final_obs, rew, term, trunc = self._step_all(act)
            out["rew"][:, t], out["terminated"][:, t], out["truncated"][:, t] = rew, term, trunc
            out["obs_next"][:, t] = final_obs
            done = np.logical_or(term, trunc)
            if done.any():  # bootstrap value of the final observation, from the post-step state
                idx = np.flatnonzero(done)
                with torch.no_grad():
                    core, _ = self.net.step(
                        final_obs[idx], (self.state[0][idx], self.state[1][idx])
                    )
                    out["v_next"][idx, t] = self.net.value(core).cpu().numpy()
            self._returns += rew
            for i in np.flatnonzero(done):
                self.finished_returns.append(float(self._returns[i]))
                self.finished_signal.append(self._signal.finish(int(i)))
                self.finished_solo.append(bool(self._ended_solo[i]))
                self._returns[i] = 0.0
            self.obs, self.episode_start = next_obs, done
            self.env_steps += len(self.slots)
        with torch.no_grad():  # value of the observation after the last step, for bootstrapping
            live = ~out["terminated"][:, -1] & ~out["truncated"][:, -1]
            core, _ = self.net.step(self.obs, self.state)
            out["v_next"][live, -1] = self.net.value(core).cpu().numpy()[live]
        done_all = np.logical_or(out["terminated"], out["truncated"])
        out["v_next"][:, :-1] = np.where(done_all[:, :-1], out["v_next"][:, :-1], out["v_s"][:, 1:])
        return Rollout(**out, expert_act=expert)

    def _expert_actions(self) -> np.ndarray:
        return np.array(
            [
                self.expert_action(slot.current, agent)
                for slot in self.slots
                for agent in self.agents
            ]
        )

    def _step_all(
        self, act: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Step every copy; reset finished ones. Returns (next obs, final obs, rew, term, trunc)."""
        k = self.n_learners
        next_obs = np.empty_like(self.obs)
        final_obs = np.empty_like(self.obs)
        rew = np.zeros(self.n_streams, np.float32)
        term = np.zeros(self.n_streams, bool)
        trunc = np.zeros(self.n_streams, bool)
        for i, slot in enumerate(self.slots):
            actions = {a: int(act[i * k + j]) for j, a in enumerate(self.agents)}
            obs, r, te, tr, infos = slot.current.step(actions)
            self._signal.update(i * k, [infos.get(a, {}) for a in self.agents])
            rows = slice(i * k, (i + 1) * k)
            final_obs[rows] = np.stack([obs[a] for a in self.agents])
            rew[rows] = [r[a] for a in self.agents]
            term[rows] = [te[a] for a in self.agents]
            trunc[rows] = [tr[a] for a in self.agents]
            ended = term[rows] | trunc[rows]
            self._ended_solo[rows] = slot.current is slot.solo  # before a reset changes it
            if ended.any() and not ended.all():
                raise RuntimeError(
                    "a learner's episode ended while others continue; the social learners "
                    "assume every learner's episode ends together (max_cycles, respawn=True)."
                )
            next_obs[rows] = self._reset(slot) if ended.all() else final_obs[rows]
        return next_obs, final_obs, rew, term, trunc
