"""Advice schedules and stepping modes, parsed from the strings users pass.

Why strings: they are what a config file or a command line carries, and a
parsed schedule is a tiny frozen object the core asks one question per peer
per round ("does this peer request advice now?").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peerzoo.errors import PeerConfigError

ADVICE_FORMS = '"always", "every:k", "prob:p", "budget:B", "on_request" or None'
STEPPING_FORMS = '"lockstep" or "round_robin:E"'


@dataclass(frozen=True)
class AdviceSchedule:
    """When a peer requests advice.

    ``kind`` is one of ``always``, ``every``, ``prob``, ``budget``,
    ``on_request``, ``never``; ``value`` is k, p or B where the kind takes one.
    """

    kind: str
    value: float = 0.0

    @classmethod
    def parse(cls, spec: str | None) -> AdviceSchedule:
        """Parse ``spec``; a malformed one raises :class:`PeerConfigError` listing the forms."""
        if spec is None or spec == "none":
            return cls("never")
        if not isinstance(spec, str):
            raise PeerConfigError(f"advice must be {ADVICE_FORMS}; got {spec!r}.")
        if spec in ("always", "on_request"):
            return cls(spec)
        kind, sep, raw = spec.partition(":")
        if sep and kind in ("every", "budget"):
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if value < (1 if kind == "every" else 0) or str(value) != raw.strip():
                raise PeerConfigError(
                    f"advice={spec!r}: {kind} needs a "
                    f"{'positive' if kind == 'every' else 'non-negative'} integer, "
                    f"e.g. {kind}:{10 if kind == 'every' else 100}."
                )
            return cls(kind, value)
        if sep and kind == "prob":
            try:
                value = float(raw)
            except ValueError:
                value = -1.0
            if not 0.0 <= value <= 1.0:
                raise PeerConfigError(
                    f"advice={spec!r}: prob needs a probability in [0, 1], e.g. prob:0.25."
                )
            return cls(kind, value)
        raise PeerConfigError(f"advice must be {ADVICE_FORMS}; got {spec!r}.")

    @property
    def may_request(self) -> bool:
        """False when no round can ever hold advice phases (lets the core skip work)."""
        return self.kind != "never"

    def wants(self, steps_taken: int, budget_left: int, rng: np.random.Generator) -> bool:
        """Whether a peer that has acted ``steps_taken`` times requests advice this round.

        ``on_request`` is decided by explicit ``env.request`` calls, not here.
        """
        kind = self.kind
        if kind == "always":
            return True
        if kind == "every":
            return steps_taken % int(self.value) == 0
        if kind == "prob":
            return bool(rng.random() < self.value)
        if kind == "budget":
            return budget_left > 0
        return False


@dataclass(frozen=True)
class Stepping:
    """Which task copies step each round.

    ``lockstep``: every peer's task. ``round_robin:E``: one peer at a time for
    epochs of E of its steps, as in the peer-learning paper's code; the others
    only advise.
    """

    epoch: int | None = None  # None = lockstep

    @classmethod
    def parse(cls, spec: str) -> Stepping:
        """Parse ``spec``; a malformed one raises :class:`PeerConfigError` listing the forms."""
        if spec == "lockstep":
            return cls(None)
        if isinstance(spec, str) and spec.startswith("round_robin:"):
            raw = spec.partition(":")[2]
            if raw.isdigit() and int(raw) >= 1:
                return cls(int(raw))
            raise PeerConfigError(
                f"stepping={spec!r}: round_robin needs a positive integer epoch, "
                "e.g. round_robin:10000."
            )
        raise PeerConfigError(f"stepping must be {STEPPING_FORMS}; got {spec!r}.")

    @property
    def is_lockstep(self) -> bool:
        return self.epoch is None
