"""I(history; action): zero for a policy that ignores what it sees, log(n) for one that
reads every state into a different action, whatever the entropies."""

from __future__ import annotations

import numpy as np
import pytest

from baselines.social.diagnostics import action_information


def test_a_policy_that_ignores_its_states_carries_no_information() -> None:
    same = np.tile([0.37, 0.02, 0.03, 0.24, 0.16, 0.12, 0.06], (50, 1))
    info = action_information(same)
    assert info["obs_action_mi"] == pytest.approx(0.0, abs=1e-12)
    assert info["action_entropy"] == pytest.approx(info["marginal_entropy"])
    assert info["action_entropy"] > 1.5  # high entropy, yet blind


def test_a_deterministic_policy_over_distinct_states_carries_log_n() -> None:
    info = action_information(np.eye(4)[[0, 1, 2, 3, 0, 1, 2, 3]])
    assert info["obs_action_mi"] == pytest.approx(np.log(4))
    assert info["action_entropy"] == pytest.approx(0.0, abs=1e-9)


def test_a_hand_computed_two_state_case() -> None:
    probs = np.array([[0.9, 0.1], [0.5, 0.5]])
    h = lambda p: -sum(x * np.log(x) for x in p)
    expected = h([0.7, 0.3]) - (h([0.9, 0.1]) + h([0.5, 0.5])) / 2
    assert action_information(probs)["obs_action_mi"] == pytest.approx(expected)


def test_leading_axes_are_states_and_empty_input_is_refused() -> None:
    probs = np.eye(3)[np.arange(12) % 3].reshape(2, 2, 3, 3)
    assert action_information(probs)["obs_action_mi"] == pytest.approx(np.log(3))
    with pytest.raises(ValueError, match="at least one"):
        action_information(np.zeros((0, 7)))
