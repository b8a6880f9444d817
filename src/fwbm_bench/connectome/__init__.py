"""Connectomes: the coupling matrix a model runs on, its delays, and its variants.

``Connectome.weights[i, j]`` is the weight of the connection *from* region j *to*
region i (rows receive), normalised so that the largest weight is 1. Variants (the
empirical connectome, nulls, later lesions) are registered in :data:`VARIANTS`; each is a
function ``(normalised weights, seed) -> weights``, and :func:`build_connectome` turns it
into a ``Connectome``, so every variant runs through the same pipeline.
"""

from fwbm_bench.connectome.core import Connectome, delay_steps, normalise_weights
from fwbm_bench.connectome.variants import VARIANTS, build_connectome, connectome_seed

__all__ = [
    "VARIANTS",
    "Connectome",
    "build_connectome",
    "connectome_seed",
    "delay_steps",
    "normalise_weights",
]
