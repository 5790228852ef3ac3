"""Per-env normalisation constants: where they live and how they are read.

Scores are ``(R - R_random) / (R_reference - R_random)`` (docs/design.md, "Submission format");
the two constants per env are committed in ``constants/normalisation.json`` with
the source of each, so a score can always be traced to a measurement or a paper.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

LEADERBOARD_DIR = Path(__file__).resolve().parent
CONSTANTS_PATH = LEADERBOARD_DIR / "constants" / "normalisation.json"


@dataclass(frozen=True)
class EnvConstants:
    """The random-policy and reference returns of one env, with their sources.

    A value is ``None`` until it has been measured or documented; an env
    without both values cannot be normalised, so its entries are not ranked.
    """

    env_id: str
    random: float | None
    random_source: str
    reference: float | None
    reference_source: str

    @property
    def usable(self) -> bool:
        """Both values known and distinct, so normalisation is defined."""
        return (
            self.random is not None
            and self.reference is not None
            and math.isfinite(self.random)
            and math.isfinite(self.reference)
            and self.reference != self.random
        )

    def normalise(self, value: float) -> float:
        """Map a raw return onto the random = 0, reference = 1 scale."""
        assert self.random is not None and self.reference is not None
        return (value - self.random) / (self.reference - self.random)


def load_constants(path: Path = CONSTANTS_PATH) -> dict[str, EnvConstants]:
    """Read the constants file; a missing file means no env can be normalised yet."""
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    table: dict[str, EnvConstants] = {}
    for env_id, entry in raw.get("envs", {}).items():
        random = entry.get("random", {})
        reference = entry.get("reference", {})
        table[env_id] = EnvConstants(
            env_id=env_id,
            random=random.get("value"),
            random_source=str(random.get("source", "")),
            reference=reference.get("value"),
            reference_source=str(reference.get("source", "")),
        )
    return table
