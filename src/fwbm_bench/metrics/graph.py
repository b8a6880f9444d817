"""Graph-theoretical summaries of an FC matrix, via the Brain Connectivity Toolbox (bctpy).

Pure functions: arrays in, numbers out. Rubinov & Sporns 2010, NeuroImage 52:1059 (the
toolbox and the measures); bctpy is its Python port.

The graph of an FC matrix (regions x regions, Pearson r): negative correlations and the
diagonal set to 0, then the strongest ``density`` fraction of region pairs kept with their
weights (``bct.threshold_proportional``; default 20 %), the rest set to 0. Measures of that
weighted undirected graph (all dimensionless; weights are correlations in (0, 1]):

- modularity Q of the Louvain partition (``bct.community_louvain``, gamma = 1, fixed seed);
  Blondel et al. 2008, J Stat Mech P10008; Newman 2006, PNAS 103:8577
- global efficiency: mean over ordered pairs i != j of 1 / d_ij, with d_ij the shortest path
  length under edge lengths 1 / w (``bct.efficiency_wei``); Latora & Marchiori 2001, PRL 87:198701
- mean clustering coefficient, weighted form of Onnela et al. 2005, Phys Rev E 71:065103
  (``bct.clustering_coef_wu``):
  c_i = sum_jk (w_ij w_jk w_ki)^(1/3) / (k_i (k_i - 1))
- mean participation coefficient over regions with the Louvain communities
  (``bct.participation_coef``): P_i = 1 - sum_s (k_is / k_i)^2; Guimera & Amaral 2005, Nature 433:895
- strengths: the weighted degree of every region, (regions,) array

Similarity of a model graph to the empirical one: the mean of five per-measure similarities,
:func:`~fwbm_bench.metrics.common.ratio_similarity` (min / max) for the four scalars and
1 - Kolmogorov-Smirnov distance for the strength distributions.
"""

from __future__ import annotations

import bct
import numpy as np

from fwbm_bench.errors import InputError
from fwbm_bench.metrics.common import ratio_similarity

DEFAULT_DENSITY = 0.2
DEFAULT_SEED = 0
SCALAR_MEASURES = ("modularity", "global_efficiency", "clustering", "participation")


def fc_graph(fc, density: float = DEFAULT_DENSITY) -> np.ndarray:
    """Weighted graph (regions x regions, symmetric, zero diagonal) of the strongest positive FC entries.

    Keeps round(density N (N - 1) / 2) region pairs (fewer if fewer are positive).
    """
    fc = np.array(fc, dtype=float)
    if fc.ndim != 2 or fc.shape[0] != fc.shape[1] or fc.shape[0] < 3:
        raise InputError(f"FC graph: expected a square regions x regions matrix with >= 3 regions, "
                         f"found shape {fc.shape}")
    if not np.isfinite(fc).all():
        raise InputError(f"FC graph: {int((~np.isfinite(fc)).sum())} non-finite FC entries")
    if not np.allclose(fc, fc.T):
        raise InputError("FC graph: expected a symmetric FC matrix")
    if not 0 < density <= 1:
        raise InputError(f"FC graph: graph_density must be in (0, 1], found {density}")
    fc = 0.5 * (fc + fc.T)  # exact symmetry, so bctpy keeps the matrix symmetric
    fc[fc < 0] = 0.0
    np.fill_diagonal(fc, 0.0)
    if not fc.any():
        raise InputError("FC graph: the FC matrix has no positive off-diagonal entry")
    return bct.threshold_proportional(fc, density)


def graph_measures(fc, density: float = DEFAULT_DENSITY, seed: int = DEFAULT_SEED) -> dict:
    """Modularity, global efficiency, mean clustering, mean participation and strengths of :func:`fc_graph`.

    Returns a dict with float values for "modularity", "global_efficiency", "clustering",
    "participation", a (regions,) array for "strengths" and the (regions,) Louvain community
    labels (1-based) under "communities".
    """
    graph = fc_graph(fc, density)
    communities, modularity = bct.community_louvain(graph, seed=seed)
    with np.errstate(invalid="ignore", divide="ignore"):  # isolated regions: 0 / 0, set to 0 by bctpy
        participation = bct.participation_coef(graph, communities)
    return {
        "modularity": float(modularity),
        "global_efficiency": float(bct.efficiency_wei(graph)),
        "clustering": float(np.mean(bct.clustering_coef_wu(graph))),
        "participation": float(np.mean(participation)),
        "strengths": graph.sum(axis=0),
        "communities": np.asarray(communities),
    }


def graph_similarity_of_measures(model: dict, empirical: dict) -> float:
    """Mean of the five per-measure similarities of two :func:`graph_measures` dicts, in [0, 1]."""
    from scipy.stats import ks_2samp  # scipy.stats takes ~1 s to import: only in jobs that score

    parts = [ratio_similarity(model[key], empirical[key]) for key in SCALAR_MEASURES]
    parts.append(1.0 - ks_2samp(model["strengths"], empirical["strengths"], method="asymp").statistic)  # statistic only
    return float(np.mean(parts))


def graph_similarity(model_fc, empirical_fc, density: float = DEFAULT_DENSITY, seed: int = DEFAULT_SEED) -> float:
    """Similarity of the graphs of two FC matrices with the same regions (1 = same measures)."""
    model_fc, empirical_fc = np.asarray(model_fc), np.asarray(empirical_fc)
    if model_fc.shape != empirical_fc.shape:
        raise InputError(f"graph similarity needs FC matrices of one shape, found {model_fc.shape} and "
                         f"{empirical_fc.shape}")
    return graph_similarity_of_measures(graph_measures(model_fc, density, seed),
                                        graph_measures(empirical_fc, density, seed))
