"""What pickling a peer env leaves out: the physics state of MuJoCo task copies.

Gymnasium's MuJoCo envs pickle by their constructor arguments (``EzPickle``),
so an unpickled copy starts from a fresh model: a resumed run would diverge.
A snapshot stores, per task copy, MuJoCo's full integration state
(``mj_getState`` with ``mjSTATE_INTEGRATION``, warm start included), the
task's ``np_random`` state and the wrappers' step counters; ``restore``
writes them back after loading. Pure-Python tasks (Room) pickle faithfully and
need only the wrappers' counters, which are harmless to restore.
"""

from __future__ import annotations

from typing import Any

import gymnasium
import mujoco
import numpy as np


def _layers(task: gymnasium.Env) -> list[Any]:
    layers, env = [], task
    while True:
        layers.append(env)
        if not hasattr(env, "env") or env is env.unwrapped:
            return layers
        env = env.env


def snapshot(task: gymnasium.Env) -> dict[str, Any]:
    """Everything of ``task``'s dynamic state that pickling may lose."""
    state: dict[str, Any] = {
        "elapsed": [getattr(layer, "_elapsed_steps", None) for layer in _layers(task)],
        "np_random": task.unwrapped.np_random.bit_generator.state,
    }
    base = task.unwrapped
    if hasattr(base, "data") and hasattr(base, "model"):
        spec = mujoco.mjtState.mjSTATE_INTEGRATION
        physics = mujoco.mj_stateSize(base.model, spec)
        buffer = np.empty(physics)
        mujoco.mj_getState(base.model, base.data, buffer, spec)
        state["mujoco"] = buffer
    return state


def restore(task: gymnasium.Env, state: dict[str, Any]) -> None:
    """Write a :func:`snapshot` back into ``task``."""
    for layer, elapsed in zip(_layers(task), state["elapsed"]):
        if elapsed is not None:
            layer._elapsed_steps = elapsed
    task.unwrapped.np_random.bit_generator.state = state["np_random"]
    if "mujoco" in state:
        base = task.unwrapped
        spec = mujoco.mjtState.mjSTATE_INTEGRATION
        mujoco.mj_setState(base.model, base.data, state["mujoco"], spec)
        mujoco.mj_forward(base.model, base.data)
