"""Structure-function coupling: how well structural weights predict functional connectivity.

Pure functions: arrays in, numbers out. SC and FC are regions x regions; SC holds
non-negative structural weights (e.g. streamline counts), FC Pearson correlations.

- global SC-FC coupling (Honey et al. 2009, PNAS 106:2035): Pearson r between SC and FC over
  the structurally connected region pairs, i < j with SC_ij > 0 (upper triangles, k = 1);
  dimensionless, in [-1, 1]. The SC weights enter untransformed.
- regional SC-FC coupling (Baum et al. 2020, PNAS 117:771, their structure-function coupling
  per region): for region i, Pearson r between row i of SC and row i of FC over the regions
  j != i with SC_ij > 0; NaN where fewer than 3 such regions exist or either row is constant
  over them. (Baum et al. used Spearman's rank correlation; Pearson here, as for the global form.)

The rest metric compares the global coupling of the model's FC with that of the empirical FC,
both against the same (empirical) SC, with
:func:`~fwbm_bench.metrics.common.ratio_similarity`.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.errors import InputError

MIN_PAIRS = 3


def _check_pair(sc, fc) -> tuple[np.ndarray, np.ndarray]:
    if sc is None:
        raise InputError("SC-FC coupling: expected a regions x regions structural connectivity matrix, found None")
    sc, fc = np.asarray(sc, dtype=float), np.asarray(fc, dtype=float)
    if sc.ndim != 2 or sc.shape[0] != sc.shape[1]:
        raise InputError(f"SC-FC coupling: expected a square SC matrix, found shape {sc.shape}")
    if fc.shape != sc.shape:
        raise InputError(f"SC-FC coupling: SC and FC must have one shape, found {sc.shape} and {fc.shape}")
    if not (np.isfinite(sc).all() and np.isfinite(fc).all()):
        raise InputError("SC-FC coupling: SC and FC must be finite (found NaN or inf)")
    if (sc < 0).any():
        raise InputError(f"SC-FC coupling: SC weights must be non-negative, found {int((sc < 0).sum())} negative")
    return sc, fc


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    x, y = x - x.mean(), y - y.mean()
    denominator = np.sqrt(np.dot(x, x) * np.dot(y, y))
    return float(np.dot(x, y) / denominator) if denominator > 0 else float("nan")


def sc_fc_coupling(sc, fc) -> float:
    """Pearson r between SC and FC over structurally connected pairs i < j (SC_ij > 0)."""
    sc, fc = _check_pair(sc, fc)
    upper = np.triu_indices(sc.shape[0], k=1)
    connected = sc[upper] > 0
    if connected.sum() < MIN_PAIRS:
        raise InputError(f"SC-FC coupling needs >= {MIN_PAIRS} connected region pairs, found {int(connected.sum())}")
    x, y = sc[upper][connected], fc[upper][connected]
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        raise InputError("SC-FC coupling is undefined when SC or FC is constant over the connected pairs")
    return _pearson(x, y)


def regional_sc_fc_coupling(sc, fc) -> np.ndarray:
    """Per-region coupling, (regions,) array: r of SC row i and FC row i over i's structural neighbours.

    NaN for regions with fewer than 3 neighbours or a constant SC or FC row over them.
    """
    sc, fc = _check_pair(sc, fc)
    coupling = np.full(sc.shape[0], np.nan)
    for i in range(sc.shape[0]):
        neighbours = sc[i] > 0
        neighbours[i] = False
        if neighbours.sum() >= MIN_PAIRS:
            coupling[i] = _pearson(sc[i, neighbours], fc[i, neighbours])
    return coupling
