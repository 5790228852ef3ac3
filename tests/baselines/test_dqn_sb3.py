"""Room's DQN peer learns and acts as Stable-Baselines3 1.5's DQN in the original runs.

The original's values:

| setting                 | value                         | source                            |
|-------------------------|-------------------------------|-----------------------------------|
| TD target               | r + γ(1−d) max_a Q_targ(s′,a) | SB3 dqn/dqn.py:186, :190          |
| done d                  | terminated, not a time limit  | SB3 common/buffers.py:180, :302   |
| loss                    | smooth L1 (Huber δ=1), mean   | SB3 dqn/dqn.py:199                |
| max_grad_norm           | 10                            | SB3 dqn/dqn.py:81, :206           |
| target update           | Polyak τ every interval env steps | SB3 dqn/dqn.py:159-166        |
| tau                     | 0.02                          | Experiments.md:96 (Room)          |
| target_update_interval  | 1                             | utils.py:156; run_peer.py:139     |
| train_freq, grad. steps | 8, 8                          | Experiments.md:96                 |
| lr, net, γ              | 5e-4, [256, 256], 0.99        | Experiments.md:96                 |
| batch, buffer           | 256, 300k                     | Experiments.md:96                 |
| exploration_fraction    | 0.1                           | utils.py:159; run_peer.py:188-189 |
| exploration_final_eps   | 0.05                          | utils.py:160; run_peer.py:190-191 |
| exploration_initial_eps | 1.0                           | SB3 dqn/dqn.py:79                 |
| ε schedule              | linear over the first fraction | SB3 common/utils.py:110-114      |
| own action (peer runs)  | greedy argmax Q               | peer.py:228-230, :357-358 (1)     |
| advice                  | greedy argmax Q               | peer.py:217-220, :228-230 (1)     |

"SB3" is Stable-Baselines3 1.5.0 (tag v1.5.0), which the original's requirments.txt
installs; the other files are kramerlab/PeerLearning's. (1) While peers learn,
``predict`` is replaced by the peer's ``get_action``, which asks every peer's
``policy.predict``: SB3's ``QNetwork._predict`` (dqn/policies.py:71) is an argmax
whatever ``deterministic`` says, so SB3's ε-greedy ``DQN.predict`` (dqn/dqn.py:232)
is never reached.
"""

from __future__ import annotations

import copy

import gymnasium
import numpy as np
import pytest
import torch
from tianshou.algorithm import DQN
from tianshou.algorithm.optim import AdamOptimizerFactory
from tianshou.data import Batch
from tianshou.utils.torch_utils import policy_within_training_step, torch_train_mode

from baselines.peer.config import smoke
from baselines.peer.learners import SB3DQN, DQNPeer, sb3_exploration_rate
from baselines.peer.presets import paper_preset
from baselines.peer.train import PeerTraining

ORIGINAL = {
    "tau": 0.02,
    "target_update_interval": 1,
    "max_grad_norm": 10.0,
    "gamma": 0.99,
    "train_every": 8,
    "gradient_steps": 8,
    "lr": 5e-4,
    "hidden_sizes": (256, 256),
    "batch_size": 256,
    "buffer_size": 300_000,
    "exploration_fraction": 0.1,
    "exploration_final_eps": 0.05,
    "exploration_initial_eps": 1.0,
    "epsilon_greedy": False,
}
OBS, N_ACTIONS, B, GAMMA = 4, 5, 12, 0.9


def _peer(**kwargs) -> DQNPeer:
    torch.manual_seed(0)
    peer = DQNPeer(
        gymnasium.spaces.Box(-np.inf, np.inf, (OBS,), np.float32),
        gymnasium.spaces.Discrete(N_ACTIONS),
        hidden_sizes=(16,),
        gamma=GAMMA,
        buffer_size=64,
        batch_size=B,
        **kwargs,
    )
    rng = np.random.default_rng(0)
    for _ in range(B):
        peer.store(
            rng.normal(size=OBS).astype(np.float32),
            np.int64(rng.integers(N_ACTIONS)),
            float(rng.uniform(-3, 3)),
            bool(rng.random() < 0.3),
            bool(rng.random() < 0.3),  # truncation: still bootstraps
            rng.normal(size=OBS).astype(np.float32),
        )
    return peer


