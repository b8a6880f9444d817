"""Small, plain result files: JSON for per-job results (nothing is ever pickled)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np


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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(_plain(content), indent=1, sort_keys=True))
    os.replace(temporary, path)


def read_json(path) -> dict:
    return json.loads(Path(path).read_text())


def read_npz(path) -> dict:
    """Every array of an ``.npz`` file, loaded into memory (no pickled objects allowed)."""
    with np.load(path, allow_pickle=False) as arrays:
        return {key: arrays[key] for key in arrays.files}
