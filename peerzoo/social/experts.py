"""Experts that live inside the social gridworlds: scripted cycle-followers or a trained policy.

Experts are not PettingZoo agents: the env chooses their actions every step.
Three kinds, each for a claim of the paper (Ndousse et al., ICML 2021):

- **All-knowing** (default, :func:`peerzoo.social.core.kernels.cycle_actions`):
  they know the goal order and take the cheapest route (shortest, avoiding goals
  out of turn unless walls force a crossing). Near-optimal demonstrators: the
  setting for "social learners learn faster with experts than alone" and for
  the transfer results (experts present in a new environment).
- **Discovering** (``experts_know_order=False``,
  :func:`~peerzoo.social.core.kernels.discovering_actions`): they know where
  the goals are but not their order, pay a penalty for each wrong guess, and
  follow the cycle once they have found it, as the paper's experts (trained
  agents) had to. Their early mistakes leave room for a learner to do better
  than its experts — the paper's "novices outperform the experts".
- **Noisy** (``expert_noise=p``): either kind, with each action replaced by a
  uniformly random one with probability p, the imperfect experts of the
  paper's ablations.

**Plugging in a trained policy.** Pass ``expert_policy=`` to any social env: an
object satisfying :class:`ExpertPolicy`. Each step the env calls it once per
expert with that expert's observation (in the env's ``obs_mode``, exactly what
a learner would see in its place) and the expert's index; the returned action
replaces the scripted one (``expert_noise`` still applies). If it has a
``reset()`` method, it is called at every env reset (recurrent policies
clear their state there)::

    class FrozenLearner:
        def __init__(self, net): self.net = net
        def reset(self): self.state = None
        def __call__(self, observation, expert_index):
            action, self.state = self.net.act(observation, self.state)
            return int(action)

    env = peerzoo.make("goal_cycle_v0", expert_policy=FrozenLearner(net))
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class ExpertPolicy(Protocol):
    """A callable choosing an expert's action from its own observation."""

    def __call__(self, observation: Any, expert_index: int) -> int:
        """The action (an int of the env's action space) for expert ``expert_index``."""
        ...


def reset_policy(policy: Any) -> None:
    """Call ``policy.reset()`` if the policy has one (see the module docstring)."""
    reset = getattr(policy, "reset", None)
    if callable(reset):
        reset()
