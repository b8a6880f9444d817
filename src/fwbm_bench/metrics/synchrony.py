"""Phase synchrony of BOLD: Kuramoto order parameter, metastability and synchrony.

Pure functions: arrays in, numbers out. Time series are regions x samples and should already
be band-passed (the preprocessing of :mod:`fwbm_bench.observables.preprocess`, 0.008-0.08 Hz
by default): the phase of the analytic signal is only meaningful for a narrow-band signal.

    theta_n(t) = angle(hilbert(x_n - mean(x_n)))(t)
    R(t)       = | (1/N) sum_n exp(i theta_n(t)) |,   dimensionless, in [0, 1]
    metastability = SD over t of R(t)   (population SD, ddof = 0)
    synchrony     = mean over t of R(t)

The first and last ``EDGE_SAMPLES`` = 10 samples of R(t) are dropped because the Hilbert
transform is distorted at the ends of a finite series. This follows the Deco-lab original
(MATLAB ``T = 10:Tmax-10``, which keeps 1-based sample 10 and so drops 9 samples at the start;
here 10 are dropped at both ends) and its Python port (WholeBrain ``Metastability.py``,
``np.std``); literature.md section 6. The trim is in samples, not seconds, as in the original.

Sources: Shanahan 2010, Chaos 20:013108; Cabral et al. 2011, NeuroImage 57:130;
Deco et al. 2017, Sci Rep 7:3095.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.errors import InputError
from fwbm_bench.metrics.common import as_timeseries

EDGE_SAMPLES = 10
MIN_KEPT_SAMPLES = 10


def instantaneous_phases(timeseries) -> np.ndarray:
    """Phases in radians, (regions, samples): the angle of the analytic signal of each demeaned region."""
    timeseries = as_timeseries(timeseries, "phases BOLD", min_samples=3)
    from scipy.signal import hilbert  # scipy.signal takes ~0.5 s to import: only in jobs that use it

    return np.angle(hilbert(timeseries - timeseries.mean(axis=1, keepdims=True), axis=1))


def order_parameter_from_phases(phases, edge_samples: int = EDGE_SAMPLES) -> np.ndarray:
    """Kuramoto order parameter R(t) of a (regions, samples) array of phases in radians.

    Returns R(t) for t = edge_samples, ..., samples - edge_samples - 1 (dimensionless, [0, 1]).
    """
    phases = np.asarray(phases, dtype=float)
    if phases.ndim != 2:
        raise InputError(f"order parameter: expected regions x samples phases, found shape {phases.shape}")
    kept = phases.shape[1] - 2 * edge_samples
    if kept < MIN_KEPT_SAMPLES:
        raise InputError(f"order parameter: {phases.shape[1]} samples leave {kept} after dropping "
                         f"{edge_samples} at each end (need >= {MIN_KEPT_SAMPLES})")
    trimmed = phases[:, edge_samples : phases.shape[1] - edge_samples]
    return np.abs(np.exp(1j * trimmed).mean(axis=0))


def kuramoto_order_parameter(timeseries, edge_samples: int = EDGE_SAMPLES) -> np.ndarray:
    """R(t) of band-passed BOLD (regions x samples): Hilbert phases, then :func:`order_parameter_from_phases`."""
    return order_parameter_from_phases(instantaneous_phases(timeseries), edge_samples)


def metastability(timeseries, edge_samples: int = EDGE_SAMPLES) -> float:
    """Standard deviation over time of the Kuramoto order parameter R(t) (dimensionless)."""
    return float(np.std(kuramoto_order_parameter(timeseries, edge_samples)))


def synchrony(timeseries, edge_samples: int = EDGE_SAMPLES) -> float:
    """Mean over time of the Kuramoto order parameter R(t) (dimensionless, in [0, 1])."""
    return float(np.mean(kuramoto_order_parameter(timeseries, edge_samples)))
