"""The exceptions every peerzoo env raises, peer protocol and social gridworlds alike.

One module below both env families, so that neither imports the other to share
them. Each message names the agent, the turn and what was expected, because the
person reading it is debugging a training loop several layers away from the env.
"""


class InvalidActionError(ValueError):
    """An action that is not in the task's action space (shape, dtype, NaN/inf, bounds)."""


class TurnOrderError(RuntimeError):
    """A call made out of turn: before reset, after the end, or mid-round."""


class PeerConfigError(ValueError):
    """An invalid peer-env constructor argument: ``n_peers``, a schedule, a stepping mode."""
