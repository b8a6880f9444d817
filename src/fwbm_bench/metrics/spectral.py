"""BOLD power spectrum on a common frequency grid, and the similarity of two spectra.

Pure functions: arrays in, numbers out. Time series are regions x samples, sampled every
``tr_s`` seconds; frequencies are in Hz. The spectrum is estimated with Welch's method
(Welch 1967, IEEE Trans Audio Electroacoust 15:70) per region, averaged over regions,
restricted to a band (default 0.008-0.08 Hz, the band of the BOLD preprocessing;
literature.md section 6) and resampled onto a fixed grid, then normalised to unit sum, so
that series recorded at different TRs or of different lengths give comparable spectra. Only
the shape of the spectrum inside the band is compared, not its absolute power.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.errors import InputError
from fwbm_bench.metrics.common import as_timeseries, distribution_overlap

DEFAULT_BAND_HZ = (0.008, 0.08)
DEFAULT_WINDOW_S = 60.0
DEFAULT_GRID_POINTS = 64
MIN_BINS_IN_BAND = 3


def _check_band(band_hz, tr_s) -> tuple[float, float]:
    if tr_s is None or not np.isfinite(tr_s) or tr_s <= 0:
        raise InputError(f"spectrum: expected a positive repetition time tr_s in seconds, found {tr_s}")
    try:
        low, high = (float(f) for f in band_hz)
    except (TypeError, ValueError):
        raise InputError(f"spectrum: expected band_hz = (low, high) in Hz, found {band_hz!r}") from None
    nyquist = 0.5 / tr_s
    if not 0 <= low < high <= nyquist:
        raise InputError(f"spectrum: band {band_hz} Hz must satisfy 0 <= low < high <= Nyquist "
                         f"({nyquist:.4f} Hz at TR {tr_s} s)")
    return low, high


def frequency_grid(band_hz=DEFAULT_BAND_HZ, n_points: int = DEFAULT_GRID_POINTS) -> np.ndarray:
    """The common grid: ``n_points`` equally spaced frequencies (Hz) from band low to band high."""
    low, high = (float(f) for f in band_hz)
    return np.linspace(low, high, n_points)


def bold_power_spectrum(bold, tr_s: float, band_hz=DEFAULT_BAND_HZ, window_s: float = DEFAULT_WINDOW_S,
                        n_points: int = DEFAULT_GRID_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Region-averaged Welch spectrum of ``bold`` inside ``band_hz``, normalised to unit sum.

    Parameters
    ----------
    bold : (regions, samples) array, any units (the normalisation removes them).
    tr_s : sampling interval in seconds.
    band_hz : (low, high) band in Hz; must lie within [0, Nyquist].
    window_s : Welch segment length in seconds (Hann window, 50 % overlap); series shorter
        than one segment use a single segment of their full length. The frequency
        resolution is 1 / segment length, and at least 3 resolution steps must fit inside
        the band.
    n_points : size of the common frequency grid.

    Returns
    -------
    freqs : (n_points,) frequencies in Hz (:func:`frequency_grid`).
    power : (n_points,) non-negative, sums to 1: the region-averaged power spectral
        density linearly interpolated onto ``freqs``.
    """
    low, high = _check_band(band_hz, tr_s)
    bold = as_timeseries(bold, "spectrum BOLD", min_samples=8)
    nperseg = min(max(8, round(window_s / tr_s)), bold.shape[1])
    resolution_hz = 1.0 / (nperseg * tr_s)
    if (high - low) / resolution_hz < MIN_BINS_IN_BAND:
        raise InputError(f"spectrum: {bold.shape[1]} samples at TR {tr_s} s give a frequency resolution of "
                         f"{resolution_hz:.4f} Hz, too coarse for the band {band_hz} Hz (need "
                         f">= {MIN_BINS_IN_BAND} steps inside it)")
    from scipy.signal import welch  # scipy.signal takes ~0.5 s to import: only in jobs that use it

    freqs, psd = welch(bold, fs=1.0 / tr_s, window="hann", nperseg=nperseg, axis=1)
    grid = frequency_grid((low, high), n_points)
    power = np.interp(grid, freqs, psd.mean(axis=0))
    total = power.sum()
    if total <= 0:
        raise InputError(f"spectrum: the BOLD has no power inside the band {band_hz} Hz")
    return grid, power / total


def spectrum_similarity(p: np.ndarray, q: np.ndarray) -> float:
    """1 - total variation distance between two spectra on one grid: sum_k min(p_k, q_k).

    Both inputs are normalised to unit sum first; the result is in [0, 1], 1 for identical
    spectral shapes and 0 for spectra with disjoint support.
    """
    p, q = np.ravel(np.asarray(p, dtype=float)), np.ravel(np.asarray(q, dtype=float))
    if p.shape != q.shape or p.size == 0:
        raise InputError(f"spectrum similarity needs two spectra on one grid, found sizes {p.size} and {q.size}")
    if (p < 0).any() or (q < 0).any() or p.sum() <= 0 or q.sum() <= 0:
        raise InputError("spectrum similarity needs non-negative spectra with positive total power")
    return distribution_overlap(p, q)
