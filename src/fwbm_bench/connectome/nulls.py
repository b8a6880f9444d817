"""Null and alternative connectomes: functions ``(weights, ...) -> weights`` on symmetric,
max-normalised matrices (rows receive, zero diagonal).

Every null keeps the multiset of node-pair weights (hence density and weight distribution);
they differ in what else they keep:

- :func:`shuffled_weights`: nothing else (weights permuted over node pairs);
  with ``fraction < 1`` only that fraction of pairs is permuted (the fidelity curve);
- :func:`geometric_weights`: the weight-distance relationship (weights permuted only among
  node pairs of similar distance);
- :func:`rewired_weights`: every node's degree (bctpy's Maslov-Sneppen swaps; on a fully
  dense matrix no swap is possible, so it returns the input).
"""

from __future__ import annotations

import logging

import numpy as np

from fwbm_bench.errors import ConfigError, InputError

log = logging.getLogger("fwbm_bench.connectome")

#: equal-count distance bins of the geometry-preserving null
GEOMETRIC_BINS = 20


def _rng(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(seed))


def _from_upper(values: np.ndarray, n_regions: int) -> np.ndarray:
    matrix = np.zeros((n_regions, n_regions))
    matrix[np.triu_indices(n_regions, k=1)] = values
    return matrix + matrix.T


def shuffled_weights(weights: np.ndarray, seed: int, fraction: float = 1.0) -> np.ndarray:
    """Weights of a random ``fraction`` of node pairs permuted among those pairs.

    ``fraction = 1`` permutes all pairs: topology, degrees and strengths are destroyed,
    the weight distribution and density are kept. Partial fractions interpolate between
    the empirical connectome (0) and the full null (1).
    """
    if not 0.0 <= fraction <= 1.0:
        raise ConfigError(f"shuffled fraction must be in [0, 1], found {fraction}")
    n_regions = weights.shape[0]
    values = weights[np.triu_indices(n_regions, k=1)].copy()
    rng = _rng(seed)
    chosen = rng.choice(values.size, size=round(fraction * values.size), replace=False)
    values[chosen] = values[rng.permutation(chosen)]
    return _from_upper(values, n_regions)


def pair_distances(tract_lengths_mm: np.ndarray, centres: np.ndarray | None) -> np.ndarray:
    """Distance between every pair of regions (mm): Euclidean between centres when known
    (the spatial embedding, as in Roberts et al. 2016), else the tract lengths."""
    if centres is None:
        return np.asarray(tract_lengths_mm, dtype=float)
    centres = np.asarray(centres, dtype=float)
    return np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=-1)


def geometric_weights(weights: np.ndarray, distances_mm: np.ndarray, seed: int,
                      n_bins: int = GEOMETRIC_BINS) -> np.ndarray:
    """Geometry-preserving null: weights permuted only among node pairs of similar distance.

    Node pairs are split into ``n_bins`` equal-count bins of distance; within each bin
    the weights (zeros included) are permuted. Each weight therefore stays at a distance
    within its bin, and the distribution of edge distances, as well as the weight-distance
    relationship, is kept up to the bin width while topology is randomised (the spatial
    null of Roberts et al. 2016, NeuroImage 124:379, done by permutation within distance
    bins as in Betzel & Bassett 2018, PNAS 115:E4880).
    """
    n_regions = weights.shape[0]
    upper = np.triu_indices(n_regions, k=1)
    values = weights[upper].copy()
    distance = np.asarray(distances_mm, dtype=float)[upper]
    if not np.isfinite(distance).all():
        raise InputError("region distances for the geometric null must be finite")
    order = np.argsort(distance, kind="stable")
    rng = _rng(seed)
    for members in np.array_split(order, min(n_bins, values.size)):
        values[members] = values[rng.permutation(members)]
    return _from_upper(values, n_regions)


def rewired_weights(weights: np.ndarray, seed: int, swaps_per_edge: int = 10) -> np.ndarray:
    """Degree-preserving randomisation (Maslov & Sneppen 2002) by bctpy's ``randmio_und``.

    Edge weights travel with their edges, so every node's degree and the weight
    distribution are kept (strengths only approximately). A swap needs two absent edges,
    so on dense matrices almost nothing changes: threshold first (``density<P>``).
    """
    import bct

    rewired, _ = bct.randmio_und(weights, swaps_per_edge, seed=seed)
    changed = float(np.mean(rewired != weights))
    if changed < 0.01:
        log.warning("rewired null changed only %.1f%% of entries: degree-preserving swaps are nearly impossible "
                    "at density %.2f; use the 'shuffled' or 'geometric' null for dense connectomes", 100 * changed,
                    float(np.mean(weights > 0)))
    return rewired


def density_threshold(weights: np.ndarray, percent: float) -> np.ndarray:
    """The strongest ``percent`` % of node pairs kept, the rest set to 0 (proportional
    thresholding, bctpy ``threshold_proportional``; van den Heuvel et al. 2017,
    NeuroImage 152:437 on its use and pitfalls)."""
    import bct

    if not 0 < percent <= 100:
        raise ConfigError(f"density threshold must be in (0, 100] percent, found {percent}")
    return bct.threshold_proportional(np.asarray(weights, dtype=float), percent / 100.0)


def consensus_weights(cohort_weights, cohort_lengths_mm, min_fraction: float = 0.5):
    """Group connectome of a cohort: consistency-thresholded mean.

    A node pair is kept if it is connected in at least ``min_fraction`` of the subjects
    (consistency thresholding, de Reus & van den Heuvel 2013, NeuroImage 70:402); its
    weight is the mean of the subjects' (max-normalised) weights and its length the mean
    of the lengths of the subjects that have it. Returns ``(weights, tract_lengths_mm)``.
    """
    weights = np.asarray(cohort_weights, dtype=float)  # subjects x regions x regions
    lengths = np.asarray(cohort_lengths_mm, dtype=float)
    if weights.ndim != 3 or weights.shape != lengths.shape or weights.shape[0] < 2:
        raise InputError(f"a group connectome needs at least 2 subjects with equal-sized matrices, found weights "
                         f"{weights.shape} and lengths {lengths.shape}")
    present = weights > 0
    kept = present.mean(axis=0) >= min_fraction
    mean_weight = np.where(kept, weights.mean(axis=0), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_length = np.where(present.sum(axis=0) > 0,
                               (lengths * present).sum(axis=0) / present.sum(axis=0), lengths.mean(axis=0))
    return mean_weight, mean_length
