"""Action validation and casting, built into the core.

PettingZoo's generic ``AssertOutOfBoundsWrapper`` costs most of a round here,
so the core checks actions itself with one vectorised comparison on the fast
path and only works out *why* an action failed when it did.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
from gymnasium import spaces

from peerzoo.errors import InvalidActionError, PeerConfigError

Describe = Callable[[], str]


def _is_real_number_array(arr: np.ndarray) -> bool:
    return arr.dtype.kind in "fiu"


class BoxActionValidator:
    """Casts to the Box's dtype and rejects wrong shapes, NaN/inf and out-of-bounds values."""

    def __init__(self, space: spaces.Box) -> None:
        self.space = space
        self.dtype = space.dtype
        self.shape = space.shape
        self.low = space.low
        self.high = space.high
        # With finite bounds a NaN or inf already fails the bounds comparison.
        self._bounds_are_finite = bool(np.isfinite(self.low).all() and np.isfinite(self.high).all())

    def __call__(self, action: Any, where: Describe) -> np.ndarray:
        """Return a fresh array of the space's dtype, or raise :class:`InvalidActionError`."""
        if isinstance(action, np.ndarray):
            if not _is_real_number_array(action):
                raise self._error(where, action, "is not numeric")
            arr = action.astype(self.dtype)  # always a copy: the caller may reuse its buffer
        else:
            try:
                raw = np.asarray(action)
            except (TypeError, ValueError):
                raise self._error(where, action, "is not numeric") from None
            if not _is_real_number_array(raw):
                raise self._error(where, action, "is not numeric")
            arr = raw.astype(self.dtype)
        if arr.shape != self.shape:
            raise self._error(where, action, f"has shape {arr.shape}, expected {self.shape}")
        ok = bool(((arr >= self.low) & (arr <= self.high)).all())
        if ok and not self._bounds_are_finite:
            ok = bool(np.isfinite(arr).all())
        if not ok:
            finite = np.isfinite(np.asarray(action, dtype=np.float64))
            reason = "contains NaN or inf" if not finite.all() else "is out of bounds"
            raise self._error(where, action, reason)
        return arr

    def many(self, actions: list[Any], describe: Callable[[int], str]) -> list[np.ndarray]:
        """Validate one phase's actions at once (index = peer); the same errors as one by one.

        One cast and one bounds comparison for the whole phase is what keeps the
        protocol's per-round overhead within a few percent of the task's own step.
        """
        shape, kinds = self.shape, "fiu"
        for action in actions:
            if not (
                type(action) is np.ndarray and action.shape == shape and action.dtype.kind in kinds
            ):
                return [self(a, lambda k=k: describe(k)) for k, a in enumerate(actions)]
        batch = np.array(actions, dtype=self.dtype)  # a fresh copy: callers may reuse buffers
        ok = bool(((batch >= self.low) & (batch <= self.high)).all())
        if ok and not self._bounds_are_finite:
            ok = bool(np.isfinite(batch).all())
        if not ok:  # find the first offender and raise its own message
            for k, action in enumerate(actions):
                self(action, lambda k=k: describe(k))
        return list(batch)

    def _error(self, where: Describe, action: Any, reason: str) -> InvalidActionError:
        return InvalidActionError(
            f"{where()}: action {action!r} {reason}; expected a value in {self.space}."
        )


class DiscreteActionValidator:
    """Accepts integral values of any real dtype; rejects bools, strings, NaN and fractions."""

    def __init__(self, space: spaces.Discrete) -> None:
        self.space = space
        self.start = int(space.start)
        self.stop = int(space.start + space.n)

    def __call__(self, action: Any, where: Describe) -> int:
        """Return the action as a Python int, or raise :class:`InvalidActionError`."""
        value = action
        if isinstance(value, np.ndarray):
            if value.size != 1 or value.ndim > 1:
                raise self._error(where, action, f"has shape {value.shape}, expected a scalar")
            if not _is_real_number_array(value):
                raise self._error(where, action, "is not numeric")
            value = value.reshape(()).item()
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise self._error(where, action, "is not numeric")
        if isinstance(value, (int, np.integer)):
            index = int(value)
        else:
            as_float = float(value)
            if not np.isfinite(as_float):
                raise self._error(where, action, "is NaN or inf")
            if not as_float.is_integer():
                raise self._error(where, action, "is not an integer")
            index = int(as_float)
        if not self.start <= index < self.stop:
            raise self._error(where, action, "is out of bounds")
        return index

    def many(self, actions: list[Any], describe: Callable[[int], str]) -> list[int]:
        """Validate one phase's actions (index = peer)."""
        return [self(a, lambda k=k: describe(k)) for k, a in enumerate(actions)]

    def _error(self, where: Describe, action: Any, reason: str) -> InvalidActionError:
        return InvalidActionError(
            f"{where()}: action {action!r} {reason}; expected an integer in {self.space}."
        )


def make_validator(space: spaces.Space) -> BoxActionValidator | DiscreteActionValidator:
    """The validator for a task's action space (Box or Discrete; others are rejected)."""
    if isinstance(space, spaces.Box):
        return BoxActionValidator(space)
    if isinstance(space, spaces.Discrete):
        return DiscreteActionValidator(space)
    raise PeerConfigError(
        f"peerzoo peers need a Box or Discrete action space; the task has {space}. "
        "Flatten or discretise it with a Gymnasium wrapper first."
    )
