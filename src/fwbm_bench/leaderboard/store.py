"""Reading and writing the store. Writes are atomic: a complete new store replaces the old."""

from __future__ import annotations

import json
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


def _detail(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'}"


def _check_metadata_files(path: Path) -> None:
    """Every metadata document the consolidated ``.zmetadata`` lists must exist on disk with the
    same content: zarr reads only ``.zmetadata``, so a deleted or damaged array would otherwise
    read back as fill values (NaN), a silently wrong leaderboard."""
    consolidated = path / ".zmetadata"
    if not consolidated.is_file():
        raise InputError(f"leaderboard {path}: not a readable Zarr store (expected the consolidated metadata "
                         f"file .zmetadata that write_leaderboard writes, found none)")
    try:
        documents = json.loads(consolidated.read_text())["metadata"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"leaderboard {path}: not a readable Zarr store (.zmetadata is not consolidated "
                         f"metadata: {_detail(exc)})") from None
    for key, document in documents.items():
        file = path / key
        try:
            on_disk = json.loads(file.read_text())
        except FileNotFoundError:
            raise InputError(f"leaderboard {path}: damaged store, {key} is listed in .zmetadata but missing "
                             f"(rebuild it with snakemake)") from None
        except (OSError, ValueError) as exc:
            raise InputError(f"leaderboard {path}: damaged store, {key} is not valid JSON ({_detail(exc)})") from None
        if on_disk != document:
            raise InputError(f"leaderboard {path}: damaged store, {key} differs from its copy in .zmetadata "
                             f"(rebuild it with snakemake)")
        if key.endswith(".zarray") and _holds_objects(document):
            raise InputError(f"leaderboard {path}: {key}: expected an array of numbers or text, found Python objects "
                             f"(dtype {document.get('dtype')!r}); refused, pickled data are never loaded")


def _holds_objects(zarray: dict) -> bool:
    """An array of Python objects: decoded by an object codec, pickle among them (older zarr
    releases would unpickle it). A leaderboard never holds one (text is fixed-width unicode)."""
    def objects(dtype) -> bool:  # "|O", or a structured dtype [[name, type], ...] with an object field
        if isinstance(dtype, str):
            return dtype.lstrip("|<>=").startswith("O")
        return isinstance(dtype, list) and any(isinstance(f, list) and len(f) > 1 and objects(f[1]) for f in dtype)

    codecs = [*(zarray.get("filters") or []), zarray.get("compressor") or {}]
    return objects(zarray.get("dtype")) or any(isinstance(c, dict) and c.get("id") == "pickle" for c in codecs)


def open_leaderboard(path) -> xr.Dataset:
    """The validated leaderboard at ``path``; a missing, unreadable, corrupted or other-version
    store is an :class:`InputError` saying so (:func:`~fwbm_bench.leaderboard.schema.validate_leaderboard`)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"leaderboard {path} not found; run the benchmark first (see README.md)")
    if not path.is_dir():
        raise InputError(f"leaderboard {path}: expected a Zarr store (a directory), found a file")
    _check_metadata_files(path)
    try:
        ds = xr.open_zarr(path, consolidated=True)
    except Exception as exc:  # zarr and xarray raise many types for damaged stores
        raise InputError(f"leaderboard {path}: not a readable Zarr store ({_detail(exc)})") from exc
    for name in ds.variables:  # one at a time, so a damaged chunk is reported with its variable
        try:
            ds[name].load()
        except Exception as exc:
            raise InputError(f"leaderboard {path}: damaged store, variable '{name}' ({path / str(name)}) cannot be "
                             f"read ({_detail(exc)})") from exc
    return validate_leaderboard(ds.load(), where=f"leaderboard {path}")
