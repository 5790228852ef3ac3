"""One way to make a social env id's ``env(...)`` / ``parallel_env(...)`` pair.

Every id is the same world class with different defaults. The creators take
explicit keyword parameters (their ``__signature__`` is the class's, with the
id's defaults), so ``peerzoo.make`` and ``inspect.signature`` see real
parameters and an unknown keyword fails with a message listing the valid ones.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from pettingzoo.utils import parallel_to_aec

from peerzoo.registry import check_kwargs


def env_fns(cls: type, name: str, **defaults: Any) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """``(env, parallel_env)`` building ``cls(name=name, **defaults, **kwargs)``."""
    base = inspect.signature(cls.__init__)
    params = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY, default=defaults.get(p.name, p.default))
        for p in list(base.parameters.values())[1:]
        if p.name != "name"
    ]
    unknown = set(defaults) - {p.name for p in params}
    if unknown:
        raise TypeError(f"{name}: defaults for unknown parameters {sorted(unknown)}")
    valid = [p.name for p in params]

    def parallel_env(**kwargs: Any) -> Any:
        check_kwargs(f"{name}.parallel_env()", kwargs, valid)
        return cls(name=name, **{**defaults, **kwargs})

    def env(**kwargs: Any) -> Any:
        check_kwargs(f"{name}.env()", kwargs, valid)
        return parallel_to_aec(cls(name=name, **{**defaults, **kwargs}))

    for fn, form, returns in (
        (parallel_env, "ParallelEnv (simultaneous moves)", cls),
        (env, "AECEnv (``parallel_to_aec`` of the ParallelEnv)", Any),
    ):
        fn.__signature__ = inspect.Signature(params, return_annotation=returns)  # type: ignore[attr-defined]
        fn.__doc__ = f"The {name} {form}; the arguments are documented in the module docstring."
        fn.__qualname__ = fn.__name__
    return env, parallel_env
