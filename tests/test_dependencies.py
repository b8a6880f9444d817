"""The one test a checkout without the dependencies runs: it fails and says how to install."""

from dependencies import INSTALL, missing_dependencies


def test_dependencies_are_installed():
    missing = missing_dependencies()
    assert not missing, (f"fwbm-bench's dependencies are not installed (missing: {', '.join(missing)}); "
                         f"use the README's test command: {INSTALL}")
