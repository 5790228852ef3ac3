"""The paper's "ability to rank": do the agent values order the peers as their returns do?

At every evaluation point of a peer-learning record, for every learner i,
Kendall's τ_b between the agent values of the *other* learners and those
learners' true evaluation returns at that point. τ = +1: the agent values rank
the others exactly as their returns do; −1: the reverse. A learner has no τ
where fewer than two others exist (2-peer groups) or where either side is all
ties (e.g. the initial agent values, all equal): τ is undefined there, not 0.

The agent values are the group's (Derstroff et al. 2024, Eq. 6-7; one vector,
as in the paper's code), so each learner's view differs only in whom it leaves
out. Scripted peers are not ranked: they have no evaluation return.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def kendall_tau(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's τ_b of two equal-length sequences; ``None`` when undefined.

    τ_b = (concordant − discordant) / sqrt((n0 − ties_x)(n0 − ties_y)), n0 = n(n−1)/2,
    which handles ties the way ``scipy.stats.kendalltau`` does by default.
    """
    if len(x) != len(y):
        raise ValueError(f"kendall_tau needs equal lengths, got {len(x)} and {len(y)}")
    concordant = discordant = ties_x = ties_y = pairs = 0
    for a in range(len(x)):
        for b in range(a + 1, len(x)):
            pairs += 1
            dx, dy = x[a] - x[b], y[a] - y[b]
            ties_x += dx == 0
            ties_y += dy == 0
            if dx * dy > 0:
                concordant += 1
            elif dx * dy < 0:
                discordant += 1
    denominator = math.sqrt((pairs - ties_x) * (pairs - ties_y))
    return (concordant - discordant) / denominator if denominator > 0 else None


def tau_over_training(record: dict[str, Any]) -> list[tuple[int, list[float | None]]]:
    """Per evaluation point of ``record``: (steps per peer, τ of each learner or ``None``)."""
    curve = record.get("trust_curve") or []
    points = []
    for snapshot, returns in zip(curve, record["per_peer_curve"]):
        values = snapshot.get("agent_values")
        if values is None:
            continue
        n = len(returns)
        taus = []
        for i in range(n):
            others = [j for j in range(n) if j != i]
            taus.append(
                kendall_tau([values[j] for j in others], [returns[j] for j in others])
                if len(others) >= 2
                else None
            )
        points.append((int(snapshot["step"]), taus))
    return points


def mean_defined(values: Sequence[float | None]) -> float | None:
    """Mean of the defined values; ``None`` when none is defined."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def seed_scores(record: dict[str, Any]) -> tuple[float | None, float | None]:
    """One seed's (τ averaged over learners and training, τ at the last defined point)."""
    per_point = [mean_defined(taus) for _, taus in tau_over_training(record)]
    defined = [v for v in per_point if v is not None]
    if not defined:
        return None, None
    return sum(defined) / len(defined), defined[-1]
