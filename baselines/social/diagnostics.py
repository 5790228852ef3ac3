"""Whether a policy still looks at its observations.

A recurrent learner whose encoder saturates acts the same in every state: its
entropy can stay high (Goal Cycle has four actions that do nothing, so mass on
them costs no entropy) while it has stopped using what it sees. The mutual
information between what the learner has seen and what it does,
I(history; action) = H(mean π) − mean H(π) over the visited states, is zero
exactly then, whatever the entropy, so the learners log it at every evaluation.
"""

from __future__ import annotations

import numpy as np


def action_information(probs: np.ndarray) -> dict[str, float]:
    """Mutual information and entropies of (..., n_actions) action distributions, in nats.

    ``probs`` holds π(·|history) for many visited states; the states are the
    samples of the history variable.
    """
    flat = np.asarray(probs, dtype=np.float64).reshape(-1, np.shape(probs)[-1])
    if flat.shape[0] == 0:
        raise ValueError("action_information needs at least one action distribution.")
    mean = flat.mean(axis=0)
    entropy_of_mean = float(-(mean * np.log(np.clip(mean, 1e-12, None))).sum())
    mean_entropy = float(-(flat * np.log(np.clip(flat, 1e-12, None))).sum(axis=1).mean())
    return {
        "obs_action_mi": max(entropy_of_mean - mean_entropy, 0.0),
        "action_entropy": mean_entropy,
        "marginal_entropy": entropy_of_mean,
    }
