"""Training and evaluation log, per episode, whether the learner keeps experts in view and close."""

from __future__ import annotations

import numpy as np
import pytest
from tianshou.utils.net.discrete import dist_fn_categorical_from_logits

from baselines.social.benchmark import RUNNERS, _small_run
from baselines.social.config import NetworkConfig, PPOConfig, RunConfig
from baselines.social.evaluate import evaluation_protocol
from baselines.social.networks import SocialNet
from baselines.social.ppo import train_ppo
from baselines.social.rollout import StreamCollector
from baselines.social.social_signal import SocialSignal, mean_signal
from benchmarks.presets import PRESETS
from tests.baselines_social.fake_social_env import FakeSocialEnv

MAX_CYCLES = 10


def test_an_episode_is_summarised_by_its_final_count_and_mean_distance() -> None:
    signal = SocialSignal(2)
    for t, distance in enumerate([2.0, 4.0, 6.0], start=1):
        signal.update(0, [{"steps_with_expert_in_view": t, "expert_distance": distance}, {}])
    assert signal.finish(0) == {"steps_with_expert_in_view": 3.0, "expert_distance": 4.0}
    assert signal.finish(1) is None  # a stream that reported no experts
    assert signal.finish(0) is None  # the summary starts afresh
    assert mean_signal([None, None]) == {}


def test_the_collector_keeps_one_signal_per_finished_episode_none_without_experts() -> None:
    net = SocialNet((21, 21, 3), 3, NetworkConfig())
    collector = StreamCollector(
        lambda solo: FakeSocialEnv(2, n_experts=0 if solo else 2, max_cycles=MAX_CYCLES),
        2,
        net,
        dist_fn_categorical_from_logits,
        seed=0,
        solo_fraction=0.5,
    )
    collector.collect(4 * MAX_CYCLES)
    assert len(collector.finished_signal) == len(collector.finished_returns) == 16
    for solo, signal in zip(collector.finished_solo, collector.finished_signal):
        if solo:
            assert signal is None
        else:
            assert signal == {"steps_with_expert_in_view": MAX_CYCLES, "expert_distance": 3.0}
    assert any(collector.finished_solo) and not all(collector.finished_solo)


def test_a_training_run_records_the_signal_of_every_training_and_evaluation_episode() -> None:
    config = RunConfig(
        steps=128,
        n_envs=2,
        rollout_len=32,
        eval_every=64,
        eval_episodes=2,
        progress=False,
        ppo=PPOConfig(minibatch_seqs=2, epochs=1),
    )
    record = train_ppo(config, make_env=lambda solo: FakeSocialEnv(max_cycles=20), evaluate=False)
    episodes = record["train_episodes"]
    assert len(episodes) == 2 * (128 // 2 // 20)  # 2 copies of 64 steps, 20-step episodes
    assert all(
        e["steps_with_expert_in_view"] == 20 and e["expert_distance"] == 3.0 for e in episodes
    )
    assert [e["env_steps"] for e in record["eval_social_signal"]] == [0, 64, 128]
    for evaluation in record["eval_social_signal"]:
        assert (
            evaluation["episodes"]
            == [{"steps_with_expert_in_view": 20.0, "expert_distance": 3.0}] * 2
        )


def test_the_evaluation_protocol_reports_the_signal_per_episode_on_the_real_gridworld() -> None:
    net = SocialNet((21, 21, 3), 7, NetworkConfig(aux_head=False))
    results = evaluation_protocol(
        net,
        dist_fn_categorical_from_logits,
        train_env_id="goal_cycle_v0",
        eval_env_ids=["goal_cycle_v0"],
        episodes=2,
        seed=0,
        max_cycles=30,
    )
    with_experts = next(r for r in results if r["experts_present"])
    alone = next(r for r in results if not r["experts_present"])
    assert len(with_experts["steps_with_expert_in_view"]) == 2
    assert all(0 <= s <= 30 for s in with_experts["steps_with_expert_in_view"])
    assert all(d > 0 for d in with_experts["expert_distance"])
    assert "expert_distance" not in alone


# The paper's PPO batch (Ndousse et al., ICML 2021, appendix: 128 episodes per batch,
# minibatches of 512 trajectories of length 16): (env copies, rollout steps, sequences/minibatch)
PAPER_BATCH_TABLE = {"n_envs": 128, "rollout_len": 256, "minibatch_seqs": 512, "seq_len": 16}


@pytest.mark.parametrize("method", sorted(set(RUNNERS) - {"bc"}))
def test_the_paper_preset_trains_with_the_papers_batch_and_the_smoke_preset_does_not(method):
    paper = _small_run("goal_cycle_v0", 0, PRESETS["paper"].budget("goal_cycle_v0"))
    assert (paper.n_envs, paper.rollout_len) == (
        PAPER_BATCH_TABLE["n_envs"],
        PAPER_BATCH_TABLE["rollout_len"],
    )
    assert paper.ppo.minibatch_seqs == PAPER_BATCH_TABLE["minibatch_seqs"]
    assert paper.ppo.seq_len == PAPER_BATCH_TABLE["seq_len"]
    episodes = paper.n_envs * paper.rollout_len / 250
    assert episodes == pytest.approx(128, rel=0.03)
    smoke = _small_run("goal_cycle_v0", 0, PRESETS["smoke"].budget("goal_cycle_v0"))
    assert smoke.n_envs * smoke.rollout_len < 1_000 and smoke.ppo.minibatch_seqs < 512
    assert np.isclose(paper.ppo.lr, 1e-4)
