"""Validation of input arrays with one-line errors that name the source and the problem."""

from __future__ import annotations

import numpy as np

from fwbm_bench.errors import InputError

#: The shortest BOLD we accept: each half must hold at least this many volumes.
MIN_VOLUMES_PER_HALF = 20


#: the longest tract length we accept, in mm: far beyond any brain, so a larger value means
#: other units (micrometres) and would ask the integrator for an impossible delay buffer
MAX_TRACT_LENGTH_MM = 1000.0


def _as_float_array(values, what: str) -> np.ndarray:
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise InputError(f"{what}: expected a rectangular array of numbers, found {type(values).__name__} "
                         f"({str(exc).splitlines()[0]})") from None
    if raw.dtype.kind == "c":
        raise InputError(f"{what}: expected real numbers, found complex values (dtype {raw.dtype})")
    if raw.dtype.kind in "USV":
        raise InputError(f"{what}: expected numbers, found text or records (dtype {raw.dtype})")
    try:
        return raw.astype(float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what}: expected numbers, found {type(values).__name__} of dtype {raw.dtype} "
                         f"({str(exc).splitlines()[0]})") from None


def _first_bad(mask: np.ndarray) -> str:
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return f"{int(mask.sum())} entries, first at index {index}"


def check_square_matrix(values, what: str, n_regions: int | None = None) -> np.ndarray:
    """Return ``values`` as a float matrix after checking square, finite and non-negative."""
    matrix = _as_float_array(values, what)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise InputError(f"{what}: expected a square matrix, found shape {matrix.shape}")
    if n_regions is not None and matrix.shape[0] != n_regions:
        raise InputError(
            f"{what}: expected shape ({n_regions}, {n_regions}) to match the weights, "
            f"found {matrix.shape}"
        )
    if matrix.shape[0] < 2:
        raise InputError(f"{what}: expected at least 2 regions, found {matrix.shape[0]}")
    bad = ~np.isfinite(matrix)
    if bad.any():
        raise InputError(f"{what}: expected finite values, found NaN/inf in {_first_bad(bad)}")
    negative = matrix < 0
    if negative.any():
        raise InputError(f"{what}: expected non-negative values, found negatives in {_first_bad(negative)}")
    return matrix


def check_symmetric(matrix: np.ndarray, what: str, reason: str) -> None:
    """InputError if the square ``matrix`` is not symmetric (up to rounding); ``reason`` says why it must be."""
    scale = max(float(np.abs(matrix).max()), np.finfo(float).tiny)
    differs = ~np.isclose(matrix, matrix.T, rtol=1e-6, atol=1e-9 * scale)
    if differs.any():
        i, j = (int(k) for k in np.argwhere(differs)[0])
        raise InputError(f"{what}: expected a symmetric matrix ({reason}), found {int(differs.sum()) // 2} "
                         f"asymmetric pair(s), first [{i}, {j}] = {matrix[i, j]:g} vs [{j}, {i}] = {matrix[j, i]:g}")


def check_tract_lengths(lengths: np.ndarray, what: str) -> None:
    """InputError if a tract is longer than :data:`MAX_TRACT_LENGTH_MM` (lengths in other units)."""
    longest = float(lengths.max())
    if longest > MAX_TRACT_LENGTH_MM:
        raise InputError(f"{what}: expected millimetres (at most {MAX_TRACT_LENGTH_MM:g} mm), found a tract of "
                         f"{longest:g}: other units (micrometres)?")


def check_hemispheres(hemispheres, n_regions: int, what: str) -> tuple:
    """``L``, ``R`` or ``""`` (midline, unknown) per region."""
    hemispheres = check_labels(hemispheres, n_regions, what, allow_empty=True)
    wrong = sorted({h for h in hemispheres if h not in ("L", "R", "")})
    if wrong:
        raise InputError(f"{what}: expected L or R per region, found {wrong[:5]}")
    return hemispheres


def check_labels(labels, n_regions: int, what: str, allow_empty: bool = False) -> tuple:
    labels = tuple(str(label) for label in labels)
    if len(labels) != n_regions:
        raise InputError(f"{what}: expected {n_regions} entries (one per region), found {len(labels)}")
    if not allow_empty:
        if any(not label.strip() for label in labels):
            raise InputError(f"{what}: found an empty label")
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        if duplicates:
            raise InputError(f"{what}: labels must be unique, found duplicates {duplicates[:5]}")
    return labels


def check_vectors(values, n_rows: int, n_cols: int, what: str) -> np.ndarray:
    array = _as_float_array(values, what)
    if array.shape != (n_rows, n_cols):
        raise InputError(f"{what}: expected shape ({n_rows}, {n_cols}), found {array.shape}")
    if not np.isfinite(array).all():
        raise InputError(f"{what}: expected finite values, found NaN/inf")
    return array


def check_not_constant(timeseries: np.ndarray, what: str) -> None:
    """InputError if a row of ``timeseries`` (regions x samples, finite) is constant up to
    rounding: band-passing or z-scoring would turn its rounding noise into a signal."""
    scale = np.maximum(np.abs(timeseries).max(axis=1), np.finfo(float).tiny)
    constant = np.ptp(timeseries, axis=1) <= 1e-12 * scale
    if constant.any():
        raise InputError(f"{what}: expected every region's time series to vary, found {int(constant.sum())} "
                         f"region(s) with a constant time series (first: region {int(np.argmax(constant))})")


def check_bold(values, n_regions: int, what: str) -> np.ndarray:
    """Check a regions x volumes BOLD array: finite, not constant, long enough to halve."""
    bold = _as_float_array(values, what)
    if bold.ndim != 2 or bold.shape[0] != n_regions:
        raise InputError(
            f"{what}: expected shape ({n_regions} regions, n_volumes), found {bold.shape}"
        )
    bad = ~np.isfinite(bold)
    if bad.any():
        raise InputError(f"{what}: expected finite values, found NaN/inf in {_first_bad(bad)}")
    if bold.shape[1] < 2 * MIN_VOLUMES_PER_HALF:
        raise InputError(
            f"{what}: expected at least {2 * MIN_VOLUMES_PER_HALF} volumes to split into train "
            f"and held-out halves, found {bold.shape[1]}"
        )
    check_not_constant(bold, what)
    return bold
