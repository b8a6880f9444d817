"""Connectome variants as named builders ``(subject, seed) -> weights``.

Adding a variant (null model, lesion) is one function plus its entry in ``VARIANTS``.
"""

from __future__ import annotations

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
    return rewired


VARIANTS = {
    "empirical": (_empirical, "the subject's own connectome"),
    "rewired": (_rewired, "degree-preserving rewired null (bctpy randmio_und, 10 swaps per edge)"),
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
