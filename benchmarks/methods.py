"""The methods a sweep can run, and the interface a method of your own implements.

A method is an entry point ``"module:function"`` (or ``"path/to/file.py:function"``)
naming a :class:`Method`: ``function(env_id, seed, budget)``. It trains on
``env_id`` for ``budget.steps_per_peer`` env steps per peer and either

- **yields policies** ``(env_steps_per_peer, policy)`` as it trains, at least at
  the end and ideally every ``budget.eval_every`` steps: the sweep evaluates each
  one itself with :func:`peerzoo.evaluate` (``budget.eval_episodes`` episodes per
  peer, seed :data:`peerzoo.EVAL_SEED`) and builds the seed record
  (:func:`benchmarks.records.record_from_policies`), so every method is scored by
  the same protocol; or
- **returns a seed record** (a dict, see :func:`benchmarks.records.check_seed_record`),
  as the reference solutions do (they call :func:`peerzoo.evaluate` themselves).

A policy is ``policy(observations, peers) -> actions`` (see :mod:`peerzoo.evaluate`).
The function may take a ``logdir`` keyword: the sweep then passes the job's
TensorBoard directory; and a ``device`` keyword (``"cpu"``, ``"cuda"``): the
sweep passes ``--device`` (a method without it runs only with ``--device cpu``,
checked before any job starts). A ``config`` attribute on the function (a dataclass or a
dict of JSON values) is recorded with every seed and enters the config hash.

``--add-method NAME=module:function[@family,...]`` adds a method to a sweep; the
entry point is imported and checked (:meth:`MethodSpec.check`) before any job starts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import importlib.util
import inspect
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from baselines.peer.config import METHOD_DESCRIPTIONS as PEER_METHOD_DESCRIPTIONS
from benchmarks.presets import Budget
from benchmarks.records import check_seed_record

__all__ = [
    "FAMILIES",
    "METHODS",
    "Method",
    "MethodSpec",
    "check_seed_record",
    "parse_method_option",
]

FAMILIES = ("mujoco", "room", "social")


class Method(Protocol):
    """What a sweep runs: train one seed, yield ``(env_steps_per_peer, policy)`` as you go."""

    def __call__(
        self, env_id: str, seed: int, budget: Budget
    ) -> Iterable[tuple[int, Any]] | dict[str, Any]: ...


class MethodError(ValueError):
    """A method's entry point that cannot run; the message names it and the fix."""


def _import_entry_module(module_ref: str) -> Any:
    """A module by dotted name (importable here or from the working directory) or file path."""
    if module_ref.endswith(".py") or "/" in module_ref:
        path = Path(module_ref)
        if not path.is_file():
            raise MethodError(
                f"no file {module_ref!r} (a path is relative to {Path.cwd()}); "
                "give an existing .py file or an importable module"
            )
        digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
        name = f"peerzoo_method_{path.stem}_{digest}"  # two train.py files stay two modules
        if name in sys.modules:
            return sys.modules[name]
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        return module
    cwd = str(Path.cwd())
    if cwd not in sys.path:  # a module beside the user, as `python -m` would find it
        sys.path.append(cwd)
    return importlib.import_module(module_ref)


