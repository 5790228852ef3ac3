"""Checkpoints of a fast-learner run: everything a resumed run needs to continue identically.

A checkpoint holds the network and optimiser (the algorithm's ``state_dict``),
the collector mid-stream (the batched worlds with their generators, the
current observations, LSTM states and episode bookkeeping), torch's random
state and the run's progress so far. It is written to a temporary file and
renamed, so a run killed while saving keeps its previous checkpoint, and it
carries the config hash: a checkpoint of another configuration is refused.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import torch

from baselines.social.recurrent_ppo import RecurrentPPO
from baselines.social.vector_rollout import VectorCollector

_COLLECTOR_FIELDS = (
    "envs",
    "obs",
    "episode_start",
    "_returns",
    "_distance",
    "_steps",
    "finished_returns",
    "finished_in_view",
    "finished_distance",
    "env_steps",
)


def save_checkpoint(
    path: Path, algo: RecurrentPPO, collector: VectorCollector, config_hash: str, run: dict
) -> None:
    """Write the run's full state to ``path`` atomically."""
    payload = {
        "config_hash": config_hash,
        "algorithm": algo.state_dict(),
        "collector": {name: getattr(collector, name) for name in _COLLECTOR_FIELDS},
        "lstm_state": tuple(x.cpu() for x in collector.state),
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        "numpy_rng": np.random.get_state(),
        "run": run,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        torch.save(payload, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_checkpoint(
    path: Path, algo: RecurrentPPO, collector: VectorCollector, config_hash: str
) -> dict:
    """Restore ``algo`` and ``collector`` from ``path``; return the run's saved progress."""
    payload = torch.load(path, weights_only=False, map_location="cpu")
    if payload["config_hash"] != config_hash:
        raise ValueError(
            f"{path} was written by another configuration (hash {payload['config_hash']}, "
            f"this run {config_hash}); use another --logdir or --fresh to start over."
        )
    algo.load_state_dict(payload["algorithm"])
    for name, value in payload["collector"].items():
        setattr(collector, name, value)
    collector.state = tuple(x.to(algo.net.device) for x in payload["lstm_state"])
    torch.set_rng_state(payload["torch_rng"])
    if payload["cuda_rng"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(payload["cuda_rng"])
    np.random.set_state(payload["numpy_rng"])
    return payload["run"]
