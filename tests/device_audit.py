"""Device placement checked on a machine without a GPU.

A learner on ``--device cuda`` breaks where its code makes a tensor without
naming a device: the tensor lands on the CPU, beside parameters on the GPU.
:func:`unplaced_tensors_on_meta` reproduces that on a CPU: inside it, a tensor
made without a device lands on PyTorch's ``meta`` device (shapes, no data), so
mixing it with the learner's CPU parameters, or reading it into numpy, raises.
Build the learner before entering (its parameters on an explicit device), then
train and evaluate inside.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch


@contextmanager
def unplaced_tensors_on_meta() -> Iterator[None]:
    torch.set_default_device("meta")
    try:
        yield
    finally:
        torch.set_default_device(None)
