"""Connectomes: the coupling matrix a model runs on, its delays, and its variants.

``Connectome.weights[i, j]`` is the weight of the connection *from* region j *to*
region i (rows receive), normalised so that the largest weight is 1. Variants (the
empirical connectome, group consensus, density thresholds, nulls, lesions and their
random controls) are named by the grammar of :mod:`fwbm_bench.connectome.variants`;
:func:`build_connectome` turns a name into a ``Connectome``, so every variant runs
through the same pipeline.
"""

from fwbm_bench.connectome.core import Connectome, delay_steps, normalise_weights
from fwbm_bench.connectome.lesions import LesionMask, lesion_mask, random_control
from fwbm_bench.connectome.variants import (
    BUILTIN_LESIONS,
    GRAMMAR,
    VariantName,
    build_connectome,
    connectome_seed,
    lesion_specs,
    parse_variant,
)

__all__ = [
    "BUILTIN_LESIONS",
    "GRAMMAR",
    "Connectome",
    "LesionMask",
    "VariantName",
    "build_connectome",
    "connectome_seed",
    "delay_steps",
    "lesion_mask",
    "lesion_specs",
    "normalise_weights",
    "parse_variant",
    "random_control",
]
