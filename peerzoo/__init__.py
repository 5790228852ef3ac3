"""peerzoo: benchmark environments for peer learning and social learning.

``import peerzoo`` registers every env id with peerzoo and, under the
``peerzoo`` namespace, with PettingZoo's own registry.
"""

from __future__ import annotations

import peerzoo.peer.envs
import peerzoo.social.envs  # noqa: F401  (registers the social-learning ids)
from peerzoo.evaluate import EVAL_SEED, evaluate
from peerzoo.peer.core import ACT, ADVISE, IDLE
from peerzoo.peer.wrap import wrap
from peerzoo.registry import UnknownEnvError, UnknownKwargError, envs, make, spec

__version__ = "0.1.0"

__all__ = [
    "ACT",
    "ADVISE",
    "EVAL_SEED",
    "IDLE",
    "UnknownEnvError",
    "UnknownKwargError",
    "__version__",
    "envs",
    "evaluate",
    "make",
    "spec",
    "wrap",
]
