"""The social methods as ``benchmarks/run_all.py`` entry points.

Each ``run_*`` has the sweep's signature ``(env_id, seed, budget, logdir=None) ->
seed record`` (the PPO learners also take the sweep's ``device``) and is listed
in ``benchmarks.methods.BUILTIN_METHODS``. The sweep writes the submissions and
passes each job's TensorBoard directory as ``logdir``:

    python benchmarks/run_all.py --preset smoke --env goal_cycle_v0
"""

from __future__ import annotations

from typing import Any

from baselines.social.config import PAPER_BATCH, BCConfig, NetworkConfig, PPOConfig, RunConfig

# A budget of at least this many paper batches (the ``paper`` preset's 10⁷ steps) trains with
# the paper's batch; smaller ones (smoke, short) with a small batch so that they still update.
PAPER_BATCH_MIN_UPDATES = 100


def uses_paper_batch(steps: int) -> bool:
    """Whether a budget of ``steps`` env steps per learner trains with the paper's batch."""
    batch = PAPER_BATCH["n_envs"] * PAPER_BATCH["rollout_len"]
    return steps >= PAPER_BATCH_MIN_UPDATES * batch


def _small_run(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, **overrides: Any
) -> RunConfig:
    """A run sized for the budget: the paper's batch for the paper preset, else short rollouts."""
    steps = int(budget.steps_per_peer)
    if uses_paper_batch(steps):
        n_envs, rollout_len = PAPER_BATCH["n_envs"], PAPER_BATCH["rollout_len"]
        ppo = PPOConfig(minibatch_seqs=PAPER_BATCH["minibatch_seqs"])
    else:
        n_envs, rollout_len = 4, (128 if steps >= 4 * 128 * 4 else 64)
        ppo = PPOConfig(minibatch_seqs=8)
    return RunConfig(
        env_id=env_id,
        seed=seed,
        steps=steps,
        n_envs=n_envs,
        rollout_len=rollout_len,
        eval_every=int(budget.eval_every),
        eval_episodes=int(budget.eval_episodes),
        progress=False,
        logdir=logdir,
        ppo=ppo,
        **overrides,
    )


def _run_ppo(config: RunConfig) -> dict[str, Any]:
    from baselines.social.ppo import train_ppo

    return train_ppo(config)


def run_social_ppo_aux(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, device: str = "cpu"
) -> dict[str, Any]:
    return _run_ppo(_small_run(env_id, seed, budget, logdir, device=device))


def run_social_ppo_vanilla(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, device: str = "cpu"
) -> dict[str, Any]:
    return _run_ppo(
        _small_run(
            env_id, seed, budget, logdir, device=device, network=NetworkConfig(aux_head=False)
        )
    )


def run_solo_ppo_aux(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, device: str = "cpu"
) -> dict[str, Any]:
    return _run_ppo(_small_run(env_id, seed, budget, logdir, device=device, n_experts=0))


def run_mixed_ppo_aux(
    env_id: str, seed: int, budget: Any, logdir: str | None = None, device: str = "cpu"
) -> dict[str, Any]:
    return _run_ppo(_small_run(env_id, seed, budget, logdir, device=device, solo_fraction=0.5))


def run_bc(env_id: str, seed: int, budget: Any, logdir: str | None = None) -> dict[str, Any]:
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
        logdir=logdir,
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
