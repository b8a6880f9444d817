"""Exceptions whose messages are meant to be read by a user, on one line.

Every error raised for bad input names the file or config key, what was expected and
what was found. Workflow scripts turn these into a one-line message and a non-zero exit
instead of a traceback.
"""


class FwbmError(Exception):
    """Base class of every error fwbm-bench raises on purpose."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


class InputError(FwbmError, ValueError):
    """A data file or array does not satisfy the documented contract."""


class ConfigError(FwbmError, ValueError):
    """A configuration key or value is invalid (typo, unknown name, out of range)."""


class SimulationError(FwbmError, RuntimeError):
    """A simulation diverged or could not be run with the given settings."""
