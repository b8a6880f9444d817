"""One numba policy for the whole package: on-disk caching keyed by the kernel sources.

numba keys its on-disk cache by the file of the decorated function only; a kernel that
calls a helper from another file would keep a stale compiled helper after that file
changes. We therefore point numba's cache at a folder named after a hash of every file
that holds kernels, so any change to any kernel source starts a fresh cache, and a DAG
of many small Snakemake jobs pays JIT compilation once, not once per job.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numba

from fwbm_bench import __version__

_PACKAGE_DIR = Path(__file__).resolve().parent
_KERNEL_DIRS = ("simulate", "models", "observables")


def _kernel_source_hash() -> str:
    digest = hashlib.sha256(__version__.encode())
    for folder in _KERNEL_DIRS:
        for path in sorted((_PACKAGE_DIR / folder).glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _configure_cache_dir() -> None:
    if os.environ.get("NUMBA_CACHE_DIR"):
        return  # the user chose a folder; respect it
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    cache_dir = base / "fwbm_bench" / "numba" / _kernel_source_hash()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # read-only home: numba falls back to __pycache__ or compiles in memory
    numba.config.CACHE_DIR = str(cache_dir)


_configure_cache_dir()


def njit(*args, **kwargs):
    """``numba.njit`` with the package policy: cached on disk, no fastmath (IEEE results)."""
    kwargs.setdefault("cache", True)
    kwargs.setdefault("fastmath", False)
    kwargs.setdefault("error_model", "numpy")
    return numba.njit(*args, **kwargs)
