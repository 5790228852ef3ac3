"""The methods a sweep can run: name -> entry point and the env families it applies to.

A method's entry point is ``"module:function"`` with the signature
``function(env_id: str, seed: int, budget: Budget) -> dict`` returning one
seed's record (see :func:`check_seed_record`). Entry points are imported inside
the worker, so the runner itself never imports torch. ``--add-method NAME=module:fn``
on the command line adds a method of your own to a sweep.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from baselines.peer.config import METHOD_DESCRIPTIONS as PEER_METHOD_DESCRIPTIONS
from benchmarks.presets import Budget

FAMILIES = ("mujoco", "room", "social")


@dataclass(frozen=True)
class MethodSpec:
    """A method of the sweep."""

    name: str
    entry_point: str
    families: tuple[str, ...]
    description: str = ""
    env_ids: tuple[str, ...] | None = None  # only these ids of the families (None: all)

    def applies_to(self, env_id: str, family: str) -> bool:
        """Whether the sweep runs this method on ``env_id`` (of budget family ``family``)."""
        return family in self.families and (self.env_ids is None or env_id in self.env_ids)

    def load(self) -> Callable[[str, int, Budget], dict[str, Any]]:
        module_name, _, attr = self.entry_point.partition(":")
        return getattr(importlib.import_module(module_name), attr)


_PEER = "baselines.peer.benchmark"
_SOCIAL = "baselines.social.benchmark"
# The social learners train on Goal Cycle and are evaluated zero-shot on the transfer
# tasks inside the same job (Ndousse et al. 2021), so they train on that one id.
SOCIAL_TRAIN_IDS = ("goal_cycle_v0",)

BUILTIN_METHODS = (
    *(
        MethodSpec(name, f"{_PEER}:{name}", ("mujoco", "room"), description)
        for name, description in PEER_METHOD_DESCRIPTIONS.items()
    ),
    MethodSpec(
        "social_ppo_aux",
        f"{_SOCIAL}:run_social_ppo_aux",
        ("social",),
        "Recurrent PPO + auxiliary next-observation L1 loss, trained with experts",
        SOCIAL_TRAIN_IDS,
    ),
    MethodSpec(
        "social_ppo_vanilla",
        f"{_SOCIAL}:run_social_ppo_vanilla",
        ("social",),
        "Recurrent PPO without the auxiliary head, trained with experts",
        SOCIAL_TRAIN_IDS,
    ),
    MethodSpec(
        "solo_ppo_aux",
        f"{_SOCIAL}:run_solo_ppo_aux",
        ("social",),
        "Recurrent PPO + auxiliary loss, trained alone (n_experts=0)",
        SOCIAL_TRAIN_IDS,
    ),
    MethodSpec(
        "mixed_ppo_aux",
        f"{_SOCIAL}:run_mixed_ppo_aux",
        ("social",),
        "Recurrent PPO + auxiliary loss, half of the episodes without experts",
        SOCIAL_TRAIN_IDS,
    ),
    MethodSpec(
        "bc",
        f"{_SOCIAL}:run_bc",
        ("social",),
        "Behaviour cloning of the scripted experts' actions",
        SOCIAL_TRAIN_IDS,
    ),
)

METHODS: dict[str, MethodSpec] = {spec.name: spec for spec in BUILTIN_METHODS}


def register_method(spec: MethodSpec) -> None:
    """Add ``spec`` to the sweep's methods (replacing one of the same name)."""
    METHODS[spec.name] = spec


def parse_method_option(text: str) -> MethodSpec:
    """``NAME=module:function[@family,family]`` from the command line."""
    name, sep, rest = text.partition("=")
    entry, _, families = rest.partition("@")
    if not sep or ":" not in entry or not name:
        raise ValueError(
            f"--add-method {text!r}: expected NAME=module:function[@family,...], "
            "e.g. mine=mypkg.train:run@room"
        )
    chosen = tuple(families.split(",")) if families else FAMILIES
    unknown = set(chosen) - set(FAMILIES)
    if unknown:
        raise ValueError(
            f"--add-method {text!r}: unknown families {sorted(unknown)}; use {FAMILIES}."
        )
    return MethodSpec(name, entry, chosen, "user method")


def check_seed_record(record: Any) -> dict[str, Any]:
    """Validate what a method returned before it is stored, with a message naming the field.

    A record holds ``curve`` (``[env_steps_per_peer, mean_return_over_peers]``
    pairs, steps increasing), ``per_peer_curve`` (one list of per-peer returns per
    curve point), ``final_returns`` (evaluation returns per episode) and ``n_peers``.
    """
    if not isinstance(record, dict):
        raise TypeError(f"a method must return a dict seed record, got {type(record).__name__}")
    for key in ("curve", "per_peer_curve", "final_returns", "n_peers"):
        if key not in record:
            raise ValueError(f"seed record lacks {key!r}")
    steps = [point[0] for point in record["curve"]]
    if any(b <= a for a, b in itertools.pairwise(steps)) or any(s < 0 for s in steps):
        raise ValueError(f"seed record 'curve' steps must increase from ≥ 0, got {steps}")
    if len(record["per_peer_curve"]) != len(record["curve"]):
        raise ValueError("seed record 'per_peer_curve' needs one entry per 'curve' point")
    return record
