"""The fast social learner: symbolic net, next-view cross entropy, batched training, resume."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from tianshou.utils.torch_utils import policy_within_training_step

from baselines.social import fast
from baselines.social.config import PPOConfig
from baselines.social.symbolic_net import SymbolicNet, SymbolicNetConfig
from baselines.social.vector_rollout import VectorCollector, make_vector_env

SHAPE = (7, 7, 3)
# Goal Cycle's codes: types 0..10 (MiniGrid's), colours 0..8 (MiniGrid's, then marlgrid's
# orange, olive, pink agents), states 0..7 (direction, +4 on a goal).
CLASSES = (11, 9, 8)
N_ACTIONS = 7  # MiniGrid's action set, marlgrid's default


def random_codes(rng: np.random.Generator, *lead: int) -> np.ndarray:
    return np.stack([rng.integers(0, n, lead + SHAPE[:2]) for n in CLASSES], -1).astype(np.uint8)


def tiny(method: str = "social_ppo_aux", **overrides) -> fast.FastRunConfig:
    settings = {
        "steps": 128,
        "num_worlds": 2,
        "rollout_len": 16,
        "max_cycles": 12,
        "eval_every": 64,
        "eval_episodes": 2,
        "eval_envs": ("goal_cycle_v0",),
        "transmission_episodes": 1,
        "progress": False,
        "network": SymbolicNetConfig(embed_dim=2, conv_channels=(4,), fc_size=8, lstm_size=8),
        "ppo": PPOConfig(lr=1e-3, minibatch_seqs=2, epochs=1, state_refresh_interval=2),
        **overrides,
    }
    return fast.config_for(method, **settings)


def test_network_shapes_from_codes_to_heads() -> None:
    net = SymbolicNet(SHAPE, N_ACTIONS)
    obs = random_codes(np.random.default_rng(0), 4, 5)
    assert net.encode(obs).shape == (4, 5, net.config.fc_size)
    core, (h, c) = net.unroll(obs, net.initial_state(4))
    assert core.shape == (4, 5, net.config.lstm_size) and h.shape == c.shape == (4, 64)
    assert net.logits(core).shape == (4, 5, N_ACTIONS) and net.value(core).shape == (4, 5)
    act = torch.zeros(4, 5, dtype=torch.long)
    assert [x.shape for x in net.next_view_logits(core, act)] == [(4, 5, 7, 7, n) for n in CLASSES]
    assert net.predict_next_obs(core, act).shape == (4, 5, *SHAPE)
    assert SymbolicNet(SHAPE, N_ACTIONS, SymbolicNetConfig(aux_head=False)).aux_head is None


def test_the_encoder_output_is_bounded_whatever_the_embedding() -> None:
    """The conv features feed a tanh FC layer: unbounded features saturate it, and a
    saturated FC layer gives the same policy in every state (the author bounds them too)."""
    net = SymbolicNet(SHAPE, N_ACTIONS)
    with torch.no_grad():
        net.embed.weight.mul_(1_000.0)
    codes = net.codes_to_tensor(random_codes(np.random.default_rng(1), 64))
    x = net.embed(codes + net.code_offsets).flatten(3).permute(0, 3, 1, 2)
    features = net.encoder(x)
    assert features.abs().max() <= 1.0 and features.std() > 0.1


def test_penalty_flag_reaches_every_env_the_run_makes() -> None:
    config, _ = fast.parse_command(["--preset", "solo_ppo_aux", "--penalty", "-0.25"])
    assert config.env_options == {"penalty": -0.25}
    envs = fast._vector_env(config, "goal_cycle_v0", 2, 0)
    assert {world.penalty for world in envs.worlds} == {-0.25}
    default = fast._vector_env(fast.FastRunConfig(), "goal_cycle_v0", 2, 0)
    assert {world.penalty for world in default.worlds} == {-1.5}  # the paper's, kept


def test_the_prediction_prior_is_the_log_frequency_of_each_code_in_each_cell() -> None:
    rng = np.random.default_rng(2)
    views = random_codes(rng, 200)
    views[rng.random((200, 7, 7)) < 0.9] = (1, 5, 0)  # mostly one code, as walls and floor are
    views[:, 0, 0, 0] = 2  # cell (0, 0) always shows type 2
    net = SymbolicNet(SHAPE, N_ACTIONS)
    core = torch.zeros(200, net.config.lstm_size)
    act = torch.zeros(200, dtype=torch.long)
    before = net.aux_loss(core, act, views).item()
    with torch.no_grad():  # a head that reads nothing predicts by its biases alone
        net.aux_head[-1].weight.zero_()
    net.set_prediction_prior(views)
    types = net.next_view_logits(core[:1], act[:1])[0][0, 0, 0]
    assert types[2].item() == pytest.approx(np.log(1 + 1e-3))
    assert types[0].item() == pytest.approx(np.log(1e-3))
    colours = net.next_view_logits(core[:1], act[:1])[1][0, 3, 3]
    expected = np.log([(views[:, 3, 3, 1] == k).mean() + 1e-3 for k in range(CLASSES[1])])
    assert colours.detach().numpy() == pytest.approx(expected, rel=1e-5)
    assert net.aux_loss(core, act, views).item() < 0.5 * before
    with pytest.raises(RuntimeError, match="no prediction head"):
        SymbolicNet(SHAPE, N_ACTIONS, SymbolicNetConfig(aux_head=False)).set_prediction_prior(views)
    with pytest.raises(ValueError, match="at least one view"):
        net.set_prediction_prior(views[:0])


def test_the_trainer_sets_the_prior_from_random_play_unless_told_not_to() -> None:
    config = tiny()
    first, _ = fast.build(config)
    again, _ = fast.build(config)
    bias = first.net.aux_head[-1].bias
    assert torch.equal(bias, again.net.aux_head[-1].bias), "seeded"
    assert bias.min() < -5 and bias.max() > -0.5  # log(1e-3) for unseen codes, near 0 for walls
    plain, _ = fast.build(
        dataclasses.replace(
            config, network=dataclasses.replace(config.network, prediction_prior=False)
        )
    )
    assert plain.net.aux_head[-1].bias.abs().max() < 1  # PyTorch's default initialisation


def test_network_refuses_rgb_observations_by_name() -> None:
    with pytest.raises(ValueError, match="obs_mode='symbolic'"):
        SymbolicNet((21, 21, 3 * 1 + 1), 3)


def test_aux_loss_is_the_per_cell_cross_entropy_of_the_next_view() -> None:
    torch.manual_seed(0)
    net = SymbolicNet(SHAPE, N_ACTIONS)
    rng = np.random.default_rng(1)
    core = torch.randn(3, 4, net.config.lstm_size)
    act = torch.as_tensor(rng.integers(0, N_ACTIONS, (3, 4)))
    target = random_codes(rng, 3, 4)
    # Independently: one linear map from [core, one-hot action] to 49 cells × 28 logits.
    layer = net.aux_head[-1]
    x = torch.cat([core, torch.eye(N_ACTIONS)[act]], -1)
    logits = (x @ layer.weight.T + layer.bias).reshape(3, 4, 7, 7, sum(CLASSES)).detach().numpy()
    losses, offset = [], 0
    for ch, n in enumerate(CLASSES):
        part = logits[..., offset : offset + n]
        log_p = part - np.log(np.exp(part).sum(-1, keepdims=True))
        picked = np.take_along_axis(log_p, target[..., ch, None].astype(np.int64), -1)
        losses.append(-picked.mean())
        offset += n
    expected = float(np.mean(losses))
    assert net.aux_loss(core, act, target).item() == pytest.approx(expected, rel=1e-5)


def test_collector_cuts_episodes_with_the_final_view_and_restarts_memory() -> None:
    envs = make_vector_env("goal_cycle_v0", 2, max_cycles=5)
    net = SymbolicNet(SHAPE, 3, SymbolicNetConfig(lstm_size=8, fc_size=8))
    collector = VectorCollector(envs, net, lambda x: torch.distributions.Categorical(logits=x), 0)
    r = collector.collect(12)
    assert r.obs.shape == (2, 12, *SHAPE) and r.truncated[:, 4].all() and r.truncated[:, 9].all()
    assert r.episode_start[:, [0, 5, 10]].all() and not r.episode_start[:, [1, 4, 6]].any()
    assert (r.h0[:, 5] == 0).all() and (r.h0[:, 6] != 0).any()
    assert np.array_equal(r.obs_next[:, 3], r.obs[:, 4])  # within an episode: the next view
    assert not np.array_equal(r.obs_next[:, 4], r.obs[:, 5])  # at a cut: the episode's last view
    assert collector.env_steps == 24 and len(collector.finished_returns) == 4
    assert all(0.0 <= f <= 1.0 for f in collector.finished_in_view)


def test_one_training_iteration_updates_the_network_with_finite_losses() -> None:
    algo, collector = fast.build(tiny())
    before = [p.detach().clone() for p in algo.net.parameters()]
    rollout = collector.collect(16)
    with policy_within_training_step(algo.policy):
        stats = algo.update(rollout.to_buffer(), batch_size=32, repeat=1)
    assert stats.gradient_steps == 1 and np.isfinite(stats.loss.mean)
    assert stats.aux_loss.mean > 0.0
    assert any(not torch.equal(a, b) for a, b in zip(before, algo.net.parameters()))


def test_vanilla_method_has_no_head_and_solo_trains_without_experts() -> None:
    vanilla_algo, _ = fast.build(tiny("social_ppo_vanilla"))
    assert vanilla_algo.net.aux_head is None and not vanilla_algo.uses_aux_loss
    _, solo = fast.build(tiny("solo_ppo_aux"))
    assert solo.envs.n_experts == 0
    with pytest.raises(ValueError, match="method must be one of"):
        fast.FastRunConfig(method="dqn")


@pytest.mark.parametrize("method", ["social_ppo_aux", "bc"])
def test_a_killed_run_resumes_from_its_checkpoint_to_the_uninterrupted_result(
    tmp_path, monkeypatch, method
) -> None:
    config = tiny(method, logdir=str(tmp_path / "whole"))
    whole = fast.train(config)

    cut = dataclasses.replace(config, logdir=str(tmp_path / "cut"))
    collect = VectorCollector.collect
    calls = {"n": 0}

    def dies_after_first_checkpoint(self, length):
        calls["n"] += 1
        if calls["n"] == 3:  # 2 worlds × 16 steps a call: the first checkpoint is after 2
            raise KeyboardInterrupt
        return collect(self, length)

    monkeypatch.setattr(VectorCollector, "collect", dies_after_first_checkpoint)
    with pytest.raises(KeyboardInterrupt):
        fast.train(cut)
    assert (tmp_path / "cut" / fast.CHECKPOINT).exists()
    monkeypatch.setattr(VectorCollector, "collect", collect)
    resumed = fast.train(cut)
    for key in (
        "curve",
        "per_peer_curve",
        "social_curve",
        "information_curve",
        "final_returns",
        "evaluations",
    ):
        assert resumed[key] == whole[key], key
    assert [point[0] for point in whole["information_curve"]] == [0, 64, 128]
    assert all(0 <= mi <= np.log(N_ACTIONS) for _, mi, _ in whole["information_curve"])
    final = [  # the last checkpoint is written at the end of training
        torch.load(tmp_path / run / fast.CHECKPOINT, weights_only=False)["algorithm"]
        for run in ("whole", "cut")
    ]
    assert final[0].keys() == final[1].keys()
    for key, value in final[0].items():
        if isinstance(value, torch.Tensor):
            assert torch.equal(value, final[1][key]), key


def test_behaviour_cloning_executes_and_learns_the_experts_actions() -> None:
    config = tiny("bc")
    algo, collector = fast.build(config)
    cloner = fast.BehaviourCloning(algo.net, lr=1e-2)
    rollout = collector.collect(32)
    assert rollout.expert_act is not None
    assert np.array_equal(rollout.act, rollout.expert_act)
    first = cloner.update(rollout, minibatch_seqs=4, epochs=1)
    for _ in range(5):
        last = cloner.update(rollout, minibatch_seqs=4, epochs=1)
    assert last < first


def test_a_checkpoint_of_another_configuration_is_refused(tmp_path) -> None:
    fast.train(tiny(logdir=str(tmp_path)))
    with pytest.raises(ValueError, match="another configuration"):
        fast.train(tiny(logdir=str(tmp_path), steps=192))


def test_cli_flags_select_the_method_and_a_resumable_log_folder() -> None:
    config, options = fast.parse_command(["--preset", "solo_ppo_aux", "--seed", "3"])
    assert config.method == "solo_ppo_aux" and config.n_experts == 0 and config.network.aux_head
    assert config.logdir == "runs/social_fast/solo_ppo_aux/goal_cycle_v0/seed3"
    assert not options.fresh and options.threads == 1
    vanilla, _ = fast.parse_command(["--preset", "social_ppo_vanilla"])
    assert not vanilla.network.aux_head and vanilla.n_experts is None
    assert fast.parse_command(["--fresh"])[1].fresh
    bc, _ = fast.parse_command(["--preset", "bc"])
    assert bc.method == "bc" and not bc.network.aux_head and bc.n_experts is None


def test_every_config_field_is_a_flag_and_the_method_comes_from_the_preset(monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)  # --device cuda is checked
    config, _ = fast.parse_command(
        ["--ppo.lr", "1e-3", "--eval-every", "20000", "--device", "cuda"]
    )
    assert (config.ppo.lr, config.eval_every, config.device) == (1e-3, 20_000, "cuda")
    with pytest.raises(SystemExit, match="choose the method with --preset"):
        fast.parse_command(["--method", "bc"])
    with pytest.raises(SystemExit, match=r"unknown option\(s\) --eval-evry \(did you mean"):
        fast.parse_command(["--eval-evry", "5"])
