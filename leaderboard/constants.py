"""The measured random-policy return of every env: where it lives and how it is read.

Scores are ``(R - R_random) / (R_reference - R_random)`` (see ``scoring.py``).
``R_reference`` comes from the committed reference entry of the same env and
preset, so the only constant is ``R_random``, measured by
``leaderboard/measure_random.py`` and committed in ``constants/normalisation.json``
with the command that measured it, so every score traces to a measurement.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

LEADERBOARD_DIR = Path(__file__).resolve().parent
CONSTANTS_PATH = LEADERBOARD_DIR / "constants" / "normalisation.json"


def load_random_returns(path: Path = CONSTANTS_PATH) -> dict[str, float | None]:
    """Env id -> measured random return (``None`` until measured or not finite)."""
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    table: dict[str, float | None] = {}
    for env_id, entry in raw.get("envs", {}).items():
        value = entry.get("random", {}).get("value")
        usable = isinstance(value, (int, float)) and math.isfinite(value)
        table[env_id] = float(value) if usable else None
    return table
