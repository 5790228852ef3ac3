"""The FLOP counts behind the update-throughput benchmark's limit, worked by hand."""

from __future__ import annotations

from benchmarks.test_update_throughput import dqn_update_flops, linear_flops, sac_update_flops


def test_an_mlp_forward_is_two_flops_per_weight_per_sample() -> None:
    assert linear_flops([11, 150, 200, 6], 256) == 2 * 256 * (11 * 150 + 150 * 200 + 200 * 6)


def test_a_hopper_sac_update_of_the_papers_nets_is_about_0_3_gflop() -> None:
    actor = 2 * 256 * (11 * 150 + 150 * 200 + 200 * 6)  # obs 11 → 2 × 3 action outputs
    critic = 2 * 256 * (14 * 150 + 150 * 200 + 200 * 1)  # obs + action → Q
    # critic loss: actor + 2 target critics forward, 2 critics forward + backward (3×);
    # actor loss: actor forward + backward, 2 critics forward + backward.
    expected = (actor + 2 * critic + 6 * critic) + (3 * actor + 6 * critic)
    assert sac_update_flops(11, 3, (150, 200), 256) == expected == 298_803_200


def test_a_dqn_update_is_a_target_forward_and_an_online_forward_and_backward() -> None:
    forward = 2 * 256 * (2 * 256 + 256 * 256 + 256 * 4)
    assert dqn_update_flops(2, 4, (256, 256), 256) == 4 * forward
