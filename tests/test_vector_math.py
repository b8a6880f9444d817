"""The vectorisable exp, log, cosine and sine: against NumPy's (exp, log) or extended-precision values, and at the edges."""

import numpy as np
from numba import njit

from fwbm_bench.models.vector_math import cos_sin_of_turns, exp, fused_multiply_add, log


@njit
def _exp_all(x, out):
    for k in range(x.shape[0]):
        out[k] = exp(x[k])


@njit
def _log_all(x, out):
    for k in range(x.shape[0]):
        out[k] = log(x[k])


@njit
def _cos_sin_all(u, cosines, sines):
    for k in range(u.shape[0]):
        cosines[k], sines[k] = cos_sin_of_turns(u[k])


@njit
def _fma_all(a, b, c, out):
    for k in range(a.shape[0]):
        out[k] = fused_multiply_add(a[k], b[k], c[k])


def test_fused_multiply_add_rounds_once_as_exact_rational_arithmetic():
    from fractions import Fraction

    eps = 2.0 ** -30
    a, b, c = np.array([1.0 + eps]), np.array([1.0 - eps]), np.array([-1.0])
    out = np.empty(1)
    _fma_all(a, b, c, out)
    assert out[0] == -(2.0 ** -60)  # a * b rounds to 1 first, so an unfused multiply-add gives 0
    assert (a * b + c)[0] == 0.0
    rng = np.random.default_rng(2)
    a, b, c = (rng.standard_normal(3000) * 10.0 ** rng.integers(-5, 5, 3000) for _ in range(3))
    out = np.empty_like(a)
    _fma_all(a, b, c, out)  # a loop of 3000: LLVM's vector code, as in the models
    exact = [float(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c)]  # float() rounds to nearest
    np.testing.assert_array_equal(out, exact)


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


def test_log_is_within_one_ulp_of_numpy_and_exact_at_powers_of_two():
    rng = np.random.default_rng(6)
    x = np.concatenate([10.0 ** rng.uniform(-307, 308, 200_000), rng.uniform(0.0, 1.0, 200_000),
                        1.0 + np.linspace(-1e-6, 1e-6, 2001), [np.nextafter(1.0, 0.0), np.nextafter(1.0, 2.0)]])
    ours = np.empty_like(x)
    _log_all(x, ours)
    reference = np.log(x)
    ulps = np.abs(ours - reference) / np.spacing(np.abs(reference))
    assert ulps[reference != 0.0].max() <= 1.0
    powers = 2.0 ** np.arange(-1074, 1024)  # subnormals too: k ln 2 with ln 2 in two parts
    _log_all(powers, ours := np.empty_like(powers))
    np.testing.assert_allclose(ours, np.arange(-1074, 1024) * np.log(2.0), rtol=2.3e-16, atol=0.0)
    one = np.array([1.0])
    _log_all(one, one)
    assert one[0] == 0.0


def test_log_edges_are_numpys():
    x = np.array([0.0, -0.0, -1.0, -np.inf, np.inf, np.nan, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308])
    ours = np.empty_like(x)
    _log_all(x, ours)
    with np.errstate(divide="ignore", invalid="ignore"):
        reference = np.log(x)
    np.testing.assert_array_equal(ours[:6], reference[:6])  # -inf, -inf, nan, nan, inf, nan
    assert (np.abs(ours[6:] - reference[6:]) <= np.spacing(np.abs(reference[6:]))).all()


def test_cos_sin_of_turns_is_within_two_ulp_of_one_against_extended_precision():
    rng = np.random.default_rng(7)
    u = np.concatenate([rng.uniform(0.0, 1.0, 200_000), rng.uniform(-3.0, 3.0, 50_000),
                        np.arange(0.0, 1.0, 1 / 64), [np.nextafter(0.125, 0.0), np.nextafter(1.0, 0.0)]])
    cosines, sines = np.empty_like(u), np.empty_like(u)
    _cos_sin_all(u, cosines, sines)
    pi = np.longdouble("3.14159265358979323846264338327950288")  # np.pi is a double: 1e-16 off
    angle = 2 * pi * u.astype(np.longdouble) if np.finfo(np.longdouble).eps < 1e-18 else None
    if angle is None:  # no extended precision on this platform: NumPy's double functions, one ulp looser
        reference_cos, reference_sin, tolerance = np.cos(2 * np.pi * u), np.sin(2 * np.pi * u), 6e-16
    else:
        reference_cos, reference_sin, tolerance = np.cos(angle), np.sin(angle), 2.3e-16
    assert np.abs(cosines - reference_cos).max() <= tolerance
    assert np.abs(sines - reference_sin).max() <= tolerance
    quarter = np.array([0.0, 0.25, 0.5, 0.75])
    _cos_sin_all(quarter, c := np.empty(4), s := np.empty(4))
    np.testing.assert_array_equal(c, [1.0, 0.0, -1.0, 0.0])
    np.testing.assert_array_equal(s, [0.0, 1.0, 0.0, -1.0])
