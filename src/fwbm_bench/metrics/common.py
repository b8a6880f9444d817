"""Helpers shared by the metrics: the input check of time-series metrics and two bounded
similarities (of scalars, and of distributions over the same bins).

Pure functions: arrays in, numbers out.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.data.validate import check_not_constant
from fwbm_bench.errors import InputError


def as_timeseries(timeseries, what: str = "BOLD", min_samples: int = 3) -> np.ndarray:
    """``timeseries`` as a float regions x samples array, or :class:`InputError`.

    Requires at least 2 regions, ``min_samples`` samples, finite values and no constant
    region (every metric here divides by a per-region spread).
    """
    if timeseries is None:
        raise InputError(f"{what}: expected a regions x samples array, found None")
    timeseries = np.asarray(timeseries, dtype=float)
    if timeseries.ndim != 2 or timeseries.shape[0] < 2:
        raise InputError(f"{what}: expected a regions x samples array with >= 2 regions, found shape "
                         f"{timeseries.shape}")
    if timeseries.shape[1] < min_samples:
        raise InputError(f"{what}: expected >= {min_samples} samples per region, found {timeseries.shape[1]}")
    if not np.isfinite(timeseries).all():
        raise InputError(f"{what}: {int((~np.isfinite(timeseries)).sum())} non-finite value(s) (NaN or inf)")
    check_not_constant(timeseries, what)
    return timeseries


def ratio_similarity(a: float, b: float) -> float:
    """Bounded ratio similarity of two scalars: min(|a|, |b|) / max(|a|, |b|) if same sign.

    1 when a == b (including both 0), 0 when their signs differ or exactly one is 0, and in
    (0, 1) otherwise. For positive quantities this is min(a, b) / max(a, b): a model at half
    or at twice the empirical value scores 0.5.
    """
    a, b = float(a), float(b)
    if not (np.isfinite(a) and np.isfinite(b)):
        raise InputError(f"ratio similarity needs two finite numbers, found {a} and {b}")
    if a == b:
        return 1.0
    if a * b <= 0:
        return 0.0
    return min(abs(a), abs(b)) / max(abs(a), abs(b))


def distribution_overlap(p: np.ndarray, q: np.ndarray) -> float:
    """1 - total variation distance of two distributions over the same bins, sum_k min(p_k, q_k)
    after normalising each to unit sum: in [0, 1], 1 for identical shapes, 0 for disjoint support.
    ``p`` and ``q`` must be finite, non-negative, of one size and not all zero (callers check)."""
    p, q = p / p.sum(), q / q.sum()
    return float(np.clip(1.0 - 0.5 * np.abs(p - q).sum(), 0.0, 1.0))
