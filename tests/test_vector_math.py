"""The vectorisable exponential the batch forms use: against NumPy's, ulp by ulp, and at the edges."""

import numpy as np
from numba import njit

from fwbm_bench.models.vector_math import exp


@njit
def _exp_all(x, out):
    for k in range(x.shape[0]):
        out[k] = exp(x[k])


def test_exp_is_within_one_ulp_of_numpy_everywhere():
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.uniform(-745.0, 709.7, 200_000), rng.uniform(-2.0, 2.0, 200_000),
                        np.linspace(-1e-8, 1e-8, 1001)])
    ours, reference = np.empty_like(x), np.exp(x)
    _exp_all(x, ours)
    ulps = np.abs(ours - reference) / np.spacing(reference)
    assert ulps.max() <= 1.0
    normal = reference > np.finfo(float).tiny
    assert np.median(ulps[normal]) == 0.0  # mostly the correctly rounded value


def test_exp_overflows_underflows_and_keeps_nan_as_math_exp():
    x = np.array([0.0, -0.0, 709.78, 709.79, 1e4, np.inf, -745.1, -745.2, -1e4, -np.inf, np.nan, 1.0])
    ours = np.empty_like(x)
    _exp_all(x, ours)
    with np.errstate(over="ignore"):
        reference = np.exp(x)
    special = ~np.isfinite(reference) | (reference == 0.0)
    np.testing.assert_array_equal(ours[special], reference[special])  # inf, 0 and nan exactly
    finite = ~special
    assert (np.abs(ours[finite] - reference[finite]) <= np.spacing(reference[finite])).all()  # others within 1 ulp
