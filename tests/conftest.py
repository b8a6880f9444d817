import numpy as np
import pytest

from fwbm_bench.connectome import build_connectome
from fwbm_bench.data import load_subject


@pytest.fixture(scope="session")
def hcp_subject():
    return load_subject("hcp-101309")


@pytest.fixture(scope="session")
def hcp_connectome(hcp_subject):
    return build_connectome(hcp_subject, "empirical")


@pytest.fixture
def rng():
    return np.random.default_rng(20261122)


def assert_one_line(message: str) -> None:
    assert "\n" not in message and len(message) < 400, message
