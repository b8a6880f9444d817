"""An exponential that LLVM can vectorise, for node models' batch-vectorised forms.

numba compiles ``math.exp`` to a call into the C library, which a loop over batch elements
cannot vectorise unless numba's SVML support is present (``numba -s`` reports "SVML
Operational: False" on our machines). :func:`exp` is written in plain arithmetic instead:
Cody & Waite's range reduction x = k ln 2 + r with |r| <= ln(2) / 2 and ln 2 split in two
parts (Cody & Waite 1980, "Software Manual for the Elementary Functions", ch. 6, the split
of fdlibm's ``e_exp.c``), the Taylor polynomial of exp(r) to degree 13 (truncation error
below 5e-18, so the result is within about one ulp of the exact value), and 2^k built from
its bits in two factors, so that subnormal results are rounded once. Overflow gives inf,
underflow 0, and NaN stays NaN, as with ``math.exp``.

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
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    exponent = np.int64(k)
    half = exponent >> 1
    result = (p * _power_of_two(half)) * _power_of_two(exponent - half)
    return result if x == x else x  # noqa: PLR0124 (x != x only for NaN, which stays NaN)
