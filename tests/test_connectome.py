"""Connectome: normalisation, delays, variants."""

import bct
import numpy as np
import pytest

from fwbm_bench.connectome import build_connectome, delay_steps, normalise_weights
from fwbm_bench.data import load_subject
from fwbm_bench.errors import ConfigError, InputError
from fwbm_bench.metrics import matrix_correlation


def test_max_normalisation(hcp_subject):
    weights = normalise_weights(hcp_subject.weights, "max")
    assert weights.max() == 1.0
    np.testing.assert_array_equal(weights, weights.T)
    assert np.all(np.diag(weights) == 0)
    symmetric = 0.5 * (hcp_subject.weights + hcp_subject.weights.T)
    np.testing.assert_allclose(weights, symmetric / symmetric.max())


def test_delays_in_steps():
    lengths = np.array([[0.0, 100.0], [100.0, 0.0]])
    # 100 mm at 10 m/s = 10 ms = 100 steps of 0.1 ms
    np.testing.assert_array_equal(delay_steps(lengths, 10.0, 0.1), [[0, 100], [100, 0]])
    np.testing.assert_array_equal(delay_steps(lengths, 20.0, 1.0), [[0, 5], [5, 0]])
    with pytest.raises(ConfigError, match="conduction speed must be > 0"):
        delay_steps(lengths, 0.0, 0.1)
    with pytest.raises(InputError, match="tract lengths must be finite and non-negative"):
        delay_steps(-lengths, 10.0, 0.1)


def test_rewired_null_keeps_degrees_and_is_seeded():
    subject = load_subject("tvb-76")  # sparse enough for degree-preserving swaps
    empirical = build_connectome(subject, "empirical")
    rewired = build_connectome(subject, "rewired")
    again = build_connectome(subject, "rewired")
    np.testing.assert_array_equal(bct.degrees_und(rewired.weights), bct.degrees_und(empirical.weights))
    np.testing.assert_array_equal(rewired.weights, again.weights)
    assert np.mean(rewired.weights != empirical.weights) > 0.2
    np.testing.assert_allclose(np.sort(rewired.weights.ravel()), np.sort(empirical.weights.ravel()))


def test_rewiring_a_dense_connectome_warns(hcp_subject, caplog):
    build_connectome(hcp_subject, "rewired")
    assert "degree-preserving swaps are nearly impossible" in caplog.text


def test_shuffled_null_keeps_weights_and_destroys_topology(hcp_subject):
    empirical = build_connectome(hcp_subject, "empirical")
    shuffled = build_connectome(hcp_subject, "shuffled")
    np.testing.assert_array_equal(shuffled.weights, shuffled.weights.T)
    assert np.all(np.diag(shuffled.weights) == 0)
    upper = np.triu_indices(80, 1)
    np.testing.assert_array_equal(np.sort(shuffled.weights[upper]), np.sort(empirical.weights[upper]))
    assert abs(matrix_correlation(shuffled.weights, empirical.weights)) < 0.1
    np.testing.assert_array_equal(shuffled.weights, build_connectome(hcp_subject, "shuffled").weights)


def test_unknown_variant():
    with pytest.raises(ConfigError, match="unknown connectome variant 'lesioned'"):
        build_connectome(None, "lesioned")
