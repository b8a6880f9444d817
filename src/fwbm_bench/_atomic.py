"""Atomic file writes: a complete file or none, never a truncated one.

A job killed mid-write (SIGKILL, a node lost on a cluster) must not leave a half-written
file that looks finished. Every writer here writes a temporary sibling and renames it
over the target (``os.replace`` is atomic on one file system). Any layer may use it.
"""

from __future__ import annotations

import glob
import os
from contextlib import contextmanager
from pathlib import Path

import numpy as np


@contextmanager
def atomic_handle(path):
    """A binary file handle whose content replaces ``path`` only once the block completes.
    Temporaries of an earlier writer of ``path`` that was killed are removed (one writer per
    path: each workflow job owns its outputs)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):  # of a writer that was killed
        leftover.unlink(missing_ok=True)
    # the process id keeps two writers of one path from sharing a temporary
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes_atomic(path, data: bytes) -> None:
    with atomic_handle(path) as handle:
        handle.write(data)


def write_text_atomic(path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def save_npz_atomic(path, **arrays) -> None:
    """``np.savez(path, **arrays)``, atomically (``.npz`` is appended if missing, as numpy does)."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    with atomic_handle(path) as handle:
        np.savez(handle, **arrays)
