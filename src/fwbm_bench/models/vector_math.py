"""Elementary functions that LLVM can vectorise: for node models' batch forms and the noise.

numba compiles ``math.exp``, ``math.log``, ``math.sin`` and ``math.cos`` to calls into the C
library, which a loop over batch elements cannot vectorise unless numba's SVML support is
present (``numba -s`` reports "SVML Operational: False" on our machines). The functions here
are written in plain arithmetic instead, each within one or two ulp of the correctly rounded
value (tests/test_vector_math.py).

:func:`exp` uses
Cody & Waite's range reduction x = k ln 2 + r with |r| <= ln(2) / 2 and ln 2 split in two
parts (Cody & Waite 1980, "Software Manual for the Elementary Functions", ch. 6, the split
of fdlibm's ``e_exp.c``), the Taylor polynomial of exp(r) to degree 13 (truncation error
below 5e-18, so the result is within about one ulp of the exact value), and 2^k built from
its bits in two factors, so that subnormal results are rounded once. Overflow gives inf,
underflow 0, and NaN stays NaN, as with ``math.exp``.

:func:`log` splits x = 2^k m with m in [sqrt(1/2), sqrt(2)) from its bits; then
ln m = 2 atanh(s) with s = (m - 1) / (m + 1), |s| < 0.172, as 2s + s z P(z) with z = s^2 and
P the degree-6 minimax polynomial of fdlibm's ``e_log.c`` (Sun Microsystems, fdlibm 5.3, 1993; error
below 2^-58.45 on that range), and ln x = k ln 2 + ln m with ln 2 in Cody & Waite's two parts.
:func:`cos_sin_of_turns` gives cos(2 pi u) and sin(2 pi u) for u in turns: 4u minus its
nearest integer n is exact, so the reduction to |theta| <= pi / 4 costs no accuracy; sin and
cos on that range are fdlibm's minimax polynomials of degree 13 and 14 (``k_sin.c`` and
``k_cos.c``, each within 2^-58 of the function), then the quadrant n mod 4 by symmetry.

Every polynomial is evaluated by Horner's rule with fused multiply-adds
(:func:`fused_multiply_add`, rounded once per step: half the instructions, and no less
accurate than a separate multiply and add).

Models call the same function in their scalar and their batch form, so both forms give
bit-identical results (checked by :func:`fwbm_bench.testing.check_node_model`).
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from fwbm_bench._numba import njit

_LOG2_E = 1.4426950408889634
_LN2_HIGH = 6.93147180369123816490e-01  # upper bits of ln 2: k * _LN2_HIGH is exact for |k| < 2^11
_LN2_LOW = 1.90821492927058770002e-10  # ln 2 - _LN2_HIGH
_EXP_OVERFLOW = 710.0  # exp(x) > DBL_MAX beyond 709.78
_EXP_UNDERFLOW = -746.0  # exp(x) < half the smallest subnormal below -745.13
_EXPONENT_BIAS = 1023
_ROUNDING_SHIFT = 6755399441055744.0  # 1.5 * 2^52: adding and subtracting it rounds |y| < 2^51 to an integer
_MANTISSA_BITS = 52


@intrinsic
def _float_from_bits(typingctx, bits):
    """The float64 whose IEEE-754 bits are the int64 ``bits``: one LLVM bitcast. (A scalar
    ``.view(np.float64)`` compiles to a call, which keeps LLVM from vectorising the loop.)"""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


@intrinsic
def _bits_of_float(typingctx, x):
    """The IEEE-754 bits of the float64 ``x`` as an int64: one LLVM bitcast."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return types.int64(types.float64), codegen


@intrinsic
def fused_multiply_add(typingctx, a, b, c):
    """a * b + c rounded once (IEEE-754 fusedMultiplyAdd): LLVM's ``llvm.fma``, one instruction
    on CPUs with FMA, vectorisable, and the same result in scalar and SIMD code."""
    def codegen(context, builder, signature, args):
        double = ir.DoubleType()
        fma = builder.module.declare_intrinsic("llvm.fma", [double], ir.FunctionType(double, [double] * 3))
        return builder.call(fma, args)
    return types.float64(types.float64, types.float64, types.float64), codegen


@njit(inline="always")
def _degree_5(z, c5, c4, c3, c2, c1, c0):
    """c5 z^5 + c4 z^4 + ... + c0 by Horner's rule, one fused multiply-add per coefficient."""
    p = fused_multiply_add(c5, z, c4)
    p = fused_multiply_add(p, z, c3)
    p = fused_multiply_add(p, z, c2)
    p = fused_multiply_add(p, z, c1)
    return fused_multiply_add(p, z, c0)


@njit(inline="always")
def _power_of_two(k):
    """2.0 ** k for an integer k in [-1022, 1023], from its bits."""
    return _float_from_bits((k + _EXPONENT_BIAS) << _MANTISSA_BITS)


