"""BOLD forward model and preprocessing."""

import numpy as np
import pytest
from reference import balloon_windkessel_euler
from scipy.signal import welch

from fwbm_bench.errors import InputError
from fwbm_bench.observables import BoldSink, impulse_response, preprocess_bold


def test_impulse_response_peaks_4_to_6_s_then_undershoots():
    time_s, bold = impulse_response(duration_s=30.0, impulse_s=0.1)
    peak = time_s[np.argmax(bold)]
    assert 4.0 <= peak <= 6.0
    after = time_s > peak
    assert bold[after].min() < 0  # post-stimulus undershoot
    assert 10.0 < time_s[after][np.argmin(bold[after])] < 16.0
    assert abs(bold[-1]) < 0.1 * bold.max()  # back near baseline by 30 s


def test_bold_matches_scalar_reference():
    rng = np.random.default_rng(0)
    drive = rng.random(5000) * 0.3
    sink = BoldSink(input_period_ms=1.0, tr_s=0.001)
    sink(drive[:, None, None, None])
    np.testing.assert_allclose(sink.bold()[:, 0, 0], balloon_windkessel_euler(drive, 0.001), rtol=1e-10)


def test_streaming_in_chunks_equals_one_call_and_samples_every_tr():
    rng = np.random.default_rng(1)
    drive = rng.random((7300, 2, 3))
    whole = BoldSink(1.0, 0.72)
    whole(drive[:, None])
    pieces = BoldSink(1.0, 0.72)
    for start in range(0, 7300, 333):
        pieces(drive[start:start + 333, None])
    np.testing.assert_array_equal(whole.bold(), pieces.bold())
    assert whole.bold().shape == (10, 2, 3)  # floor(7.3 s / 0.72 s)


def test_preprocessing_zscores_and_band_limits(rng):
    tr = 0.72
    t = np.arange(1200) * tr
    series = np.vstack([np.sin(2 * np.pi * 0.03 * t) + np.sin(2 * np.pi * 0.3 * t) + 0.01 * t,
                        rng.standard_normal(1200)])
    clean = preprocess_bold(series, tr)
    np.testing.assert_allclose(clean.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(clean.std(axis=1), 1)
    freqs, power = welch(clean[0], fs=1 / tr, nperseg=256)
    assert power[np.argmin(abs(freqs - 0.3))] < 1e-3 * power[np.argmin(abs(freqs - 0.03))]


def test_preprocessing_rejects_bands_above_nyquist():
    with pytest.raises(InputError, match="must lie inside"):
        preprocess_bold(np.ones((2, 100)), tr_s=10.0)


def test_bold_from_a_10ms_averaged_drive_matches_the_1ms_drive():
    """The pipeline drives BOLD with the neural signal averaged over 10 ms (rest.BOLD_DRIVE_PERIOD_MS):
    against a 1 ms drive, the BOLD differs by < 1 % of its range and correlates > 0.9999."""
    from fwbm_bench.pipeline.rest import BOLD_DRIVE_PERIOD_MS

    rng = np.random.default_rng(5)
    n_steps, decimation = 200_000, round(BOLD_DRIVE_PERIOD_MS)
    drive = np.zeros((n_steps, 1, 3, 1))
    state = np.zeros(3)
    for t in range(1, n_steps):  # Ornstein-Uhlenbeck drive, 100 ms correlation time
        state += -state / 100.0 + rng.normal(0.0, 0.05, 3)
        drive[t, 0, :, 0] = state
    fine, coarse = BoldSink(1.0, 0.72), BoldSink(BOLD_DRIVE_PERIOD_MS, 0.72)
    fine(drive)
    coarse(drive.reshape(n_steps // decimation, decimation, 1, 3, 1).mean(axis=1))
    a, b = fine.bold()[100:, :, 0], coarse.bold()[100:, :, 0]  # after the start-up transient
    assert a.shape == b.shape
    assert np.abs(a - b).max() < 0.01 * np.abs(a).max()
    assert min(np.corrcoef(a[:, i], b[:, i])[0, 1] for i in range(3)) > 0.9999
