"""Edge-centric functional connectivity (eFC; Faskowitz et al. 2020, Nat Neurosci 23:1644).

Pure functions: arrays in, numbers out. Time series are regions x samples.

    z_i(t)    = (x_i(t) - mean_t x_i) / SD_t x_i                 (population SD)
    e_ij(t)   = z_i(t) z_j(t),  i < j                           E = N (N - 1) / 2 edges
    eFC[a, b] = sum_t e_a e_b / sqrt(sum_t e_a^2 sum_t e_b^2)    cosine similarity, E x E

Edges are ordered as ``np.triu_indices(N, k=1)`` (row-major upper triangle). Definition as in
literature.md section 6 (WholeBrain ``eFC.py``, after brain-networks/edge-centric_demo).

The similarity of two eFCs is the Pearson r of their upper triangles (k = 1), the convention
of the FC fit. E x E is too large to hold for fine parcellations (N = 192: E = 18336, 2.7 GB
in float64), so :func:`edge_fc_correlation` never builds it: it visits the upper triangle in
square tiles of ``block`` x ``block`` edges, builds each tile of both eFCs by one matrix
product from edge time series computed on the fly, and accumulates the five sums of a
Pearson correlation (x, y, x^2, y^2, xy). Peak memory is a few tiles plus the N x T inputs
(about 60 MB at the default block of 1024; measured for N = 192, T = 600), independent of E.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.errors import InputError
from fwbm_bench.metrics.common import as_timeseries

DEFAULT_BLOCK = 1024


def _zscore(timeseries, what: str) -> np.ndarray:
    timeseries = as_timeseries(timeseries, what, min_samples=3)
    centred = timeseries - timeseries.mean(axis=1, keepdims=True)
    return centred / centred.std(axis=1, keepdims=True)


def edge_time_series(timeseries) -> np.ndarray:
    """Edge time series, (E, samples) with E = N (N - 1) / 2: products of z-scored region pairs i < j."""
    z = _zscore(timeseries, "edge time series BOLD")
    rows, cols = np.triu_indices(z.shape[0], k=1)
    return z[rows] * z[cols]


def _edge_norms(z: np.ndarray, what: str) -> np.ndarray:
    """sqrt(sum_t e_ij(t)^2) for all i < j, from one N x N product: sum_t z_i^2 z_j^2 = (z^2 z^2^T)_ij."""
    squared = z * z
    norms = np.sqrt((squared @ squared.T)[np.triu_indices(z.shape[0], k=1)])
    if (norms == 0).any():
        raise InputError(f"{what}: {int((norms == 0).sum())} edge time series are zero at every sample")
    return norms


def edge_functional_connectivity(timeseries) -> np.ndarray:
    """The full eFC matrix (E x E, dimensionless cosine similarities in [-1, 1]).

    Memory grows as N^4: use for small N only; :func:`edge_fc_correlation` compares two eFCs
    without building them.
    """
    z = _zscore(timeseries, "eFC BOLD")
    edges = edge_time_series(z)
    unit = edges / _edge_norms(z, "eFC BOLD")[:, None]
    return unit @ unit.T


class _UnitEdges:
    """Unit-norm edge time series of one recording, produced block by block on demand."""

    def __init__(self, timeseries, what: str):
        self.z = _zscore(timeseries, what)
        self.rows, self.cols = np.triu_indices(self.z.shape[0], k=1)
        self.norms = _edge_norms(self.z, what)

    def block(self, start: int, stop: int) -> np.ndarray:
        rows, cols = self.rows[start:stop], self.cols[start:stop]
        return self.z[rows] * self.z[cols] / self.norms[start:stop, None]


def edge_fc_correlation(model_timeseries, empirical_timeseries, block: int = DEFAULT_BLOCK) -> float:
    """Pearson r between the upper triangles (k = 1) of two eFC matrices, computed tile by tile.

    Parameters
    ----------
    model_timeseries, empirical_timeseries : (regions, samples) arrays with the same number of
        regions; the numbers of samples may differ.
    block : tile size in edges; memory is O(block^2 + block x samples), time is dominated by
        2 E^2 T / 2 multiply-adds in BLAS matrix products.

    Returns
    -------
    r : float in [-1, 1]; equals ``np.corrcoef(upper(eFC_a), upper(eFC_b))[0, 1]``.
    """
    model = _UnitEdges(model_timeseries, "eFC model BOLD")
    empirical = _UnitEdges(empirical_timeseries, "eFC empirical BOLD")
    n_model, n_emp = model.z.shape[0], empirical.z.shape[0]
    if n_model != n_emp:
        raise InputError(f"eFC correlation needs the same regions on both sides, found {n_model} and {n_emp}")
    if block < 1:
        raise InputError(f"eFC correlation: block must be a positive number of edges, found {block}")
    n_edges = model.rows.size
    if n_edges < 3:
        raise InputError(f"eFC correlation needs >= 3 regions (>= 3 edges), found {n_model} regions")
    sums = np.zeros(5)  # x, y, x^2, y^2, xy
    for r0 in range(0, n_edges, block):
        r1 = min(r0 + block, n_edges)
        a_rows, b_rows = model.block(r0, r1), empirical.block(r0, r1)
        for c0 in range(r0, n_edges, block):
            c1 = min(c0 + block, n_edges)
            if c0 == r0:
                a_cols, b_cols = a_rows, b_rows
            else:
                a_cols, b_cols = model.block(c0, c1), empirical.block(c0, c1)
            x, y = a_rows @ a_cols.T, b_rows @ b_cols.T
            if c0 == r0:  # diagonal tile: keep only the strict upper triangle
                lower = np.tril_indices(r1 - r0)
                x[lower] = 0.0
                y[lower] = 0.0
            x, y = x.ravel(), y.ravel()
            sums += (x.sum(), y.sum(), np.dot(x, x), np.dot(y, y), np.dot(x, y))
    count = n_edges * (n_edges - 1) / 2
    sx, sy, sxx, syy, sxy = sums / count
    var_x, var_y = sxx - sx * sx, syy - sy * sy
    if var_x <= 0 or var_y <= 0:
        raise InputError("eFC correlation is undefined when one eFC is constant off the diagonal")
    return float(np.clip((sxy - sx * sy) / np.sqrt(var_x * var_y), -1.0, 1.0))
