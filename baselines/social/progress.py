"""tqdm progress and TensorBoard scalars for a training run, both optional."""

from __future__ import annotations

from typing import Any


class TrainingLog:
    """A tqdm bar over env steps and a TensorBoard writer (only when ``logdir`` is set)."""

    def __init__(self, total_steps: int, logdir: str | None, progress: bool, desc: str) -> None:
        self.bar = None
        if progress:
            from tqdm import tqdm

            self.bar = tqdm(total=total_steps, desc=desc, unit="step", dynamic_ncols=True)
        self.writer = None
        if logdir:
            from torch.utils.tensorboard import SummaryWriter

            self.writer = SummaryWriter(logdir)
        self._step = 0

    def advance(self, env_steps: int, **postfix: Any) -> None:
        """Move the bar to ``env_steps`` (per learner) and show ``postfix``."""
        if self.bar is not None:
            self.bar.update(env_steps - self._step)
            if postfix:
                self.bar.set_postfix({k: f"{v:.3g}" for k, v in postfix.items()}, refresh=False)
        self._step = env_steps

    def scalars(self, step: int, values: dict[str, float]) -> None:
        if self.writer is not None:
            for key, value in values.items():
                self.writer.add_scalar(key, value, step)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.writer is not None:
            self.writer.close()