def _perturb(module: torch.nn.Module, scale: float, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.add_(scale * torch.randn(p.shape, generator=gen))


def _q(net: torch.nn.Module, obs: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return net(torch.as_tensor(obs))[0].double().numpy()


def _update(peer: DQNPeer) -> tuple[dict, object]:
    idx = np.arange(B)
    algo = peer.algorithm
    with policy_within_training_step(peer.policy), torch_train_mode(algo):
        batch = algo._preprocess_batch(peer.buffer[idx], peer.buffer, idx)
        stats = algo._update_with_batch(batch)
    return stats.get_loss_stats_dict(), batch


def test_target_is_max_over_the_target_net_and_loss_is_huber_by_hand():
    peer = _peer()
    _perturb(peer.policy.model, 0.5, seed=1)  # online ≠ target, so double Q would differ
    data = peer.buffer[np.arange(B)]
    q_target_next = _q(peer.algorithm.model_old, data.obs_next)
    q_online = _q(peer.policy.model, data.obs)
    q_online_next = _q(peer.policy.model, data.obs_next)

    not_done = 1.0 - data.terminated.astype(np.float64)
    target = data.rew + GAMMA * not_done * q_target_next.max(axis=1)
    double_q = data.rew + GAMMA * not_done * q_target_next[np.arange(B), q_online_next.argmax(1)]
    assert not np.allclose(target, double_q)  # the case tells the two rules apart
    td = q_online[np.arange(B), data.act] - target
    huber = np.where(np.abs(td) < 1.0, 0.5 * td**2, np.abs(td) - 0.5).mean()
    assert np.any(np.abs(td) >= 1.0) and np.any(np.abs(td) < 1.0)  # both branches

    stats, batch = _update(peer)
    np.testing.assert_allclose(batch.returns.flatten(), target, rtol=1e-5, atol=1e-5)
    assert stats["loss"] == pytest.approx(huber, rel=1e-5)


def _grad_norm(module: torch.nn.Module) -> float:
    return float(torch.norm(torch.stack([p.grad.norm() for p in module.parameters()])))


def test_gradients_are_clipped_to_norm_ten():
    peer = _peer()
    peer.buffer.obs[:B] *= 1000.0  # huge inputs: huge weight gradients
    stock = copy.deepcopy(peer)
    stock.algorithm._optimizers[0]._max_grad_norm = None  # the same update, unclipped
    _update(peer)
    _update(stock)
    assert _grad_norm(stock.policy) > 100.0
    assert _grad_norm(peer.policy) == pytest.approx(10.0, rel=1e-4)


def test_update_agrees_with_tianshous_stock_dqn_without_double_q_with_huber_loss():
    """Where the rules coincide (no double Q, Huber, no clip reached) the updates are equal."""
    peer = _peer()
    stock_policy = copy.deepcopy(peer.policy)
    stock = DQN(
        policy=stock_policy,
        optim=AdamOptimizerFactory(lr=5e-4),
        gamma=GAMMA,
        target_update_freq=10**9,  # a full copy at the first update only (a no-op here)
        is_double=False,
        huber_loss_delta=1.0,
    )
    idx = np.arange(B)
    for _ in range(3):
        mine, _ = _update(peer)
        with policy_within_training_step(stock_policy), torch_train_mode(stock):
            batch = stock._preprocess_batch(peer.buffer[idx], peer.buffer, idx)
            theirs = stock._update_with_batch(batch).get_loss_stats_dict()
        assert _grad_norm(peer.policy) < 10.0  # the clip is not what is compared here
        assert mine["loss"] == pytest.approx(theirs["loss"], rel=1e-6)
    for a, b in zip(peer.policy.parameters(), stock_policy.parameters(), strict=True):
        torch.testing.assert_close(a, b)


def _filled_peer(n: int) -> DQNPeer:
    """A peer with ``n`` random transitions (terminations, truncations, an unfinished last one)."""
    torch.manual_seed(0)
    peer = DQNPeer(
        gymnasium.spaces.Box(-np.inf, np.inf, (OBS,), np.float32),
        gymnasium.spaces.Discrete(N_ACTIONS),
        hidden_sizes=(32, 32),
        gamma=GAMMA,
        tau=0.1,
        buffer_size=n // 2,  # wrapped around: the ring's indices are exercised
        batch_size=B,
    )
    rng = np.random.default_rng(1)
    for _ in range(n):
        peer.store(
            rng.normal(size=OBS).astype(np.float32),
            np.int64(rng.integers(N_ACTIONS)),
            float(rng.uniform(-3, 3)),
            bool(rng.random() < 0.2),
            bool(rng.random() < 0.2),
            rng.normal(size=OBS).astype(np.float32),
        )
    _perturb(peer.policy.model, 0.5, seed=4)  # online ≠ target
    return peer


def _state(peer: DQNPeer) -> list[torch.Tensor]:
    """Every number an update changes: online and target weights, Adam's moments."""
    algo = peer.algorithm
    tensors = [*peer.policy.model.parameters(), *algo.model_old.parameters()]
    for moments in algo.optim._optim.state.values():
        tensors += [moments["exp_avg"], moments["exp_avg_sq"]]
    return tensors


def test_lean_update_is_the_stock_update_bit_for_bit(monkeypatch):
    """``SB3DQN.update`` skips the stock path's Batches; losses, weights, moments stay identical."""
    lean = _filled_peer(200)
    stock = copy.deepcopy(lean)  # the buffer's sampling generator is copied too
    stock_update = DQN.update.__get__(stock.algorithm)  # Tianshou's own update path

    called = []
    monkeypatch.setattr(
        SB3DQN, "_preprocess_batch", lambda *a: called.append(a) or DQN._preprocess_batch(*a)
    )
    for _ in range(4):
        with (
            policy_within_training_step(lean.policy),
            policy_within_training_step(stock.policy),
            torch_train_mode(lean.algorithm),
            torch_train_mode(stock.algorithm),
        ):
            for _ in range(3):
                mine = lean.algorithm.update(lean.buffer, B).get_loss_stats_dict()
                theirs = stock_update(stock.buffer, B).get_loss_stats_dict()
                assert mine["loss"] == theirs["loss"]
        lean.begin_step()  # a Polyak step between rounds, as between env steps
        stock.begin_step()
    assert len(called) == 12  # only the stock side went through the Batch path
    for a, b in zip(_state(lean), _state(stock), strict=True):
        assert torch.equal(a, b)
    assert len(_state(lean)) == 4 * 6  # 3 layers' weights and biases, online + target, 2 moments


def test_buffers_the_lean_update_cannot_read_directly_take_the_stock_path(monkeypatch):
    """Without stored next observations the fields are not plain arrays: Tianshou's path runs."""
    peer = _filled_peer(40)
    peer.buffer.options["ignore_obs_next"] = True
    called = []
    monkeypatch.setattr(
        SB3DQN, "_preprocess_batch", lambda *a: called.append(a) or DQN._preprocess_batch(*a)
    )
    with policy_within_training_step(peer.policy), torch_train_mode(peer.algorithm):
        peer.algorithm.update(peer.buffer, B)
    assert len(called) == 1


def test_lean_update_needs_a_training_step_as_the_stock_one():
    peer = _filled_peer(40)
    with pytest.raises(RuntimeError, match="training step"):
        peer.algorithm.update(peer.buffer, B)


def test_target_takes_a_polyak_step_per_env_step_and_none_per_gradient_step():
    peer = _peer(tau=0.25, target_update_interval=2)
    _perturb(peer.policy.model, 0.5, seed=2)
    online = [p.detach().clone() for p in peer.policy.model.parameters()]
    target = [p.detach().clone() for p in peer.algorithm.model_old.parameters()]

    peer.learn(gradient_steps=3)  # gradient steps leave the target alone
    for t, now in zip(target, peer.algorithm.model_old.parameters()):
        torch.testing.assert_close(now, t)

    online = [p.detach().clone() for p in peer.policy.model.parameters()]
    peer.begin_step()  # env step 1 of 2: no update yet
    peer.begin_step()  # env step 2: τ-step towards the online net
    for t, o, now in zip(target, online, peer.algorithm.model_old.parameters()):
        torch.testing.assert_close(now, 0.75 * t + 0.25 * o)


def test_own_actions_and_advice_are_greedy_even_while_epsilon_is_one():
    peer = _peer()
    peer.set_exploration_progress(0.0)  # SB3's ε would be 1.0 here
    assert peer.policy.eps_training == 1.0
    obs = np.random.default_rng(3).normal(size=(200, OBS)).astype(np.float32)
    greedy = _q(peer.policy.model, obs).argmax(1)
    np.testing.assert_array_equal(peer.act(obs, explore=True), greedy)  # own and advice alike
    np.testing.assert_array_equal(peer.act(obs, explore=False), greedy)
    policy_act = peer.policy(Batch(obs=obs, info={})).act  # the stock forward's choice
    np.testing.assert_array_equal(peer.act(obs, explore=True), policy_act)


def test_epsilon_greedy_option_explores_with_sb3s_linear_schedule():
    peer = _peer(epsilon_greedy=True)
    obs = np.random.default_rng(4).normal(size=(400, OBS)).astype(np.float32)
    greedy = _q(peer.policy.model, obs).argmax(1)
    peer.set_exploration_progress(0.0)
    np.random.seed(0)
    random_share = np.mean(peer.act(obs, explore=True) != greedy)
    assert random_share == pytest.approx(1 - 1 / N_ACTIONS, abs=0.08)  # ε = 1: uniform
    np.testing.assert_array_equal(peer.act(obs, explore=False), greedy)
    # get_linear_fn(1.0, 0.05, 0.1) at 1 − progress_remaining:
    for progress, eps in ((0.0, 1.0), (0.05, 0.525), (0.1, 0.05), (0.7, 0.05)):
        assert sb3_exploration_rate(progress, 1.0, 0.05, 0.1) == pytest.approx(eps)


def test_room_preset_builds_the_originals_dqn():
    config = paper_preset("peer_room_v0")
    for name, value in ORIGINAL.items():
        assert getattr(config, name) == value, name
    training = PeerTraining(smoke(paper_preset("peer_room_v0"), total_steps=16))
    algo = training.peers[0].algorithm
    assert isinstance(algo, SB3DQN)
    assert algo.is_double is False and algo.huber_loss_delta == 1.0
    assert (algo.tau, algo.target_update_interval) == (ORIGINAL["tau"], 1)
    assert algo._optimizers[0]._max_grad_norm == ORIGINAL["max_grad_norm"]
    assert training.peers[0].epsilon_greedy is False


def test_dqn_is_greedy_in_peer_epochs_and_epsilon_greedy_in_solo_epochs():
    """peer.py: a peer epoch acts through ``get_action`` (greedy ``policy.predict``); a solo
    epoch past ``--max-peer-epochs`` through SB3 DQN's own ε-greedy ``predict``."""
    config = smoke(paper_preset("peer_room_v0", "early_advising"), total_steps=40)
    config.epoch_length, config.max_peer_epochs, config.learning_starts = 4, 1, 0
    training = PeerTraining(config)
    training.train(until=2)
    assert [peer.epsilon_greedy for peer in training.peers] == [False, False]  # epoch 0
    training.train(until=12)
    assert [peer.epsilon_greedy for peer in training.peers] == [True, True]  # solo epochs
    assert training.peers[0].policy.eps_training == pytest.approx(ORIGINAL["exploration_final_eps"])
