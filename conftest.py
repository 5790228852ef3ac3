"""The ``--device`` option of the tests and benchmarks: the same checks on a GPU.

The default, ``cpu``, is what CI runs. On a machine with a GPU,
``python -m pytest tests/baselines --device cuda`` runs the equivalence tests
that take the ``device`` fixture (a batched seed against the seed alone, the
lean and the batched SAC updates against Tianshou's) with their networks on
the GPU, and ``python -m pytest benchmarks/test_update_throughput.py
--benchmark-only -s --device cuda`` times the updates where ``run_all.py
--device cuda`` trains them. The name is checked before anything runs, with the
runners' own one-line error.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch

from baselines.device import checked_device


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--device",
        default="cpu",
        help="where the tests and benchmarks that take it put their networks: cpu or cuda",
    )


@pytest.fixture(scope="session")
def device(request: pytest.FixtureRequest) -> torch.device:
    """The ``--device`` of this run, checked like ``run_all.py --device``."""
    try:
        return checked_device(request.config.getoption("--device"))
    except ValueError as err:
        pytest.exit(str(err), returncode=4)


@pytest.fixture(scope="session")
def sync(device: torch.device) -> Callable[[], None]:
    """Waits for ``device``'s queued kernels: a timer then stops after the work, not its launch."""
    if device.type == "cuda":
        return lambda: torch.cuda.synchronize(device)
    return lambda: None
