import importlib.util

import numpy as np
import pytest

_MISSING = [name for name in ("numba", "scipy", "xarray", "zarr", "bct", "yaml", "jsonschema", "neurolib", "tvb_data")
            if importlib.util.find_spec(name) is None]
if _MISSING:
    pytest.exit(f"fwbm-bench's dependencies are not installed (missing: {', '.join(_MISSING)}); use the README's "
                "test command: python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest",
                returncode=4)

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
