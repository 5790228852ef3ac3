"""``--track``: mirror a run's TensorBoard scalars to Weights & Biases.

Offline unless ``WANDB_MODE`` says otherwise, so nothing leaves the machine
until ``wandb sync``; the W&B run lives beside the TensorBoard run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def wandb_run(name: str, config: dict[str, Any], logdir: Path | str) -> Iterator[Any]:
    """A W&B run syncing every TensorBoard writer opened inside the ``with`` block."""
    try:
        import wandb
    except ImportError:
        raise SystemExit("--track logs to Weights & Biases: pip install wandb") from None
    Path(logdir).mkdir(parents=True, exist_ok=True)
    run = wandb.init(
        project=os.environ.get("WANDB_PROJECT", "peerzoo"),
        name=name,
        config=config,
        dir=str(logdir),
        mode=os.environ.get("WANDB_MODE", "offline"),
        sync_tensorboard=True,
        settings=wandb.Settings(console="off", silent=True),
    )
    try:
        yield run
    finally:
        run.finish()
        wandb.tensorboard.unpatch()
