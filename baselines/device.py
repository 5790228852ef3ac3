"""Where a reference solution trains: ``--device cpu`` (the default) or ``--device cuda``.

The device is a per-run choice, like the seed: it is left out of every
config hash, so the seeds of one submission may come from CPUs and GPUs
alike. It is checked before anything is built, so a GPU run on a machine
without one stops with one line instead of a traceback mid-run.
"""

from __future__ import annotations

import torch


def checked_device(name: str) -> torch.device:
    """``name`` as a :class:`torch.device` this machine has; a one-line error otherwise."""
    try:
        device = torch.device(name)
    except (RuntimeError, TypeError) as err:
        raise ValueError(
            f"--device {name!r} is not a torch device ({err}); use cpu or cuda"
        ) from None
    if device.type == "cpu":
        return device
    if device.type != "cuda":
        raise ValueError(f"--device {name!r}: the reference solutions train on cpu or cuda")
    if not torch.cuda.is_available():
        raise ValueError(
            f"--device {name!r}: this machine's torch sees no CUDA device "
            f"(torch {torch.__version__}, torch.cuda.is_available() is False); use --device cpu"
        )
    count = torch.cuda.device_count()
    if device.index is not None and device.index >= count:
        raise ValueError(f"--device {name!r}: this machine has {count} CUDA device(s)")
    return device
