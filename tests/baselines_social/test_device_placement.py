"""The social learners place every tensor on their device (``--device cuda``), checked on a CPU.

Each learner is built as usual, then trained and evaluated inside
:func:`tests.device_audit.unplaced_tensors_on_meta`: a tensor made without a
device would land on ``meta`` and fail there, as it would sit on the CPU
beside a model on a GPU.
"""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from baselines.social import fast, ppo
from tests.baselines_social.tiny_configs import tiny_rgb_run
from tests.device_audit import unplaced_tensors_on_meta


def _audited(monkeypatch, module, name: str, stack: ExitStack) -> None:
    """Make ``module.name`` (the learner's builder) enter the audit once it has built."""
    build = getattr(module, name)

    def build_then_audit(*args, **kwargs):
        built = build(*args, **kwargs)
        stack.enter_context(unplaced_tensors_on_meta())
        return built

    monkeypatch.setattr(module, name, build_then_audit)


@pytest.mark.parametrize("method", ["social_ppo_aux", "bc"])
def test_the_fast_learner_places_every_tensor(monkeypatch, method: str) -> None:
    config = fast.config_for(
        method,
        steps=640,
        num_worlds=4,
        rollout_len=16,
        eval_every=320,
        eval_episodes=2,
        eval_envs=("goal_cycle_v0",),
        transmission_episodes=1,
        progress=False,
    )
    with ExitStack() as stack:
        _audited(monkeypatch, fast, "build", stack)
        record = fast.train(config, resume=False)
    assert [steps for steps, _ in record["curve"]] == [0, 320, 640]
    assert record["cultural_transmission"]


def test_the_rgb_learner_places_every_tensor(monkeypatch) -> None:
    config = tiny_rgb_run(eval_envs=("goal_cycle_v0",))
    with ExitStack() as stack:
        _audited(monkeypatch, ppo, "build_learner", stack)
        record = ppo.train_ppo(config)
    assert [steps for steps, _ in record["curve"]][-1] == 64
