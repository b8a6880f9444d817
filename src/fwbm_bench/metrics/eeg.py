"""EEG spectral metrics: Welch power spectra, alpha-peak frequency, band powers, similarities.

Pure functions: arrays in, numbers out. EEG is channels x samples (or one channel, 1-D),
sampling periods are in ms, frequencies in Hz. Power spectral densities are in the EEG's
units squared per Hz (arbitrary units for the tvb-data lead fields, observables.eeg).

Conventions
-----------
* Spectrum: Welch's method (Welch 1967, IEEE Trans Audio Electroacoust 15:70), Hann
  windows of ``segment_s`` (default 2 s, i.e. 0.5 Hz resolution), 50 % overlap, each
  segment's mean removed (``scipy.signal.welch`` defaults otherwise).
* Alpha-peak frequency: the frequency of the maximum of the channel-averaged spectrum in
  the closed search band 7-14 Hz, 1 Hz wider on each side than the classical 8-13 Hz alpha
  band so that alpha peaks near its edges are still interior maxima (the individual alpha
  frequency is about 10 Hz in healthy adults and varies between them by about 1 Hz;
  Klimesch 1999, Brain Res Rev 29:169). It is a bin frequency, exact to half the resolution
  1 / segment_s; a spectrum without an alpha peak returns a band edge.
* Bands: half-open intervals delta [1, 4), theta [4, 8), alpha [8, 13), beta [13, 30) Hz
  that tile the total band [1, 30) Hz, so relative powers (band power / total power)
  sum to 1. Band power is the rectangle-rule integral of the channel-averaged spectrum.
* Similarities lie in [0, 1], 1 for identical values: a Gaussian of the alpha-peak
  difference (width 1 Hz, of the order of the inter-individual spread of the individual
  alpha frequency), and 1 - the total-variation distance between relative band powers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from fwbm_bench.errors import InputError
from fwbm_bench.metrics.common import distribution_overlap

EEG_BANDS_HZ = {"delta": (1.0, 4.0), "theta": (4.0, 8.0), "alpha": (8.0, 13.0), "beta": (13.0, 30.0)}
TOTAL_BAND_HZ = (1.0, 30.0)
ALPHA_SEARCH_BAND_HZ = (7.0, 14.0)
ALPHA_PEAK_WIDTH_HZ = 1.0


def eeg_power_spectrum(eeg, sampling_period_ms: float, segment_s: float = 2.0):
    """Welch power spectral density of each channel.

    Parameters
    ----------
    eeg : (n_channels, n_samples) or (n_samples,) array
    sampling_period_ms : time between samples, in ms
    segment_s : Welch segment length in s (frequency resolution 1 / segment_s Hz)

    Returns
    -------
    freqs : (n_freqs,) in Hz, 0 to the Nyquist frequency
    power : (n_channels, n_freqs) (or (n_freqs,) for 1-D input), units^2 / Hz
    """
    eeg = np.asarray(eeg, dtype=float)
    if eeg.ndim not in (1, 2):
        raise InputError(f"EEG spectrum: expected channels x samples, found shape {eeg.shape}")
    if not np.isfinite(eeg).all():
        raise InputError("EEG spectrum: the signal has non-finite values")
    if not (np.isfinite(sampling_period_ms) and sampling_period_ms > 0):
        raise InputError(f"EEG spectrum: sampling period must be a positive number of ms, found {sampling_period_ms}")
    if not (np.isfinite(segment_s) and segment_s > 0):
        raise InputError(f"EEG spectrum: segment_s must be a positive number of seconds, found {segment_s}")
    fs_hz = 1000.0 / sampling_period_ms
    nperseg = round(segment_s * fs_hz)
    if nperseg < 8:
        raise InputError(f"EEG spectrum: a {segment_s} s segment holds only {nperseg} samples at "
                         f"{fs_hz:g} Hz (need >= 8)")
    if eeg.shape[-1] < nperseg:
        raise InputError(f"EEG spectrum: {eeg.shape[-1]} samples ({eeg.shape[-1] / fs_hz:g} s) are fewer than "
                         f"one {segment_s} s Welch segment ({nperseg} samples); simulate longer or shorten segment_s")
    from scipy.signal import welch  # scipy.signal takes ~0.5 s to import: only in jobs that use it

    return welch(eeg, fs=fs_hz, window="hann", nperseg=nperseg, noverlap=nperseg // 2,
                 detrend="constant", scaling="density", axis=-1)


def _mean_spectrum(freqs, power, what: str):
    freqs = np.asarray(freqs, dtype=float)
    power = np.asarray(power, dtype=float)
    if freqs.ndim != 1 or freqs.size < 2 or power.ndim not in (1, 2) or power.shape[-1] != freqs.size:
        raise InputError(f"{what}: expected freqs (n_freqs,) and power (n_freqs,) or (n_channels, n_freqs), "
                         f"found shapes {freqs.shape} and {power.shape}")
    if not (np.isfinite(freqs).all() and np.isfinite(power).all()) or (power < 0).any():
        raise InputError(f"{what}: frequencies and power must be finite and power non-negative")
    if (np.diff(freqs) <= 0).any():
        raise InputError(f"{what}: frequencies must increase")
    return freqs, (power.mean(axis=0) if power.ndim == 2 else power)


def _check_band(band, what: str):
    try:
        low, high = (float(v) for v in band)
    except (TypeError, ValueError):
        raise InputError(f"{what}: a band is a (low, high) pair in Hz, found {band!r}") from None
    if not (np.isfinite(low) and np.isfinite(high) and 0 <= low < high):
        raise InputError(f"{what}: a band needs 0 <= low < high Hz, found ({low}, {high})")
    return low, high


def alpha_peak_frequency(freqs, power, band_hz=ALPHA_SEARCH_BAND_HZ) -> float:
    """Frequency (Hz) of the maximum of the channel-averaged spectrum within ``band_hz`` (closed).

    ``freqs`` (n_freqs,) in Hz and ``power`` (n_freqs,) or (n_channels, n_freqs), e.g. from
    :func:`eeg_power_spectrum`.
    """
    freqs, mean = _mean_spectrum(freqs, power, "alpha peak")
    low, high = _check_band(band_hz, "alpha peak")
    inside = (freqs >= low) & (freqs <= high)
    if not inside.any():
        raise InputError(f"alpha peak: no frequency bin in the search band {low:g}-{high:g} Hz "
                         f"(spectrum covers {freqs[0]:g}-{freqs[-1]:g} Hz in steps of {freqs[1] - freqs[0]:g} Hz)")
    if mean[inside].max() <= 0:
        raise InputError(f"alpha peak: the spectrum is zero in {low:g}-{high:g} Hz (flat signal)")
    return float(freqs[inside][np.argmax(mean[inside])])


def band_powers(freqs, power, bands: Mapping = EEG_BANDS_HZ, total_band_hz=TOTAL_BAND_HZ,
                relative: bool = True) -> dict[str, float]:
    """Power of the channel-averaged spectrum in each band [low, high) Hz.

    Returns name -> power: relative (fraction of the power in ``total_band_hz``, default
    1-30 Hz; the default bands tile it, so the fractions sum to 1) or, if not ``relative``,
    absolute (rectangle rule, units^2).
    """
    freqs, mean = _mean_spectrum(freqs, power, "band powers")
    if not isinstance(bands, Mapping) or not bands:
        raise InputError(f"band powers: bands must be a non-empty mapping name -> (low, high) Hz, found {bands!r}")
    df = freqs[1] - freqs[0]
    limits = {name: _check_band(band, f"band powers ({name})") for name, band in bands.items()}
    total_low, total_high = _check_band(total_band_hz, "band powers (total)")
    result = {}
    for name, (low, high) in list(limits.items()) + [("__total__", (total_low, total_high))]:
        if high > freqs[-1] + 0.5 * df:
            raise InputError(f"band powers: band {name} ({low:g}-{high:g} Hz) extends beyond the spectrum's "
                             f"{freqs[-1]:g} Hz (Nyquist frequency); sample faster")
        inside = (freqs >= low) & (freqs < high)
        if not inside.any():
            raise InputError(f"band powers: band {name} ({low:g}-{high:g} Hz) holds no frequency bin at "
                             f"{df:g} Hz resolution; use longer Welch segments")
        result[name] = float(mean[inside].sum() * df)
    total = result.pop("__total__")
    if not relative:
        return result
    if total <= 0:
        raise InputError(f"band powers: no power in {total_low:g}-{total_high:g} Hz (flat signal)")
    return {name: value / total for name, value in result.items()}


def _positive_number(value, what: str) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number, found {value!r}") from None
    if not (np.isfinite(value) and value > 0):
        raise InputError(f"{what} must be a positive finite number, found {value}")
    return value


def alpha_peak_similarity(model_hz: float, reference_hz: float, width_hz: float = ALPHA_PEAK_WIDTH_HZ) -> float:
    """exp(-(model - reference)^2 / (2 width^2)) in (0, 1]; 1 for identical frequencies.

    With the default width of 1 Hz: 0.61 at 1 Hz difference, 0.14 at 2 Hz, 0.01 at 3 Hz.
    """
    model_hz = _positive_number(model_hz, "alpha peak similarity: model frequency (Hz)")
    reference_hz = _positive_number(reference_hz, "alpha peak similarity: reference frequency (Hz)")
    width_hz = _positive_number(width_hz, "alpha peak similarity: width (Hz)")
    return float(np.exp(-0.5 * ((model_hz - reference_hz) / width_hz) ** 2))


def band_power_similarity(model: Mapping, reference: Mapping) -> float:
    """1 - total-variation distance between two sets of relative band powers, in [0, 1].

    ``model`` and ``reference`` map the same band names to non-negative powers; each is
    normalised to sum 1 over the bands, then 1 - 0.5 sum |p - q| is returned (1 for identical
    distributions, 0 for power in disjoint bands).
    """
    if not isinstance(model, Mapping) or not isinstance(reference, Mapping):
        raise InputError("band power similarity: expected two mappings band name -> relative power")
    if set(model) != set(reference) or not model:
        raise InputError(f"band power similarity: both need the same bands, found {sorted(model)} and "
                         f"{sorted(reference)}")
    names = sorted(model)
    try:
        p = np.array([model[name] for name in names], dtype=float)
        q = np.array([reference[name] for name in names], dtype=float)
    except (TypeError, ValueError):
        raise InputError("band power similarity: band powers must be numbers") from None
    for values, what in ((p, "model"), (q, "reference")):
        if not np.isfinite(values).all() or (values < 0).any() or values.sum() <= 0:
            raise InputError(f"band power similarity: {what} band powers must be finite, non-negative and not all "
                             f"zero, found {dict(zip(names, values.tolist()))}")
    return distribution_overlap(p, q)


__all__ = [
    "ALPHA_SEARCH_BAND_HZ",
    "EEG_BANDS_HZ",
    "TOTAL_BAND_HZ",
    "alpha_peak_frequency",
    "alpha_peak_similarity",
    "band_power_similarity",
    "band_powers",
    "eeg_power_spectrum",
]