@njit(inline="always")
def exp(x):
    """e ** x for a float64 ``x``, within about one ulp, vectorisable (module docstring)."""
    # conditional expressions, not min/max: numba compiles those to calls (no SIMD), and NaN -> 710 here
    reduced = x if x < _EXP_OVERFLOW else _EXP_OVERFLOW  # noqa: FURB136
    reduced = reduced if reduced > _EXP_UNDERFLOW else _EXP_UNDERFLOW  # noqa: FURB136
    k = (reduced * _LOG2_E + _ROUNDING_SHIFT) - _ROUNDING_SHIFT  # nearest integer, without a call
    r = (reduced - k * _LN2_HIGH) - k * _LN2_LOW
    p = 1.0 / 6227020800.0
    p = fused_multiply_add(p, r, 1.0 / 479001600.0)
    p = fused_multiply_add(p, r, 1.0 / 39916800.0)
    p = fused_multiply_add(p, r, 1.0 / 3628800.0)
    p = fused_multiply_add(p, r, 1.0 / 362880.0)
    p = fused_multiply_add(p, r, 1.0 / 40320.0)
    p = fused_multiply_add(p, r, 1.0 / 5040.0)
    p = fused_multiply_add(p, r, 1.0 / 720.0)
    p = fused_multiply_add(p, r, 1.0 / 120.0)
    p = fused_multiply_add(p, r, 1.0 / 24.0)
    p = fused_multiply_add(p, r, 1.0 / 6.0)
    p = fused_multiply_add(p, r, 0.5)
    p = fused_multiply_add(p, r, 1.0)
    p = fused_multiply_add(p, r, 1.0)
    exponent = np.int64(k)
    half = exponent >> 1
    result = (p * _power_of_two(half)) * _power_of_two(exponent - half)
    return result if x == x else x  # noqa: PLR0124 (x != x only for NaN, which stays NaN)


# minimax coefficients of fdlibm's e_log.c (Sun Microsystems 1993): (ln m - 2s) / s = sum_k Lg_k s^2k
# within 2^-58.45 for |s| <= 0.1716
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01
_SQRT_HALF_BITS = 0x3FE6A09E667F3BCD  # bits of sqrt(1/2) rounded down: the mantissa range starts here
_SMALLEST_NORMAL = 2.2250738585072014e-308
_TWO_TO_54 = 18014398509481984.0


@njit(inline="always")
def log(x):
    """ln x for a float64 ``x``, within about one ulp, vectorisable (module docstring).

    As ``math.log`` except that it returns instead of raising: -inf at 0, NaN below 0 and
    for NaN, inf at inf.
    """
    subnormal = x < _SMALLEST_NORMAL
    scaled = x * _TWO_TO_54 if subnormal else x
    bits = _bits_of_float(scaled)
    k = (bits - _SQRT_HALF_BITS) >> _MANTISSA_BITS  # the exponent that puts m in [sqrt(1/2), sqrt(2))
    m = _float_from_bits(bits - (k << _MANTISSA_BITS))
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    p = fused_multiply_add(_degree_5(z, _LG7, _LG6, _LG5, _LG4, _LG3, _LG2), z, _LG1)
    exponent = float(k) - (54.0 if subnormal else 0.0)
    # ln m = 2s + s z p, with 2s = f - f s: f is exact, so only the small terms are rounded
    result = exponent * _LN2_HIGH + (f - (f * s - (s * z * p + exponent * _LN2_LOW)))
    result = result if x > 0.0 else (-np.inf if x == 0.0 else np.nan)
    return result if x < np.inf else x  # inf stays inf, NaN stays NaN


_HALF_PI = 1.5707963267948966
# minimax coefficients of fdlibm's k_sin.c and k_cos.c (Sun Microsystems 1993) on |theta| <= pi/4:
# sin theta = theta + sum_k S_k theta^(2k+1) and cos theta = 1 - theta^2 / 2 + sum_k C_k theta^(2k+2),
# each within 2^-58 of the exact function
_S1 = -1.66666666666666324348e-01
_S2 = 8.33333333332248946124e-03
_S3 = -1.98412698298579493134e-04
_S4 = 2.75573137070700676789e-06
_S5 = -2.50507602534068634195e-08
_S6 = 1.58969099521155010221e-10
_C1 = 4.16666666666666019037e-02
_C2 = -1.38888888888741095749e-03
_C3 = 2.48015872894767294178e-05
_C4 = -2.75573143513906633035e-07
_C5 = 2.08757232129817482790e-09
_C6 = -1.13596475577881948265e-11


@njit(inline="always")
def cos_sin_of_turns(u):
    """(cos 2 pi u, sin 2 pi u) for a float64 ``u`` in turns with |u| < 2^50, each within about one ulp
    of 1, vectorisable (module docstring)."""
    quarter_turns = 4.0 * u
    nearest = (quarter_turns + _ROUNDING_SHIFT) - _ROUNDING_SHIFT
    theta = (quarter_turns - nearest) * _HALF_PI  # in [-pi/4, pi/4]
    quadrant = np.int64(nearest) & 3
    z = theta * theta
    sine = theta + theta * z * _degree_5(z, _S6, _S5, _S4, _S3, _S2, _S1)
    c = fused_multiply_add(_degree_5(z, -_C6, -_C5, -_C4, -_C3, -_C2, -_C1), z, 0.5)
    cosine = 1.0 - z * c
    # rotation by quadrant * 90 degrees as selects and signs: chains of conditionals keep LLVM from vectorising
    odd = (quadrant & 1) == 1
    cos_sign = -1.0 if ((quadrant + 1) & 2) == 2 else 1.0
    sin_sign = -1.0 if (quadrant & 2) == 2 else 1.0
    return cos_sign * (sine if odd else cosine), sin_sign * (cosine if odd else sine)
