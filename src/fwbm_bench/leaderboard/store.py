"""Reading and writing the store. Writes are atomic: a complete new store replaces the old."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import xarray as xr

from fwbm_bench.errors import InputError
from fwbm_bench.leaderboard.schema import validate_leaderboard

# Zarr format 2: fixed-width unicode (entry names, status strings) has a stable
# specification there; zarr-python 3 marks it unstable for format 3.
ZARR_FORMAT = 2


def write_leaderboard(ds: xr.Dataset, path) -> None:
    """Write ``ds`` to ``path`` through a temporary sibling, then swap it in. Siblings left by a
    write that was killed before it finished are removed first (one writer per store: the
    workflow's leaderboard rule)."""
    path = Path(path)
    for leftover in [*path.parent.glob(f".{path.name}.*.tmp"), *path.parent.glob(f".{path.name}.*.old")]:
        shutil.rmtree(leftover, ignore_errors=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    ds.to_zarr(temporary, mode="w", consolidated=True, zarr_format=ZARR_FORMAT)
    if path.exists():
        retired = path.with_name(f".{path.name}.{uuid.uuid4().hex}.old")
        os.replace(path, retired)
        os.replace(temporary, path)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(temporary, path)


def open_leaderboard(path) -> xr.Dataset:
    """The validated leaderboard at ``path``; a missing, unreadable, corrupted or other-version
    store is an :class:`InputError` saying so (:func:`~fwbm_bench.leaderboard.schema.validate_leaderboard`)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"leaderboard {path} not found; run the benchmark first (see README.md)")
    try:
        ds = xr.open_zarr(path, consolidated=True).load()
    except Exception as exc:  # zarr and xarray raise many types for damaged stores
        raise InputError(f"leaderboard {path}: not a readable Zarr store ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else 'no detail'})") from exc
    return validate_leaderboard(ds, where=f"leaderboard {path}")
