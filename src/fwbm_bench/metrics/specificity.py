"""Individual specificity: does a subject's own model identify that subject's data?

The digital-twin question (DESIGN.md, scoring protocol). Given, for S subjects, a predicted
FC per subject (each simulated from the subject's own connectome) and an empirical FC per
subject, the identification matrix ``M[s, t]`` = r(predicted FC of s, empirical FC of t)
(upper triangles, Pearson) gives

- differential identifiability of subject s: ``M[s, s] - mean_{t != s} M[s, t]`` (Amico &
  Goñi 2018, Sci Rep 8:8254, per subject; their I_diff is the mean over subjects, x 100);
- top-1 identification: the predicted FC of s correlates best with the empirical FC of s
  (Finn et al. 2015, Nat Neurosci 18:1664).

The same quantities from the empirical train half (as "prediction") against the held-out
half are the ceiling: how identifiable the subjects are in their own data.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.errors import InputError
from fwbm_bench.metrics.dynamics import upper_triangle


def identification_matrix(predicted, empirical) -> np.ndarray:
    """``M[s, t]`` = Pearson r between the upper triangles of ``predicted[s]`` and ``empirical[t]``.

    ``predicted`` and ``empirical``: sequences of S square matrices of one shape (N x N), S >= 2.
    """
    if len(predicted) != len(empirical) or len(predicted) < 2:
        raise InputError(f"identification needs the same number (>= 2) of predicted and empirical FCs, "
                         f"found {len(predicted)} and {len(empirical)}")
    shapes = {np.shape(m) for m in (*predicted, *empirical)}
    if len(shapes) != 1 or len(next(iter(shapes))) != 2:
        raise InputError(f"identification needs square matrices of one shape, found shapes {sorted(shapes)}")
    a = np.array([upper_triangle(np.asarray(m, dtype=float)) for m in predicted])
    b = np.array([upper_triangle(np.asarray(m, dtype=float)) for m in empirical])
    a -= a.mean(axis=1, keepdims=True)
    b -= b.mean(axis=1, keepdims=True)
    norms_a, norms_b = np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1)
    if (norms_a == 0).any() or (norms_b == 0).any():
        raise InputError("identification is undefined for an FC that is constant off the diagonal")
    return (a / norms_a[:, None]) @ (b / norms_b[:, None]).T


def differential_identifiability(matrix: np.ndarray) -> np.ndarray:
    """Per subject s: ``M[s, s]`` minus the mean of the other entries of row s, shape (S,)."""
    matrix = np.asarray(matrix, dtype=float)
    n = matrix.shape[0]
    off_diagonal = (matrix.sum(axis=1) - np.diag(matrix)) / (n - 1)
    return np.diag(matrix) - off_diagonal


def top1_hits(matrix: np.ndarray) -> np.ndarray:
    """Per subject s: True if row s of ``M`` is largest at column s (ties count as misses)."""
    matrix = np.asarray(matrix, dtype=float)
    hits = []
    for s, row in enumerate(matrix):
        others = np.delete(row, s)
        hits.append(bool(row[s] > others.max()))
    return np.array(hits)
