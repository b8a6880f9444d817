"""Small, plain result files: JSON for per-job results, ``.npz`` for arrays (nothing is ever
pickled); every write is atomic, so a killed job leaves a complete file or none."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from fwbm_bench._atomic import save_npz_atomic, write_text_atomic


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (np.floating, float)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def write_json(path, content: dict) -> None:
    """Write ``content`` atomically (temporary file, then rename); NaN becomes null."""
    write_text_atomic(path, json.dumps(_plain(content), indent=1, sort_keys=True))


def write_npz(path, arrays: dict) -> None:
    """Write ``arrays`` to an ``.npz`` file atomically (temporary file, then rename)."""
    save_npz_atomic(path, **arrays)


def read_json(path) -> dict:
    return json.loads(Path(path).read_text())


def read_npz(path) -> dict:
    """Every array of an ``.npz`` file, loaded into memory (no pickled objects allowed)."""
    with np.load(path, allow_pickle=False) as arrays:
        return {key: arrays[key] for key in arrays.files}


def write_failure(path, identity: dict, reason: str) -> None:
    """A failure record in place of a job's result: ``identity`` (the job's wildcards) and
    ``failed``: the reason (JSON), or an ``.npz`` holding ``failed`` only."""
    if str(path).endswith(".npz"):
        write_npz(path, {"failed": np.array(reason)})
    else:
        write_json(path, {**identity, "failed": reason})
