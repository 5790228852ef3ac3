"""Which env ids a submission may name.

The registry is the truth when ``peerzoo`` imports; without it (a leaderboard
checkout with only the scoring dependencies) the ids that have normalisation
constants are the best list there is. Never a hard-coded list: new envs must not
need a leaderboard change to be submitted.
"""

from __future__ import annotations

from leaderboard.constants import load_random_returns


def known_env_ids() -> set[str]:
    """Registered peerzoo ids, or the ids with constants when peerzoo is unavailable."""
    try:
        import peerzoo  # noqa: F401  (importing registers the ids)
        from peerzoo.registry import registered_ids
    except Exception:  # a broken or missing peerzoo must not stop validation
        return set(load_random_returns())
    return set(registered_ids()) | set(load_random_returns())
