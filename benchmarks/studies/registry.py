"""The papers' studies: peer learning (Derstroff et al., AAAI 2024) at the ``short`` budget,
social learning (Ndousse et al., ICML 2021) at the ``paper`` budget.

``python benchmarks/run_all.py --study NAME`` runs one; :func:`get_study`
resolves a name with an error that lists the valid ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from benchmarks.store import Job
from benchmarks.studies.spec import Study, own_jobs, validate

SEEDS = (0, 1, 2, 3, 4)

SOCIAL = Study(
    name="social",
    title="Social learning on Goal Cycle: experts, the prediction loss, transfer",
    measures=(
        "Whether learners that share Goal Cycle with scripted experts and predict their "
        "next view (Ndousse et al. 2021) learn the task better than the same learner "
        "without the prediction loss, a learner trained alone and behaviour cloning, "
        "and whether what they learn carries over, without the experts, to the "
        "transfer tasks; with how much the learners watch the experts over training "
        "and their cultural-transmission scores."
    ),
    envs=("goal_cycle_v0",),
    rows=("fast_social_ppo_aux", "fast_social_ppo_vanilla", "fast_solo_ppo_aux", "fast_bc"),
    seeds=(0, 1, 2),
    budget="paper",
    metrics=(
        "final_return",
        "return_over_training",
        "transfer",
        "social_signal",
        "policy_information",
        "cultural_transmission",
    ),
    substitution=(
        "The paper trains its learners on 21×21 rgb views with a pixel-predicting head; "
        "here every row is the fast learner (symbolic 7×7 views, a smaller network, a "
        "per-cell classification loss on the next view; its deviations are listed in "
        "the social baselines page), which trains 10–15× faster on a CPU (10.4× under "
        "marlgrid's rules). The "
        "budget is the `paper` preset's 10⁷ env steps per learner; the author's own "
        "training script (kandouss/kamarl, `scripts/marlgrid_ppo_parallel.py`) runs "
        "10⁶ episodes of 250 steps, 2.5·10⁸ env steps per learner. The study's first "
        "records, from a learner whose prediction head blinded it, were withdrawn "
        "(the social baselines page, 'Why the PPO learners did not learn'). The same "
        "comparison under the author's training penalty (−0.25) is the study "
        "`social_low_penalty`."
    ),
    fewer_seeds_reason=(
        "each (row, seed) costs about half a core-hour at 10⁷ steps (0.23–0.58 h per record "
        "on one core); `--seed 3 --seed 4` adds two more"
    ),
    reference_row="fast_solo_ppo_aux",
)

# The same comparison where trial and error pays: the author's script's penalty.
SOCIAL_LOW_PENALTY = dataclasses.replace(
    SOCIAL,
    name="social_low_penalty",
    title="Social learning on Goal Cycle under the author's training penalty",
    measures=(
        "The `social` study's comparison (experts and the prediction loss, a solo learner, "
        "behaviour cloning; transfer, the social signal, cultural transmission) on "
        "`goal_cycle_low_penalty_v0`, where a wrong goal costs −0.25 as in the author's "
        "training script instead of the paper's −1.5, which holds every PPO learner of the "
        "`social` study on a plateau. The transfer tasks keep their own penalty (−1.5), so "
        "transfer returns compare with the `social` study's."
    ),
    envs=("goal_cycle_low_penalty_v0",),
    substitution=(
        "The fast learner, as in the `social` study. The penalty is the one of the author's "
        "script that trains the learner with the prediction loss (kandouss/kamarl, "
        "`scripts/marlgrid_ppo_parallel.py`); its other settings (view, episode length, "
        "prestige colours) stay the paper's. Returns on the training task are on its own "
        "scale: a wrong goal costs a sixth of what it costs in `social`."
    ),
)

STUDIES: dict[str, Study] = {
    study.name: study
    for study in (
        Study(
            name="room",
            title="Room, the paper's normal setting",
            measures=(
                "Whether two DQN peers learning with the three trust mechanisms reach the goal "
                "of the 21×21 Room sooner and more reliably than a single agent, random advice "
                "and early advising, on the same env steps per peer."
            ),
            envs=("peer_room_v0",),
            rows=("peer", "single", "random_advice", "early_advising"),
            seeds=SEEDS,
        ),
        Study(
            name="room_adversarial",
            title="Room with an adversarial peer",
            measures=(
                "Whether peer learning's trust isolates an adversary: two DQN learners are "
                "advised by each other and by a scripted adversary that heads for the mirrored "
                "goal. Reported over training: how often each learner follows the adversary, "
                "its trust values and the group's agent values; and the returns against a "
                "single agent."
            ),
            envs=("peer_room_adversarial_v0",),
            rows=("peer_vs_adversary", "single"),
            seeds=SEEDS,
            metrics=(
                "final_return",
                "return_over_training",
                "follow_adversary",
                "trust_values",
                "agent_values",
            ),
        ),
        Study(
            name="hopper",
            title="MuJoCo: Hopper, and Walker2d, HalfCheetah and Ant with --env",
            measures=(
                "Whether four SAC peers learning with the three trust mechanisms beat a single "
                "SAC agent on the same env steps per peer (100k at the short budget)."
            ),
            envs=("peer_hopper_v0",),
            optional_envs=("peer_walker2d_v0", "peer_halfcheetah_v0", "peer_ant_v0"),
            rows=("peer", "single"),
            seeds=SEEDS,
        ),
        Study(
            name="group_size",
            title="Group size: 2, 4 and 8 peers",
            measures=(
                "Whether more peers help: peer learning with 2, 4 and 8 peers on the same env "
                "steps per peer."
            ),
            envs=("peer_room_v0",),
            optional_envs=("peer_hopper_v0",),
            rows=("peer_2peers", "peer_4peers", "peer_8peers"),
            seeds=(0, 1, 2),
            metrics=("final_return", "return_over_training", "group_size"),
            substitution=(
                "The paper varies the group on Hopper (2–10 peers, 600k steps). Here the "
                "default env is Room at the short budget: on 2 CPU cores the Hopper version "
                "costs about four times as much (27.6 core-hours at 100k steps per peer against "
                "6.4 for Room at 50k, measured with `--estimate`; see the studies index). "
                "Hopper is an optional env of this study (`--env peer_hopper_v0`)."
            ),
            fewer_seeds_reason="the 8-peer groups dominate the cost",
        ),
        SOCIAL,
        SOCIAL_LOW_PENALTY,
        Study(
            name="peer_ranking",
            title="Ability to rank: agent values against the peers' true returns",
            measures=(
                "How well the agent values rank the peers by their true evaluation return: at "
                "every evaluation, for every learner, Kendall τ between the agent values of the "
                "*other* learners and those learners' evaluation returns (+1: same order)."
            ),
            envs=("peer_walker2d_v0", "peer_halfcheetah_v0", "peer_ant_v0"),
            rows=("peer", "peer_vs_adversary", "peer_2peers", "peer_4peers", "peer_8peers"),
            seeds=(),
            metrics=("kendall_tau",),
            sources=("room", "room_adversarial", "hopper", "group_size"),
        ),
    )
}


def get_study(name: str) -> Study:
    """The study called ``name``, validated; a one-line error listing the valid names."""
    if name not in STUDIES:
        raise KeyError(f"unknown study {name!r}; valid studies: {sorted(STUDIES)}")
    study = STUDIES[name]
    check(study)
    return study


def check(study: Study) -> None:
    """Validate ``study`` against the registered envs, rows, presets and studies."""
    import peerzoo
    from benchmarks.presets import PRESETS
    from benchmarks.studies.rows import row_names

    validate(study, row_names(), peerzoo.registry.registered_ids(), PRESETS, known_studies=STUDIES)


def study_jobs(
    study: Study, only_envs: Sequence[str] | None = None, only_seeds: Sequence[int] | None = None
) -> list[Job]:
    """The jobs a study needs: its own, or its sources' jobs of the rows it names."""
    if not study.sources:
        return own_jobs(study, study.selected_envs(only_envs), only_seeds)
    jobs: list[Job] = []
    for source in (STUDIES[name] for name in study.sources):
        if only_envs:
            envs = [*source.envs, *source.optional_envs]
        else:
            envs = [*source.envs, *(e for e in source.optional_envs if e in study.envs)]
        for job in own_jobs(source, envs, only_seeds):
            if job.method in study.rows and (not only_envs or job.env_id in only_envs):
                jobs.append(job)
    if only_envs and not jobs:
        raise ValueError(f"study {study.name!r} has no jobs on {list(only_envs)}")
    return list(dict.fromkeys(jobs))