@dataclass(frozen=True)
class MethodSpec:
    """A method of the sweep: its entry point, where it applies, how it is described."""

    name: str
    entry_point: str
    families: tuple[str, ...]
    description: str = ""
    env_ids: tuple[str, ...] | None = None  # only these ids of the families (None: all)
    code_url: str | None = None
    builtin: bool = True  # a reference solution (returns its own record and config hash)

    def applies_to(self, env_id: str, family: str) -> bool:
        """Whether the sweep runs this method on ``env_id`` (of budget family ``family``)."""
        return family in self.families and (self.env_ids is None or env_id in self.env_ids)

    def load(self) -> Callable[..., Any]:
        """The entry point's function (imported here: the runner itself never imports torch)."""
        module_ref, _, attr = self.entry_point.rpartition(":")
        return getattr(_import_entry_module(module_ref), attr)

    def check(self) -> Callable[..., Any]:
        """Import the entry point and check its signature, or raise a one-line MethodError."""
        where = f"--add-method {self.name}={self.entry_point}"
        module_ref, _, attr = self.entry_point.rpartition(":")
        try:
            module = _import_entry_module(module_ref)
        except MethodError as err:
            raise MethodError(f"{where}: {err}.") from None
        except Exception as err:
            raise MethodError(
                f"{where}: importing {module_ref!r} failed ({type(err).__name__}: {err}); "
                "run from the directory that holds it, or give its file path "
                "(e.g. examples/random_advice.py:run)."
            ) from None
        function = getattr(module, attr, None)
        if not callable(function):
            public = sorted(n for n, v in vars(module).items() if callable(v) and n[0] != "_")
            raise MethodError(
                f"{where}: {module_ref!r} has no function {attr!r}; it defines {public}."
            )
        try:
            inspect.signature(function).bind("env_id", 0, "budget")
        except TypeError:
            names = ", ".join(inspect.signature(function).parameters)
            raise MethodError(
                f"{where}: {attr}({names}) must accept (env_id, seed, budget); "
                "see benchmarks.methods.Method."
            ) from None
        except ValueError:  # no signature to inspect (a builtin); trust it
            pass
        config_of(function)  # a config that is not JSON fails here, not in a worker
        return function

    def accepts_logdir(self, function: Callable[..., Any]) -> bool:
        return _has_parameter(function, "logdir")

    def accepts_device(self, function: Callable[..., Any]) -> bool:
        return _has_parameter(function, "device")


def _has_parameter(function: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(function).parameters
    except ValueError:  # no signature to inspect (a builtin)
        return False


def config_of(function: Callable[..., Any]) -> dict[str, Any] | None:
    """A method's ``config`` attribute as JSON values (a dataclass or a dict), or None."""
    import json

    config = getattr(function, "config", None)
    if config is None:
        return None
    if dataclasses.is_dataclass(config) and not isinstance(config, type):
        config = dataclasses.asdict(config)
    if not isinstance(config, dict):
        raise MethodError(
            f"{function.__name__}.config must be a dataclass instance or a dict, "
            f"got {type(config).__name__}."
        )
    try:
        return json.loads(json.dumps(config, allow_nan=False))
    except (TypeError, ValueError) as err:
        raise MethodError(f"{function.__name__}.config is not JSON: {err}.") from None


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


def parse_method_option(
    text: str, description: str | None = None, code_url: str | None = None
) -> MethodSpec:
    """``NAME=module:function[@family,family]`` from the command line (not yet imported).

    The description defaults to the first line of the function's docstring, read
    when the method is checked.
    """
    name, sep, rest = text.partition("=")
    entry, _, families = rest.partition("@")
    module_ref, colon, attr = entry.rpartition(":")
    if not sep or not colon or not module_ref or not attr or not name:
        raise MethodError(
            f"--add-method {text!r}: expected NAME=module:function[@family,...], "
            "e.g. mine=examples/random_advice.py:run@room or mine=mypkg.train:run"
        )
    if name in METHODS:
        raise MethodError(
            f"--add-method {text!r}: {name!r} is a built-in method; choose another name."
        )
    chosen = tuple(families.split(",")) if families else FAMILIES
    unknown = set(chosen) - set(FAMILIES)
    if unknown:
        raise MethodError(
            f"--add-method {text!r}: unknown families {sorted(unknown)}; use {FAMILIES}."
        )
    path = Path(module_ref)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        # Ray ships the working directory: a path inside it must be relative to resolve there.
        entry = f"{path.relative_to(Path.cwd())}:{attr}"
    return MethodSpec(name, entry, chosen, description or "", code_url=code_url, builtin=False)


def checked_user_method(spec: MethodSpec) -> MethodSpec:
    """``spec`` with its entry point checked and its description filled in (or MethodError)."""
    function = spec.check()
    description = spec.description
    if not description:
        doc = inspect.getdoc(function) or ""
        description = doc.strip().splitlines()[0] if doc.strip() else ""
    if not description:
        raise MethodError(
            f"--add-method {spec.name}={spec.entry_point}: no description; pass "
            "--method-description TEXT or give the function a docstring."
        )
    return dataclasses.replace(spec, description=description)
