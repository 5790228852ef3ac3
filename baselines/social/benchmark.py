"""The social methods as ``benchmarks`` entry points, and the smoke submissions.

Each ``run_*`` has the sweep's signature ``(env_id, seed, budget) -> seed record``
(``benchmarks.methods``); register them with ``register_social_methods()`` or
on the command line, e.g.
``--add-method mine=baselines.social.benchmark:run_social_ppo_aux@social``.

    python -m baselines.social.benchmark --preset smoke --out runs/social/submissions

writes one submission per method for ``goal_cycle_v0`` at the preset's budget.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from baselines.social.config import BCConfig, NetworkConfig, PPOConfig, RunConfig

TRAIN_ENV_ID = "goal_cycle_v0"

DESCRIPTIONS = {
    "social_ppo_aux": "recurrent PPO + auxiliary next-observation L1 loss, trained with experts",
    "social_ppo_vanilla": "recurrent PPO without the auxiliary head, trained with experts",
    "solo_ppo_aux": "recurrent PPO + auxiliary loss, trained alone (n_experts=0)",
    "mixed_ppo_aux": "recurrent PPO + auxiliary loss, half of the episodes without experts",
    "bc": "behaviour cloning of the scripted experts' actions",
}


def _small_run(env_id: str, seed: int, budget: Any, **overrides: Any) -> RunConfig:
    """A run sized for the budget: short rollouts so that small budgets still update."""
    steps = int(budget.steps_per_peer)
    rollout_len = 128 if steps >= 4 * 128 * 4 else 64
    return RunConfig(
        env_id=env_id,
        seed=seed,
        steps=steps,
        n_envs=4,
        rollout_len=rollout_len,
        eval_every=int(budget.eval_every),
        eval_episodes=int(budget.eval_episodes),
        progress=False,
        ppo=PPOConfig(minibatch_seqs=8),
        **overrides,
    )


def _run_ppo(config: RunConfig) -> dict[str, Any]:
    from baselines.social.ppo import train_ppo

    return train_ppo(config)


def run_social_ppo_aux(env_id: str, seed: int, budget: Any) -> dict[str, Any]:
    return _run_ppo(_small_run(env_id, seed, budget))


def run_social_ppo_vanilla(env_id: str, seed: int, budget: Any) -> dict[str, Any]:
    return _run_ppo(_small_run(env_id, seed, budget, network=NetworkConfig(aux_head=False)))


def run_solo_ppo_aux(env_id: str, seed: int, budget: Any) -> dict[str, Any]:
    return _run_ppo(_small_run(env_id, seed, budget, n_experts=0))


def run_mixed_ppo_aux(env_id: str, seed: int, budget: Any) -> dict[str, Any]:
    return _run_ppo(_small_run(env_id, seed, budget, solo_fraction=0.5))


def run_bc(env_id: str, seed: int, budget: Any) -> dict[str, Any]:
    from baselines.social.bc import train_bc

    config = BCConfig(
        env_id=env_id,
        seed=seed,
        steps=int(budget.steps_per_peer),
        n_envs=4,
        rollout_len=64,
        minibatch_seqs=8,
        eval_every=int(budget.eval_every),
        eval_episodes=int(budget.eval_episodes),
        progress=False,
    )
    record = train_bc(config)
    record.pop("net")
    return record


RUNNERS = {
    "social_ppo_aux": run_social_ppo_aux,
    "social_ppo_vanilla": run_social_ppo_vanilla,
    "solo_ppo_aux": run_solo_ppo_aux,
    "mixed_ppo_aux": run_mixed_ppo_aux,
    "bc": run_bc,
}


def register_social_methods() -> None:
    """Add the social methods to ``benchmarks.methods.METHODS`` (family ``social``)."""
    from benchmarks.methods import MethodSpec, register_method

    for name, runner in RUNNERS.items():
        entry = f"{__name__}:{runner.__name__}"
        register_method(MethodSpec(name, entry, ("social",), DESCRIPTIONS[name]))


def write_smoke_submissions(preset_name: str, out: Path, methods: list[str]) -> list[Path]:
    """Train every method on every seed of ``preset_name`` and write one submission each."""
    from baselines.social.results import build_submission, write_submission
    from benchmarks.presets import PRESETS

    preset = PRESETS[preset_name]
    budget = preset.budget(TRAIN_ENV_ID)
    written = []
    for name in methods:
        records = [RUNNERS[name](TRAIN_ENV_ID, seed, budget) for seed in preset.seeds]
        submission = build_submission(
            method=name,
            description=DESCRIPTIONS[name],
            train_env_id=TRAIN_ENV_ID,
            preset={"name": preset_name, **dataclasses.asdict(budget), "n_peers": 1},
            seed_records=records,
        )
        written.append(
            write_submission(out / f"{name}__{TRAIN_ENV_ID}__{preset_name}.json", submission)
        )
        print(f"wrote {written[-1]}")
    return written


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--preset", default="smoke")
    p.add_argument("--out", type=Path, default=Path("runs/social/submissions"))
    p.add_argument("--method", action="append", choices=sorted(RUNNERS))
    a = p.parse_args(argv)
    write_smoke_submissions(a.preset, a.out, a.method or list(RUNNERS))


if __name__ == "__main__":
    main()
