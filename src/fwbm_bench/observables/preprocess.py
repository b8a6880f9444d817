"""Identical preprocessing for simulated and empirical BOLD.

Linear detrend, zero-phase 2nd-order Butterworth band-pass 0.008-0.08 Hz (``filtfilt``), then
z-scoring per region: the filter of the Deco-lab pipelines (WholeBrain ``BOLDFilters.py``,
literature.md section 6). The band is given in Hz and applied at each series' own TR.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.data.validate import check_not_constant
from fwbm_bench.errors import InputError

DEFAULT_BAND_HZ = (0.008, 0.08)


def preprocess_bold(bold: np.ndarray, tr_s: float, band_hz=DEFAULT_BAND_HZ,
                    what: str = "BOLD") -> np.ndarray:
    """Detrend, band-pass and z-score ``bold`` (regions x volumes) sampled every ``tr_s``."""
    bold = np.asarray(bold, dtype=float)
    if bold.ndim != 2:
        raise InputError(f"{what}: expected regions x volumes, found shape {bold.shape}")
    nyquist = 0.5 / tr_s
    low, high = band_hz
    if not 0 < low < high < nyquist:
        raise InputError(f"{what}: band {band_hz} Hz must lie inside (0, {nyquist:.3f}) Hz for TR {tr_s} s")
    from scipy.signal import butter, detrend, filtfilt  # scipy.signal takes ~0.5 s to import: only in jobs that use it

    b, a = butter(2, [low / nyquist, high / nyquist], btype="band")
    min_len = 3 * max(len(a), len(b))
    if bold.shape[1] <= min_len:
        raise InputError(f"{what}: {bold.shape[1]} volumes are too few to band-pass (need > {min_len})")
    if not np.isfinite(bold).all():
        raise InputError(f"{what}: {int((~np.isfinite(bold)).any(axis=1).sum())} region(s) have non-finite values")
    check_not_constant(bold, what)
    filtered = filtfilt(b, a, detrend(bold, axis=1), axis=1)
    sd = filtered.std(axis=1, keepdims=True)
    if (sd == 0).any():
        raise InputError(f"{what}: {int((sd == 0).sum())} region(s) have a constant time series after filtering")
    return (filtered - filtered.mean(axis=1, keepdims=True)) / sd
