"""Collection on batched worlds: every learner of every world a stream, one forward pass a step.

The same :class:`~baselines.social.rollout_data.Rollout` as
:class:`~baselines.social.rollout.StreamCollector` produces (so
:class:`~baselines.social.recurrent_ppo.RecurrentPPO` trains on it unchanged),
but the worlds are a :class:`peerzoo.social.vector.GoalCycleVectorEnv` in
``SAME_STEP`` autoreset mode: each step returns the next episode's first
observation where one ended, and the last one in ``infos["final_obs"]`` for
the bootstrap value and the auxiliary target.

Alongside returns it keeps what the paper watches over training: the fraction
of an episode's steps with an expert in view and the mean distance to the
nearest expert.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from baselines.social.networks import SocialNet
from baselines.social.rollout import policy_step, rollout_arrays
from baselines.social.rollout_data import Rollout
from peerzoo.social.vector import GoalCycleVectorEnv


def make_vector_env(
    env_id: str, num_worlds: int, *, n_experts: int | None = None, **env_kwargs: Any
) -> GoalCycleVectorEnv:
    """Batched worlds of ``env_id`` for training (``SAME_STEP`` autoreset, symbolic view)."""
    kwargs = {"obs_mode": "symbolic", **env_kwargs}
    if n_experts is not None:
        kwargs["n_experts"] = n_experts
    return GoalCycleVectorEnv(env_id, num_worlds=num_worlds, autoreset_mode="SameStep", **kwargs)


class VectorCollector:
    """Collects :class:`Rollout` s of ``length`` steps from every learner of ``envs``.

    With ``act_source="expert"`` (behaviour cloning) the scripted expert's
    action in each learner's place is executed and recorded as ``expert_act``.
    """

    def __init__(
        self,
        envs: GoalCycleVectorEnv,
        net: SocialNet,
        dist_fn: Callable[[torch.Tensor], Any],
        seed: int,
        act_source: str = "policy",
    ) -> None:
        if act_source not in ("policy", "expert"):
            raise ValueError(f"act_source must be 'policy' or 'expert', got {act_source!r}.")
        self.envs, self.net, self.dist_fn = envs, net, dist_fn
        self.act_source = act_source
        self.n_streams = envs.num_envs
        self.n_learners = envs.n_learners
        self.obs, _ = envs.reset(seed=int(seed))
        self.state = net.initial_state(self.n_streams)
        self.episode_start = np.ones(self.n_streams, bool)
        self._returns = np.zeros(self.n_streams)
        self._distance = np.zeros(self.n_streams)
        self._steps = np.zeros(self.n_streams)
        self.finished_returns: list[float] = []  # per-learner episode returns, in order
        self.finished_in_view: list[float] = []  # fraction of the episode with an expert in view
        self.finished_distance: list[float] = []  # mean distance to the nearest expert
        self.env_steps = 0  # steps per learner (world steps)

    def collect(self, length: int) -> Rollout:
        """Step every stream ``length`` times and return what happened."""
        n, shape = self.n_streams, self.net.obs_shape
        hid = self.net.config.lstm_size
        out = rollout_arrays(n, length, shape, np.uint8, hid)
        expert = np.zeros((n, length), np.int64) if self.act_source == "expert" else None
        device = self.net.device
        for t in range(length):
            keep = torch.as_tensor(~self.episode_start, device=device).float().unsqueeze(-1)
            self.state = (self.state[0] * keep, self.state[1] * keep)
            out["obs"][:, t] = self.obs
            out["h0"][:, t] = self.state[0].cpu().numpy()
            out["c0"][:, t] = self.state[1].cpu().numpy()
            out["episode_start"][:, t] = self.episode_start
            act, logp, value, self.state = policy_step(self.net, self.obs, self.state, self.dist_fn)
            if expert is not None:
                act = expert[:, t] = self.envs.expert_actions()
            out["act"][:, t], out["logp"][:, t], out["v_s"][:, t] = act, logp, value
            obs, rew, term, trunc, infos = self.envs.step(act)
            done = term | trunc
            final_obs = obs
            if done.any():
                final_obs = np.where(done[:, None, None, None], infos["final_obs"], obs)
                idx = np.flatnonzero(done)
                with torch.no_grad():  # bootstrap value of the final observation
                    core, _ = self.net.step(
                        final_obs[idx], (self.state[0][idx], self.state[1][idx])
                    )
                    out["v_next"][idx, t] = self.net.value(core).cpu().numpy()
            out["rew"][:, t], out["terminated"][:, t], out["truncated"][:, t] = rew, term, trunc
            out["obs_next"][:, t] = final_obs
            self._track(rew, done, infos)
            self.obs, self.episode_start = obs, done
            self.env_steps += self.envs.num_worlds
        with torch.no_grad():  # value after the last step, for bootstrapping
            live = ~out["terminated"][:, -1] & ~out["truncated"][:, -1]
            core, _ = self.net.step(self.obs, self.state)
            out["v_next"][live, -1] = self.net.value(core).cpu().numpy()[live]
        done_all = np.logical_or(out["terminated"], out["truncated"])
        out["v_next"][:, :-1] = np.where(done_all[:, :-1], out["v_next"][:, :-1], out["v_s"][:, 1:])
        return Rollout(**out, expert_act=expert)

    def _track(self, rew: np.ndarray, done: np.ndarray, infos: dict[str, Any]) -> None:
        self._returns += rew
        self._steps += 1
        if not done.any():
            self._distance += infos["expert_distance"]
            return
        final = infos["final_info"]
        self._distance += np.where(done, final["expert_distance"], infos["expert_distance"])
        for i in np.flatnonzero(done):
            self.finished_returns.append(float(self._returns[i]))
            self.finished_in_view.append(
                float(final["steps_with_expert_in_view"][i] / self._steps[i])
            )
            self.finished_distance.append(float(self._distance[i] / self._steps[i]))
        self._returns[done] = 0.0
        self._distance[done] = 0.0
        self._steps[done] = 0.0
