"""Unification metrics: does an entry's score depend on the real connectome, and does it
break specifically when the task's pathway is lesioned?

Pure functions of normalised scores (floats in [0, 1], NaN = not scored). Each returns a
``(raw, ceiling)`` pair that :func:`fwbm_bench.scoring.normalise` turns into a score, so
unification benchmarks store raw, ceiling and score like every other benchmark.
"""

from __future__ import annotations

import numpy as np


def _complete(values) -> np.ndarray | None:
    """The values as an array, or None if any is missing (NaN) or there are none."""
    values = np.asarray(values, dtype=float).ravel()
    return values if values.size and np.isfinite(values).all() else None


def structure_dependence(empirical: float, nulls) -> tuple[float, float]:
    """``(empirical - mean(nulls), empirical)``: the score lost when the real connectome is
    replaced by a null, and the most that could be lost.

    raw / ceiling is the normalised effect: 1 = nothing of the score survives on the nulls,
    0 = the nulls do as well (e.g. an uncoupled model, whose dynamics ignore the
    connectome), negative = the nulls do better. NaN when any score is missing (NaN): a
    missing null is never silently left out of the mean.
    """
    nulls = _complete(nulls)
    if not np.isfinite(empirical) or nulls is None:
        return float("nan"), float("nan")
    return float(empirical - nulls.mean()), float(empirical)


def null_percentile(empirical: float, nulls) -> float:
    """Percentile (0-100) of the empirical score within the null scores: the percentage of
    nulls it beats, ties counting half (50 = indistinguishable from the nulls)."""
    nulls = _complete(nulls)
    if not np.isfinite(empirical) or nulls is None:
        return float("nan")
    return float(100.0 * (np.sum(empirical > nulls) + 0.5 * np.sum(empirical == nulls)) / nulls.size)


def lesion_specificity(intact: float, lesioned: float, controls) -> tuple[float, float]:
    """``(mean(controls) - lesioned, intact)``: how much more a lesion of the task's pathway
    costs than size-matched random lesions, relative to the intact score.

    1 = the pathway lesion abolishes performance while random lesions of the same size
    leave it intact; 0 = it costs no more than a random lesion. NaN when any score is missing.
    """
    controls = _complete(controls)
    if not (np.isfinite(intact) and np.isfinite(lesioned)) or controls is None:
        return float("nan"), float("nan")
    return float(controls.mean() - lesioned), float(intact)


def explanatory_scope(scores, threshold: float = 0.5) -> float:
    """Fraction of benchmarks with a normalised score >= ``threshold``; a missing (NaN)
    score counts as not explained, so missing benchmarks lower the scope."""
    scores = np.asarray(scores, dtype=float).ravel()
    if scores.size == 0:
        return float("nan")
    return float(np.mean(np.where(np.isfinite(scores), scores, -np.inf) >= threshold))
