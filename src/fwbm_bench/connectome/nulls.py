"""Null and alternative connectomes: functions ``(weights, ...) -> weights`` on symmetric,
max-normalised matrices (rows receive, zero diagonal).

Every null keeps the multiset of node-pair weights (hence density and weight distribution);
they differ in what else they keep:

- :func:`shuffled_weights`: nothing else (weights permuted over node pairs);
  with ``fraction < 1`` only that fraction of pairs is permuted (the fidelity curve);
- :func:`geometric_weights`: the weight-distance relationship (weights permuted only among
  node pairs of similar distance);
- :func:`rewired_weights`: every node's degree (bctpy's Maslov-Sneppen swaps; on a fully
  dense matrix no swap is possible, and it refuses).
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.errors import ConfigError, InputError

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
    """Distance between every pair of regions: Euclidean between centres when known (the
    spatial embedding, as in Roberts et al. 2016; in the centres' units), else the tract
    lengths (mm), which must then be positive for every pair."""
    if centres is None:
        lengths = np.asarray(tract_lengths_mm, dtype=float)
        off_diagonal = ~np.eye(lengths.shape[0], dtype=bool)
        if not (lengths[off_diagonal] > 0).all():
            raise InputError("a distance for every pair of regions is needed (region centres, or positive tract "
                             f"lengths): {int(np.sum(lengths[off_diagonal] <= 0)) // 2} pairs have no tract length")
        return lengths
    centres = np.asarray(centres, dtype=float)
    return np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=-1)


def geometric_weights(weights: np.ndarray, distances_mm: np.ndarray, seed: int,
                      n_bins: int = GEOMETRIC_BINS) -> np.ndarray:
    """Geometry-preserving null: weights permuted only among node pairs of similar distance.

    Node pairs are split into ``n_bins`` equal-count bins of distance; within each bin the
    weights (zeros included) are permuted. Each weight therefore stays at a distance within
    its bin: the distribution of edge lengths and the weight-distance relationship are kept
    up to the bin width, while which pairs carry which weight is randomised (on a dense
    connectome the binary topology is trivially kept; on a sparse one, density is kept but
    not degrees). A simple relative of the geometry-preserving nulls of Roberts et al. 2016
    (NeuroImage 124:379) and Betzel & Bassett 2018 (PNAS 115:E4880), which rewire edges and
    also keep degrees.
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
    distribution are kept (strengths only approximately). A swap needs two absent edges, so
    on a (near-)dense matrix almost nothing changes; rather than pass the input off as a null,
    that is an :class:`InputError`.
    """
    import bct

    rewired, _ = bct.randmio_und(weights, swaps_per_edge, seed=seed)
    changed = float(np.mean(rewired != weights))
    if changed < 0.01:
        raise InputError(f"the degree-preserving rewired null changed only {100 * changed:.1f}% of the entries: "
                         f"swaps are nearly impossible at density {float(np.mean(weights > 0)):.2f}; use the "
                         f"'shuffled' or 'geometric' null for dense connectomes")
    return rewired


def density_threshold(weights: np.ndarray, percent: float) -> np.ndarray:
    """The strongest ``percent`` % of node pairs kept, the rest set to 0 (proportional
    thresholding, bctpy ``threshold_proportional``)."""
    import bct

    if not 0 < percent <= 100:
        raise ConfigError(f"density threshold must be in (0, 100] percent, found {percent}")
    return bct.threshold_proportional(np.asarray(weights, dtype=float), percent / 100.0)


def consensus_weights(cohort_weights, cohort_lengths_mm, min_fraction: float = 0.5):
    """Group connectome of a cohort: consistency-thresholded mean.

    A node pair is kept if it is connected in at least ``min_fraction`` of the subjects
    (consistency thresholding, de Reus & van den Heuvel 2013, NeuroImage 70:402); its
    weight and its length are the means over the subjects that have it (weights
    max-normalised per subject). Returns ``(weights, tract_lengths_mm)``.
    """
    weights = np.asarray(cohort_weights, dtype=float)  # subjects x regions x regions
    lengths = np.asarray(cohort_lengths_mm, dtype=float)
    if weights.ndim != 3 or weights.shape != lengths.shape or weights.shape[0] < 2:
        raise InputError(f"a group connectome needs at least 2 subjects with equal-sized matrices, found weights "
                         f"{weights.shape} and lengths {lengths.shape}")
    present = weights > 0
    count = present.sum(axis=0)
    kept = count >= min_fraction * weights.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_weight = np.where(kept, weights.sum(axis=0) / count, 0.0)
        mean_length = np.where(count > 0, (lengths * present).sum(axis=0) / count, lengths.mean(axis=0))
    return mean_weight, mean_length
