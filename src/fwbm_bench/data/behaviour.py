"""Behavioural reference data shipped with the package."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import numpy as np


@cache
def roitman_shadlen_2002(subset: str = "pooled") -> dict:
    """Roitman & Shadlen (2002) RT task: per-coherence trial counts, p(correct), mean RTs.

    Source note (kept in the CSV header): exact summaries of the 6149-trial data file
    ``doc/downloads/roitman_rts.csv`` distributed with PyDDM, extracted from the Shadlen
    lab RoitmanDataCode release. ``subset`` is "pooled", "monkey1_b" or "monkey2_n".
    """
    text = resources.files("fwbm_bench.data").joinpath(
        "reference/roitman_shadlen_2002_rt_task.csv").read_text()
    rows = [row for row in csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
            if row["subset"] == subset]
    if not rows:
        raise ValueError(f"unknown subset '{subset}'")
    n_trials = np.array([int(r["n_trials"]) for r in rows])
    p_correct = np.array([float(r["p_correct"]) for r in rows])
    return {
        "coherence_pct": np.array([float(r["coherence_pct"]) for r in rows]),
        "n_trials": n_trials,
        "p_correct": p_correct,
        "n_correct": np.rint(n_trials * p_correct).astype(int),
        "mean_rt_correct_ms": np.array([float(r["mean_rt_ms"]) for r in rows]),
    }
