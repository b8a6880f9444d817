"""Connectome variants as named builders ``(normalised weights, seed) -> weights``.

Adding a variant (null model, lesion) is one function plus its entry in ``VARIANTS``.
"""

from __future__ import annotations

import logging
import zlib

import numpy as np

from fwbm_bench.connectome.core import Connectome, normalise_weights
from fwbm_bench.errors import ConfigError


def _empirical(weights: np.ndarray, seed: int) -> np.ndarray:
    return weights


def _rewired(weights: np.ndarray, seed: int) -> np.ndarray:
    """Degree-preserving randomisation (Maslov & Sneppen 2002) via bctpy's ``randmio_und``.

    Each edge is rewired about 10 times; edge weights travel with their edges, so the
    weight distribution and each node's degree are kept, its strength approximately.
    """
    import bct

    rewired, _ = bct.randmio_und(weights, 10, seed=seed)
    changed = float(np.mean(rewired != weights))
    if changed < 0.01:
        logging.getLogger("fwbm_bench.connectome").warning(
            "rewired null changed only %.1f%% of entries: degree-preserving swaps are nearly impossible "
            "at density %.2f; use the 'shuffled' variant for dense connectomes", 100 * changed,
            float(np.mean(weights > 0)))
    return rewired


def _shuffled(weights: np.ndarray, seed: int) -> np.ndarray:
    """Weights permuted over all node pairs (symmetric): keeps the weight distribution and
    density, destroys topology and degree/strength structure. Unlike degree-preserving
    rewiring, this null changes dense (~99 %) tractography connectomes."""
    upper = np.triu_indices(weights.shape[0], k=1)
    values = weights[upper]
    shuffled = np.zeros_like(weights)
    shuffled[upper] = np.random.Generator(np.random.PCG64(seed)).permutation(values)
    return shuffled + shuffled.T


VARIANTS = {
    "empirical": (_empirical, "the subject's own connectome"),
    "shuffled": (_shuffled, "weights permuted over node pairs (keeps weight distribution, destroys topology)"),
    "rewired": (_rewired, ("degree-preserving rewired null (bctpy randmio_und, 10 swaps per edge); "
                "near identity on dense connectomes")),
}


def connectome_seed(subject_id: str, variant: str) -> int:
    """A seed that depends only on (subject, variant), never on job order."""
    return zlib.crc32(f"{subject_id}/{variant}".encode())


def build_connectome(subject, variant: str, normalisation: str = "max") -> Connectome:
    """The ``variant`` of ``subject``'s connectome, normalised to max 1."""
    if variant not in VARIANTS:
        raise ConfigError(f"unknown connectome variant '{variant}' (known: {', '.join(VARIANTS)})")
    base = normalise_weights(subject.weights, normalisation)
    builder, _ = VARIANTS[variant]
    weights = builder(base, connectome_seed(subject.subject_id, variant))
    return Connectome(
        subject_id=subject.subject_id,
        variant=variant,
        weights=np.asarray(weights, dtype=float),
        tract_lengths_mm=subject.tract_lengths_mm,
        labels=subject.labels,
        hemispheres=subject.hemispheres,
        centres=subject.centres,
    )
