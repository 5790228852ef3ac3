import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def _one_thread():
    """Two shared CPU cores: keep torch from oversubscribing them."""
    torch.set_num_threads(1)
