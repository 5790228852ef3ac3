import pytest
import torch


@pytest.fixture(autouse=True)
def _one_thread():
    """The CI machine has 2 cores shared by many jobs; torch must not grab them all."""
    torch.set_num_threads(1)
