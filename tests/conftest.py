from pathlib import Path

import pytest
from dependencies import missing_dependencies

if missing_dependencies():
    # collect only test_dependencies.py, whose one test fails with the install command: a checkout
    # without the dependencies collects and reports, and never passes with nothing run
    collect_ignore = [path.name for path in Path(__file__).parent.glob("test_*.py") if path.name != "test_dependencies.py"]
else:
    import numpy as np

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
